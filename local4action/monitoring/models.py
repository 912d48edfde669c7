from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from local4action.calls.storage import private_storage
from local4action.core.models import TimeStampedModel

from .choices import (
    DeliverableState,
    DeliverableStatus,
    Direction,
    ExportFormat,
    ExportStatus,
    Light,
    ReportStatus,
)


class Deliverable(TimeStampedModel):
    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="deliverables"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=DeliverableStatus.choices,
        default=DeliverableStatus.PLANNED,
    )
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)
    success_criteria = models.TextField(_("success criteria"), blank=True)
    agreed_with = models.CharField(
        _("agreed with"),
        max_length=300,
        blank=True,
        help_text=_("The stakeholders who agreed the success criteria."),
    )
    evidence_url = models.URLField(_("evidence (link)"), blank=True)
    evidence_file = models.FileField(
        _("evidence (file)"), upload_to="evidence/%Y/", storage=private_storage, blank=True
    )

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("deliverable")
        verbose_name_plural = _("deliverables")
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="monitoring_deliverable_title"),
            models.CheckConstraint(
                condition=Q(status__in=DeliverableStatus.values),
                name="monitoring_deliverable_status_known",
            ),
            models.CheckConstraint(
                condition=~Q(status=DeliverableStatus.DELIVERED) | Q(delivered_on__isnull=False),
                name="monitoring_delivered_has_date",
            ),
        ]

    def __str__(self):
        return self.title

    def state(self, today=None) -> str:
        """The status shown: late is derived from the due date, never typed."""
        today = today or timezone.localdate()
        if self.status == DeliverableStatus.DROPPED:
            return DeliverableState.DROPPED
        if self.status == DeliverableStatus.DELIVERED:
            if self.delivered_on and self.delivered_on > self.due_date:
                return DeliverableState.DELIVERED_LATE
            return DeliverableState.DELIVERED
        if self.due_date < today:
            return DeliverableState.LATE
        return self.status

    def get_state_display(self) -> str:
        return DeliverableState(self.state()).label


class Indicator(TimeStampedModel):
    """What an initiative measures, from a baseline to a target."""

    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="indicators"
    )
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=50, help_text=_("For example %, people, tonnes."))
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, default=Direction.HIGHER
    )
    baseline_value = models.DecimalField(_("baseline"), max_digits=16, decimal_places=4)
    baseline_date = models.DateField(_("baseline date"))
    target_value = models.DecimalField(_("target"), max_digits=16, decimal_places=4)
    target_date = models.DateField(_("target date"))
    sdg_indicator = models.ForeignKey(
        "core.Indicator",
        verbose_name=_("official SDG indicator"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    disaggregation_keys = models.JSONField(
        _("disaggregation"),
        default=list,
        blank=True,
        help_text=_("Optional breakdowns, for example sex, age group, district."),
    )
    # Kept by the measurement services so that dashboards never scan the measurements.
    latest_value = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    latest_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="monitoring_indicator_name"),
            models.CheckConstraint(
                condition=Q(target_date__gt=F("baseline_date")),
                name="monitoring_indicator_target_after_baseline",
                violation_error_message=_("The target date must come after the baseline date."),
            ),
            models.CheckConstraint(
                condition=Q(direction=Direction.HIGHER, target_value__gt=F("baseline_value"))
                | Q(direction=Direction.LOWER, target_value__lt=F("baseline_value")),
                name="monitoring_indicator_target_beyond_baseline",
                violation_error_message=_(
                    "The target must differ from the baseline, above it when higher is "
                    "better and below it when lower is better."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.unit})"


class Measurement(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="measurements")
    date = models.DateField(_("date"))
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=4)
    source = models.CharField(_("source"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    # {} is the total; {"sex": "female"} a breakdown along the indicator's keys.
    disaggregation = models.JSONField(_("breakdown"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        indexes = [models.Index(fields=["indicator", "date"])]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "date", "disaggregation"],
                name="monitoring_measurement_unique",
            )
        ]

    def __str__(self):
        return f"{self.indicator_id} {self.date}: {self.value}"


class MonitoringPlan(models.Model):
    """How often an initiative reports on its progress."""

    initiative = models.OneToOneField(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="monitoring_plan"
    )
    report_every_months = models.PositiveSmallIntegerField(_("report every (months)"), default=6)
    first_report_due = models.DateField(_("first report due"))

    class Meta:
        verbose_name = _("monitoring plan")
        verbose_name_plural = _("monitoring plans")
        constraints = [
            models.CheckConstraint(
                condition=Q(report_every_months__gte=1, report_every_months__lte=24),
                name="monitoring_plan_every_1_24",
                violation_error_message=_("Reports are due every 1 to 24 months."),
            )
        ]

    def __str__(self):
        return f"{self.initiative}: every {self.report_every_months} months"


class ProgressReport(TimeStampedModel):
    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="progress_reports"
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    narrative = models.TextField(_("summary of the period"), blank=True)
    achievements = models.TextField(_("achievements"), blank=True)
    challenges = models.TextField(_("challenges"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    acceleration = models.TextField(
        _("acceleration"), blank=True, help_text=_("What moved faster thanks to the HUB?")
    )
    synchronization = models.TextField(
        _("synchronization"),
        blank=True,
        help_text=_("Which other initiatives, councils or partners did it build on or help?"),
    )
    version = models.PositiveIntegerField(default=1)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    feedback = models.TextField(_("feedback from the secretariat"), blank=True)

    class Meta:
        ordering = ["due_date"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        indexes = [models.Index(fields=["status", "due_date"])]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "due_date"], name="monitoring_report_unique_due"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="monitoring_report_period_ordered",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ReportStatus.values), name="monitoring_report_status_known"
            ),
            models.CheckConstraint(
                condition=Q(status=ReportStatus.DRAFT) | Q(submitted_at__isnull=False),
                name="monitoring_report_submitted_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.initiative} — {self.due_date}"

    def get_absolute_url(self):
        return reverse("monitoring:report", args=[self.pk])

    def is_overdue(self, today=None) -> bool:
        return self.status == ReportStatus.DRAFT and self.due_date < (today or timezone.localdate())


class Reminder(models.Model):
    """A reminder sent for a report, once per kind: retries never send it twice."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=20)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "kind"], name="monitoring_reminder_once")
        ]

    def __str__(self):
        return f"{self.report} ({self.kind})"


class ReportExport(models.Model):
    """A portfolio report built in the background as a file, with its progress, for the person
    who asked for it."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_exports"
    )
    # The report's filters as given: date_from, date_to, region, sdg, call; and the language.
    params = models.JSONField(_("parameters"), default=dict)
    format = models.CharField(_("format"), max_length=10, choices=ExportFormat.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    file = models.FileField(_("file"), upload_to="reports/%Y/", storage=private_storage, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("report export")
        verbose_name_plural = _("report exports")
        constraints = [
            models.CheckConstraint(
                condition=Q(format__in=ExportFormat.values), name="monitoring_export_format_known"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ExportStatus.values), name="monitoring_export_status_known"
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="monitoring_export_progress_0_100"
            ),
            models.CheckConstraint(
                condition=~Q(status=ExportStatus.DONE) | ~Q(file=""),
                name="monitoring_export_done_has_file",
            ),
        ]

    def __str__(self):
        return f"{self.get_format_display()} {self.created_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        return reverse("monitoring:report_export", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in (ExportStatus.DONE, ExportStatus.FAILED)


class InitiativeStatus(models.Model):
    """The judged status of one followed initiative, kept by `services.statuses_refresh` so
    that the portfolio dashboard filters, sorts and counts lights in SQL. Only the counts of
    `status.Summary` and the light are stored: the reasons are translated text, rebuilt in
    the reader's language from the counts (`selectors.stored_summary`)."""

    initiative = models.OneToOneField(
        "initiatives.Initiative",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="monitoring_status",
    )
    deliverables_due = models.PositiveIntegerField(default=0)
    deliverables_on_time = models.PositiveIntegerField(default=0)
    deliverables_late = models.PositiveIntegerField(default=0)
    indicators_reached = models.PositiveIntegerField(default=0)
    indicators_on_track = models.PositiveIntegerField(default=0)
    indicators_off_track = models.PositiveIntegerField(default=0)
    indicators_no_data = models.PositiveIntegerField(default=0)
    reports_overdue = models.PositiveIntegerField(default=0)
    oldest_overdue_days = models.PositiveIntegerField(default=0)
    light = models.CharField(
        _("status"), max_length=10, choices=Light.choices, default=Light.GREEN, db_index=True
    )
    # The day the light was judged for: late deliverables and overdue reports depend on it.
    judged_on = models.DateField(_("judged on"))

    class Meta:
        verbose_name = _("initiative status")
        verbose_name_plural = _("initiative statuses")
        constraints = [
            models.CheckConstraint(
                condition=Q(light__in=Light.values), name="monitoring_status_light_known"
            )
        ]

    def __str__(self):
        return f"{self.initiative_id}: {self.light} ({self.judged_on})"
