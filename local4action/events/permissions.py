"""Who may see an event, register, manage it, and take part in its boards."""

from local4action.accounts.choices import MembershipRole, MembershipStatus, OrganizationStatus
from local4action.accounts.permissions import is_secretariat

from .choices import RegistrationStatus, SessionKind, Visibility
from .models import Event, Registration


def can_create_events(user) -> bool:
    return is_secretariat(user)


def can_manage_event(user, event: Event) -> bool:
    """The secretariat, and the admins and editors of an organizing organization."""
    if not user.is_authenticated:
        return False
    if is_secretariat(user):
        return True
    return user.memberships.filter(
        organization__in=event.organizers.all(),
        status=MembershipStatus.ACTIVE,
        role__in=[MembershipRole.ADMIN, MembershipRole.EDITOR],
    ).exists()


def is_member(user) -> bool:
    return (
        user.is_authenticated
        and user.memberships.filter(
            status=MembershipStatus.ACTIVE, organization__status=OrganizationStatus.APPROVED
        ).exists()
    )


def registration_of(user, event: Event) -> Registration | None:
    if not user.is_authenticated:
        return None
    return Registration.objects.filter(event=event, person=user).first()


def is_invited(user, event: Event) -> bool:
    if not user.is_authenticated:
        return False
    return event.invitations.filter(email__iexact=user.email).exists() or (
        event.invitations.filter(accepted_by=user).exists()
    )


def can_view_event(user, event: Event) -> bool:
    if can_manage_event(user, event):
        return True
    if not event.published:
        return False
    if event.visibility == Visibility.PUBLIC:
        return True
    if event.visibility == Visibility.MEMBERS:
        return is_member(user) or registration_of(user, event) is not None
    return registration_of(user, event) is not None or is_invited(user, event)


def is_participant(user, event: Event) -> bool:
    registration = registration_of(user, event)
    return registration is not None and registration.status == RegistrationStatus.CONFIRMED


def can_see_access_details(user, event: Event) -> bool:
    """The venue and the online link: accepted participants and organizers only."""
    return is_participant(user, event) or can_manage_event(user, event)


def can_write_summary(user, event: Event) -> bool:
    """Organizers, and the speakers of the event's rapporteur sessions."""
    if can_manage_event(user, event):
        return True
    return (
        user.is_authenticated
        and event.sessions.filter(kind=SessionKind.RAPPORTEUR, speakers__user=user).exists()
    )


def can_post_ideas(user, event: Event) -> bool:
    return is_participant(user, event) or can_manage_event(user, event)
