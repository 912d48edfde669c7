"""iCalendar files (RFC 5545) for an event and for one session of its agenda.

Times are written in the event's own time zone (DTSTART;TZID=…) with the matching VTIMEZONE,
so a calendar shows the right instant wherever its owner lives. The venue and the online link
are written only for people who may see them."""

import datetime
import html
from collections.abc import Callable, Iterable

import icalendar
from django.utils import timezone
from django.utils.html import strip_tags

from .models import Event, Session

PRODID = "-//Local4Action//Events//EN"


def uid_for_event(event: Event) -> str:
    return f"event-{event.pk}@local4action"


def uid_for_session(session: Session) -> str:
    return f"session-{session.pk}@local4action"


def plain(text: str) -> str:
    """Rich text as plain text: calendars do not read HTML."""
    text = text.replace("</p>", "\n\n").replace("<br>", "\n").replace("</li>", "\n")
    lines = (" ".join(line.split()) for line in html.unescape(strip_tags(text)).splitlines())
    return "\n".join(lines).strip()


def _location(event: Event, show_access: bool) -> str:
    place = ", ".join(part for part in (event.city, str(event.country or "")) if part)
    if show_access and event.venue:
        venue = " ".join(event.venue.split())
        return f"{venue}, {place}" if place else venue
    return place


def _description(text: str, event: Event, show_access: bool) -> str:
    parts = [plain(text)] if text else []
    if show_access and event.online_url:
        parts.append(f"Online: {event.online_url}")
    return "\n\n".join(p for p in parts if p)


def _vevent(
    *,
    uid: str,
    summary: str,
    start: datetime.datetime,
    end: datetime.datetime,
    event: Event,
    description: str,
    url: str,
    show_access: bool,
    stamp: datetime.datetime,
    modified: datetime.datetime | None,
) -> icalendar.Event:
    zone = event.zone
    vevent = icalendar.Event()
    vevent.add("uid", uid)
    vevent.add("dtstamp", stamp)
    vevent.add("dtstart", timezone.localtime(start, zone))
    vevent.add("dtend", timezone.localtime(end, zone))
    vevent.add("summary", summary)
    if description:
        vevent.add("description", description)
    location = _location(event, show_access)
    if location:
        vevent.add("location", location)
    vevent.add("url", url)
    if modified:
        vevent.add("last-modified", modified.astimezone(datetime.UTC))
    return vevent


def _calendar(name: str, event: Event, vevents: Iterable[icalendar.Event]) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", event.time_zone)
    for vevent in vevents:
        calendar.add_component(vevent)
    # A VTIMEZONE covering the event's dates only: small, and exact for its instants.
    start = timezone.localtime(event.start_at, event.zone).date()
    end = timezone.localtime(event.end_at, event.zone).date()
    calendar.add_missing_timezones(
        first_date=start - datetime.timedelta(days=366),
        last_date=end + datetime.timedelta(days=366),
    )
    return calendar.to_ical()


def event_calendar(
    event: Event,
    sessions: Iterable[Session],
    *,
    show_access: bool,
    absolute: Callable[[str], str],
    now: datetime.datetime | None = None,
) -> bytes:
    """The event as one VEVENT, then one VEVENT per session of its agenda."""
    stamp = (now or timezone.now()).astimezone(datetime.UTC).replace(microsecond=0)
    vevents = [
        _vevent(
            uid=uid_for_event(event),
            summary=event.title,
            start=event.start_at,
            end=event.end_at,
            event=event,
            description=_description(event.description, event, show_access),
            url=absolute(event.get_absolute_url()),
            show_access=show_access,
            stamp=stamp,
            modified=event.updated_at,
        )
    ]
    for session in sessions:
        vevents.append(_session_vevent(session, event, show_access, absolute, stamp))
    return _calendar(event.title, event, vevents)


def _session_vevent(session, event, show_access, absolute, stamp) -> icalendar.Event:
    return _vevent(
        uid=uid_for_session(session),
        summary=f"{session.title} — {event.title}",
        start=session.start_at,
        end=session.end_at,
        event=event,
        description=_description(session.description, event, show_access),
        url=absolute(session.get_absolute_url()),
        show_access=show_access,
        stamp=stamp,
        modified=None,
    )


def session_calendar(
    session: Session,
    *,
    show_access: bool,
    absolute: Callable[[str], str],
    now: datetime.datetime | None = None,
) -> bytes:
    """One session of the agenda as a calendar of its own."""
    event = session.event
    stamp = (now or timezone.now()).astimezone(datetime.UTC).replace(microsecond=0)
    vevent = _session_vevent(session, event, show_access, absolute, stamp)
    return _calendar(f"{session.title} — {event.title}", event, [vevent])
