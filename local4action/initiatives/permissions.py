"""Who may see an initiative and who acts for it."""

from local4action.accounts.choices import MembershipRole, MembershipStatus
from local4action.accounts.permissions import is_secretariat

from .models import Initiative


def can_view_initiative(user, initiative: Initiative) -> bool:
    if initiative.is_public or is_secretariat(user):
        return True
    return (
        user.is_authenticated
        and initiative.lead_organization.memberships.filter(
            user=user, status=MembershipStatus.ACTIVE
        ).exists()
    )


def can_act_for_initiative(user, initiative: Initiative) -> bool:
    """Speak for the initiative to others (connections, offers and needs): the lead
    organization's editors and admins, and the secretariat."""
    if not user.is_authenticated:
        return False
    if is_secretariat(user):
        return True
    return initiative.lead_organization.memberships.filter(
        user=user,
        status=MembershipStatus.ACTIVE,
        role__in=[MembershipRole.EDITOR, MembershipRole.ADMIN],
    ).exists()
