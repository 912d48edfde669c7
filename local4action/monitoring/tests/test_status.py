"""The derived status rules at their edges: deliverable states, indicator states, the traffic
light and its reasons, and the portfolio summary that gathers them in a fixed number of
queries."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from local4action.initiatives.models import Initiative
from local4action.monitoring import selectors
from local4action.monitoring.choices import (
    DeliverableState,
    DeliverableStatus,
    IndicatorState,
    Light,
    ReportStatus,
)
from local4action.monitoring.models import Deliverable, Indicator, ProgressReport
from local4action.monitoring.status import (
    OVERDUE_RISK_DAYS,
    TOLERANCE,
    Summary,
    expected_progress,
    indicator_progress,
    indicator_state,
    judge,
)
from local4action.monitoring.tests.factories import make_hub

TODAY = datetime.date(2026, 3, 15)
DAY = datetime.timedelta(days=1)
# A 100-day indicator: progress expected by day 50 is exactly one half.
BASELINE_DATE = datetime.date(2025, 1, 1)
TARGET_DATE = BASELINE_DATE + 100 * DAY
MIDWAY = BASELINE_DATE + 50 * DAY

ALL_GOOD = "Deliverables on time, indicators on track and reports up to date."


# Helpers -------------------------------------------------------------------------------------


def _deliverable(*, due, status=DeliverableStatus.PLANNED, delivered_on=None) -> Deliverable:
    return Deliverable(title="Training", due_date=due, status=status, delivered_on=delivered_on)


def _higher(value, on=MIDWAY) -> str:
    """People trained, 0 → 100 over 100 days."""
    return indicator_state(
        baseline=Decimal("0"),
        target=Decimal("100"),
        baseline_date=BASELINE_DATE,
        target_date=TARGET_DATE,
        latest_value=None if value is None else Decimal(value),
        latest_date=None if value is None else on,
    )


def _lower(value, on=MIDWAY) -> str:
    """Days to process a permit, 30 → 10 over 100 days: lower is better."""
    return indicator_state(
        baseline=Decimal("30"),
        target=Decimal("10"),
        baseline_date=BASELINE_DATE,
        target_date=TARGET_DATE,
        latest_value=Decimal(value),
        latest_date=on,
    )


def _judged(**fields) -> Summary:
    return judge(Summary(**fields))


def _hub_with(*, deliverables=(), indicators=(), report_dues=(), submitted_dues=()):
    """A HUB with records written straight to the database, so that their dates can sit
    anywhere around TODAY. indicators: (latest_value, latest_date) on the 0 → 100 indicator."""
    hub, _editor = make_hub(title=f"HUB {Initiative.objects.count() + 1}")
    for status, due, delivered_on in deliverables:
        Deliverable.objects.create(
            initiative=hub, title="D", status=status, due_date=due, delivered_on=delivered_on
        )
    for latest_value, latest_date in indicators:
        Indicator.objects.create(
            initiative=hub,
            name="People trained",
            unit="people",
            baseline_value=Decimal("0"),
            baseline_date=BASELINE_DATE,
            target_value=Decimal("100"),
            target_date=TARGET_DATE,
            latest_value=latest_value,
            latest_date=latest_date,
        )
    for due in report_dues:
        ProgressReport.objects.create(
            initiative=hub, period_start=due - 180 * DAY, period_end=due, due_date=due
        )
    for due in submitted_dues:
        ProgressReport.objects.create(
            initiative=hub,
            period_start=due - 180 * DAY,
            period_end=due,
            due_date=due,
            status=ReportStatus.SUBMITTED,
            submitted_at=timezone.now(),
        )
    return hub


def _summary_of(hub) -> Summary:
    return selectors.summarize_many(Initiative.objects.filter(pk=hub.pk), today=TODAY)[hub.pk]


# Deliverables --------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [DeliverableStatus.PLANNED, DeliverableStatus.IN_PROGRESS])
def test_a_deliverable_due_today_is_not_late(status):
    # given a deliverable due today, not yet delivered
    deliverable = _deliverable(due=TODAY, status=status)

    # when its state is derived today
    state = deliverable.state(today=TODAY)

    # then it keeps its recorded status
    assert state == status


@pytest.mark.parametrize("status", [DeliverableStatus.PLANNED, DeliverableStatus.IN_PROGRESS])
def test_a_deliverable_due_yesterday_and_not_delivered_is_late(status):
    deliverable = _deliverable(due=TODAY - DAY, status=status)

    assert deliverable.state(today=TODAY) == DeliverableState.LATE


def test_a_deliverable_due_tomorrow_keeps_its_recorded_status():
    deliverable = _deliverable(due=TODAY + DAY, status=DeliverableStatus.IN_PROGRESS)

    assert deliverable.state(today=TODAY) == DeliverableState.IN_PROGRESS


def test_a_deliverable_delivered_after_its_due_date_is_delivered_late():
    deliverable = _deliverable(
        due=TODAY - 10 * DAY, status=DeliverableStatus.DELIVERED, delivered_on=TODAY - 9 * DAY
    )

    assert deliverable.state(today=TODAY) == DeliverableState.DELIVERED_LATE


@pytest.mark.parametrize("delivered_days_before_due", [0, 30])
def test_a_deliverable_delivered_on_or_before_its_due_date_is_delivered(
    delivered_days_before_due,
):
    due = TODAY - 10 * DAY
    deliverable = _deliverable(
        due=due,
        status=DeliverableStatus.DELIVERED,
        delivered_on=due - delivered_days_before_due * DAY,
    )

    assert deliverable.state(today=TODAY) == DeliverableState.DELIVERED


@pytest.mark.parametrize("due", [TODAY - 400 * DAY, TODAY - DAY, TODAY, TODAY + DAY])
def test_a_dropped_deliverable_is_never_late(due):
    deliverable = _deliverable(due=due, status=DeliverableStatus.DROPPED)

    assert deliverable.state(today=TODAY) == DeliverableState.DROPPED


def test_the_state_shown_without_a_date_is_judged_today():
    today = timezone.localdate()
    late = _deliverable(due=today - DAY)
    due_today = _deliverable(due=today)

    assert late.state() == DeliverableState.LATE
    assert late.get_state_display() == "Late"
    assert due_today.state() == DeliverableState.PLANNED


# Indicators ----------------------------------------------------------------------------------


@pytest.mark.parametrize("on", [BASELINE_DATE, MIDWAY, TARGET_DATE + 365 * DAY])
def test_an_indicator_without_a_measurement_has_no_data(on):
    state = indicator_state(
        baseline=Decimal("0"),
        target=Decimal("100"),
        baseline_date=BASELINE_DATE,
        target_date=TARGET_DATE,
        latest_value=None,
        latest_date=None,
    )

    assert state == IndicatorState.NO_DATA


def test_progress_exactly_at_expected_minus_tolerance_is_on_track():
    # given half the time elapsed, so 50% of the way expected, and 10% tolerance
    assert expected_progress(
        baseline_date=BASELINE_DATE, target_date=TARGET_DATE, on=MIDWAY
    ) == Decimal("0.5")
    assert TOLERANCE == Decimal("0.10")

    # when the indicator is exactly 40% of the way, then it is on track
    assert _higher("40") == IndicatorState.ON_TRACK


def test_progress_just_below_expected_minus_tolerance_is_off_track():
    assert _higher("39.9999") == IndicatorState.OFF_TRACK


def test_progress_ahead_of_time_but_short_of_the_target_is_on_track():
    assert _higher("99.9999", on=BASELINE_DATE + DAY) == IndicatorState.ON_TRACK


def test_a_target_reached_before_its_date_is_reached():
    # given the target of 100 reached on day 10 of 100
    state = _higher("100", on=BASELINE_DATE + 10 * DAY)

    assert state == IndicatorState.REACHED


@pytest.mark.parametrize("on", [BASELINE_DATE + 10 * DAY, TARGET_DATE, TARGET_DATE + 30 * DAY])
def test_a_value_beyond_the_target_is_reached(on):
    assert _higher("150", on=on) == IndicatorState.REACHED


def test_a_value_below_the_baseline_is_off_track():
    assert indicator_progress(
        baseline=Decimal("0"), target=Decimal("100"), value=Decimal("-5")
    ) == Decimal("-0.05")
    assert _higher("-5") == IndicatorState.OFF_TRACK


def test_a_lower_is_better_indicator_moving_down_on_pace_is_on_track():
    # given 30 days to process a permit, 10 days targeted; half the time elapsed
    # when it is down to 20 days (half the way)
    assert _lower("20") == IndicatorState.ON_TRACK
    # the edge: 22 days is 40% of the way, exactly the tolerance behind
    assert _lower("22") == IndicatorState.ON_TRACK
    assert _lower("22.0001") == IndicatorState.OFF_TRACK


def test_a_lower_is_better_indicator_moving_up_is_off_track():
    assert indicator_progress(
        baseline=Decimal("30"), target=Decimal("10"), value=Decimal("35")
    ) == Decimal("-0.25")
    assert _lower("35") == IndicatorState.OFF_TRACK
    # even when measured on the baseline date, going the wrong way by more than the tolerance
    assert _lower("35", on=BASELINE_DATE) == IndicatorState.OFF_TRACK


@pytest.mark.parametrize("value", ["10", "5"])
def test_a_lower_is_better_indicator_at_or_below_its_target_is_reached(value):
    assert _lower(value, on=BASELINE_DATE + DAY) == IndicatorState.REACHED


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (BASELINE_DATE - 30 * DAY, Decimal("0")),
        (BASELINE_DATE, Decimal("0")),
        (BASELINE_DATE + 25 * DAY, Decimal("0.25")),
        (TARGET_DATE, Decimal("1")),
        (TARGET_DATE + 30 * DAY, Decimal("1")),
    ],
)
def test_expected_progress_is_clamped_between_the_baseline_and_target_dates(on, expected):
    assert (
        expected_progress(baseline_date=BASELINE_DATE, target_date=TARGET_DATE, on=on) == expected
    )


def test_before_the_baseline_date_no_progress_is_expected():
    # a value still at the baseline, measured before the baseline date, is not behind
    assert _higher("0", on=BASELINE_DATE - 30 * DAY) == IndicatorState.ON_TRACK


def test_after_the_target_date_the_whole_way_is_expected():
    # 90% of the way is exactly the tolerance behind the full path; 89% is not enough
    assert _higher("90", on=TARGET_DATE + 30 * DAY) == IndicatorState.ON_TRACK
    assert _higher("89", on=TARGET_DATE + 30 * DAY) == IndicatorState.OFF_TRACK


# The traffic light ---------------------------------------------------------------------------


def test_nothing_to_report_is_green_with_the_all_good_reason():
    summary = _judged()

    assert summary.light == Light.GREEN
    assert summary.reasons == [ALL_GOOD]


def test_everything_on_time_and_on_track_is_green():
    summary = _judged(
        deliverables_due=3,
        deliverables_on_time=3,
        indicators={IndicatorState.ON_TRACK: 2, IndicatorState.REACHED: 1},
    )

    assert summary.light == Light.GREEN
    assert summary.reasons == [ALL_GOOD]
    assert summary.indicators_on_track == 3
    assert summary.on_time_share == Decimal(1)


def test_one_late_deliverable_is_amber():
    summary = _judged(deliverables_due=3, deliverables_on_time=2, deliverables_late=1)

    assert summary.light == Light.AMBER
    assert summary.reasons == ["1 deliverable is late."]


def test_one_off_track_indicator_among_several_is_amber():
    summary = _judged(indicators={IndicatorState.ON_TRACK: 2, IndicatorState.OFF_TRACK: 1})

    assert summary.light == Light.AMBER
    assert summary.reasons == ["1 indicator is off track."]


def test_exactly_half_of_the_indicators_off_track_is_amber():
    summary = _judged(indicators={IndicatorState.REACHED: 2, IndicatorState.OFF_TRACK: 2})

    assert summary.light == Light.AMBER
    assert summary.reasons == ["2 indicators are off track."]


def test_an_indicator_without_data_is_amber():
    summary = _judged(indicators={IndicatorState.ON_TRACK: 1, IndicatorState.NO_DATA: 1})

    assert summary.light == Light.AMBER
    assert summary.reasons == ["1 indicator has no measurement yet."]
    assert summary.indicators_measured == 1


@pytest.mark.parametrize("days", [1, OVERDUE_RISK_DAYS])
def test_a_report_overdue_up_to_thirty_days_is_amber(days):
    summary = _judged(reports_overdue=1, oldest_overdue_days=days)

    assert summary.light == Light.AMBER
    assert summary.reasons == ["1 progress report is overdue."]


def test_a_report_overdue_more_than_thirty_days_is_red():
    summary = _judged(reports_overdue=2, oldest_overdue_days=OVERDUE_RISK_DAYS + 1)

    assert summary.light == Light.RED
    assert summary.reasons == ["2 progress reports are overdue."]


@pytest.mark.parametrize(
    ("due", "on_time", "late", "share"),
    [(2, 0, 2, 0), (3, 1, 2, 33), (5, 2, 1, 40)],
)
def test_less_than_half_of_the_deliverables_on_time_is_red(due, on_time, late, share):
    summary = _judged(deliverables_due=due, deliverables_on_time=on_time, deliverables_late=late)

    assert summary.light == Light.RED
    assert (
        f"Only {share}% of the deliverables due so far were delivered on time." in summary.reasons
    )


def test_exactly_half_of_the_deliverables_on_time_is_not_red():
    summary = _judged(deliverables_due=2, deliverables_on_time=1, deliverables_late=1)

    assert summary.light == Light.AMBER
    assert summary.reasons == ["1 deliverable is late."]


def test_a_single_deliverable_due_and_late_is_amber_not_red():
    # one deliverable is too few to judge the share delivered on time
    summary = _judged(deliverables_due=1, deliverables_on_time=0, deliverables_late=1)

    assert summary.light == Light.AMBER
    assert summary.reasons == ["1 deliverable is late."]


def test_deliverables_delivered_late_lower_the_share_on_time():
    # three delivered, two of them after their due date: nothing is late now, yet it is at risk
    summary = _judged(deliverables_due=3, deliverables_on_time=1)

    assert summary.light == Light.RED
    assert summary.reasons == ["Only 33% of the deliverables due so far were delivered on time."]


def test_more_than_half_of_the_measured_indicators_off_track_is_red():
    summary = _judged(indicators={IndicatorState.ON_TRACK: 1, IndicatorState.OFF_TRACK: 2})

    assert summary.light == Light.RED
    assert summary.reasons == ["2 of 3 measured indicators are off track."]


def test_indicators_without_data_do_not_count_as_measured():
    # one measured indicator, off track: more than half of the measured ones
    summary = _judged(indicators={IndicatorState.OFF_TRACK: 1, IndicatorState.NO_DATA: 3})

    assert summary.light == Light.RED
    assert summary.reasons == [
        "1 of 1 measured indicator is off track.",
        "3 indicators have no measurement yet.",
    ]


def test_the_reasons_list_every_cause_red_ones_first():
    summary = _judged(
        deliverables_due=4,
        deliverables_on_time=1,
        deliverables_late=2,
        indicators={
            IndicatorState.OFF_TRACK: 2,
            IndicatorState.ON_TRACK: 1,
            IndicatorState.NO_DATA: 1,
        },
        reports_overdue=1,
        oldest_overdue_days=45,
    )

    assert summary.light == Light.RED
    assert summary.reasons == [
        "Only 25% of the deliverables due so far were delivered on time.",
        "2 of 3 measured indicators are off track.",
        "1 progress report is overdue.",
        "2 deliverables are late.",
        "1 indicator has no measurement yet.",
    ]
    assert ALL_GOOD not in summary.reasons


def test_amber_reasons_add_up():
    summary = _judged(
        deliverables_due=2,
        deliverables_on_time=1,
        deliverables_late=1,
        indicators={IndicatorState.OFF_TRACK: 1, IndicatorState.ON_TRACK: 2},
        reports_overdue=1,
        oldest_overdue_days=3,
    )

    assert summary.light == Light.AMBER
    assert summary.reasons == [
        "1 deliverable is late.",
        "1 indicator is off track.",
        "1 progress report is overdue.",
    ]


# The summary of initiatives, from the database -----------------------------------------------


def test_a_hub_with_nothing_recorded_is_green(db):
    hub = _hub_with()

    summary = _summary_of(hub)

    assert summary.light == Light.GREEN
    assert summary.reasons == [ALL_GOOD]
    assert summary.deliverables_due == 0
    assert summary.on_time_share is None


def test_the_summary_counts_deliverables_by_their_derived_state(db):
    # given one deliverable of each kind around today
    hub = _hub_with(
        deliverables=[
            (DeliverableStatus.PLANNED, TODAY, None),  # due today: not late, not yet due
            (DeliverableStatus.PLANNED, TODAY + DAY, None),  # not yet due
            (DeliverableStatus.IN_PROGRESS, TODAY - DAY, None),  # late
            (DeliverableStatus.DELIVERED, TODAY - 5 * DAY, TODAY - 5 * DAY),  # on time
            (DeliverableStatus.DELIVERED, TODAY + 9 * DAY, TODAY - DAY),  # early, on time
            (DeliverableStatus.DELIVERED, TODAY - 9 * DAY, TODAY - DAY),  # delivered late
            (DeliverableStatus.DROPPED, TODAY - 99 * DAY, None),  # never late
        ]
    )

    # when the HUB is summarized
    summary = _summary_of(hub)

    # then
    assert summary.deliverables_due == 4
    assert summary.deliverables_on_time == 2
    assert summary.deliverables_late == 1
    assert summary.light == Light.AMBER
    assert summary.reasons == ["1 deliverable is late."]
    states = sorted(d.state(today=TODAY) for d in hub.deliverables.all())
    assert states == sorted(
        [
            DeliverableState.PLANNED,
            DeliverableState.PLANNED,
            DeliverableState.LATE,
            DeliverableState.DELIVERED,
            DeliverableState.DELIVERED,
            DeliverableState.DELIVERED_LATE,
            DeliverableState.DROPPED,
        ]
    )


def test_the_summary_is_red_when_most_deliverables_due_are_late(db):
    hub = _hub_with(
        deliverables=[
            (DeliverableStatus.PLANNED, TODAY - DAY, None),
            (DeliverableStatus.PLANNED, TODAY - 2 * DAY, None),
            (DeliverableStatus.DELIVERED, TODAY - 3 * DAY, TODAY - 3 * DAY),
        ]
    )

    summary = _summary_of(hub)

    assert summary.light == Light.RED
    assert summary.reasons == [
        "Only 33% of the deliverables due so far were delivered on time.",
        "2 deliverables are late.",
    ]


def test_the_summary_judges_indicators_on_their_latest_value(db):
    hub = _hub_with(
        indicators=[
            (Decimal("50"), MIDWAY),  # on track
            (Decimal("100"), BASELINE_DATE + DAY),  # reached early
            (Decimal("10"), MIDWAY),  # off track
            (None, None),  # no data
        ]
    )

    summary = _summary_of(hub)

    assert summary.indicators == {
        IndicatorState.ON_TRACK: 1,
        IndicatorState.REACHED: 1,
        IndicatorState.OFF_TRACK: 1,
        IndicatorState.NO_DATA: 1,
    }
    assert summary.light == Light.AMBER
    assert summary.reasons == [
        "1 indicator is off track.",
        "1 indicator has no measurement yet.",
    ]


def test_the_summary_is_red_when_most_measured_indicators_are_off_track(db):
    hub = _hub_with(indicators=[(Decimal("10"), MIDWAY), (Decimal("5"), MIDWAY), (None, None)])

    summary = _summary_of(hub)

    assert summary.light == Light.RED
    assert "2 of 2 measured indicators are off track." in summary.reasons
    assert "1 indicator has no measurement yet." in summary.reasons


@pytest.mark.parametrize(
    ("days_overdue", "light"),
    [(1, Light.AMBER), (OVERDUE_RISK_DAYS, Light.AMBER), (OVERDUE_RISK_DAYS + 1, Light.RED)],
)
def test_overdue_reports_turn_the_light_by_the_oldest_one(db, days_overdue, light):
    # given a draft report overdue by some days, another due today and one submitted late
    hub = _hub_with(
        report_dues=[TODAY - days_overdue * DAY, TODAY, TODAY + 180 * DAY],
        submitted_dues=[TODAY - 200 * DAY],
    )

    summary = _summary_of(hub)

    assert summary.reports_overdue == 1
    assert summary.oldest_overdue_days == days_overdue
    assert summary.light == light
    assert summary.reasons == ["1 progress report is overdue."]


def test_summarize_many_keeps_each_initiative_apart(db):
    green = _hub_with(indicators=[(Decimal("50"), MIDWAY)])
    amber = _hub_with(deliverables=[(DeliverableStatus.PLANNED, TODAY - DAY, None)])
    red = _hub_with(report_dues=[TODAY - 60 * DAY])

    summaries = selectors.summarize_many(
        Initiative.objects.filter(pk__in=[green.pk, amber.pk, red.pk]), today=TODAY
    )

    assert set(summaries) == {green.pk, amber.pk, red.pk}
    assert summaries[green.pk].light == Light.GREEN
    assert summaries[amber.pk].light == Light.AMBER
    assert summaries[red.pk].light == Light.RED
    assert summaries[red.pk].deliverables_late == 0
    assert summaries[amber.pk].reports_overdue == 0


def test_initiative_summary_agrees_with_summarize_many(db):
    today = timezone.localdate()
    hub = _hub_with(deliverables=[(DeliverableStatus.PLANNED, today - DAY, None)])

    summary = selectors.initiative_summary(hub)

    assert summary == selectors.summarize_many(Initiative.objects.filter(pk=hub.pk))[hub.pk]
    assert summary.deliverables_late == 1
    assert summary.light == Light.AMBER


def _portfolio(n):
    for _ in range(n):
        _hub_with(
            deliverables=[
                (DeliverableStatus.PLANNED, TODAY - DAY, None),
                (DeliverableStatus.DELIVERED, TODAY - DAY, TODAY - DAY),
            ],
            indicators=[(Decimal("50"), MIDWAY), (None, None)],
            report_dues=[TODAY - 10 * DAY, TODAY + 170 * DAY],
        )


@pytest.mark.parametrize("n", [2, 10])
def test_summarize_many_runs_a_fixed_number_of_queries(db, django_assert_num_queries, n):
    # given n HUBs, each with deliverables, indicators and reports
    _portfolio(n)
    initiatives = Initiative.objects.all()

    # when they are summarized: three queries, and one for the ids
    with django_assert_num_queries(4):
        summaries = selectors.summarize_many(initiatives, today=TODAY)

    # then every HUB has its summary
    assert len(summaries) == n
    assert {s.light for s in summaries.values()} == {Light.AMBER}
