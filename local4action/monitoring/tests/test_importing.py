"""Reading a file of values: no database, except to find values already saved."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone, translation

from local4action.monitoring import importing, services
from local4action.monitoring.models import Indicator
from local4action.monitoring.tests.factories import make_hub, make_indicator
from local4action.monitoring.tests.files import csv_file, monthly, raw_file, xlsx_file


def _indicator(**fields) -> Indicator:
    """Not saved: the parser reads its rules, never the database."""
    today = timezone.localdate()
    data = {
        "name": "People trained",
        "unit": "people",
        "direction": "higher",
        "baseline_value": Decimal("0"),
        "baseline_date": today - relativedelta(months=30),
        "target_value": Decimal("100"),
        "target_date": today + relativedelta(months=6),
        "disaggregation_keys": [],
        **fields,
    }
    return Indicator(**data)


def _day(indicator, months=1) -> str:
    return (indicator.baseline_date + relativedelta(months=months)).isoformat()


def _problems(result, line) -> list[str]:
    return next(row.problems for row in result.rows if row.line == line)


def test_a_good_csv_of_24_monthly_values_is_read_row_by_row():
    indicator = _indicator()
    rows = monthly(indicator)

    result = importing.parse_measurements(csv_file(rows), indicator)

    assert result.errors == []
    assert result.can_save_all
    assert [row.line for row in result.rows] == list(range(2, 26))
    assert [(row.date, row.value) for row in result.rows] == [tuple(row) for row in rows]
    assert result.rows[0].cells == [rows[0][0].isoformat(), "12.5"]


@pytest.mark.parametrize(
    "header",
    [
        ("Date", "Value", "Source", "Note"),
        ("  DATE ", " value", "source ", "NOTE"),
        ("date", "valeur", "source", "note"),
        ("Fecha", "Valor", "Fuente", "Nota"),
        ("valor", "fecha", "nota", "fuente"),
    ],
)
def test_the_header_is_read_in_english_french_or_spanish_in_any_case_and_order(header):
    indicator = _indicator()
    by_name = {"date": _day(indicator), "value": "7", "source": "Census", "note": "First"}
    aliases = {
        "date": "date",
        "fecha": "date",
        "value": "value",
        "valeur": "value",
        "valor": "value",
        "source": "source",
        "fuente": "source",
        "note": "note",
        "nota": "note",
    }
    cells = [by_name[aliases[name.strip().lower()]] for name in header]

    result = importing.parse_measurements(csv_file([cells], header=header), indicator)

    assert result.errors == []
    row = result.rows[0]
    assert (row.date.isoformat(), row.value, row.source, row.note) == (
        _day(indicator),
        Decimal("7"),
        "Census",
        "First",
    )


@pytest.mark.parametrize(
    "text, expected",
    [
        ("date,amount\n2025-01-01,3\n", "missing: value"),
        ("datum;wert\n2025-01-01;3\n", "missing: date, value"),
        ("date,value,colour\n2025-01-01,3,red\n", "Unknown column: “colour”"),
        ("date,value,value\n2025-01-01,3,4\n", "The column “value” appears twice."),
        ("2025-01-01,3\n2025-02-01,4\n", "missing: date, value"),
    ],
)
def test_a_wrong_or_missing_header_is_a_file_error(text, expected):
    result = importing.parse_measurements(raw_file(text), _indicator())

    assert len(result.errors) == 1
    assert expected in result.errors[0]
    assert "Expected columns: date, value, source, note." in result.errors[0]
    assert result.valid_rows == []


def test_the_expected_columns_name_the_indicators_breakdowns():
    result = importing.parse_measurements(
        raw_file("when,value\n"), _indicator(disaggregation_keys=["sex", "district"])
    )

    assert "Expected columns: date, value, source, note, sex, district." in result.errors[0]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("", "The file is empty."),
        ("\r\n\r\n;;\r\n", "The file is empty."),
        ("date;value\r\n\r\n", "The file has a header but no values."),
    ],
)
def test_an_empty_file_is_a_file_error(text, expected):
    result = importing.parse_measurements(raw_file(text), _indicator())

    assert result.errors == [expected]


def test_a_file_mixing_decimal_commas_and_points_is_refused_as_a_whole():
    indicator = _indicator()
    rows = [[_day(indicator, 1), "12.5"], [_day(indicator, 2), "12,5"], [_day(indicator, 3), "3"]]

    result = importing.parse_measurements(csv_file(rows, delimiter=";"), indicator)

    assert result.errors == [
        "Mixed decimal separators: use one. Decimal commas on line 3; decimal points on line 2."
    ]
    assert result.valid_rows == []
    assert not result.can_save_all


def test_a_semicolon_file_with_decimal_commas_is_read():
    indicator = _indicator()
    rows = monthly(indicator, 3)

    result = importing.parse_measurements(
        csv_file(rows, header=("Fecha", "Valor"), delimiter=";", decimal=","), indicator
    )

    assert result.errors == []
    assert [row.value for row in result.rows] == [Decimal("12.5"), Decimal("15.0"), Decimal("17.5")]
    assert result.rows[0].cells[1] == "12,5"


def test_a_comma_file_with_quoted_decimal_commas_is_read():
    indicator = _indicator()
    text = f'date,value\n{_day(indicator)},"12,5"\n'

    result = importing.parse_measurements(raw_file(text), indicator)

    assert result.errors == []
    assert result.rows[0].value == Decimal("12.5")


def test_an_unquoted_decimal_comma_in_a_comma_file_is_a_row_problem():
    indicator = _indicator()
    text = f"date,value\n{_day(indicator)},12,5\n"

    result = importing.parse_measurements(raw_file(text), indicator)

    assert "This line has more cells than the header has column names." in _problems(result, 2)[0]


@pytest.mark.parametrize("value", ["1.234,5", "1,234.5", "1 234", "1\u202f234,5", "1.234.567"])
def test_thousands_separators_are_a_file_error(value):
    indicator = _indicator()
    rows = [[_day(indicator, 1), "3"], [_day(indicator, 2), value]]

    result = importing.parse_measurements(csv_file(rows, delimiter=";"), indicator)

    assert result.errors == [
        "Numbers with thousands separators on line 3: write them without (1234.5 or 1234,5)."
    ]


def test_a_file_whose_only_decimals_could_be_thousands_is_refused():
    indicator = _indicator()
    rows = [[_day(indicator, 1), "1,500"], [_day(indicator, 2), "2,250"], [_day(indicator, 3), "7"]]

    result = importing.parse_measurements(csv_file(rows, delimiter=";"), indicator)

    assert len(result.errors) == 1
    assert result.errors[0].startswith(
        "“1,500” on line 2 could be a number with a thousands separator or with three decimals."
    )


def test_three_decimals_are_read_as_decimals_when_the_file_shows_its_separator():
    indicator = _indicator()
    rows = [
        [_day(indicator, 1), "1,500"],
        [_day(indicator, 2), "12,5"],
        [_day(indicator, 3), "0,125"],
    ]

    result = importing.parse_measurements(csv_file(rows, delimiter=";"), indicator)

    assert result.errors == []
    assert [row.value for row in result.rows] == [Decimal("1.5"), Decimal("12.5"), Decimal("0.125")]


@pytest.mark.parametrize("value", ["abc", "12 people", "n/a", "1e3", "twelve"])
def test_text_where_a_number_goes_is_a_row_problem_on_its_line(value):
    indicator = _indicator()
    rows = monthly(indicator, 5)
    rows[2][1] = value

    result = importing.parse_measurements(csv_file(rows), indicator)

    assert result.errors == []
    assert _problems(result, 4) == ["The value must be a number."]
    assert [row.line for row in result.valid_rows] == [2, 3, 5, 6]
    assert not result.can_save_all


def test_an_empty_value_is_a_row_problem():
    indicator = _indicator()
    rows = monthly(indicator, 2)
    rows[1][1] = ""

    result = importing.parse_measurements(csv_file(rows), indicator)

    assert _problems(result, 3) == ["The value must be a number."]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2024-03-05", datetime.date(2024, 3, 5)),
        ("2024-3-5", datetime.date(2024, 3, 5)),
        ("05/03/2024", datetime.date(2024, 3, 5)),
        ("5/3/2024", datetime.date(2024, 3, 5)),
        (" 2024-03-05 ", datetime.date(2024, 3, 5)),
        ("12/31/2024", None),
        ("2024-02-30", None),
        ("March 5, 2024", None),
        ("05.03.2024", None),
        ("", None),
    ],
)
def test_dates_are_read_as_iso_or_day_month_year(text, expected):
    indicator = _indicator(baseline_date=datetime.date(2020, 1, 1))

    result = importing.parse_measurements(raw_file(f"date;value\n{text};3\n"), indicator)

    assert result.rows[0].date == expected
    if expected is None:
        assert _problems(result, 2) == ["The date is missing or not a date."]


def test_a_date_before_the_baseline_or_in_the_future_is_a_row_problem():
    indicator = _indicator()
    before = indicator.baseline_date - datetime.timedelta(days=1)
    future = timezone.localdate() + datetime.timedelta(days=1)
    rows = [[indicator.baseline_date, "1"], [before, "2"], [future, "3"]]

    result = importing.parse_measurements(csv_file(rows), indicator)

    assert _problems(result, 2) == []
    assert _problems(result, 3) == [
        f"The date is before the baseline date ({indicator.baseline_date.isoformat()})."
    ]
    assert _problems(result, 4) == ["The date is in the future."]


def test_the_row_rules_are_the_services():
    """The parser adds nothing of its own to what a single measurement must respect."""
    indicator = _indicator()
    before = indicator.baseline_date - datetime.timedelta(days=1)

    result = importing.parse_measurements(csv_file([[before, "x"]]), indicator)

    assert _problems(result, 2) == services.measurement_problems(
        indicator, date=before, value=None, disaggregation={}
    )


def test_a_unit_that_differs_from_the_indicators_is_a_row_problem():
    indicator = _indicator(unit="people")
    rows = [[_day(indicator, 1), "1", "people"], [_day(indicator, 2), "2", "%"]]
    rows += [[_day(indicator, 3), "3", " People "], [_day(indicator, 4), "4", ""]]

    result = importing.parse_measurements(
        csv_file(rows, header=("date", "value", "unit")), indicator
    )

    assert _problems(result, 3) == ["The unit “%” does not match the indicator's unit “people”."]
    assert [row.line for row in result.valid_rows] == [2, 4, 5]


def test_a_date_repeated_in_the_file_is_reported_on_every_line_of_it():
    indicator = _indicator(disaggregation_keys=["sex"])
    rows = [
        [_day(indicator, 1), "1", ""],
        [_day(indicator, 1), "2", "female"],
        [_day(indicator, 2), "3", ""],
        [_day(indicator, 1), "4", ""],
    ]

    result = importing.parse_measurements(
        csv_file(rows, header=("date", "value", "sex")), indicator
    )

    repeated = "The file has several values for this date and breakdown (lines 2, 5)."
    assert _problems(result, 2) == [repeated]
    assert _problems(result, 5) == [repeated]
    assert [row.line for row in result.valid_rows] == [3, 4]


def test_a_date_already_saved_for_the_indicator_is_reported(db):
    hub, editor = make_hub(started_days_ago=400)
    indicator = make_indicator(hub, editor, disaggregation_keys=["sex", "district"])
    day = hub.start_date + datetime.timedelta(days=30)
    services.measurement_add(
        actor=editor,
        indicator=indicator,
        date=day,
        value=Decimal("5"),
        disaggregation={"district": "North", "sex": "female"},
    )
    rows = [[day, "6", "North", "female"], [day, "7", "", ""], [day, "8", "South", "female"]]

    result = importing.parse_measurements(
        csv_file(rows, header=("date", "value", "district", "sex")), indicator
    )

    assert _problems(result, 2) == ["There is already a value for this date and breakdown."]
    assert [row.line for row in result.valid_rows] == [3, 4]


def test_breakdown_columns_fill_the_breakdown_and_empty_ones_mean_the_total():
    indicator = _indicator(disaggregation_keys=["sex", "age group"])
    rows = [[_day(indicator), "4", "female", "15-24"], [_day(indicator), "9", "", ""]]

    result = importing.parse_measurements(
        csv_file(rows, header=("Date", "Value", "Age group", "SEX")), indicator
    )

    assert result.errors == []
    assert [row.disaggregation for row in result.rows] == [
        {"sex": "15-24", "age group": "female"},
        {},
    ]


def test_the_fields_limits_are_row_problems_in_the_users_language():
    indicator = _indicator()
    rows = [
        [_day(indicator, 1), "12.50000"],
        [_day(indicator, 2), "12.12345"],
        [_day(indicator, 3), "1234567890123"],
    ]

    with translation.override("fr"):
        result = importing.parse_measurements(csv_file(rows), indicator)

    assert result.rows[0].value == Decimal("12.5000")
    assert _problems(result, 2) == []
    assert _problems(result, 3) == [
        "Assurez-vous qu’il n’y a pas plus de 4 chiffres après la virgule."
    ]
    assert len(_problems(result, 4)) == 1


def test_an_xlsx_file_with_date_cells_is_read():
    indicator = _indicator(disaggregation_keys=["district"])
    first, second = (indicator.baseline_date + relativedelta(months=n) for n in (1, 2))
    rows = [
        [first, 12.5, "Survey", "North"],
        [datetime.datetime.combine(second, datetime.time()), 3, None, None],
        [_day(indicator, 3), "7,5", "Typed as text", None],
        [f"{first:%d/%m/%Y}", 0.1 + 0.2, None, "South"],
    ]

    result = importing.parse_measurements(
        xlsx_file(rows, header=("Date", "Value", "Source", "District")), indicator
    )

    assert result.errors == []
    assert [(row.date, row.value) for row in result.rows] == [
        (first, Decimal("12.5")),
        (second, Decimal("3")),
        (indicator.baseline_date + relativedelta(months=3), Decimal("7.5")),
        (first, Decimal("0.3000")),
    ]
    assert result.rows[0].cells == [first.isoformat(), "12.5", "Survey", "North"]
    assert result.rows[3].disaggregation == {"district": "South"}
    assert result.can_save_all


def test_an_xlsx_number_where_a_date_goes_is_a_row_problem():
    indicator = _indicator()

    result = importing.parse_measurements(xlsx_file([[45000, 3]]), indicator)

    assert _problems(result, 2) == ["The date is missing or not a date."]


@pytest.mark.parametrize(
    "name, data",
    [
        ("values.xlsx", b"PK\x03\x04 not really a workbook"),
        ("values.xlsx", b"date,value\n2025-01-01,3\n"),
    ],
)
def test_an_unreadable_workbook_is_a_file_error(name, data):
    result = importing.parse_measurements(raw_file(data, name=name), _indicator())

    assert result.errors == ["The file could not be read as an Excel workbook (.xlsx)."]


def test_a_binary_file_named_csv_is_a_file_error():
    data = xlsx_file([[datetime.date(2025, 1, 1), 3]]).read()

    result = importing.parse_measurements(raw_file(data, name="values.csv"), _indicator())

    assert result.errors == ["The file could not be read as text: is it really a CSV file?"]


@pytest.mark.parametrize("name", ["values.xls", "values.ods", "values.txt", "values"])
def test_other_kinds_of_files_are_refused(name):
    result = importing.parse_measurements(raw_file("date,value\n", name=name), _indicator())

    assert result.errors == [
        "Only .csv and .xlsx files can be imported. In Excel, use “Save as” to choose one."
    ]


def test_a_file_over_2_mb_is_refused_before_it_is_read():
    indicator = _indicator()
    line = f"{_day(indicator)},1,{'x' * 80}\n"
    text = "date,value,note\n" + line * (importing.MAX_BYTES // len(line) + 1)

    result = importing.parse_measurements(raw_file(text), indicator)

    assert result.errors == ["The file is larger than 2 MB: split it into several files."]
    assert result.rows == []


def test_more_than_5000_rows_is_refused_and_5000_are_read():
    indicator = _indicator(baseline_date=datetime.date(2000, 1, 1))
    days = [datetime.date(2000, 1, 1) + datetime.timedelta(days=n) for n in range(5001)]
    rows = [[day, "1"] for day in days]

    too_many = importing.parse_measurements(csv_file(rows), indicator)
    enough = importing.parse_measurements(csv_file(rows[:5000]), indicator)

    assert too_many.errors == ["The file has more than 5,000 rows: split it into several files."]
    assert enough.errors == [] and len(enough.valid_rows) == 5000


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "latin-1", "cp1252", "utf-16"])
def test_csv_files_are_read_in_the_encodings_spreadsheets_write(encoding):
    indicator = _indicator()
    text = f"Fecha;Valor;Fuente\r\n{_day(indicator)};3;Encuesta de la Región\r\n"

    result = importing.parse_measurements(raw_file(text.encode(encoding)), indicator)

    assert result.errors == []
    assert result.rows[0].source == "Encuesta de la Región"


def test_blank_lines_are_skipped_and_lines_keep_their_number_in_the_file():
    indicator = _indicator()
    text = f"\ndate;value\n\n{_day(indicator, 1)};1\n;\n{_day(indicator, 2)};2\n\n"

    result = importing.parse_measurements(raw_file(text), indicator)

    assert [row.line for row in result.rows] == [4, 6]


def test_a_tab_separated_file_is_read():
    indicator = _indicator()

    result = importing.parse_measurements(
        raw_file(f"date\tvalue\n{_day(indicator)}\t3\n"), indicator
    )

    assert result.rows[0].value == Decimal("3")


def test_the_template_header_is_in_the_users_language_with_the_breakdowns():
    indicator = _indicator(disaggregation_keys=["sex"])

    assert importing.template_header(indicator, "en") == ["date", "value", "source", "note", "sex"]
    assert importing.template_header(indicator, "fr") == ["date", "valeur", "source", "note", "sex"]
    assert importing.template_header(indicator, "es-ar") == [
        "fecha",
        "valor",
        "fuente",
        "nota",
        "sex",
    ]


def test_a_workbook_that_goes_on_for_a_million_rows_is_refused_quickly():
    indicator = _indicator()
    upload = xlsx_file([[_day(indicator), 3]])
    workbook = openpyxl.load_workbook(upload)
    workbook.active["B1048576"] = " "
    buffer = io.BytesIO()
    workbook.save(buffer)

    result = importing.parse_measurements(raw_file(buffer.getvalue(), name="v.xlsx"), indicator)

    assert result.errors == [
        "The file goes on past line 50,000: delete the empty lines or cells at its end, or "
        "split it into several files."
    ]
