"""The event pages: who sees which event, what the page tells each person, times in the event's
zone or the visitor's, the printable agenda, and the pages' query counts."""

import datetime
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from local4action.accounts.tests.factories import MembershipFactory, UserFactory
from local4action.core.models import Goal
from local4action.core.testing import assert_queries_constant
from local4action.events.models import Invitation, Speaker
from local4action.events.tests.factories import make_event, make_registration, make_session

pytestmark = pytest.mark.django_db

MADRID = zoneinfo.ZoneInfo("Europe/Madrid")
WINTER_NINE = datetime.datetime(2031, 1, 14, 9, 0, tzinfo=MADRID)


def html(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def detail(event):
    return reverse("events:detail", args=[event.slug])


# Listing and visibility ------------------------------------------------------------------------


def test_the_list_shows_upcoming_and_past_events_visible_to_the_visitor(client, secretariat):
    upcoming = make_event(title="Barcelona forum", start_at=WINTER_NINE)
    past = make_event(
        title="Seminar week 2020", start_at=datetime.datetime(2020, 5, 4, 9, tzinfo=MADRID)
    )
    make_event(title="Members only meeting", visibility="members")
    make_event(title="Closed circle", visibility="invitation")
    make_event(title="Unpublished draft", published=False)

    page = html(client.get(reverse("events:list")))

    assert "Barcelona forum" in page and "Seminar week 2020" in page
    assert page.index("Upcoming events") < page.index(upcoming.title) < page.index("Past events")
    assert page.index("Past events") < page.index(past.title)
    assert "Jan. 14, 2031, 9 a.m." in page and "(Europe/Madrid)" in page
    for hidden in ("Members only meeting", "Closed circle", "Unpublished draft", "New event"):
        assert hidden not in page

    client.force_login(secretariat)
    page = html(client.get(reverse("events:list")))
    assert "New event" in page and "Unpublished draft" in page


def test_members_only_events_are_hidden_from_people_outside_the_network(client, user):
    event = make_event(visibility="members")
    assert client.get(detail(event)).status_code == 404
    client.force_login(user)
    assert client.get(detail(event)).status_code == 404
    assert client.get(reverse("events:agenda", args=[event.slug])).status_code == 404

    member = MembershipFactory(role="member").user
    client.force_login(member)
    assert client.get(detail(event)).status_code == 200


def test_invitation_only_events_are_hidden_from_people_not_invited(client, user, other_user):
    event = make_event(visibility="invitation")
    Invitation.objects.create(event=event, email=user.email, token_hash="x" * 64)

    client.force_login(other_user)
    assert client.get(detail(event)).status_code == 404
    client.force_login(user)
    page = html(client.get(detail(event)))
    assert "register with the personal link in your invitation" in page


def test_an_unpublished_event_is_seen_only_by_its_organizers(client, organization, org_editor):
    event = make_event(published=False, organizers=[organization])
    assert client.get(detail(event)).status_code == 404
    client.force_login(org_editor)
    assert "Draft: not published" in html(client.get(detail(event)))


# What the page shows ---------------------------------------------------------------------------


def test_the_page_shows_the_event_in_its_own_time_zone(client, organization):
    goal = Goal.objects.get(number=11)
    event = make_event(
        start_at=WINTER_NINE,
        organizers=[organization],
        description="<p>Three <strong>languages</strong><script>alert(1)</script></p>",
    )
    event.goals.set([goal])

    page = html(client.get(detail(event)))

    assert event.title in page and organization.name in page
    assert "Jan. 14, 2031, 9 a.m." in page and "Jan. 16, 2031, 9 a.m." in page
    assert "(Europe/Madrid)" in page
    assert "Barcelona, Spain" in page
    assert "English, French, Spanish" in page
    assert "100 seats" in page and "100 left" in page
    assert "<strong>languages</strong>" in page and "alert(1)" not in page
    assert goal.get_absolute_url() in page


@pytest.mark.parametrize(
    ("query", "shown", "zone"),
    [
        ("", "09:00", "Europe/Madrid"),
        ("?tz=mine", "03:00", "America/New_York"),
        ("?tz=Asia/Tokyo", "17:00", "Asia/Tokyo"),
        ("?tz=Not/A_Zone", "09:00", "Europe/Madrid"),
        ("?tz=<script>", "09:00", "Europe/Madrid"),
    ],
)
def test_times_can_be_shown_in_the_visitors_zone(client, query, shown, zone):
    person = UserFactory(time_zone="America/New_York")
    event = make_event(start_at=WINTER_NINE - datetime.timedelta(hours=1))
    make_session(event, minutes_from_start=60, minutes=30)
    client.force_login(person)

    for name in ("events:detail", "events:agenda"):
        page = html(client.get(reverse(name, args=[event.slug]) + query))
        assert f">{shown}</time>" in page, name
        assert zone in page
        if zone != "Europe/Madrid":
            assert "Times are shown in your time zone" in page
        else:
            assert "time zone: Europe/Madrid." in page


def test_anonymous_visitors_asking_for_their_zone_keep_the_event_zone(client):
    event = make_event(start_at=WINTER_NINE)
    make_session(event)
    page = html(client.get(detail(event) + "?tz=mine"))
    assert ">09:00</time>" in page
    # The link is marked for static/js/app.js, which offers the browser's zone instead.
    assert 'id="tz-mine" data-browser-zone' in html(client.get(detail(event)))


def test_venue_and_online_link_are_shown_only_to_accepted_people(client, organization, org_admin):
    event = make_event(organizers=[organization])
    pending, accepted = UserFactory(), UserFactory()
    make_registration(event, pending, status="pending")
    make_registration(event, accepted, status="confirmed")

    for person in (None, UserFactory(), pending):
        if person:
            client.force_login(person)
        page = html(client.get(detail(event)))
        assert "Palau de Congressos" not in page
        assert "meet.example.org" not in page

    for person in (accepted, org_admin):
        client.force_login(person)
        page = html(client.get(detail(event)))
        assert "Palau de Congressos" in page
        assert "https://meet.example.org/l4a" in page


def test_the_registration_box_follows_the_persons_status(client, user):
    event = make_event(capacity=1, approval_required=True)
    make_registration(event, UserFactory(), status="waitlisted")
    reg_url = reverse("events:register", args=[event.slug])
    cancel_url = reverse("events:cancel", args=[event.slug])

    page = html(client.get(detail(event)))
    assert "Log in to register" in page

    client.force_login(user)
    page = html(client.get(detail(event)))
    assert reg_url in page and "Express your interest" in page
    assert "Do not book travel or lodging before the organizers have accepted you." in page

    registration = make_registration(event, user, status="waitlisted")
    page = html(client.get(detail(event)))
    assert "in position 2" in page
    assert cancel_url in page
    assert "Do not book travel" in page

    registration.status = "confirmed"
    registration.save()
    page = html(client.get(detail(event)))
    assert "You are accepted" in page and cancel_url in page
    assert "Do not book travel" not in page

    registration.status = "declined"
    registration.save()
    page = html(client.get(detail(event)))
    assert "declined your registration" in page and cancel_url not in page


def test_sponsorship_link_appears_when_the_event_offers_sponsorships(client, user):
    event = make_event(sponsorship_budget=5)
    make_registration(event, user, status="pending")
    client.force_login(user)
    assert reverse("events:sponsorship", args=[event.slug]) in html(client.get(detail(event)))


def test_the_agenda_flags_overlapping_sessions(client):
    event = make_event(start_at=WINTER_NINE)
    first = make_session(event, minutes=60, title="Panel on finance", kind="panel")
    make_session(event, minutes_from_start=30, minutes=60, title="Parallel workshop")
    make_session(event, minutes_from_start=120, minutes=30, title="Coffee", kind="break")
    make_session(event, minutes_from_start=24 * 60, title="Day two opening")
    first.language, first.interpretation, first.streamed = "es", ["en", "fr"], True
    first.save()
    Speaker.objects.create(session=first, name="Ana Pérez", organization="AICCRE")

    page = html(client.get(reverse("events:agenda", args=[event.slug])))

    assert page.count("Overlaps another session") == 2
    assert "Tuesday 14 January 2031" in page and "Wednesday 15 January 2031" in page
    assert page.index("Tuesday 14 January") < page.index("Coffee") < page.index("Wednesday")
    assert "In Spanish" in page and "Interpretation into English, French" in page
    assert "Streamed" in page and "Ana Pérez (AICCRE)" in page
    assert "Panel" in page and "Break" in page
    assert 'class="no-print"' in page


def test_organizer_tools_are_shown_to_the_organizers_only(client, organization, org_editor):
    event = make_event(organizers=[organization])
    tools = [
        reverse("events:edit", args=[event.slug]),
        reverse("events:session_add", args=[event.slug]),
        reverse("events:participants", args=[event.slug]),
        reverse("events:invite", args=[event.slug]),
        reverse("events:check_in", args=[event.slug]),
        reverse("events:publish", args=[event.slug]),
    ]
    client.force_login(UserFactory())
    page = html(client.get(detail(event)))
    assert not any(url in page for url in tools)

    client.force_login(org_editor)
    page = html(client.get(detail(event)))
    assert all(url in page for url in tools)
    # The feedback survey is the secretariat's, after the end.
    assert reverse("events:feedback", args=[event.slug]) not in page


def test_the_parent_seminar_and_its_working_sessions_link_each_other(client):
    seminar = make_event(title="Seminar week", kind="seminar")
    child = make_event(title="Working session on data", kind="working_session", parent=seminar)
    make_event(title="Hidden session", parent=seminar, published=False)

    page = html(client.get(detail(seminar)))
    assert child.title in page and "Hidden session" not in page
    assert seminar.get_absolute_url() in html(client.get(detail(child)))


def test_the_session_page_links_to_its_board_and_calendar(client):
    event = make_event()
    session = make_session(event, kind="co_creation", title="Billboards", prompt="Your city")
    page = html(client.get(reverse("events:session", args=[event.slug, session.pk])))
    assert "Your city" in page
    assert reverse("events:board", args=[event.slug, session.pk]) in page
    assert reverse("events:session_ics", args=[event.slug, session.pk]) in page


# Summary and feedback --------------------------------------------------------------------------


def test_the_rapporteur_publishes_the_summary_on_the_event_page(client, user, other_user):
    event = make_event()
    rapporteur = make_session(event, kind="rapporteur", title="Rapporteur")
    Speaker.objects.create(session=rapporteur, user=user)
    url = reverse("events:summary", args=[event.slug])

    client.force_login(other_user)
    assert client.get(url).status_code == 403
    assert client.post(url, {"summary": "Mine"}).status_code == 403

    client.force_login(user)
    response = client.post(url, {"summary": "", "guidelines": ""})
    assert "This field is required." in html(response)
    response = client.post(url, {"summary": "<p>Data matters</p>", "guidelines": "Share it"})
    assert response.status_code == 302

    client.logout()
    page = html(client.get(detail(event)))
    assert "Summary of trends" in page and "Data matters" in page and "Share it" in page


def test_the_secretariat_sends_the_feedback_survey_after_the_event(
    client, secretariat, organization, org_editor
):
    event = make_event(
        start_at=timezone.now() - datetime.timedelta(days=3), organizers=[organization]
    )
    participant = UserFactory()
    make_registration(event, participant)
    url = reverse("events:feedback", args=[event.slug])

    client.force_login(org_editor)
    assert client.post(url).status_code == 403

    client.force_login(secretariat)
    assert url in html(client.get(detail(event)))
    assert client.get(url).status_code == 405
    response = client.post(url, follow=True)
    event.refresh_from_db()
    assert "The feedback survey is sent to the participants" in html(response)
    assert event.feedback_survey.get_absolute_url() in html(response)

    response = client.post(url, follow=True)
    assert "already been sent" in html(response)

    client.force_login(participant)
    page = html(client.get(detail(event)))
    assert "Give your feedback on the event" in page


# Links from elsewhere --------------------------------------------------------------------------


def test_sdg_goal_pages_list_public_events(client):
    goal = Goal.objects.get(number=5)
    shown = make_event(title="Women in local politics")
    hidden = make_event(title="Closed meeting on gender", visibility="invitation")
    for event in (shown, hidden):
        event.goals.set([goal])

    page = html(client.get(goal.get_absolute_url()))
    assert "Women in local politics" in page and "Closed meeting on gender" not in page


def test_the_main_navigation_links_to_events(client):
    assert reverse("events:list") in html(client.get(reverse("core:goals")))


# Query counts ----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["anonymous", "organizer", "participant"])
def test_the_event_page_query_count_does_not_grow(client, organization, org_admin, who):
    event = make_event(organizers=[organization], capacity=None, sponsorship_budget=3)
    if who == "organizer":
        client.force_login(org_admin)
    elif who == "participant":
        person = UserFactory()
        make_registration(event, person)
        client.force_login(person)

    def add_rows(count):
        for index in range(count):
            session = make_session(event, minutes_from_start=index * 10, title=f"S{index}")
            Speaker.objects.create(session=session, user=UserFactory(), organization="X")
            Speaker.objects.create(session=session, name="Free text")
            make_registration(event, UserFactory(), status="confirmed")
            make_registration(event, UserFactory(), status="waitlisted")

    assert_queries_constant(client, detail(event), add_rows)
    assert_queries_constant(client, reverse("events:agenda", args=[event.slug]), add_rows)
    assert_queries_constant(client, reverse("events:event_ics", args=[event.slug]), add_rows)


def test_the_list_query_count_does_not_grow(client, organization):
    def add_rows(count):
        for _index in range(count):
            make_event(organizers=[organization])
            make_event(start_at=timezone.now() - datetime.timedelta(days=30))

    assert_queries_constant(client, reverse("events:list"), add_rows)


def test_the_admin_shows_events_and_invitations_without_their_secret(client, user):
    admin = UserFactory(is_staff=True, is_superuser=True)
    event = make_event()
    make_session(event, title="Opening plenary")
    make_registration(event, user)
    invitation = Invitation.objects.create(event=event, email=user.email, token_hash="f" * 64)
    client.force_login(admin)

    page = html(client.get(reverse("admin:events_event_change", args=[event.pk])))
    assert "Opening plenary" in page
    page = html(client.get(reverse("admin:events_invitation_change", args=[invitation.pk])))
    assert user.email in page and "f" * 64 not in page
    for model in ("event", "registration", "invitation", "sponsorshiprequest", "idea"):
        html(client.get(reverse(f"admin:events_{model}_changelist")))
