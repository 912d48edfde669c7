"""The network picture: the graph's JSON and filters, the table alternative, the secretariat's
numbers."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from local4action.accounts.tests.factories import UserFactory
from local4action.core.models import Goal, RegionalSection
from local4action.core.testing import assert_queries_constant
from local4action.monitoring.tests.factories import make_hub
from local4action.network import selectors, services
from local4action.network.models import Connection

pytestmark = pytest.mark.django_db

PICTURE = reverse("network:picture")
GRAPH = reverse("network:graph_data")


def hub_in(section, goals=(), title="A HUB", status="labelled"):
    hub, editor = make_hub(title=title, status=status)
    organization = hub.lead_organization
    organization.regional_section = section
    organization.save()
    hub.goals.set(Goal.objects.filter(number__in=goals))
    return hub, editor


def connect(a, a_editor, b, b_editor, when=None) -> Connection:
    connection = services.connection_request(
        actor=a_editor, source=a, target=b, kind="peer_learning"
    )
    connection = services.connection_decide(actor=b_editor, connection=connection, accept=True)
    if when:
        Connection.objects.filter(pk=connection.pk).update(decided_at=when)
    return connection


@pytest.fixture
def network():
    """Three public HUBs in two regions, a draft, and connections between them."""
    europe, africa = RegionalSection.objects.all()[:2]
    a, a_editor = hub_in(europe, goals=[11, 13], title="Green Lyon")
    b, b_editor = hub_in(europe, goals=[6], title="Clean rivers")
    c, c_editor = hub_in(africa, goals=[11], title="Dakar mobility")
    lone, _ = hub_in(africa, goals=[4], title="Lonely schools")
    draft, draft_editor = hub_in(europe, goals=[11], title="Secret draft", status="draft")
    ab = connect(a, a_editor, b, b_editor)
    ac = connect(a, a_editor, c, c_editor)
    # A connection accepted while both were public, then one left the public list.
    hidden = Connection(
        source=c, target=draft, kind="mentoring", status="accepted", decided_at=timezone.now()
    )
    hidden.save()
    return {
        "europe": europe,
        "africa": africa,
        "a": a,
        "b": b,
        "c": c,
        "lone": lone,
        "draft": draft,
        "ab": ab,
        "ac": ac,
        "draft_editor": draft_editor,
    }


def ids(data):
    return {node["id"] for node in data["nodes"]}


def test_graph_has_public_initiatives_and_accepted_connections(network):
    a, b, c = network["a"], network["b"], network["c"]
    data = selectors.graph()
    assert ids(data) == {a.pk, b.pk, c.pk, network["lone"].pk}
    assert {(e["source"], e["target"]) for e in data["edges"]} == {(a.pk, b.pk), (a.pk, c.pk)}
    node = next(n for n in data["nodes"] if n["id"] == a.pk)
    assert node["goal"] == 11 and node["goals"] == [11, 13]
    assert node["goal_color"] == Goal.objects.get(number=11).color
    assert node["region"] == network["europe"].pk
    assert node["url"] == a.get_absolute_url()
    assert node["connections"] == 2
    # The connection with the draft is not counted.
    assert next(n for n in data["nodes"] if n["id"] == c.pk)["connections"] == 1


def test_graph_json_applies_the_filters(client, network):
    a, b, c = network["a"], network["b"], network["c"]
    data = client.get(GRAPH).json()
    assert network["draft"].pk not in ids(data)
    data = client.get(GRAPH, {"goal": 11}).json()
    assert ids(data) == {a.pk, c.pk}
    assert [(e["source"], e["target"]) for e in data["edges"]] == [(a.pk, c.pk)]
    data = client.get(GRAPH, {"region": network["europe"].pk}).json()
    assert ids(data) == {a.pk, b.pk}
    data = client.get(GRAPH, {"region": network["europe"].pk, "goal": 6}).json()
    assert ids(data) == {b.pk}
    assert data["edges"] == []
    # Unknown values are dropped, not a 500.
    data = client.get(GRAPH, {"goal": "eleven", "region": 999999}).json()
    assert len(data["nodes"]) == 4
    data = client.get(GRAPH, {"goal": "99", "region": network["africa"].pk}).json()
    assert ids(data) == {c.pk, network["lone"].pk}


def test_picture_page_has_the_table_and_the_graph_source(client, network):
    response = client.get(PICTURE, {"goal": 11})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Green Lyon" in html and "Dakar mobility" in html
    assert "Clean rivers" not in html and "Secret draft" not in html
    assert f'data-src="{GRAPH}?goal=11"' in html
    assert "<caption" in html
    rows = {node["title"]: node for node in response.context["nodes"]}
    assert rows["Green Lyon"]["connections"] == 2
    assert "vendor/cytoscape/cytoscape.min.js" in html


def test_numbers_are_for_the_secretariat_and_partners(client, network, user, secretariat):
    client.force_login(user)
    assert client.get(PICTURE).context["numbers"] is None
    assert "Numbers for the secretariat" not in client.get(PICTURE).content.decode()
    for person in (secretariat, UserFactory(roles={"partner"})):
        client.force_login(person)
        response = client.get(PICTURE)
        assert response.context["numbers"] is not None
        assert "Numbers for the secretariat" in response.content.decode()


def test_numbers(network):
    march = datetime.datetime(2026, 3, 15, 12, tzinfo=datetime.UTC)
    may = datetime.datetime(2026, 5, 10, 12, tzinfo=datetime.UTC)
    Connection.objects.filter(pk=network["ab"].pk).update(decided_at=march)
    Connection.objects.filter(pk=network["ac"].pk).update(decided_at=may)
    Connection.objects.exclude(pk__in=[network["ab"].pk, network["ac"].pk]).update(decided_at=may)
    # Before the last 12 months: not in the monthly counts.
    d, d_editor = hub_in(network["africa"], title="Old friend")
    e, e_editor = hub_in(network["africa"], title="Old friend too")
    connect(d, d_editor, e, e_editor, when=datetime.datetime(2024, 1, 15, tzinfo=datetime.UTC))
    # Declined and waiting requests count nowhere.
    waiting = services.connection_request(
        actor=d_editor, source=d, target=network["lone"], kind="mentoring"
    )
    assert waiting.status == "requested"

    figures = selectors.numbers(now=datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC))
    months = [(row["month"].year, row["month"].month, row["count"]) for row in figures["per_month"]]
    assert months == [(2026, 3, 1), (2026, 5, 2)]
    # ab (Europe–Europe), ac (Europe–Africa), c–draft (Africa–Europe), d–e (Africa–Africa).
    assert figures["connections"] == 4
    assert figures["cross_region_share"] == 0.5
    # Public: a, b, c, lone, d, e; only lone has no connection.
    assert figures["initiatives"] == 6
    assert figures["without_connection"] == 1


def test_picture_page_shows_the_numbers(client, network, secretariat):
    client.force_login(secretariat)
    response = client.get(PICTURE)
    numbers = response.context["numbers"]
    assert numbers["cross_region_percent"] == 67  # 2 of 3 connections cross regions
    assert numbers["without_connection"] == 1
    html = response.content.decode()
    assert "data-chart=" in html
    assert "67 %" in html


def test_picture_queries_stay_constant(client, secretariat):
    europe = RegionalSection.objects.first()
    client.force_login(secretariat)
    state = {"last": None}

    def add_rows(n):
        for i in range(n):
            hub, editor = hub_in(europe, goals=[i % 17 + 1, 3], title=f"Hub {i}")
            if state["last"]:
                connect(hub, editor, *state["last"])
            state["last"] = (hub, editor)

    assert_queries_constant(client, PICTURE, add_rows, rows=6)
    assert_queries_constant(client, GRAPH + "?goal=3", add_rows, rows=4)
