"""The portfolio report: what it counts, who reads it, and its PDF and XLSX files."""

import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from local4action.accounts.tests.factories import OrganizationFactory, UserFactory
from local4action.calls.models import Application
from local4action.calls.tests.factories import make_call
from local4action.core.models import Goal, RegionalSection
from local4action.core.testing import assert_queries_constant
from local4action.monitoring import reports, selectors, services
from local4action.monitoring.models import ProgressReport, ReportExport
from local4action.monitoring.tasks import report_export_build
from local4action.monitoring.tests.factories import make_hub, make_indicator

REPORT_URL = "/monitoring/report/"


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def add_hub(title, *, region="", goals=(), call=None, status="labelled"):
    organization = None
    if region:
        organization = OrganizationFactory(
            regional_section=RegionalSection.objects.get(slug=region)
        )
    hub, editor = make_hub(organization=organization, title=title, status=status)
    hub.goals.add(*Goal.objects.filter(number__in=goals))
    if call is not None:
        Application.objects.create(call=call, initiative=hub, status=status)
    return hub, editor


def add_deliverable(hub, editor, title, *, due, delivered=None, status="planned"):
    return services.deliverable_save(
        actor=editor,
        initiative=hub,
        data={
            "title": title,
            "due_date": due,
            "status": "delivered" if delivered else status,
            "delivered_on": delivered,
        },
    )


def add_report(hub, *, submitted_days_ago, status="submitted", acceleration="", due=None):
    submitted = timezone.now() - datetime.timedelta(days=submitted_days_ago)
    due = due or days_ago(submitted_days_ago)
    return ProgressReport.objects.create(
        initiative=hub,
        period_start=due - datetime.timedelta(days=180),
        period_end=due,
        due_date=due,
        status=status,
        submitted_at=submitted if status != "draft" else None,
        narrative="Six months of work.",
        acceleration=acceleration or "Three municipalities copied the method.",
        synchronization="Built on the Bilbao charter of values.",
    )


@pytest.fixture
def call(db):
    return make_call(title="Local4Action HUBs 2026")


@pytest.fixture
def portfolio(call):
    """Valongo (Africa for the test, SDG 5, applied to the call) with a full record; Bilbao
    (Europe, SDG 11) with nothing in the period; an accompanied initiative in Africa; a draft
    that the report never shows."""
    valongo, editor = add_hub("Participation for all", region="africa", goals=[5], call=call)
    add_deliverable(valongo, editor, "Trained teams", due=days_ago(100), delivered=days_ago(110))
    add_deliverable(valongo, editor, "Toolkit", due=days_ago(50), delivered=days_ago(10))
    add_deliverable(valongo, editor, "Old launch", due=days_ago(300), delivered=days_ago(250))
    add_deliverable(valongo, editor, "Future forum", due=days_ago(-30))
    add_deliverable(valongo, editor, "Manifesto", due=days_ago(20))
    indicator = make_indicator(valongo, editor, disaggregation_keys=["sex"])
    for days, value in ((300, "10"), (100, "40"), (30, "45")):
        services.measurement_add(
            actor=editor, indicator=indicator, date=days_ago(days), value=Decimal(value)
        )
    services.measurement_add(
        actor=editor,
        indicator=indicator,
        date=days_ago(5),
        value=Decimal("20"),
        disaggregation={"sex": "female"},
    )
    add_report(valongo, submitted_days_ago=60, acceleration="Ten towns joined in a year.")
    add_report(valongo, submitted_days_ago=250)
    add_report(valongo, submitted_days_ago=0, status="draft", due=days_ago(-90))

    bilbao, _ = add_hub("Bilbao, city of values", region="europe", goals=[11])
    accompanied, _ = add_hub("Youth dialogue", region="africa", status="accompanied")
    add_hub("A draft", region="africa", goals=[5], status="draft")
    return {"valongo": valongo, "bilbao": bilbao, "accompanied": accompanied, "call": call}


def period(**filters):
    return {"date_from": days_ago(200), "date_to": timezone.localdate(), **filters}


def titles(report) -> list[str]:
    return [entry.initiative.title for entry in report.entries]


# The selector -----------------------------------------------------------------------------------


def test_report_counts_what_happened_in_the_period(portfolio):
    report = selectors.portfolio_report(**period())

    assert titles(report) == ["Bilbao, city of values", "Participation for all", "Youth dialogue"]
    valongo = next(e for e in report.entries if e.initiative == portfolio["valongo"])
    assert [d.deliverable.title for d in valongo.deliverables] == [
        "Trained teams",
        "Toolkit",
        "Manifesto",
    ]
    assert [d.state for d in valongo.deliverables] == ["delivered", "delivered_late", "late"]
    (indicator,) = valongo.indicators
    assert indicator.value == Decimal("45")  # the latest total in the period, not the breakdown
    assert indicator.date == days_ago(30)
    assert indicator.measurements == 3
    assert indicator.progress_percent == 45
    assert [r.acceleration for r in valongo.reports] == ["Ten towns joined in a year."]
    # Judged on the whole record: 1 of 4 deliverables due so far was on time.
    assert valongo.summary.light == "red", valongo.summary.reasons
    assert report.deliverables_due == 3
    assert report.deliverables_delivered == 2
    assert report.deliverables_on_time == 1
    assert report.reports_submitted == 1
    assert sum(count for _light, _label, count in report.lights) == 3


def test_report_filters_by_region_sdg_and_call(portfolio):
    assert titles(selectors.portfolio_report(**period(region="africa"))) == [
        "Participation for all",
        "Youth dialogue",
    ]
    assert titles(selectors.portfolio_report(**period(sdg=11))) == ["Bilbao, city of values"]
    by_call = selectors.portfolio_report(**period(call=portfolio["call"].slug))
    assert titles(by_call) == ["Participation for all"]
    assert by_call.call == portfolio["call"]
    assert titles(selectors.portfolio_report(**period(region="europe", sdg=5))) == []


def test_an_earlier_period_sees_only_its_own_records(portfolio):
    report = selectors.portfolio_report(date_from=days_ago(320), date_to=days_ago(240))

    valongo = next(e for e in report.entries if e.initiative == portfolio["valongo"])
    assert [d.deliverable.title for d in valongo.deliverables] == ["Old launch"]
    assert valongo.indicators[0].value == Decimal("10")
    assert len(valongo.reports) == 1
    assert report.as_of == days_ago(240)


def test_report_reads_in_the_same_number_of_queries_for_3_or_15_initiatives(db):
    def add(n):
        for i in range(n):
            hub, editor = add_hub(f"HUB {i}", region="asia-pacific")
            hub.goals.add(*Goal.objects.filter(number__in=[5, 11]))
            add_deliverable(hub, editor, "Toolkit", due=days_ago(50), delivered=days_ago(60))
            indicator = make_indicator(hub, editor)
            services.measurement_add(
                actor=editor, indicator=indicator, date=days_ago(10), value=Decimal("30")
            )
            add_report(hub, submitted_days_ago=20)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            report = selectors.portfolio_report(**period(region="asia-pacific", sdg=5))
            for entry in report.entries:  # what the page and the files read
                _ = (entry.goals, entry.initiative.lead_organization.regional_section)
                _ = [item.indicator.sdg_indicator for item in entry.indicators]
        return len(queries), len(report.entries)

    add(3)
    few, rows = count()
    assert rows == 3
    add(12)
    many, rows = count()
    assert rows == 15
    assert many == few


# The page ---------------------------------------------------------------------------------------


def test_anonymous_people_are_sent_to_log_in(client, db):
    response = client.get(REPORT_URL)
    assert response.status_code == 302
    assert "/login" in response["Location"]


def test_teams_and_reviewers_may_not_read_the_report(client, portfolio, reviewer):
    team_editor = portfolio["valongo"].lead_organization.memberships.get(role="editor").user
    for person in (team_editor, reviewer):
        client.force_login(person)
        assert client.get(REPORT_URL).status_code == 403
        response = client.post(
            reverse("monitoring:report_export_create"), {**_params(), "format": "xlsx"}
        )
        assert response.status_code == 403
    assert not ReportExport.objects.exists()


def test_partners_and_the_secretariat_read_the_report(client, portfolio, secretariat):
    partner = UserFactory(roles={"partner"})
    for person in (partner, secretariat):
        client.force_login(person)
        response = client.get(REPORT_URL, _params(region="africa"))
        assert response.status_code == 200
        page = response.content.decode()
        assert "Participation for all" in page
        assert "Bilbao, city of values" not in page
        assert "Ten towns joined in a year." in page
        assert 'class="report-initiative"' in page


def test_the_dashboard_links_to_the_report(client, db, secretariat):
    client.force_login(secretariat)
    response = client.get(reverse("monitoring:dashboard"))
    assert f'href="{REPORT_URL}"' in response.content.decode()


def test_without_dates_the_page_shows_the_year_so_far(client, portfolio, secretariat):
    client.force_login(secretariat)
    response = client.get(REPORT_URL)
    assert response.status_code == 200
    assert response.context["report"].date_from == timezone.localdate().replace(month=1, day=1)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"date_from": ""}, "Give the first day of the period."),
        ({"date_to": ""}, "Give the last day of the period."),
        ({"date_from": "2026-13-45"}, "Enter the first day as a date"),
        ({"date_from": "2026-05-01", "date_to": "2026-04-30"}, "must be on or after the first"),
        ({"date_from": "2020-01-01", "date_to": "2025-01-02"}, "at most 5 years"),
        ({"date_from": "0001-01-01"}, "Enter a date between the years"),
        ({"date_to": "9999-12-31"}, "Enter a date between the years"),
        ({"sdg": "99"}, "Select a valid choice"),
        ({"region": "atlantis"}, "Select a valid choice"),
    ],
)
def test_a_wrong_period_or_filter_is_explained(client, db, secretariat, changes, message):
    client.force_login(secretariat)
    response = client.get(REPORT_URL, _params(**changes))
    assert response.status_code == 200
    assert response.context["report"] is None
    assert message in response.content.decode()


def test_a_period_of_exactly_five_years_is_accepted(client, db, secretariat):
    client.force_login(secretariat)
    response = client.get(REPORT_URL, _params(date_from="2020-01-01", date_to="2025-01-01"))
    assert response.context["report"] is not None


def test_the_page_reads_in_a_fixed_number_of_queries(client, db, secretariat):
    client.force_login(secretariat)

    def add_rows(n):
        for _i in range(n):
            hub, editor = add_hub("HUB", goals=[5])
            add_deliverable(hub, editor, "Toolkit", due=days_ago(50))
            make_indicator(hub, editor)
            add_report(hub, submitted_days_ago=5)

    assert_queries_constant(client, f"{REPORT_URL}?date_from={days_ago(100)}", add_rows, rows=5)


def _params(**changes) -> dict:
    return {
        "date_from": days_ago(200).isoformat(),
        "date_to": timezone.localdate().isoformat(),
        "region": "",
        "sdg": "",
        "call": "",
        **changes,
    }


# Files ------------------------------------------------------------------------------------------


def _request(client, django_capture_on_commit_callbacks, file_format, **changes):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("monitoring:report_export_create"),
            {**_params(**changes), "format": file_format},
        )
    export = ReportExport.objects.latest("pk")
    assert response.status_code == 302
    assert response["Location"] == reverse("monitoring:report_export", args=[export.pk])
    export.refresh_from_db()
    return export


def _download(client, export) -> bytes:
    response = client.get(reverse("monitoring:report_export_download", args=[export.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_xlsx_is_built_in_the_background_and_parses_back(
    client, portfolio, secretariat, django_capture_on_commit_callbacks
):
    valongo = portfolio["valongo"]
    editor = valongo.lead_organization.memberships.get(role="editor").user
    add_deliverable(valongo, editor, '=HYPERLINK("http://x")', due=days_ago(5))
    client.force_login(secretariat)

    export = _request(client, django_capture_on_commit_callbacks, "xlsx", region="africa")

    assert (export.status, export.progress, export.error) == ("done", 100, "")
    assert export.requested_by == secretariat
    assert export.params["region"] == "africa"
    assert (export.params["language"], export.params["time_zone"]) == ("en", "UTC")
    page = client.get(reverse("monitoring:report_export", args=[export.pk])).content.decode()
    assert reverse("monitoring:report_export_download", args=[export.pk]) in page
    assert 'hx-trigger="every 2s"' not in page

    workbook = load_workbook(io.BytesIO(_download(client, export)))
    assert workbook.sheetnames == [
        "Portfolio",
        "Initiatives",
        "Deliverables",
        "Indicators",
        "Progress reports",
    ]
    totals = {
        row[0]: row[1] for row in workbook["Portfolio"].iter_rows(min_row=2, values_only=True)
    }
    assert totals["Initiatives"] == 2
    assert totals["Deliverables due in the period"] == 4
    assert totals["Delivered on time"] == 1
    assert totals["Progress reports submitted"] == 1
    assert totals["Regional section"] == "Africa"

    initiatives = workbook["Initiatives"]
    assert initiatives.freeze_panes == "A2"
    assert initiatives["A1"].font.b
    rows = {row[0]: row for row in initiatives.iter_rows(min_row=2, values_only=True)}
    assert set(rows) == {"Participation for all", "Youth dialogue"}
    assert rows["Participation for all"][5] == "5"  # SDGs
    assert rows["Participation for all"][14:] == (4, 1)  # deliverables, reports in the period

    deliverables = workbook["Deliverables"]
    injected = [c for c in deliverables["B"] if str(c.value).startswith("=")]
    assert len(injected) == 1
    assert injected[0].data_type == "s"  # text, never a formula
    indicators = list(workbook["Indicators"].iter_rows(min_row=2, values_only=True))
    assert indicators[0][1] == "People trained"
    assert indicators[0][7] == 45  # latest value in the period
    assert indicators[0][9] == 45  # % of the way to the target
    (report_row,) = workbook["Progress reports"].iter_rows(min_row=2, values_only=True)
    assert report_row[6] == "Ten towns joined in a year."


def test_pdf_is_a_real_pdf_built_from_the_print_page(
    client, portfolio, secretariat, django_capture_on_commit_callbacks
):
    client.force_login(secretariat)

    export = _request(client, django_capture_on_commit_callbacks, "pdf")

    assert export.status == "done", export.error
    response = client.get(reverse("monitoring:report_export_download", args=[export.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    content = b"".join(response.streaming_content)
    assert content.startswith(b"%PDF-")
    assert content.rstrip().endswith(b"%%EOF")
    assert len(content) > 5_000


def test_status_page_shows_progress_and_polls_until_done(client, db, secretariat):
    export = ReportExport.objects.create(
        requested_by=secretariat, params=_params(), format="xlsx", status="running", progress=40
    )
    url = reverse("monitoring:report_export", args=[export.pk])
    client.force_login(secretariat)

    page = client.get(url).content.decode()
    assert "40 % done" in page
    assert 'hx-trigger="every 2s"' in page
    assert f'href="{url}"' in page  # the Refresh link, for browsers without JavaScript
    assert "http-equiv" not in page

    fragment = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment
    assert 'id="export-status"' in fragment


def test_nobody_else_sees_or_downloads_someone_elses_file(
    client, portfolio, secretariat, django_capture_on_commit_callbacks
):
    partner, other_partner = UserFactory(roles={"partner"}), UserFactory(roles={"partner"})
    client.force_login(partner)
    export = _request(client, django_capture_on_commit_callbacks, "xlsx")
    assert export.status == "done"

    client.force_login(other_partner)
    assert client.get(reverse("monitoring:report_export", args=[export.pk])).status_code == 404
    download = reverse("monitoring:report_export_download", args=[export.pk])
    assert client.get(download).status_code == 404
    page = client.get(REPORT_URL).content.decode()
    assert reverse("monitoring:report_export", args=[export.pk]) not in page

    client.force_login(secretariat)
    assert client.get(download).status_code == 200


def test_a_failing_build_is_recorded_with_its_message(
    client, portfolio, secretariat, django_capture_on_commit_callbacks, monkeypatch
):
    def broken(report, **kwargs):
        raise RuntimeError("The disk is full.")

    monkeypatch.setattr(reports, "report_xlsx", broken)
    client.force_login(secretariat)

    export = _request(client, django_capture_on_commit_callbacks, "xlsx")

    assert export.status == "failed"
    assert export.error == "The disk is full."
    assert export.finished_at is not None
    assert not export.file
    page = client.get(reverse("monitoring:report_export", args=[export.pk])).content.decode()
    assert "The file could not be built. The disk is full." in page
    assert 'hx-trigger="every 2s"' not in page
    download = reverse("monitoring:report_export_download", args=[export.pk])
    assert client.get(download).status_code == 404


def test_running_the_task_again_changes_nothing(
    client, portfolio, secretariat, django_capture_on_commit_callbacks, monkeypatch
):
    client.force_login(secretariat)
    export = _request(client, django_capture_on_commit_callbacks, "xlsx")
    before = (export.file.name, export.finished_at)

    def never(*args, **kwargs):
        raise AssertionError("a finished export is built again")

    monkeypatch.setattr(reports, "report_file", never)
    assert report_export_build.call(export.pk) == "done"

    export.refresh_from_db()
    assert (export.status, export.file.name, export.finished_at) == ("done", *before)


def test_a_wrong_format_or_period_creates_no_file(client, db, secretariat):
    client.force_login(secretariat)
    create = reverse("monitoring:report_export_create")
    response = client.post(create, {**_params(), "format": "docx"})
    assert response.status_code == 302
    assert response["Location"].startswith(REPORT_URL)
    response = client.post(create, {**_params(date_to="1999-01-01"), "format": "pdf"})
    assert response.status_code == 302
    assert not ReportExport.objects.exists()
