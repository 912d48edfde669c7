"""In a real Chromium: the home page and a HUB page stay under 300 KB on first load, and the
home, HUB, goal and coverage pages pass axe."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from local4action.core.models import Goal
from local4action.core.testing import axe_violations
from local4action.events.tests.factories import make_event
from local4action.initiatives.models import Location
from local4action.monitoring import services
from local4action.monitoring.tests.factories import make_hub, make_indicator

pytestmark = pytest.mark.browser

LIMIT = 300 * 1024
COUNTED = {"document", "stylesheet", "script", "font"}


def a_full_hub():
    hub, editor = make_hub(title="Participatory budgets in Bilbao")
    hub.summary = "Neighbours decide how a share of the city budget is spent."
    hub.save()
    hub.goals.set(Goal.objects.filter(number__in=[7, 11, 16]))
    Location.objects.create(
        initiative=hub, name="Bilbao", latitude=Decimal("43.263"), longitude=Decimal("-2.935")
    )
    services.deliverable_save(
        actor=editor,
        initiative=hub,
        data={
            "title": "Assemblies held",
            "due_date": timezone.localdate() - datetime.timedelta(days=5),
            "status": "delivered",
            "delivered_on": timezone.localdate() - datetime.timedelta(days=6),
        },
    )
    indicator = make_indicator(hub, editor)
    services.measurement_add(
        actor=editor, indicator=indicator, date=timezone.localdate(), value=Decimal("55")
    )
    make_event(title="Forum of local governments").initiatives.add(hub)
    return hub


def first_load_bytes(page, url: str) -> int:
    sizes = []

    def count(response):
        if response.request.resource_type in COUNTED:
            sizes.append(len(response.body()))

    page.on("response", count)
    page.goto(url, wait_until="networkidle")
    page.remove_listener("response", count)
    assert sizes, "no response was counted"
    return sum(sizes)


def test_home_and_hub_page_weigh_under_300_kb(new_page, reference_data):
    hub = a_full_hub()

    home = first_load_bytes(new_page(), "/")
    hub_page = first_load_bytes(new_page(), hub.get_absolute_url())

    print(f"first load: home {home} bytes, HUB page {hub_page} bytes")
    assert home < LIMIT, f"home: {home} bytes"
    assert hub_page < LIMIT, f"HUB page: {hub_page} bytes"


def test_portal_pages_pass_axe(page, reference_data):
    hub = a_full_hub()

    for url in ("/", hub.get_absolute_url(), "/sdg/11/", "/sdg/coverage/"):
        page.goto(url)
        assert axe_violations(page) == [], url
    page.goto(hub.get_absolute_url())
    assert page.get_by_text("1 of 1 deliverable delivered.").is_visible()


def test_hub_page_on_a_phone_in_spanish(new_page, reference_data):
    hub = a_full_hub()
    page = new_page(viewport={"width": 360, "height": 740})

    page.goto(hub.get_absolute_url() + "?lang=es")

    assert page.locator("html").get_attribute("lang") == "es"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page scrolls sideways: {width}px"
    assert axe_violations(page) == []
