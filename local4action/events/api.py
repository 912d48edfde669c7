"""Events under /api/v1/: what is on (and was), an event with its agenda, the caller's own
registrations, and co-creation boards.

Events are shown to those who may see them (others get 404, as on the web pages). Times are
given in UTC (ISO 8601) with the event's `time_zone`, in which they were announced. The venue
and the online link are only given to accepted participants and organizers. Every write goes
through the services, which say what is refused (400, with their messages: registration
closed, already registered, an idea with HTML, a vote on one's own idea…) and who is (403).
"""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from local4action.accounts.api import OrganizationRef
from local4action.api.auth import AUTHENTICATED, request_user
from local4action.calls.api import Problem

from . import permissions, selectors, services
from .choices import (
    Attendance,
    EventKind,
    IdeaStatus,
    Question,
    RegistrationStatus,
    SessionKind,
    Visibility,
)
from .models import Event, Idea, Registration, Session

router = Router(tags=["Events"])
# OpenAPI names each schema by its class name, and a second class of the same name in another
# app silently replaces the first: hence `Event…` everywhere here.

PER_PAGE = 50


def _utc(moment: datetime.datetime | None) -> datetime.datetime | None:
    return None if moment is None else moment.astimezone(datetime.UTC)


def _absolute(context, path: str) -> str:
    return context["request"].build_absolute_uri(path)


def _strip_nul(value):
    """PostgreSQL stores no NUL character, in text or in JSON: drop it."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, list):
        return [_strip_nul(item) for item in value]
    if isinstance(value, dict):
        return {_strip_nul(key): _strip_nul(item) for key, item in value.items()}
    return value


# Schemas -------------------------------------------------------------------------------------


class EventOut(Schema):
    slug: str
    title: str
    kind: str = Field(description=f"One of: {', '.join(EventKind.values)}.")
    part_of: str | None = Field(
        description="The slug of the event this one is part of (a working session of a "
        "seminar week)."
    )
    start_at: datetime.datetime = Field(description="In UTC.")
    end_at: datetime.datetime = Field(description="In UTC.")
    time_zone: str = Field(description="The event's time zone (IANA), in which it is announced.")
    city: str
    country: str
    languages: list[str]
    visibility: str = Field(description=f"One of: {', '.join(Visibility.values)}.")
    capacity: int | None = Field(description="Null: no limit.")
    organizers: list[OrganizationRef]
    url: str

    @staticmethod
    def resolve_part_of(obj) -> str | None:
        return obj.parent.slug if obj.parent_id else None

    @staticmethod
    def resolve_start_at(obj) -> datetime.datetime:
        return _utc(obj.start_at)

    @staticmethod
    def resolve_end_at(obj) -> datetime.datetime:
        return _utc(obj.end_at)

    @staticmethod
    def resolve_organizers(obj) -> list:
        return list(obj.organizers.all())

    @staticmethod
    def resolve_url(obj, context) -> str:
        return _absolute(context, obj.get_absolute_url())


class EventPartOut(Schema):
    slug: str
    title: str
    kind: str
    start_at: datetime.datetime
    end_at: datetime.datetime

    @staticmethod
    def resolve_start_at(obj) -> datetime.datetime:
        return _utc(obj.start_at)

    @staticmethod
    def resolve_end_at(obj) -> datetime.datetime:
        return _utc(obj.end_at)


class EventDetailOut(EventOut):
    description: str = Field(description="Sanitized HTML.")
    venue: str | None = Field(description="Only for accepted participants and organizers.")
    online_url: str | None = Field(description="Only for accepted participants and organizers.")
    approval_required: bool = Field(description="The organizers accept each registration.")
    registration_opens_at: datetime.datetime | None
    registration_closes_at: datetime.datetime | None
    registration_open: bool
    seats_left: int | None = Field(description="Null: no limit.")
    questions: list[str] = Field(
        description=f"Keys of the registration questions to answer: {', '.join(Question.values)}."
    )
    sponsorship_budget: int = Field(description="How many travel or lodging sponsorships.")
    parts: list[EventPartOut] = Field(description="Working sessions of a seminar week.")
    summary: str = Field(description="The rapporteur's summary of trends, once published.")
    guidelines: str = Field(description="The final guidelines, once published.")

    # `access`, `seats_left` and `parts` are set on the event by the view, for the caller.
    @staticmethod
    def resolve_venue(obj) -> str | None:
        return obj.venue if obj.access else None

    @staticmethod
    def resolve_online_url(obj) -> str | None:
        return obj.online_url if obj.access else None

    @staticmethod
    def resolve_registration_opens_at(obj) -> datetime.datetime | None:
        return _utc(obj.registration_opens_at)

    @staticmethod
    def resolve_registration_closes_at(obj) -> datetime.datetime | None:
        return _utc(obj.registration_closes_at)

    @staticmethod
    def resolve_registration_open(obj) -> bool:
        return services.registration_is_open(obj)

    @staticmethod
    def resolve_summary(obj) -> str:
        return obj.summary if obj.summary_published_at else ""

    @staticmethod
    def resolve_guidelines(obj) -> str:
        return obj.guidelines if obj.summary_published_at else ""


class EventPage(Schema):
    count: int
    page: int
    pages: int
    results: list[EventOut]


class EventSpeakerOut(Schema):
    name: str
    organization: str

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.display_name


class EventSessionOut(Schema):
    id: int
    title: str
    kind: str = Field(description=f"One of: {', '.join(SessionKind.values)}.")
    start_at: datetime.datetime = Field(description="In UTC.")
    end_at: datetime.datetime = Field(description="In UTC.")
    description: str = Field(description="Sanitized HTML.")
    language: str
    interpretation: list[str] = Field(description="Languages interpreted into.")
    streamed: bool
    speakers: list[EventSpeakerOut]
    overlaps: bool = Field(description="It overlaps another session (parallel tracks).")
    prompt: str = Field(description="Co-creation sessions: what the ideas answer.")
    board_open: bool = Field(description="Co-creation sessions: ideas are taken now.")
    billboards: bool

    @staticmethod
    def resolve_start_at(obj) -> datetime.datetime:
        return _utc(obj.start_at)

    @staticmethod
    def resolve_end_at(obj) -> datetime.datetime:
        return _utc(obj.end_at)

    @staticmethod
    def resolve_speakers(obj) -> list:
        return list(obj.speakers.all())


class EventAgendaOut(Schema):
    event: str = Field(description="The event's slug.")
    time_zone: str
    sessions: list[EventSessionOut]


class EventRegistrationOut(Schema):
    id: int
    event: str = Field(description="The event's slug.")
    event_title: str
    status: str = Field(description=f"One of: {', '.join(RegistrationStatus.values)}.")
    waitlist_position: int | None = Field(description="On the waiting list: 1 is next.")
    attendance: str = Field(description=f"One of: {', '.join(Attendance.values)}.")
    answers: dict[str, Any] = Field(description="Answers by question key.")
    sponsorship: str | None = Field(description="The status of a sponsorship request, if any.")
    created_at: datetime.datetime
    decided_at: datetime.datetime | None
    cancelled_at: datetime.datetime | None
    checked_in_at: datetime.datetime | None

    @staticmethod
    def resolve_event(obj) -> str:
        return obj.event.slug

    @staticmethod
    def resolve_event_title(obj) -> str:
        return obj.event.title

    @staticmethod
    def resolve_waitlist_position(obj) -> int | None:
        return selectors.waitlist_position(obj)

    @staticmethod
    def resolve_sponsorship(obj) -> str | None:
        try:
            return obj.sponsorship.status
        except Registration.sponsorship.RelatedObjectDoesNotExist:
            return None


class EventRegistrationPage(Schema):
    count: int
    page: int
    pages: int
    results: list[EventRegistrationOut]


class EventRegistrationIn(Schema):
    answers: dict[str, Any] = Field(
        default_factory=dict,
        description="Answers to the event's `questions`, by key: text, except `attendance` "
        f"({' or '.join(Attendance.values)}) and `languages` (a list of en, fr, es).",
    )
    attendance: str = Field(
        Attendance.IN_PERSON,
        description="In person or remotely, when the event does not ask it as a question.",
    )
    invitation: str = Field(
        "", description="Invitation-only events: the token of the personal invitation link."
    )


class EventPagination(Schema):
    page: int = 1


class EventListFilters(EventPagination):
    past: bool = Field(False, description="Events that are over, latest first.")


class EventIdeaOut(Schema):
    id: int
    text: str
    city: str
    status: str = Field(description=f"One of: {', '.join(IdeaStatus.values)}.")
    votes: int
    voted: bool = Field(description="The caller voted for it.")
    mine: bool = Field(description="The caller posted it (and cannot vote for it).")
    created_at: datetime.datetime

    @staticmethod
    def resolve_votes(obj) -> int:
        return obj.votes_count

    @staticmethod
    def resolve_voted(obj) -> bool:
        return bool(getattr(obj, "voted", False))

    @staticmethod
    def resolve_mine(obj, context) -> bool:
        user = request_user(context["request"])
        return user.is_authenticated and obj.author_id == user.pk


class EventIdeaIn(Schema):
    text: str = Field(description="Plain text, short.")
    city: str = Field("", description="Empty: the name of the caller's organization.")


# Helpers -------------------------------------------------------------------------------------


def _event(request, slug: str) -> Event:
    return selectors.event_get(request_user(request), slug)


def _session(event: Event, pk: int) -> Session:
    """A co-creation session of the event: only those have a board."""
    session = selectors.session_get(event, pk)
    if session.kind != SessionKind.CO_CREATION:
        raise Http404
    return session


def _idea(event: Event, pk: int) -> Idea:
    idea = (
        Idea.objects.select_related("session__event")
        .filter(pk=pk, session__event=event, session__kind=SessionKind.CO_CREATION)
        .first()
    )
    if idea is None:
        raise Http404
    return idea


def _page(queryset, number: int) -> dict:
    paginator = Paginator(queryset, PER_PAGE)
    page = paginator.get_page(number)
    return {
        "count": paginator.count,
        "page": page.number,
        "pages": paginator.num_pages,
        "results": list(page.object_list),
    }


def _registration_data(event: Event, body: EventRegistrationIn) -> dict:
    """The answers as the service reads them, checked for their shape: a question the event
    does not ask, or an answer of the wrong type, gets its message under its key."""
    answers = _strip_nul(body.answers)
    errors = {}
    for key, value in answers.items():
        if key not in event.questions:
            errors[key] = [_("This event does not ask this question.")]
        elif key == Question.LANGUAGES:
            if value is not None and not (
                isinstance(value, list) and all(isinstance(code, str) for code in value)
            ):
                errors[key] = [_("Give a list of languages: en, fr, es.")]
        elif value is not None and not isinstance(value, str):
            errors[key] = [_("Answer with text.")]
    if errors:
        raise ValidationError(errors)
    return {"attendance": _strip_nul(body.attendance), **answers}


# Events --------------------------------------------------------------------------------------


@router.get(
    "/events",
    response=EventPage,
    summary="Events",
    description="Upcoming and ongoing events the caller may see (public ones for everybody; "
    "members' events for members; invitation-only events for those invited), soonest first; "
    f"`past=true` for those that are over, latest first. Working sessions of a seminar week "
    f"are listed under their seminar (`parts`). {PER_PAGE} per page.",
)
def event_list(request, filters: Query[EventListFilters]):
    events = selectors.event_list(request_user(request), past=filters.past).select_related("parent")
    return _page(events, filters.page)


@router.get(
    "/events/registrations/mine",
    response=EventRegistrationPage,
    auth=AUTHENTICATED,
    summary="My registrations",
    description=f"The caller's registrations, latest event first, with their status and the "
    f"place on the waiting list. {PER_PAGE} per page.",
)
def registrations_mine(request, filters: Query[EventPagination]):
    return _page(selectors.my_registrations(request.auth), filters.page)


@router.get(
    "/events/{slug}",
    response=EventDetailOut,
    summary="An event",
    description="Times in UTC with the event's time zone. The venue and the online link are "
    "null except for accepted participants and organizers. 404 for those who may not see it.",
)
def event_detail(request, slug: str):
    user = request_user(request)
    event = _event(request, slug)
    # What depends on the caller, worked out once for the schema's resolvers.
    event.access = permissions.can_see_access_details(user, event)
    confirmed = event.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
    event.seats_left = None if event.capacity is None else max(event.capacity - confirmed, 0)
    event.parts = list(
        event.children.filter(pk__in=selectors.events_visible(user).values("pk")).order_by(
            "start_at", "pk"
        )
    )
    return event


@router.get(
    "/events/{slug}/sessions",
    response=EventAgendaOut,
    summary="The agenda of an event",
    description="Its sessions in order, with speakers, languages and interpretation; "
    "`overlaps` flags sessions that run at the same time as another.",
)
def event_sessions(request, slug: str):
    event = _event(request, slug)
    sessions = selectors.sessions_of(event)
    clashes = selectors.overlapping(sessions)
    for session in sessions:
        session.overlaps = session.pk in clashes
    return {"event": event.slug, "time_zone": event.time_zone, "sessions": sessions}


# Registrations -------------------------------------------------------------------------------


def _registration_out(registration: Registration) -> Registration:
    return (
        Registration.objects.select_related("event", "sponsorship").filter(pk=registration.pk).get()
    )


@router.post(
    "/events/{slug}/registrations",
    response={201: EventRegistrationOut, 400: Problem, 403: Problem},
    auth=AUTHENTICATED,
    summary="Register for an event",
    description="With the answers to the event's questions. Without approval a free seat is "
    "taken at once (`confirmed`), else the caller goes on the waiting list (`waitlisted`, "
    "with their place); with approval the registration waits for the organizers "
    "(`pending`). Invitation-only events need the token of the caller's personal invitation. "
    "400: registration closed, already registered, invalid answers.",
)
def registration_create(request, slug: str, body: EventRegistrationIn):
    user = request.auth
    token = body.invitation.strip()
    if token:
        invitation = services.invitation_for(token)
        if invitation.event.slug != slug:
            raise ValidationError(_("This invitation is for another event."))
        # The personal link shows the event to whoever holds it; the service says whether
        # the caller is the person it was sent to.
        event = invitation.event
        registration = services.invitation_accept(
            actor=user, token=token, data=_registration_data(event, body)
        )
    else:
        event = _event(request, slug)
        registration = services.registration_create(
            actor=user, event=event, data=_registration_data(event, body)
        )
    return Status(201, _registration_out(registration))


@router.post(
    "/events/{slug}/registrations/cancel",
    response={200: EventRegistrationOut, 400: Problem, 403: Problem},
    auth=AUTHENTICATED,
    summary="Cancel my registration",
    description="Until the event is over. A seat freed goes to the first on the waiting list.",
)
def registration_cancel(request, slug: str):
    user = request.auth
    event = _event(request, slug)
    registration = permissions.registration_of(user, event)
    if registration is None:
        raise ValidationError(_("You are not registered for this event."))
    registration = services.registration_cancel(actor=user, registration=registration)
    return Status(200, _registration_out(registration))


# Co-creation boards --------------------------------------------------------------------------


@router.get(
    "/events/{slug}/sessions/{id}/ideas",
    response=list[EventIdeaOut],
    summary="The ideas of a co-creation board",
    description="Most voted first; merged ideas are left out (their votes went to the idea "
    "they were merged into). 404 for sessions that are not co-creation sessions.",
)
def ideas(request, slug: str, id: int):
    session = _session(_event(request, slug), id)
    return selectors.board_ideas(session, request_user(request))


@router.post(
    "/events/{slug}/sessions/{id}/ideas",
    response={201: EventIdeaOut, 400: Problem, 403: Problem},
    auth=AUTHENTICATED,
    summary="Post an idea",
    description="Accepted participants and organizers, while the board is open. Plain text, "
    "short: HTML tags are refused.",
)
def idea_post(request, slug: str, id: int, body: EventIdeaIn):
    session = _session(_event(request, slug), id)
    idea = services.idea_post(
        actor=request.auth,
        session=session,
        text=_strip_nul(body.text),
        city=_strip_nul(body.city),
    )
    return Status(201, idea)


def _voted(idea: Idea, voted: bool) -> Idea:
    idea.voted = voted
    return idea


@router.post(
    "/events/{slug}/ideas/{id}/vote",
    response={200: EventIdeaOut, 400: Problem, 403: Problem},
    auth=AUTHENTICATED,
    summary="Vote for an idea",
    description="Once per idea, never for one's own. Accepted participants and organizers.",
)
def idea_vote(request, slug: str, id: int):
    idea = _idea(_event(request, slug), id)
    return Status(200, _voted(services.idea_vote(actor=request.auth, idea=idea), True))


@router.delete(
    "/events/{slug}/ideas/{id}/vote",
    response={200: EventIdeaOut, 400: Problem, 403: Problem},
    auth=AUTHENTICATED,
    summary="Take back my vote",
)
def idea_unvote(request, slug: str, id: int):
    idea = _idea(_event(request, slug), id)
    return Status(200, _voted(services.idea_unvote(actor=request.auth, idea=idea), False))
