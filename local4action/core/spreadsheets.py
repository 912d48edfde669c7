"""Cells that spreadsheets read safely, shared by every download (CSV and XLSX).

A spreadsheet runs a cell that starts with "=", "+", "-" or "@" as a formula (OWASP "CSV
injection"); text typed by users must stay text.
"""

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.utils import timezone
from django.utils.functional import Promise
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
COLUMN_WIDTH_MIN, COLUMN_WIDTH_MAX = 8, 60
# The longest name a sheet may have in Excel.
SHEET_TITLE_MAX = 31

Cell = str | int | float | Decimal | datetime.date | datetime.datetime | None


def neutralized(value: str) -> str:
    """Text that a spreadsheet shows as typed: a leading apostrophe stops formulas."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def csv_cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralized(value)
    return str(value)


def sheet_title(title: str) -> str:
    """A valid sheet name: Excel forbids some characters and names over 31 characters."""
    for character in "[]:*?/\\":
        title = title.replace(character, " ")
    return title[:SHEET_TITLE_MAX]


def sheet_write(
    sheet: Worksheet,
    header: Sequence[str],
    rows: Iterable[Sequence[Cell]],
    *,
    decimal_format: str = "0.00",
) -> None:
    """Write a table: bold header frozen at the top, text kept as text (never a formula),
    numbers and dates typed, columns wide enough to read."""
    widths = [0] * len(header)
    for row_number, values in enumerate([header, *rows], start=1):
        for column, value in enumerate(values, start=1):
            if isinstance(value, Promise):  # a lazily translated label
                value = str(value)
            if isinstance(value, str):
                value = ILLEGAL_CHARACTERS_RE.sub("", value)
            elif isinstance(value, datetime.datetime) and timezone.is_aware(value):
                # Spreadsheets have no time zones: show the platform's local time.
                value = timezone.make_naive(value)
            cell = sheet.cell(row=row_number, column=column, value=value)
            if isinstance(value, str):
                # Text stays text: never a formula, even when it starts with "=".
                cell.data_type = "s"
                if value.startswith(FORMULA_PREFIXES):
                    cell.quotePrefix = True
            elif isinstance(value, Decimal):
                cell.number_format = decimal_format
            elif isinstance(value, datetime.datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(value, datetime.date):
                cell.number_format = "yyyy-mm-dd"
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


def write_only_row(sheet, values: Sequence[Cell], *, bold: bool = False) -> list:
    """A row for a write-only worksheet (`Workbook(write_only=True)`, which streams rows to a
    temporary file): the same rules as sheet_write — text stays text, numbers and dates typed
    — without holding the sheet in memory. Append the result with `sheet.append(...)`."""
    cells = []
    for value in values:
        if isinstance(value, Promise):
            value = str(value)
        if isinstance(value, str):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
        elif isinstance(value, datetime.datetime) and timezone.is_aware(value):
            value = timezone.make_naive(value)
        cell = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            cell.data_type = "s"
            if value.startswith(FORMULA_PREFIXES):
                cell.quotePrefix = True
        elif isinstance(value, datetime.datetime):
            cell.number_format = "yyyy-mm-dd hh:mm"
        elif isinstance(value, datetime.date):
            cell.number_format = "yyyy-mm-dd"
        if bold:
            cell.font = Font(bold=True)
        cells.append(cell)
    return cells


def xlsx_download(
    *, title: str, sheet_name: str, header: Sequence[Cell], rows: Iterable, filename: str
):
    """A one-sheet workbook as a download, written row by row in openpyxl's write-only mode
    (kept in a temporary file, not in memory), header in bold and frozen."""
    import tempfile

    from django.http import FileResponse
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    workbook.properties.title = title
    sheet = workbook.create_sheet(sheet_title(sheet_name))
    sheet.freeze_panes = "A2"
    sheet.append(write_only_row(sheet, header, bold=True))
    for row in rows:
        sheet.append(write_only_row(sheet, row))
    content = tempfile.TemporaryFile()
    workbook.save(content)
    content.seek(0)
    return FileResponse(
        content, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE
    )
