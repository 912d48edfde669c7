from django.core.management.base import BaseCommand

from local4action.core.models import Goal, Indicator, Target
from local4action.core.reference import load_sdg


class Command(BaseCommand):
    help = "Load or refresh the SDG goals, targets and indicators (EN/FR/ES) shipped with the app."

    def handle(self, *args, **options):
        counts = load_sdg(Goal, Target, Indicator)
        self.stdout.write(
            f"{counts['goals']} goals, {counts['targets']} targets, "
            f"{counts['indicators']} indicators loaded."
        )
