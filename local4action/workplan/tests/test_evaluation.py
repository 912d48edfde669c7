"""Evaluating a work plan: the evaluation page, the printable report and the XLSX export."""

import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from local4action.accounts.tests.factories import OrganizationFactory, UserFactory
from local4action.core.models import Goal
from local4action.core.testing import assert_queries_constant
from local4action.workplan import services
from local4action.workplan.choices import Status
from local4action.workplan.models import ActionUpdate

from .factories import make_plan
from .test_views import action_named, add_actions

pytestmark = pytest.mark.django_db


@pytest.fixture
def partner(db):
    return UserFactory(roles={"partner"})


@pytest.fixture
def plan(secretariat):
    """Five actions: one on track at 60%, one delayed, one past its due date, one done."""
    plan = make_plan(secretariat)
    services.action_update(
        actor=secretariat,
        action=action_named(plan, "Launch"),
        status=Status.ON_TRACK,
        progress=60,
        note="Campaign kit ready",
    )
    services.action_update(
        actor=secretariat,
        action=action_named(plan, "Train HUB"),
        status=Status.DELAYED,
        progress=20,
        note="Trainers not hired yet",
    )
    services.action_update(
        actor=secretariat,
        action=action_named(plan, "Publish"),
        status=Status.DONE,
        progress=100,
    )
    overdue = action_named(plan, "Accompany")
    services.action_set_links(
        actor=secretariat,
        action=overdue,
        due_date=datetime.date(2020, 6, 30),
        sdgs=Goal.objects.filter(number=11),
        partners=[OrganizationFactory(name="City of Kisumu")],
    )
    return plan


def url(name, plan):
    return reverse(f"workplan:{name}", args=[plan.year])


def table(html: str, element_id: str) -> list[list[str]]:
    body = re.search(rf'id="{element_id}".*?<tbody>(.*?)</tbody>', html, re.S).group(1)
    return [
        [
            re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]


def test_who_may_see_the_evaluation(client, plan, user):
    for name in ("evaluation", "report", "export"):
        response = client.get(url(name, plan))
        assert response.status_code == 302 and "/login/" in response["Location"]
    client.force_login(user)
    for name in ("evaluation", "report", "export"):
        assert client.get(url(name, plan)).status_code == 403


def test_the_evaluation_shows_progress_statuses_partners_sdgs_and_attention(client, plan, partner):
    client.force_login(partner)
    html = client.get(url("evaluation", plan)).content.decode()
    # Pillar 1: three actions at 0, 20 and 0 → 7%; pillar 2: 60 and 100 → 80%.
    pillars = re.findall(r'id="pillar-bar-(\d)".*?class="pillar-progress">(\d+)%', html, re.S)
    assert pillars == [("1", "7"), ("2", "80")]
    assert dict((row[0], row[1]) for row in table(html, "status-table")) == {
        "Not started": "2",
        "On track": "1",
        "At risk": "0",
        "Delayed": "1",
        "Done": "1",
        "Dropped": "0",
    }
    # Charts carry their data; each comes with its table.
    assert html.count('data-chart="') == 4
    assert html.count("<figure") == 4 and html.count('class="data-table"') >= 3
    # One section per partner: the partnership (Sida) and the linked organization.
    assert re.search(r'<h3 id="partner-\d">City of Kisumu</h3>', html)
    assert re.search(r'<h3 id="partner-\d">Sida</h3>', html)
    assert "11. Sustainable cities and communities" in html
    attention = re.search(r'id="attention-heading".*?</section>', html, re.S).group(0)
    assert "Train HUB coordinators" in attention and "Delayed" in attention
    assert "Accompany ten new HUBs" in attention and "Past its due date" in attention
    assert "Launch the advocacy" not in attention


def test_changes_since_a_date(client, plan, partner):
    client.force_login(partner)
    old = ActionUpdate.objects.get(note="Trainers not hired yet")
    ActionUpdate.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=45)
    )
    html = client.get(url("evaluation", plan)).content.decode()
    changes = table(html, "changes-table")
    assert [row[2] for row in changes] == [
        "Publish the annual report",
        "Launch the advocacy campaign",
    ]
    assert "Campaign kit ready" in html
    html = client.get(url("evaluation", plan) + "?since=2000-01-01").content.decode()
    assert "Trainers not hired yet" in html and "3 updates recorded." in html
    html = client.get(url("evaluation", plan) + "?since=2100-01-01").content.decode()
    assert "No update has been recorded since this date." in html


@pytest.mark.parametrize("since", ["yesterday", "2025-02-30", "1500-01-01", "9" * 300])
def test_an_unreadable_date_gets_a_message(client, plan, partner, since):
    client.force_login(partner)
    response = client.get(url("evaluation", plan), {"since": since})
    assert response.status_code == 200
    html = response.content.decode()
    assert "is not a date (YYYY-MM-DD): the changes since" in html
    assert "3 updates recorded." in html  # the last 30 days


def test_the_xlsx_export_has_one_row_per_action(client, plan, partner):
    client.force_login(partner)
    response = client.get(url("export", plan))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="workplan-2025-')
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0] == (
        "Pillar",
        "Section",
        "Section title",
        "Action",
        "Tier",
        "Partnership with",
        "Owner",
        "Owner team",
        "Status",
        "Progress (%)",
        "Due date",
        "Last update",
        "Last note",
    )
    assert len(rows) == 1 + plan.actions.count()
    train = next(row for row in rows if row[3] == "Train HUB coordinators")
    assert train[:3] == ("1. Implementation", "1.1.1", "Section 1.1.1")
    assert train[4:6] == ("Reinforced through a partnership", "Sida")
    assert train[8:10] == ("Delayed", 20)
    assert isinstance(train[11], datetime.datetime)
    assert train[12] == "Trainers not hired yet"
    overdue = next(row for row in rows if row[3] == "Accompany ten new HUBs")
    assert overdue[10] == datetime.datetime(2020, 6, 30)


def test_the_printable_report_needs_no_script(client, plan, partner):
    client.force_login(partner)
    html = client.get(url("report", plan)).content.decode()
    assert "charts.js" not in html and "data-chart" not in html
    for action in plan.actions.all():
        assert action.text_plain in html
    assert "Trainers not hired yet" in html  # the last note of each action
    assert "Every action" in html


@pytest.mark.parametrize("name", ["evaluation", "report", "export"])
def test_query_counts_do_not_grow_with_the_actions(client, plan, partner, name):
    client.force_login(partner)
    assert_queries_constant(client, url(name, plan), add_actions(plan, UserFactory()))
