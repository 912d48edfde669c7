"""Who may see and change an initiative's monitoring."""

from local4action.accounts.choices import MembershipRole, MembershipStatus
from local4action.accounts.permissions import is_partner, is_secretariat, membership_of
from local4action.initiatives.choices import PUBLIC_STATUSES, InitiativeStatus

FOLLOWED = (InitiativeStatus.LABELLED, InitiativeStatus.ACCOMPANIED)


def _team_role(user, initiative) -> str | None:
    membership = membership_of(user, initiative.lead_organization)
    if membership is None or membership.status != MembershipStatus.ACTIVE:
        return None
    return membership.role


def can_view_monitoring(user, initiative) -> bool:
    """The team, the secretariat and partners follow HUBs and accompanied initiatives."""
    if is_secretariat(user):
        return True
    # Partners follow the portfolio, not applications still under review or declined.
    if is_partner(user) and initiative.status in PUBLIC_STATUSES:
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


def can_view_portfolio(user) -> bool:
    """The secretariat and partners follow the whole portfolio on the dashboard."""
    return is_secretariat(user) or is_partner(user)


def can_view_report_export(user, export) -> bool:
    """A report file goes to the person who asked for it, and to the secretariat, while they
    may still read the portfolio."""
    if not can_view_portfolio(user):
        return False
    return export.requested_by_id == user.pk or is_secretariat(user)
