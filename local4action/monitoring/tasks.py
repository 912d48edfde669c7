"""Background work of monitoring: portfolio report files (PDF, XLSX) and the refresh of
stale statuses."""

import logging
import zoneinfo

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django_tasks import task

from .choices import ExportStatus
from .models import ReportExport

logger = logging.getLogger(__name__)


def _progress(export_id: int, percent: int) -> None:
    """Saved at once, outside any transaction, so the status page sees it while the task runs."""
    ReportExport.objects.filter(pk=export_id, status=ExportStatus.RUNNING).update(
        progress=max(0, min(100, percent))
    )


@task()
def report_export_build(export_id: int) -> str:
    """Build one portfolio report file and keep it in private storage. Running it again does
    nothing once the export is done or failed; a failure is recorded with its message rather
    than raised, so the person waiting sees what happened."""
    from .reports import report_file  # reports.py enqueues this task: import it when needed

    with transaction.atomic():
        export = ReportExport.objects.select_for_update().filter(pk=export_id).first()
        if export is None:
            return "missing"
        if export.is_finished:
            return export.status
        # Queued, or running when a worker died half-way: (re)start from the beginning.
        export.status = ExportStatus.RUNNING
        export.progress = 5
        export.error = ""
        export.save(update_fields=["status", "progress", "error"])
    try:
        language = export.params.get("language") or settings.LANGUAGE_CODE
        zone = zoneinfo.ZoneInfo(export.params.get("time_zone") or settings.TIME_ZONE)
        with translation.override(language), timezone.override(zone):
            name, content = report_file(
                params=export.params,
                format=export.format,
                progress=lambda percent: _progress(export.pk, percent),
            )
        export.file.save(name, ContentFile(content), save=False)
        export.status = ExportStatus.DONE
        export.progress = 100
        export.finished_at = timezone.now()
        export.save(update_fields=["file", "status", "progress", "finished_at"])
    except Exception as error:
        logger.exception("Report export %s failed", export.pk)
        if export.file:
            export.file.delete(save=False)
        message = str(error).strip() or error.__class__.__name__
        ReportExport.objects.filter(pk=export.pk).update(
            status=ExportStatus.FAILED,
            error=message[:2000],
            file="",
            finished_at=timezone.now(),
        )
        return ExportStatus.FAILED
    return ExportStatus.DONE


@task()
def statuses_refresh_stale() -> int:
    """Judge again the statuses judged before today (and the missing ones); enqueued by the
    portfolio dashboard at most once a day. Returns the statuses written."""
    from . import services  # services.py enqueues this task: import it when needed

    return services.statuses_refresh_stale()
