"""The co-creation board in a real Chromium, with two participants in two browser contexts: an
idea posted by one appears for the other without reloading, votes show in both, an organizer
retains the idea and its billboard PNG renders; axe finds no serious problem on the board."""

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from local4action.accounts.tests.factories import (
    MembershipFactory,
    OrganizationFactory,
    UserFactory,
)
from local4action.core.models import Goal
from local4action.core.testing import axe_violations, log_in
from local4action.events.models import Idea
from local4action.events.tests.factories import make_event, make_registration, make_session

pytestmark = pytest.mark.browser

LIVE = 3_000  # milliseconds: the issue asks for news within 3 seconds
IDEA = "A city where every child walks safely to school"


def test_two_participants_share_a_live_board_and_the_billboard_renders(new_page, reference_data):
    organizers = OrganizationFactory(name="Barcelona City Council")
    organizer = MembershipFactory(organization=organizers, role="admin").user
    event = make_event(organizers=[organizers])
    event.goals.set(Goal.objects.filter(number__in=[11, 17]))
    session = make_session(
        event,
        title="A billboard for your city",
        kind="co_creation",
        prompt="Write the message of a billboard for your city",
        board_open=True,
        billboards=True,
    )
    alice = MembershipFactory(organization__name="Lyon", role="member").user
    bob = UserFactory()
    for person in (alice, bob):
        make_registration(event, person)
    url = f"/events/{event.slug}/sessions/{session.pk}/board/"

    first = log_in(new_page, alice)
    second = log_in(new_page, bob)
    for page in (first, second):
        page.goto(url)
        page.get_by_role("heading", name="A billboard for your city").wait_for()
        # Marks the loaded document: if the page reloaded, the mark would be gone.
        page.evaluate("window.boardMark = 'same page'")
    assert first.get_by_label("City").input_value() == "Lyon"

    # A posts; B sees the idea without reloading.
    first.get_by_label("Your idea").fill(IDEA)
    expect(first.locator("#idea-used")).to_have_text(str(len(IDEA)))
    first.get_by_role("button", name="Post the idea").click()
    expect(first.locator("#board-ideas")).to_contain_text(IDEA, timeout=LIVE)
    expect(first.get_by_label("Your idea")).to_have_value("")
    card_b = second.locator("#board-ideas li", has_text=IDEA)
    expect(card_b).to_be_visible(timeout=LIVE)
    assert Idea.objects.get().city == "Lyon"

    # A cannot vote for their own idea; B votes and both see one vote.
    card_a = first.locator("#board-ideas li", has_text=IDEA)
    expect(card_a.get_by_role("button", name="Vote")).to_have_count(0)
    card_b.get_by_role("button", name="Vote").click()
    expect(card_b).to_contain_text("1 vote", timeout=LIVE)
    expect(card_a).to_contain_text("1 vote", timeout=LIVE)
    expect(card_b.get_by_role("button", name="Withdraw my vote")).to_be_visible()
    for page in (first, second):
        assert page.evaluate("window.boardMark") == "same page"

    assert axe_violations(first) == []

    # An organizer retains the idea; its billboard appears for the participants and renders.
    # …on a phone.
    office = log_in(lambda: new_page(viewport={"width": 360, "height": 740}), organizer)
    office.goto(url)
    assert office.evaluate("document.documentElement.scrollWidth") <= 360
    card = office.locator("#board-ideas li", has_text=IDEA)
    card.get_by_role("button", name="Retain").click()
    expect(card).to_contain_text("Retained", timeout=LIVE)
    expect(card_a.get_by_role("link", name="Billboard (PNG)")).to_be_visible(timeout=LIVE)
    assert axe_violations(office) == []

    href = card.get_by_role("link", name="Billboard (PNG)").get_attribute("href")
    download = office.request.get(href)
    assert download.ok
    assert download.headers["content-type"] == "image/png"
    body = download.body()
    assert body.startswith(b"\x89PNG\r\n\x1a\n")
    assert Image.open(io.BytesIO(body)).size == (1200, 628)
    # Any participant may download it too.
    assert first.request.get(href).body().startswith(b"\x89PNG")


def test_the_board_works_without_javascript(new_page, reference_data):
    event = make_event()
    session = make_session(event, kind="co_creation", board_open=True, prompt="Your message")
    alice, bob = UserFactory(), UserFactory()
    for person in (alice, bob):
        make_registration(event, person)
    url = f"/events/{event.slug}/sessions/{session.pk}/board/"

    first = log_in(lambda: new_page(java_script_enabled=False), alice)
    first.goto(url)
    first.get_by_label("Your idea").fill("Plant trees along the river")
    first.get_by_role("button", name="Post the idea").click()
    expect(first.get_by_text("Your idea is on the board.")).to_be_visible()

    second = log_in(lambda: new_page(java_script_enabled=False), bob)
    second.goto(url)
    card = second.locator("#board-ideas li", has_text="Plant trees along the river")
    card.get_by_role("button", name="Vote").click()
    expect(second.get_by_text("Your vote is counted.")).to_be_visible()
    expect(card).to_contain_text("1 vote")
    first.get_by_role("link", name="Refresh").click()
    expect(first.locator("#board-ideas li", has_text="Plant trees")).to_contain_text("1 vote")
