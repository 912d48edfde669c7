"""The demo work plan (`manage.py seed_demo`): imported through the importer from the fixture,
tracked realistically, linked to the demo's HUBs, events and surveys, idempotent."""

import datetime
import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.utils import timezone

from local4action.accounts.tests.factories import UserFactory
from local4action.core.models import AuditEvent, Notification
from local4action.initiatives.choices import InitiativeStatus
from local4action.monitoring.demo import demo_initiatives
from local4action.workplan import demo, importer, selectors, services
from local4action.workplan.choices import Status
from local4action.workplan.models import Action, ActionUpdate, Pillar, Section, WorkPlan

MODELS = (WorkPlan, Pillar, Section, Action, ActionUpdate, AuditEvent, Notification)


def counts() -> dict:
    return {model.__name__: model.objects.count() for model in MODELS}


def parsed_counts() -> dict:
    return importer.read_document(demo.DOCUMENT.name, demo.DOCUMENT.read_bytes()).counts()


@pytest.fixture
def staff(db):
    return [UserFactory(email=email, roles={"secretariat"}) for email in demo.OWNERS]


def test_the_demo_plan_is_the_fixture_document_followed_through_the_year(staff):
    plan = demo.seed_plan()

    expected = parsed_counts()
    assert plan.year == 2025 and plan.source_name == "demo_2025.md"
    assert plan.pillars.count() == expected["pillars"] == 5
    assert plan.sections.count() == expected["sections"]
    assert plan.actions.count() == expected["actions"]
    assert AuditEvent.objects.filter(action="workplan.import").count() == 1
    actions = list(plan.actions.order_by("position"))
    assert set(Counter(a.status for a in actions)) == set(Status.values)
    assert all(a.progress == 100 for a in actions if a.status == Status.DONE)
    assert {a.owner for a in actions} == set(staff)
    assert all(a.owner_team and a.due_date.year == 2025 for a in actions)


def test_every_action_log_ends_where_the_action_stands(staff):
    plan = demo.seed_plan()
    now = timezone.now()

    for action in plan.actions.prefetch_related("updates"):
        updates = list(action.updates.all())  # newest first
        assert action.version == 1 + len(updates)
        if not updates:
            assert action.status == Status.NOT_STARTED and action.last_update_at is None
            continue
        assert (updates[0].status, updates[0].progress) == (action.status, action.progress)
        assert action.last_update_at == updates[0].created_at
        assert all(action.created_at < u.created_at <= now for u in updates)


def test_the_demo_gives_the_evaluation_and_the_reminders_something_to_show(staff):
    plan = demo.seed_plan()
    now = timezone.now()

    assert any(row["progress"] for row in selectors.progress_by_pillar(plan))
    assert selectors.actions_needing_attention(plan).exists()
    assert selectors.changes_since(plan, timezone.localdate() - datetime.timedelta(days=30))
    assert services.remind_stale_owners(now=now) >= 1
    assert services.remind_stale_owners(now=now) == 0


def test_the_same_document_gives_the_same_demo(staff):
    def state():
        return [
            (a.text_plain, a.status, a.progress, a.owner_id, a.due_date)
            for a in Action.objects.order_by("position")
        ]

    demo.seed_plan()
    first = state()
    WorkPlan.objects.all().delete()
    demo.seed_plan()

    assert state() == first


def test_seed_demo_links_the_plan_to_the_demo_world_once(db):
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    before = counts()

    call_command("seed_demo", stdout=out)

    assert counts() == before
    assert "Demo work plan 2025" in out.getvalue()
    plan = WorkPlan.objects.get(year=2025)
    hubs = {i for i in demo_initiatives().values() if i.status == InitiativeStatus.LABELLED}
    establishment = plan.actions.get(text_plain__icontains="establishment of the Local4Action HUBs")
    assert hubs and set(establishment.initiatives.all()) == hubs
    assert plan.actions.filter(events__isnull=False).distinct().count() >= 2
    assert plan.actions.filter(surveys__isnull=False).distinct().count() == 2
    assert plan.actions.filter(sdgs__isnull=False).exists()
    hub = next(iter(hubs))
    assert establishment in selectors.actions_linked_to(hub, plan.imported_by)
