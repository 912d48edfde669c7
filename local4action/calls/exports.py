"""Downloads of a call's applications with their scores, for the secretariat (CSV and XLSX).

Both formats are written from the same rows (`call_export_rows`), which reuse the ranking's
scores rather than computing them again.
"""

import csv
import io
import zoneinfo
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from local4action.accounts.permissions import is_secretariat

from . import selectors
from .choices import Support
from .models import Call

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A spreadsheet reads a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
COLUMN_WIDTH_MIN, COLUMN_WIDTH_MAX = 8, 60

Cell = str | int | Decimal | None


def call_export_rows(*, user, call: Call) -> tuple[list[str], list[list[Cell]]]:
    """One row per application of the call, ranked ones first in ranking order, then the
    others. Scores come from `selectors.call_ranking`; a fixed number of queries."""
    applications = list(selectors.call_applications(user=user, call=call))
    criteria, ranking = selectors.call_ranking(user=user, call=call)
    scored = {row.application.pk: row for row in ranking}
    order = {row.application.pk: position for position, row in enumerate(ranking)}
    applications.sort(key=lambda a: order.get(a.pk, len(order)))  # stable: others keep theirs

    zone = zoneinfo.ZoneInfo(call.time_zone)
    supports = dict(Support.choices)
    header = [
        _("ID"),
        _("Initiative"),
        _("Lead organization"),
        _("Country"),
        _("Status"),
        _("Submitted at (%(zone)s)") % {"zone": call.time_zone},
        _("Support requested"),
        _("Submitted reviews"),
        _("Weighted score"),
        _("Spread"),
        *(criterion.label for criterion in criteria),
        _("Below minimum"),
        _("Strong disagreement"),
        _("Decision reason"),
    ]
    rows = []
    for application in applications:
        organization = application.initiative.lead_organization
        row = scored.get(application.pk)
        has_scores = row is not None and row.weighted is not None
        rows.append(
            [
                application.pk,
                application.initiative.title,
                organization.name,
                str(organization.country.name) if organization.country else "",
                application.get_status_display(),
                timezone.localtime(application.submitted_at, zone).isoformat(timespec="seconds")
                if application.submitted_at
                else "",
                "; ".join(str(supports.get(s, s)) for s in application.support_requested),
                application.submitted_reviews,
                row.weighted if row else None,
                row.spread if row else None,
                *((row.criterion_means.get(c.pk) if row else None) for c in criteria),
                "; ".join(row.below_minimum) if row else "",
                (_("yes") if row.disagreement else _("no")) if has_scores else "",
                application.decision_reason,
            ]
        )
    return header, rows


def _neutralized(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def _csv_cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return _neutralized(value)
    return str(value)


def _filename(call: Call, extension: str) -> str:
    return f"{call.slug}-applications.{extension}"


def _export(request, slug: str) -> tuple[Call, list[str], list[list[Cell]]]:
    if not is_secretariat(request.user):
        raise PermissionDenied
    call = selectors.call_get(user=request.user, slug=slug)
    header, rows = call_export_rows(user=request.user, call=call)
    return call, header, rows


@never_cache
@login_required
def export_csv(request, slug):
    call, header, rows = _export(request, slug)
    response = HttpResponse(
        content_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": content_disposition_header(
                as_attachment=True, filename=_filename(call, "csv")
            )
        },
    )
    # The byte-order mark tells Excel the file is UTF-8, so accents survive.
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([_csv_cell(value) for value in header])
    writer.writerows([_csv_cell(value) for value in row] for row in rows)
    return response


@never_cache
@login_required
def export_xlsx(request, slug):
    call, header, rows = _export(request, slug)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Applications")[:31]
    workbook.properties.title = call.title
    widths = [0] * len(header)
    for row_number, values in enumerate([header, *rows], start=1):
        for column, value in enumerate(values, start=1):
            if isinstance(value, str):
                value = ILLEGAL_CHARACTERS_RE.sub("", value)
            cell = sheet.cell(row=row_number, column=column, value=value)
            if isinstance(value, str):
                # Text stays text: never a formula, even when it starts with "=".
                cell.data_type = "s"
                if value.startswith(FORMULA_PREFIXES):
                    cell.quotePrefix = True
            elif isinstance(value, Decimal):
                cell.number_format = "0.00"
            if row_number == 1:
                cell.font = Font(bold=True)
            if value is not None:
                longest = max(len(line) for line in str(value).splitlines() or [""])
                widths[column - 1] = max(widths[column - 1], longest)
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = min(
            max(width + 2, COLUMN_WIDTH_MIN), COLUMN_WIDTH_MAX
        )
    sheet.freeze_panes = "A2"
    content = io.BytesIO()
    workbook.save(content)
    return HttpResponse(
        content.getvalue(),
        content_type=XLSX_CONTENT_TYPE,
        headers={
            "Content-Disposition": content_disposition_header(
                as_attachment=True, filename=_filename(call, "xlsx")
            )
        },
    )
