"""The team's monitoring pages: who sees and edits what, and what bad input does."""

import datetime
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from local4action.accounts.tests.factories import UserFactory
from local4action.core.models import AuditEvent
from local4action.core.testing import assert_queries_constant
from local4action.monitoring import services
from local4action.monitoring.models import Deliverable, Indicator, Measurement, ProgressReport
from local4action.monitoring.tests.factories import make_hub, make_indicator


def test_team_adds_an_indicator_through_the_form(client, hub_and_editor):
    hub, editor = hub_and_editor
    client.force_login(editor)
    response = client.post(
        reverse("monitoring:indicator_add", args=[hub.slug]),
        {
            "name": "Households with separate collection",
            "unit": "%",
            "direction": "higher",
            "baseline_value": "12",
            "baseline_date": hub.start_date.isoformat(),
            "target_value": "60",
            "target_date": hub.end_date.isoformat(),
            "sdg_code": "11.6.1",
            "keys": "District, district ,  sex",
        },
    )
    assert response.status_code == 302
    indicator = Indicator.objects.get()
    assert indicator.sdg_indicator.code == "11.6.1"
    assert indicator.disaggregation_keys == ["district", "sex"]


def test_target_equal_to_baseline_is_refused_clearly(client, hub_and_editor):
    hub, editor = hub_and_editor
    client.force_login(editor)
    response = client.post(
        reverse("monitoring:indicator_add", args=[hub.slug]),
        {
            "name": "Flat",
            "unit": "%",
            "direction": "higher",
            "baseline_value": "10",
            "baseline_date": hub.start_date.isoformat(),
            "target_value": "10",
            "target_date": hub.end_date.isoformat(),
        },
    )
    assert response.status_code == 200
    assert "The target must differ from the baseline" in response.content.decode()
    assert not Indicator.objects.exists()


def test_measurement_with_text_or_early_date_changes_nothing(client, hub_and_editor):
    hub, editor = hub_and_editor
    indicator = make_indicator(hub, editor)
    client.force_login(editor)
    url = reverse("monitoring:measurement_add", args=[indicator.pk])
    text = client.post(url, {"date": timezone.localdate().isoformat(), "value": "twelve"})
    assert "Enter a number." in text.content.decode()
    early = client.post(
        url, {"date": (hub.start_date - datetime.timedelta(days=3)).isoformat(), "value": "3"}
    )
    assert "The date is before the baseline date" in early.content.decode()
    assert not Measurement.objects.exists()
    ok = client.post(
        url, {"date": timezone.localdate().isoformat(), "value": "40,5"}, HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert ok.status_code == 302
    indicator.refresh_from_db()
    assert indicator.latest_value == Decimal("40.5")


def test_outsiders_cannot_see_or_change_monitoring(client, hub_and_editor):
    hub, editor = hub_and_editor
    indicator = make_indicator(hub, editor)
    client.force_login(UserFactory())
    assert client.get(reverse("monitoring:initiative", args=[hub.slug])).status_code == 404
    response = client.post(
        reverse("monitoring:measurement_add", args=[indicator.pk]),
        {"date": timezone.localdate().isoformat(), "value": "5"},
    )
    assert response.status_code == 404
    assert not Measurement.objects.exists()


def test_partners_and_staff_see_but_do_not_edit_team_data(client, hub_and_editor, secretariat):
    hub, editor = hub_and_editor
    indicator = make_indicator(hub, editor)
    partner = UserFactory(roles={"partner"})
    for person in (partner, secretariat):
        client.force_login(person)
        page = client.get(reverse("monitoring:initiative", args=[hub.slug]))
        assert page.status_code == 200
        assert "Add an indicator" not in page.content.decode()
        refused = client.post(
            reverse("monitoring:measurement_add", args=[indicator.pk]),
            {"date": timezone.localdate().isoformat(), "value": "5"},
        )
        assert refused.status_code == 403
    assert not Measurement.objects.exists()


def test_deliverable_state_is_derived_not_typed(client, hub_and_editor):
    hub, editor = hub_and_editor
    client.force_login(editor)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = client.post(
        reverse("monitoring:deliverable_add", args=[hub.slug]),
        {
            "title": "Guide for other municipalities",
            "due_date": yesterday.isoformat(),
            "status": "late",
        },
    )
    assert response.status_code == 200  # "late" is not a status anyone can type
    assert not Deliverable.objects.exists()
    client.post(
        reverse("monitoring:deliverable_add", args=[hub.slug]),
        {
            "title": "Guide for other municipalities",
            "due_date": yesterday.isoformat(),
            "status": "in_progress",
        },
    )
    page = client.get(reverse("monitoring:initiative", args=[hub.slug])).content.decode()
    assert "Late" in page and "1 deliverable is late." in page


def test_report_is_saved_then_submitted_once_and_acknowledged(client, hub_and_editor, secretariat):
    hub, editor = hub_and_editor
    services.plan_set(
        actor=secretariat,
        initiative=hub,
        report_every_months=6,
        first_report_due=timezone.localdate() + datetime.timedelta(days=10),
    )
    report = ProgressReport.objects.order_by("due_date").first()
    client.force_login(editor)
    url = report.get_absolute_url()
    refused = client.post(
        url, {"narrative": "Ten trainings held.", "version": report.version, "submit": "1"}
    )
    assert "Fill in before submitting" in refused.content.decode()
    report.refresh_from_db()
    assert report.status == "draft" and report.narrative == "Ten trainings held."
    client.post(
        url,
        {
            "narrative": "Ten trainings held.",
            "acceleration": "Faster budgets.",
            "synchronization": "Built on Bilbao's forums.",
            "version": report.version,
            "submit": "1",
        },
    )
    report.refresh_from_db()
    assert report.status == "submitted"
    again = client.post(url, {"narrative": "Changed", "version": report.version, "submit": "1"})
    assert again.status_code == 403
    client.force_login(secretariat)
    client.post(
        reverse("monitoring:report_acknowledge", args=[report.pk]),
        {"feedback": "Clear and useful."},
    )
    report.refresh_from_db()
    assert (report.status, report.feedback) == ("acknowledged", "Clear and useful.")
    assert AuditEvent.objects.filter(action="report.acknowledge").count() == 1


def test_monitoring_page_query_count_does_not_grow(client, secretariat):
    hub, editor = make_hub()

    def add(n):
        for i in range(n):
            indicator = make_indicator(hub, editor, name=f"Indicator {Indicator.objects.count()}")
            services.measurement_add(
                actor=editor, indicator=indicator, value=Decimal(i), date=timezone.localdate()
            )
            services.deliverable_save(
                actor=editor,
                initiative=hub,
                data={"title": f"Deliverable {i}", "due_date": timezone.localdate()},
            )

    client.force_login(secretariat)
    assert_queries_constant(client, reverse("monitoring:initiative", args=[hub.slug]), add, rows=4)
