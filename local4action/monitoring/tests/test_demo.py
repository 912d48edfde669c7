"""The demo's year of monitoring (`manage.py seed_demo`): realistic, idempotent, every light."""

import datetime
import io
from collections import Counter

import pytest
from dateutil.relativedelta import relativedelta
from django.core.management import call_command
from django.utils import timezone

from local4action.core.models import AuditEvent, Notification
from local4action.initiatives.models import Initiative
from local4action.monitoring import selectors
from local4action.monitoring.choices import IndicatorState, ReportStatus
from local4action.monitoring.demo import demo_initiatives
from local4action.monitoring.models import (
    Deliverable,
    Indicator,
    Measurement,
    MonitoringPlan,
    ProgressReport,
    Reminder,
)

MODELS = (
    Indicator,
    Measurement,
    Deliverable,
    MonitoringPlan,
    ProgressReport,
    Reminder,
    AuditEvent,
    Notification,
)


def _seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def _counts() -> dict:
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture
def demo(db):
    _seed()
    return demo_initiatives()


def test_seed_demo_twice_adds_nothing_the_second_time(db):
    first = _seed()
    counts = _counts()

    second = _seed()

    assert _counts() == counts
    assert "Demo monitoring: 7 initiatives followed (7 new)" in first
    assert "Demo monitoring: 7 initiatives followed (0 new): 4 green, 2 amber, 1 red." in second


def test_the_dashboard_shows_green_amber_and_red(demo):
    summaries = selectors.summarize_many(
        Initiative.objects.filter(pk__in=[i.pk for i in demo.values()])
    )
    lights = {slug: summaries[initiative.pk].light for slug, initiative in demo.items()}

    hubs = {slug for slug, initiative in demo.items() if initiative.status == "labelled"}
    assert {lights[slug] for slug in hubs} == {"green", "amber", "red"}
    assert lights == {
        "xian": "green",
        "bilbao": "green",
        "aiccre": "green",
        "valongo": "amber",
        "diba": "red",
        "chefchaouen": "amber",
        "cuenca": "green",
    }
    diba = summaries[demo["diba"].pk]
    assert diba.reports_overdue == 1 and diba.oldest_overdue_days > 30


def test_every_followed_initiative_has_a_year_of_indicators(demo):
    today = timezone.localdate()
    year_ago = today - relativedelta(years=1)
    for slug, initiative in demo.items():
        indicators = list(Indicator.objects.filter(initiative=initiative))
        assert 2 <= len(indicators) <= 3, slug
        for indicator in indicators:
            totals = list(indicator.measurements.filter(disaggregation={}).order_by("date"))
            dates = [m.date for m in totals]
            assert len(totals) == 12, indicator
            assert indicator.baseline_date == year_ago
            assert dates == sorted(set(dates)) and year_ago < dates[0] and dates[-1] == today
            assert indicator.target_date > today
            # Kept in step with the measurements, as the services keep it.
            assert (indicator.latest_value, indicator.latest_date) == (
                totals[-1].value,
                totals[-1].date,
            )


def test_the_indicators_tell_different_stories(demo):
    indicators = list(Indicator.objects.filter(initiative__in=demo.values()))
    states = Counter(selectors.indicator_state_of(i) for i in indicators)
    by_name = {i.name: i for i in indicators}

    assert states[IndicatorState.ON_TRACK] >= 8
    assert states[IndicatorState.OFF_TRACK] == 2
    assert states[IndicatorState.REACHED] == 2
    assert {"Municipalities trained", "Women candidates trained"} <= set(by_name)
    assert "Participantes en los foros de valores" in by_name
    lower = [i for i in indicators if i.direction == "lower"]
    assert {i.name for i in lower} >= {"Días medios para responder a las propuestas ciudadanas"}
    assert all(i.target_value < i.baseline_value for i in lower)
    # The forums reached their target early: before the last month, and stayed there.
    forums = by_name["Participantes en los foros de valores"]
    values = list(forums.measurements.order_by("date").values_list("value", flat=True))
    assert values.index(next(v for v in values if v >= forums.target_value)) < 11
    assert values == sorted(values)
    # Xi'an breaks its placements down by sex, as its success criteria ask.
    placements = by_name["Youth placements completed"]
    assert placements.measurements.exclude(disaggregation={}).count() == 2


def test_deliverables_on_time_late_delivered_late_and_dropped(demo):
    states = Counter()
    for slug, initiative in demo.items():
        deliverables = list(Deliverable.objects.filter(initiative=initiative))
        assert 3 <= len(deliverables) <= 6, slug
        states.update(d.state() for d in deliverables)

    assert states["delivered"] >= 10
    assert states["delivered_late"] == 1
    assert states["late"] == 1
    assert states["dropped"] == 1
    assert states["in_progress"] + states["planned"] >= 7
    late = Deliverable.objects.get(title__startswith="Training programme for ten")
    assert late.initiative == demo["valongo"] and late.state() == "late"


def test_reports_every_six_months_first_acknowledged_one_overdue(demo):
    today = timezone.localdate()
    for slug, initiative in demo.items():
        plan = MonitoringPlan.objects.get(initiative=initiative)
        reports = list(ProgressReport.objects.filter(initiative=initiative).order_by("due_date"))
        assert plan.report_every_months == 6
        assert len(reports) >= 2, slug
        first, second = reports[0], reports[1]
        assert first.status == ReportStatus.ACKNOWLEDGED and first.feedback, slug
        assert first.submitted_at < first.acknowledged_at <= timezone.now()
        assert first.acknowledged_by.email == "admin@local4action.test"
        assert first.narrative and first.acceleration and first.synchronization
        assert second.due_date == first.due_date + relativedelta(months=6)
        assert all(r.status == ReportStatus.DRAFT for r in reports[1:])
        assert first.due_date < today
    overdue = [r for r in ProgressReport.objects.filter(status="draft") if r.due_date < today]
    assert [r.initiative.lead_organization.slug for r in overdue] == ["diba"]
    assert overdue[0].narrative and today - overdue[0].due_date > datetime.timedelta(days=30)


def test_a_demo_team_sees_its_monitoring_through_the_api(client, demo):
    from local4action.accounts.models import User

    client.force_login(User.objects.get(email="valongo@local4action.test"))

    data = client.get(f"/api/v1/initiatives/{demo['valongo'].slug}/monitoring").json()

    assert data["light"] == "amber" and data["can_edit"] is True
    assert data["deliverables"]["late"] == 1 and data["indicators"]["by_state"]["off_track"] == 1
