"""Importing values from a file through the pages: upload, preview, confirm."""

import codecs
import datetime
from decimal import Decimal

import pytest
from django.template.defaultfilters import date as date_filter
from django.urls import reverse

from local4action.accounts.tests.factories import MembershipFactory, UserFactory
from local4action.core.models import AuditEvent
from local4action.monitoring import importing, services
from local4action.monitoring.imports import PENDING
from local4action.monitoring.models import Measurement
from local4action.monitoring.tests.factories import make_hub, make_indicator
from local4action.monitoring.tests.files import csv_file, monthly, raw_file, xlsx_file


@pytest.fixture
def hub_and_editor(db):
    """A HUB that started about two and a half years ago: room for 24 monthly values."""
    return make_hub(started_days_ago=900, years=3)


@pytest.fixture
def editor(hub_and_editor):
    return hub_and_editor[1]


@pytest.fixture
def indicator(hub_and_editor):
    hub, editor = hub_and_editor
    return make_indicator(hub, editor)


def _url(indicator) -> str:
    return reverse("monitoring:import", args=[indicator.pk])


def _upload(client, indicator, file):
    return client.post(_url(indicator), {"file": file})


def _confirm(client, indicator, token, save="all"):
    return client.post(_url(indicator), {"token": token, "save": save})


def _pending(client) -> dict:
    return client.session.get(PENDING.session_key, {})


def test_the_values_page_links_to_the_import(client, editor, indicator):
    client.force_login(editor)

    response = client.get(reverse("monitoring:measurement_add", args=[indicator.pk]))

    assert f'href="{_url(indicator)}"' in response.content.decode()
    assert "Import values from a CSV or Excel file" in response.content.decode()


def test_the_import_page_offers_a_template_with_the_indicators_columns(
    client, hub_and_editor, editor
):
    hub, _ = hub_and_editor
    indicator = make_indicator(hub, editor, disaggregation_keys=["sex", "=district"])
    client.force_login(editor)

    page = client.get(_url(indicator))
    english = client.get(reverse("monitoring:import_template", args=[indicator.pk]))
    editor.language = "fr"
    editor.save(update_fields=["language"])
    french = client.get(reverse("monitoring:import_template", args=[indicator.pk]))

    assert page.status_code == 200
    assert reverse("monitoring:import_template", args=[indicator.pk]) in page.content.decode()
    assert english["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="people-trained-values.csv"' in english["Content-Disposition"]
    assert english.content.startswith(codecs.BOM_UTF8)
    # A breakdown a spreadsheet would run as a formula is neutralized, and still read back.
    assert english.content.decode("utf-8-sig") == "date,value,source,note,sex,'=district\r\n"
    assert french.content.decode("utf-8-sig") == "date;valeur;source;note;sex;'=district\r\n"
    filled = french.content + b"2024-01-01;3;;;female;North\r\n"
    result = importing.parse_measurements(raw_file(filled), indicator)
    assert result.errors == []
    assert result.rows[0].disaggregation == {"sex": "female", "=district": "North"}


def test_a_good_csv_of_24_monthly_values_imports_all(client, editor, indicator):
    client.force_login(editor)
    rows = monthly(indicator)

    preview = _upload(client, indicator, csv_file(rows))

    assert preview.status_code == 200
    assert preview.context["total"] == 24
    assert preview.context["with_problems"] == 0
    body = preview.content.decode()
    assert "Save all 24 rows" in body
    assert 'value="all">' in body  # enabled
    assert "valid rows and skip" not in body
    assert Measurement.objects.count() == 0  # a preview saves nothing

    response = _confirm(client, indicator, preview.context["token"])

    assert response.status_code == 302
    assert response["Location"] == reverse("monitoring:measurement_add", args=[indicator.pk])
    saved = list(indicator.measurements.order_by("date").values_list("date", "value"))
    assert saved == [(day, value) for day, value in rows]
    assert all(m.created_by == editor for m in indicator.measurements.all())
    indicator.refresh_from_db()
    assert (indicator.latest_date, indicator.latest_value) == (rows[-1][0], rows[-1][1])
    assert AuditEvent.objects.filter(action="measurement.import", actor=editor).count() == 1
    assert _pending(client) == {}  # the token is used once
    page = client.get(response["Location"])
    assert "24 values have been imported." in page.content.decode()


def test_the_preview_shows_how_each_date_and_value_were_read(client, editor, indicator):
    client.force_login(editor)
    day = indicator.baseline_date + datetime.timedelta(days=40)

    preview = _upload(client, indicator, csv_file([[f"{day:%d/%m/%Y}", "12,50"]], delimiter=";"))

    assert f"{date_filter(day, 'DATE_FORMAT')} · 12.5 people" in preview.content.decode()


def test_sending_no_file_asks_for_one(client, editor, indicator):
    client.force_login(editor)

    response = client.post(_url(indicator), {})

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert _pending(client) == {}


def test_a_token_is_used_only_once(client, editor, indicator):
    client.force_login(editor)
    token = _upload(client, indicator, csv_file(monthly(indicator, 2))).context["token"]
    _confirm(client, indicator, token)

    again = _confirm(client, indicator, token)

    assert again.status_code == 400
    assert indicator.measurements.count() == 2


def test_a_wrong_header_is_a_file_error_and_nothing_is_saved(client, editor, indicator):
    client.force_login(editor)

    response = _upload(client, indicator, csv_file(monthly(indicator), header=("month", "people")))

    assert response.status_code == 200
    body = response.content.decode()
    assert 'role="alert"' in body
    assert "missing: date, value" in body
    assert "Nothing has been saved." in body
    assert _pending(client) == {}
    assert Measurement.objects.count() == 0


def test_mixed_decimal_commas_and_points_are_a_file_error(client, editor, indicator):
    client.force_login(editor)
    rows = monthly(indicator, 3)
    rows[1][1] = "15,0"

    response = _upload(client, indicator, csv_file(rows, delimiter=";"))

    assert "Mixed decimal separators: use one." in response.content.decode()
    assert "token" not in response.context
    assert Measurement.objects.count() == 0


def test_a_semicolon_file_with_decimal_commas_imports(client, editor, indicator):
    client.force_login(editor)
    rows = monthly(indicator, 4)

    preview = _upload(
        client, indicator, csv_file(rows, header=("Fecha", "Valor"), delimiter=";", decimal=",")
    )
    _confirm(client, indicator, preview.context["token"])

    assert list(indicator.measurements.values_list("value", flat=True)) == [
        Decimal("12.5"),
        Decimal("15"),
        Decimal("17.5"),
        Decimal("20"),
    ]


def test_a_row_with_text_in_its_value_is_reported_and_the_other_23_can_be_saved(
    client, editor, indicator
):
    client.force_login(editor)
    rows = monthly(indicator)
    rows[6][1] = "about 30"

    preview = _upload(client, indicator, csv_file(rows))

    assert (preview.context["valid"], preview.context["with_problems"]) == (23, 1)
    body = preview.content.decode()
    assert '<th scope="row">8</th>' in body
    assert "The value must be a number." in body
    assert 'value="all" disabled' in body
    assert "Save the 23 valid rows and skip the others" in body
    token = preview.context["token"]

    refused = _confirm(client, indicator, token, save="all")

    assert refused.status_code == 400
    assert "cannot be saved as a whole" in refused.content.decode()
    assert Measurement.objects.count() == 0

    saved = _confirm(client, indicator, token, save="valid")

    assert saved.status_code == 302
    assert indicator.measurements.count() == 23
    assert not indicator.measurements.filter(date=rows[6][0]).exists()
    page = client.get(saved["Location"]).content.decode()
    assert "23 values have been imported. 1 row with a problem was skipped." in page


def test_a_date_before_the_baseline_is_reported(client, editor, indicator):
    client.force_login(editor)
    before = indicator.baseline_date - datetime.timedelta(days=1)

    preview = _upload(client, indicator, csv_file([[before, Decimal("3")]]))

    assert preview.context["with_problems"] == 1
    assert (
        f"The date is before the baseline date ({indicator.baseline_date.isoformat()})."
        in preview.content.decode()
    )
    assert "valid rows and skip" not in preview.content.decode()  # none is valid


def test_a_unit_that_is_not_the_indicators_is_reported(client, editor, indicator):
    client.force_login(editor)
    rows = [row + ["people"] for row in monthly(indicator, 2)]
    rows[1][2] = "%"

    preview = _upload(client, indicator, csv_file(rows, header=("date", "value", "unit")))

    assert (
        "The unit “%” does not match the indicator&#x27;s unit “people”."
        in preview.content.decode()
    )
    assert preview.context["valid"] == 1


def test_duplicate_dates_in_the_file_or_already_saved_are_reported(client, editor, indicator):
    rows = monthly(indicator, 4)
    services.measurement_add(actor=editor, indicator=indicator, date=rows[0][0], value=Decimal(1))
    rows.append([rows[2][0], Decimal("99")])
    client.force_login(editor)

    preview = _upload(client, indicator, csv_file(rows))

    body = preview.content.decode()
    assert "There is already a value for this date and breakdown." in body
    assert "The file has several values for this date and breakdown (lines 4, 6)." in body
    assert (preview.context["valid"], preview.context["with_problems"]) == (2, 3)


def test_an_xlsx_file_with_date_cells_imports(client, editor, indicator):
    client.force_login(editor)
    rows = monthly(indicator, 12)

    preview = _upload(client, indicator, xlsx_file(rows, header=("Date", "Value")))
    _confirm(client, indicator, preview.context["token"])

    assert list(indicator.measurements.order_by("date").values_list("date", "value")) == [
        (day, value) for day, value in rows
    ]


def test_a_file_over_the_size_limit_is_refused(client, editor, indicator):
    client.force_login(editor)
    line = f"{indicator.baseline_date.isoformat()},1,{'x' * 100}\n"
    text = "date,value,note\n" + line * (importing.MAX_BYTES // len(line) + 1)

    response = _upload(client, indicator, raw_file(text))

    assert "The file is larger than 2 MB" in response.content.decode()
    assert _pending(client) == {}
    assert Measurement.objects.count() == 0


def test_people_who_may_not_see_the_indicator_get_404_and_nothing_is_saved(
    client, editor, indicator
):
    client.force_login(editor)
    token = _upload(client, indicator, csv_file(monthly(indicator))).context["token"]
    outsider = UserFactory()
    client.force_login(outsider)

    assert client.get(_url(indicator)).status_code == 404
    assert _upload(client, indicator, csv_file(monthly(indicator))).status_code == 404
    assert _confirm(client, indicator, token).status_code == 404
    assert client.get(reverse("monitoring:import_template", args=[indicator.pk])).status_code == 404
    assert Measurement.objects.count() == 0


@pytest.mark.parametrize("who", ["member", "partner", "secretariat"])
def test_people_who_may_see_but_not_change_the_values_get_403(client, indicator, who):
    if who == "member":
        user = MembershipFactory(
            organization=indicator.initiative.lead_organization, role="member"
        ).user
    else:
        user = UserFactory(roles={who})
    client.force_login(user)

    assert client.get(_url(indicator)).status_code == 403
    assert _upload(client, indicator, csv_file(monthly(indicator))).status_code == 403
    assert client.get(reverse("monitoring:import_template", args=[indicator.pk])).status_code == 403
    assert _pending(client) == {}
    assert Measurement.objects.count() == 0


def test_anonymous_visitors_are_sent_to_log_in(client, indicator):
    response = client.get(_url(indicator))

    assert response.status_code == 302
    assert "login" in response["Location"]


def test_a_token_cannot_be_used_for_another_indicator(client, hub_and_editor, editor, indicator):
    hub, _ = hub_and_editor
    other = make_indicator(hub, editor, name="Budget decided by residents", unit="%")
    client.force_login(editor)
    token = _upload(client, indicator, csv_file(monthly(indicator))).context["token"]

    response = _confirm(client, other, token)

    assert response.status_code == 400
    assert "This preview has expired or is not for this indicator" in response.content.decode()
    assert Measurement.objects.count() == 0
    # The preview stays usable where it belongs.
    assert _confirm(client, indicator, token).status_code == 302
    assert (indicator.measurements.count(), other.measurements.count()) == (24, 0)


def test_a_new_preview_replaces_the_previous_one_for_the_same_indicator(client, editor, indicator):
    client.force_login(editor)
    first = _upload(client, indicator, csv_file(monthly(indicator, 2))).context["token"]

    second = _upload(client, indicator, csv_file(monthly(indicator, 3))).context["token"]

    assert list(_pending(client)) == [second]
    assert _confirm(client, indicator, first).status_code == 400
    assert Measurement.objects.count() == 0


def test_the_session_keeps_the_parsed_rows_not_the_file(client, editor, indicator):
    client.force_login(editor)
    rows = monthly(indicator, 2)
    rows[1][1] = "n/a"

    token = _upload(client, indicator, csv_file(rows)).context["token"]

    entry = _pending(client)[token]
    assert entry["target"] == indicator.pk
    assert entry["total"] == 2
    assert entry["rows"] == [[rows[0][0].isoformat(), "12.5", "", "", {}]]


def test_nothing_is_half_saved_when_a_date_is_taken_between_preview_and_confirm(
    client, editor, indicator
):
    client.force_login(editor)
    rows = monthly(indicator)
    token = _upload(client, indicator, csv_file(rows)).context["token"]
    # Meanwhile, a colleague records the tenth month by hand.
    services.measurement_add(actor=editor, indicator=indicator, date=rows[9][0], value=Decimal(7))

    response = _confirm(client, indicator, token)

    assert response.status_code == 409
    body = response.content.decode()
    assert "Some rows repeat a date that already has a value; nothing was saved." in body
    assert "Upload the file again to see which rows are concerned." in body
    assert list(indicator.measurements.values_list("date", "value")) == [(rows[9][0], Decimal(7))]
    assert not AuditEvent.objects.filter(action="measurement.import").exists()


def test_an_initiative_no_longer_followed_cannot_import_a_preview(
    client, hub_and_editor, editor, indicator
):
    hub, _ = hub_and_editor
    client.force_login(editor)
    token = _upload(client, indicator, csv_file(monthly(indicator))).context["token"]
    hub.status = "withdrawn"
    hub.save(update_fields=["status"])

    response = _confirm(client, indicator, token)

    assert response.status_code == 403
    assert Measurement.objects.count() == 0


def test_the_preview_lists_every_problem_but_only_a_sample_of_the_valid_rows(
    client, editor, indicator, monkeypatch
):
    monkeypatch.setattr("local4action.monitoring.imports.PREVIEW_VALID_ROWS", 5)
    client.force_login(editor)
    rows = monthly(indicator)
    rows[20][1] = "?"

    preview = _upload(client, indicator, csv_file(rows))

    assert [row.line for row in preview.context["shown"]] == [2, 3, 4, 5, 6, 22]
    assert "Rows of the file: 6 of 24 shown, including every row with a problem." in (
        preview.content.decode()
    )
