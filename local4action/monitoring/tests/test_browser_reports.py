"""The portfolio report in a real Chromium: the status page of a report file follows its
progress through htmx until the file is ready, and axe finds no serious problem on the page."""

import re

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from local4action.accounts.tests.factories import UserFactory
from local4action.core.testing import axe_violations, log_in
from local4action.monitoring.models import ReportExport
from local4action.monitoring.tests.test_reports import add_deliverable, add_hub, days_ago

pytestmark = pytest.mark.browser


def test_status_page_follows_the_build_until_the_file_is_ready(new_page, reference_data):
    partner = UserFactory(roles={"partner"})
    hub, editor = add_hub("Participation for all", region="africa", goals=[5])
    add_deliverable(hub, editor, "Trained teams", due=days_ago(30), delivered=days_ago(31))
    page = log_in(new_page, partner)

    page.goto(f"/monitoring/report/?date_from={days_ago(100)}&date_to={days_ago(0)}")
    assert page.get_by_role("heading", name="Participation for all").is_visible()
    assert axe_violations(page) == []

    # A worker has started on a file: the page shows how far it got, then the link.
    export = ReportExport.objects.create(
        requested_by=partner,
        params={"date_from": days_ago(100).isoformat(), "date_to": days_ago(0).isoformat()},
        format="xlsx",
        status="running",
        progress=30,
    )
    page.goto(f"/monitoring/report/exports/{export.pk}/")
    assert page.get_by_text("30 % done").is_visible()
    assert axe_violations(page) == []
    ReportExport.objects.filter(pk=export.pk).update(progress=80)
    page.get_by_text("80 % done").wait_for(timeout=5_000)
    export.file.save("report.xlsx", ContentFile(b"PK not a real workbook"), save=False)
    ReportExport.objects.filter(pk=export.pk).update(
        status="done", progress=100, file=export.file.name, finished_at=timezone.now()
    )
    link = page.get_by_role("link", name=re.compile("Download the"))
    link.wait_for(timeout=5_000)
    assert link.get_attribute("href") == f"/monitoring/report/exports/{export.pk}/download/"
