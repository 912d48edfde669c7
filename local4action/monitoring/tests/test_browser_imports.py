"""The import in a real Chromium: without JavaScript, upload, preview and save the valid rows;
axe finds no serious accessibility problem on the upload page or the preview."""

import re

import pytest

from local4action.accounts.tests.factories import PASSWORD
from local4action.core.testing import axe_violations
from local4action.monitoring.models import Measurement
from local4action.monitoring.tests.factories import make_hub, make_indicator
from local4action.monitoring.tests.files import csv_file, monthly

pytestmark = pytest.mark.browser


def _log_in(new_page, user, **options):
    page = new_page(**options)
    page.goto("/account/login/")
    page.locator("#id_login").fill(user.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/profile/"))
    return page


@pytest.fixture
def file_with_a_bad_row(tmp_path):
    hub, editor = make_hub(started_days_ago=900, years=3)
    indicator = make_indicator(hub, editor, disaggregation_keys=["sex"])
    rows = [row + [""] for row in monthly(indicator, 6)]
    rows[3][1] = "about 30"
    path = tmp_path / "values.csv"
    path.write_bytes(csv_file(rows, header=("date", "value", "sex"), delimiter=";").read())
    return editor, indicator, str(path)


def _upload(page, indicator, path):
    page.goto(f"/indicators/{indicator.pk}/measurements/")
    page.get_by_role("link", name="Import values from a CSV or Excel file").click()
    page.get_by_label("File (.csv or .xlsx)").set_input_files(path)
    page.get_by_role("button", name="Check the file").click()


def test_a_team_imports_the_valid_rows_of_a_file_without_javascript(
    new_page, reference_data, file_with_a_bad_row
):
    editor, indicator, path = file_with_a_bad_row
    page = _log_in(new_page, editor, java_script_enabled=False)

    _upload(page, indicator, path)

    assert page.get_by_role("alert").inner_text().startswith("1 row has a problem")
    bad_row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name="5"))
    assert bad_row.get_by_text("The value must be a number.").is_visible()
    assert page.get_by_role("button", name="Save all 6 rows").is_disabled()
    page.get_by_role("button", name="Save the 5 valid rows and skip the others").click()
    page.wait_for_url(re.compile(rf"/indicators/{indicator.pk}/measurements/$"))
    assert "5 values have been imported." in page.locator(".messages").inner_text()
    assert Measurement.objects.filter(indicator=indicator).count() == 5


def test_the_upload_page_and_the_preview_pass_axe(new_page, reference_data, file_with_a_bad_row):
    editor, indicator, path = file_with_a_bad_row
    page = _log_in(new_page, editor)

    page.goto(f"/indicators/{indicator.pk}/import/")
    assert axe_violations(page) == []
    _upload(page, indicator, path)
    page.get_by_role("heading", name="Check the values before saving").wait_for()
    assert axe_violations(page) == []
