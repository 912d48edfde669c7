"""Bad input to the monitoring pages and API: a clear message, nothing changed, no 500."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from local4action.core.testing import bearer
from local4action.monitoring import services
from local4action.monitoring.models import (
    Deliverable,
    Indicator,
    Measurement,
    MonitoringPlan,
    ProgressReport,
)
from local4action.monitoring.tests.factories import make_hub, make_indicator

JSON = "application/json"


def today() -> str:
    return timezone.localdate().isoformat()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"value": "³"}, "Enter a number."),
        ({"value": "NaN"}, "Enter a number."),
        ({"value": "Infinity"}, "Enter a number."),
        ({"value": str(10**20)}, "no more than 16 digits"),
        ({"value": ""}, "This field is required."),
        ({"value": "   "}, "This field is required."),
        ({"date": "2026-02-30"}, "Enter a valid date."),
        ({"date": "30/02/2026"}, "Enter a valid date."),
        ({"date": ""}, "This field is required."),
        ({"source": "x" * 201}, "at most 200 characters"),
    ],
)
def test_a_bad_measurement_on_the_page_is_explained_and_not_saved(
    client, hub_and_editor, data, message
):
    # Given an indicator of the team's HUB
    hub, editor = hub_and_editor
    indicator = make_indicator(hub, editor)
    client.force_login(editor)

    # When a value is typed with one bad field
    response = client.post(
        reverse("monitoring:measurement_add", args=[indicator.pk]),
        {"date": today(), "value": "12", **data},
    )

    # Then the page says why and no value is recorded
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Measurement.objects.exists()
    indicator.refresh_from_db()
    assert indicator.latest_value is None


def test_a_bad_measurement_is_explained_in_french(client, hub_and_editor):
    hub, editor = hub_and_editor
    editor.language = "fr"
    editor.save()
    indicator = make_indicator(hub, editor)
    client.force_login(editor)
    response = client.post(
        reverse("monitoring:measurement_add", args=[indicator.pk]),
        {"date": "2026-02-30", "value": "douze"},
    )
    content = response.content.decode()
    assert "Saisissez une date valide." in content
    assert "Saisissez un nombre." in content
    assert not Measurement.objects.exists()


def test_a_breakdown_value_over_100_characters_is_refused(client, hub_and_editor):
    hub, editor = hub_and_editor
    indicator = make_indicator(hub, editor, disaggregation_keys=["district"])
    client.force_login(editor)
    response = client.post(
        reverse("monitoring:measurement_add", args=[indicator.pk]),
        {"date": today(), "value": "12", "by_district": "x" * 101},
    )
    assert "at most 100 characters" in response.content.decode()
    assert not Measurement.objects.exists()


def test_recording_a_value_without_the_csrf_token_saves_nothing(hub_and_editor):
    hub, editor = hub_and_editor
    indicator = make_indicator(hub, editor)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(editor)
    response = browser.post(
        reverse("monitoring:measurement_add", args=[indicator.pk]), {"date": today(), "value": "1"}
    )
    assert response.status_code == 403
    assert not Measurement.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "This field is required."),
        ("name", "x" * 1000, "at most"),
        ("direction", "sideways", "Select a valid choice"),
        ("baseline_value", "abc", "Enter a number."),
        ("baseline_date", "2026-02-30", "Enter a valid date."),
        ("target_value", str(10**30), "digits"),
        ("sdg_code", "99.99.99", ""),
        ("sdg_code", "<script>x</script>", ""),
    ],
)
def test_a_bad_indicator_on_the_page_is_not_saved(client, hub_and_editor, field, value, message):
    hub, editor = hub_and_editor
    client.force_login(editor)
    data = {
        "name": "Households",
        "unit": "%",
        "direction": "higher",
        "baseline_value": "12",
        "baseline_date": hub.start_date.isoformat(),
        "target_value": "60",
        "target_date": hub.end_date.isoformat(),
        field: value,
    }
    response = client.post(reverse("monitoring:indicator_add", args=[hub.slug]), data)
    assert response.status_code == 200
    content = response.content.decode()
    assert message in content
    assert "<script>x</script>" not in content
    assert not Indicator.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", ""),
        ("title", "   "),
        ("due_date", "2026-02-30"),
        ("status", "teleported"),
        ("evidence_url", "javascript:alert(1)"),
    ],
)
def test_a_bad_deliverable_on_the_page_is_not_saved(client, hub_and_editor, field, value):
    hub, editor = hub_and_editor
    client.force_login(editor)
    data = {"title": "Forum", "due_date": hub.end_date.isoformat(), "status": "planned"}
    response = client.post(
        reverse("monitoring:deliverable_add", args=[hub.slug]), {**data, field: value}
    )
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    assert not Deliverable.objects.exists()


def test_an_evidence_file_that_is_not_what_it_says_is_refused(client, hub_and_editor):
    hub, editor = hub_and_editor
    client.force_login(editor)
    fake = SimpleUploadedFile("evidence.pdf", b"MZ\x90\x00\x03 an executable", "application/pdf")
    response = client.post(
        reverse("monitoring:deliverable_add", args=[hub.slug]),
        {
            "title": "Forum",
            "due_date": hub.end_date.isoformat(),
            "status": "planned",
            "evidence_file": fake,
        },
    )
    assert response.status_code == 200
    assert "does not match its extension" in response.content.decode()
    assert not Deliverable.objects.exists()


def test_a_real_pdf_is_accepted_as_evidence(client, hub_and_editor):
    hub, editor = hub_and_editor
    client.force_login(editor)
    pdf = SimpleUploadedFile("evidence.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    response = client.post(
        reverse("monitoring:deliverable_add", args=[hub.slug]),
        {
            "title": "Forum",
            "due_date": hub.end_date.isoformat(),
            "status": "planned",
            "evidence_file": pdf,
        },
    )
    assert response.status_code == 302
    assert Deliverable.objects.get().evidence_file.name.endswith(".pdf")


@pytest.mark.parametrize(
    ("months", "due"),
    [("0", None), ("25", None), ("abc", None), (str(10**20), None), ("6", "2026-02-30")],
)
def test_a_bad_reporting_schedule_is_not_saved(client, secretariat, hub_and_editor, months, due):
    hub, _editor = hub_and_editor
    client.force_login(secretariat)
    response = client.post(
        reverse("monitoring:plan", args=[hub.slug]),
        {"report_every_months": months, "first_report_due": due or today()},
    )
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    assert not MonitoringPlan.objects.exists()
    assert not ProgressReport.objects.exists()


def test_script_in_a_report_is_shown_as_text(client, secretariat, hub_and_editor):
    hub, editor = hub_and_editor
    services.plan_set(
        actor=secretariat,
        initiative=hub,
        report_every_months=6,
        first_report_due=timezone.localdate() + datetime.timedelta(days=30),
    )
    report = ProgressReport.objects.filter(initiative=hub).order_by("due_date").first()
    client.force_login(editor)
    client.post(
        reverse("monitoring:report", args=[report.pk]),
        {"narrative": "<script>alert(1)</script>", "version": report.version},
    )
    page = client.get(reverse("monitoring:report", args=[report.pk])).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


@pytest.mark.parametrize("pk", [999999, 10**20])
def test_unknown_ids_are_404_and_delete_nothing(client, hub_and_editor, pk):
    hub, editor = hub_and_editor
    indicator = make_indicator(hub, editor)
    services.measurement_add(
        actor=editor, indicator=indicator, date=timezone.localdate(), value=1, source="", note=""
    )
    client.force_login(editor)
    assert client.post(f"/measurements/{pk}/delete/").status_code == 404
    assert client.get(f"/indicators/{pk}/").status_code == 404
    assert client.get(f"/deliverables/{pk}/").status_code == 404
    assert client.get(f"/reports/{pk}/").status_code == 404
    assert Measurement.objects.count() == 1


def test_deleting_another_teams_value_is_not_found_and_keeps_it(client, hub_and_editor):
    hub, editor = hub_and_editor
    indicator = make_indicator(hub, editor)
    measurement = services.measurement_add(
        actor=editor, indicator=indicator, date=timezone.localdate(), value=1, source="", note=""
    )
    _other_hub, stranger = make_hub(title="Elsewhere")
    client.force_login(stranger)
    response = client.post(reverse("monitoring:measurement_delete", args=[measurement.pk]))
    assert response.status_code in (403, 404)
    assert Measurement.objects.filter(pk=measurement.pk).exists()


@pytest.mark.parametrize(
    "body", ["{", '{"due_date": "2026-02-30"}', '{"status": "teleported"}', '{"title": ""}']
)
def test_a_malformed_deliverable_patch_is_refused_in_json(client, hub_and_editor, body):
    hub, editor = hub_and_editor
    deliverable = services.deliverable_save(
        actor=editor,
        initiative=hub,
        data={"title": "Forum", "due_date": timezone.localdate() + datetime.timedelta(days=9)},
    )
    before = Deliverable.objects.values().get(pk=deliverable.pk)
    response = client.patch(f"/api/v1/deliverables/{deliverable.pk}", body, JSON, **bearer(editor))
    assert response.status_code in (400, 422)
    assert response["Content-Type"].startswith("application/json")
    assert Deliverable.objects.values().get(pk=deliverable.pk) == before


@pytest.mark.parametrize(
    "body",
    [
        "{",
        "[]",
        '{"date": "2026-02-30", "value": "1"}',
        '{"date": "today", "value": "1"}',
        '{"value": "1"}',
        '{"date": "2026-01-01", "value": "³"}',
        '{"date": "2026-01-01", "value": "1e400"}',
    ],
)
def test_a_malformed_measurement_is_refused_in_json(client, hub_and_editor, body):
    hub, editor = hub_and_editor
    indicator = make_indicator(hub, editor)
    response = client.post(
        f"/api/v1/indicators/{indicator.pk}/measurements", body, JSON, **bearer(editor)
    )
    assert response.status_code in (400, 422)
    assert response["Content-Type"].startswith("application/json")
    assert not Measurement.objects.exists()


@pytest.mark.parametrize("query", ["page=-1", f"page={10**20}", "page=abc", "status=<b>x</b>"])
def test_the_dashboard_survives_odd_queries(client, secretariat, query):
    client.force_login(secretariat)
    response = client.get(f"{reverse('monitoring:dashboard')}?{query}")
    assert response.status_code == 200
    assert "<b>x</b>" not in response.content.decode()
