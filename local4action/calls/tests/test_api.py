import datetime
import zoneinfo

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from local4action.accounts.tests.factories import MembershipFactory
from local4action.calls import services
from local4action.calls.choices import CallStatus
from local4action.calls.models import Review, Score
from local4action.calls.tests.factories import (
    make_call,
    make_draft,
    make_review,
    make_reviewer,
    make_submitted,
)
from local4action.core.testing import bearer


def scores_of(review, value=4) -> list[dict]:
    return [
        {"criterion": c.key, "score": value, "comment": f"About {c.key}."}
        for c in review.application.call.criteria.all()
    ]


# Calls ---------------------------------------------------------------------------------------


def test_calls_are_public_but_drafts_only_for_the_secretariat(client, call, secretariat):
    make_call(staff=secretariat, status=CallStatus.DRAFT, title="Call in preparation")

    public = client.get("/api/v1/calls").json()
    staff = client.get("/api/v1/calls", **bearer(secretariat)).json()

    assert [c["title"] for c in public] == ["Local4Action HUBs 2027"]
    assert {c["status"] for c in staff} == {"open", "draft"}
    assert client.get("/api/v1/calls/call-in-preparation").status_code == 404


def test_a_call_gives_criteria_questions_and_deadlines_in_its_time_zone(client, two_stage_call):
    data = client.get(f"/api/v1/calls/{two_stage_call.slug}", HTTP_ACCEPT_LANGUAGE="fr").json()

    criteria = list(two_stage_call.criteria.all())
    assert [c["key"] for c in data["criteria"]] == [c.key for c in criteria]
    assert data["criteria"][0]["name"] == criteria[0].name["fr"]
    assert {"weight", "min_score"} <= set(data["criteria"][0])
    question = data["questions"][0]
    assert set(question) >= {"key", "stage", "text", "kind", "required"}
    assert {q["stage"] for q in data["questions"]} == {"eoi", "full"}
    assert data["time_zone"] == "Europe/Madrid" and data["two_stages"] is True
    closes = datetime.datetime.fromisoformat(data["closes_at"])
    madrid = zoneinfo.ZoneInfo("Europe/Madrid")
    # JSON carries milliseconds.
    assert abs(closes - two_stage_call.closes_at) < datetime.timedelta(milliseconds=1)
    assert closes.utcoffset() == two_stage_call.closes_at.astimezone(madrid).utcoffset()
    eoi_closes = datetime.datetime.fromisoformat(data["eoi_closes_at"])
    assert abs(eoi_closes - two_stage_call.eoi_closes_at) < datetime.timedelta(milliseconds=1)
    assert data["support_offered"] == ["seed_funding", "expertise"]
    assert "local_government" in data["eligible_kinds"]


# Applications --------------------------------------------------------------------------------


def test_anonymous_callers_cannot_list_applications(client, db):
    response = client.get("/api/v1/applications")

    assert response.status_code == 401


def test_a_team_lists_only_its_own_applications(client, call):
    ours = make_draft(call, title="Ours")
    make_draft(call, title="Theirs")

    data = client.get("/api/v1/applications", **bearer(ours.created_by)).json()

    assert [a["initiative"]["title"] for a in data["results"]] == ["Ours"]
    assert data["results"][0]["call"] == call.slug


def test_the_secretariat_lists_every_application_of_a_call(client, call, secretariat):
    make_draft(call, title="One")
    make_draft(call, title="Two")

    mine = client.get("/api/v1/applications", **bearer(secretariat)).json()
    every = client.get("/api/v1/applications", {"call": call.slug}, **bearer(secretariat)).json()

    assert mine["count"] == 0
    assert sorted(a["initiative"]["title"] for a in every["results"]) == ["One", "Two"]


def test_the_call_filter_shows_a_team_only_its_own(client, call):
    ours = make_draft(call, title="Ours")
    make_draft(call, title="Theirs")

    data = client.get("/api/v1/applications", {"call": call.slug}, **bearer(ours.created_by))

    assert [a["initiative"]["title"] for a in data.json()["results"]] == ["Ours"]


def test_a_team_reads_its_application_with_answers(client, call):
    application = make_draft(call)

    data = client.get(f"/api/v1/applications/{application.pk}", **bearer(application.created_by))

    assert data.status_code == 200
    body = data.json()
    assert body["status"] == "draft" and body["stage"] == "full"
    assert body["answers"] and body["deliverables"][0]["title"] == "Training for ten municipalities"


def test_another_organization_cannot_read_nor_submit_a_draft(client, call):
    application = make_draft(call)
    outsider = MembershipFactory(role="admin").user
    headers = bearer(outsider)

    read = client.get(f"/api/v1/applications/{application.pk}", **headers)
    submit = client.post(f"/api/v1/applications/{application.pk}/submit", **headers)

    assert read.status_code == 404 and read.json() == {"detail": "Not found."}
    assert submit.status_code == 404
    application.refresh_from_db()
    assert application.status == "draft" and application.submitted_at is None


def test_an_editor_submits_through_the_api(client, call):
    application = make_draft(call)

    response = client.post(
        f"/api/v1/applications/{application.pk}/submit", **bearer(application.created_by)
    )

    assert response.status_code == 200
    assert response.json()["status"] == "submitted"
    application.refresh_from_db()
    assert application.status == "submitted"


def test_an_incomplete_application_is_refused_with_the_reasons(client, call):
    application = make_draft(call, complete=False)

    response = client.post(
        f"/api/v1/applications/{application.pk}/submit", **bearer(application.created_by)
    )

    assert response.status_code == 400
    detail = response.json()["detail"]
    assert isinstance(detail, list) and detail
    assert all(isinstance(message, str) for message in detail)
    application.refresh_from_db()
    assert application.status == "draft"


def test_a_plain_member_may_read_but_not_submit(client, call):
    application = make_draft(call)
    member = MembershipFactory(
        organization=application.initiative.lead_organization, role="member"
    ).user
    headers = bearer(member)

    assert client.get(f"/api/v1/applications/{application.pk}", **headers).status_code == 200
    response = client.post(f"/api/v1/applications/{application.pk}/submit", **headers)

    assert response.status_code == 403
    assert "detail" in response.json()
    application.refresh_from_db()
    assert application.status == "draft"


def test_a_session_write_needs_the_csrf_token(call):
    application = make_draft(call)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(application.created_by)

    response = browser.post(f"/api/v1/applications/{application.pk}/submit")

    assert response.status_code == 403
    application.refresh_from_db()
    assert application.status == "draft"


def test_the_applications_of_a_call_cost_the_same_queries_for_more_rows(client, call, secretariat):
    headers = bearer(secretariat)
    # The token's first use records it: count the requests after that.
    client.get("/api/v1/applications", **headers)

    def count():
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/api/v1/applications", {"call": call.slug}, **headers)
        assert response.status_code == 200
        return len(queries)

    for n in range(2):
        make_draft(call, title=f"Few {n}")
    few = count()
    for n in range(6):
        make_draft(call, title=f"More {n}")
    assert count() == few


# Reviews -------------------------------------------------------------------------------------


def test_a_reviewer_sees_only_their_own_reviews(client, call, secretariat):
    application = make_submitted(call)
    mine = make_review(application, staff=secretariat, submit=False)
    theirs = make_review(application, staff=secretariat, submit=False)
    headers = bearer(mine.reviewer)

    listed = client.get("/api/v1/reviews", **headers).json()
    own = client.get(f"/api/v1/reviews/{mine.pk}", **headers)
    other = client.get(f"/api/v1/reviews/{theirs.pk}", **headers)

    assert [r["id"] for r in listed] == [mine.pk]
    assert own.status_code == 200
    assert {s["criterion"] for s in own.json()["scores"]} == {c.key for c in call.criteria.all()}
    assert other.status_code == 404


def test_a_reviewer_saves_then_submits_a_review(client, call, secretariat):
    application = make_submitted(call)
    review = services.review_assign(
        actor=secretariat, application=application, reviewer=make_reviewer()
    )
    headers = bearer(review.reviewer)
    url = f"/api/v1/reviews/{review.pk}"
    first = scores_of(review)[:2]

    saved = client.post(
        url, {"scores": first, "comment": "Halfway."}, "application/json", **headers
    )
    submitted = client.post(
        url,
        {"scores": scores_of(review, 5), "recommendation": "labelled", "submit": True},
        "application/json",
        **headers,
    )

    assert saved.status_code == 200
    assert saved.json()["status"] == "assigned" and len(saved.json()["scores"]) == 2
    assert submitted.status_code == 200
    review.refresh_from_db()
    assert review.status == "submitted" and review.recommendation == "labelled"
    assert set(review.scores.values_list("score", flat=True)) == {5}


def test_a_score_out_of_the_scale_is_refused_and_nothing_is_saved(client, call, secretariat):
    application = make_submitted(call)
    review = services.review_assign(
        actor=secretariat, application=application, reviewer=make_reviewer()
    )
    scores = scores_of(review)
    scores[0]["score"] = 9

    response = client.post(
        f"/api/v1/reviews/{review.pk}",
        {"scores": scores, "recommendation": "labelled", "submit": True},
        "application/json",
        **bearer(review.reviewer),
    )

    assert response.status_code in (400, 422)
    assert not Score.objects.filter(review=review).exists()
    review.refresh_from_db()
    assert review.status == "assigned" and review.recommendation == ""


def test_an_incomplete_submission_is_refused_with_messages(client, call, secretariat):
    application = make_submitted(call)
    review = services.review_assign(
        actor=secretariat, application=application, reviewer=make_reviewer()
    )

    response = client.post(
        f"/api/v1/reviews/{review.pk}",
        {"scores": scores_of(review)[:1], "submit": True},
        "application/json",
        **bearer(review.reviewer),
    )

    assert response.status_code == 400
    body = response.json()
    assert "Score every criterion before you submit." in body["detail"]
    assert "recommendation" in body["fields"]
    assert not Score.objects.filter(review=review).exists()


def test_an_unknown_criterion_is_refused(client, call, secretariat):
    application = make_submitted(call)
    review = services.review_assign(
        actor=secretariat, application=application, reviewer=make_reviewer()
    )

    response = client.post(
        f"/api/v1/reviews/{review.pk}",
        {"scores": [{"criterion": "beauty", "score": 5}]},
        "application/json",
        **bearer(review.reviewer),
    )

    assert response.status_code == 400
    assert not Score.objects.filter(review=review).exists()


def test_nobody_else_writes_a_review(client, call, secretariat):
    application = make_submitted(call)
    review = services.review_assign(
        actor=secretariat, application=application, reviewer=make_reviewer()
    )
    payload = {"scores": scores_of(review), "recommendation": "labelled", "submit": True}
    url = f"/api/v1/reviews/{review.pk}"

    by_other_reviewer = client.post(url, payload, "application/json", **bearer(make_reviewer()))
    by_staff = client.post(url, payload, "application/json", **bearer(secretariat))

    assert by_other_reviewer.status_code == 404
    assert by_staff.status_code == 403
    review.refresh_from_db()
    assert review.status == "assigned"
    assert not Score.objects.filter(review=review).exists()


def test_a_submitted_review_cannot_change(client, call, secretariat):
    application = make_submitted(call)
    review = make_review(application, staff=secretariat)

    response = client.post(
        f"/api/v1/reviews/{review.pk}",
        {"scores": scores_of(review, 0), "recommendation": "declined"},
        "application/json",
        **bearer(review.reviewer),
    )

    assert response.status_code == 403
    assert Review.objects.get(pk=review.pk).recommendation == "labelled"
    assert set(Score.objects.filter(review=review).values_list("score", flat=True)) == {4}


# OpenAPI -------------------------------------------------------------------------------------


def test_the_openapi_document_lists_every_endpoint_and_the_token_scheme(client, db):
    schema = client.get("/api/v1/openapi.json").json()

    assert {
        "/api/v1/initiatives",
        "/api/v1/initiatives/{slug}",
        "/api/v1/calls",
        "/api/v1/calls/{slug}",
        "/api/v1/applications",
        "/api/v1/applications/{id}",
        "/api/v1/applications/{id}/submit",
        "/api/v1/reviews",
        "/api/v1/reviews/{id}",
    } <= set(schema["paths"])
    assert schema["components"]["securitySchemes"]["ApiTokenAuth"]["scheme"] == "bearer"
    assert "security" not in schema["paths"]["/api/v1/initiatives"]["get"]
    assert {"ApiTokenAuth": []} in schema["paths"]["/api/v1/applications"]["get"]["security"]
