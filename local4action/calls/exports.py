"""Downloads of a call's applications with their scores, for the secretariat (CSV and XLSX).

Both formats are written from the same rows (`call_export_rows`), which reuse the ranking's
scores rather than computing them again.
"""

import csv
import io
import zoneinfo

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from openpyxl import Workbook

from local4action.accounts.permissions import is_secretariat
from local4action.core.spreadsheets import XLSX_CONTENT_TYPE, Cell, csv_cell, sheet_write

from . import selectors
from .choices import Support
from .models import Call


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
    writer.writerow([csv_cell(value) for value in header])
    writer.writerows([csv_cell(value) for value in row] for row in rows)
    return response


@never_cache
@login_required
def export_xlsx(request, slug):
    call, header, rows = _export(request, slug)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Applications")[:31]
    workbook.properties.title = call.title
    sheet_write(sheet, header, rows)
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
