"""Bad input on the network pages and API: a clear message or a plain 404, never a 500, and
nothing changes in the database."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from local4action.core.testing import bearer
from local4action.monitoring.tests.factories import make_hub
from local4action.network.models import Connection, ExchangeItem

pytestmark = pytest.mark.django_db

JSON = "application/json"


@pytest.fixture
def pair():
    (a, a_editor), (b, b_editor) = make_hub(title="Water"), make_hub(title="Rivers")
    return a, a_editor, b, b_editor


@pytest.mark.parametrize("wanted", ["abc", "-1", "³", "1.5", str(10**20), "9" * 5000])
def test_an_odd_item_to_edit_is_not_found(client, pair, wanted):
    # Given the team on its offers-and-needs page with one item
    a, a_editor, _b, _ = pair
    ExchangeItem.objects.create(
        initiative=a, side="offer", category="training", title="Budgets", created_by=a_editor
    )
    client.force_login(a_editor)
    url = reverse("network:items", args=[a.slug])
    # When the item to edit is not a plain number (or a number no item has)
    page = client.get(url, {"edit": wanted})
    post = client.post(
        url, {"item": wanted, "side": "offer", "category": "training", "title": "Changed"}
    )
    # Then the answer is a 404, not an error, and the item is unchanged
    assert page.status_code == 404 and post.status_code == 404
    assert list(ExchangeItem.objects.values_list("title", flat=True)) == ["Budgets"]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"title": "  "}, "title", "This field is required."),
        ({"title": "t" * 201}, "title", "at most 200 characters"),
        ({"description": "d" * 2001}, "description", "at most 2000 characters"),
        ({"side": "gift"}, "side", "Select a valid choice."),
    ],
)
def test_bad_items_on_the_page_are_named_and_nothing_is_saved(client, pair, fields, field, message):
    a, a_editor, _b, _ = pair
    client.force_login(a_editor)
    data = {"side": "offer", "category": "training", "title": "Budgets", **fields}
    response = client.post(reverse("network:items", args=[a.slug]), data)
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert not ExchangeItem.objects.exists()


def test_the_item_message_is_in_french_for_a_french_speaking_team(client, pair):
    a, a_editor, _b, _ = pair
    a_editor.language = "fr"
    a_editor.save()
    client.force_login(a_editor)
    response = client.post(
        reverse("network:items", args=[a.slug]),
        {"side": "offer", "category": "training", "title": " "},
    )
    assert "Ce champ est obligatoire." in response.content.decode()
    assert not ExchangeItem.objects.exists()


def test_a_connect_message_too_long_is_refused_and_nothing_is_asked(client, pair):
    a, a_editor, b, _ = pair
    client.force_login(a_editor)
    response = client.post(
        reverse("network:connect", args=[b.slug]),
        {"source": a.pk, "kind": "mentoring", "message": "m" * 2001},
    )
    assert response.status_code == 200
    assert "at most 2000 characters" in response.content.decode()
    assert not Connection.objects.exists()


@pytest.mark.parametrize("source", ["abc", "-1", str(10**20), "³"])
def test_an_odd_source_initiative_is_refused_in_the_form(client, pair, source):
    a, a_editor, b, _ = pair
    client.force_login(a_editor)
    response = client.post(
        reverse("network:connect", args=[b.slug]), {"source": source, "kind": "mentoring"}
    )
    assert response.status_code == 200
    assert "source" in response.context["form"].errors
    assert not Connection.objects.exists()


def test_connecting_without_the_csrf_token_is_refused(pair):
    a, a_editor, b, _ = pair
    client = Client(enforce_csrf_checks=True)
    client.force_login(a_editor)
    response = client.post(
        reverse("network:connect", args=[b.slug]), {"source": a.pk, "kind": "mentoring"}
    )
    assert response.status_code == 403
    assert not Connection.objects.exists()


@pytest.mark.parametrize("pk", [999999, 10**20])
def test_unknown_connections_and_items_are_not_found(client, pair, pk):
    _a, a_editor, _b, _ = pair
    client.force_login(a_editor)
    assert client.post(reverse("network:decide", args=[pk]), {"accept": "1"}).status_code == 404
    assert client.post(reverse("network:withdraw", args=[pk])).status_code == 404
    assert client.post(reverse("network:item_delete", args=[pk])).status_code == 404


@pytest.mark.parametrize(
    "query", ["goal=abc", "goal=-1", f"goal={10**20}", "region=³", "goal=3&region=x&foo=bar"]
)
def test_odd_filters_on_the_picture_and_its_data_are_left_aside(client, query):
    assert client.get(reverse("network:picture") + "?" + query).status_code == 200
    response = client.get(reverse("network:graph_data") + "?" + query)
    assert response.status_code == 200
    assert set(response.json()) >= {"nodes", "edges"}


@pytest.mark.parametrize(
    "body",
    ['{"source": "a", ', "[]", '"just a string"', "null", "{'source': 'a'}"],
)
def test_malformed_json_to_the_connections_api_is_a_400_and_asks_nothing(client, pair, body):
    _a, a_editor, _b, _ = pair
    response = client.post("/api/v1/connections", body, content_type=JSON, **bearer(a_editor))
    assert response.status_code in (400, 422)
    assert "detail" in response.json()
    assert not Connection.objects.exists()


@pytest.mark.parametrize(
    "extra",
    [{"kind": 7}, {"message": ["a", "b"]}, {"source": None}, {"message": "m" * 100_000}],
)
def test_wrong_types_in_the_connection_body_are_refused(client, pair, extra):
    a, a_editor, b, _ = pair
    body = {"source": a.slug, "target": b.slug, "kind": "peer_learning", **extra}
    response = client.post(
        "/api/v1/connections", json.dumps(body), content_type=JSON, **bearer(a_editor)
    )
    assert response.status_code in (400, 422)
    assert not Connection.objects.exists()


@pytest.mark.parametrize("pk", ["abc", "-1", str(10**20)])
def test_odd_connection_ids_in_the_api_are_refused_not_an_error(client, pair, pk):
    _a, a_editor, _b, _ = pair
    response = client.post(f"/api/v1/connections/{pk}/accept", **bearer(a_editor))
    assert response.status_code in (404, 422)


@pytest.mark.parametrize("limit", ["abc", "-1", "0", str(10**20)])
def test_odd_limits_on_related_initiatives_are_a_422(client, pair, limit):
    a, _e, _b, _ = pair
    response = client.get(f"/api/v1/initiatives/{a.slug}/related?limit={limit}")
    assert response.status_code == 422
