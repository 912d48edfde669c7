"""The portfolio report: a period, filtered by regional section, SDG or call, as a web page laid
out for paper, and as PDF or XLSX files built in the background.

The page and the PDF render the same template (`partials/_report_body.html`); the XLSX has one
sheet per section of the page. Files are built by `tasks.report_export_build` and kept in
private storage for the person who asked for them (and the secretariat).
"""

import datetime
import io
import logging
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

from dateutil.relativedelta import relativedelta
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from openpyxl import Workbook

from local4action.calls.choices import CallStatus
from local4action.calls.models import Call
from local4action.core.models import Goal, RegionalSection
from local4action.core.spreadsheets import XLSX_CONTENT_TYPE, sheet_title, sheet_write

from . import permissions, selectors
from .choices import ExportFormat, ExportStatus
from .forms import DATE
from .models import ReportExport
from .tasks import report_export_build

logger = logging.getLogger(__name__)

# A longer period makes a report nobody reads and a file that takes long to build.
MAX_YEARS = 5
# Dates outside these years are typing mistakes (and would overflow date arithmetic).
FIRST_YEAR, LAST_YEAR = 1900, 2999
CONTENT_TYPES = {ExportFormat.PDF: "application/pdf", ExportFormat.XLSX: XLSX_CONTENT_TYPE}
FILTERS = ("date_from", "date_to", "region", "sdg", "call")

Progress = Callable[[int], None]


def _no_progress(percent: int) -> None:
    pass


# The form -------------------------------------------------------------------------------------


class PortfolioReportForm(forms.Form):
    date_from = forms.DateField(
        label=gettext_lazy("From"),
        widget=DATE,
        error_messages={
            "required": gettext_lazy("Give the first day of the period."),
            "invalid": gettext_lazy("Enter the first day as a date, for example 2026-01-31."),
        },
    )
    date_to = forms.DateField(
        label=gettext_lazy("To"),
        widget=DATE,
        error_messages={
            "required": gettext_lazy("Give the last day of the period."),
            "invalid": gettext_lazy("Enter the last day as a date, for example 2026-12-31."),
        },
    )
    region = forms.ChoiceField(label=gettext_lazy("Regional section"), required=False)
    sdg = forms.TypedChoiceField(
        label=gettext_lazy("SDG"), required=False, coerce=int, empty_value=None
    )
    call = forms.ChoiceField(label=gettext_lazy("Call"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("All regional sections"))] + [
            (section.slug, section.name) for section in RegionalSection.objects.all()
        ]
        self.fields["sdg"].choices = [("", _("All SDGs"))] + [
            (goal.number, str(goal)) for goal in Goal.objects.order_by("number")
        ]
        self.fields["call"].choices = [("", _("All calls"))] + [
            (call.slug, call.title) for call in Call.objects.exclude(status=CallStatus.DRAFT)
        ]

    def _clean_year(self, name: str) -> datetime.date | None:
        value = self.cleaned_data.get(name)
        if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
            raise ValidationError(
                _("Enter a date between the years %(first)s and %(last)s."),
                params={"first": FIRST_YEAR, "last": LAST_YEAR},
            )
        return value

    def clean_date_from(self):
        return self._clean_year("date_from")

    def clean_date_to(self):
        return self._clean_year("date_to")

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to:
            if date_from > date_to:
                self.add_error(
                    "date_to", _("The last day must be on or after the first day of the period.")
                )
            elif date_to > date_from + relativedelta(years=MAX_YEARS):
                self.add_error(
                    "date_to",
                    _("A report covers at most %(years)s years: choose a shorter period.")
                    % {"years": MAX_YEARS},
                )
        return cleaned

    def report_kwargs(self) -> dict:
        """The selector's arguments."""
        data = self.cleaned_data
        return {
            "date_from": data["date_from"],
            "date_to": data["date_to"],
            "region": data["region"] or "",
            "sdg": data["sdg"],
            "call": data["call"] or "",
        }

    def params(self) -> dict[str, str]:
        """The filters as text, for links, hidden fields and the export record."""
        kwargs = self.report_kwargs()
        return {
            "date_from": kwargs["date_from"].isoformat(),
            "date_to": kwargs["date_to"].isoformat(),
            "region": kwargs["region"],
            "sdg": str(kwargs["sdg"] or ""),
            "call": kwargs["call"],
        }


def _default_period(data) -> dict:
    """Without dates, the page shows the year so far."""
    data = data.copy()
    if "date_from" not in data and "date_to" not in data:
        today = timezone.localdate()
        data["date_from"] = today.replace(month=1, day=1).isoformat()
        data["date_to"] = today.isoformat()
    return data


def report_url(params: dict) -> str:
    query = urlencode({name: params.get(name) or "" for name in FILTERS})
    return f"{reverse('monitoring:portfolio_report')}?{query}"


def _report_from_params(params: dict) -> selectors.PortfolioReport:
    """Read the report again from stored filters, checked as the page checks them."""
    form = PortfolioReportForm(data={name: params.get(name) or "" for name in FILTERS})
    if not form.is_valid():
        problems = "; ".join(str(error) for errors in form.errors.values() for error in errors)
        raise ValueError(
            _("The report's filters are no longer valid: %(problems)s") % {"problems": problems}
        )
    return selectors.portfolio_report(**form.report_kwargs())


# Files ------------------------------------------------------------------------------------------


def _static_root() -> Path:
    """The folder that holds css/app.css: the source folder, or the collected one."""
    found = finders.find("css/app.css")
    if found:
        return Path(found).resolve().parent.parent
    return Path(settings.STATIC_ROOT).resolve()


def _file_name(params: dict, extension: str) -> str:
    return f"portfolio-report-{params.get('date_from')}-{params.get('date_to')}.{extension}"


def report_pdf(report: selectors.PortfolioReport, *, progress: Progress = _no_progress) -> bytes:
    """The print page as a PDF: same template, same print style sheet, read from disk."""
    # Imported here: WeasyPrint loads Pango when imported; only the worker needs it.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    static_root = _static_root()

    class StaticFilesOnly(URLFetcher):
        """The PDF may read our style sheet and nothing else: no network, no other file."""

        def fetch(self, url, headers=None):
            if not url.startswith(static_root.as_uri() + "/"):
                raise ValueError(f"Not a static file: {url}")
            return super().fetch(url, headers)

    html = render_to_string(
        "monitoring/portfolio_report_pdf.html",
        {
            "report": report,
            "brand": settings.BRAND,
            "link_base": settings.SITE_URL.rstrip("/"),
            "LANGUAGE_CODE": get_language(),
            "generated_at": timezone.now(),
        },
    )
    progress(30)
    document = HTML(
        string=html,
        base_url=static_root.as_uri() + "/",
        url_fetcher=StaticFilesOnly(allowed_protocols={"file"}),
    ).render()
    progress(80)
    return document.write_pdf()


def report_xlsx(report: selectors.PortfolioReport, *, progress: Progress = _no_progress) -> bytes:
    """One sheet per section of the report: totals, initiatives, deliverables, indicators,
    progress reports."""
    workbook = Workbook()
    workbook.properties.title = _("Portfolio report")
    totals = workbook.active
    totals.title = sheet_title(_("Portfolio"))
    everything = _("All")
    sheet_write(
        totals,
        [_("Item"), _("Value")],
        [
            [_("From"), report.date_from],
            [_("To"), report.date_to],
            [_("Status judged on"), report.as_of],
            [_("Regional section"), report.region.name if report.region else everything],
            [_("SDG"), str(report.goal) if report.goal else everything],
            [_("Call"), report.call.title if report.call else everything],
            [_("Initiatives"), len(report.entries)],
            *([label, count] for _light, label, count in report.lights),
            [_("Deliverables due in the period"), report.deliverables_due],
            [_("Deliverables delivered in the period"), report.deliverables_delivered],
            [_("Delivered on time"), report.deliverables_on_time],
            [_("Progress reports submitted"), report.reports_submitted],
        ],
    )
    progress(20)

    rows = []
    for entry in report.entries:
        initiative, summary = entry.initiative, entry.summary
        organization = initiative.lead_organization
        rows.append(
            [
                initiative.title,
                organization.name,
                organization.regional_section.name if organization.regional_section else "",
                str(organization.country.name) if organization.country else "",
                initiative.get_status_display(),
                ", ".join(str(goal.number) for goal in entry.goals),
                entry.light_label,
                " ".join(summary.reasons),
                summary.deliverables_due,
                summary.deliverables_on_time,
                summary.deliverables_late,
                summary.indicators_on_track,
                summary.indicators_measured,
                summary.reports_overdue,
                len(entry.deliverables),
                len(entry.reports),
            ]
        )
    sheet_write(
        workbook.create_sheet(sheet_title(_("Initiatives"))),
        [
            _("Initiative"),
            _("Lead organization"),
            _("Regional section"),
            _("Country"),
            _("Status"),
            _("SDGs"),
            _("Light"),
            _("Reasons"),
            _("Deliverables due so far"),
            _("Delivered on time so far"),
            _("Late deliverables"),
            _("Indicators on track"),
            _("Indicators measured"),
            _("Reports overdue"),
            _("Deliverables in the period"),
            _("Reports submitted in the period"),
        ],
        rows,
    )
    progress(40)

    sheet_write(
        workbook.create_sheet(sheet_title(_("Deliverables"))),
        [
            _("Initiative"),
            _("Deliverable"),
            _("Due date"),
            _("Delivered on"),
            _("Status"),
            _("Success criteria"),
        ],
        [
            [
                entry.initiative.title,
                item.deliverable.title,
                item.deliverable.due_date,
                item.deliverable.delivered_on,
                item.state_label,
                item.deliverable.success_criteria,
            ]
            for entry in report.entries
            for item in entry.deliverables
        ],
    )
    progress(60)

    sheet_write(
        workbook.create_sheet(sheet_title(_("Indicators"))),
        [
            _("Initiative"),
            _("Indicator"),
            _("Unit"),
            _("Baseline"),
            _("Baseline date"),
            _("Target"),
            _("Target date"),
            _("Latest value in the period"),
            _("Measured on"),
            _("Progress towards the target (%)"),
            _("Status"),
            _("Values recorded in the period"),
        ],
        [
            [
                entry.initiative.title,
                item.indicator.name,
                item.indicator.unit,
                item.indicator.baseline_value,
                item.indicator.baseline_date,
                item.indicator.target_value,
                item.indicator.target_date,
                item.value,
                item.date,
                item.progress_percent,
                item.state_label,
                item.measurements,
            ]
            for entry in report.entries
            for item in entry.indicators
        ],
        decimal_format="General",
    )
    progress(80)

    sheet_write(
        workbook.create_sheet(sheet_title(_("Progress reports"))),
        [
            _("Initiative"),
            _("Period start"),
            _("Period end"),
            _("Submitted at"),
            _("Status"),
            _("Summary of the period"),
            _("Acceleration"),
            _("Synchronization"),
        ],
        [
            [
                entry.initiative.title,
                item.period_start,
                item.period_end,
                item.submitted_at,
                item.get_status_display(),
                item.narrative,
                item.acceleration,
                item.synchronization,
            ]
            for entry in report.entries
            for item in entry.reports
        ],
    )
    content = io.BytesIO()
    workbook.save(content)
    return content.getvalue()


def report_file(*, params: dict, format: str, progress: Progress = _no_progress):
    """(file name, content) of a report file, from the filters stored with its export."""
    report = _report_from_params(params)
    progress(10)
    if format == ExportFormat.PDF:
        return _file_name(params, "pdf"), report_pdf(report, progress=progress)
    if format == ExportFormat.XLSX:
        return _file_name(params, "xlsx"), report_xlsx(report, progress=progress)
    raise ValueError(f"Unknown report format: {format}")


# The write --------------------------------------------------------------------------------------


def _enqueue(export_id: int) -> None:
    try:
        report_export_build.enqueue(export_id)
    except Exception:
        # The queue is down: say so on the status page instead of waiting forever.
        logger.exception("Report export %s could not be queued", export_id)
        ReportExport.objects.filter(pk=export_id, status=ExportStatus.QUEUED).update(
            status=ExportStatus.FAILED,
            error=_("The report could not be sent to the background worker. Try again later."),
            finished_at=timezone.now(),
        )


@transaction.atomic
def report_export_request(*, actor, params: dict, format: str) -> ReportExport:
    """Someone who may read the portfolio asks for a report file; it is built in the background
    once the request is saved, in the language and time zone they use now, so that the file
    says what the page says."""
    if not permissions.can_view_portfolio(actor):
        raise PermissionDenied
    export = ReportExport(
        requested_by=actor,
        params={
            **{name: params.get(name) or "" for name in FILTERS},
            "language": get_language(),
            "time_zone": timezone.get_current_timezone_name(),
        },
        format=format,
    )
    export.full_clean(exclude=["file"])
    export.save()
    transaction.on_commit(lambda: _enqueue(export.pk))
    return export


# Views ------------------------------------------------------------------------------------------


def _require_portfolio(user) -> None:
    if not permissions.can_view_portfolio(user):
        raise PermissionDenied


@login_required
def report(request):
    _require_portfolio(request.user)
    form = PortfolioReportForm(_default_period(request.GET))
    data = selectors.portfolio_report(**form.report_kwargs()) if form.is_valid() else None
    return render(
        request,
        "monitoring/portfolio_report.html",
        {
            "form": form,
            "report": data,
            "params": form.params() if data else {},
            "formats": ExportFormat,
            "exports": ReportExport.objects.filter(requested_by=request.user)[:5],
            "link_base": "",
        },
    )


@require_POST
@login_required
def export_create(request):
    _require_portfolio(request.user)
    form = PortfolioReportForm(request.POST)
    format = request.POST.get("format")
    if format not in ExportFormat.values or not form.is_valid():
        messages.error(request, _("Choose a valid period and format, then ask for the file again."))
        return redirect(report_url(request.POST))
    export = report_export_request(actor=request.user, params=form.params(), format=format)
    return redirect(export)


def _file_size(export: ReportExport) -> int | None:
    if export.status != ExportStatus.DONE or not export.file:
        return None
    try:
        return export.file.size
    except OSError:
        return None


def _export_for(request, pk: int) -> ReportExport:
    _require_portfolio(request.user)
    return selectors.report_export_get(user=request.user, pk=pk)


@never_cache
@login_required
def export_status(request, pk):
    export = _export_for(request, pk)
    context = {
        "export": export,
        "report_url": report_url(export.params),
        "file_size": _file_size(export),
    }
    if request.htmx:
        return render(request, "monitoring/partials/_report_export_status.html", context)
    return render(request, "monitoring/report_export.html", context)


@never_cache
@login_required
def export_download(request, pk):
    export = _export_for(request, pk)
    if export.status != ExportStatus.DONE or not export.file:
        raise Http404
    try:
        content = export.file.open("rb")
    except OSError as error:
        raise Http404 from error
    response = FileResponse(
        content,
        as_attachment=True,
        filename=_file_name(export.params, export.format),
        content_type=CONTENT_TYPES[export.format],
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
