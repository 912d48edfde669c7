"""Compute related initiatives again: those missing (new engine, data loaded from fixtures), or
all of them with --all."""

from django.core.management.base import BaseCommand
from django.db.models import Exists, OuterRef, Q

from local4action.initiatives.choices import PUBLIC_STATUSES
from local4action.initiatives.models import Initiative
from local4action.network import services, similarity
from local4action.network.models import InitiativeVector, Relation


class Command(BaseCommand):
    help = "Embed initiatives and compute their related initiatives."

    def add_arguments(self, parser):
        parser.add_argument(
            "--all",
            action="store_true",
            help="Recompute every initiative, not only those without a current vector or list.",
        )

    def handle(self, *args, **options):
        engine = similarity.engine()
        self.stdout.write(f"Engine: {engine.name}")
        if options["all"]:
            public = services.relations_refresh_all(engine=engine)
            embedded = Initiative.objects.count()
        else:
            current = InitiativeVector.objects.filter(initiative=OuterRef("pk"), engine=engine.name)
            stale = list(
                Initiative.objects.filter(~Exists(current))
                .prefetch_related("translations")
                .order_by("pk")
            )
            for initiative in stale:
                services.vector_refresh(initiative, engine)
            embedded = len(stale)
            listed = Relation.objects.filter(initiative=OuterRef("pk"))
            todo = list(
                Initiative.objects.filter(status__in=PUBLIC_STATUSES)
                .filter(~Exists(listed) | Q(pk__in=[initiative.pk for initiative in stale]))
                .prefetch_related("translations")
                .order_by("pk")
            )
            for initiative in todo:
                services.relations_refresh(initiative, engine)
            public = len(todo)
        relations = Relation.objects.count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Embedded {embedded} initiatives; computed the related initiatives of "
                f"{public} public initiatives ({relations} relations in all)."
            )
        )
