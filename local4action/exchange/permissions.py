"""Who may read and write in the exchange space, and who moderates it."""

from local4action.accounts.choices import MembershipStatus, OrganizationStatus
from local4action.accounts.permissions import is_secretariat as can_moderate
from local4action.accounts.permissions import platform_roles

from .models import Block, Thread

__all__ = ["can_moderate", "can_post", "can_view_thread", "is_blocked"]


def is_blocked(user) -> bool:
    return user.is_authenticated and Block.objects.filter(user=user).exists()


def can_take_part(user) -> bool:
    """Members of an approved organization, and people with a platform role."""
    if not user.is_authenticated:
        return False
    if platform_roles(user):
        return True
    return user.memberships.filter(
        status=MembershipStatus.ACTIVE, organization__status=OrganizationStatus.APPROVED
    ).exists()


def can_view_thread(user, thread: Thread) -> bool:
    """The exchange space is for signed-in people; a thread about an event or an initiative is
    for those who may see its topic."""
    if not user.is_authenticated:
        return False
    if thread.event_id is not None:
        from local4action.events.permissions import can_view_event

        return can_view_event(user, thread.event)
    if thread.initiative_id is not None:
        from local4action.initiatives.permissions import can_view_initiative

        return can_view_initiative(user, thread.initiative)
    return True


def can_post(user, thread: Thread | None = None) -> bool:
    if not can_take_part(user) or is_blocked(user):
        return False
    return thread is None or can_view_thread(user, thread)
