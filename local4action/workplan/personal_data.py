"""What the work plan app holds about a person."""

from typing import Any

from local4action.core.personal_data import records

from .models import Action, ActionUpdate, WorkPlan

MODELS = ("workplan.WorkPlan", "workplan.Action", "workplan.ActionUpdate")


def export(user) -> dict[str, Any]:
    return {
        "actions_owned": [{"id": a.pk, "title": str(a)} for a in Action.objects.filter(owner=user)],
        "action_updates": records(ActionUpdate.objects.filter(author=user)),
        "plans_imported": [p.pk for p in WorkPlan.objects.filter(imported_by=user)],
    }


def erase(user) -> None:
    """Actions the person owned lose their owner (someone else must take them over); updates
    they wrote stay, credited to the anonymized account."""
    Action.objects.filter(owner=user).update(owner=None)
