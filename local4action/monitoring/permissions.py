"""Who may see and change an initiative's monitoring."""

from local4action.accounts.choices import MembershipRole, MembershipStatus
from local4action.accounts.permissions import is_partner, is_secretariat, membership_of
from local4action.initiatives.choices import InitiativeStatus

FOLLOWED = (InitiativeStatus.LABELLED, InitiativeStatus.ACCOMPANIED)


def _team_role(user, initiative) -> str | None:
    membership = membership_of(user, initiative.lead_organization)
    if membership is None or membership.status != MembershipStatus.ACTIVE:
        return None
    return membership.role


def can_view_monitoring(user, initiative) -> bool:
    """The team, the secretariat and partners follow HUBs and accompanied initiatives."""
    if is_secretariat(user) or is_partner(user):
        return True
    return _team_role(user, initiative) is not None


def can_edit_monitoring(user, initiative) -> bool:
    """The team's editors and admins record progress while the initiative is followed."""
    return initiative.status in FOLLOWED and _team_role(user, initiative) in (
        MembershipRole.EDITOR,
        MembershipRole.ADMIN,
    )


def can_manage_monitoring(user) -> bool:
    """The secretariat sets reporting schedules and acknowledges reports."""
    return is_secretariat(user)
