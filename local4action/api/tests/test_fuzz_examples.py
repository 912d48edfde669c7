"""What the API fuzzing (test_fuzz.py) found, kept as plain tests with the input that failed:
each answer has the status and the body it had, and the OpenAPI document now declares that
status for the operation (it declared only the success answer before)."""

import json

import pytest

from local4action.core.models import Goal
from local4action.core.testing import bearer
from local4action.exchange.models import Thread
from local4action.library.tests.factories import make_resource
from local4action.monitoring.tests.factories import make_hub
from local4action.network.models import Connection
from local4action.workplan.tests.factories import make_plan

JSON = "application/json"
NOT_FOUND = {"detail": "Not found."}


def declared(client, method: str, path: str) -> set[str]:
    document = client.get("/api/v1/openapi.json").json()
    return set(document["paths"][path][method]["responses"])


@pytest.fixture
def member(org_member):
    return org_member


# 401: every operation, the public ones too, refuses a token that does not work -----------------


@pytest.mark.parametrize(
    ("method", "path", "url"),
    [
        ("get", "/api/v1/sdg/goals", "/api/v1/sdg/goals"),
        ("get", "/api/v1/applications", "/api/v1/applications"),
        ("post", "/api/v1/threads", "/api/v1/threads"),
    ],
)
def test_a_wrong_token_is_a_declared_401(client, db, method, path, url):
    response = getattr(client, method)(url, HTTP_AUTHORIZATION="Bearer not-a-token")

    assert response.status_code == 401
    assert response.json() == {"detail": "Authentication required: send a valid API token."}
    assert "401" in declared(client, method, path)


def test_anonymous_read_of_private_data_is_a_declared_401(client, db):
    response = client.get("/api/v1/applications")

    assert response.status_code == 401
    assert "401" in declared(client, "get", "/api/v1/applications")


# 404: a path naming nothing, or a name in the query or the body naming nothing ----------------


def test_an_unknown_goal_is_a_declared_404(client, db):
    response = client.get("/api/v1/sdg/goals/100")

    assert response.status_code == 404
    assert response.json() == NOT_FOUND
    assert "404" in declared(client, "get", "/api/v1/sdg/goals/{number}")


def test_applications_of_an_unknown_call_are_a_declared_404(client, member):
    response = client.get("/api/v1/applications?call=X&page=-37711", **bearer(member))

    assert response.status_code == 404
    assert response.json() == NOT_FOUND
    assert "404" in declared(client, "get", "/api/v1/applications")


def test_a_connection_with_unknown_initiatives_is_a_declared_404(client, db):
    _hub, editor = make_hub()
    body = {"kind": "partnership", "source": "partnership", "target": "partnership"}

    response = client.post("/api/v1/connections", json.dumps(body), JSON, **bearer(editor))

    assert response.status_code == 404
    assert response.json() == NOT_FOUND
    assert Connection.objects.count() == 0
    assert "404" in declared(client, "post", "/api/v1/connections")


def test_a_thread_about_an_unknown_goal_is_a_declared_404(client, member):
    body = {"topic": "goal", "about": "100", "title": "Indicators", "body": "Which ones?"}

    response = client.post("/api/v1/threads", json.dumps(body), JSON, **bearer(member))

    assert response.status_code == 404
    assert response.json() == NOT_FOUND
    assert Thread.objects.count() == 0
    assert "404" in declared(client, "post", "/api/v1/threads")


# 403: the work plan is for the secretariat and partners ----------------------------------------


def test_a_member_reading_the_work_plans_gets_a_declared_403(client, secretariat, member):
    plan = make_plan(secretariat, year=2025)
    action = plan.actions.order_by("pk").first()
    auth = bearer(member)

    plans = client.get("/api/v1/workplans", **auth)
    one = client.get(f"/api/v1/workplan-actions/{action.pk}", **auth)

    assert plans.status_code == 403
    assert plans.json() == {"detail": "Only the secretariat and partners may read the work plan."}
    assert one.status_code == 403
    assert one.json() == {
        "detail": "Only the secretariat, partners and its owner may read this action."
    }
    for path in [
        "/api/v1/workplans",
        "/api/v1/workplans/{year}",
        "/api/v1/workplans/{year}/sections",
        "/api/v1/workplans/{year}/actions",
        "/api/v1/workplan-actions/{id}",
        "/api/v1/workplan-actions/{id}/updates",
    ]:
        assert "403" in declared(client, "get", path), path


# 422: parameters of the wrong type or out of range ---------------------------------------------


@pytest.mark.parametrize(
    ("path", "url", "field"),
    [
        ("/api/v1/organizations", "/api/v1/organizations?page=false", "page"),
        ("/api/v1/events", "/api/v1/events?past=true&page=null", "page"),
        ("/api/v1/resources", "/api/v1/resources?sort=&kind=&page=-37711", "sort"),
    ],
)
def test_a_query_parameter_of_the_wrong_type_is_a_declared_422(client, db, path, url, field):
    response = client.get(url)

    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"][-1] == field
    assert {"type", "loc", "msg"} <= set(error)
    assert "422" in declared(client, "get", path)


# 400 and 413: a body that is not JSON, or too large --------------------------------------------


def test_a_body_that_is_not_json_is_a_declared_400(client, member):
    response = client.post("/api/v1/threads", b"\xff\x0e\xff", JSON, **bearer(member))

    assert response.status_code == 400
    assert response.json() == {"detail": "Cannot parse request body"}
    assert Thread.objects.count() == 0
    assert "400" in declared(client, "post", "/api/v1/threads")


def test_a_body_too_large_is_a_declared_413(client, member, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    body = {"topic": "goal", "about": "11", "title": "Big", "body": "x" * (2 * 1024 * 1024)}

    response = client.post("/api/v1/threads", json.dumps(body), JSON, **bearer(member))

    assert response.status_code == 413
    assert response.json() == {"detail": ["The request is too large: send less than 1 MB."]}
    assert Thread.objects.count() == 0
    assert "413" in declared(client, "post", "/api/v1/threads")


def test_error_answers_are_described_in_the_document(client, db):
    """Every operation declares 401, and those with a path parameter 404, with a schema."""
    document = client.get("/api/v1/openapi.json").json()
    schemas = document["components"]["schemas"]

    assert schemas["ApiError"]["required"] == ["detail"]
    assert schemas["ApiInvalidInput"]["required"] == ["detail"]
    for path, item in document["paths"].items():
        for method, operation in item.items():
            assert "401" in operation["responses"], (method, path)
            if "{" in path:
                assert "404" in operation["responses"], (method, path)


def test_valid_reads_are_unchanged(client, db):
    """The success answers stay what they were: the declarations change the document only."""
    goal = client.get("/api/v1/sdg/goals/11")

    assert goal.status_code == 200
    assert goal.json()["number"] == 11
    assert Goal.objects.filter(number=11).exists()


def test_a_member_of_the_secretariat_still_reads_the_work_plans(client, secretariat):
    make_plan(secretariat, year=2025)

    response = client.get("/api/v1/workplans", **bearer(secretariat))

    assert response.status_code == 200
    assert [plan["year"] for plan in response.json()] == [2025]


# 500s: "³" is a digit for str.isdigit() but not for int() ------------------------------------


@pytest.mark.parametrize("url", ["/api/v1/initiatives", "/api/v1/resources"])
@pytest.mark.parametrize("name", ["year", "sdg"])
def test_a_superscript_number_in_a_catalogue_filter_is_left_aside(client, db, url, name):
    make_hub(title="Water for all")
    make_resource()
    everything = client.get(url).json()

    response = client.get(url, {name: ["³", "2²"]})

    assert response.status_code == 200
    assert response.json() == everything
    assert everything["count"] == 1


@pytest.mark.parametrize("url", ["/initiatives/", "/library/"])
@pytest.mark.parametrize("value", ["³", "2²", "9" * 5000])
def test_the_catalogue_pages_leave_odd_numbers_aside_too(client, db, url, value):
    make_hub(title="Water for all")
    make_resource()
    assert client.get(url, {"year": value, "sdg": value}).status_code == 200


def test_threads_about_a_superscript_goal_number_are_none(client, member):
    response = client.get("/api/v1/threads", {"topic": "goal", "about": "³"}, **bearer(member))

    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_a_thread_about_a_superscript_goal_number_is_a_404(client, member):
    body = {"topic": "goal", "about": "³", "title": "Indicators", "body": "Which ones?"}

    response = client.post("/api/v1/threads", json.dumps(body), JSON, **bearer(member))

    assert response.status_code == 404
    assert response.json() == NOT_FOUND
    assert Thread.objects.count() == 0


# 500s: int() refuses numbers of more than 4,300 digits ---------------------------------------

HUGE = "9" * 5000


@pytest.mark.parametrize("url", ["/api/v1/initiatives", "/api/v1/resources"])
@pytest.mark.parametrize("name", ["year", "sdg"])
def test_a_number_too_long_in_a_catalogue_filter_is_left_aside(client, db, url, name):
    make_hub(title="Water for all")
    make_resource()
    everything = client.get(url).json()

    response = client.get(url, {name: HUGE})

    assert response.status_code == 200
    assert response.json() == everything


def test_threads_about_a_goal_number_too_long_are_none(client, member):
    response = client.get("/api/v1/threads", {"topic": "goal", "about": HUGE}, **bearer(member))

    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_a_thread_about_a_goal_number_too_long_is_a_404(client, member):
    body = {"topic": "goal", "about": HUGE, "title": "Indicators", "body": "Which ones?"}

    response = client.post("/api/v1/threads", json.dumps(body), JSON, **bearer(member))

    assert response.status_code == 404
    assert Thread.objects.count() == 0


def test_a_thread_about_a_goal_number_with_a_leading_zero_still_finds_it(client, member):
    body = {"topic": "goal", "about": "011", "title": "Indicators", "body": "Which ones?"}

    response = client.post("/api/v1/threads", json.dumps(body), JSON, **bearer(member))

    assert response.status_code == 201
    assert Thread.objects.get().goal.number == 11
