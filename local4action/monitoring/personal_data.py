"""What the monitoring app holds about a person."""

from typing import Any

from django.db.models import Q

from local4action.core.personal_data import records

from .models import Measurement, ProgressReport, ReportExport

MODELS = ("monitoring.Measurement", "monitoring.ProgressReport", "monitoring.ReportExport")


def export(user) -> dict[str, Any]:
    return {
        "measurements_entered": records(Measurement.objects.filter(created_by=user)),
        "progress_reports": [
            {"id": r.pk, "initiative": r.initiative_id, "status": r.status}
            for r in ProgressReport.objects.filter(
                Q(submitted_by=user) | Q(acknowledged_by=user)
            ).order_by("pk")
        ],
        "report_exports": records(ReportExport.objects.filter(requested_by=user)),
    }


def erase(user) -> None:
    """Measurements and progress reports are the initiatives' records: they stay, credited to
    the anonymized account. The person's own report files go."""
    for export_row in ReportExport.objects.filter(requested_by=user):
        if export_row.file:
            export_row.file.delete(save=False)
        export_row.delete()
