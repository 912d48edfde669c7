"""Objects for the permission matrix's core rows (see core/tests/test_permission_matrix.py)."""

# Marking read names one of org_member's notifications: each person marks only their own.
PAGE_DATA = {"core:notifications_read": {"id": "{core_member_notification}"}}


def objects(world) -> dict:
    from local4action.core.models import Notification

    notification = Notification.objects.create(
        recipient=world["people"]["org_member"],
        kind="membership_approved",
        context={"organization": world["org_a"].name},
    )
    world["extra"]["core_member_notification"] = notification.pk
    return {
        # SDG reference data, loaded by the migrations.
        "core_goal": {"number": 11},
        "core_target": {"code": "11.3"},
    }
