from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from .choices import PUBLIC_STATUSES
from .models import Initiative, InitiativeTranslation
from .permissions import can_view_initiative


def _with_details(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("lead_organization__regional_section").prefetch_related(
        "goals", "translations", "locations", "policy_areas", "partners", Prefetch("targets")
    )


def public_initiative_list(*, status: str = "", q: str = "") -> QuerySet:
    """Labelled HUBs and accompanied initiatives, newest label first; `q` matches the title
    in its original language or in a translation."""
    statuses = [status] if status in PUBLIC_STATUSES else list(PUBLIC_STATUSES)
    queryset = Initiative.objects.filter(status__in=statuses)
    if q.strip():
        matching = InitiativeTranslation.objects.filter(title__icontains=q.strip())
        queryset = queryset.filter(
            Q(title__icontains=q.strip()) | Q(pk__in=matching.values("initiative_id"))
        )
    return (
        queryset.select_related("lead_organization")
        .prefetch_related("goals", "translations", "targets", "policy_areas", "locations")
        .order_by("-labelled_at", "title")
    )


def initiative_get(*, user, slug: str) -> Initiative:
    """Public initiatives for everyone; drafts only for their team and the secretariat."""
    initiative = _with_details(Initiative.objects.filter(slug=slug)).first()
    if initiative is None or not can_view_initiative(user, initiative):
        raise Http404
    return initiative
