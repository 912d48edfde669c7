"""The network API: related initiatives with their reasons, connections and requests; bad
input refused with clear JSON (never a 500), nothing changed."""

import json

import pytest

from local4action.core.testing import bearer
from local4action.monitoring.tests.factories import make_hub
from local4action.network.models import Connection, Relation

JSON = "application/json"


def post(client, url, body=None, **headers):
    return client.post(url, json.dumps(body or {}), content_type=JSON, **headers)


@pytest.fixture
def hubs(db):
    (a, a_editor), (b, b_editor) = make_hub(title="Water"), make_hub(title="Rivers")
    return a, a_editor, b, b_editor


def _ask(client, source, target, editor, **extra):
    body = {"source": source.slug, "target": target.slug, "kind": "peer_learning", **extra}
    return post(client, "/api/v1/connections", body, **bearer(editor))


def test_related_initiatives_come_best_first_with_translated_reasons(client, hubs):
    a, _editor, b, _other = hubs
    c, _ = make_hub(title="Canals")
    Relation.objects.create(
        initiative=a, other=b, score=0.8, reasons={"text": 0.7, "targets": ["11.2"]}
    )
    Relation.objects.create(initiative=a, other=c, score=0.4, reasons={"text": 0, "region": True})

    response = client.get(f"/api/v1/initiatives/{a.slug}/related")

    assert response.status_code == 200
    found = response.json()
    assert [r["initiative"]["slug"] for r in found] == [b.slug, c.slug]
    assert found[0]["reasons"] == [
        {"code": "text", "label": "Similar description", "value": 0.7},
        {"code": "targets", "label": "Shared SDG targets", "value": ["11.2"]},
    ]
    assert found[1]["reasons"] == [{"code": "region", "label": "Same region", "value": True}]
    assert client.get(f"/api/v1/initiatives/{a.slug}/related?limit=1").json()[0]["score"] == 0.8
    assert client.get(f"/api/v1/initiatives/{a.slug}/related?limit=500").status_code == 422


def test_a_draft_has_no_related_initiatives_nor_connections_for_outsiders(client, db):
    draft, _editor = make_hub(status="draft")

    assert client.get(f"/api/v1/initiatives/{draft.slug}/related").status_code == 404
    assert client.get(f"/api/v1/initiatives/{draft.slug}/connections").status_code == 404
    assert client.get("/api/v1/initiatives/nope/related").status_code == 404


def test_a_team_asks_to_connect_and_the_other_team_accepts(client, hubs):
    a, a_editor, b, b_editor = hubs

    asked = _ask(client, a, b, a_editor, message="Let us learn together.")

    assert asked.status_code == 201
    data = asked.json()
    assert data["status"] == "requested" and data["source"]["slug"] == a.slug
    # Waiting requests are for the teams; the public sees accepted connections only.
    assert client.get(f"/api/v1/initiatives/{b.slug}/connections").json()["count"] == 0
    mine = client.get(f"/api/v1/initiatives/{b.slug}/connections", **bearer(b_editor)).json()
    assert mine["count"] == 1

    accepted = post(client, f"/api/v1/connections/{data['id']}/accept", **bearer(b_editor))

    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    public = client.get(f"/api/v1/initiatives/{a.slug}/connections").json()
    assert public["count"] == 1 and public["page"] == 1 and public["pages"] == 1
    assert public["results"][0]["target"]["slug"] == b.slug


def test_the_other_team_declines_and_the_source_withdraws(client, hubs):
    a, a_editor, b, b_editor = hubs
    first = _ask(client, a, b, a_editor).json()

    declined = post(client, f"/api/v1/connections/{first['id']}/decline", **bearer(b_editor))
    second = _ask(client, a, b, a_editor).json()
    withdrawn = post(client, f"/api/v1/connections/{second['id']}/withdraw", **bearer(a_editor))

    assert declined.json()["status"] == "declined"
    assert withdrawn.json()["status"] == "withdrawn"
    again = post(client, f"/api/v1/connections/{second['id']}/withdraw", **bearer(a_editor))
    assert again.status_code == 400
    assert again.json()["detail"] == ["This connection is no longer active."]


def test_connecting_to_itself_or_twice_is_refused_with_a_clear_message(client, hubs):
    a, a_editor, b, b_editor = hubs

    itself = _ask(client, a, a, a_editor)
    _ask(client, a, b, a_editor)
    twice = _ask(client, a, b, a_editor)
    reverse = _ask(client, b, a, b_editor)

    assert itself.status_code == 400
    assert itself.json()["detail"] == ["An initiative cannot connect with itself."]
    assert twice.status_code == 400 and reverse.status_code == 400
    assert "already waiting" in twice.json()["detail"][0]
    assert Connection.objects.count() == 1


def test_bad_kinds_long_messages_and_unknown_initiatives_are_refused(client, hubs):
    a, a_editor, b, _ = hubs

    kind = _ask(client, a, b, a_editor, kind="<script>alert(1)</script>")
    long = _ask(client, a, b, a_editor, message="x" * 2001)
    unknown = _ask(client, a, type("I", (), {"slug": "nope"})(), a_editor)
    shape = post(client, "/api/v1/connections", {"source": a.slug}, **bearer(a_editor))
    nul = _ask(client, a, b, a_editor, message="a\x00b")

    assert kind.status_code == 400 and "kind" in kind.json()["fields"]
    assert long.status_code == 400 and "message" in long.json()["fields"]
    assert unknown.status_code == 404
    assert shape.status_code == 422
    assert nul.status_code == 201 and nul.json()["message"] == "ab"


def test_only_the_teams_may_ask_and_answer(client, hubs, other_user):
    a, a_editor, b, b_editor = hubs

    outsider = _ask(client, a, b, other_user)
    anonymous = post(
        client,
        "/api/v1/connections",
        {"source": a.slug, "target": b.slug, "kind": "mentoring"},
    )
    connection = _ask(client, a, b, a_editor).json()
    # The source cannot accept its own request: the target's team answers.
    self_accept = post(client, f"/api/v1/connections/{connection['id']}/accept", **bearer(a_editor))
    stranger = post(client, f"/api/v1/connections/{connection['id']}/accept", **bearer(other_user))

    assert outsider.status_code == 403
    assert anonymous.status_code == 401
    assert self_accept.status_code == 403 and stranger.status_code == 403
    assert Connection.objects.get().status == "requested"
    assert post(client, "/api/v1/connections/999999/accept", **bearer(b_editor)).status_code == 404


def test_the_openapi_document_still_builds(client):
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/v1/initiatives/{slug}/related" in paths
    assert "/api/v1/connections/{id}/accept" in paths
    assert "/api/v1/initiatives/{slug}" in paths
    schemas = response.json()["components"]["schemas"]
    assert "NetworkConnectionOut" in schemas and "ExchangeThreadOut" in schemas
