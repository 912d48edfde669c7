"""The dashboards in a real Chromium: Chart.js draws every chart beside its table, without
motion for people who ask for none, the tables alone work without JavaScript, and axe finds
no serious accessibility problem."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from local4action.accounts.tests.factories import UserFactory
from local4action.core.models import Goal, RegionalSection
from local4action.core.testing import axe_violations, log_in
from local4action.monitoring import services
from local4action.monitoring.tests.factories import make_hub, make_indicator

pytestmark = pytest.mark.browser

DRAWN = "() => document.querySelectorAll('figure.chart-drawn canvas').length === %d"
ALL_CHARTS_RAN = """() => [...document.querySelectorAll('figure.chart canvas')]
    .every(canvas => Chart.getChart(canvas) && canvas.width > 0 && canvas.height > 0)"""


def portfolio():
    """Two HUBs in Europe: one with an indicator and deliverables, one at risk."""
    today = timezone.localdate()
    europe = RegionalSection.objects.get(slug="europe")
    hub, editor = make_hub(title="Participation for all")
    hub.lead_organization.regional_section = europe
    hub.lead_organization.save()
    hub.goals.set(Goal.objects.filter(number__in=[5, 16]))
    indicator = make_indicator(hub, editor)
    for days, value in ((300, 10), (200, 22), (100, 41)):
        services.measurement_add(
            actor=editor,
            indicator=indicator,
            date=today - datetime.timedelta(days=days),
            value=Decimal(value),
        )
    for title, days, status in (("Training plan", -90, "delivered"), ("Forum", 40, "planned")):
        services.deliverable_save(
            actor=editor,
            initiative=hub,
            data={
                "title": title,
                "due_date": today + datetime.timedelta(days=days),
                "status": status,
                "delivered_on": today - datetime.timedelta(days=95)
                if status == "delivered"
                else None,
            },
        )
    other, other_editor = make_hub(title="Bilbao, city of values")
    other.lead_organization.regional_section = europe
    other.lead_organization.save()
    other.goals.set(Goal.objects.filter(number__in=[11]))
    for days in (20, 50):
        services.deliverable_save(
            actor=other_editor,
            initiative=other,
            data={"title": f"Forum {days}", "due_date": today - datetime.timedelta(days=days)},
        )
    return hub


def test_the_dashboards_draw_their_charts_beside_their_tables(new_page, reference_data):
    hub = portfolio()
    staff = UserFactory(roles={"secretariat"})
    page = log_in(new_page, staff, reduced_motion="reduce")

    # One initiative: the indicator against its straight path, and the deliverable timeline.
    page.goto(f"/initiatives/{hub.slug}/monitoring/")
    page.wait_for_function(DRAWN % 2)
    assert page.evaluate(ALL_CHARTS_RAN)
    assert page.get_by_role(
        "img", name=re.compile(r"^People trained \(people\): 3 measured")
    ).count()
    assert page.locator("figure.chart table").count() == 2
    assert page.get_by_role("cell", name="41").is_visible()
    # No motion for people who ask for none.
    assert page.evaluate(
        "() => [...document.querySelectorAll('canvas')]"
        ".every(c => Chart.getChart(c).options.animation === false)"
    )
    assert axe_violations(page) == []

    # The portfolio, reached from the main navigation.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Monitoring").click()
    page.wait_for_url(re.compile(r"/monitoring/$"))
    page.wait_for_function(DRAWN % 3)
    assert page.evaluate(ALL_CHARTS_RAN)
    assert page.get_by_role("img", name=re.compile(r"^Initiatives by status: ")).count() == 1
    assert page.locator("figure.chart table").count() == 3
    attention = page.locator("section[aria-labelledby=attention-heading]")
    assert "Bilbao, city of values" in attention.inner_text()
    assert "2 deliverables are late." in attention.inner_text()
    assert axe_violations(page) == []

    # Sorting by a column keeps working and says so to assistive technology.
    page.get_by_role("link", name="Initiative", exact=True).click()
    page.wait_for_url(re.compile(r"sort=name"))
    assert page.locator("th[aria-sort=ascending]").inner_text().startswith("Initiative")
    rows = page.locator("table.portfolio tbody tr td:first-child a")
    assert rows.all_inner_texts() == ["Bilbao, city of values", "Participation for all"]

    # Filtering by a count's label.
    page.locator("figure.chart").first.get_by_role("link", name="At risk").click()
    page.wait_for_url(re.compile(r"light=red"))
    assert rows.all_inner_texts() == ["Bilbao, city of values"]


def test_without_javascript_the_tables_carry_everything(new_page, reference_data):
    hub = portfolio()
    staff = UserFactory(roles={"partner"})
    page = log_in(new_page, staff, java_script_enabled=False)

    page.goto(f"/initiatives/{hub.slug}/monitoring/")
    assert page.locator("canvas").count() == 0
    assert page.get_by_role("cell", name="41").is_visible()
    page.goto("/monitoring/?region=europe")
    assert page.locator("canvas").count() == 0
    assert page.locator("figure.chart table").count() == 3
    assert page.locator("table.portfolio tbody tr").count() == 2
