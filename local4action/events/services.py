"""Every write on events: the event and its agenda, registrations and the waiting list,
invitations, sponsorships, check-in, the rapporteur's summary, feedback, co-creation boards.

Seats and sponsorships are counted under a lock on the event row (SELECT … FOR UPDATE on
PostgreSQL; SQLite takes its write lock when the transaction begins), so two people acting at
the same moment never get the same last seat."""

import datetime
import hashlib
import re
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from local4action.accounts.selectors import primary_organization
from local4action.core.ratelimit import within_limit
from local4action.core.richtext import sanitize
from local4action.core.services import audit_record, notify
from local4action.core.validators import validate_time_zone

from . import permissions
from .choices import (
    ACTIVE_STATUSES,
    LANGUAGE_CODES,
    Attendance,
    IdeaStatus,
    Question,
    RegistrationStatus,
    SessionKind,
    SponsorshipStatus,
    Visibility,
)
from .models import (
    IDEA_MAX_LENGTH,
    Event,
    Idea,
    Invitation,
    Registration,
    Session,
    Speaker,
    SponsorshipRequest,
    Vote,
)

TEXT_MAX = 500
TAG = re.compile(r"<\s*/?\s*[a-zA-Z!]")


def _locked(event: Event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)


def _require_manager(actor, event: Event) -> None:
    if not permissions.can_manage_event(actor, event):
        raise PermissionDenied


def _when(event: Event, moment: datetime.datetime) -> str:
    """A moment as the event's visitors read it, for notification texts."""
    local = timezone.localtime(moment, event.zone)
    return f"{date_format(local, 'DATETIME_FORMAT')} ({event.time_zone})"


def _event_context(event: Event) -> dict:
    return {"event": event.title, "starts": _when(event, event.start_at)}


# Events and agenda -----------------------------------------------------------------------------

EVENT_FIELDS = (
    "title",
    "kind",
    "description",
    "parent",
    "start_at",
    "end_at",
    "time_zone",
    "city",
    "country",
    "venue",
    "online_url",
    "languages",
    "visibility",
    "capacity",
    "registration_opens_at",
    "registration_closes_at",
    "approval_required",
    "questions",
    "sponsorship_budget",
)


def _unique_slug(event: Event) -> str:
    base = slugify(f"{event.title} {event.start_at:%Y}")[:200] or "event"
    slug, number = base, 2
    while Event.objects.filter(slug=slug).exclude(pk=event.pk).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def _event_errors(event: Event, confirmed: int) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    try:
        validate_time_zone(event.time_zone)
    except ValidationError as error:
        add("time_zone", error.messages[0])
    if not event.languages:
        add("languages", _("Choose at least one language."))
    elif set(event.languages) - set(LANGUAGE_CODES):
        add("languages", _("Only English, French and Spanish are available."))
    if set(event.questions) - set(Question.values):
        add("questions", _("Unknown registration question."))
    if event.start_at and event.end_at and event.end_at <= event.start_at:
        add("end_at", _("The event must end after it starts."))
    closes = event.registration_closes_at
    if closes and event.end_at and closes > event.end_at:
        add("registration_closes_at", _("Registration must close before the event ends."))
    opens = event.registration_opens_at
    if opens and closes and closes <= opens:
        add("registration_closes_at", _("Registration must close after it opens."))
    if event.capacity is not None and event.capacity < confirmed:
        add(
            "capacity",
            _(
                "%(count)s people are already accepted; the capacity cannot be lower. "
                "Cancel or decline registrations first."
            )
            % {"count": confirmed},
        )
    if event.parent_id and event.parent_id == event.pk:
        add("parent", _("An event cannot be part of itself."))
    return errors


@transaction.atomic
def event_save(
    *,
    actor,
    data: dict,
    event: Event | None = None,
    organizers=None,
    initiatives=None,
    goals=None,
) -> Event:
    """Create an event (secretariat) or change one (its managers). Lowering the capacity below
    the accepted participants is refused; raising it gives the new seats to the waiting list."""
    if event is None:
        if not permissions.can_create_events(actor):
            raise PermissionDenied
        event = Event(created_by=actor)
        confirmed = 0
    else:
        _require_manager(actor, event)
        event = _locked(event)
        confirmed = event.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
    before = {field: getattr(event, field) for field in ("capacity", "start_at", "end_at")}
    for field in EVENT_FIELDS:
        if field in data:
            setattr(event, field, data[field])
    event.description = sanitize(event.description)
    event.languages = [code for code in LANGUAGE_CODES if code in (event.languages or [])]
    event.questions = [key for key in Question.values if key in (event.questions or [])] + [
        key for key in (event.questions or []) if key not in Question.values
    ]
    errors = _event_errors(event, confirmed)
    if event.start_at:
        event.slug = event.slug or _unique_slug(event)
    try:
        event.full_clean(exclude=["slug"] if not event.slug else None)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(
                m for m in messages if m not in errors.get(field, [])
            )
    if errors:
        raise ValidationError(errors)
    created = event.pk is None
    event.save()
    if organizers is not None:
        event.organizers.set(organizers)
    if initiatives is not None:
        event.initiatives.set(initiatives)
    if goals is not None:
        event.goals.set(goals)
    if not created:
        outside = event.sessions.exclude(start_at__gte=event.start_at, end_at__lte=event.end_at)
        if outside.exists():
            raise ValidationError(
                {"start_at": [_("Some sessions of the agenda would fall outside the event.")]}
            )
        _promote(event)
    audit_record(
        actor=actor,
        action="event.create" if created else "event.update",
        target=event,
        changes={k: str(v) for k, v in before.items() if getattr(event, k) != v},
    )
    return event


@transaction.atomic
def event_publish(*, actor, event: Event, published: bool = True) -> Event:
    _require_manager(actor, event)
    event = _locked(event)
    event.published = published
    event.save(update_fields=["published", "updated_at"])
    audit_record(
        actor=actor, action="event.publish" if published else "event.unpublish", target=event
    )
    return event


def _speakers(data) -> list[Speaker]:
    speakers = []
    for position, item in enumerate(data or []):
        user = item.get("user")
        name = str(item.get("name") or "").strip()
        if user is None and not name:
            continue
        speakers.append(
            Speaker(
                user=user,
                name=name[:200],
                organization=str(item.get("organization") or "").strip()[:200],
                position=position,
            )
        )
    return speakers


@transaction.atomic
def session_save(*, actor, event: Event, data: dict, session: Session | None = None) -> Session:
    """Add or change an agenda item. It must end after it starts and lie within the event.
    `data["speakers"]`, when given, replaces the speakers: [{"user": User | None, "name": …,
    "organization": …}]."""
    _require_manager(actor, event)
    event = _locked(event)
    if session is None:
        session = Session(event=event)
    elif session.event_id != event.pk:
        raise PermissionDenied
    for field in (
        "start_at",
        "end_at",
        "title",
        "kind",
        "description",
        "language",
        "interpretation",
        "streamed",
        "prompt",
        "billboards",
    ):
        if field in data:
            setattr(session, field, data[field])
    session.description = sanitize(session.description)
    session.interpretation = [c for c in LANGUAGE_CODES if c in (session.interpretation or [])]
    errors: dict[str, list[str]] = {}
    if session.start_at and session.end_at:
        if session.end_at <= session.start_at:
            errors.setdefault("end_at", []).append(_("A session must end after it starts."))
        if session.start_at < event.start_at or session.end_at > event.end_at:
            errors.setdefault("start_at", []).append(
                _(
                    "The session must take place between the start and the end of the event "
                    "(%(start)s – %(end)s)."
                )
                % {"start": _when(event, event.start_at), "end": _when(event, event.end_at)}
            )
    if session.language and session.language not in LANGUAGE_CODES:
        errors.setdefault("language", []).append(
            _("Only English, French and Spanish are available.")
        )
    try:
        session.full_clean(exclude=["event"])
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(
                m for m in messages if m not in errors.get(field, [])
            )
    if errors:
        raise ValidationError(errors)
    created = session.pk is None
    session.save()
    if "speakers" in data:
        session.speakers.all().delete()
        speakers = _speakers(data["speakers"])
        for speaker in speakers:
            speaker.session = session
        Speaker.objects.bulk_create(speakers)
    audit_record(
        actor=actor, action="session.create" if created else "session.update", target=session
    )
    return session


@transaction.atomic
def session_delete(*, actor, session: Session) -> None:
    _require_manager(actor, session.event)
    audit_record(actor=actor, action="session.delete", target=session)
    session.delete()


# Registrations and the waiting list ------------------------------------------------------------


def registration_is_open(event: Event, now=None) -> bool:
    now = now or timezone.now()
    closes = event.registration_closes_at or event.start_at
    opens = event.registration_opens_at
    return event.published and (opens is None or opens <= now) and now < closes


def _answers(event: Event, data: dict) -> tuple[dict, dict[str, list[str]]]:
    """Keep the answers to the questions the organizer picked, checked."""
    answers, errors = {}, {}
    for key in event.questions:
        value = data.get(key)
        if key == Question.LANGUAGES:
            chosen = [code for code in (value or []) if code in LANGUAGE_CODES]
            if value and len(chosen) != len(value):
                errors[key] = [_("Only English, French and Spanish are available.")]
            answers[key] = chosen
        elif key == Question.ATTENDANCE:
            if value not in Attendance.values:
                errors[key] = [_("Say whether you will attend in person or remotely.")]
            answers[key] = value
        elif key in Question.values:
            text = str(value or "").strip()
            if len(text) > TEXT_MAX:
                errors[key] = [
                    _("Keep this under %(limit)s characters (it has %(count)s).")
                    % {"limit": TEXT_MAX, "count": len(text)}
                ]
            elif not text and key in (Question.ROLE, Question.ORGANIZATION):
                errors[key] = [_("This field is required.")]
            answers[key] = text
    return answers, errors


def seats_left(event: Event) -> int | None:
    if event.capacity is None:
        return None
    confirmed = event.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
    return max(event.capacity - confirmed, 0)


def _url(event: Event) -> str:
    return event.get_absolute_url()


def _tell(registration: Registration, kind: str) -> None:
    notify(
        recipients=[registration.person],
        kind=kind,
        context=_event_context(registration.event),
        url=_url(registration.event),
    )


def _place(event: Event, registration: Registration, now) -> None:
    """Accept when a seat is free, else put on the waiting list (event row locked)."""
    seats = seats_left(event)
    if seats is None or seats > 0:
        registration.status = RegistrationStatus.CONFIRMED
        registration.decided_at = now
    else:
        registration.status = RegistrationStatus.WAITLISTED
        registration.waitlisted_at = now


def _promote(event: Event) -> list[Registration]:
    """Give free seats to the first people on the waiting list (event row locked)."""
    seats = seats_left(event)
    waiting = event.registrations.filter(status=RegistrationStatus.WAITLISTED).order_by(
        "waitlisted_at", "pk"
    )
    if seats is not None:
        waiting = waiting[:seats]
    promoted = list(waiting.select_related("person", "event"))
    now = timezone.now()
    for registration in promoted:
        registration.status = RegistrationStatus.CONFIRMED
        registration.decided_at = now
        registration.save(update_fields=["status", "decided_at", "updated_at"])
        audit_record(actor=None, action="registration.promote", target=registration)
        _tell(registration, "event_registration_promoted")
    return promoted


@transaction.atomic
def registration_create(
    *, actor, event: Event, data: dict | None = None, invitation: Invitation | None = None, now=None
) -> Registration:
    """Register the actor. Without approval, a free seat is taken at once, else the person
    waits on the list; with approval, the registration waits for the organizers."""
    if not actor.is_authenticated:
        raise PermissionDenied
    limit = settings.REGISTRATIONS_PER_MINUTE
    if not within_limit("event-registrations", actor.pk, limit=limit):
        raise ValidationError(
            _("You are registering too fast: at most %(limit)s registrations a minute.")
            % {"limit": limit}
        )
    now = now or timezone.now()
    if not permissions.can_view_event(actor, event) and invitation is None:
        raise PermissionDenied
    if not registration_is_open(event, now):
        raise ValidationError(_("Registration for this event is closed."))
    if event.visibility == Visibility.INVITATION and invitation is None:
        raise ValidationError(
            _("This event is by invitation only: use the personal link in your invitation.")
        )
    if event.visibility == Visibility.MEMBERS and not permissions.is_member(actor):
        raise ValidationError(
            _("This event is for members of the network: join your organization first.")
        )
    data = data or {}
    answers, errors = _answers(event, data)
    if errors:
        raise ValidationError(errors)
    existing = Registration.objects.filter(event=event, person=actor).first()
    if existing is not None and existing.status in ACTIVE_STATUSES:
        raise ValidationError(_("You are already registered for this event."))
    if existing is not None and existing.status == RegistrationStatus.DECLINED:
        raise ValidationError(_("The organizers have declined your registration for this event."))
    registration = existing or Registration(event=event, person=actor)
    registration.answers = answers
    registration.attendance = answers.get(Question.ATTENDANCE) or data.get(
        "attendance", Attendance.IN_PERSON
    )
    if registration.attendance not in Attendance.values:
        raise ValidationError(
            {"attendance": [_("Say whether you will attend in person or remotely.")]}
        )
    registration.organization = primary_organization(actor)
    registration.invitation = invitation
    registration.cancelled_at = registration.decided_at = registration.waitlisted_at = None
    registration.checked_in_at = None
    if event.approval_required:
        registration.status = RegistrationStatus.PENDING
    elif event.capacity is None:
        _place(event, registration, now)  # no seat to count: no lock to wait for
    else:
        # Seats are counted under a lock on the event's row, taken as late as possible so
        # that people registering at once wait for each other as briefly as possible.
        event = _locked(event)
        _place(event, registration, now)
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError:
        raise ValidationError(_("You are already registered for this event.")) from None
    audit_record(
        actor=actor,
        action="registration.create",
        target=registration,
        changes={"status": registration.status},
    )
    _tell(registration, f"event_registration_{registration.status}")
    return registration


@transaction.atomic
def registration_decide(*, actor, registration: Registration, decision: str) -> Registration:
    """Organizers accept, waitlist or decline. Accepting needs a free seat."""
    _require_manager(actor, registration.event)
    event = _locked(registration.event)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    now = timezone.now()
    if decision not in ("accept", "waitlist", "decline"):
        raise ValidationError(_("Unknown decision."))
    if registration.status == RegistrationStatus.CANCELLED:
        raise ValidationError(_("This person has cancelled their registration."))
    was_confirmed = registration.status == RegistrationStatus.CONFIRMED
    if decision == "accept":
        if was_confirmed:
            raise ValidationError(_("This person is already accepted."))
        seats = seats_left(event)
        if seats is not None and seats <= 0:
            raise ValidationError(
                _(
                    "The event is full (%(capacity)s seats). Put the person on the waiting "
                    "list, or raise the capacity."
                )
                % {"capacity": event.capacity}
            )
        registration.status = RegistrationStatus.CONFIRMED
        registration.decided_at = now
    elif decision == "waitlist":
        if registration.status == RegistrationStatus.WAITLISTED:
            raise ValidationError(_("This person is already on the waiting list."))
        registration.status = RegistrationStatus.WAITLISTED
        registration.waitlisted_at = now
        registration.checked_in_at = None
    else:
        if registration.status == RegistrationStatus.DECLINED:
            raise ValidationError(_("This registration is already declined."))
        registration.status = RegistrationStatus.DECLINED
        registration.decided_at = now
        registration.checked_in_at = None
        _withdraw_sponsorship(registration)
    registration.save()
    audit_record(actor=actor, action=f"registration.{decision}", target=registration)
    _tell(registration, f"event_registration_{registration.status}")
    if was_confirmed and decision != "accept":
        _promote(event)
    return registration


def _withdraw_sponsorship(registration: Registration) -> None:
    SponsorshipRequest.objects.filter(
        registration=registration,
        status__in=[SponsorshipStatus.REQUESTED, SponsorshipStatus.GRANTED],
    ).update(status=SponsorshipStatus.WITHDRAWN, updated_at=timezone.now())


@transaction.atomic
def registration_cancel(*, actor, registration: Registration, now=None) -> Registration:
    """The person (or an organizer) cancels. A freed seat goes to the first on the list."""
    if actor != registration.person:
        _require_manager(actor, registration.event)
    now = now or timezone.now()
    event = _locked(registration.event)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status not in ACTIVE_STATUSES:
        raise ValidationError(_("This registration is not active."))
    if now >= event.end_at:
        raise ValidationError(_("The event is over."))
    was_confirmed = registration.status == RegistrationStatus.CONFIRMED
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = now
    registration.checked_in_at = None
    registration.save()
    _withdraw_sponsorship(registration)
    audit_record(actor=actor, action="registration.cancel", target=registration)
    if was_confirmed:
        _promote(event)
    return registration


@transaction.atomic
def check_in(*, actor, registration: Registration, present: bool = True) -> Registration:
    """Record (or undo) the attendance of an accepted participant."""
    _require_manager(actor, registration.event)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status != RegistrationStatus.CONFIRMED:
        raise ValidationError(_("Only accepted participants can be checked in."))
    registration.checked_in_at = timezone.now() if present else None
    registration.save(update_fields=["checked_in_at", "updated_at"])
    audit_record(
        actor=actor,
        action="registration.check_in" if present else "registration.check_out",
        target=registration,
    )
    return registration


# Invitations -----------------------------------------------------------------------------------


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def invitations_create(
    *, actor, event: Event, people: list[dict]
) -> tuple[list[Invitation], list[str]]:
    """Invite people by email ([{"email", "name", "language"}]); each gets a personal link by
    email. An address already invited is skipped and reported back; a malformed one stops the
    whole list, with every bad line named."""
    _require_manager(actor, event)
    event = _locked(event)
    errors, seen, rows = [], set(), []
    for number, person in enumerate(people, start=1):
        email = str(person.get("email") or "").strip().lower()
        try:
            validate_email(email)
        except ValidationError:
            errors.append(
                _("Line %(line)s: “%(email)s” is not an email address.")
                % {"line": number, "email": email[:100]}
            )
            continue
        language = str(person.get("language") or "").strip().lower()[:2] or "en"
        if language not in LANGUAGE_CODES:
            errors.append(_("Line %(line)s: the language must be en, fr or es.") % {"line": number})
            continue
        if email in seen:
            continue
        seen.add(email)
        rows.append((email, str(person.get("name") or "").strip()[:200], language))
    if errors:
        raise ValidationError(errors)
    if not rows:
        raise ValidationError(_("Give at least one email address."))
    already = set(
        event.invitations.filter(email__in=[r[0] for r in rows]).values_list("email", flat=True)
    )
    created = []
    from .tasks import send_invitation_email

    for email, name, language in rows:
        if email in already:
            continue
        token = secrets.token_urlsafe(32)
        invitation = Invitation.objects.create(
            event=event,
            email=email,
            name=name,
            language=language,
            token_hash=token_hash(token),
            invited_by=actor,
        )
        created.append(invitation)
        transaction.on_commit(
            lambda pk=invitation.pk, token=token: send_invitation_email.enqueue(pk, token),
            robust=True,
        )
    audit_record(
        actor=actor,
        action="event.invite",
        target=event,
        changes={"invited": len(created), "skipped": sorted(already)},
    )
    return created, sorted(already)


def invitation_for(token: str) -> Invitation:
    invitation = (
        Invitation.objects.select_related("event", "accepted_by")
        .filter(token_hash=token_hash(token or ""))
        .first()
    )
    if invitation is None:
        raise ValidationError(
            _("This invitation link is not valid. Check that you copied the whole link.")
        )
    return invitation


def invitation_is_for(user, invitation: Invitation) -> bool:
    emails = {user.email.lower()}
    emails.update(
        e.lower()
        for e in user.emailaddress_set.filter(verified=True).values_list("email", flat=True)
    )
    return invitation.email.lower() in emails


@transaction.atomic
def invitation_accept(*, actor, token: str, data: dict | None = None, now=None) -> Registration:
    """The invited person registers through their personal link, once. The link belongs to the
    address it was sent to: someone else signed in gets a clear refusal."""
    if not actor.is_authenticated:
        raise PermissionDenied
    invitation = invitation_for(token)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_by_id is not None:
        if invitation.accepted_by_id == actor.pk:
            raise ValidationError(_("You have already accepted this invitation."))
        raise ValidationError(_("This invitation has already been used by another person."))
    if not invitation_is_for(actor, invitation):
        raise ValidationError(
            _("This invitation was sent to %(email)s. Sign in with that address to accept it.")
            % {"email": invitation.email}
        )
    registration = registration_create(
        actor=actor, event=invitation.event, data=data, invitation=invitation, now=now
    )
    invitation.accepted_by = actor
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_by", "accepted_at"])
    return registration


# Sponsorships ----------------------------------------------------------------------------------


@transaction.atomic
def sponsorship_request(*, actor, registration: Registration, data: dict) -> SponsorshipRequest:
    """A registrant asks for travel and/or lodging support, once, with a justification."""
    if actor != registration.person:
        raise PermissionDenied
    event = _locked(registration.event)
    registration = Registration.objects.get(pk=registration.pk)
    if event.sponsorship_budget == 0:
        raise ValidationError(_("This event offers no sponsorships."))
    if registration.status not in ACTIVE_STATUSES:
        raise ValidationError(_("Only active registrations can ask for a sponsorship."))
    if timezone.now() >= event.start_at:
        raise ValidationError(_("The event has started; sponsorships can no longer be requested."))
    if (
        SponsorshipRequest.objects.filter(registration=registration)
        .exclude(status=SponsorshipStatus.WITHDRAWN)
        .exists()
    ):
        raise ValidationError(_("You have already asked for a sponsorship for this event."))
    travel, lodging = bool(data.get("travel")), bool(data.get("lodging"))
    justification = str(data.get("justification") or "").strip()
    errors = {}
    if not (travel or lodging):
        errors["travel"] = [_("Choose travel, lodging or both.")]
    if not justification:
        errors["justification"] = [_("Explain why you need the support.")]
    elif len(justification) > 2000:
        errors["justification"] = [
            _("Keep this under %(limit)s characters (it has %(count)s).")
            % {"limit": 2000, "count": len(justification)}
        ]
    if errors:
        raise ValidationError(errors)
    sponsorship, _created = SponsorshipRequest.objects.update_or_create(
        registration=registration,
        defaults={
            "travel": travel,
            "lodging": lodging,
            "justification": justification,
            "status": SponsorshipStatus.REQUESTED,
            "reason": "",
            "decided_by": None,
            "decided_at": None,
        },
    )
    audit_record(actor=actor, action="sponsorship.request", target=sponsorship)
    return sponsorship


@transaction.atomic
def sponsorship_decide(
    *, actor, sponsorship: SponsorshipRequest, grant: bool, reason: str = ""
) -> SponsorshipRequest:
    """Organizers grant (within the budget, to accepted participants) or refuse."""
    event = sponsorship.registration.event
    _require_manager(actor, event)
    event = _locked(event)
    sponsorship = (
        SponsorshipRequest.objects.select_for_update()
        .select_related("registration__person")
        .get(pk=sponsorship.pk)
    )
    if sponsorship.status != SponsorshipStatus.REQUESTED:
        raise ValidationError(_("This request has already been decided."))
    if grant:
        if sponsorship.registration.status != RegistrationStatus.CONFIRMED:
            raise ValidationError(
                _("Accept the person's registration before granting a sponsorship.")
            )
        granted = SponsorshipRequest.objects.filter(
            registration__event=event, status=SponsorshipStatus.GRANTED
        ).count()
        if granted >= event.sponsorship_budget:
            raise ValidationError(
                _("All %(budget)s sponsorships are already granted.")
                % {"budget": event.sponsorship_budget}
            )
    sponsorship.status = SponsorshipStatus.GRANTED if grant else SponsorshipStatus.REFUSED
    sponsorship.reason = str(reason or "").strip()[:2000]
    sponsorship.decided_by = actor
    sponsorship.decided_at = timezone.now()
    sponsorship.save()
    audit_record(
        actor=actor,
        action=f"sponsorship.{sponsorship.status}",
        target=sponsorship,
        reason=sponsorship.reason,
    )
    notify(
        recipients=[sponsorship.registration.person],
        kind=f"event_sponsorship_{sponsorship.status}",
        context={**_event_context(event), "reason": sponsorship.reason},
        url=_url(event),
    )
    return sponsorship


# After the event -------------------------------------------------------------------------------


@transaction.atomic
def summary_publish(*, actor, event: Event, summary: str, guidelines: str = "") -> Event:
    """The rapporteur's summary of trends and the final guidelines, shown on the event page."""
    if not permissions.can_write_summary(actor, event):
        raise PermissionDenied
    event = _locked(event)
    summary, guidelines = sanitize(summary).strip(), sanitize(guidelines).strip()
    if not summary:
        raise ValidationError({"summary": [_("Write the summary before publishing it.")]})
    event.summary, event.guidelines = summary, guidelines
    event.summary_published_at = event.summary_published_at or timezone.now()
    event.save(update_fields=["summary", "guidelines", "summary_published_at", "updated_at"])
    audit_record(actor=actor, action="event.summary_publish", target=event)
    return event


def feedback_people(event: Event):
    """Who gets the feedback survey: the checked-in participants, or every accepted one when
    nobody was checked in."""
    confirmed = event.registrations.filter(status=RegistrationStatus.CONFIRMED)
    present = confirmed.filter(checked_in_at__isnull=False)
    chosen = present if present.exists() else confirmed
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(pk__in=chosen.values("person_id"))


FEEDBACK_DAYS = 14


@transaction.atomic
def feedback_survey_send(*, actor, event: Event, now=None):
    """Once the event is over: the surveys module's post-event questionnaire, for its
    participants, published and sent in each person's language."""
    from local4action.surveys import services as surveys

    _require_manager(actor, event)
    now = now or timezone.now()
    event = _locked(event)
    if now < event.end_at:
        raise ValidationError(_("The feedback survey can be sent once the event is over."))
    if event.feedback_survey_id:
        raise ValidationError(_("The feedback survey has already been sent."))
    people = list(feedback_people(event))
    if not people:
        raise ValidationError(_("Nobody took part in this event yet."))
    survey = surveys.survey_from_template(
        actor=actor,
        template="event_feedback",
        title={
            "en": f"Feedback: {event.title}",
            "fr": f"Votre avis : {event.title}",
            "es": f"Su opinión: {event.title}",
        },
        people=people,
        opens_at=now,
        closes_at=now + datetime.timedelta(days=FEEDBACK_DAYS),
    )
    surveys.survey_publish(actor=actor, survey=survey)
    surveys.survey_invite(actor=actor, survey=survey)
    event.feedback_survey = survey
    event.save(update_fields=["feedback_survey", "updated_at"])
    audit_record(
        actor=actor, action="event.feedback_send", target=event, changes={"people": len(people)}
    )
    return survey


# Co-creation boards ----------------------------------------------------------------------------


def _board(session: Session) -> None:
    if session.kind != SessionKind.CO_CREATION:
        raise ValidationError(_("Only co-creation sessions have a board."))


@transaction.atomic
def board_open(*, actor, session: Session, is_open: bool) -> Session:
    _require_manager(actor, session.event)
    _board(session)
    session.board_open = is_open
    session.save(update_fields=["board_open"])
    audit_record(actor=actor, action="board.open" if is_open else "board.close", target=session)
    return session


def _idea_text(text: str) -> str:
    text = " ".join(str(text or "").split())
    if not text:
        raise ValidationError({"text": [_("Write your idea first.")]})
    if TAG.search(text):
        raise ValidationError({"text": [_("Ideas are plain text: remove the HTML tags (“<…>”).")]})
    if len(text) > IDEA_MAX_LENGTH:
        raise ValidationError(
            {
                "text": [
                    _("An idea is short: at most %(limit)s characters (this one has %(count)s).")
                    % {"limit": IDEA_MAX_LENGTH, "count": len(text)}
                ]
            }
        )
    return text


@transaction.atomic
def idea_post(*, actor, session: Session, text: str, city: str = "") -> Idea:
    """Participants (in the room or remote) and organizers post short plain-text ideas while
    the board is open."""
    if not permissions.can_post_ideas(actor, session.event):
        raise PermissionDenied
    _board(session)
    if not session.board_open:
        raise ValidationError(_("The board is closed: ideas can no longer be posted."))
    text = _idea_text(text)
    city = " ".join(str(city or "").split())[:120]
    if TAG.search(city):
        raise ValidationError({"city": [_("Ideas are plain text: remove the HTML tags (“<…>”).")]})
    if not city:
        organization = primary_organization(actor)
        city = organization.name[:120] if organization else ""
    idea = Idea.objects.create(session=session, author=actor, text=text, city=city)
    audit_record(actor=actor, action="idea.post", target=idea)
    return idea


def _touch(idea_ids) -> None:
    Idea.objects.filter(pk__in=idea_ids).update(updated_at=timezone.now())


@transaction.atomic
def idea_vote(*, actor, idea: Idea) -> Idea:
    """One vote per person and idea, never on one's own idea."""
    if not permissions.can_post_ideas(actor, idea.session.event):
        raise PermissionDenied
    idea = Idea.objects.select_for_update().get(pk=idea.pk)
    if idea.author_id == actor.pk:
        raise ValidationError(_("You cannot vote for your own idea."))
    if idea.status == IdeaStatus.MERGED:
        raise ValidationError(_("This idea was merged into another one: vote for that one."))
    try:
        with transaction.atomic():
            Vote.objects.create(idea=idea, voter=actor)
    except IntegrityError:
        raise ValidationError(_("You have already voted for this idea.")) from None
    Idea.objects.filter(pk=idea.pk).update(
        votes_count=F("votes_count") + 1, updated_at=timezone.now()
    )
    idea.refresh_from_db()
    return idea


@transaction.atomic
def idea_unvote(*, actor, idea: Idea) -> Idea:
    idea = Idea.objects.select_for_update().get(pk=idea.pk)
    deleted, _details = Vote.objects.filter(idea=idea, voter=actor).delete()
    if not deleted:
        raise ValidationError(_("You have not voted for this idea."))
    Idea.objects.filter(pk=idea.pk).update(
        votes_count=F("votes_count") - 1, updated_at=timezone.now()
    )
    idea.refresh_from_db()
    return idea


@transaction.atomic
def idea_merge(*, actor, idea: Idea, into: Idea) -> Idea:
    """Organizers merge a duplicate into another idea; its votes follow (once per person, never
    the author's own)."""
    _require_manager(actor, idea.session.event)
    ideas = {i.pk: i for i in Idea.objects.select_for_update().filter(pk__in=[idea.pk, into.pk])}
    if idea.pk == into.pk or len(ideas) != 2:
        raise ValidationError(_("Choose another idea to merge into."))
    idea, into = ideas[idea.pk], ideas[into.pk]
    if idea.session_id != into.session_id:
        raise ValidationError(_("Both ideas must be on the same board."))
    if IdeaStatus.MERGED in (idea.status, into.status):
        raise ValidationError(_("This idea was merged into another one: vote for that one."))
    voters = set(into.votes.values_list("voter_id", flat=True)) | {into.author_id}
    idea.votes.exclude(voter_id__in=voters).update(idea=into)
    idea.votes.all().delete()
    into.votes_count = into.votes.count()
    into.save(update_fields=["votes_count", "updated_at"])
    idea.status, idea.merged_into, idea.votes_count = IdeaStatus.MERGED, into, 0
    idea.save(update_fields=["status", "merged_into", "votes_count", "updated_at"])
    audit_record(actor=actor, action="idea.merge", target=idea, changes={"into": into.pk})
    return into


@transaction.atomic
def idea_retain(*, actor, idea: Idea, retained: bool = True) -> Idea:
    _require_manager(actor, idea.session.event)
    idea = Idea.objects.select_for_update().get(pk=idea.pk)
    if idea.status == IdeaStatus.MERGED:
        raise ValidationError(_("This idea was merged into another one: vote for that one."))
    idea.status = IdeaStatus.RETAINED if retained else IdeaStatus.OPEN
    idea.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="idea.retain" if retained else "idea.unretain", target=idea)
    return idea
