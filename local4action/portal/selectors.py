"""Reads for the public portal: what anyone may see, in a fixed number of queries."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from local4action.accounts.choices import LRG_KINDS, OrganizationStatus
from local4action.accounts.models import Organization
from local4action.core.models import Goal
from local4action.events.selectors import event_list
from local4action.initiatives.choices import PUBLIC_STATUSES, InitiativeStatus
from local4action.initiatives.models import Initiative
from local4action.monitoring.choices import IndicatorState
from local4action.monitoring.models import Indicator
from local4action.monitoring.selectors import INDICATOR_VALUES, _indicator_kwargs
from local4action.monitoring.status import indicator_state

HUB_STATUSES = (InitiativeStatus.LABELLED, InitiativeStatus.COMPLETED)


def key_numbers() -> dict[str, int]:
    """Headline figures for the home page, in two queries."""
    numbers = Organization.objects.filter(status=OrganizationStatus.APPROVED).aggregate(
        organizations=Count("pk"),
        governments=Count("pk", filter=Q(kind__in=LRG_KINDS)),
        countries=Count("country", distinct=True),
        sections=Count("regional_section", distinct=True),
    )
    # The join on goals repeats rows, hence the distinct counts.
    numbers.update(
        Initiative.objects.aggregate(
            hubs=Count("pk", filter=Q(status=InitiativeStatus.LABELLED), distinct=True),
            accompanied=Count("pk", filter=Q(status=InitiativeStatus.ACCOMPANIED), distinct=True),
            goals=Count("goals", filter=Q(status__in=PUBLIC_STATUSES), distinct=True),
        )
    )
    return numbers


def latest_hubs(limit: int = 6) -> QuerySet[Initiative]:
    """The HUBs labelled last, with what their cards show (three queries)."""
    return (
        Initiative.objects.filter(status__in=HUB_STATUSES, labelled_at__isnull=False)
        .select_related("lead_organization")
        .prefetch_related("goals", "translations")
        .order_by("-labelled_at", "title")[:limit]
    )


def upcoming_public_events(limit: int = 3) -> list:
    """The next events anyone may see, whoever is reading (the home page is the same for all)."""
    return list(event_list(AnonymousUser())[:limit])


# Progress the HUBs report, in plain words -----------------------------------------------------


@dataclass
class ReportedProgress:
    """What the indicators of one initiative say: on track, off track or no data yet."""

    states: Counter = field(default_factory=Counter)

    @property
    def measured(self) -> int:
        return sum(n for state, n in self.states.items() if state != IndicatorState.NO_DATA)

    @property
    def on_track(self) -> int:
        return self.states[IndicatorState.ON_TRACK] + self.states[IndicatorState.REACHED]

    @property
    def status(self) -> str:
        if not self.measured:
            return "no_data"
        return "on_track" if self.on_track * 2 >= self.measured else "off_track"

    @property
    def label(self) -> str:
        return {
            "no_data": _("No data yet"),
            "on_track": _("On track"),
            "off_track": _("Off track"),
        }[self.status]

    @property
    def sentence(self) -> str:
        if not self.measured:
            return _("No data yet: no indicator has been measured.")
        return ngettext(
            "%(label)s: %(on)s of %(total)s measured indicator on track or reached.",
            "%(label)s: %(on)s of %(total)s measured indicators on track or reached.",
            self.measured,
        ) % {"label": self.label, "on": self.on_track, "total": self.measured}


def reported_progress(initiative_ids: list[int]) -> dict[int, ReportedProgress]:
    """Indicator states of many initiatives in one query (none when there are no ids)."""
    progress: dict[int, ReportedProgress] = defaultdict(ReportedProgress)
    if initiative_ids:
        rows = Indicator.objects.filter(initiative__in=initiative_ids).values_list(
            "initiative_id", *INDICATOR_VALUES
        )
        for initiative_id, *values in rows:
            progress[initiative_id].states[indicator_state(**_indicator_kwargs(values))] += 1
    return progress


# Coverage of the 17 goals ---------------------------------------------------------------------

# A sequential scale, light to dark; the last two carry white text. Chosen for contrast with
# the text drawn on them (4.5:1 or more).
SCALE = ["#f1f5f9", "#c6dbef", "#9ecae1", "#2171b5", "#08306b"]
COLUMNS = 6
CELL = 80


@dataclass
class CoverageCell:
    goal: Goal
    count: int
    fill: str
    text: str
    x: int
    y: int


@dataclass
class Coverage:
    cells: list[CoverageCell]
    legend: list[tuple[str, str]]  # (fill, label)
    summary: str
    width: int
    height: int


def _bucket(count: int, top: int) -> int:
    if count == 0:
        return 0
    if top <= 1:
        return len(SCALE) - 1
    # 1 for a single initiative, the darkest for the most covered goal.
    return 1 + min(len(SCALE) - 2, (count - 1) * (len(SCALE) - 2) // (top - 1))


def goal_coverage() -> Coverage:
    """How many HUBs and accompanied initiatives work on each goal, in one query."""
    goals = list(
        Goal.objects.annotate(
            initiatives=Count(
                "initiative", filter=Q(initiative__status__in=PUBLIC_STATUSES), distinct=True
            )
        ).order_by("number")
    )
    top = max((goal.initiatives for goal in goals), default=0)
    cells = []
    for index, goal in enumerate(goals):
        bucket = _bucket(goal.initiatives, top)
        cells.append(
            CoverageCell(
                goal=goal,
                count=goal.initiatives,
                fill=SCALE[bucket],
                text="#ffffff" if bucket >= 3 else "#1f2933",
                x=(index % COLUMNS) * CELL,
                y=(index // COLUMNS) * CELL,
            )
        )
    covered = [goal for goal in goals if goal.initiatives]
    if covered:
        most = max(covered, key=lambda goal: (goal.initiatives, -goal.number))
        summary = ngettext(
            "HUBs and initiatives work on %(covered)s of the %(all)s goals; the most on "
            "Goal %(number)s (%(short)s), with %(count)s initiative.",
            "HUBs and initiatives work on %(covered)s of the %(all)s goals; the most on "
            "Goal %(number)s (%(short)s), with %(count)s initiatives.",
            most.initiatives,
        ) % {
            "covered": len(covered),
            "all": len(goals),
            "number": most.number,
            "short": most.short,
            "count": most.initiatives,
        }
    else:
        summary = _("No HUB or accompanied initiative is linked to a goal yet.")
    legend = [(SCALE[0], _("none"))]
    if top:
        legend += [(SCALE[1], _("a few")), (SCALE[-1], _("the most (%(n)s)") % {"n": top})]
    rows = (len(goals) + COLUMNS - 1) // COLUMNS
    return Coverage(
        cells=cells,
        legend=legend,
        summary=summary,
        width=COLUMNS * CELL,
        height=max(rows, 1) * CELL,
    )
