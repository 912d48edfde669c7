"""Reads on monitoring: one initiative's record and the whole portfolio, each in a fixed
number of queries whatever the number of initiatives, indicators or measurements."""

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from local4action.initiatives.models import Initiative

from . import permissions
from .choices import DeliverableStatus, ReportStatus
from .models import Deliverable, Indicator, Measurement, ProgressReport
from .status import Summary, indicator_state, judge


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


def initiative_monitoring(*, user, slug: str) -> InitiativeMonitoring:
    """Everything the initiative dashboard shows; 404 for people who may not see it."""
    initiative = (
        Initiative.objects.select_related("lead_organization", "monitoring_plan")
        .filter(slug=slug)
        .first()
    )
    if initiative is None or not permissions.can_view_monitoring(user, initiative):
        raise Http404
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
