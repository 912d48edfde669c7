"""Bad input to the API's writes and reads (the routers of events, network, exchange, library
and workplan): a declared 4xx with a JSON `detail`, never a 500, and nothing saved."""

import json

import pytest

from local4action.core.models import Goal
from local4action.core.testing import bearer
from local4action.events.models import Idea, Registration
from local4action.events.tests.factories import make_event, make_registration, make_session
from local4action.exchange import services as exchange_services
from local4action.exchange.models import Post, Thread
from local4action.monitoring.tests.factories import make_hub
from local4action.network.models import Connection
from local4action.workplan.models import ActionUpdate
from local4action.workplan.tests.factories import make_plan

pytestmark = pytest.mark.django_db

JSON = "application/json"


@pytest.fixture
def world(secretariat):
    """One object behind each write of the apps, and a team editor who may write."""
    hub, editor = make_hub(title="Water")
    other, _ = make_hub(title="Rivers")
    event = make_event()
    session = make_session(event, kind="co_creation", board_open=True)
    make_registration(event, editor)
    plan = make_plan(secretariat, year=2025)
    return {
        "editor": editor,
        "secretariat": secretariat,
        "hub": hub,
        "other": other,
        "event": event,
        "session": session,
        "action": plan.actions.order_by("pk").first(),
    }


def writes(world) -> list[tuple[str, str]]:
    """(url, who writes) for every POST of the apps that takes a body."""
    event, session, action = world["event"], world["session"], world["action"]
    return [
        ("/api/v1/connections", "editor"),
        ("/api/v1/threads", "editor"),
        (f"/api/v1/events/{event.slug}/registrations", "editor"),
        (f"/api/v1/events/{event.slug}/sessions/{session.pk}/ideas", "editor"),
        (f"/api/v1/workplan-actions/{action.pk}/updates", "secretariat"),
    ]


def counts() -> tuple:
    return (
        Connection.objects.count(),
        Thread.objects.count(),
        Post.objects.count(),
        Registration.objects.count(),
        Idea.objects.count(),
        ActionUpdate.objects.count(),
    )


BAD_BODIES = [
    pytest.param('{"kind": ', id="truncated"),
    pytest.param("{'kind': 'x'}", id="single-quotes"),
    pytest.param("", id="empty"),
    pytest.param("[]", id="array"),
    pytest.param("null", id="null"),
    pytest.param('"text"', id="string"),
    pytest.param("1e999", id="infinity"),
    pytest.param("NaN", id="nan"),
    pytest.param(b"\xff\xfe\x00", id="not-utf8"),
    pytest.param("[" * 100_000 + "]" * 100_000, id="nested-100000-deep"),
    pytest.param('{"a": ' * 50_000 + "1" + "}" * 50_000, id="objects-50000-deep"),
]


@pytest.mark.parametrize("body", BAD_BODIES)
def test_bodies_that_are_not_a_json_object_are_refused_by_every_write(client, world, body):
    # Given every write of the apps
    before = counts()
    for url, who in writes(world):
        # When the body is not a JSON object
        response = client.post(url, body, content_type=JSON, **bearer(world[who]))
        # Then the answer is a 400 or 422 with its reason, and nothing is saved
        assert response.status_code in (400, 422), (url, response.status_code)
        assert response.json()["detail"], url
    assert counts() == before


def test_a_form_encoded_body_is_refused_by_every_write(client, world):
    before = counts()
    for url, who in writes(world):
        response = client.post(url, {"kind": "peer_learning"}, **bearer(world[who]))
        assert response.status_code in (400, 422), url
    assert counts() == before


@pytest.mark.parametrize("value", [None, 42, 1.5, True, [], {}, "x" * 100_000, "\x00"])
def test_a_field_of_the_wrong_type_or_size_is_refused_and_nothing_is_saved(client, world, value):
    # Given a thread body where the title is replaced with a value of the wrong type or size
    body = {"topic": "goal", "about": "11", "title": value, "body": "Hello"}
    response = client.post(
        "/api/v1/threads", json.dumps(body), content_type=JSON, **bearer(world["editor"])
    )
    # Then it is refused, and nothing is opened
    assert response.status_code in (400, 422), response.content
    assert not Thread.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/threads/{n}",
        "/api/v1/workplan-actions/{n}",
        "/api/v1/workplan-actions/{n}/updates",
        "/api/v1/workplans/{n}",
    ],
)
@pytest.mark.parametrize("n", ["-1", "0", str(10**20), "9" * 5000, "³", "1.5", "abc"])
def test_odd_ids_in_paths_are_a_404_or_a_422(client, world, url, n):
    response = client.get(url.format(n=n), **bearer(world["secretariat"]))
    assert response.status_code in (404, 422), response.status_code
    assert response.json()["detail"]


@pytest.mark.parametrize("n", ["-1", str(10**20), "9" * 5000, "³"])
def test_odd_ids_in_write_paths_save_nothing(client, world, n):
    before = counts()
    editor = bearer(world["editor"])
    slug = world["event"].slug
    for url in (
        f"/api/v1/connections/{n}/accept",
        f"/api/v1/threads/{n}/posts",
        f"/api/v1/posts/{n}/reports",
        f"/api/v1/events/{slug}/ideas/{n}/vote",
        f"/api/v1/events/{slug}/sessions/{n}/ideas",
    ):
        response = client.post(
            url,
            json.dumps({"body": "x", "reason": "spam", "text": "x"}),
            content_type=JSON,
            **editor,
        )
        assert response.status_code in (404, 422), (url, response.status_code)
    assert counts() == before


@pytest.mark.parametrize(
    "query",
    [
        "page=-1",
        f"page={10**20}",
        "page=" + "9" * 5000,
        "page=³",
        "limit=-5",
        "unknown=1&utm_source=mail",
        "q=" + "x" * 5000,
        "q=%00",
    ],
)
def test_odd_query_parameters_on_the_lists_are_a_422_or_ignored(client, world, query):
    for url in ("/api/v1/events", "/api/v1/threads", "/api/v1/resources", "/api/v1/collections"):
        response = client.get(f"{url}?{query}", **bearer(world["editor"]))
        assert response.status_code in (200, 422), (url, response.status_code)
        assert response["Content-Type"].startswith("application/json")


def test_a_patch_with_a_body_that_is_not_json_changes_nothing(client, world):
    thread = exchange_services.thread_create(
        actor=world["editor"],
        topic="goal",
        about=Goal.objects.get(number=11),
        title="Walkable",
        body="<p>Hello</p>",
    )
    post = thread.posts.get()
    response = client.patch(
        f"/api/v1/posts/{post.pk}", "{body:", content_type=JSON, **bearer(world["editor"])
    )
    assert response.status_code == 400
    post.refresh_from_db()
    assert post.body == "<p>Hello</p>"


@pytest.mark.parametrize("body", ["null", "[]", '"text"', "42"])
def test_writes_whose_fields_are_all_optional_refuse_a_body_that_is_not_an_object(
    client, world, body
):
    # Given a deliverable, whose PATCH takes only optional fields
    from local4action.monitoring.models import Deliverable
    from local4action.monitoring.services import deliverable_save

    deliverable = deliverable_save(
        actor=world["editor"],
        initiative=world["hub"],
        data={"title": "Forum", "due_date": "2030-01-01"},
    )
    before = Deliverable.objects.values().get(pk=deliverable.pk)
    # When the body is JSON but not an object
    response = client.patch(
        f"/api/v1/deliverables/{deliverable.pk}", body, JSON, **bearer(world["editor"])
    )
    # Then it is refused, not read as an empty object, and nothing changes
    assert response.status_code == 400
    assert response.json()["detail"]
    assert Deliverable.objects.values().get(pk=deliverable.pk) == before
