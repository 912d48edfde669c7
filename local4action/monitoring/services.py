"""Every write on deliverables, indicators, measurements and progress reports."""

import datetime
import logging
from decimal import Decimal
from typing import Any

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from local4action.accounts.choices import MembershipRole, MembershipStatus, PlatformRole
from local4action.accounts.models import User
from local4action.core.oncommit import once_on_commit
from local4action.core.services import audit_record, notify
from local4action.core.uploads import check_upload

from . import permissions, selectors
from .choices import DeliverableStatus, IndicatorState, ReportStatus
from .models import (
    Deliverable,
    Indicator,
    InitiativeStatus,
    Measurement,
    MonitoringPlan,
    ProgressReport,
    Reminder,
)

logger = logging.getLogger(__name__)

DELIVERABLE_FIELDS = (
    "title",
    "description",
    "due_date",
    "status",
    "delivered_on",
    "success_criteria",
    "agreed_with",
    "evidence_url",
    "evidence_file",
)
INDICATOR_FIELDS = (
    "name",
    "unit",
    "direction",
    "baseline_value",
    "baseline_date",
    "target_value",
    "target_date",
    "sdg_indicator",
    "disaggregation_keys",
)
REPORT_FIELDS = (
    "narrative",
    "achievements",
    "challenges",
    "next_steps",
    "acceleration",
    "synchronization",
)


def _require(condition: bool) -> None:
    if not condition:
        raise PermissionDenied


# Stored statuses -----------------------------------------------------------------------------

# Initiatives judged per round: their records are read into memory a chunk at a time, so that a
# refresh of the whole portfolio (100,000 initiatives) keeps a flat, small memory.
STATUS_CHUNK = 2000
STATUS_FIELDS = (*selectors.STATUS_COUNTS, "light", "judged_on")


def _status_row(initiative_id: int, summary, today: datetime.date) -> InitiativeStatus:
    return InitiativeStatus(
        initiative_id=initiative_id,
        deliverables_due=summary.deliverables_due,
        deliverables_on_time=summary.deliverables_on_time,
        deliverables_late=summary.deliverables_late,
        indicators_reached=summary.indicators.get(IndicatorState.REACHED, 0),
        indicators_on_track=summary.indicators.get(IndicatorState.ON_TRACK, 0),
        indicators_off_track=summary.indicators.get(IndicatorState.OFF_TRACK, 0),
        indicators_no_data=summary.indicators.get(IndicatorState.NO_DATA, 0),
        reports_overdue=summary.reports_overdue,
        oldest_overdue_days=summary.oldest_overdue_days,
        light=summary.light,
        judged_on=today,
    )


def statuses_refresh(
    *, initiative_ids: list[int] | None = None, today: datetime.date | None = None
) -> int:
    """Judge these initiatives (every followed one when None) as of today and store their
    status, 2,000 at a time. Only followed initiatives keep a status: the stored one of an
    initiative no longer followed is removed. Returns the statuses written."""
    today = today or timezone.localdate()
    followed = selectors.followed_initiatives()
    if initiative_ids is None:
        ids = list(followed.order_by("pk").values_list("pk", flat=True))
        InitiativeStatus.objects.exclude(initiative__status__in=permissions.FOLLOWED).delete()
    else:
        ids = sorted(set(initiative_ids))
    written = 0
    for start in range(0, len(ids), STATUS_CHUNK):
        chunk = ids[start : start + STATUS_CHUNK]
        summaries = selectors.summarize_many(followed.filter(pk__in=chunk), today)
        with transaction.atomic():
            if initiative_ids is not None and len(summaries) < len(chunk):
                InitiativeStatus.objects.filter(initiative__in=chunk).exclude(
                    initiative__in=list(summaries)
                ).delete()
            InitiativeStatus.objects.bulk_create(
                [_status_row(pk, summary, today) for pk, summary in summaries.items()],
                update_conflicts=True,
                unique_fields=["initiative"],
                update_fields=STATUS_FIELDS,
            )
        written += len(summaries)
    selectors.STATUS_VERSION.changed()
    return written


def _refresh_after_commit(initiative_ids: list[int]) -> None:
    try:
        statuses_refresh(initiative_ids=initiative_ids)
    except Exception:
        # The user's change is committed and stands; the status stays stale until the
        # dashboard's daily refresh or `manage.py refresh_monitoring_status`.
        logger.exception("Monitoring status of %s could not be refreshed", initiative_ids)


def status_schedule(initiative_id: int) -> None:
    """Refresh the initiative's stored status after the current transaction commits (at once
    outside a transaction); several changes in one transaction make one refresh."""
    once_on_commit(_refresh_after_commit, initiative_id)


def statuses_refresh_stale(*, today: datetime.date | None = None) -> int:
    """Refresh the statuses judged before today, and the missing ones of initiatives with
    records: a light depends on the day (late deliverables, overdue reports)."""
    today = today or timezone.localdate()
    ids = list(selectors.stale_statuses(today).values_list("pk", flat=True))
    return statuses_refresh(initiative_ids=ids, today=today) if ids else 0


STALE_CHECK_SECONDS = 5 * 60


def _stale_key(today: datetime.date) -> str:
    return f"monitoring:statuses-refresh:{today.isoformat()}"


def statuses_refresh_enqueue(*, today: datetime.date | None = None) -> bool:
    """When the portfolio is shown with statuses older than today (or missing), refresh them in
    the background; at most once a day, whoever looks. Returns whether it was enqueued."""
    from .tasks import statuses_refresh_stale as refresh_task  # tasks.py calls this module

    today = today or timezone.localdate()
    key = _stale_key(today)
    checked = f"{key}:checked"
    if any(cache.get_many([key, checked]).values()):
        return False
    if not selectors.stale_statuses(today).exists():
        # The check scans the portfolio: once fresh, looked at again in five minutes (a
        # status missing after a failed refresh, or a newly followed initiative, waits that
        # long at most).
        cache.set(checked, True, timeout=STALE_CHECK_SECONDS)
        return False
    if not cache.add(key, True, timeout=60 * 60 * 24):
        return False  # someone else enqueued it meanwhile
    try:
        refresh_task.enqueue()
    except Exception:
        logger.exception("The refresh of stale monitoring statuses could not be enqueued")
        cache.delete(key)
        return False
    return True


def _team(initiative):
    return User.objects.filter(
        is_active=True,
        memberships__organization=initiative.lead_organization,
        memberships__status=MembershipStatus.ACTIVE,
        memberships__role__in=[MembershipRole.EDITOR, MembershipRole.ADMIN],
    ).distinct()


def _staff():
    return User.objects.filter(is_active=True, groups__name=PlatformRole.SECRETARIAT).distinct()


# Deliverables --------------------------------------------------------------------------------


@transaction.atomic
def deliverable_save(
    *, actor, initiative, data: dict[str, Any], deliverable: Deliverable | None = None
) -> Deliverable:
    """The team adds or updates a deliverable. Marking it delivered records the day (today
    unless given); "late" is never stored, it follows from the due date."""
    _require(permissions.can_edit_monitoring(actor, initiative))
    if deliverable is not None and deliverable.initiative_id != initiative.pk:
        raise PermissionDenied
    current = deliverable or Deliverable(initiative=initiative)
    before = {f: str(getattr(current, f)) for f in DELIVERABLE_FIELDS} if deliverable else {}
    if isinstance(data.get("evidence_file"), UploadedFile):
        # Checked by content and size as every other document: a program renamed .pdf is
        # refused before anything is saved.
        try:
            check_upload(data["evidence_file"], max_bytes=settings.ATTACHMENT_MAX_BYTES)
        except ValidationError as error:
            raise ValidationError({"evidence_file": error.messages}) from error
    for field in DELIVERABLE_FIELDS:
        if field in data:
            setattr(current, field, data[field])
    if current.status == DeliverableStatus.DELIVERED and not current.delivered_on:
        current.delivered_on = timezone.localdate()
    if current.status != DeliverableStatus.DELIVERED:
        current.delivered_on = None
    if current.delivered_on and current.delivered_on > timezone.localdate():
        raise ValidationError({"delivered_on": _("The delivery date cannot be in the future.")})
    current.full_clean()
    current.save()
    changes = {
        f: [before.get(f, ""), str(getattr(current, f))]
        for f in DELIVERABLE_FIELDS
        if before.get(f) != str(getattr(current, f))
    }
    audit_record(actor=actor, action="deliverable.save", target=current, changes=changes)
    status_schedule(initiative.pk)
    return current


# Indicators and measurements -----------------------------------------------------------------


def _clean_keys(keys) -> list[str]:
    cleaned = []
    for key in keys or []:
        key = str(key).strip().lower()
        if key and key not in cleaned:
            cleaned.append(key)
    return cleaned


@transaction.atomic
def indicator_save(
    *, actor, initiative, data: dict[str, Any], indicator: Indicator | None = None
) -> Indicator:
    """An indicator runs from a baseline to a different target, later, in the stated
    direction."""
    _require(permissions.can_edit_monitoring(actor, initiative))
    if indicator is not None and indicator.initiative_id != initiative.pk:
        raise PermissionDenied
    current = indicator or Indicator(initiative=initiative)
    for field in INDICATOR_FIELDS:
        if field in data:
            setattr(current, field, data[field])
    current.disaggregation_keys = _clean_keys(current.disaggregation_keys)
    errors = {}
    if current.target_value is not None and current.target_value == current.baseline_value:
        errors["target_value"] = _("The target must differ from the baseline.")
    elif current.target_value is not None and current.baseline_value is not None:
        if current.direction == "higher" and current.target_value < current.baseline_value:
            errors["target_value"] = _("Higher is better: the target must be above the baseline.")
        if current.direction == "lower" and current.target_value > current.baseline_value:
            errors["target_value"] = _("Lower is better: the target must be below the baseline.")
    if (
        current.target_date
        and current.baseline_date
        and (current.target_date <= current.baseline_date)
    ):
        errors["target_date"] = _("The target date must come after the baseline date.")
    if errors:
        raise ValidationError(errors)
    if (
        indicator is not None
        and current.measurements.filter(date__lt=current.baseline_date).exists()
    ):
        raise ValidationError(
            {"baseline_date": _("Some measurements are dated before this baseline date.")}
        )
    current.full_clean(exclude=["latest_value", "latest_date"])
    current.save()
    audit_record(actor=actor, action="indicator.save", target=current)
    status_schedule(initiative.pk)
    return current


def refresh_latest(indicator: Indicator) -> None:
    """Keep the indicator's latest total (no breakdown) in step with its measurements."""
    latest = (
        Measurement.objects.filter(indicator=indicator, disaggregation={})
        .order_by("-date", "-id")
        .values_list("value", "date")
        .first()
    )
    indicator.latest_value, indicator.latest_date = latest if latest else (None, None)
    Indicator.objects.filter(pk=indicator.pk).update(
        latest_value=indicator.latest_value, latest_date=indicator.latest_date
    )


def measurement_problems(indicator: Indicator, *, date, value, disaggregation) -> list[str]:
    """What is wrong with one measurement, in words a team understands."""
    problems = []
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        problems.append(_("The value must be a number."))
    if not isinstance(date, datetime.date):
        problems.append(_("The date is missing or not a date."))
    elif date < indicator.baseline_date:
        problems.append(
            _("The date is before the baseline date (%(date)s).")
            % {"date": indicator.baseline_date.isoformat()}
        )
    elif date > timezone.localdate():
        problems.append(_("The date is in the future."))
    unknown = set(disaggregation) - set(indicator.disaggregation_keys)
    if unknown:
        problems.append(_("Unknown breakdown: %(keys)s.") % {"keys": ", ".join(sorted(unknown))})
    return problems


def _breakdown(disaggregation) -> dict[str, str]:
    """Empty parts dropped ({} is the total), keys sorted: SQLite compares JSON as text, so
    {"sex": …, "age": …} and {"age": …, "sex": …} would otherwise escape the unique constraint."""
    return {str(k): str(v) for k, v in sorted((disaggregation or {}).items()) if v != ""}


def _require_measure(actor, indicator):
    _require(permissions.can_edit_monitoring(actor, indicator.initiative))
    # Lock the indicator: two people adding values at once then update its latest value in
    # turn, and the newest always wins.
    Indicator.objects.select_for_update().filter(pk=indicator.pk).first()


@transaction.atomic
def measurement_add(
    *,
    actor,
    indicator: Indicator,
    date,
    value,
    source: str = "",
    note: str = "",
    disaggregation: dict | None = None,
) -> Measurement:
    """Record one value of an indicator, on or after its baseline date, once per date and
    breakdown."""
    _require_measure(actor, indicator)
    disaggregation = _breakdown(disaggregation)
    problems = measurement_problems(
        indicator, date=date, value=value, disaggregation=disaggregation
    )
    if problems:
        raise ValidationError(problems)
    measurement = Measurement(
        indicator=indicator,
        date=date,
        value=value,
        source=source,
        note=note,
        disaggregation=disaggregation,
        created_by=actor,
    )
    measurement.full_clean(
        exclude=["indicator", "created_by"], validate_unique=False, validate_constraints=False
    )
    try:
        with transaction.atomic():
            measurement.save()
    except IntegrityError as error:
        raise ValidationError(_("There is already a value for this date and breakdown.")) from error
    refresh_latest(indicator)
    status_schedule(indicator.initiative_id)
    return measurement


@transaction.atomic
def measurements_import(*, actor, indicator: Indicator, rows: list[dict]) -> int:
    """Save already-checked rows in one transaction: all of them or none."""
    _require_measure(actor, indicator)
    objects = []
    for row in rows:
        disaggregation = _breakdown(row.get("disaggregation"))
        problems = measurement_problems(
            indicator, date=row.get("date"), value=row.get("value"), disaggregation=disaggregation
        )
        if problems:
            raise ValidationError(problems)
        measurement = Measurement(
            indicator=indicator,
            date=row["date"],
            value=row["value"],
            source=row.get("source", ""),
            note=row.get("note", ""),
            disaggregation=disaggregation,
            created_by=actor,
        )
        # Field limits (digits, lengths) too, so nothing reaches the database malformed.
        measurement.full_clean(
            exclude=["indicator", "created_by"], validate_unique=False, validate_constraints=False
        )
        objects.append(measurement)
    try:
        with transaction.atomic():
            Measurement.objects.bulk_create(objects)
    except IntegrityError as error:
        raise ValidationError(
            _("Some rows repeat a date that already has a value; nothing was saved.")
        ) from error
    refresh_latest(indicator)
    audit_record(
        actor=actor, action="measurement.import", target=indicator, changes={"rows": len(objects)}
    )
    status_schedule(indicator.initiative_id)
    return len(objects)


@transaction.atomic
def measurement_delete(*, actor, measurement: Measurement) -> None:
    indicator = measurement.indicator
    _require_measure(actor, indicator)
    audit_record(
        actor=actor,
        action="measurement.delete",
        target=indicator,
        changes={"date": measurement.date.isoformat(), "value": str(measurement.value)},
    )
    measurement.delete()
    refresh_latest(indicator)
    status_schedule(indicator.initiative_id)


# Progress reports ----------------------------------------------------------------------------


@transaction.atomic
def plan_set(
    *, actor, initiative, report_every_months: int, first_report_due: datetime.date
) -> MonitoringPlan:
    """The secretariat sets how often an initiative reports; the due reports are created up
    to the end of its timeline (or two years ahead when it has none). Reports already
    submitted are kept."""
    _require(permissions.can_manage_monitoring(actor))
    if initiative.status not in permissions.FOLLOWED:
        raise ValidationError(_("Only HUBs and accompanied initiatives report on their progress."))
    plan = MonitoringPlan.objects.filter(initiative=initiative).first() or MonitoringPlan(
        initiative=initiative
    )
    plan.report_every_months = report_every_months
    plan.first_report_due = first_report_due
    # Before saving: an out-of-range rhythm is a ValidationError, not an IntegrityError.
    plan.full_clean()
    plan.save()
    end = initiative.end_date or (first_report_due + relativedelta(years=2))
    # Only drafts nobody has written in are replaced: any text the team typed is kept.
    ProgressReport.objects.filter(
        initiative=initiative, status=ReportStatus.DRAFT, **{field: "" for field in REPORT_FIELDS}
    ).delete()
    taken = set(
        ProgressReport.objects.filter(initiative=initiative).values_list("due_date", flat=True)
    )
    start = initiative.start_date or first_report_due - relativedelta(months=report_every_months)
    due, n = first_report_due, 0
    while due <= end + relativedelta(months=report_every_months) and n < 60:
        period_end = min(due, end)
        if due not in taken:
            ProgressReport.objects.create(
                initiative=initiative,
                due_date=due,
                period_start=min(start, period_end),
                period_end=period_end,
            )
        start = due + datetime.timedelta(days=1)
        n += 1
        if due >= end:
            break
        due = first_report_due + relativedelta(months=report_every_months * n)
    audit_record(
        actor=actor,
        action="monitoring.plan",
        target=initiative,
        changes={"every_months": report_every_months, "first_due": first_report_due.isoformat()},
    )
    status_schedule(initiative.pk)
    return plan


@transaction.atomic
def report_save(
    *, actor, report: ProgressReport, data: dict[str, Any], version: int | None = None
) -> ProgressReport:
    """The team writes its report as a draft; a submitted report is no longer edited."""
    current = (
        ProgressReport.objects.select_for_update()
        .select_related("initiative__lead_organization")
        .get(pk=report.pk)
    )
    _require(permissions.can_edit_monitoring(actor, current.initiative))
    if current.status != ReportStatus.DRAFT:
        raise ValidationError(_("This report has been submitted and can no longer be changed."))
    if version is not None and version != current.version:
        raise ValidationError(
            _(
                "Someone else saved this report after you opened it. Reload the page and add your "
                "changes again."
            )
        )
    for field in REPORT_FIELDS:
        if field in data:
            setattr(current, field, (data[field] or "").strip())
    current.version += 1
    current.save()
    return current


@transaction.atomic
def report_submit(*, actor, report: ProgressReport) -> ProgressReport:
    """Submit once, with the narrative and both impact sections filled in."""
    current = (
        ProgressReport.objects.select_for_update()
        .select_related("initiative__lead_organization")
        .get(pk=report.pk)
    )
    _require(permissions.can_edit_monitoring(actor, current.initiative))
    if current.status != ReportStatus.DRAFT:
        raise ValidationError(_("This report has already been submitted."))
    missing = [
        label
        for field, label in (
            ("narrative", _("summary of the period")),
            ("acceleration", _("acceleration")),
            ("synchronization", _("synchronization")),
        )
        if not getattr(current, field).strip()
    ]
    if missing:
        raise ValidationError(
            _("Fill in before submitting: %(fields)s.") % {"fields": ", ".join(missing)}
        )
    current.status = ReportStatus.SUBMITTED
    current.submitted_at = timezone.now()
    current.submitted_by = actor
    current.save()
    audit_record(actor=actor, action="report.submit", target=current)
    status_schedule(current.initiative_id)
    notify(
        recipients=_staff(),
        kind="report_submitted",
        context={"initiative": current.initiative.title, "due": current.due_date.isoformat()},
        url=current.get_absolute_url(),
    )
    return current


@transaction.atomic
def report_acknowledge(*, actor, report: ProgressReport, feedback: str = "") -> ProgressReport:
    """The secretariat acknowledges a submitted report, with feedback for the team."""
    _require(permissions.can_manage_monitoring(actor))
    current = (
        ProgressReport.objects.select_for_update().select_related("initiative").get(pk=report.pk)
    )
    if current.status != ReportStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be acknowledged."))
    current.status = ReportStatus.ACKNOWLEDGED
    current.acknowledged_at = timezone.now()
    current.acknowledged_by = actor
    current.feedback = feedback.strip()
    current.save()
    audit_record(actor=actor, action="report.acknowledge", target=current, reason=current.feedback)
    status_schedule(current.initiative_id)
    notify(
        recipients=_team(current.initiative),
        kind="report_acknowledged",
        context={"initiative": current.initiative.title, "feedback": current.feedback},
        url=current.get_absolute_url(),
    )
    return current


# Days relative to the due date at which the team is reminded, and the reminder's name.
REMINDERS = ((-7, "before"), (1, "after"), (14, "late"))


def reminders_send(*, today: datetime.date | None = None) -> int:
    """Remind teams of draft reports a week before they are due, the day after, and two
    weeks after. Each reminder goes once, whatever the number of runs."""
    today = today or timezone.localdate()
    sent = 0
    for offset, kind in REMINDERS:
        due = today - datetime.timedelta(days=offset)
        reports = (
            ProgressReport.objects.filter(
                status=ReportStatus.DRAFT,
                due_date=due,
                initiative__status__in=permissions.FOLLOWED,
            )
            .exclude(reminders__kind=kind)
            .select_related("initiative__lead_organization")
        )
        for report in reports:
            with transaction.atomic():
                try:
                    with transaction.atomic():
                        Reminder.objects.create(report=report, kind=kind)
                except IntegrityError:
                    continue
                notify(
                    recipients=_team(report.initiative),
                    kind=f"report_reminder_{kind}",
                    context={
                        "initiative": report.initiative.title,
                        "due": report.due_date.isoformat(),
                    },
                    url=report.get_absolute_url(),
                )
                sent += 1
    return sent
