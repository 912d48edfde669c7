"""The surveys API: who sees which survey, a response saved page by page and submitted, bad
input refused with clear JSON (never a 500), lists in a fixed number of queries."""

import datetime
import json

import pytest
from django.test import Client
from django.utils import timezone

from local4action.accounts.tests.factories import MembershipFactory, UserFactory
from local4action.core.testing import assert_queries_constant, bearer
from local4action.surveys.models import Answer, AnswerItem, Response
from local4action.surveys.tests.factories import L, make_question, make_survey, options

JSON = "application/json"


def put(client, url, body, **headers):
    return client.put(url, json.dumps(body), content_type=JSON, **headers)


@pytest.fixture
def member(db):
    return MembershipFactory(role="member").user


@pytest.fixture
def as_member(member):
    return bearer(member)


@pytest.fixture
def survey(db):
    """Page 1: a plan (yes/no) and the goals it covers; page 2: since when (only with a plan),
    a rating and a grid."""
    survey = make_survey(slug="localizing", introduction=L("Tell us"))
    plan = make_question(
        survey, page=0, kind="single", key="plan", required=True, options=options("yes", "no")
    )
    make_question(
        survey, page=0, kind="multiple", key="goals", options=options("a", "b", "c"), max_choices=2
    )
    make_question(
        survey,
        page=1,
        kind="number",
        key="since",
        required=True,
        condition_question=plan,
        condition_values=["yes"],
    )
    make_question(survey, page=1, kind="scale", key="rating", scale_min=1, scale_max=5)
    make_question(
        survey, page=1, kind="matrix", key="grid", scale_min=1, scale_max=3, rows=options("x", "y")
    )
    return survey


def _answers() -> int:
    return Answer.objects.count() + AnswerItem.objects.count()


# Reading surveys -----------------------------------------------------------------------------


def test_anybody_lists_public_surveys_and_members_also_theirs(client, survey, member, as_member):
    public = make_survey(slug="open-to-all", audience="public")
    make_question(public, kind="short_text", key="name")
    make_survey(slug="draft", published=False)
    outsider = bearer(UserFactory())

    anonymous = [s["slug"] for s in client.get("/api/v1/surveys").json()]
    stranger = [s["slug"] for s in client.get("/api/v1/surveys", **outsider).json()]
    members = [s["slug"] for s in client.get("/api/v1/surveys", **as_member).json()]

    assert anonymous == stranger == ["open-to-all"]
    assert sorted(members) == ["localizing", "open-to-all"]


def test_a_survey_shows_its_questions_in_the_request_language(client, survey, as_member):
    response = client.get("/api/v1/surveys/localizing", HTTP_ACCEPT_LANGUAGE="fr", **as_member)

    assert response.status_code == 200
    body = response.json()
    assert body["title"] == "Localizing the SDGs (fr)"
    assert body["introduction"] == "Tell us (fr)"
    assert body["is_open"] is True and body["one_per"] == "person"
    assert [p["number"] for p in body["pages"]] == [1, 2]
    plan, goals = body["pages"][0]["questions"]
    assert plan["key"] == "plan" and plan["kind"] == "single" and plan["required"] is True
    assert plan["options"] == [
        {"value": "yes", "label": "yes (fr)"},
        {"value": "no", "label": "no (fr)"},
    ]
    assert goals["bounds"]["max_choices"] == 2
    since, rating, grid = body["pages"][1]["questions"]
    assert since["condition"] == {"question": "plan", "values": ["yes"]}
    assert rating["bounds"]["scale_min"] == 1 and rating["bounds"]["scale_max"] == 5
    assert [row["value"] for row in grid["rows"]] == ["x", "y"]


def test_a_survey_outside_ones_audience_is_not_found(client, survey):
    assert client.get("/api/v1/surveys/localizing").status_code == 404
    assert client.get("/api/v1/surveys/localizing", **bearer(UserFactory())).status_code == 404
    assert client.get("/api/v1/surveys/nothing-here").json() == {"detail": "Not found."}


# Answering -----------------------------------------------------------------------------------


def test_a_member_answers_page_by_page_resumes_and_submits(client, survey, member, as_member):
    base = "/api/v1/surveys/localizing/response"
    assert client.get(base, **as_member).status_code == 404  # nothing started yet

    first = put(
        client, f"{base}/pages/1", {"answers": {"plan": "yes", "goals": ["a", "c"]}}, **as_member
    )
    second = put(
        client,
        f"{base}/pages/2",
        {"answers": {"since": "2019", "rating": 4, "grid": {"x": 1, "y": "3"}}},
        **as_member,
    )
    mine = client.get(base, **as_member)
    submitted = client.post(f"{base}/submit", **as_member)

    assert first.status_code == 200 and first.json()["current_page"] == 1
    assert second.status_code == 200, second.json()
    assert mine.json()["answers"] == {
        "plan": "yes",
        "goals": ["a", "c"],
        "since": "2019",
        "rating": 4,
        "grid": {"x": 1, "y": 3},
    }
    assert mine.json()["status"] == "in_progress" and mine.json()["token"] is None
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    response = Response.objects.get(survey=survey)
    assert response.respondent == member and response.submitted_at is not None
    assert AnswerItem.objects.filter(answer__response=response).count() == 4


def test_invalid_answers_get_one_message_per_key_and_nothing_is_saved(client, survey, as_member):
    url = "/api/v1/surveys/localizing/response/pages/1"
    put(client, url, {"answers": {"plan": "no"}}, **as_member)
    before = _answers()

    response = put(
        client, url, {"answers": {"plan": "maybe", "goals": ["a", "b", "c"]}}, **as_member
    )

    assert response.status_code == 400
    fields = response.json()["fields"]
    assert set(fields) == {"plan", "goals"}
    assert fields["goals"] == ["Choose at most 2 options."]
    assert _answers() == before


def test_a_key_that_is_not_on_the_page_is_refused(client, survey, as_member):
    url = "/api/v1/surveys/localizing/response/pages/1"

    forged = put(client, url, {"answers": {"plan": "yes", "rating": 5, "nope": 1}}, **as_member)
    other = put(client, url, {"answers": {"plan": "yes"}, "other": {"ghost": "x"}}, **as_member)

    assert forged.status_code == 400
    assert forged.json()["fields"] == {
        "nope": ["This page has no such question."],
        "rating": ["This page has no such question."],
    }
    assert other.status_code == 400 and set(other.json()["fields"]) == {"ghost"}
    assert Response.objects.count() == 0 and _answers() == 0


@pytest.mark.parametrize(
    "page, answers, key",
    [
        (1, {"plan": {"choice": "yes"}}, "plan"),
        (1, {"plan": ["yes", "no"]}, "plan"),
        (1, {"plan": "yes", "goals": [["a"], {"b": 1}]}, "goals"),
        (1, {"plan": "yes", "goals": "zzz"}, "goals"),
        (2, {"since": "Infinity"}, "since"),
        (2, {"since": "NaN"}, "since"),
        (2, {"since": "1e30"}, "since"),
        (2, {"since": [1]}, "since"),
        (2, {"since": "2019", "rating": "Infinity"}, "rating"),
        (2, {"since": "2019", "rating": "sNaN"}, "rating"),
        (2, {"since": "2019", "rating": "1e999999999"}, "rating"),
        (2, {"since": "2019", "rating": True}, "rating"),
        (2, {"since": "2019", "rating": {"a": 1}}, "rating"),
        (2, {"since": "2019", "grid": [1, 2]}, "grid"),
        (2, {"since": "2019", "grid": {"x": "inf"}}, "grid"),
        (2, {"since": "2019", "grid": {"zz": 1}}, "grid"),
        (2, {"since": "2019", "grid": {"x": [1]}}, "grid"),
    ],
)
def test_wrong_types_and_forged_values_are_a_400_never_a_500(
    client, survey, as_member, page, answers, key
):
    url = "/api/v1/surveys/localizing/response"
    put(client, f"{url}/pages/1", {"answers": {"plan": "yes"}}, **as_member)
    before = _answers()

    response = put(client, f"{url}/pages/{page}", {"answers": answers}, **as_member)

    assert response.status_code == 400, response.content
    assert key in response.json()["fields"]
    assert _answers() == before


def test_a_nul_character_is_dropped_rather_than_breaking_the_database(client, survey, as_member):
    make_question(survey, page=1, kind="long_text", key="story")
    url = "/api/v1/surveys/localizing/response/pages/2"

    response = put(client, url, {"answers": {"story": "Our\x00 plan"}}, **as_member)

    assert response.status_code == 200
    assert response.json()["answers"]["story"] == "Our plan"


@pytest.mark.parametrize(
    "body",
    ["not json", json.dumps({"answers": ["plan"]}), json.dumps({"other": {"plan": ["x"]}})],
)
def test_a_malformed_body_is_refused(client, survey, as_member, body):
    response = client.put(
        "/api/v1/surveys/localizing/response/pages/1", body, content_type=JSON, **as_member
    )

    assert response.status_code in (400, 422)
    assert Response.objects.count() == 0


def test_an_unknown_page_is_not_found(client, survey, as_member):
    for number in (0, 3, -1):
        url = f"/api/v1/surveys/localizing/response/pages/{number}"
        assert put(client, url, {"answers": {}}, **as_member).status_code == 404


def test_a_closed_survey_takes_no_answers(client, survey, as_member):
    put(
        client,
        "/api/v1/surveys/localizing/response/pages/1",
        {"answers": {"plan": "no"}},
        **as_member,
    )
    survey.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    survey.save()
    before = _answers()

    saved = put(
        client,
        "/api/v1/surveys/localizing/response/pages/1",
        {"answers": {"plan": "yes"}},
        **as_member,
    )
    submitted = client.post("/api/v1/surveys/localizing/response/submit", **as_member)

    assert saved.status_code == 400 and saved.json()["detail"]
    assert submitted.status_code == 400
    assert _answers() == before
    assert client.get("/api/v1/surveys/localizing/response", **as_member).json()["answers"] == {
        "plan": "no"
    }


def test_outside_the_audience_nothing_is_written(client, survey):
    outsider = bearer(UserFactory())

    saved = put(
        client,
        "/api/v1/surveys/localizing/response/pages/1",
        {"answers": {"plan": "yes"}},
        **outsider,
    )
    submitted = client.post("/api/v1/surveys/localizing/response/submit", **outsider)
    anonymous = put(
        client, "/api/v1/surveys/localizing/response/pages/1", {"answers": {"plan": "yes"}}
    )

    assert saved.status_code == submitted.status_code == anonymous.status_code == 404
    assert Response.objects.count() == 0


def test_a_second_response_is_refused_once_submitted_when_answers_are_final(client, db, as_member):
    survey = make_survey(slug="once", editable_until_close=False)
    make_question(survey, kind="scale", key="rating", scale_min=1, scale_max=5, required=True)
    url = "/api/v1/surveys/once/response"
    missing = client.post(f"{url}/submit", **as_member)
    put(client, f"{url}/pages/1", {"answers": {"rating": 2}}, **as_member)
    client.post(f"{url}/submit", **as_member)

    again = put(client, f"{url}/pages/1", {"answers": {"rating": 5}}, **as_member)
    resubmitted = client.post(f"{url}/submit", **as_member)

    assert missing.status_code == 400 and "required" in missing.json()["detail"][0]
    assert again.status_code == 400 and resubmitted.status_code == 400
    assert Response.objects.get(survey=survey).answers.get().value == 2


def test_one_answer_per_organization_is_shared_and_needs_an_organization(client, db):
    survey = make_survey(slug="per-org", one_per="organization")
    make_question(survey, kind="short_text", key="name")
    first = MembershipFactory(role="admin")
    colleague = MembershipFactory(organization=first.organization, role="member").user
    url = "/api/v1/surveys/per-org/response"

    put(client, f"{url}/pages/1", {"answers": {"name": "Ours"}}, **bearer(first.user))
    theirs = client.get(url, **bearer(colleague))

    assert theirs.status_code == 200
    assert theirs.json()["answers"] == {"name": "Ours"}
    assert theirs.json()["organization"] == first.organization.slug
    assert Response.objects.filter(survey=survey).count() == 1


def test_a_visitor_answers_a_public_survey_with_a_token(client, db):
    survey = make_survey(slug="open-to-all", audience="public")
    make_question(survey, kind="short_text", key="name", required=True)
    url = "/api/v1/surveys/open-to-all/response"

    started = put(client, f"{url}/pages/1", {"answers": {"name": "Ana"}})
    token = started.json()["token"]
    mine = client.get(url, HTTP_X_SURVEY_TOKEN=token)
    submitted = client.post(f"{url}/submit", HTTP_X_SURVEY_TOKEN=token)
    strangers = client.get(url)
    forged = client.get(url, HTTP_X_SURVEY_TOKEN="not-a-token")

    assert started.status_code == 200 and token
    assert mine.json()["answers"] == {"name": "Ana"}
    assert submitted.json()["status"] == "submitted"
    assert strangers.status_code == 404
    assert forged.status_code == 400
    response = Response.objects.get(survey=survey)
    assert response.respondent is None and response.uniqueness_key == f"token:{token}"


def test_a_session_write_needs_the_csrf_token(survey, member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)

    response = put(
        client, "/api/v1/surveys/localizing/response/pages/1", {"answers": {"plan": "yes"}}
    )

    # Without CSRF the session does not count: the caller is nobody, outside the audience.
    assert response.status_code == 404
    assert Response.objects.count() == 0


# Query counts and OpenAPI --------------------------------------------------------------------


def test_lists_take_a_fixed_number_of_queries(client, survey, member):
    client.force_login(member)
    counter = {"n": 0}

    def add_surveys(n):
        for _ in range(n):
            counter["n"] += 1
            extra = make_survey(
                slug=f"more-{counter['n']}", audience=("members", "public")[counter["n"] % 2]
            )
            make_question(extra, kind="single", key="a", options=options("x", "y"))
            make_question(extra, page=1, kind="scale", key="b", scale_min=1, scale_max=3)

    def add_questions(n):
        for _ in range(n):
            counter["n"] += 1
            make_question(
                survey, page=counter["n"] % 2, kind="short_text", key=f"extra-{counter['n']}"
            )

    def add_answers(n):
        questions = []
        for _ in range(n):
            counter["n"] += 1
            questions.append(
                make_question(
                    survey,
                    page=0,
                    kind="multiple",
                    key=f"m-{counter['n']}",
                    options=options("a", "b"),
                )
            )
        response = Response.objects.get(survey=survey)
        for question in questions:
            Answer.objects.create(response=response, question=question, value=["a"])

    assert_queries_constant(client, "/api/v1/surveys", add_surveys)
    assert_queries_constant(client, "/api/v1/surveys/localizing", add_questions)
    put(
        client,
        "/api/v1/surveys/localizing/response/pages/1",
        {"answers": {"plan": "no"}},
        **bearer(member),
    )
    assert_queries_constant(client, "/api/v1/surveys/localizing/response", add_answers)


def test_the_openapi_document_lists_the_survey_endpoints(client, db):
    schema = client.get("/api/v1/openapi.json").json()

    paths = schema["paths"]
    assert {
        "/api/v1/surveys",
        "/api/v1/surveys/{slug}",
        "/api/v1/surveys/{slug}/response",
        "/api/v1/surveys/{slug}/response/pages/{number}",
        "/api/v1/surveys/{slug}/response/submit",
        "/api/v1/surveys/{slug}/results",
    } <= set(paths)
    assert "put" in paths["/api/v1/surveys/{slug}/response/pages/{number}"]
    assert "post" in paths["/api/v1/surveys/{slug}/response/submit"]
    components = schema["components"]["schemas"]
    assert {"SurveyOut", "SurveyQuestionOut", "SurveyPageIn", "SurveyResponseOut"} <= set(
        components
    )
    # Schemas are named by class: the other apps' schemas of the same idea stay their own.
    assert "state" in components["MonitoringDeliverableOut"]["properties"]
    assert set(components["DeliverableOut"]["properties"]) == {
        "title",
        "due_date",
        "success_criteria",
    }
    assert "bounds" not in components["QuestionOut"]["properties"]


# Results -------------------------------------------------------------------------------------


def _answered(survey, n):
    from local4action.surveys import services

    question = survey.questions.get(key="rating")
    for _ in range(n):
        user = MembershipFactory(role="member").user
        response = services.response_start(survey=survey, user=user)
        services.response_save_page(response=response, page=question.page, data={question.pk: 4})
        services.response_submit(response=response)


def test_results_only_when_public_or_for_the_secretariat(client, db, secretariat, as_member):
    survey = make_survey(slug="rated")
    make_question(survey, kind="scale", key="rating", scale_min=1, scale_max=5)
    make_question(survey, kind="long_text", key="story")
    _answered(survey, 3)

    hidden = client.get("/api/v1/surveys/rated/results", **as_member)
    staff = client.get("/api/v1/surveys/rated/results", **bearer(secretariat))
    survey.results_public = True
    survey.save()
    public = client.get("/api/v1/surveys/rated/results")

    assert hidden.status_code == 404
    assert staff.status_code == public.status_code == 200
    body = public.json()
    assert body["respondents"] == body["submitted"] == 3 and body["suppressed"] is False
    rating, story = body["questions"]
    assert [row["count"] for row in rating["counts"]] == [0, 0, 0, 3, 0]
    assert story["answered"] == 0 and story["counts"] == []


def test_results_have_a_fixed_number_of_queries(client, db):
    survey = make_survey(slug="rated", results_public=True)
    make_question(survey, kind="scale", key="rating", scale_min=1, scale_max=5)

    assert_queries_constant(
        client, "/api/v1/surveys/rated/results", lambda n: _answered(survey, n), rows=3
    )
