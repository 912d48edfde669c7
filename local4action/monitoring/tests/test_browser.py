"""The monitoring path in a real Chromium: a HUB editor adds an indicator, imports 24 monthly
values (one bad row reported, then fixed), adds a deliverable and submits a progress report;
the secretariat acknowledges it; the dashboard shows the chart and the on-track status."""

import datetime
import re

import pytest
from django.utils import timezone

from local4action.accounts.tests.factories import UserFactory
from local4action.core.testing import log_in
from local4action.monitoring.models import Indicator, Measurement, ProgressReport
from local4action.monitoring.tests.factories import make_hub

pytestmark = pytest.mark.browser


def monthly_csv(path, start, end, target, bad_row=None):
    """24 monthly values a little ahead of the straight path from 0 to the target."""
    lines = ["date,value"]
    total = (end - start).days
    for month in range(1, 25):
        day = start + datetime.timedelta(days=30 * month)
        value = round(target * (day - start).days / total) + 2
        lines.append(f"{day.isoformat()},{'n/a' if month == bad_row else value}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def test_editor_records_progress_and_staff_acknowledge(new_page, reference_data, tmp_path):
    hub, editor = make_hub(title="Participation for all", started_days_ago=800, years=3)
    staff = UserFactory(roles={"secretariat"})
    team = log_in(new_page, editor)
    team.goto(f"/initiatives/{hub.slug}/monitoring/")

    # An indicator, from 0 to 240 municipal staff trained over the HUB's three years.
    team.get_by_role("link", name="Add an indicator").click()
    team.locator("#id_name").fill("Municipal staff trained")
    team.locator("#id_unit").fill("people")
    team.locator("#id_baseline_value").fill("0")
    team.locator("#id_baseline_date").fill(hub.start_date.isoformat())
    team.locator("#id_target_value").fill("240")
    team.locator("#id_target_date").fill(hub.end_date.isoformat())
    team.locator("main form button[type=submit]").click()
    team.get_by_role("heading", name="Municipal staff trained").wait_for()
    indicator = Indicator.objects.get()

    # 24 monthly values from a CSV: one bad row is reported and nothing is saved…
    team.get_by_role("link", name="Add or import values").click()
    team.get_by_role("link", name="Import values from a CSV or Excel file").click()
    bad = monthly_csv(tmp_path / "bad.csv", hub.start_date, hub.end_date, 240, bad_row=7)
    team.locator("input[type=file]").set_input_files(bad)
    team.get_by_role("button", name="Check the file").click()
    team.get_by_text("The value must be a number.").first.wait_for()
    assert team.get_by_role("button", name="Save all 24 rows").is_disabled()
    assert not Measurement.objects.exists()
    # …then the corrected file is imported whole.
    team.goto(f"/indicators/{indicator.pk}/import/")
    good = monthly_csv(tmp_path / "good.csv", hub.start_date, hub.end_date, 240)
    team.locator("input[type=file]").set_input_files(good)
    team.get_by_role("button", name="Check the file").click()
    team.get_by_role("button", name="Save all 24 rows").click()
    team.wait_for_url(re.compile(rf"/indicators/{indicator.pk}/measurements/"))
    assert Measurement.objects.filter(indicator=indicator).count() == 24

    # A deliverable.
    team.goto(f"/initiatives/{hub.slug}/monitoring/")
    team.get_by_role("link", name="Add a deliverable").click()
    team.locator("#id_title").fill("Training guide for other municipalities")
    team.locator("#id_due_date").fill(
        (timezone.localdate() + datetime.timedelta(days=60)).isoformat()
    )
    team.locator("#id_status").select_option("in_progress")
    team.locator("main form button[type=submit]").click()
    team.get_by_text("Training guide for other municipalities").wait_for()

    # The secretariat sets the reporting schedule; the team submits its first report.
    office = log_in(new_page, staff)
    office.goto(f"/initiatives/{hub.slug}/monitoring/plan/")
    office.locator("#id_report_every_months").fill("6")
    office.locator("#id_first_report_due").fill(
        (timezone.localdate() + datetime.timedelta(days=10)).isoformat()
    )
    office.locator("main form button[type=submit]").click()
    report = (
        ProgressReport.objects.order_by("due_date")
        .filter(due_date__gte=timezone.localdate())
        .first()
    )
    team.goto(report.get_absolute_url())
    team.locator("#id_narrative").fill("Eight trainings held with 160 municipal staff.")
    team.locator("#id_acceleration").fill("The label opened doors to two ministries.")
    team.locator("#id_synchronization").fill("Built on Bilbao's forums on values.")
    team.locator("button[name=submit]").click()
    team.get_by_text("Submitted. The secretariat has been told.").wait_for()

    office.goto(report.get_absolute_url())
    office.locator("#id_feedback").fill("Clear and well documented, thank you.")
    office.get_by_role("button", name="Acknowledge the report").click()
    office.get_by_text("The report has been acknowledged").wait_for()
    report.refresh_from_db()
    assert report.status == "acknowledged"

    # The dashboard draws the chart and says the HUB is on track.
    team.goto(f"/initiatives/{hub.slug}/monitoring/")
    team.wait_for_function(
        "() => [...document.querySelectorAll('figure.chart canvas')]"
        ".some(c => window.Chart && Chart.getChart(c))"
    )
    assert "On track" in team.locator(".light").inner_text()
    assert team.locator("table.data-table, figure.chart table").count() >= 1
