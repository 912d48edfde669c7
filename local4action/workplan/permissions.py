"""Who may see and change the work plan. The plan is internal: the secretariat runs it,
partners follow it (their funders' reports), owners update their own actions."""

from local4action.accounts.permissions import is_partner, is_secretariat


def can_manage_workplans(user) -> bool:
    """Import, re-import, bulk updates, links, reminders."""
    return is_secretariat(user)


def can_view_workplans(user) -> bool:
    return user.is_authenticated and (is_secretariat(user) or is_partner(user))


def can_view_action(user, action) -> bool:
    return can_view_workplans(user) or (user.is_authenticated and action.owner_id == user.pk)


def can_update_action(user, action) -> bool:
    """Status, progress and a dated note: the secretariat and the action's owner."""
    return user.is_authenticated and (is_secretariat(user) or action.owner_id == user.pk)
