"""Files of measurements as teams make them: CSV (comma or semicolon) and XLSX."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
from dateutil.relativedelta import relativedelta
from django.core.files.uploadedfile import SimpleUploadedFile


def monthly(indicator, count=24) -> list[list]:
    """One value a month after the baseline: 1 (12.5 people), 2 (15), … Needs a baseline at
    least `count` months ago."""
    return [
        [indicator.baseline_date + relativedelta(months=n), Decimal("10") + Decimal("2.5") * n]
        for n in range(1, count + 1)
    ]


def csv_file(
    rows, *, header=("date", "value"), delimiter=",", decimal=".", name="values.csv", bom=True
) -> SimpleUploadedFile:
    """Dates written ISO, numbers with the given decimal separator; other cells as given."""
    text = io.StringIO()
    writer = csv.writer(text, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_text(cell, decimal) for cell in row])
    data = text.getvalue().encode("utf-8-sig" if bom else "utf-8")
    return SimpleUploadedFile(name, data, content_type="text/csv")


def raw_file(text: str | bytes, name="values.csv") -> SimpleUploadedFile:
    data = text.encode() if isinstance(text, str) else text
    return SimpleUploadedFile(name, data)


def xlsx_file(rows, *, header=("date", "value"), name="values.xlsx") -> SimpleUploadedFile:
    """Real cells: dates as date cells, numbers as numbers (Decimals become floats, as in
    Excel)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for row in rows:
        sheet.append([float(cell) if isinstance(cell, Decimal) else cell for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(
        name,
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def _text(cell, decimal: str) -> str:
    if isinstance(cell, datetime.date):
        return cell.isoformat()
    if isinstance(cell, Decimal):
        return str(cell).replace(".", decimal)
    return "" if cell is None else str(cell)
