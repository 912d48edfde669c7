import io

import pytest
from django.core.management import call_command

from local4action.calls import eligibility
from local4action.calls.choices import ApplicationStatus, CallStatus, ReviewStatus
from local4action.calls.models import Application, Call, Review, Score
from local4action.core.models import AuditEvent, Notification
from local4action.initiatives.choices import InitiativeStatus
from local4action.initiatives.models import Initiative

PAST, OPEN = "local4action-hubs-2025", "local4action-hubs-2027-least-developed-countries"
MODELS = (Call, Initiative, Application, Review, Score, AuditEvent, Notification)


def _seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def _counts() -> dict:
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture
def demo(db):
    _seed()


def test_seed_demo_twice_adds_nothing_the_second_time(db):
    first = _seed()
    counts = _counts()

    second = _seed()

    assert _counts() == counts
    assert "2 calls (2 new)" in first
    assert "2 calls (0 new)" in second
    assert "5 HUBs, 2 accompanied, 1 declined" in second


def test_past_call_is_decided_with_five_hubs_accompanied_and_declined(demo):
    call = Call.objects.get(slug=PAST)
    assert call.status == CallStatus.DECIDED and call.results_published
    assert call.eoi_closes_at is not None and call.closes_at.year == 2025

    hubs = Initiative.objects.filter(applications__call=call, status=InitiativeStatus.LABELLED)
    assert hubs.count() == 5
    assert all(h.labelled_at.year == 2025 and h.is_hub for h in hubs)
    assert all(h.locations.count() == 1 and h.goals.exists() for h in hubs)
    accompanied = call.applications.filter(status=ApplicationStatus.ACCOMPANIED)
    assert accompanied.count() >= 2
    assert all(a.initiative.status == InitiativeStatus.ACCOMPANIED for a in accompanied)
    declined = call.applications.filter(status=ApplicationStatus.DECLINED)
    assert declined.count() >= 1 and all(a.decision_reason for a in declined)
    bilbao = Initiative.objects.get(slug="bilbao-ciudad-de-valores")
    assert bilbao.language == "es" and bilbao.translations.get(language="en")
    assert set(bilbao.goals.values_list("number", flat=True)) == {11, 16}


def test_every_decided_application_has_two_submitted_reviews_that_agree(demo):
    for application in Application.objects.filter(call__slug=PAST):
        reviews = list(application.reviews.all())
        assert len(reviews) == 2
        for review in reviews:
            assert review.status == ReviewStatus.SUBMITTED
            assert review.recommendation == application.status
            scores = [score.score for score in review.scores.all()]
            assert len(scores) == 6 and all(0 <= score <= 5 for score in scores)


def test_open_call_has_a_submitted_expression_of_interest_and_an_ineligible_draft(demo):
    call = Call.objects.get(slug=OPEN)
    assert call.status == CallStatus.OPEN and call.is_accepting("eoi")
    assert {"ZM", "BF", "NP", "HT"} <= set(call.target_countries)
    statuses = dict(call.applications.values_list("initiative__lead_organization__slug", "status"))
    assert statuses == {
        "ouahigouya": ApplicationStatus.EOI_SUBMITTED,
        "dschang": ApplicationStatus.EOI_DRAFT,
    }
    draft = call.applications.get(status=ApplicationStatus.EOI_DRAFT)
    assert "country" in {problem.rule for problem in eligibility.problems(draft)}


def test_results_list_and_hub_pages_show_the_demo(client, demo):
    results = client.get(f"/calls/{PAST}/results/")
    listing = client.get("/initiatives/")
    hub = client.get("/initiatives/bilbao-ciudad-de-valores/", HTTP_ACCEPT_LANGUAGE="en")

    assert results.status_code == 200
    assert "Participation for all" in results.content.decode()
    assert listing.status_code == 200
    assert "Venice City Solutions 2030" in listing.content.decode()
    assert hub.status_code == 200
    assert "Bilbao, city of values" in hub.content.decode()
