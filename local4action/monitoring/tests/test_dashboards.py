"""The secretariat's portfolio dashboard and the charts of the initiative dashboard: who sees
them, filters, sorting, counts, query counts, and chart data that user text cannot break."""

import datetime
import json
import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from local4action.accounts.tests.factories import MembershipFactory, UserFactory
from local4action.core.models import Goal, RegionalSection
from local4action.core.testing import assert_queries_constant
from local4action.initiatives.models import Initiative
from local4action.monitoring import selectors, services
from local4action.monitoring.tests.factories import make_hub, make_indicator

pytestmark = pytest.mark.django_db

DASHBOARD = "/monitoring/"


def followed(title, *, light="green", region=None, goals=(), status="labelled"):
    """A followed initiative whose light is set by its records: green with nothing to judge,
    amber with an unmeasured indicator, red with two late deliverables."""
    hub, editor = make_hub(title=title, status=status)
    if region:
        organization = hub.lead_organization
        organization.regional_section = RegionalSection.objects.get(slug=region)
        organization.save()
    hub.goals.set(Goal.objects.filter(number__in=goals))
    if light == "amber":
        make_indicator(hub, editor)
    if light == "red":
        for days in (30, 60):
            services.deliverable_save(
                actor=editor,
                initiative=hub,
                data={
                    "title": f"Late {days}",
                    "due_date": timezone.localdate() - datetime.timedelta(days=days),
                },
            )
    # The services refresh the stored status when their transaction commits; a test's never
    # does, so it is refreshed here.
    services.statuses_refresh(initiative_ids=[hub.pk])
    return hub


def full(n):
    """n initiatives with indicators, measurements, deliverables and reports."""
    today = timezone.localdate()
    for _ in range(n):
        hub, editor = make_hub(title="Full")
        hub.goals.set(Goal.objects.filter(number__in=[5, 11]))
        organization = hub.lead_organization
        organization.regional_section = RegionalSection.objects.get(slug="europe")
        organization.save()
        for name in ("People trained", "Women elected"):
            indicator = make_indicator(hub, editor, name=name)
            for days in (200, 100, 10):
                services.measurement_add(
                    actor=editor,
                    indicator=indicator,
                    date=today - datetime.timedelta(days=days),
                    value=Decimal(days // 3),
                )
        for days in (-30, 30):
            services.deliverable_save(
                actor=editor,
                initiative=hub,
                data={"title": "Forum", "due_date": today + datetime.timedelta(days=days)},
            )
        services.plan_set(
            actor=UserFactory(roles={"secretariat"}),
            initiative=hub,
            report_every_months=6,
            first_report_due=today - datetime.timedelta(days=90),
        )
        services.statuses_refresh(initiative_ids=[hub.pk])


def titles(response) -> list[str]:
    """The initiatives of the portfolio table, in order."""
    table = response.content.decode().split('<table class="stack portfolio">')[1]
    return re.findall(r'<td data-label="Initiative"><a href="[^"]+">([^<]+)</a>', table)


class Figures(HTMLParser):
    """The parsed data-chart attributes of a page's figures."""

    def __init__(self, html):
        super().__init__()
        self.charts = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "figure" and "data-chart" in attrs:
            self.charts.append(json.loads(attrs["data-chart"]))


# Who sees the dashboard ----------------------------------------------------------------------


def test_anonymous_people_are_sent_to_log_in(client):
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("role", [None, "reviewer"])
def test_people_outside_the_secretariat_and_partners_are_refused(client, role):
    followed("Participation for all")
    client.force_login(UserFactory(roles={role} if role else None))
    assert client.get(DASHBOARD).status_code == 403


def test_a_team_member_is_refused_the_portfolio(client):
    hub, editor = make_hub()
    client.force_login(editor)
    assert client.get(DASHBOARD).status_code == 403
    # …but sees the monitoring of its own initiative, linked from its public page.
    page = client.get(hub.get_absolute_url()).content.decode()
    assert reverse("monitoring:initiative", args=[hub.slug]) in page
    assert f'href="{DASHBOARD}"' not in page


@pytest.mark.parametrize("role", ["secretariat", "partner"])
def test_secretariat_and_partners_see_the_portfolio_and_its_link(client, role):
    followed("Participation for all")
    client.force_login(UserFactory(roles={role}))
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Participation for all" in page
    assert f'href="{DASHBOARD}"' in page  # the main navigation


def test_the_public_page_links_to_the_monitoring_only_for_those_who_may_see_it(client):
    hub = followed("Participation for all")
    link = reverse("monitoring:initiative", args=[hub.slug])
    assert link not in client.get(hub.get_absolute_url()).content.decode()
    client.force_login(UserFactory())
    assert link not in client.get(hub.get_absolute_url()).content.decode()
    client.force_login(UserFactory(roles={"partner"}))
    assert link in client.get(hub.get_absolute_url()).content.decode()


def test_the_selector_refuses_people_who_may_not_see_the_portfolio(db):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        selectors.portfolio(user=UserFactory())


# What it shows ------------------------------------------------------------------------------


def test_counts_by_light_region_and_sdg_cover_only_followed_initiatives(secretariat):
    followed("Bilbao", light="red", region="europe", goals=[11, 16])
    followed("Valongo", light="amber", region="europe", goals=[16])
    followed("Xi'an", light="green", region="asia-pacific", goals=[4, 5])
    followed("Venice", light="green", status="accompanied", goals=[17])
    followed("A draft", status="draft", region="africa", goals=[1])
    followed("Declined", status="declined", region="africa", goals=[1])

    data = selectors.portfolio(user=secretariat)

    assert [(light, n) for light, _label, n in data.by_light] == [
        ("red", 1),
        ("amber", 1),
        ("green", 2),
    ]
    regions = {(r.slug if r else None): n for r, n in data.by_region}
    assert regions["europe"] == 2 and regions["asia-pacific"] == 1 and regions["africa"] == 0
    assert regions[None] == 1  # Venice's organization has no regional section
    assert len(data.by_region) == RegionalSection.objects.count() + 1
    sdgs = {goal.number: n for goal, n in data.by_sdg}
    assert len(sdgs) == 17
    assert (sdgs[16], sdgs[11], sdgs[4], sdgs[17], sdgs[1]) == (2, 1, 1, 1, 0)
    assert [row.initiative.title for row in data.attention] == ["Bilbao", "Valongo"]
    assert "deliverables due so far" in data.attention[0].summary.reasons[0]


def test_the_page_shows_counts_needs_attention_with_reasons_and_a_table(client, secretariat):
    followed("Bilbao", light="red", region="europe", goals=[11])
    followed("Valongo", light="amber", region="europe", goals=[16])
    followed("Xi'an", light="green", region="asia-pacific", goals=[4])
    client.force_login(secretariat)

    page = client.get(DASHBOARD).content.decode()

    attention = page.split('id="attention-heading"')[1].split("</section>")[0]
    assert attention.index("Bilbao") < attention.index("Valongo")
    assert "Xi&#x27;an" not in attention
    assert "2 deliverables are late." in attention
    assert "1 indicator has no measurement yet." in attention
    counts = page.split('id="counts-heading"')[1].split("</section>")[0]
    # Each count is in a table (the charts' text alternative) and links to its filter.
    assert re.search(r'<a href="\?region=europe">Europe</a></th><td>2</td>', counts)
    assert re.search(r'<a href="\?sdg=16">16\. [^<]+</a></th><td>1</td>', counts)
    assert re.search(r'<a href="\?light=red">At risk</a></th><td>1</td>', counts)
    charts = Figures(page).charts
    assert [c["kind"] for c in charts] == ["bars", "bars", "bars"]
    assert charts[0]["labels"] == ["At risk", "Needs attention", "On track"]
    assert charts[0]["values"] == [1, 1, 1]
    assert charts[2]["values"][15] == 1 and len(charts[2]["values"]) == 17
    assert "vendor/chartjs/chart.umd.min.js" in page and "js/charts.js" in page


def test_filters_by_region_sdg_and_light_keep_their_state_in_the_url(client, secretariat):
    followed("Bilbao", light="red", region="europe", goals=[11])
    followed("Valongo", light="amber", region="europe", goals=[16])
    followed("Xi'an", light="green", region="asia-pacific", goals=[4, 11])
    client.force_login(secretariat)

    assert titles(client.get(DASHBOARD, {"region": "europe"})) == ["Bilbao", "Valongo"]
    assert titles(client.get(DASHBOARD, {"sdg": "11"})) == ["Bilbao", "Xi&#x27;an"]
    assert titles(client.get(DASHBOARD, {"light": "amber"})) == ["Valongo"]
    response = client.get(DASHBOARD, {"region": "europe", "sdg": "11", "sort": "name"})
    assert titles(response) == ["Bilbao"]
    page = response.content.decode()
    # The form shows the filters in force, and sorting keeps them.
    assert re.search(r'<option value="europe" selected>', page)
    assert re.search(r'<option value="11" selected>', page)
    assert '<input type="hidden" name="sort" value="name">' in page
    assert 'href="?region=europe&amp;sdg=11&amp;sort=-name"' in page
    # The counts follow the selection.
    assert Figures(page).charts[0]["values"] == [1, 0, 0]


def test_a_wrong_filter_value_is_ignored_and_said(client, secretariat):
    followed("Bilbao")
    client.force_login(secretariat)
    response = client.get(DASHBOARD, {"sdg": "99", "light": "purple", "region": "atlantis"})
    assert response.status_code == 200
    assert titles(response) == ["Bilbao"]
    assert "Select a valid choice" in response.content.decode()


def test_sorting_by_status_region_sdg_and_name_with_aria_sort(client, secretariat):
    followed("Charlie", light="green", region="africa", goals=[17])
    followed("Alpha", light="amber", region="europe", goals=[3])
    followed("Bravo", light="red", region="asia-pacific", goals=[1])
    followed("Delta", light="red", goals=[])
    client.force_login(secretariat)

    # By default red first, then amber, then green; ties by name.
    response = client.get(DASHBOARD)
    assert titles(response) == ["Bravo", "Delta", "Alpha", "Charlie"]
    assert re.search(
        r'<th scope="col" aria-sort="ascending"><a href="\?sort=-light">Status',
        (response.content.decode()),
    )
    assert titles(client.get(DASHBOARD, {"sort": "name"})) == ["Alpha", "Bravo", "Charlie", "Delta"]
    assert titles(client.get(DASHBOARD, {"sort": "-name"})) == [
        "Delta",
        "Charlie",
        "Bravo",
        "Alpha",
    ]
    # Regional sections in their set order (Africa, Asia-Pacific, … Europe); none last.
    assert titles(client.get(DASHBOARD, {"sort": "region"})) == [
        "Charlie",
        "Bravo",
        "Alpha",
        "Delta",
    ]
    assert titles(client.get(DASHBOARD, {"sort": "sdg"})) == ["Bravo", "Alpha", "Charlie", "Delta"]
    page = client.get(DASHBOARD, {"sort": "-sdg"}).content.decode()
    assert re.search(r'<th scope="col" aria-sort="descending"><a href="\?sort=sdg">SDGs', page)
    assert page.count("aria-sort=") == 1
    # An unknown sort falls back to the status.
    assert titles(client.get(DASHBOARD, {"sort": "title"}))[0] == "Bravo"


def test_the_table_is_paginated_but_the_counts_cover_all(client, secretariat, monkeypatch):
    from local4action.monitoring import dashboards

    monkeypatch.setattr(dashboards, "ROWS_PER_PAGE", 2)
    for title in ("A", "B", "C"):
        followed(title)
    client.force_login(secretariat)
    response = client.get(DASHBOARD, {"sort": "name"})
    assert titles(response) == ["A", "B"]
    page = response.content.decode()
    assert Figures(page).charts[0]["values"] == [0, 0, 3]
    assert 'href="?sort=name&amp;page=2" rel="next"' in page
    assert titles(client.get(DASHBOARD, {"sort": "name", "page": "2"})) == ["C"]


def test_the_dashboard_query_count_does_not_grow_with_the_portfolio(client, secretariat):
    full(1)
    client.force_login(secretariat)
    # 1 + 2 initiatives, then 1 + 2 + 17 = 20, each with 2 indicators, 6 measurements,
    # 2 deliverables and its progress reports.
    count = assert_queries_constant(client, DASHBOARD, full, rows=17)
    assert Initiative.objects.count() == 20
    # Cold cache: session, user, roles, catalogue version, 2 counts, 2 × (ids, rows) for the
    # page and those needing attention, goals, 4 reference, notifications.
    assert count <= 17
    # Warm: the counts and the orderings come from the cache.
    with CaptureQueriesContext(connection) as warm:
        assert client.get(DASHBOARD).status_code == 200
    assert len(warm) <= count - 5
    # With every filter on, still constant.
    url = f"{DASHBOARD}?region=europe&sdg=5&sort=sdg"
    assert_queries_constant(client, url, full, rows=3)


# Charts on the initiative dashboard --------------------------------------------------------


def test_the_indicator_chart_carries_the_totals_and_the_straight_path(client, hub_and_editor):
    hub, editor = hub_and_editor
    indicator = make_indicator(hub, editor, disaggregation_keys=["sex"])
    today = timezone.localdate()
    services.measurement_add(actor=editor, indicator=indicator, date=today, value=Decimal("40"))
    services.measurement_add(
        actor=editor,
        indicator=indicator,
        date=today,
        value=Decimal("25"),
        disaggregation={"sex": "female"},
    )
    services.deliverable_save(
        actor=editor,
        initiative=hub,
        data={"title": "Forum", "due_date": today - datetime.timedelta(days=3)},
    )
    client.force_login(editor)

    page = client.get(reverse("monitoring:initiative", args=[hub.slug])).content.decode()

    indicator_chart, timeline = Figures(page).charts
    assert indicator_chart["kind"] == "indicator"
    assert indicator_chart["measured"] == [[today.isoformat(), 40.0]]  # the total only
    assert indicator_chart["path"] == [
        [hub.start_date.isoformat(), 0.0],
        [hub.end_date.isoformat(), 100.0],
    ]
    assert indicator_chart["summary"].startswith("People trained (people): 1 measured value")
    assert timeline["kind"] == "timeline"
    assert timeline["items"][0]["state"] == "late"
    assert [s["label"] for s in timeline["states"]] == ["Late"]
    # The table is always there: it is the chart's text alternative.
    assert "<td>40</td>" in page and "(baseline)" in page


def test_chart_data_cannot_break_out_of_its_attribute(client, hub_and_editor):
    hub, editor = hub_and_editor
    name = '</script><script>alert(1)</script>"\' onmouseover="alert(2)'
    make_indicator(hub, editor, name=name, unit="<b>%</b>")
    services.deliverable_save(
        actor=editor,
        initiative=hub,
        data={"title": "<img src=x onerror=alert(3)>", "due_date": timezone.localdate()},
    )
    client.force_login(editor)

    page = client.get(reverse("monitoring:initiative", args=[hub.slug])).content.decode()

    assert "<script>alert(1)" not in page
    assert 'onmouseover="alert(2)' not in page
    assert "<img src=x" not in page
    assert "<b>%</b>" not in page
    indicator_chart, timeline = Figures(page).charts
    assert indicator_chart["summary"].startswith(f"{name} (<b>%</b>)")
    assert indicator_chart["unit"] == "<b>%</b>"
    assert timeline["items"][0]["label"].startswith("<img src=x onerror=alert(3)>")


def test_a_page_without_deliverables_has_no_timeline_chart(client, hub_and_editor):
    hub, editor = hub_and_editor
    client.force_login(editor)
    page = client.get(reverse("monitoring:initiative", args=[hub.slug])).content.decode()
    assert Figures(page).charts == []
    assert "No deliverable yet." in page


def test_team_members_of_other_organizations_see_no_monitoring_link(client):
    hub = followed("Participation for all")
    stranger = MembershipFactory(role="admin").user
    client.force_login(stranger)
    link = reverse("monitoring:initiative", args=[hub.slug])
    assert link not in client.get(hub.get_absolute_url()).content.decode()
