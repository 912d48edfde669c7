"""The events API: who sees which event and its access details, the caller's own registrations,
co-creation boards; bad input refused with clear JSON (never a 500), nothing changed."""

import datetime
import json

import pytest
from django.utils import timezone

from local4action.accounts.tests.factories import MembershipFactory, UserFactory
from local4action.core.testing import assert_queries_constant, bearer
from local4action.events import services
from local4action.events.models import Idea, Invitation, Registration, Speaker, Vote
from local4action.events.tests.factories import (
    make_event,
    make_idea,
    make_registration,
    make_session,
)

JSON = "application/json"


def post(client, url, body=None, **headers):
    return client.post(url, json.dumps(body or {}), content_type=JSON, **headers)


@pytest.fixture
def event(organization):
    return make_event(slug="barcelona", organizers=[organization], questions=["role"])


@pytest.fixture
def participant(event, user):
    make_registration(event, user)
    return user


@pytest.fixture
def board(event):
    return make_session(
        event, title="Billboards", kind="co_creation", prompt="Imagine", board_open=True
    )


# Events --------------------------------------------------------------------------------------


def test_anybody_lists_public_upcoming_events_and_past_ones_on_request(client, event):
    past_start = timezone.now() - datetime.timedelta(days=20)
    past = make_event(slug="seminar-week", start_at=past_start, kind="seminar")
    make_event(slug="working-session", start_at=past_start, parent=past)
    make_event(slug="draft", published=False)
    make_event(slug="members-only", visibility="members")
    make_event(slug="by-invitation", visibility="invitation")

    upcoming = client.get("/api/v1/events").json()
    over = client.get("/api/v1/events?past=true").json()

    assert [e["slug"] for e in upcoming["results"]] == ["barcelona"]
    assert upcoming["count"] == 1 and upcoming["page"] == 1 and upcoming["pages"] == 1
    # Working sessions are parts of their seminar, not listed on their own.
    assert [e["slug"] for e in over["results"]] == ["seminar-week"]
    first = upcoming["results"][0]
    assert first["time_zone"] == "Europe/Madrid"
    assert first["organizers"][0]["slug"] == event.organizers.get().slug
    assert first["url"].endswith("/events/barcelona/")


def test_members_see_members_events_and_invited_people_their_invitation(client, event):
    make_event(slug="members-only", visibility="members")
    invited = make_event(slug="by-invitation", visibility="invitation")
    member = MembershipFactory().user
    guest = UserFactory()
    Invitation.objects.create(event=invited, email=guest.email, token_hash="x" * 64)

    as_member = client.get("/api/v1/events", **bearer(member)).json()
    as_guest = client.get("/api/v1/events", **bearer(guest)).json()

    assert {e["slug"] for e in as_member["results"]} == {"barcelona", "members-only"}
    assert {e["slug"] for e in as_guest["results"]} == {"barcelona", "by-invitation"}


def test_the_event_list_takes_the_same_queries_for_few_and_many_events(client, organization):
    def add(n):
        for _ in range(n):
            make_event(organizers=[organization])

    assert_queries_constant(client, "/api/v1/events", add)


def test_the_event_list_is_paginated(client, db):
    for number in range(55):
        make_event(slug=f"event-{number:02}")

    first = client.get("/api/v1/events").json()
    second = client.get("/api/v1/events?page=2").json()

    assert first["count"] == 55 and first["pages"] == 2
    assert len(first["results"]) == 50 and len(second["results"]) == 5


def test_an_event_gives_utc_times_with_its_zone_and_hides_access_details(client, event):
    body = client.get("/api/v1/events/barcelona").json()

    start = datetime.datetime.fromisoformat(body["start_at"].replace("Z", "+00:00"))
    assert start == event.start_at and start.utcoffset() == datetime.timedelta(0)
    assert body["start_at"].endswith(("Z", "+00:00"))
    assert body["time_zone"] == "Europe/Madrid"
    assert body["venue"] is None and body["online_url"] is None
    assert body["registration_open"] is True and body["seats_left"] == 100
    assert body["questions"] == ["role"]


def test_accepted_participants_and_organizers_see_the_venue_and_the_link(
    client, event, participant, org_admin, other_user
):
    waiting = other_user
    make_registration(event, waiting, status="waitlisted")

    for person, shown in ((participant, True), (org_admin, True), (waiting, False)):
        body = client.get("/api/v1/events/barcelona", **bearer(person)).json()
        assert (body["venue"] == event.venue) is shown
        assert (body["online_url"] == event.online_url) is shown


def test_the_summary_shows_only_once_published(client, event, org_admin):
    event.summary, event.guidelines = "<p>Draft</p>", "<p>Rules</p>"
    event.save()
    assert client.get("/api/v1/events/barcelona").json()["summary"] == ""

    services.summary_publish(actor=org_admin, event=event, summary="<p>Trends</p>")

    assert client.get("/api/v1/events/barcelona").json()["summary"] == "<p>Trends</p>"


def test_hidden_and_unknown_events_are_not_found(client, user):
    make_event(slug="draft", published=False)
    make_event(slug="by-invitation", visibility="invitation")

    for slug in ("draft", "by-invitation", "nothing-here"):
        assert client.get(f"/api/v1/events/{slug}", **bearer(user)).status_code == 404
        assert client.get(f"/api/v1/events/{slug}/sessions").status_code == 404


def test_the_agenda_lists_sessions_with_speakers_and_flags_overlaps(client, event, user):
    welcome = make_session(event, minutes=15, title="Welcome")
    panel = make_session(event, minutes_from_start=30, minutes=60, kind="panel", title="Panel")
    parallel = make_session(event, minutes_from_start=60, minutes=30, kind="panel", title="B")
    Speaker.objects.create(session=panel, name="Ada Colau", organization="Barcelona")
    Speaker.objects.create(session=panel, user=user, position=1)
    panel.interpretation = ["fr", "es"]
    panel.streamed = True
    panel.save()

    body = client.get("/api/v1/events/barcelona/sessions").json()

    assert body["time_zone"] == "Europe/Madrid"
    sessions = {s["id"]: s for s in body["sessions"]}
    assert [s["id"] for s in body["sessions"]] == [welcome.pk, panel.pk, parallel.pk]
    assert not sessions[welcome.pk]["overlaps"]
    assert sessions[panel.pk]["overlaps"] and sessions[parallel.pk]["overlaps"]
    assert sessions[panel.pk]["speakers"] == [
        {"name": "Ada Colau", "organization": "Barcelona"},
        {"name": user.get_full_name() or user.email, "organization": ""},
    ]
    assert sessions[panel.pk]["interpretation"] == ["fr", "es"]
    assert sessions[panel.pk]["streamed"] is True


# Registrations -------------------------------------------------------------------------------


def test_registering_takes_a_free_seat(client, event, user):
    response = post(
        client,
        "/api/v1/events/barcelona/registrations",
        {"answers": {"role": "Mayor"}},
        **bearer(user),
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "confirmed" and body["waitlist_position"] is None
    assert body["event"] == "barcelona" and body["answers"] == {"role": "Mayor"}
    assert Registration.objects.get(event=event, person=user).status == "confirmed"


def test_when_full_the_registration_goes_on_the_waiting_list_with_its_place(client, user):
    make_event(slug="small", capacity=1, approval_required=False)
    post(client, "/api/v1/events/small/registrations", {}, **bearer(UserFactory()))
    post(client, "/api/v1/events/small/registrations", {}, **bearer(UserFactory()))

    body = post(client, "/api/v1/events/small/registrations", {}, **bearer(user)).json()

    assert body["status"] == "waitlisted" and body["waitlist_position"] == 2


def test_with_approval_the_registration_waits_for_the_organizers(client, user):
    make_event(slug="approved", approval_required=True)

    body = post(client, "/api/v1/events/approved/registrations", {}, **bearer(user)).json()

    assert body["status"] == "pending"


def test_registration_after_closing_is_refused_and_nothing_is_created(client, event, user):
    event.registration_closes_at = timezone.now() - datetime.timedelta(hours=1)
    event.save()

    response = post(
        client,
        "/api/v1/events/barcelona/registrations",
        {"answers": {"role": "Mayor"}},
        **bearer(user),
    )

    assert response.status_code == 400
    assert response.json()["detail"] == ["Registration for this event is closed."]
    assert not Registration.objects.exists()


def test_a_second_registration_is_refused_and_the_first_is_unchanged(client, event, user):
    headers = bearer(user)
    post(
        client, "/api/v1/events/barcelona/registrations", {"answers": {"role": "Mayor"}}, **headers
    )

    response = post(
        client, "/api/v1/events/barcelona/registrations", {"answers": {"role": "Other"}}, **headers
    )

    assert response.status_code == 400
    assert response.json()["detail"] == ["You are already registered for this event."]
    assert Registration.objects.get().answers == {"role": "Mayor"}


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ({}, "role"),  # required
        ({"role": "x" * 501}, "role"),
        ({"role": ["a list"]}, "role"),
        ({"role": "Mayor", "dietary": "vegan"}, "dietary"),  # not asked
    ],
)
def test_invalid_answers_are_refused_by_field(client, event, user, answers, field):
    response = post(
        client, "/api/v1/events/barcelona/registrations", {"answers": answers}, **bearer(user)
    )

    assert response.status_code == 400
    assert field in response.json()["fields"]
    assert not Registration.objects.exists()


def test_answers_of_the_wrong_shape_and_bad_attendance_are_refused(client, user):
    make_event(slug="asks", questions=["languages", "attendance"])
    url = "/api/v1/events/asks/registrations"
    headers = bearer(user)

    languages = post(client, url, {"answers": {"languages": 5, "attendance": "remote"}}, **headers)
    attendance = post(client, url, {"answers": {"attendance": "teleport"}}, **headers)
    not_an_object = post(client, url, {"answers": ["role"]}, **headers)

    assert languages.status_code == 400 and "languages" in languages.json()["fields"]
    assert attendance.status_code == 400 and "attendance" in attendance.json()["fields"]
    assert not_an_object.status_code == 422
    assert not Registration.objects.exists()


def test_registering_needs_a_token_and_a_visible_event(client, user):
    make_event(slug="draft", published=False)

    anonymous = post(client, "/api/v1/events/draft/registrations", {})
    hidden = post(client, "/api/v1/events/draft/registrations", {}, **bearer(user))

    assert anonymous.status_code == 401
    assert hidden.status_code == 404
    assert not Registration.objects.exists()


def test_invitation_only_events_need_the_personal_invitation(client, organization, org_admin):
    invited = make_event(slug="by-invitation", visibility="invitation", organizers=[organization])
    guest, stranger = UserFactory(), UserFactory()
    token = "secret-token"
    Invitation.objects.create(
        event=invited,
        email=guest.email,
        token_hash=services.token_hash(token),
        invited_by=org_admin,
    )
    url = "/api/v1/events/by-invitation/registrations"

    without = post(client, url, {}, **bearer(guest))
    other_person = post(client, url, {"invitation": token}, **bearer(stranger))
    accepted = post(client, url, {"invitation": token}, **bearer(guest))
    twice = post(client, url, {"invitation": token}, **bearer(guest))

    assert without.status_code == 400 and "invitation" in without.json()["detail"][0]
    assert other_person.status_code == 400
    assert accepted.status_code == 201 and accepted.json()["status"] == "confirmed"
    assert twice.status_code == 400
    assert list(Registration.objects.values_list("person", flat=True)) == [guest.pk]


def test_an_invitation_link_for_another_event_or_a_wrong_one_is_refused(client, event, user):
    other = make_event(slug="by-invitation", visibility="invitation")
    Invitation.objects.create(event=other, email=user.email, token_hash=services.token_hash("t"))
    url = "/api/v1/events/barcelona/registrations"

    elsewhere = post(client, url, {"invitation": "t", "answers": {"role": "Mayor"}}, **bearer(user))
    wrong = post(client, url, {"invitation": "nope", "answers": {"role": "Mayor"}}, **bearer(user))

    assert elsewhere.status_code == 400
    assert elsewhere.json()["detail"] == ["This invitation is for another event."]
    assert wrong.status_code == 400 and "not valid" in wrong.json()["detail"][0]
    assert not Registration.objects.exists()


def test_my_registrations_lists_only_mine_with_waitlist_places(client, event, user, other_user):
    small = make_event(slug="small", capacity=1)
    make_registration(small, other_user)
    make_registration(small, user, status="waitlisted")
    make_registration(event, user)
    make_registration(make_event(slug="elsewhere"), other_user)

    response = client.get("/api/v1/events/registrations/mine", **bearer(user))

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    places = {r["event"]: (r["status"], r["waitlist_position"]) for r in body["results"]}
    assert places == {"barcelona": ("confirmed", None), "small": ("waitlisted", 1)}
    assert client.get("/api/v1/events/registrations/mine").status_code == 401


def test_cancelling_frees_the_seat_for_the_first_on_the_waiting_list(client, user, other_user):
    small = make_event(slug="small", capacity=1)
    make_registration(small, user)
    waiting = make_registration(small, other_user, status="waitlisted")

    response = post(client, "/api/v1/events/small/registrations/cancel", **bearer(user))

    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"


def test_cancelling_without_a_registration_or_twice_is_refused(client, event, user):
    url = "/api/v1/events/barcelona/registrations/cancel"
    headers = bearer(user)

    none = post(client, url, **headers)
    make_registration(event, user)
    first = post(client, url, **headers)
    again = post(client, url, **headers)

    assert none.status_code == 400
    assert none.json()["detail"] == ["You are not registered for this event."]
    assert first.status_code == 200
    assert again.status_code == 400
    assert again.json()["detail"] == ["This registration is not active."]


# Co-creation boards --------------------------------------------------------------------------


def test_the_board_lists_ideas_most_voted_first_with_my_votes(
    client, event, board, participant, other_user
):
    make_registration(event, other_user)
    quiet = make_idea(board, participant, "Walk to school")
    loud = make_idea(board, other_user, "A city of trees")
    services.idea_vote(actor=participant, idea=loud)

    response = client.get(
        f"/api/v1/events/barcelona/sessions/{board.pk}/ideas", **bearer(participant)
    )

    ideas = response.json()
    assert [i["id"] for i in ideas] == [loud.pk, quiet.pk]
    assert ideas[0]["votes"] == 1 and ideas[0]["voted"] and not ideas[0]["mine"]
    assert ideas[1]["mine"] and not ideas[1]["voted"]


def test_merged_ideas_are_left_off_the_board(client, event, board, participant, org_admin):
    kept = make_idea(board, participant, "A city of trees")
    duplicate = make_idea(board, participant, "Trees everywhere")
    services.idea_merge(actor=org_admin, idea=duplicate, into=kept)

    ideas = client.get(f"/api/v1/events/barcelona/sessions/{board.pk}/ideas").json()

    assert [i["id"] for i in ideas] == [kept.pk]


def test_only_co_creation_sessions_of_visible_events_have_a_board(client, event, user):
    panel = make_session(event, kind="panel", title="Panel")
    draft = make_event(slug="draft", published=False)
    hidden_board = make_session(draft, kind="co_creation", title="Hidden")

    assert client.get(f"/api/v1/events/barcelona/sessions/{panel.pk}/ideas").status_code == 404
    assert client.get(f"/api/v1/events/barcelona/sessions/{10**12}/ideas").status_code == 404
    assert client.get(f"/api/v1/events/draft/sessions/{hidden_board.pk}/ideas").status_code == 404
    # A session of another event, under this one's address.
    assert (
        client.get(f"/api/v1/events/barcelona/sessions/{hidden_board.pk}/ideas").status_code == 404
    )


def test_participants_post_ideas(client, board, participant):
    response = post(
        client,
        f"/api/v1/events/barcelona/sessions/{board.pk}/ideas",
        {"text": "  A city  that walks ", "city": "Bilbao"},
        **bearer(participant),
    )

    assert response.status_code == 201
    body = response.json()
    assert body["text"] == "A city that walks" and body["city"] == "Bilbao"
    assert body["mine"] and body["votes"] == 0
    assert Idea.objects.get().author == participant


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("<script>alert(1)</script>", "HTML tags"),
        ("x" * 10_000, "at most 280 characters"),
        ("   ", "Write your idea first."),
    ],
)
def test_bad_ideas_are_refused_and_nothing_is_posted(client, board, participant, text, message):
    response = post(
        client,
        f"/api/v1/events/barcelona/sessions/{board.pk}/ideas",
        {"text": text},
        **bearer(participant),
    )

    assert response.status_code == 400
    assert message in response.json()["fields"]["text"][0]
    assert not Idea.objects.exists()


def test_ideas_need_an_open_board_and_an_accepted_participant(client, event, board, user):
    url = f"/api/v1/events/barcelona/sessions/{board.pk}/ideas"

    stranger = post(client, url, {"text": "Hello"}, **bearer(user))
    make_registration(event, user)
    board.board_open = False
    board.save()
    closed = post(client, url, {"text": "Hello"}, **bearer(user))
    missing = post(client, url, {}, **bearer(user))

    assert stranger.status_code == 403
    assert closed.status_code == 400
    assert closed.json()["detail"] == ["The board is closed: ideas can no longer be posted."]
    assert missing.status_code == 422
    assert not Idea.objects.exists()


def test_voting_once_and_taking_the_vote_back(client, event, board, participant, other_user):
    idea = make_idea(board, other_user, "A city of trees")
    url = f"/api/v1/events/barcelona/ideas/{idea.pk}/vote"
    headers = bearer(participant)

    voted = post(client, url, **headers)
    twice = post(client, url, **headers)
    assert voted.status_code == 200 and voted.json()["votes"] == 1 and voted.json()["voted"]
    assert twice.status_code == 400
    assert twice.json()["detail"] == ["You have already voted for this idea."]
    assert Vote.objects.count() == 1

    unvoted = client.delete(url, **headers)
    again = client.delete(url, **headers)
    assert unvoted.status_code == 200 and unvoted.json()["votes"] == 0
    assert not unvoted.json()["voted"]
    assert again.status_code == 400
    assert not Vote.objects.exists()


def test_a_vote_on_ones_own_idea_is_refused(client, board, participant):
    idea = make_idea(board, participant)

    response = post(client, f"/api/v1/events/barcelona/ideas/{idea.pk}/vote", **bearer(participant))

    assert response.status_code == 400
    assert response.json()["detail"] == ["You cannot vote for your own idea."]
    idea.refresh_from_db()
    assert idea.votes_count == 0 and not Vote.objects.exists()


def test_votes_need_a_participant_and_an_idea_of_this_event(client, board, user, other_user):
    idea = make_idea(board, other_user)
    elsewhere = make_session(make_event(slug="elsewhere"), kind="co_creation", title="Other")
    foreign = make_idea(elsewhere, other_user)

    stranger = post(client, f"/api/v1/events/barcelona/ideas/{idea.pk}/vote", **bearer(user))
    wrong_event = post(client, f"/api/v1/events/barcelona/ideas/{foreign.pk}/vote", **bearer(user))
    anonymous = post(client, f"/api/v1/events/barcelona/ideas/{idea.pk}/vote")

    assert stranger.status_code == 403
    assert wrong_event.status_code == 404
    assert anonymous.status_code == 401
    assert not Vote.objects.exists()


# The document --------------------------------------------------------------------------------


def test_the_openapi_document_builds_with_the_events_endpoints(client, db):
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    document = response.json()
    assert "/api/v1/events/{slug}/registrations" in document["paths"]
    assert "/api/v1/events/{slug}/ideas/{id}/vote" in document["paths"]
    assert {"EventOut", "EventDetailOut", "EventIdeaOut"} <= set(document["components"]["schemas"])
