from django.db import models
from django.utils.translation import gettext_lazy as _


class DeliverableStatus(models.TextChoices):
    """What the team records. "Late" is never typed: it is derived from the due date."""

    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DELIVERED = "delivered", _("Delivered")
    DROPPED = "dropped", _("Dropped")


class DeliverableState(models.TextChoices):
    """What the platform shows: the recorded status, or late when the due date has passed."""

    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DELIVERED = "delivered", _("Delivered")
    DELIVERED_LATE = "delivered_late", _("Delivered late")
    LATE = "late", _("Late")
    DROPPED = "dropped", _("Dropped")


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")


class IndicatorState(models.TextChoices):
    NO_DATA = "no_data", _("No measurement yet")
    ON_TRACK = "on_track", _("On track")
    OFF_TRACK = "off_track", _("Off track")
    REACHED = "reached", _("Target reached")


class Light(models.TextChoices):
    GREEN = "green", _("On track")
    AMBER = "amber", _("Needs attention")
    RED = "red", _("At risk")


class ExportFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    XLSX = "xlsx", _("Spreadsheet (XLSX)")


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Being built")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")
