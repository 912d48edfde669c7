"""Pictures for citizens: three server-drawn charts, each with its table and summary."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from local4action.accounts.tests.factories import OrganizationFactory
from local4action.core.models import Goal, RegionalSection
from local4action.core.testing import assert_queries_constant
from local4action.monitoring.models import Indicator
from local4action.monitoring.tests.factories import make_hub, make_indicator
from local4action.portal import pictures

pytestmark = pytest.mark.django_db


def _hub(goals=(11,), status="labelled", region=None, labelled_at=None, **fields):
    organization = OrganizationFactory(regional_section=region)
    hub, editor = make_hub(organization=organization, status=status, **fields)
    hub.goals.add(*Goal.objects.filter(number__in=goals))
    if labelled_at:
        hub.labelled_at = labelled_at
        hub.save()
    return hub, editor


def _table(chart):
    return {str(row[0]): row[1:] for row in chart.table_rows}


def test_page_shows_three_accessible_charts_with_tables_and_summaries(client):
    _hub(goals=(11, 5))

    response = client.get(reverse("portal:pictures"))

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('role="img"') == 3
    for name in ("sdg-coverage", "hubs-by-region", "indicator-progress"):
        assert f'aria-labelledby="{name}-svg-title {name}-svg-desc"' in html
        assert f'<title id="{name}-svg-title">' in html
        assert f'<desc id="{name}-svg-desc">' in html
    assert html.count("<table") == 3 and html.count("<caption>") == 3
    assert "<script" not in html.split("<main", 1)[1].split("</main>")[0]
    assert "/embed/charts/sdg-coverage/" in html  # the embed code


def test_coverage_counts_hubs_per_goal_in_goal_colours():
    _hub(goals=(11, 5))
    _hub(goals=(11,))
    _hub(goals=(11, 13), status="draft")  # not public, not a HUB
    _hub(goals=(13,), status="accompanied")  # public, but not a HUB

    chart = pictures.sdg_coverage()

    counts = {row.label.split(".")[0]: row.total for row in chart.rows}
    assert counts["11"] == 2 and counts["5"] == 1 and counts["13"] == 0
    goal = Goal.objects.get(number=11)
    row = next(r for r in chart.rows if r.label.startswith("11."))
    assert row.segments[0].color == goal.color
    assert len(chart.rows) == 17
    assert "2 of the 17 goals" in chart.summary and "with 2 HUBs" in chart.summary


def test_hubs_by_region_counts_each_year_and_region():
    africa, europe = RegionalSection.objects.all()[:2]
    _hub(region=africa, labelled_at=timezone.make_aware(datetime.datetime(2024, 5, 1)))
    _hub(region=africa, labelled_at=timezone.make_aware(datetime.datetime(2025, 5, 1)))
    _hub(region=europe, labelled_at=timezone.make_aware(datetime.datetime(2025, 6, 1)))
    _hub(region=europe, status="draft")

    chart = pictures.hubs_by_region()

    assert chart.table_headers == ["Year", africa.name, europe.name, "Total"]
    assert _table(chart) == {"2024": [1, 0, 1], "2025": [1, 1, 2]}
    assert [label for label, _color in chart.legend] == [africa.name, europe.name]
    assert "3 HUBs labelled since 2024" in chart.summary
    assert africa.name in chart.summary


def test_indicator_progress_uses_the_monitoring_rules():
    hub, editor = _hub()
    today = timezone.localdate()
    make_indicator(hub, editor)  # no measurement yet
    reached = make_indicator(hub, editor, name="Reached")
    Indicator.objects.filter(pk=reached.pk).update(latest_value=Decimal(100), latest_date=today)
    off = make_indicator(hub, editor, name="Behind")
    Indicator.objects.filter(pk=off.pk).update(latest_value=Decimal(5), latest_date=today)
    withdrawn, other_editor = _hub()
    make_indicator(withdrawn, other_editor)
    withdrawn.status = "withdrawn"  # no longer public: not counted
    withdrawn.save()

    chart = pictures.indicator_progress()

    assert _table(chart) == {
        "Target reached": [1, "33 %"],
        "On track": [0, "0 %"],
        "Off track": [1, "33 %"],
        "No measurement yet": [1, "33 %"],
    }
    assert chart.summary.startswith("Of 3 indicators")


def test_empty_network_still_draws_with_plain_summaries(client):
    response = client.get(reverse("portal:pictures"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "No HUB works on any goal yet." in html
    assert "No HUB has been labelled yet." in html
    assert "No indicator is followed yet." in html


def test_bars_scale_to_the_largest_value():
    _hub(goals=(11,))
    _hub(goals=(11, 5))

    chart = pictures.sdg_coverage()

    widths = {row.label.split(".")[0]: row.segments[0].width for row in chart.rows}
    assert widths["11"] == pictures.WIDTH - pictures.VALUE_SPACE
    assert widths["5"] == widths["11"] / 2
    assert widths["1"] == 0


def test_query_count_does_not_grow_with_hubs(client):
    def add(n):
        for i in range(n):
            hub, editor = _hub(goals=(i % 17 + 1,), region=RegionalSection.objects.first())
            make_indicator(hub, editor)
        cache.clear()

    assert_queries_constant(client, reverse("portal:pictures"), add)


def test_svg_numbers_are_plain_decimals(client):
    """Localized number formats (a comma in French) would break the SVG's coordinates."""
    _hub(goals=(11,))
    _hub(goals=(5,))
    _hub(goals=(5,))
    client.cookies["django_language"] = "fr"

    html = client.get(reverse("portal:pictures")).content.decode()

    for value in re.findall(
        r'\s(?:width|x|y)="([^"]+)"', html.split("<svg", 1)[1].split("</svg>")[0]
    ):
        if value != "100%":
            float(value)
