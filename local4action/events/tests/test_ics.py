"""The .ics files parse with the icalendar package into the right UTC instants, carry their
time zone, and keep the venue and the online link for the people allowed to see them."""

import datetime
import zoneinfo

import icalendar
import pytest
from django.urls import reverse

from local4action.events.tests.factories import make_event, make_registration, make_session

pytestmark = pytest.mark.django_db

MADRID = zoneinfo.ZoneInfo("Europe/Madrid")
UTC = datetime.UTC


def madrid_event(month: int, **fields):
    start = datetime.datetime(2031, month, 14, 8, 30, tzinfo=MADRID)
    event = make_event(start_at=start, **fields)
    session = make_session(
        event, minutes_from_start=30, minutes=45, title="Campaign messages", kind="co_creation"
    )
    return event, session


def parse(response) -> icalendar.Calendar:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def vevents(calendar):
    return {str(v["UID"]): v for v in calendar.walk("VEVENT")}


@pytest.mark.parametrize(("month", "utc_hour"), [(1, 8), (7, 7)])
def test_a_nine_oclock_session_in_madrid_is_the_right_utc_instant(client, month, utc_hour):
    event, session = madrid_event(month)

    response = client.get(reverse("events:session_ics", args=[event.slug, session.pk]))

    calendar = parse(response)
    assert response["Content-Disposition"] == (
        f'attachment; filename="{event.slug}-session-{session.pk}.ics"'
    )
    (vevent,) = calendar.walk("VEVENT")
    start, end = vevent["DTSTART"].dt, vevent["DTEND"].dt
    assert start.astimezone(UTC) == datetime.datetime(2031, month, 14, utc_hour, 0, tzinfo=UTC)
    assert end.astimezone(UTC) == datetime.datetime(2031, month, 14, utc_hour, 45, tzinfo=UTC)
    assert (start.hour, start.minute) == (9, 0)
    assert vevent["DTSTART"].params["TZID"] == "Europe/Madrid"
    assert [tz.tz_name for tz in calendar.timezones] == ["Europe/Madrid"]
    assert str(vevent["UID"]) == f"session-{session.pk}@local4action"
    assert "DTSTAMP" in vevent
    assert str(vevent["SUMMARY"]) == f"Campaign messages — {event.title}"
    assert str(vevent["URL"]).endswith(f"/events/{event.slug}/sessions/{session.pk}/")


def test_the_event_file_holds_the_event_and_each_session_with_stable_uids(client):
    event, session = madrid_event(1, description="<p>Two days &amp; <b>three</b> languages</p>")
    other = make_session(event, minutes_from_start=24 * 60, title="Day two")
    url = reverse("events:event_ics", args=[event.slug])

    first = vevents(parse(client.get(url)))
    again = vevents(parse(client.get(url)))

    assert set(first) == {
        f"event-{event.pk}@local4action",
        f"session-{session.pk}@local4action",
        f"session-{other.pk}@local4action",
    }
    assert set(again) == set(first)
    main = first[f"event-{event.pk}@local4action"]
    assert main["DTSTART"].dt.astimezone(UTC) == datetime.datetime(2031, 1, 14, 7, 30, tzinfo=UTC)
    assert main["DTEND"].dt.astimezone(UTC) == datetime.datetime(2031, 1, 16, 7, 30, tzinfo=UTC)
    assert str(main["DESCRIPTION"]) == "Two days & three languages"
    day_two = first[f"session-{other.pk}@local4action"]
    assert day_two["DTSTART"].dt.astimezone(UTC) == datetime.datetime(
        2031, 1, 15, 7, 30, tzinfo=UTC
    )


def test_the_venue_and_online_link_are_only_in_the_participants_file(client, user, other_user):
    event, _session = madrid_event(1)
    make_registration(event, user, status="confirmed")
    make_registration(event, other_user, status="pending")
    url = reverse("events:event_ics", args=[event.slug])

    def main_event():
        return vevents(parse(client.get(url)))[f"event-{event.pk}@local4action"]

    anonymous = main_event()
    assert str(anonymous["LOCATION"]) == "Barcelona, ES"
    assert "meet.example.org" not in client.get(url).content.decode()

    client.force_login(other_user)
    assert "Palau" not in str(main_event()["LOCATION"])

    client.force_login(user)
    accepted = main_event()
    assert str(accepted["LOCATION"]) == "Palau de Congressos, Barcelona, Barcelona, ES"
    assert "https://meet.example.org/l4a" in str(accepted["DESCRIPTION"])


def test_a_hidden_event_has_no_calendar(client, user):
    event, session = madrid_event(1, visibility="invitation")

    client.force_login(user)
    assert client.get(reverse("events:event_ics", args=[event.slug])).status_code == 404
    assert (
        client.get(reverse("events:session_ics", args=[event.slug, session.pk])).status_code == 404
    )


def test_a_session_of_another_event_is_not_found(client):
    event, _session = madrid_event(1)
    _other_event, other_session = madrid_event(7)

    response = client.get(reverse("events:session_ics", args=[event.slug, other_session.pk]))
    assert response.status_code == 404
