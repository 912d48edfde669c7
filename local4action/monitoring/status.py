"""How the platform judges progress. Everything here is derived from what teams record; nothing
is typed by hand. Pure functions on plain values, so the rules are easy to test at their edges."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .choices import IndicatorState, Light

# An indicator is on track when its progress is at most this far behind the time elapsed.
TOLERANCE = Decimal("0.10")
# A report this many days overdue puts the initiative at risk.
OVERDUE_RISK_DAYS = 30
# Below this share of deliverables on time, the initiative is at risk.
ON_TIME_RISK_SHARE = Decimal("0.5")


def indicator_progress(*, baseline: Decimal, target: Decimal, value: Decimal) -> Decimal:
    """Share of the way from baseline to target (1 = reached). The sign of target − baseline
    carries the direction, so lower-is-better indicators need no special case."""
    return (value - baseline) / (target - baseline)


def expected_progress(*, baseline_date, target_date, on: datetime.date) -> Decimal:
    total = (target_date - baseline_date).days
    elapsed = (on - baseline_date).days
    return min(Decimal(1), max(Decimal(0), Decimal(elapsed) / Decimal(total)))


def indicator_state(
    *, baseline, target, baseline_date, target_date, latest_value, latest_date
) -> str:
    """Reached, on track (progress keeps pace with the straight path from baseline to target,
    judged at the date of the latest measurement), off track, or no data yet."""
    if latest_value is None:
        return IndicatorState.NO_DATA
    progress = indicator_progress(baseline=baseline, target=target, value=latest_value)
    if progress >= 1:
        return IndicatorState.REACHED
    expected = expected_progress(
        baseline_date=baseline_date, target_date=target_date, on=latest_date
    )
    return (
        IndicatorState.ON_TRACK if progress >= expected - TOLERANCE else (IndicatorState.OFF_TRACK)
    )


@dataclass
class Summary:
    """What is known about one initiative, gathered by the selectors in a few queries."""

    deliverables_due: int = 0  # not dropped, and due by today or already delivered
    deliverables_on_time: int = 0  # delivered on or before their due date
    deliverables_late: int = 0  # not delivered, due date passed
    indicators: dict[str, int] = field(default_factory=dict)  # state → count
    reports_overdue: int = 0
    oldest_overdue_days: int = 0
    light: str = Light.GREEN
    reasons: list[str] = field(default_factory=list)

    @property
    def on_time_share(self) -> Decimal | None:
        if not self.deliverables_due:
            return None
        return Decimal(self.deliverables_on_time) / Decimal(self.deliverables_due)

    @property
    def indicators_on_track(self) -> int:
        return self.indicators.get(IndicatorState.ON_TRACK, 0) + self.indicators.get(
            IndicatorState.REACHED, 0
        )

    @property
    def indicators_measured(self) -> int:
        return sum(n for state, n in self.indicators.items() if state != IndicatorState.NO_DATA)


def judge(summary: Summary) -> Summary:
    """Set the traffic light and spell out every reason for it."""
    red, amber = [], []
    share = summary.on_time_share
    if share is not None and summary.deliverables_due >= 2 and share < ON_TIME_RISK_SHARE:
        red.append(
            _("Only %(share)s%% of the deliverables due so far were delivered on time.")
            % {"share": int(share * 100)}
        )
    if summary.deliverables_late:
        amber.append(
            ngettext(
                "%(n)s deliverable is late.",
                "%(n)s deliverables are late.",
                summary.deliverables_late,
            )
            % {"n": summary.deliverables_late}
        )
    off = summary.indicators.get(IndicatorState.OFF_TRACK, 0)
    if off and off * 2 > summary.indicators_measured:
        red.append(
            ngettext(
                "%(n)s of %(total)s measured indicator is off track.",
                "%(n)s of %(total)s measured indicators are off track.",
                summary.indicators_measured,
            )
            % {"n": off, "total": summary.indicators_measured}
        )
    elif off:
        amber.append(
            ngettext("%(n)s indicator is off track.", "%(n)s indicators are off track.", off)
            % {"n": off}
        )
    no_data = summary.indicators.get(IndicatorState.NO_DATA, 0)
    if no_data:
        amber.append(
            ngettext(
                "%(n)s indicator has no measurement yet.",
                "%(n)s indicators have no measurement yet.",
                no_data,
            )
            % {"n": no_data}
        )
    if summary.reports_overdue:
        message = ngettext(
            "%(n)s progress report is overdue.",
            "%(n)s progress reports are overdue.",
            summary.reports_overdue,
        ) % {"n": summary.reports_overdue}
        (red if summary.oldest_overdue_days > OVERDUE_RISK_DAYS else amber).append(message)
    summary.light = Light.RED if red else Light.AMBER if amber else Light.GREEN
    summary.reasons = red + amber or [
        _("Deliverables on time, indicators on track and reports up to date.")
    ]
    return summary
