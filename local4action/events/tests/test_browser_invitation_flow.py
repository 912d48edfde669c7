"""The issue's "Done when", end to end in a real Chromium: an organizer creates a two-day
invitation-only event in Barcelona with its agenda and invites two people by email; one accepts
the invitation and asks for a travel sponsorship; the organizer grants it; the participant sees
it granted and downloads the event's calendar, whose instants are the Madrid times typed in the
forms. Approval is off, so the invited person is accepted as soon as they register (the
organizer's accept step is covered by test_browser_registering.py)."""

import datetime
import re
import zoneinfo
from urllib.parse import urlsplit

import icalendar
import pytest
from django.core import mail
from django.utils import timezone

from local4action.accounts.tests.factories import UserFactory
from local4action.core.testing import axe_violations, log_in
from local4action.events.models import Event, Invitation, Registration, SponsorshipRequest

pytestmark = pytest.mark.browser

MADRID = zoneinfo.ZoneInfo("Europe/Madrid")
LINK = re.compile(r"https?://\S+/invitations/\S+")


def local(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute))


def typed(moment: datetime.datetime) -> str:
    """A wall-clock time as a datetime-local input takes it."""
    return moment.strftime("%Y-%m-%dT%H:%M")


def utc(moment: datetime.datetime) -> datetime.datetime:
    """The UTC instant of a Madrid wall-clock time."""
    return moment.replace(tzinfo=MADRID).astimezone(datetime.UTC)


def invitation_path(message) -> str:
    """The personal link of an invitation email, on the test server."""
    found = LINK.search(message.body)
    assert found, message.body
    return urlsplit(found.group(0)).path


def add_session(page, *, title, kind, start, end):
    page.locator("#id_title").fill(title)
    page.locator("#id_kind").select_option(kind)
    page.locator("#id_start_at").fill(typed(start))
    page.locator("#id_end_at").fill(typed(end))
    page.locator("#id_language").select_option("en")


def test_invitation_sponsorship_and_calendar(new_page, reference_data):
    organizer = UserFactory(roles={"secretariat"}, name="Olga Serra")
    ana = UserFactory(email="ana@example.org", name="Ana Ruiz")
    # Two days a few months ahead; the expected instants come from zoneinfo, so summer or
    # winter time does not matter.
    first = timezone.localdate() + datetime.timedelta(days=120)
    second = first + datetime.timedelta(days=1)
    event_start, event_end = local(first, 9), local(second, 17, 30)
    sessions = [
        ("Welcome and opening plenary", "welcome", local(first, 9, 30), local(first, 10, 30)),
        ("A billboard for your city", "co_creation", local(second, 14), local(second, 15, 45)),
    ]

    # The organizer creates the event through the form.
    admin = log_in(new_page, organizer)
    admin.get_by_role("link", name="Events", exact=True).click()
    admin.get_by_role("link", name="New event").click()
    admin.locator("#id_title").fill("Localizing the SDGs: Barcelona forum")
    admin.locator("#id_kind").select_option("conference")
    admin.locator("#id_time_zone").select_option("Europe/Madrid")
    admin.locator("#id_start_at").fill(typed(event_start))
    admin.locator("#id_end_at").fill(typed(event_end))
    admin.locator("#id_city").fill("Barcelona")
    admin.locator("#id_country").select_option("ES")
    admin.locator("#id_venue").fill("Palau de Congressos, room 4")
    admin.locator("#id_online_url").fill("https://meet.example.org/barcelona-forum")
    languages = admin.get_by_role("group", name="Languages")
    for language in ("English", "French", "Spanish"):
        languages.get_by_label(language).check()
    admin.locator("#id_visibility").select_option("invitation")
    admin.locator("#id_capacity").fill("100")
    admin.locator("#id_approval_required").uncheck()
    admin.get_by_role("group", name="Questions asked on registration").get_by_label(
        "Your role"
    ).check()
    admin.locator("#id_sponsorship_budget").fill("10")
    admin.get_by_role("button", name="Save").click()
    admin.get_by_text("The event is saved as a draft").wait_for()

    event = Event.objects.get()
    assert event.time_zone == "Europe/Madrid"
    assert (event.start_at, event.end_at) == (utc(event_start), utc(event_end))
    assert event.visibility == "invitation" and event.capacity == 100
    assert sorted(event.languages) == ["en", "es", "fr"]
    assert event.sponsorship_budget == 10 and not event.approval_required

    # Its agenda, over the two days, through the session form.
    admin.get_by_role("link", name="Add a session").click()
    title, kind, start, end = sessions[0]
    add_session(admin, title=title, kind=kind, start=start, end=end)
    admin.get_by_role("button", name="Save and add another").click()
    admin.get_by_text("The session is on the agenda.").wait_for()
    title, kind, start, end = sessions[1]
    add_session(admin, title=title, kind=kind, start=start, end=end)
    admin.get_by_role("button", name="Save", exact=True).click()
    admin.get_by_text("The session is on the agenda.").wait_for()
    assert event.sessions.count() == 2

    admin.get_by_role("button", name="Publish").click()
    admin.get_by_text("The event is published.").wait_for()

    # Two people invited by email; the tasks run inline, so the emails are sent.
    admin.get_by_role("link", name="Invite people").click()
    admin.get_by_label("People to invite").fill(
        "ana@example.org, Ana Ruiz, es\nbruno@example.org, Bruno Martin, fr"
    )
    admin.get_by_role("button", name="Send the invitations").click()
    admin.get_by_text("2 people invited").wait_for()
    assert sorted(message.to[0] for message in mail.outbox) == [
        "ana@example.org",
        "bruno@example.org",
    ]
    to_ana = next(m for m in mail.outbox if m.to == ["ana@example.org"])
    to_bruno = next(m for m in mail.outbox if m.to == ["bruno@example.org"])
    ana_link, bruno_link = invitation_path(to_ana), invitation_path(to_bruno)
    assert ana_link != bruno_link

    # Ana signs in and opens her personal link: the registration form.
    page = log_in(new_page, ana)
    page.goto(ana_link)
    page.get_by_role("heading", name=f"Invitation: {event.title}").wait_for()
    page.get_by_role("button", name="Accept and register").wait_for()
    assert axe_violations(page) == []
    page.get_by_label("Your role").fill("Deputy mayor for international relations")
    page.get_by_role("button", name="Accept and register").click()
    page.wait_for_url(f"**{event.get_absolute_url()}")
    page.get_by_text("your seat is confirmed").wait_for()
    box = page.locator(".registration-box")
    box.get_by_text("You are accepted: see you there.").wait_for()
    # Accepted: she now sees the venue and the online link.
    assert page.get_by_text("Palau de Congressos, room 4").is_visible()
    assert page.get_by_role("link", name="https://meet.example.org/barcelona-forum").is_visible()
    registration = Registration.objects.get(person=ana)
    assert registration.status == "confirmed"
    assert registration.answers["role"] == "Deputy mayor for international relations"
    assert Invitation.objects.get(email="ana@example.org").accepted_by == ana

    # Bruno's link is his: Ana cannot use it, and is told why.
    page.goto(bruno_link)
    page.get_by_text(
        "This invitation was sent to bruno@example.org. Sign in with that address to accept it."
    ).wait_for()
    assert page.get_by_role("button", name="Accept and register").count() == 0
    assert Invitation.objects.get(email="bruno@example.org").accepted_by is None
    assert Registration.objects.filter(event=event).count() == 1

    # She asks for travel support, warned not to book before she is accepted.
    page.goto(event.get_absolute_url())
    page.get_by_role("link", name="Travel and lodging support").click()
    page.get_by_text("Do not book travel before you are accepted.").wait_for()
    assert axe_violations(page) == []
    page.get_by_label("Travel", exact=True).check()
    page.get_by_label("Why do you need this support?").fill(
        "Our city has no budget for international travel this year."
    )
    page.get_by_role("button", name="Send my request").click()
    page.get_by_text("Your request is sent to the organizers.").wait_for()
    assert page.get_by_text("Do not book travel before you are accepted.").first.is_visible()
    sponsorship = SponsorshipRequest.objects.get(registration=registration)
    assert sponsorship.status == "requested" and sponsorship.travel and not sponsorship.lodging

    # The organizer grants it on the participant list.
    admin.goto(event.get_absolute_url())
    admin.get_by_role("link", name="Participants").click()
    admin.get_by_text("Our city has no budget for international travel").wait_for()
    admin.get_by_role("button", name="Grant Ana Ruiz").click()
    admin.get_by_text("The sponsorship of Ana Ruiz is granted.").wait_for()
    sponsorship.refresh_from_db()
    assert sponsorship.status == "granted" and sponsorship.decided_by == organizer

    # Ana sees it granted.
    page.goto("/my/events/")
    page.get_by_text("Sponsorship: Granted").wait_for()

    # And downloads the calendar from the event page.
    page.goto(event.get_absolute_url())
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Add to my calendar (.ics)").click()
    download = download_info.value
    assert download.suggested_filename == f"{event.slug}.ics"
    with open(download.path(), "rb") as file:
        calendar = icalendar.Calendar.from_ical(file.read())

    vevents = {str(v["uid"]): v for v in calendar.walk("VEVENT")}
    assert len(vevents) == 3
    expected = {
        f"event-{event.pk}@local4action": (event.title, event_start, event_end),
        **{
            f"session-{session.pk}@local4action": (session.title, start, end)
            for session, (_title, _kind, start, end) in zip(
                event.sessions.order_by("start_at"), sessions, strict=True
            )
        },
    }
    for uid, (summary, start, end) in expected.items():
        vevent = vevents[uid]
        assert str(vevent["summary"]).startswith(summary)
        assert vevent["dtstart"].params["TZID"] == "Europe/Madrid"
        assert vevent["dtstart"].dt.astimezone(datetime.UTC) == utc(start), uid
        assert vevent["dtend"].dt.astimezone(datetime.UTC) == utc(end), uid
    # An accepted participant's calendar carries the venue and the online link.
    main = vevents[f"event-{event.pk}@local4action"]
    assert "Palau de Congressos, room 4" in str(main["location"])
    assert "https://meet.example.org/barcelona-forum" in str(main["description"])
    assert [str(zone["tzid"]) for zone in calendar.walk("VTIMEZONE")] == ["Europe/Madrid"]
