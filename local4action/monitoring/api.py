"""Monitoring of HUBs and accompanied initiatives: status light, deliverables, indicators and
their measurements, progress reports.

Everything here is private to the initiative's team, the secretariat and partners: other
callers get 404, as if the initiative had no monitoring. Writes go through the services, which
check who may write (403) and what may be written (400).
"""

import datetime
from decimal import Decimal
from typing import Annotated, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Body, Field, Query, Router, Schema, Status
from pydantic import Discriminator, Tag

from local4action.api.auth import AUTHENTICATED
from local4action.calls.api import Problem
from local4action.initiatives.models import Initiative

from . import permissions, selectors, services
from .choices import (
    DeliverableState,
    DeliverableStatus,
    Direction,
    IndicatorState,
    Light,
    ReportStatus,
)
from .models import Indicator, Measurement, MonitoringPlan, ProgressReport
from .status import indicator_progress

router = Router(tags=["Monitoring"], auth=AUTHENTICATED)
# OpenAPI names each schema by its class name, and a second class of the same name in another
# app silently replaces the first: hence `Monitoring…` where other apps have the plain name.

MEASUREMENTS_PER_PAGE = 100
MAX_ROWS = 1000

# Numbers are exact decimals (up to 12 digits before the point and 4 after). They are always
# returned as JSON strings, so that no client rounds them through a float; they may be sent
# as strings or as numbers.
DECIMAL_OUT = 'A decimal number as a string, without trailing zeros: "12.5", "100".'
DecimalIn = Annotated[
    Decimal,
    Field(
        max_digits=16,
        decimal_places=4,
        description='A decimal number, sent as a string ("12.5") or a JSON number; at most 12 '
        "digits before the point and 4 after.",
    ),
]
DeliverableStatusIn = Literal["planned", "in_progress", "delivered", "dropped"]
DirectionIn = Literal["higher", "lower"]


def _decimal(value: Decimal | None) -> str | None:
    return None if value is None else f"{value.normalize():f}"


def _absolute(context, path: str) -> str:
    return context["request"].build_absolute_uri(path)


def _require_edit(user, initiative: Initiative) -> None:
    """Checked before the input itself, so that someone who may not write learns that first."""
    if not permissions.can_edit_monitoring(user, initiative):
        raise PermissionDenied


class MonitoringInitiativeRef(Schema):
    slug: str
    title: str
    status: str


# Status --------------------------------------------------------------------------------------


class DeliverableCounts(Schema):
    total: int
    due: int = Field(description="Not dropped, and delivered or past their due date.")
    on_time: int = Field(description="Delivered on or before their due date.")
    late: int = Field(description="Not delivered and past their due date.")
    by_state: dict[str, int] = Field(description=f"By state: {', '.join(DeliverableState)}.")


class IndicatorCounts(Schema):
    total: int
    measured: int
    on_track: int = Field(description="On track or target reached.")
    by_state: dict[str, int] = Field(description=f"By state: {', '.join(IndicatorState)}.")


class ProgressReportCounts(Schema):
    total: int
    overdue: int
    oldest_overdue_days: int
    next_due: datetime.date | None = Field(
        description="Due date of the earliest report not submitted yet (it may be overdue)."
    )
    by_status: dict[str, int] = Field(description=f"By status: {', '.join(ReportStatus)}.")


class MonitoringPlanOut(Schema):
    report_every_months: int
    first_report_due: datetime.date


class MonitoringOut(Schema):
    initiative: MonitoringInitiativeRef
    light: Literal["green", "amber", "red"] = Field(
        description="green: on track; amber: needs attention; red: at risk."
    )
    light_label: str
    reasons: list[str] = Field(description="Every reason for the light, in the request language.")
    deliverables: DeliverableCounts
    indicators: IndicatorCounts
    reports: ProgressReportCounts
    plan: MonitoringPlanOut | None
    can_edit: bool = Field(description="The caller may record progress.")
    can_manage: bool = Field(description="The caller may set the schedule and acknowledge.")
    url: str


@router.get(
    "/initiatives/{slug}/monitoring",
    response=MonitoringOut,
    summary="Status of an initiative's monitoring",
    description="The traffic light (green, amber, red) with its reasons, and counts of "
    "deliverables, indicators and reports. For the team, the secretariat and partners; 404 for "
    "anybody else.",
)
def monitoring(request, slug: str):
    user = request.auth
    initiative = selectors.initiative_get(user=user, slug=slug)
    summary = selectors.initiative_summary(initiative)
    states = {state: 0 for state in DeliverableState.values}
    for deliverable in initiative.deliverables.all():
        states[deliverable.state()] += 1
    indicators = {state: summary.indicators.get(state, 0) for state in IndicatorState.values}
    reports = {status: 0 for status in ReportStatus.values}
    next_due = None
    for status, due_date in initiative.progress_reports.values_list("status", "due_date"):
        reports[status] += 1
        if status == ReportStatus.DRAFT and (next_due is None or due_date < next_due):
            next_due = due_date
    plan = MonitoringPlan.objects.filter(initiative=initiative).first()
    return {
        "initiative": initiative,
        "light": summary.light,
        "light_label": str(Light(summary.light).label),
        "reasons": [str(reason) for reason in summary.reasons],
        "deliverables": {
            "total": sum(states.values()),
            "due": summary.deliverables_due,
            "on_time": summary.deliverables_on_time,
            "late": summary.deliverables_late,
            "by_state": states,
        },
        "indicators": {
            "total": sum(indicators.values()),
            "measured": summary.indicators_measured,
            "on_track": summary.indicators_on_track,
            "by_state": indicators,
        },
        "reports": {
            "total": sum(reports.values()),
            "overdue": summary.reports_overdue,
            "oldest_overdue_days": summary.oldest_overdue_days,
            "next_due": next_due,
            "by_status": reports,
        },
        "plan": plan,
        "can_edit": permissions.can_edit_monitoring(user, initiative),
        "can_manage": permissions.can_manage_monitoring(user),
        "url": request.build_absolute_uri(reverse("monitoring:initiative", args=[slug])),
    }


# Deliverables --------------------------------------------------------------------------------


class MonitoringDeliverableOut(Schema):
    id: int
    initiative: str = Field(description="The initiative's slug.")
    title: str
    description: str
    due_date: datetime.date
    status: str = Field(description=f"As recorded: {', '.join(DeliverableStatus)}.")
    state: str = Field(
        description="As shown, derived from the status and the dates: "
        f"{', '.join(DeliverableState)}. Late is never recorded, it follows from the due date."
    )
    state_label: str
    delivered_on: datetime.date | None
    success_criteria: str
    agreed_with: str
    evidence_url: str
    evidence_file: str | None = Field(
        description="Download address of the evidence file, for a signed-in browser session."
    )
    created_at: datetime.datetime
    updated_at: datetime.datetime
    url: str

    @staticmethod
    def resolve_initiative(obj) -> str:
        return obj.initiative.slug

    @staticmethod
    def resolve_state(obj) -> str:
        return obj.state()

    @staticmethod
    def resolve_state_label(obj) -> str:
        return str(DeliverableState(obj.state()).label)

    @staticmethod
    def resolve_evidence_file(obj, context) -> str | None:
        if not obj.evidence_file:
            return None
        return _absolute(context, reverse("monitoring:evidence", args=[obj.pk]))

    @staticmethod
    def resolve_url(obj, context) -> str:
        return _absolute(context, reverse("monitoring:deliverable_edit", args=[obj.pk]))


class DeliverableIn(Schema):
    title: str
    description: str = ""
    due_date: datetime.date
    status: DeliverableStatusIn = "planned"
    delivered_on: datetime.date | None = Field(
        None, description="When status is delivered; today when not given. Not in the future."
    )
    success_criteria: str = ""
    agreed_with: str = Field("", description="The stakeholders who agreed the success criteria.")
    evidence_url: str = ""


class DeliverablePatch(Schema):
    """Only the fields sent change. Evidence files are uploaded on the web page."""

    title: str | None = None
    description: str | None = None
    due_date: datetime.date | None = None
    status: DeliverableStatusIn | None = None
    delivered_on: datetime.date | None = None
    success_criteria: str | None = None
    agreed_with: str | None = None
    evidence_url: str | None = None


NOT_NULL_DELIVERABLE = ("title", "due_date", "status")
TEXT_DELIVERABLE = ("description", "success_criteria", "agreed_with", "evidence_url")


@router.get(
    "/initiatives/{slug}/deliverables",
    response=list[MonitoringDeliverableOut],
    summary="Deliverables of an initiative",
    description="By due date, each with its state derived from the dates.",
)
def deliverables(request, slug: str):
    initiative = selectors.initiative_get(user=request.auth, slug=slug)
    return list(initiative.deliverables.all())


@router.post(
    "/initiatives/{slug}/deliverables",
    response={201: MonitoringDeliverableOut, 400: Problem, 403: Problem},
    summary="Add a deliverable",
    description="Editors and admins of the lead organization, while the initiative is followed.",
)
def deliverable_create(request, slug: str, payload: DeliverableIn):
    initiative = selectors.initiative_get(user=request.auth, slug=slug)
    _require_edit(request.auth, initiative)
    deliverable = services.deliverable_save(
        actor=request.auth, initiative=initiative, data=payload.dict()
    )
    return Status(201, deliverable)


@router.get("/deliverables/{id}", response=MonitoringDeliverableOut, summary="One deliverable")
def deliverable(request, id: int):
    return selectors.deliverable_get(user=request.auth, pk=id)


@router.patch(
    "/deliverables/{id}",
    response={200: MonitoringDeliverableOut, 400: Problem, 403: Problem},
    summary="Change a deliverable",
    description="Only the fields sent change. Setting the status to delivered records today "
    "unless `delivered_on` is sent; any other status clears `delivered_on`.",
)
def deliverable_update(request, id: int, payload: DeliverablePatch):
    deliverable = selectors.deliverable_get(user=request.auth, pk=id)
    _require_edit(request.auth, deliverable.initiative)
    data = payload.dict(exclude_unset=True)
    refused = [name for name in NOT_NULL_DELIVERABLE if name in data and data[name] is None]
    if refused:
        raise ValidationError({name: _("This field cannot be empty.") for name in refused})
    data.update({name: "" for name in TEXT_DELIVERABLE if name in data and data[name] is None})
    return services.deliverable_save(
        actor=request.auth,
        initiative=deliverable.initiative,
        deliverable=deliverable,
        data=data,
    )


# Indicators ----------------------------------------------------------------------------------


class MonitoringIndicatorOut(Schema):
    id: int
    initiative: str = Field(description="The initiative's slug.")
    name: str
    unit: str
    direction: str = Field(description=f"{', '.join(Direction)}.")
    baseline_value: str = Field(description=DECIMAL_OUT)
    baseline_date: datetime.date
    target_value: str = Field(description=DECIMAL_OUT)
    target_date: datetime.date
    sdg_indicator: str | None = Field(description="Code of the official SDG indicator.")
    disaggregation_keys: list[str] = Field(description="The breakdowns a measurement may have.")
    latest_value: str | None = Field(description=f"Latest total (no breakdown). {DECIMAL_OUT}")
    latest_date: datetime.date | None
    progress: str | None = Field(
        description="Share of the way from baseline to target of the latest value (1 = "
        f"reached), rounded to 4 places. {DECIMAL_OUT}"
    )
    state: str = Field(description=f"{', '.join(IndicatorState)}.")
    state_label: str
    url: str

    @staticmethod
    def resolve_initiative(obj) -> str:
        return obj.initiative.slug

    @staticmethod
    def resolve_baseline_value(obj) -> str:
        return _decimal(obj.baseline_value)

    @staticmethod
    def resolve_target_value(obj) -> str:
        return _decimal(obj.target_value)

    @staticmethod
    def resolve_latest_value(obj) -> str | None:
        return _decimal(obj.latest_value)

    @staticmethod
    def resolve_sdg_indicator(obj) -> str | None:
        return obj.sdg_indicator.code if obj.sdg_indicator_id else None

    @staticmethod
    def resolve_progress(obj) -> str | None:
        if obj.latest_value is None:
            return None
        share = indicator_progress(
            baseline=obj.baseline_value, target=obj.target_value, value=obj.latest_value
        )
        return _decimal(share.quantize(Decimal("0.0001")))

    @staticmethod
    def resolve_state(obj) -> str:
        return selectors.indicator_state_of(obj)

    @staticmethod
    def resolve_state_label(obj) -> str:
        return str(IndicatorState(selectors.indicator_state_of(obj)).label)

    @staticmethod
    def resolve_url(obj, context) -> str:
        return _absolute(context, reverse("monitoring:measurement_add", args=[obj.pk]))


class IndicatorIn(Schema):
    name: str
    unit: str = Field(description="For example %, people, tonnes.")
    direction: DirectionIn = "higher"
    baseline_value: DecimalIn
    baseline_date: datetime.date
    target_value: DecimalIn = Field(description="Beyond the baseline, in the direction.")
    target_date: datetime.date = Field(description="After the baseline date.")
    sdg_indicator: str | None = Field(None, description="Official SDG indicator code: 11.2.1.")
    disaggregation_keys: list[str] = Field(
        default_factory=list, description="Optional breakdowns: sex, age group, district."
    )


class IndicatorPatch(Schema):
    """Only the fields sent change; `sdg_indicator: null` removes the link."""

    name: str | None = None
    unit: str | None = None
    direction: DirectionIn | None = None
    baseline_value: DecimalIn | None = None
    baseline_date: datetime.date | None = None
    target_value: DecimalIn | None = None
    target_date: datetime.date | None = None
    sdg_indicator: str | None = None
    disaggregation_keys: list[str] | None = None


NOT_NULL_INDICATOR = (
    "name",
    "unit",
    "direction",
    "baseline_value",
    "baseline_date",
    "target_value",
    "target_date",
    "disaggregation_keys",
)


def _indicator_data(data: dict) -> dict:
    """The payload in the service's terms: the SDG code becomes the official indicator."""
    refused = [name for name in NOT_NULL_INDICATOR if name in data and data[name] is None]
    if refused:
        raise ValidationError({name: _("This field cannot be empty.") for name in refused})
    if "sdg_indicator" in data:
        try:
            data["sdg_indicator"] = selectors.sdg_indicator_for(data["sdg_indicator"])
        except ValidationError as error:
            raise ValidationError({"sdg_indicator": error.messages}) from error
    return data


def _indicators(initiative: Initiative):
    return initiative.indicators.select_related("sdg_indicator")


@router.get(
    "/initiatives/{slug}/indicators",
    response=list[MonitoringIndicatorOut],
    summary="Indicators of an initiative",
    description="Each with its latest value and its state (on track, off track, reached, no "
    "data), judged against the straight path from baseline to target.",
)
def indicators(request, slug: str):
    initiative = selectors.initiative_get(user=request.auth, slug=slug)
    return list(_indicators(initiative))


@router.post(
    "/initiatives/{slug}/indicators",
    response={201: MonitoringIndicatorOut, 400: Problem, 403: Problem},
    summary="Add an indicator",
    description="The target must differ from the baseline in the indicator's direction, and "
    "come after the baseline date. Editors and admins of the lead organization.",
)
def indicator_create(request, slug: str, payload: IndicatorIn):
    initiative = selectors.initiative_get(user=request.auth, slug=slug)
    _require_edit(request.auth, initiative)
    indicator = services.indicator_save(
        actor=request.auth, initiative=initiative, data=_indicator_data(payload.dict())
    )
    return Status(201, _indicators(initiative).get(pk=indicator.pk))


@router.get("/indicators/{id}", response=MonitoringIndicatorOut, summary="One indicator")
def indicator(request, id: int):
    indicator = selectors.indicator_get(user=request.auth, pk=id)
    return _indicators(indicator.initiative).get(pk=indicator.pk)


@router.patch(
    "/indicators/{id}",
    response={200: MonitoringIndicatorOut, 400: Problem, 403: Problem},
    summary="Change an indicator",
    description="Only the fields sent change. The baseline date cannot move after a "
    "measurement already recorded.",
)
def indicator_update(request, id: int, payload: IndicatorPatch):
    indicator = selectors.indicator_get(user=request.auth, pk=id)
    _require_edit(request.auth, indicator.initiative)
    services.indicator_save(
        actor=request.auth,
        initiative=indicator.initiative,
        indicator=indicator,
        data=_indicator_data(payload.dict(exclude_unset=True)),
    )
    return _indicators(indicator.initiative).get(pk=indicator.pk)


# Measurements --------------------------------------------------------------------------------


class MeasurementOut(Schema):
    id: int
    date: datetime.date
    value: str = Field(description=DECIMAL_OUT)
    source: str
    note: str
    disaggregation: dict[str, str] = Field(
        description='Empty for the total; {"sex": "female"} for a breakdown.'
    )
    created_at: datetime.datetime

    @staticmethod
    def resolve_value(obj) -> str:
        return _decimal(obj.value)


class MeasurementFilters(Schema):
    since: datetime.date | None = Field(None, description="Only measurements on or after it.")
    page: int = Field(1, ge=1)


class MeasurementPage(Schema):
    count: int
    page: int
    pages: int
    results: list[MeasurementOut]


class MeasurementIn(Schema):
    date: datetime.date = Field(description="On or after the baseline date, not in the future.")
    value: DecimalIn
    source: str = Field("", max_length=200)
    note: str = ""
    disaggregation: dict[str, str] = Field(
        default_factory=dict,
        description="Along the indicator's breakdowns; empty (the default) for the total.",
    )


MeasurementsIn = Annotated[
    Annotated[MeasurementIn, Tag("one")]
    | Annotated[list[MeasurementIn], Tag("many"), Field(min_length=1, max_length=MAX_ROWS)],
    Discriminator(lambda value: "many" if isinstance(value, list) else "one"),
]


class MeasurementBatchOut(Schema):
    created: int
    indicator: MonitoringIndicatorOut = Field(
        description="The indicator, with its new latest value."
    )


@router.get(
    "/indicators/{id}/measurements",
    response=MeasurementPage,
    summary="Measurements of an indicator",
    description=f"Newest first, totals and breakdowns, {MEASUREMENTS_PER_PAGE} per page. "
    "`since` keeps those on or after a date (YYYY-MM-DD).",
)
def measurements(request, id: int, filters: Query[MeasurementFilters]):
    indicator = selectors.indicator_get(user=request.auth, pk=id)
    queryset = Measurement.objects.filter(indicator=indicator).order_by("-date", "-id")
    if filters.since:
        queryset = queryset.filter(date__gte=filters.since)
    paginator = Paginator(queryset, MEASUREMENTS_PER_PAGE)
    page = paginator.get_page(filters.page)
    return {
        "count": paginator.count,
        "page": page.number,
        "pages": paginator.num_pages,
        "results": list(page.object_list),
    }


def _disaggregation(values: dict[str, str]) -> dict[str, str]:
    # As the services store it: empty values mean "not broken down along this key".
    return {str(k): str(v) for k, v in values.items() if v != ""}


def _check_rows(indicator: Indicator, rows: list[MeasurementIn]) -> None:
    """Every problem of every row at once, numbered from 1, before anything is saved."""
    errors: dict[str, list[str]] = {}
    seen: dict[tuple, int] = {}
    for number, row in enumerate(rows, start=1):
        breakdown = _disaggregation(row.disaggregation)
        problems = services.measurement_problems(
            indicator, date=row.date, value=row.value, disaggregation=breakdown
        )
        key = (row.date, tuple(sorted(breakdown.items())))
        if key in seen:
            problems.append(_("Same date and breakdown as row %(row)s.") % {"row": seen[key]})
        seen.setdefault(key, number)
        if problems:
            errors[str(number)] = [
                _("Row %(row)s: %(problem)s") % {"row": number, "problem": problem}
                for problem in problems
            ]
    if errors:
        raise ValidationError(errors)


@router.post(
    "/indicators/{id}/measurements",
    response={201: MeasurementOut | MeasurementBatchOut, 400: Problem, 403: Problem},
    summary="Record one measurement, or many at once",
    description="Send one measurement (an object) to get it back, or a list of up to "
    f"{MAX_ROWS} to save them all or none: a list answers with the number saved and the "
    "indicator's new latest value. Problems in a list are reported for every row, numbered "
    "from 1 (`fields` is keyed by row number). A date already recorded (with the same "
    "breakdown) is refused.",
)
def measurement_create(request, id: int, payload: Annotated[MeasurementsIn, Body()]):
    indicator = selectors.indicator_get(user=request.auth, pk=id)
    _require_edit(request.auth, indicator.initiative)
    if not isinstance(payload, list):
        measurement = services.measurement_add(
            actor=request.auth,
            indicator=indicator,
            date=payload.date,
            value=payload.value,
            source=payload.source,
            note=payload.note,
            disaggregation=payload.disaggregation,
        )
        return Status(201, measurement)
    _check_rows(indicator, payload)
    created = services.measurements_import(
        actor=request.auth,
        indicator=indicator,
        rows=[
            {**row.dict(), "disaggregation": _disaggregation(row.disaggregation)} for row in payload
        ],
    )
    return Status(
        201,
        {"created": created, "indicator": _indicators(indicator.initiative).get(pk=indicator.pk)},
    )


# Progress reports ----------------------------------------------------------------------------


class ProgressReportOut(Schema):
    id: int
    initiative: str = Field(description="The initiative's slug.")
    period_start: datetime.date
    period_end: datetime.date
    due_date: datetime.date
    status: str = Field(description=f"{', '.join(ReportStatus)}.")
    status_label: str
    overdue: bool = Field(description="Still a draft after its due date.")
    version: int = Field(description="Send it back when you change the draft.")
    submitted_at: datetime.datetime | None
    submitted_by: str | None = Field(description="Name of who submitted it.")
    acknowledged_at: datetime.datetime | None
    feedback: str = Field(description="From the secretariat, when it acknowledged the report.")
    url: str

    @staticmethod
    def resolve_initiative(obj) -> str:
        return obj.initiative.slug

    @staticmethod
    def resolve_status_label(obj) -> str:
        return str(ReportStatus(obj.status).label)

    @staticmethod
    def resolve_overdue(obj) -> bool:
        return obj.is_overdue()

    @staticmethod
    def resolve_submitted_by(obj) -> str | None:
        return obj.submitted_by.name if obj.submitted_by_id else None

    @staticmethod
    def resolve_url(obj, context) -> str:
        return _absolute(context, obj.get_absolute_url())


class ProgressReportDetailOut(ProgressReportOut):
    narrative: str = Field(description="Summary of the period.")
    achievements: str
    challenges: str
    next_steps: str
    acceleration: str = Field(description="What moved faster thanks to the HUB.")
    synchronization: str = Field(
        description="Which other initiatives, councils or partners it built on or helped."
    )
    acknowledged_by: str | None

    @staticmethod
    def resolve_acknowledged_by(obj) -> str | None:
        return obj.acknowledged_by.name if obj.acknowledged_by_id else None


class ProgressReportPatch(Schema):
    """Only the fields sent change."""

    version: int = Field(
        description="The version you read: if someone saved the report since, nothing changes "
        "and the answer is 400."
    )
    narrative: str | None = None
    achievements: str | None = None
    challenges: str | None = None
    next_steps: str | None = None
    acceleration: str | None = None
    synchronization: str | None = None


class AcknowledgeIn(Schema):
    feedback: str = Field("", description="For the team.")


def _report(user, pk: int) -> ProgressReport:
    return selectors.report_get(user=user, pk=pk)


@router.get(
    "/initiatives/{slug}/reports",
    response=list[ProgressReportOut],
    summary="Progress reports of an initiative",
    description="By due date: drafts due, submitted and acknowledged reports.",
)
def reports(request, slug: str):
    initiative = selectors.initiative_get(user=request.auth, slug=slug)
    return list(initiative.progress_reports.select_related("submitted_by"))


@router.get("/reports/{id}", response=ProgressReportDetailOut, summary="One progress report")
def report(request, id: int):
    return _report(request.auth, id)


@router.patch(
    "/reports/{id}",
    response={200: ProgressReportDetailOut, 400: Problem, 403: Problem},
    summary="Write a draft report",
    description="Only drafts change; each save increases `version`. Editors and admins of the "
    "lead organization.",
)
def report_update(request, id: int, payload: ProgressReportPatch):
    report = _report(request.auth, id)
    _require_edit(request.auth, report.initiative)
    services.report_save(
        actor=request.auth,
        report=report,
        data=payload.dict(exclude_unset=True, exclude={"version"}),
        version=payload.version,
    )
    return _report(request.auth, id)


@router.post(
    "/reports/{id}/submit",
    response={200: ProgressReportDetailOut, 400: Problem, 403: Problem},
    summary="Submit a report",
    description="Once, with the summary of the period, acceleration and synchronization filled "
    "in; the secretariat is told.",
)
def report_submit(request, id: int):
    report = _report(request.auth, id)
    _require_edit(request.auth, report.initiative)
    services.report_submit(actor=request.auth, report=report)
    return _report(request.auth, id)


@router.post(
    "/reports/{id}/acknowledge",
    response={200: ProgressReportDetailOut, 400: Problem, 403: Problem},
    summary="Acknowledge a submitted report",
    description="The secretariat only, with optional feedback; the team is told.",
)
def report_acknowledge(request, id: int, payload: AcknowledgeIn | None = None):
    report = _report(request.auth, id)
    services.report_acknowledge(
        actor=request.auth, report=report, feedback=payload.feedback if payload else ""
    )
    return _report(request.auth, id)
