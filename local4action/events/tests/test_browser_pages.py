"""An organizer creates an event and its agenda through the forms in a real Chromium, sees the
agenda, and every page on the way passes axe."""

import datetime

import pytest

from local4action.accounts.tests.factories import UserFactory
from local4action.core.testing import axe_violations, log_in
from local4action.events.models import Event

pytestmark = pytest.mark.browser


def add_session(page, *, title, kind, start, end, speaker=""):
    page.locator("#id_title").fill(title)
    page.locator("#id_kind").select_option(kind)
    page.locator("#id_start_at").fill(start)
    page.locator("#id_end_at").fill(end)
    page.locator("#id_language").select_option("en")
    if speaker:
        page.locator("#id_speaker_0_name").fill(speaker)
        page.locator("#id_speaker_0_organization").fill("City of Bilbao")


def test_an_organizer_builds_an_event_and_its_agenda(new_page, reference_data):
    organizer = UserFactory(roles={"secretariat"}, time_zone="America/New_York")
    page = log_in(new_page, organizer)

    page.get_by_role("link", name="Events", exact=True).click()
    page.get_by_role("link", name="New event").click()
    assert axe_violations(page) == []
    page.locator("#id_title").fill("Local action forum")
    page.locator("#id_kind").select_option("conference")
    page.locator("#id_time_zone").select_option("Europe/Madrid")
    page.locator("#id_start_at").fill("2031-01-14T09:00")
    page.locator("#id_end_at").fill("2031-01-15T18:00")
    page.locator("#id_city").fill("Barcelona")
    page.locator("#id_country").select_option("ES")
    page.locator("#id_venue").fill("Palau de Congressos")
    page.locator("#id_visibility").select_option("invitation")
    page.locator("#id_capacity").fill("100")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("The event is saved as a draft").wait_for()

    event = Event.objects.get()
    assert event.start_at == datetime.datetime(2031, 1, 14, 8, 0, tzinfo=datetime.UTC)
    assert page.get_by_text("Times are in the event's time zone: Europe/Madrid.").is_visible()
    assert page.get_by_text("Palau de Congressos").is_visible()
    assert axe_violations(page) == []

    page.get_by_role("link", name="Add a session").click()
    add_session(
        page,
        title="Welcome and opening",
        kind="welcome",
        start="2031-01-14T09:00",
        end="2031-01-14T09:30",
        speaker="Ana Pérez",
    )
    assert axe_violations(page) == []
    page.get_by_role("button", name="Save and add another").click()
    page.get_by_text("The session is on the agenda.").wait_for()
    # A session ending outside the event is refused with the reason, beside the field.
    add_session(
        page,
        title="Campaign billboards",
        kind="co_creation",
        start="2031-01-15T17:30",
        end="2031-01-15T19:00",
    )
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("The session must take place between the start and the end").wait_for()
    assert axe_violations(page) == []
    page.locator("#id_start_at").fill("2031-01-15T10:00")
    page.locator("#id_end_at").fill("2031-01-15T10:45")
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("The session is on the agenda.").wait_for()

    page.get_by_role("button", name="Publish").click()
    page.get_by_text("The event is published.").wait_for()
    agenda = page.locator("#agenda-heading").locator("..")
    assert agenda.get_by_text("Tuesday 14 January 2031").is_visible()
    assert agenda.get_by_text("Wednesday 15 January 2031").is_visible()
    assert agenda.get_by_text("09:00–09:30").is_visible()
    assert agenda.get_by_text("Ana Pérez (City of Bilbao)").is_visible()

    # The organizer's own zone: New York is six hours behind Madrid in January.
    page.get_by_role("link", name="Show in my time zone").first.click()
    page.get_by_text("Times are shown in your time zone: America/New_York.").wait_for()
    assert agenda.get_by_text("03:00–03:30").is_visible()

    page.get_by_role("link", name="Printable agenda").click()
    page.get_by_role("heading", name="Agenda: Local action forum").wait_for()
    assert page.get_by_text("Campaign billboards").is_visible()
    assert axe_violations(page) == []
    page.emulate_media(media="print")
    assert not page.locator(".main-nav").is_visible()
    assert event.sessions.count() == 2


def test_an_anonymous_visitor_sees_times_in_the_browser_zone(new_page, reference_data):
    from local4action.events.tests.factories import make_event, make_session

    event = make_event(start_at=datetime.datetime(2031, 1, 14, 8, 0, tzinfo=datetime.UTC))
    make_session(event, minutes=45, title="Opening")
    page = new_page(timezone_id="Asia/Tokyo")

    page.goto(f"/events/{event.slug}/")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Show in my time zone").click()
    page.get_by_text("Times are shown in your time zone: Asia/Tokyo.").wait_for()
    assert page.get_by_text("17:00–17:45").is_visible()
