from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from local4action.accounts.choices import MembershipStatus
from local4action.accounts.permissions import is_secretariat

from .choices import PUBLIC_STATUSES
from .models import Initiative, InitiativeTranslation


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


def can_view_initiative(user, initiative: Initiative) -> bool:
    if initiative.is_public or is_secretariat(user):
        return True
    return (
        user.is_authenticated
        and initiative.lead_organization.memberships.filter(
            user=user, status=MembershipStatus.ACTIVE
        ).exists()
    )


def initiative_get(*, user, slug: str) -> Initiative:
    """Public initiatives for everyone; drafts only for their team and the secretariat."""
    initiative = _with_details(Initiative.objects.filter(slug=slug)).first()
    if initiative is None or not can_view_initiative(user, initiative):
        raise Http404
    return initiative
