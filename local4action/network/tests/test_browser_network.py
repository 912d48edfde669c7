"""The network in a real Chromium: the picture draws the graph (and keeps its table), a node
opens its initiative, a team asks another to connect; axe finds no serious problem on the
picture, the connect form, the offers and needs page and the HUB page."""

import re

import pytest
from playwright.sync_api import expect

from local4action.core.models import Goal, RegionalSection
from local4action.core.testing import axe_violations, log_in
from local4action.monitoring.tests.factories import make_hub
from local4action.network import services
from local4action.network.models import Connection

pytestmark = pytest.mark.browser


def hub_in(section, goals, title):
    hub, editor = make_hub(title=title)
    hub.lead_organization.regional_section = section
    hub.lead_organization.save()
    hub.goals.set(Goal.objects.filter(number__in=goals))
    return hub, editor


def test_picture_draws_the_graph_and_a_node_opens_its_page(new_page, reference_data):
    europe, africa = RegionalSection.objects.all()[:2]
    a, a_editor = hub_in(europe, [11], "Green Lyon")
    b, b_editor = hub_in(europe, [6], "Clean rivers")
    c, _c_editor = hub_in(africa, [11, 13], "Dakar mobility")
    make_hub(title="Not public yet", status="draft")
    connection = services.connection_request(
        actor=a_editor, source=a, target=b, kind="peer_learning"
    )
    services.connection_decide(actor=b_editor, connection=connection, accept=True)

    page = new_page()
    page.goto("/network/")
    graph = page.locator("#network-graph")
    expect(graph).to_have_attribute("data-nodes", "3")
    expect(graph).to_have_attribute("data-edges", "1")
    expect(graph.locator("canvas").first).to_be_attached()
    assert page.evaluate("() => window.cy.nodes().length") == 3
    # The table alternative is always there.
    expect(page.locator("table.network-table tbody tr")).to_have_count(3)
    expect(page.get_by_role("rowheader", name="Dakar mobility")).to_be_visible()
    # Colour by SDG, then by region: the legend follows.
    expect(page.locator("#network-legend")).to_contain_text("SDG 11")
    page.select_option("#network-colour-by", "region")
    expect(page.locator("#network-legend")).to_contain_text(europe.name)
    colour = page.evaluate(f"() => window.cy.getElementById('{c.pk}').data('colour')")
    assert colour != page.evaluate(f"() => window.cy.getElementById('{a.pk}').data('colour')")
    assert axe_violations(page) == []

    # Filters apply to the graph too.
    page.goto("/network/?goal=11")
    expect(page.locator("#network-graph")).to_have_attribute("data-nodes", "2")

    # Choosing a node opens the initiative's page.
    page.evaluate(f"() => window.cy.getElementById('{c.pk}').emit('tap')")
    page.wait_for_url(re.compile(re.escape(c.get_absolute_url()) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Dakar mobility")


def test_a_team_asks_to_connect_and_manages_offers(new_page, reference_data):
    a, a_editor = make_hub(title="Green Lyon")
    b, b_editor = make_hub(title="Clean rivers")
    services.exchange_item_save(
        actor=b_editor,
        initiative=b,
        data={"side": "offer", "category": "training", "title": "River clean-up training"},
    )

    page = log_in(new_page, a_editor)
    page.goto(b.get_absolute_url())
    expect(page.get_by_text("River clean-up training")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name=re.compile("^Connect")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Connect with Clean rivers")
    assert axe_violations(page) == []
    page.get_by_label("Kind of connection").select_option("replication")
    page.get_by_label("Message").fill("We would like to replicate your clean-up days.")
    page.get_by_role("button", name="Send the request").click()
    expect(page.locator(".messages")).to_contain_text("Your request has been sent")
    assert Connection.objects.get().kind == "replication"

    # The other team accepts from its HUB page.
    other = log_in(new_page, b_editor)
    other.goto(b.get_absolute_url())
    assert axe_violations(other) == []
    other.get_by_role("button", name=re.compile("^Accept")).click()
    expect(other.locator(".messages")).to_contain_text("The connection is accepted")
    expect(other.locator("#connections")).to_contain_text("Green Lyon")
    page.goto(a.get_absolute_url())
    expect(page.locator("#connections")).to_contain_text("Clean rivers")

    # Offers and needs.
    page.goto(f"/initiatives/{a.slug}/offers-needs/")
    assert axe_violations(page) == []
    page.get_by_role("radio", name="Need").check()
    page.get_by_role("combobox", name="Category").select_option("training")
    page.get_by_role("textbox", name="Title").fill("Training on river clean-up")
    page.get_by_role("button", name="Add").click()
    expect(page.locator("#matches-heading + ul")).to_contain_text("Same category: Training")
    assert axe_violations(page) == []
