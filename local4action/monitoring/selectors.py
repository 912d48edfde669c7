"""Reads on monitoring: one initiative's record and the whole portfolio, each in a fixed
number of queries whatever the number of initiatives, indicators or measurements."""

import datetime
import hashlib
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Lower
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from local4action.calls.models import Call
from local4action.core.models import Goal, RegionalSection
from local4action.core.models import Indicator as SdgIndicator
from local4action.core.versions import DataVersion
from local4action.initiatives.models import Initiative
from local4action.initiatives.selectors import CATALOGUE_VERSION

from . import permissions
from .choices import DeliverableState, DeliverableStatus, IndicatorState, Light, ReportStatus
from .models import (
    Deliverable,
    Indicator,
    InitiativeStatus,
    Measurement,
    ProgressReport,
    ReportExport,
)
from .status import Summary, indicator_progress, indicator_state, judge


def _summarize(deliverables, indicators, overdue_reports, today) -> Summary:
    summary = Summary()
    for status, due_date, delivered_on in deliverables:
        if status == DeliverableStatus.DROPPED:
            continue
        if status == DeliverableStatus.DELIVERED:
            summary.deliverables_due += 1
            if delivered_on and delivered_on <= due_date:
                summary.deliverables_on_time += 1
        elif due_date < today:
            summary.deliverables_due += 1
            summary.deliverables_late += 1
    states = Counter(indicator_state(**values) for values in indicators)
    summary.indicators = dict(states)
    summary.reports_overdue = len(overdue_reports)
    summary.oldest_overdue_days = max(((today - due).days for due in overdue_reports), default=0)
    return judge(summary)


INDICATOR_VALUES = (
    "baseline_value",
    "target_value",
    "baseline_date",
    "target_date",
    "latest_value",
    "latest_date",
)


def _indicator_kwargs(row) -> dict:
    baseline, target, baseline_date, target_date, latest_value, latest_date = row
    return {
        "baseline": baseline,
        "target": target,
        "baseline_date": baseline_date,
        "target_date": target_date,
        "latest_value": latest_value,
        "latest_date": latest_date,
    }


def summarize_many(initiatives: QuerySet, today=None) -> dict[int, Summary]:
    """Status of many initiatives in three queries."""
    today = today or timezone.localdate()
    ids = initiatives.values("pk")
    deliverables, indicators, overdue = defaultdict(list), defaultdict(list), defaultdict(list)
    for initiative_id, *values in Deliverable.objects.filter(initiative__in=ids).values_list(
        "initiative_id", "status", "due_date", "delivered_on"
    ):
        deliverables[initiative_id].append(values)
    for initiative_id, *values in Indicator.objects.filter(initiative__in=ids).values_list(
        "initiative_id", *INDICATOR_VALUES
    ):
        indicators[initiative_id].append(_indicator_kwargs(values))
    for initiative_id, due in ProgressReport.objects.filter(
        initiative__in=ids, status=ReportStatus.DRAFT, due_date__lt=today
    ).values_list("initiative_id", "due_date"):
        overdue[initiative_id].append(due)
    return {
        pk: _summarize(deliverables[pk], indicators[pk], overdue[pk], today)
        for pk in initiatives.values_list("pk", flat=True)
    }


def initiative_summary(initiative: Initiative, today=None) -> Summary:
    return summarize_many(Initiative.objects.filter(pk=initiative.pk), today)[initiative.pk]


@dataclass
class InitiativeMonitoring:
    initiative: Initiative
    summary: Summary
    deliverables: list[Deliverable]
    indicators: list[Indicator]
    reports: list[ProgressReport]


def initiative_get(*, user, slug: str) -> Initiative:
    """The initiative, if the user may follow its monitoring; 404 otherwise."""
    initiative = (
        Initiative.objects.select_related("lead_organization", "monitoring_plan")
        .filter(slug=slug)
        .first()
    )
    if initiative is None or not permissions.can_view_monitoring(user, initiative):
        raise Http404
    return initiative


def sdg_indicator_for(code: str):
    """The official SDG indicator with this code (None for an empty code)."""
    code = (code or "").strip()
    if not code:
        return None
    indicator = SdgIndicator.objects.filter(code=code, obsolete=False).first()
    if indicator is None:
        raise ValidationError(
            _("No official SDG indicator has the code %(code)s.") % {"code": code}
        )
    return indicator


def initiative_monitoring(*, user, slug: str) -> InitiativeMonitoring:
    """Everything the initiative dashboard shows; 404 for people who may not see it."""
    initiative = initiative_get(user=user, slug=slug)
    indicators = list(
        Indicator.objects.filter(initiative=initiative)
        .select_related("sdg_indicator")
        .prefetch_related(
            Prefetch("measurements", queryset=Measurement.objects.order_by("date", "id"))
        )
    )
    return InitiativeMonitoring(
        initiative=initiative,
        summary=initiative_summary(initiative),
        deliverables=list(Deliverable.objects.filter(initiative=initiative)),
        indicators=indicators,
        reports=list(
            ProgressReport.objects.filter(initiative=initiative).select_related(
                "submitted_by", "acknowledged_by"
            )
        ),
    )


def indicator_state_of(indicator: Indicator) -> str:
    return indicator_state(
        **_indicator_kwargs([getattr(indicator, name) for name in INDICATOR_VALUES])
    )


def followed_initiatives() -> QuerySet:
    """HUBs and accompanied initiatives: the portfolio the secretariat follows."""
    return Initiative.objects.filter(status__in=permissions.FOLLOWED)


def report_get(*, user, pk: int) -> ProgressReport:
    report = (
        ProgressReport.objects.select_related(
            "initiative__lead_organization", "submitted_by", "acknowledged_by"
        )
        .filter(pk=pk)
        .first()
    )
    if report is None or not permissions.can_view_monitoring(user, report.initiative):
        raise Http404
    return report


def indicator_get(*, user, pk: int) -> Indicator:
    indicator = (
        Indicator.objects.select_related("initiative__lead_organization").filter(pk=pk).first()
    )
    if indicator is None or not permissions.can_view_monitoring(user, indicator.initiative):
        raise Http404
    return indicator


def deliverable_get(*, user, pk: int) -> Deliverable:
    deliverable = (
        Deliverable.objects.select_related("initiative__lead_organization").filter(pk=pk).first()
    )
    if deliverable is None or not permissions.can_view_monitoring(user, deliverable.initiative):
        raise Http404
    return deliverable


# The portfolio the secretariat and partners follow ------------------------------------------

# Red first: what is at risk comes before what needs attention, then what is on track.
LIGHT_ORDER = {Light.RED: 0, Light.AMBER: 1, Light.GREEN: 2}
PORTFOLIO_SORTS = ("light", "name", "region", "sdg")
# The stored counts, as (InitiativeStatus field, indicator state); see stored_summary.
STATUS_INDICATORS = (
    ("indicators_reached", IndicatorState.REACHED),
    ("indicators_on_track", IndicatorState.ON_TRACK),
    ("indicators_off_track", IndicatorState.OFF_TRACK),
    ("indicators_no_data", IndicatorState.NO_DATA),
)
STATUS_COUNTS = (
    "deliverables_due",
    "deliverables_on_time",
    "deliverables_late",
    *(name for name, _state in STATUS_INDICATORS),
    "reports_overdue",
    "oldest_overdue_days",
)


def stored_summary(status: InitiativeStatus | None) -> Summary:
    """The Summary a stored status was judged from, judged again so that its reasons come out
    in the reader's language. No stored status counts as nothing recorded: green."""
    if status is None:
        return judge(Summary())
    summary = Summary(
        deliverables_due=status.deliverables_due,
        deliverables_on_time=status.deliverables_on_time,
        deliverables_late=status.deliverables_late,
        indicators={state: n for name, state in STATUS_INDICATORS if (n := getattr(status, name))},
        reports_overdue=status.reports_overdue,
        oldest_overdue_days=status.oldest_overdue_days,
    )
    return judge(summary)


def _has_records() -> Q:
    return (
        Q(Exists(Deliverable.objects.filter(initiative=OuterRef("pk"))))
        | Q(Exists(Indicator.objects.filter(initiative=OuterRef("pk"))))
        | Q(Exists(ProgressReport.objects.filter(initiative=OuterRef("pk"))))
    )


def stale_statuses(today: datetime.date | None = None) -> QuerySet:
    """Followed initiatives whose stored status was judged before today, or that have none
    while they have records (one with no records is green, as its missing status says)."""
    today = today or timezone.localdate()
    return followed_initiatives().filter(
        Q(monitoring_status__judged_on__lt=today)
        | (Q(monitoring_status__isnull=True) & _has_records())
    )


@dataclass
class PortfolioRow:
    initiative: Initiative  # with its lead organization's name, not its other texts
    summary: Summary
    region: RegionalSection | None
    goals: list[Goal]  # ordered by number


# The stored statuses' version: statuses_refresh renews it. With the catalogue's (initiatives
# followed, their goals), it keys the portfolio's cached counts and orderings.
STATUS_VERSION = DataVersion("monitoring:status_version", lambda: uuid.uuid4().hex)
PORTFOLIO_CACHE_SECONDS = 300  # an organization moved to another region shows within minutes


def _portfolio_key(*parts) -> str:
    signature = repr((*parts, STATUS_VERSION.get(), CATALOGUE_VERSION.get()))
    return "monitoring:portfolio:" + hashlib.sha256(signature.encode()).hexdigest()


def _ids_in_order(queryset: QuerySet, key: str, start: int, stop: int) -> list[Initiative]:
    """The rows start..stop of a sorted selection. Sorting the whole portfolio is the costly
    part: the ids of the slice are kept in the cache, the rows read by id."""
    ids = cache.get(key)
    if ids is None:
        ids = list(queryset.values_list("pk", flat=True)[start:stop])
        cache.set(key, ids, PORTFOLIO_CACHE_SECONDS)
    found = {initiative.pk: initiative for initiative in queryset.order_by().filter(pk__in=ids)}
    return [found[pk] for pk in ids if pk in found]


class PortfolioRows:
    """The whole selection, sorted, read from the database only by the slices asked for (the
    page of the table): its length is already known from the counts."""

    def __init__(self, queryset: QuerySet, total: int, build, key: str = ""):
        self.queryset = queryset
        self.total = total
        self.build = build
        self.key = key

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, index):
        if isinstance(index, slice):
            start, stop, _step = index.indices(self.total)
            if stop <= start:
                return []
            if self.key:
                rows = _ids_in_order(self.queryset, f"{self.key}:{start}:{stop}", start, stop)
            else:
                rows = list(self.queryset[start:stop])
            return self.build(rows)
        return self[index : index + 1][0]

    def __iter__(self):
        for start in range(0, self.total, 500):
            yield from self[start : start + 500]


@dataclass
class Portfolio:
    rows: PortfolioRows  # the whole selection, sorted; rows are read by the slice
    page: Page  # the page of the table asked for, its rows read and judged
    by_light: list[tuple[str, str, int]]  # (light, label, count), red first
    by_region: list[tuple[RegionalSection | None, int]]  # every section; None: no section
    by_sdg: list[tuple[Goal, int]]  # the 17 goals; an initiative counts once per goal
    attention: list[PortfolioRow]  # the first red, then amber ones
    attention_total: int  # all red and amber ones
    sort: str  # the sort applied, "-" first when descending
    as_of: datetime.date | None  # the oldest day the selection's statuses were judged for


def _portfolio_order(field: str, descending: bool, sections=()) -> list:
    """The SQL ordering of the table: each sort, then the name, then the id so that pages
    never overlap. Descending reverses every key, as a reversed sort of the whole row would."""
    if field == "name":
        keys = []
    elif field == "region":
        # The few sections in their set order (position, then name in the reader's
        # language), as a rank; initiatives without a section last.
        ranked = sorted(sections, key=lambda section: (section.position, section.name))
        keys = [
            Case(
                *(
                    When(lead_organization__regional_section=section.pk, then=Value(rank))
                    for rank, section in enumerate(ranked)
                ),
                default=Value(len(ranked)),
            )
        ]
    elif field == "sdg":
        # By the smallest goal number, then the name (not by the whole list of goals);
        # initiatives without a goal last.
        keys = [Coalesce(F("first_goal"), Value(99))]
    else:
        keys = [F("light_rank")]
    keys += [Lower("title"), F("pk")]
    return [key.desc() if descending else key.asc() for key in keys]


def _portfolio_counts(initiatives: QuerySet) -> tuple:
    """The selection counted by light and regional section (one query) and by goal (one
    more), with the oldest day a status was judged on."""
    lights, regions, total, as_of = Counter(), Counter(), 0, None
    for section_id, light_value, n, oldest in (
        initiatives.order_by()
        .values_list("lead_organization__regional_section", "light_value")
        .annotate(n=Count("pk"), oldest=Min("monitoring_status__judged_on"))
    ):
        lights[light_value] += n
        regions[section_id] += n
        total += n
        if oldest is not None and (as_of is None or oldest < as_of):
            as_of = oldest
    goal_counts = dict(
        Initiative.goals.through.objects.filter(initiative__in=initiatives.values("pk"))
        .order_by()
        .values_list("goal")
        .annotate(n=Count("initiative"))
    )
    return lights, regions, total, as_of, goal_counts


def portfolio(
    *,
    user,
    region: str = "",
    sdg: int | None = None,
    light: str = "",
    sort: str = "",
    page: int | str | None = 1,
    per_page: int = 100,
    attention_limit: int = 50,
) -> Portfolio:
    """HUBs and accompanied initiatives with their lights, filtered by regional section, SDG
    and light, sorted, and counted by light, region and SDG; for the secretariat and partners
    only. Reads the statuses stored by services.statuses_refresh (an initiative without one
    counts as green): filters, sorts and counts run in SQL, in a fixed number of queries
    whatever the number of initiatives and records; only the rows of the slice read (the
    page, the first ones needing attention) are judged in Python, for their reasons. A
    wrong page number gives the first or the last page."""
    if not permissions.can_view_portfolio(user):
        raise PermissionDenied
    initiatives = followed_initiatives().annotate(
        light_value=Coalesce(F("monitoring_status__light"), Value(Light.GREEN)),
        light_rank=Case(
            When(monitoring_status__light=Light.RED, then=Value(LIGHT_ORDER[Light.RED])),
            When(monitoring_status__light=Light.AMBER, then=Value(LIGHT_ORDER[Light.AMBER])),
            default=Value(LIGHT_ORDER[Light.GREEN]),
        ),
    )
    if region:
        initiatives = initiatives.filter(lead_organization__regional_section__slug=region)
    if sdg:
        initiatives = initiatives.filter(goals__number=sdg)
    if light:
        initiatives = initiatives.filter(light_value=light)

    # Counts and orderings scan the whole selection: kept in the cache until the statuses or
    # the initiatives change (their versions are in the keys), five minutes at most.
    selection = _portfolio_key(region, sdg, light)
    counted = cache.get(f"{selection}:counts")
    if counted is None:
        counted = _portfolio_counts(initiatives)
        cache.set(f"{selection}:counts", counted, PORTFOLIO_CACHE_SECONDS)
    lights, regions, total, as_of, goal_counts = counted
    # The 9 sections and 17 goals are read once and shared by every row.
    sections = {section.pk: section for section in RegionalSection.objects.all()}
    all_goals = {goal.pk: goal for goal in Goal.objects.order_by("number")}

    def add_goals(rows: list[PortfolioRow]) -> list[PortfolioRow]:
        """The goals of these rows, in one query."""
        by_pk = defaultdict(list)  # an initiative may be both on the page and needing attention
        for row in rows:
            by_pk[row.initiative.pk].append(row)
        if by_pk:
            for initiative_id, goal_id in (
                Initiative.goals.through.objects.filter(initiative__in=list(by_pk))
                .order_by("goal__number")
                .values_list("initiative_id", "goal_id")
            ):
                for row in by_pk[initiative_id]:
                    row.goals.append(all_goals[goal_id])
        return rows

    def build(found: list[Initiative]) -> list[PortfolioRow]:
        """Rows without their goals yet."""
        return [
            PortfolioRow(
                initiative=initiative,
                summary=stored_summary(getattr(initiative, "monitoring_status", None)),
                region=sections.get(initiative.lead_organization.regional_section_id),
                goals=[],
            )
            for initiative in found
        ]

    field = sort.removeprefix("-")
    if field not in PORTFOLIO_SORTS:
        sort, field = "light", "light"
    shown = initiatives.select_related("lead_organization", "monitoring_status").only(
        "slug",
        "title",
        "status",
        "lead_organization__name",
        "lead_organization__regional_section_id",
        *(f"monitoring_status__{name}" for name in (*STATUS_COUNTS, "light", "judged_on")),
    )
    if field == "sdg":
        shown = shown.annotate(
            first_goal=Subquery(
                Initiative.goals.through.objects.filter(initiative=OuterRef("pk"))
                .order_by("goal__number")
                .values("goal__number")[:1]
            )
        )
    ordered = shown.order_by(*_portfolio_order(field, sort.startswith("-"), sections.values()))
    sorted_key = f"{selection}:{sort}"
    table = Paginator(PortfolioRows(ordered, total, build, sorted_key), per_page).get_page(page)
    attention_total = lights[Light.RED] + lights[Light.AMBER]
    attention = (
        build(
            _ids_in_order(
                shown.filter(light_rank__lt=LIGHT_ORDER[Light.GREEN]).order_by(
                    *_portfolio_order("light", False)
                ),
                f"{selection}:attention:{attention_limit}",
                0,
                attention_limit,
            )
        )
        if attention_total
        else []
    )
    # The goals of the page's rows and of those needing attention, together.
    add_goals([*table.object_list, *attention])
    by_region: list[tuple[RegionalSection | None, int]] = [
        (section, regions[pk]) for pk, section in sections.items()
    ]
    if regions[None]:
        by_region.append((None, regions[None]))
    return Portfolio(
        rows=PortfolioRows(ordered, total, lambda found: add_goals(build(found)), sorted_key),
        page=table,
        by_light=[(value, Light(value).label, lights[value]) for value in LIGHT_ORDER],
        by_region=by_region,
        by_sdg=[(goal, goal_counts.get(pk, 0)) for pk, goal in all_goals.items()],
        attention=attention,
        attention_total=attention_total,
        sort=sort,
        as_of=as_of,
    )


# Portfolio report ----------------------------------------------------------------------------

# Red first: what is at risk leads the report's totals.
REPORT_LIGHTS = (Light.RED, Light.AMBER, Light.GREEN)


@dataclass
class ReportDeliverable:
    deliverable: Deliverable
    state: str  # as of the day the report judges on

    @property
    def state_label(self) -> str:
        return DeliverableState(self.state).label


@dataclass
class ReportIndicator:
    """An indicator judged on its latest total measured in the period, not its latest ever."""

    indicator: Indicator
    value: Decimal | None
    date: datetime.date | None
    measurements: int  # values recorded in the period, breakdowns included
    state: str

    @property
    def state_label(self) -> str:
        return IndicatorState(self.state).label

    @property
    def progress(self) -> Decimal | None:
        """Share of the way from the baseline to the target (1 = reached)."""
        if self.value is None:
            return None
        return indicator_progress(
            baseline=self.indicator.baseline_value,
            target=self.indicator.target_value,
            value=self.value,
        )

    @property
    def progress_percent(self) -> int | None:
        progress = self.progress
        return None if progress is None else int((progress * 100).to_integral_value())


@dataclass
class ReportEntry:
    initiative: Initiative
    summary: Summary
    deliverables: list[ReportDeliverable]
    indicators: list[ReportIndicator]
    reports: list[ProgressReport]

    @property
    def goals(self) -> list[Goal]:
        return list(self.initiative.goals.all())  # prefetched, ordered by number

    @property
    def light_label(self) -> str:
        return Light(self.summary.light).label


@dataclass
class PortfolioReport:
    date_from: datetime.date
    date_to: datetime.date
    as_of: datetime.date  # the day status is judged on: the end date, or today if earlier
    region: RegionalSection | None
    goal: Goal | None
    call: Call | None
    entries: list[ReportEntry]
    lights: list[tuple[str, str, int]]  # (light, label, initiatives), red first
    deliverables_due: int  # due in the period, not dropped
    deliverables_delivered: int  # delivered in the period
    deliverables_on_time: int  # delivered in the period, on or before their due date
    reports_submitted: int  # submitted in the period

    @property
    def on_time_percent(self) -> int | None:
        if not self.deliverables_delivered:
            return None
        return round(100 * self.deliverables_on_time / self.deliverables_delivered)


def _period_bounds(date_from: datetime.date, date_to: datetime.date):
    """The period as aware datetimes in the current time zone: [start, end)."""
    start = datetime.datetime.combine(date_from, datetime.time.min)
    end = datetime.datetime.combine(date_to + datetime.timedelta(days=1), datetime.time.min)
    return timezone.make_aware(start), timezone.make_aware(end)


def portfolio_report(
    *,
    date_from: datetime.date,
    date_to: datetime.date,
    region: str = "",
    sdg: int | None = None,
    call: str = "",
) -> PortfolioReport:
    """What the followed initiatives did in a period, filtered by the lead organization's
    regional section (slug), an SDG (number) and the call they applied to (slug).

    Each initiative comes with its status (judged on the last day of the period, or today when
    the period ends later), the deliverables due or delivered in the period, each indicator's
    latest total measured in the period against its baseline and target, and the progress
    reports submitted in the period. A fixed number of queries, whatever the number of
    initiatives and records. Who may read it is the caller's business (`can_view_portfolio`)."""
    as_of = min(date_to, timezone.localdate())
    initiatives = followed_initiatives()
    region_term = goal = call_object = None
    if region:
        initiatives = initiatives.filter(lead_organization__regional_section__slug=region)
        region_term = RegionalSection.objects.filter(slug=region).first()
    if sdg:
        # Goal numbers are unique, so the join cannot repeat an initiative.
        initiatives = initiatives.filter(goals__number=sdg)
        goal = Goal.objects.filter(number=sdg).first()
    if call:
        # One application per call and initiative: no repeats either.
        initiatives = initiatives.filter(applications__call__slug=call)
        call_object = Call.objects.filter(slug=call).first()
    ids = initiatives.values("pk")
    summaries = summarize_many(initiatives, today=as_of)
    entries = {
        initiative.pk: ReportEntry(
            initiative=initiative,
            summary=summaries[initiative.pk],
            deliverables=[],
            indicators=[],
            reports=[],
        )
        for initiative in initiatives.select_related(
            "lead_organization__regional_section"
        ).prefetch_related(Prefetch("goals", queryset=Goal.objects.order_by("number")))
        if initiative.pk in summaries  # one followed since the summaries were read waits
    }

    due = delivered = on_time = 0
    in_period = Q(due_date__gte=date_from, due_date__lte=date_to) | Q(
        delivered_on__gte=date_from, delivered_on__lte=date_to
    )
    for deliverable in Deliverable.objects.filter(in_period, initiative__in=ids):
        entry = entries.get(deliverable.initiative_id)
        if entry is None:
            continue
        entry.deliverables.append(
            ReportDeliverable(deliverable=deliverable, state=deliverable.state(today=as_of))
        )
        if deliverable.status == DeliverableStatus.DROPPED:
            continue
        if date_from <= deliverable.due_date <= date_to:
            due += 1
        day = deliverable.delivered_on
        if deliverable.status == DeliverableStatus.DELIVERED and date_from <= day <= date_to:
            delivered += 1
            if day <= deliverable.due_date:
                on_time += 1

    measured = Measurement.objects.filter(
        indicator=OuterRef("pk"), date__gte=date_from, date__lte=date_to
    )
    latest_total = measured.filter(disaggregation={}).order_by("-date", "-id")
    count_measured = measured.order_by().values("indicator").annotate(n=Count("pk")).values("n")
    indicators = (
        Indicator.objects.filter(initiative__in=ids)
        .select_related("sdg_indicator")
        .annotate(
            period_value=Subquery(latest_total.values("value")[:1]),
            period_date=Subquery(latest_total.values("date")[:1]),
            period_count=Coalesce(Subquery(count_measured[:1], output_field=IntegerField()), 0),
        )
    )
    for indicator in indicators:
        entry = entries.get(indicator.initiative_id)
        if entry is None:
            continue
        entry.indicators.append(
            ReportIndicator(
                indicator=indicator,
                value=indicator.period_value,
                date=indicator.period_date,
                measurements=indicator.period_count,
                state=indicator_state(
                    baseline=indicator.baseline_value,
                    target=indicator.target_value,
                    baseline_date=indicator.baseline_date,
                    target_date=indicator.target_date,
                    latest_value=indicator.period_value,
                    latest_date=indicator.period_date,
                ),
            )
        )

    submitted = 0
    start, end = _period_bounds(date_from, date_to)
    for progress_report in ProgressReport.objects.filter(
        initiative__in=ids,
        status__in=[ReportStatus.SUBMITTED, ReportStatus.ACKNOWLEDGED],
        submitted_at__gte=start,
        submitted_at__lt=end,
    ).order_by("period_start", "submitted_at"):
        entry = entries.get(progress_report.initiative_id)
        if entry is not None:
            entry.reports.append(progress_report)
            submitted += 1

    lights = Counter(entry.summary.light for entry in entries.values())
    return PortfolioReport(
        date_from=date_from,
        date_to=date_to,
        as_of=as_of,
        region=region_term,
        goal=goal,
        call=call_object,
        entries=list(entries.values()),
        lights=[(light, Light(light).label, lights[light]) for light in REPORT_LIGHTS],
        deliverables_due=due,
        deliverables_delivered=delivered,
        deliverables_on_time=on_time,
        reports_submitted=submitted,
    )


def report_export_get(*, user, pk: int) -> ReportExport:
    """A report file, for the person who asked for it and the secretariat; 404 for others."""
    export = ReportExport.objects.filter(pk=pk).first()
    if export is None or not permissions.can_view_report_export(user, export):
        raise Http404
    return export


# What the public sees of the results (the HUB page) -------------------------------------------


@dataclass
class PublicIndicator:
    name: str
    unit: str
    state: str
    state_label: str
    percent: int | None  # of the way from baseline to target, 0–100
    expected_percent: int  # where a straight path would be today
    sentence: str


@dataclass
class PublicResults:
    deliverables_total: int  # not dropped
    deliverables_delivered: int
    indicators: list[PublicIndicator]

    @property
    def deliverables_sentence(self) -> str:
        return ngettext(
            "%(done)s of %(total)s deliverable delivered.",
            "%(done)s of %(total)s deliverables delivered.",
            self.deliverables_total,
        ) % {"done": self.deliverables_delivered, "total": self.deliverables_total}


def public_results(initiative: Initiative, today=None) -> PublicResults:
    """Results in plain words for anyone reading the HUB page, in two queries. Only totals and
    states: no evidence files, notes or reports, which stay with the team and the staff."""
    from django.template.defaultfilters import floatformat
    from django.utils import formats

    from .status import expected_progress

    today = today or timezone.localdate()
    statuses = list(
        Deliverable.objects.filter(initiative=initiative).values_list("status", flat=True)
    )
    kept = [status for status in statuses if status != DeliverableStatus.DROPPED]
    indicators = []
    for indicator in Indicator.objects.filter(initiative=initiative).order_by("id"):
        state = indicator_state_of(indicator)
        values = {
            "name": indicator.name,
            "unit": indicator.unit,
            "target": floatformat(indicator.target_value, "-2"),
            "baseline": floatformat(indicator.baseline_value, "-2"),
            "end": formats.date_format(indicator.target_date, "DATE_FORMAT"),
        }
        percent = None
        if indicator.latest_value is None:
            sentence = (
                _("%(name)s: no measurement yet. The target is %(target)s %(unit)s by %(end)s.")
                % values
            )
        else:
            progress = indicator_progress(
                baseline=indicator.baseline_value,
                target=indicator.target_value,
                value=indicator.latest_value,
            )
            percent = int(max(Decimal(0), min(Decimal(1), progress)) * 100)
            sentence = _(
                "%(name)s: %(latest)s %(unit)s on %(date)s, against a target of %(target)s "
                "%(unit)s by %(end)s (from %(baseline)s), %(percent)s%% of the way."
            ) % {
                **values,
                "latest": floatformat(indicator.latest_value, "-2"),
                "date": formats.date_format(indicator.latest_date, "DATE_FORMAT"),
                "percent": percent,
            }
        expected = expected_progress(
            baseline_date=indicator.baseline_date, target_date=indicator.target_date, on=today
        )
        indicators.append(
            PublicIndicator(
                name=indicator.name,
                unit=indicator.unit,
                state=state,
                state_label=IndicatorState(state).label,
                percent=percent,
                expected_percent=int(expected * 100),
                sentence=sentence,
            )
        )
    return PublicResults(
        deliverables_total=len(kept),
        deliverables_delivered=sum(status == DeliverableStatus.DELIVERED for status in kept),
        indicators=indicators,
    )
