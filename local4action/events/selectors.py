"""Reads on events, filtered by who is asking (hidden events are "not found")."""

import datetime
import itertools

from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from local4action.accounts.choices import MembershipRole, MembershipStatus
from local4action.accounts.permissions import is_secretariat

from . import permissions
from .choices import IdeaStatus, RegistrationStatus, SponsorshipStatus, Visibility
from .models import Event, Idea, Registration, Session, Speaker, SponsorshipRequest, Vote


def events_visible(user) -> QuerySet[Event]:
    """Published events the person may see, and every event they manage."""
    events = Event.objects.all()
    if is_secretariat(user):
        return events
    visible = Q(published=True, visibility=Visibility.PUBLIC)
    if user.is_authenticated:
        managed = Q(
            organizers__memberships__user=user,
            organizers__memberships__status=MembershipStatus.ACTIVE,
            organizers__memberships__role__in=[MembershipRole.ADMIN, MembershipRole.EDITOR],
        )
        registered = Q(registrations__person=user)
        invited = Q(invitations__email__iexact=user.email)
        visible |= Q(published=True) & (registered | invited)
        if permissions.is_member(user):
            visible |= Q(published=True, visibility=Visibility.MEMBERS)
        ids = Event.objects.filter(visible | managed).values("pk")
        return events.filter(pk__in=ids)
    return events.filter(visible)


def event_list(user, *, past: bool = False, now=None) -> QuerySet[Event]:
    now = now or timezone.now()
    events = events_visible(user).filter(parent__isnull=True).prefetch_related("organizers")
    if past:
        return events.filter(end_at__lt=now).order_by("-start_at", "-pk")
    return events.filter(end_at__gte=now).order_by("start_at", "pk")


def events_of_initiative(user, initiative) -> QuerySet[Event]:
    """The events linked to a HUB that the person may see, newest first."""
    return events_visible(user).filter(initiatives=initiative).order_by("-start_at", "-pk")


def event_get(user, slug: str) -> Event:
    event = (
        Event.objects.select_related("parent", "feedback_survey")
        .prefetch_related("organizers", "goals", "initiatives")
        .filter(slug=slug)
        .first()
    )
    if event is None or not permissions.can_view_event(user, event):
        raise Http404
    return event


def sessions_of(event: Event) -> list[Session]:
    speakers = Speaker.objects.select_related("user")
    return list(event.sessions.prefetch_related(Prefetch("speakers", queryset=speakers)))


def overlapping(sessions: list[Session]) -> set[int]:
    """Ids of sessions that overlap another one (parallel tracks are allowed, but flagged)."""
    found = set()
    ordered = sorted(sessions, key=lambda s: (s.start_at, s.end_at))
    for index, session in enumerate(ordered):
        for other in ordered[index + 1 :]:
            if other.start_at >= session.end_at:
                break
            found.update({session.pk, other.pk})
    return found


def agenda(event: Event, zone=None) -> list[tuple[datetime.date, list[Session]]]:
    """The agenda day by day, in the given zone (the event's by default); each session carries
    `overlaps` when it overlaps another."""
    zone = zone or event.zone
    sessions = sessions_of(event)
    clashes = overlapping(sessions)
    for session in sessions:
        session.overlaps = session.pk in clashes
    days = itertools.groupby(sessions, key=lambda s: timezone.localtime(s.start_at, zone).date())
    return [(day, list(items)) for day, items in days]


def event_counts(event: Event) -> dict:
    counts = dict(
        event.registrations.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    confirmed = counts.get(RegistrationStatus.CONFIRMED, 0)
    granted = SponsorshipRequest.objects.filter(
        registration__event=event, status=SponsorshipStatus.GRANTED
    ).count()
    return {
        "confirmed": confirmed,
        "pending": counts.get(RegistrationStatus.PENDING, 0),
        "waitlisted": counts.get(RegistrationStatus.WAITLISTED, 0),
        "declined": counts.get(RegistrationStatus.DECLINED, 0),
        "cancelled": counts.get(RegistrationStatus.CANCELLED, 0),
        "seats_left": None if event.capacity is None else max(event.capacity - confirmed, 0),
        "checked_in": event.registrations.filter(checked_in_at__isnull=False).count(),
        "sponsorships_granted": granted,
        "sponsorships_left": max(event.sponsorship_budget - granted, 0),
    }


def waitlist_position(registration: Registration) -> int | None:
    if registration.status != RegistrationStatus.WAITLISTED:
        return None
    ahead = Registration.objects.filter(
        event_id=registration.event_id, status=RegistrationStatus.WAITLISTED
    ).filter(
        Q(waitlisted_at__lt=registration.waitlisted_at)
        | Q(waitlisted_at=registration.waitlisted_at, pk__lt=registration.pk)
    )
    return ahead.count() + 1


def participants(event: Event, *, query: str = "", statuses=()) -> QuerySet[Registration]:
    """The registrations of an event for its organizers, searchable by name, email or
    organization (the check-in page uses the same search)."""
    rows = event.registrations.select_related("person", "organization", "sponsorship").order_by(
        "person__name", "person__email", "pk"
    )
    if statuses:
        rows = rows.filter(status__in=list(statuses))
    for word in query.split()[:5]:
        rows = rows.filter(
            Q(person__name__icontains=word)
            | Q(person__email__icontains=word)
            | Q(organization__name__icontains=word)
        )
    return rows


def my_registrations(user) -> QuerySet[Registration]:
    return (
        Registration.objects.filter(person=user)
        .select_related("event", "sponsorship")
        .order_by("-event__start_at", "-pk")
    )


# Co-creation boards ----------------------------------------------------------------------------


def board_version(session: Session) -> str:
    """Changes whenever an idea is posted, voted, merged or retained: the board's live view
    asks for news with it and gets nothing back while it is unchanged."""
    state = session.ideas.aggregate(n=Count("pk"), last=Max("updated_at"))
    last = state["last"].timestamp() if state["last"] else 0
    return f"{state['n']}-{last:.6f}-{int(session.board_open)}"


def board_ideas(session: Session, user) -> list[Idea]:
    """The ideas on a board, most voted first, merged ones left out; each knows whether the
    person voted for it."""
    ideas = session.ideas.exclude(status=IdeaStatus.MERGED).select_related("author")
    if user.is_authenticated:
        ideas = ideas.annotate(voted=Exists(Vote.objects.filter(idea=OuterRef("pk"), voter=user)))
    return list(ideas.order_by("-votes_count", "created_at", "pk"))


def session_get(event: Event, pk: int) -> Session:
    session = event.sessions.filter(pk=pk).first()
    if session is None:
        raise Http404
    return session
