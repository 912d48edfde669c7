"""Read the values of one indicator from a CSV or XLSX file, and say what is wrong with it.

Nothing here writes to the database: the import view shows the result as a preview, and
`services.measurements_import` saves the rows the user confirms. Two levels of trouble:
- file errors (`ImportResult.errors`): the file as a whole cannot be read safely (wrong header,
  unreadable, too big, numbers that could be read two ways); no row can be saved;
- row problems (`ImportRow.problems`): this row cannot be saved; the others may be.
The rules on one measurement (baseline, future dates, breakdowns) are the service's
(`services.measurement_problems`); this module only adds what comes from reading a file.
"""

import codecs
import csv
import datetime
import io
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from local4action.core.spreadsheets import FORMULA_PREFIXES

from . import services
from .models import Indicator, Measurement

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
# Blank lines are skipped, but not without end: a spreadsheet with one cell on its last row
# (1,048,576) would otherwise be read as a million empty rows.
MAX_LINES = 10 * MAX_ROWS
# Wider than any real template (four columns and a few breakdowns); it bounds the work a
# crafted workbook can ask for.
MAX_COLUMNS = 50
EXTENSIONS = ("csv", "xlsx")

# Column names in the three interface languages; compared case-insensitively.
ALIASES = {
    "date": ("date", "fecha"),
    "value": ("value", "valeur", "valor"),
    "source": ("source", "fuente"),
    "note": ("note", "nota"),
    "unit": ("unit", "unité", "unite", "unidad"),
}
REQUIRED = ("date", "value")
# The names a template is written with, in the user's language.
TEMPLATE_NAMES = {
    "en": ("date", "value", "source", "note"),
    "fr": ("date", "valeur", "source", "note"),
    "es": ("fecha", "valor", "fuente", "nota"),
}

INTEGER = re.compile(r"[+-]?\d+")
DECIMAL = re.compile(r"[+-]?\d*([.,])\d+")
# 1.234.567 / 1,234.5 / 1 234,5 (also with the narrow no-break space French uses) / 1'234
GROUPED = re.compile(r"[+-]?\d{1,3}([.,' \u00a0\u202f’])\d{3}(\1\d{3})*([.,]\d+)?")
# 1,500 alone: a thousand and five hundred, or one and a half?
AMBIGUOUS = re.compile(r"[+-]?[1-9]\d{0,2}[.,]\d{3}")
FOUR_PLACES = Decimal("0.0001")
ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
DMY_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


@dataclass
class ImportRow:
    line: int
    cells: list[str]  # as written in the file, in the file's column order
    date: datetime.date | None = None
    value: Decimal | None = None
    source: str = ""
    note: str = ""
    unit: str = ""
    disaggregation: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.problems

    @property
    def plain_value(self) -> Decimal | None:
        """The value without trailing zeros (12.5, not 12.5000), for people to read."""
        if self.value is None:
            return None
        text = f"{self.value:f}"
        return Decimal(text.rstrip("0").rstrip(".") if "." in text else text)

    def key(self) -> tuple:
        return (self.date, tuple(sorted(self.disaggregation.items())))


@dataclass
class ImportResult:
    columns: list[str] = field(default_factory=list)
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def valid_rows(self) -> list[ImportRow]:
        return [] if self.errors else [row for row in self.rows if row.is_valid]

    @property
    def rows_with_problems(self) -> list[ImportRow]:
        return [row for row in self.rows if not row.is_valid]

    @property
    def can_save_all(self) -> bool:
        return not self.errors and bool(self.rows) and not self.rows_with_problems


class FileError(Exception):
    """The file cannot be read at all; the message is for the user."""


def template_header(indicator: Indicator, language: str | None) -> list[str]:
    """The header of an empty file ready to fill in, in the user's language."""
    names = TEMPLATE_NAMES.get((language or "en")[:2], TEMPLATE_NAMES["en"])
    return [*names, *indicator.disaggregation_keys]


def parse_measurements(uploaded_file, indicator: Indicator) -> ImportResult:
    """Read an uploaded .csv or .xlsx file of values of `indicator`. Never raises on bad
    input: everything wrong is in the result, in the user's language."""
    result = ImportResult()
    try:
        values = _read(_records(uploaded_file), indicator, result)
    except FileError as error:
        result.errors.append(str(error))
        return result
    if not result.rows:
        result.errors.append(_("The file has a header but no values."))
        return result
    _check_numbers(result, values)
    if result.errors:
        return result
    _check_rows(result, indicator)
    return result


# Reading the file ------------------------------------------------------------------------------


def _records(uploaded_file) -> Iterator[tuple[int, list]]:
    name = (getattr(uploaded_file, "name", "") or "").lower()
    extension = name.rsplit(".", 1)[-1] if "." in name else ""
    if extension not in EXTENSIONS:
        raise FileError(
            _("Only .csv and .xlsx files can be imported. In Excel, use “Save as” to choose one.")
        )
    size = getattr(uploaded_file, "size", None)
    if size is not None and size > MAX_BYTES:
        raise FileError(_too_big())
    uploaded_file.seek(0)
    data = uploaded_file.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise FileError(_too_big())
    if not data.strip():
        raise FileError(_("The file is empty."))
    return _csv_records(data) if extension == "csv" else _xlsx_records(data)


def _too_big() -> str:
    return _("The file is larger than %(size)s MB: split it into several files.") % {
        "size": MAX_BYTES // (1024 * 1024)
    }


def _too_many() -> str:
    return _("The file has more than %(limit)s rows: split it into several files.") % {
        "limit": number_format(MAX_ROWS, force_grouping=True)
    }


def _decode(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    if data.startswith(codecs.BOM_UTF8):
        # Declared UTF-8: a stray bad byte should not turn every accent into garbage.
        return data.decode("utf-8-sig", errors="replace")
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")  # every byte is a latin-1 character: never fails


def _delimiter(text: str) -> str:
    """Semicolons where spreadsheets use decimal commas (much of Europe), commas elsewhere;
    the header says which, since column names hold neither."""
    header = next((line for line in io.StringIO(text) if line.strip()), "")
    counts = {delimiter: header.count(delimiter) for delimiter in (",", ";", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _csv_records(data: bytes) -> Iterator[tuple[int, list]]:
    text = _decode(data)
    if "\x00" in text:
        raise FileError(_("The file could not be read as text: is it really a CSV file?"))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))

    def records():
        try:
            # The record number is the row number a spreadsheet shows for the same file.
            yield from enumerate(reader, start=1)
        except csv.Error as error:
            raise FileError(
                _("The file could not be read after line %(line)s.") % {"line": reader.line_num}
            ) from error

    return records()


def _xlsx_records(data: bytes) -> Iterator[tuple[int, list]]:
    unreadable = _("The file could not be read as an Excel workbook (.xlsx).")
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # a damaged or disguised file can fail in many ways
        raise FileError(unreadable) from error

    def records():
        try:
            if not workbook.worksheets:
                return
            sheet = workbook.worksheets[0]
            rows = sheet.iter_rows(max_row=MAX_LINES + 1, max_col=MAX_COLUMNS, values_only=True)
            yield from ((n, list(cells)) for n, cells in enumerate(rows, start=1))
        except Exception as error:
            raise FileError(unreadable) from error
        finally:
            workbook.close()

    return records()


def _display(cell) -> str:
    """A cell as the user would read it in the preview."""
    if cell is None:
        return ""
    if isinstance(cell, datetime.datetime):
        return cell.date().isoformat() if cell.time() == datetime.time() else cell.isoformat(" ")
    if isinstance(cell, datetime.date | datetime.time):
        return cell.isoformat()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _header_name(cell) -> str:
    name = _display(cell).casefold().strip()
    # A template neutralizes a breakdown that a spreadsheet would take for a formula.
    if name.startswith("'") and name[1:].startswith(FORMULA_PREFIXES):
        name = name[1:]
    return name


def _columns(header: list, indicator: Indicator) -> dict[int, str]:
    """Map column positions to what they hold: date, value, source, note, unit, or
    "by:<key>" for a breakdown."""
    known = {alias: name for name, aliases in ALIASES.items() for alias in aliases}
    keys = {key.casefold(): key for key in indicator.disaggregation_keys}
    columns, seen, unknown, twice = {}, set(), [], []
    for position, cell in enumerate(header):
        name = _header_name(cell)
        if not name:
            continue
        meaning = known.get(name) or (f"by:{keys[name]}" if name in keys else None)
        if meaning is None:
            unknown.append(_display(cell))
        elif meaning in seen:
            twice.append(_display(cell))
        else:
            seen.add(meaning)
            columns[position] = meaning
    names = template_header(indicator, get_language())
    local = dict(zip(("date", "value"), names, strict=False))  # the template starts with both
    missing = [local[name] for name in REQUIRED if name not in seen]
    if missing or unknown or twice:
        problems = []
        if missing:
            problems.append(
                _("The first line must name the columns; missing: %(names)s.")
                % {"names": ", ".join(missing)}
            )
        if unknown:
            problems.append(
                ngettext("Unknown column: %(names)s.", "Unknown columns: %(names)s.", len(unknown))
                % {"names": ", ".join(f"“{name}”" for name in unknown[:10])}
            )
        for name in twice:
            problems.append(_("The column “%(name)s” appears twice.") % {"name": name})
        problems.append(_("Expected columns: %(names)s.") % {"names": ", ".join(names)})
        raise FileError(" ".join(problems))
    return columns


def _read(records: Iterable[tuple[int, list]], indicator: Indicator, result: ImportResult) -> list:
    """Fill `result` with the header and one row per non-blank line; return each row's value
    cell as found, to be read once the file's decimal separator is known."""
    header = None
    columns: dict[int, str] = {}
    width = 0
    values = []
    for line, cells in records:
        if line > MAX_LINES:
            raise FileError(
                _(
                    "The file goes on past line %(limit)s: delete the empty lines or cells at "
                    "its end, or split it into several files."
                )
                % {"limit": number_format(MAX_LINES, force_grouping=True)}
            )
        if not any(_display(cell) for cell in cells):
            continue  # blank lines, often at the end of a spreadsheet
        if header is None:
            header = cells
            columns = _columns(header, indicator)
            width = max(columns) + 1
            result.columns = [_display(cell) for cell in header[:width]]
            continue
        if len(result.rows) >= MAX_ROWS:
            raise FileError(_too_many())
        row, value = _row(line, cells, columns, width, indicator)
        result.rows.append(row)
        values.append(value)
    if header is None:
        raise FileError(_("The file is empty."))
    return values


def _row(line: int, cells: list, columns: dict[int, str], width: int, indicator) -> tuple:
    row = ImportRow(line=line, cells=[_display(cell) for cell in cells[:width]])
    row.cells += [""] * (width - len(row.cells))
    extra = [cell for cell in cells[width:] if _display(cell)]
    unnamed = [
        position
        for position, cell in enumerate(cells[:width])
        if position not in columns and _display(cell)
    ]
    if extra or unnamed:
        row.problems.append(
            _(
                "This line has more cells than the header has column names. In a file "
                'separated by commas, a decimal comma must be in quotes ("12,5"), or the '
                "columns separated by semicolons."
            )
        )
    value, disaggregation = None, {}
    for position, meaning in columns.items():
        cell = cells[position] if position < len(cells) else None
        if meaning == "date":
            row.date = _date(cell)
        elif meaning == "value":
            value = cell
        elif meaning.startswith("by:"):
            disaggregation[meaning[3:]] = _display(cell)
        else:
            setattr(row, meaning, _display(cell))
    # In the indicator's order, for the preview; the service sorts them before saving.
    row.disaggregation = {
        key: disaggregation[key]
        for key in indicator.disaggregation_keys
        if disaggregation.get(key, "") != ""
    }
    return row, value


def _date(cell) -> datetime.date | None:
    if isinstance(cell, datetime.datetime):
        return cell.date()
    if isinstance(cell, datetime.date):
        return cell
    if not isinstance(cell, str):
        return None
    text = cell.strip()
    if match := ISO_DATE.fullmatch(text):
        year, month, day = match.groups()
    elif match := DMY_DATE.fullmatch(text):
        day, month, year = match.groups()
    else:
        return None
    try:
        return datetime.date(int(year), int(month), int(day))
    except ValueError:
        return None


# Numbers ---------------------------------------------------------------------------------------


def _on_lines(lines: list[int], limit: int = 5) -> str:
    shown = ", ".join(str(line) for line in lines[:limit]) + ("…" if len(lines) > limit else "")
    return ngettext("line %(lines)s", "lines %(lines)s", len(lines)) % {"lines": shown}


def _check_numbers(result: ImportResult, values: list) -> None:
    """Decide how the file writes decimals, then read every value. A file that writes them
    two ways, or only in a way that could also be thousands, is refused as a whole: reading
    it would silently multiply some values by a thousand."""
    separators: dict[str, list[int]] = defaultdict(list)
    grouped, ambiguous, all_ambiguous = [], [], True
    for row, value in zip(result.rows, values, strict=True):
        if not isinstance(value, str):
            continue
        text = value.strip()
        if match := DECIMAL.fullmatch(text):
            separators[match.group(1)].append(row.line)
            if AMBIGUOUS.fullmatch(text):
                ambiguous.append((row.line, text))
            else:
                all_ambiguous = False
        elif GROUPED.fullmatch(text):
            grouped.append(row.line)
    if "," in separators and "." in separators:
        result.errors.append(
            _(
                "Mixed decimal separators: use one. Decimal commas on %(commas)s; decimal points "
                "on %(points)s."
            )
            % {"commas": _on_lines(separators[","]), "points": _on_lines(separators["."])}
        )
    if grouped:
        result.errors.append(
            _(
                "Numbers with thousands separators on %(lines)s: write them without (1234.5 or "
                "1234,5)."
            )
            % {"lines": _on_lines(grouped)}
        )
    if ambiguous and all_ambiguous and not result.errors:
        line, text = ambiguous[0]
        result.errors.append(
            _(
                "“%(value)s” on line %(line)s could be a number with a thousands separator or "
                "with three decimals. Write thousands without a separator (1500) and decimals "
                "without trailing zeros (1%(separator)s5)."
            )
            % {"value": text, "line": line, "separator": DECIMAL.fullmatch(text).group(1)}
        )
    if result.errors:
        return
    for row, value in zip(result.rows, values, strict=True):
        row.value = _number(value)


def _number(cell) -> Decimal | None:
    if isinstance(cell, bool):
        return None
    if isinstance(cell, int):
        return Decimal(cell)
    if isinstance(cell, float):
        number = Decimal(repr(cell))
        if not number.is_finite():
            return None
        # A spreadsheet's binary fractions (0.1 + 0.2 = 0.30000000000000004) are not what
        # the team typed: keep the four decimals a measurement holds.
        if number.as_tuple().exponent < -4:
            try:
                number = number.quantize(FOUR_PLACES)
            except InvalidOperation:
                pass  # too many digits: the field's limits say so
        return number
    if not isinstance(cell, str):
        return None
    text = cell.strip()
    if not (INTEGER.fullmatch(text) or DECIMAL.fullmatch(text)):
        return None
    number = Decimal(text.replace(",", "."))
    if number.as_tuple().exponent < -4:
        # 12,50000 is 12.5: only digits that carry something count against the limit.
        try:
            shorter = number.quantize(FOUR_PLACES)
        except InvalidOperation:
            return number  # too many digits: the field's limits say so
        if shorter == number:
            return shorter
    return number


# Rows ------------------------------------------------------------------------------------------


def _saved_keys(indicator: Indicator) -> set[tuple]:
    if indicator.pk is None:
        return set()
    return {
        (date, tuple(sorted((str(k), str(v)) for k, v in (disaggregation or {}).items())))
        for date, disaggregation in Measurement.objects.filter(indicator=indicator).values_list(
            "date", "disaggregation"
        )
    }


def _field_problems(name: str, value) -> list[str]:
    """The model field's own limits (digits, length): the import saves without full_clean."""
    try:
        Measurement._meta.get_field(name).run_validators(value)
    except ValidationError as error:
        return list(error.messages)
    return []


def _check_rows(result: ImportResult, indicator: Indicator) -> None:
    saved = _saved_keys(indicator)
    lines_by_key: dict[tuple, list[int]] = defaultdict(list)
    for row in result.rows:
        if row.date is not None:
            lines_by_key[row.key()].append(row.line)
    expected_unit = indicator.unit.strip().casefold()
    for row in result.rows:
        row.problems += services.measurement_problems(
            indicator, date=row.date, value=row.value, disaggregation=row.disaggregation
        )
        if row.value is not None:
            row.problems += _field_problems("value", row.value)
        row.problems += _field_problems("source", row.source)
        if row.unit and row.unit.strip().casefold() != expected_unit:
            row.problems.append(
                _("The unit “%(unit)s” does not match the indicator's unit “%(expected)s”.")
                % {"unit": row.unit, "expected": indicator.unit}
            )
        if row.date is None:
            continue
        if row.key() in saved:
            row.problems.append(_("There is already a value for this date and breakdown."))
        same = lines_by_key[row.key()]
        if len(same) > 1:
            row.problems.append(
                _("The file has several values for this date and breakdown (lines %(lines)s).")
                % {"lines": ", ".join(str(line) for line in same[:10])}
            )
