"""The demo events (`manage.py seed_demo`): idempotent, a past seminar week with a full
co-creation board, an upcoming invitation-only event in Barcelona; rows consistent with the
rules the services keep."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db.models import Count, F
from django.utils import timezone

from local4action.events import selectors
from local4action.events.demo import BARCELONA_SLUG, BOARD_EVENT_SLUG, SEMINAR_SLUG
from local4action.events.models import (
    Event,
    Idea,
    Invitation,
    Registration,
    Session,
    Speaker,
    SponsorshipRequest,
    Vote,
)

MODELS = (Event, Session, Speaker, Registration, Invitation, SponsorshipRequest, Idea, Vote)


def _seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def _counts() -> dict:
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture
def seeded(db):
    return _seed()


def test_seed_demo_twice_adds_nothing_the_second_time(seeded):
    counts = _counts()

    second = _seed()

    assert _counts() == counts
    assert "Demo events: 2 events (0 new) with 3 working sessions" in second
    assert "Demo events: 2 events (2 new)" in seeded


def test_the_seminar_week_is_past_in_paris_with_three_working_sessions(seeded):
    seminar = Event.objects.get(slug=SEMINAR_SLUG)
    parts = list(seminar.children.order_by("start_at"))

    assert seminar.kind == "seminar" and seminar.time_zone == "Europe/Paris"
    assert seminar.end_at < timezone.now()
    assert len(parts) == 3
    for part in parts:
        minutes = (part.end_at - part.start_at) / datetime.timedelta(minutes=1)
        assert part.kind == "working_session" and 45 <= minutes <= 60
        assert seminar.start_at <= part.start_at and part.end_at <= seminar.end_at
        sessions = list(part.sessions.all())
        assert [s.kind for s in sessions] == [
            "welcome",
            "presentation",
            "co_creation",
            "rapporteur",
        ]
        for session in sessions:
            length = (session.end_at - session.start_at) / datetime.timedelta(minutes=1)
            assert 5 <= length <= 30
            assert part.start_at <= session.start_at and session.end_at <= part.end_at
        assert not selectors.overlapping(sessions)
        confirmed = part.registrations.filter(status="confirmed")
        assert confirmed.count() >= 5
        assert confirmed.filter(checked_in_at__isnull=False).exists()


def test_the_working_session_board_is_full_of_voted_ideas(seeded):
    event = Event.objects.get(slug=BOARD_EVENT_SLUG)
    board = event.sessions.get(kind="co_creation")
    ideas = Idea.objects.filter(session=board)

    assert board.billboards and board.prompt == "Imagine a campaign billboard in your city"
    assert 18 <= ideas.count() <= 22
    assert ideas.filter(status="retained").count() == 2
    merged = ideas.get(status="merged")
    assert merged.merged_into.session_id == board.pk and merged.votes_count == 0
    # Three languages, as the cities wrote them.
    texts = " ".join(ideas.values_list("text", flat=True))
    assert "Our city" in texts and "Ma ville" in texts and "Nuestra ciudad" in texts
    # Votes counted on their idea, never on one's own, only by participants.
    for idea in ideas.annotate(n=Count("votes")):
        assert idea.votes_count == idea.n
    assert not Vote.objects.filter(idea__session=board, voter_id=F("idea__author_id")).exists()
    participants = set(event.registrations.values_list("person_id", flat=True))
    assert set(Vote.objects.filter(idea__session=board).values_list("voter", flat=True)) <= (
        participants
    )
    assert Vote.objects.filter(idea__session=board).count() >= 30
    assert event.summary_published_at and event.summary and event.guidelines


def test_the_barcelona_event_has_the_described_shape(seeded):
    event = Event.objects.get(slug=BARCELONA_SLUG)
    sessions = list(event.sessions.all())
    counts = selectors.event_counts(event)

    assert event.visibility == "invitation" and event.published
    assert event.time_zone == "Europe/Madrid" and event.city == "Barcelona"
    assert event.start_at > timezone.now()
    local_start = timezone.localtime(event.start_at, event.zone)
    local_end = timezone.localtime(event.end_at, event.zone)
    assert (local_end.date() - local_start.date()).days == 1
    assert event.capacity == 100 and event.languages == ["en", "fr", "es"]
    assert event.online_url and event.sponsorship_budget == 10 and event.approval_required
    assert set(event.questions) == {
        "role",
        "organization",
        "dietary",
        "accessibility",
        "attendance",
        "languages",
    }
    assert event.registration_closes_at < event.start_at
    # The agenda: two days of panels, co-creation and breaks, some streamed and interpreted.
    days = selectors.agenda(event)
    assert len(days) == 2
    kinds = {s.kind for s in sessions}
    assert {"panel", "co_creation", "break", "lunch", "welcome", "rapporteur"} <= kinds
    assert any(s.streamed for s in sessions) and not all(s.streamed for s in sessions)
    assert any(s.interpretation for s in sessions)
    assert all(event.start_at <= s.start_at and s.end_at <= event.end_at for s in sessions)
    assert selectors.overlapping(sessions)  # two tracks in parallel
    # Invitations, some accepted, with registrations in various statuses.
    invitations = event.invitations.all()
    assert invitations.count() >= 10
    accepted = invitations.filter(accepted_by__isnull=False)
    assert 3 <= accepted.count() < invitations.count()
    assert set(
        Registration.objects.filter(event=event).values_list("invitation__accepted_by", flat=True)
    ) == set(Registration.objects.filter(event=event).values_list("person", flat=True))
    statuses = set(event.registrations.values_list("status", flat=True))
    assert {"confirmed", "pending", "waitlisted"} <= statuses
    assert counts["confirmed"] <= event.capacity
    # Sponsorships: one granted to an accepted participant, within the budget.
    sponsorships = SponsorshipRequest.objects.filter(registration__event=event)
    assert 1 <= sponsorships.count() <= 2
    for granted in sponsorships.filter(status="granted"):
        assert granted.registration.status == "confirmed"
    assert counts["sponsorships_granted"] <= event.sponsorship_budget


def test_the_demo_events_are_consistent_with_the_rules(seeded):
    for event in Event.objects.all():
        if event.capacity is not None:
            confirmed = event.registrations.filter(status="confirmed").count()
            assert confirmed <= event.capacity
        assert not event.registrations.filter(
            checked_in_at__isnull=False, status__in=["pending", "waitlisted", "cancelled"]
        ).exists()
        for registration in event.registrations.filter(status="waitlisted"):
            assert registration.waitlisted_at is not None
