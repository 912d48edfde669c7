"""Import an indicator's values from a CSV or XLSX file: upload, preview, confirm.

Without JavaScript: the upload posts the file, the answer is the preview; the preview's form
posts a token and the user's choice (save all, or only the valid rows). Between the two, the
parsed valid rows wait in the session under that token: the file itself is never kept.
"""

import csv
import datetime
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from local4action.core.pending import Pending
from local4action.core.spreadsheets import csv_cell

from . import importing, permissions, selectors, services
from .models import Indicator

# A preview older than six hours is dropped: the team uploads the file again.
PENDING = Pending("monitoring_imports")
# Every row with a problem is shown; of the valid ones, the first few, as a sample.
PREVIEW_VALID_ROWS = 100
PREVIEW_PROBLEM_ROWS = 1000


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File (.csv or .xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )


def _editable_indicator(request, pk: int) -> Indicator:
    """404 for people who may not see the indicator, 403 for those who may not change it."""
    indicator = selectors.indicator_get(user=request.user, pk=pk)
    if not permissions.can_edit_monitoring(request.user, indicator.initiative):
        raise PermissionDenied
    return indicator


# Pending imports in the session ----------------------------------------------------------------


def _remember(request, indicator: Indicator, result: importing.ImportResult) -> str:
    """Keep the valid rows (JSON: the session serializer's format); one pending import per
    indicator."""
    return PENDING.keep(
        request,
        target=indicator.pk,
        total=len(result.rows),
        rows=[
            [row.date.isoformat(), str(row.value), row.source, row.note, row.disaggregation]
            for row in result.valid_rows
        ],
    )


def _rows(entry: dict) -> list[dict]:
    return [
        {
            "date": datetime.date.fromisoformat(date),
            "value": Decimal(value),
            "source": source,
            "note": note,
            "disaggregation": disaggregation,
        }
        for date, value, source, note, disaggregation in entry["rows"]
    ]


# Views -----------------------------------------------------------------------------------------


def _upload_page(request, indicator, form, errors=(), status=200):
    return render(
        request,
        "monitoring/import.html",
        {
            "indicator": indicator,
            "initiative": indicator.initiative,
            "form": form,
            "errors": list(errors),
            "columns": importing.template_header(indicator, get_language()),
            "max_rows": importing.MAX_ROWS,
            "max_megabytes": importing.MAX_BYTES // (1024 * 1024),
        },
        status=status,
    )


def _preview(request, indicator, result: importing.ImportResult):
    token = _remember(request, indicator, result)
    shown, problems = [], 0
    for position, row in enumerate(result.rows):
        if not row.is_valid:
            problems += 1
            if problems <= PREVIEW_PROBLEM_ROWS:
                shown.append(row)
        elif position < PREVIEW_VALID_ROWS:
            shown.append(row)
    return render(
        request,
        "monitoring/import_preview.html",
        {
            "indicator": indicator,
            "initiative": indicator.initiative,
            "file_name": request.FILES["file"].name,
            "columns": result.columns,
            "shown": shown,
            "total": len(result.rows),
            "valid": len(result.valid_rows),
            "with_problems": problems,
            "token": token,
        },
    )


def _confirm(request, indicator):
    token = request.POST.get("token", "")
    entry = PENDING.get(request, token, indicator.pk)
    if entry is None:
        # Another indicator's token is left alone: that preview may still be open.
        return _upload_page(
            request,
            indicator,
            ImportForm(),
            [_("This preview has expired or is not for this indicator: upload the file again.")],
            status=400,
        )
    choice = request.POST.get("save")
    rows = _rows(entry)
    skipped = entry["total"] - len(rows)
    if choice not in ("all", "valid") or (choice == "all" and skipped):
        # Only a stale page or a crafted request gets here: the preview offers valid choices.
        return _upload_page(
            request,
            indicator,
            ImportForm(),
            [
                _(
                    "Some rows have problems, so the file cannot be saved as a whole: correct "
                    "the file and upload it again, or save only the valid rows."
                )
                if skipped
                else _("Choose whether to save all the rows.")
            ],
            status=400,
        )
    if not rows:
        PENDING.drop(request, token)
        return _upload_page(request, indicator, ImportForm(), [_("No row can be saved.")])
    try:
        saved = services.measurements_import(actor=request.user, indicator=indicator, rows=rows)
    except ValidationError as error:
        # The database changed since the preview (a value added meanwhile, a new baseline):
        # nothing was saved, and the same rows would be refused again.
        PENDING.drop(request, token)
        return _upload_page(
            request,
            indicator,
            ImportForm(),
            [
                *error.messages,
                _("Upload the file again to see which rows are concerned."),
            ],
            status=409,
        )
    PENDING.drop(request, token)
    message = ngettext(
        "%(count)s value has been imported.", "%(count)s values have been imported.", saved
    ) % {"count": saved}
    if skipped:
        message += " " + ngettext(
            "%(count)s row with a problem was skipped.",
            "%(count)s rows with problems were skipped.",
            skipped,
        ) % {"count": skipped}
    messages.success(request, message)
    return redirect("monitoring:measurement_add", pk=indicator.pk)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def measurement_import(request, pk):
    """Upload (GET, POST with a file → preview) and confirm (POST with a token)."""
    indicator = _editable_indicator(request, pk)
    if request.method != "POST":
        return _upload_page(request, indicator, ImportForm())
    if "token" in request.POST:
        return _confirm(request, indicator)
    form = ImportForm(request.POST, request.FILES)
    if form.is_valid():
        result = importing.parse_measurements(form.cleaned_data["file"], indicator)
        if not result.errors:
            return _preview(request, indicator, result)
        return _upload_page(request, indicator, form, result.errors)
    return _upload_page(request, indicator, form)


@never_cache
@login_required
def import_template(request, pk):
    """An empty CSV with the header this indicator's import expects, in the user's language:
    separated by semicolons in French and Spanish, as spreadsheets there expect."""
    indicator = _editable_indicator(request, pk)
    language = get_language() or "en"
    delimiter = "," if language.startswith("en") else ";"
    filename = f"{slugify(indicator.name) or 'indicator'}-values.csv"
    response = HttpResponse(
        content_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": content_disposition_header(as_attachment=True, filename=filename)
        },
    )
    response.write("\ufeff")  # tells Excel the file is UTF-8, so accents survive
    header = importing.template_header(indicator, language)
    csv.writer(response, delimiter=delimiter).writerow([csv_cell(name) for name in header])
    return response
