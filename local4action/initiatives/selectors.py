from django.db.models import Prefetch, QuerySet
from django.http import Http404

from local4action.accounts.choices import MembershipStatus
from local4action.accounts.permissions import is_secretariat

from .choices import PUBLIC_STATUSES
from .models import Initiative


def _with_details(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("lead_organization__regional_section").prefetch_related(
        "goals", "translations", "locations", "policy_areas", "partners", Prefetch("targets")
    )


def public_initiative_list(*, status: str = "") -> QuerySet:
    """Labelled HUBs and accompanied initiatives, newest label first."""
    statuses = [status] if status in PUBLIC_STATUSES else list(PUBLIC_STATUSES)
    return (
        Initiative.objects.filter(status__in=statuses)
        .select_related("lead_organization")
        .prefetch_related("goals", "translations")
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
