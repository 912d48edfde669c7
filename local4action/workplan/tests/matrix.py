"""Objects for the permission matrix's workplan rows (see core/tests/test_permission_matrix.py).

The work plan is internal: the secretariat runs it (imports, bulk updates), partners follow it,
and the owner of an action reads and updates that action. Here A's plain member owns one action
of the plan, so that the owner's way in is checked as well as everybody else's refusal."""

API_BODIES = {
    ("POST", "/api/v1/workplan-actions/{id}/updates"): {"status": "on_track", "progress": 10},
}


def objects(world) -> dict:
    from local4action.workplan.models import Action
    from local4action.workplan.tests.factories import make_plan

    staff = world["people"]["staff"]
    plan = make_plan(staff, year=2025)
    actions = list(plan.actions.order_by("position", "pk"))
    owned, other = actions[0], actions[1]
    Action.objects.filter(pk=owned.pk).update(owner=world["people"]["org_member"])
    return {
        "workplan_plan": {"year": plan.year},
        # Owned by A's member (org_member): the owner reads and updates it.
        "workplan_owned_action": {"pk": owned.pk},
        # Nobody's among the roles: only the secretariat and partners read it.
        "workplan_action": {"pk": other.pk},
    }
