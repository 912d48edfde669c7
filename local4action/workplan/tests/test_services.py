"""Writes of the work plan: import, re-import, tracking, links and reminders."""

import concurrent.futures
import datetime
import io
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from local4action.accounts.tests.factories import UserFactory
from local4action.core.models import AuditEvent, Goal, Notification
from local4action.monitoring.tests.factories import make_hub
from local4action.workplan import services
from local4action.workplan.choices import Status, Tier
from local4action.workplan.models import Action, ActionUpdate, Pillar, Section, WorkPlan
from local4action.workplan.services import StaleAction

from .factories import blocking_problem, make_plan, numbered_plan, parsed_action, parsed_plan

pytestmark = pytest.mark.django_db

MODELS = (WorkPlan, Pillar, Section, Action, ActionUpdate, AuditEvent, Notification)


def counts() -> dict:
    return {model.__name__: model.objects.count() for model in MODELS}


def snapshot(action: Action) -> tuple:
    action.refresh_from_db()
    return (action.status, action.progress, action.version, action.last_update_at, action.text)


@pytest.fixture
def partner(db):
    return UserFactory(roles={"partner"})


@pytest.fixture
def owner(db):
    return UserFactory()


@pytest.fixture
def plan(secretariat):
    return make_plan(secretariat)


def action_named(plan, start: str) -> Action:
    return plan.actions.get(text_plain__startswith=start)


# Import -------------------------------------------------------------------------------------


def test_import_saves_the_outline_in_document_order(secretariat):
    parsed = parsed_plan(
        {
            "1.1": ("people", ["First", ("reinforced", "Second")]),
            "1.1.1": ["Third"],
            "1.1.1.1": [("partnership", "Fourth", "Sida")],
            "1.2": ("planet", ["Fifth"]),
            "2.1": ["Sixth"],
        }
    )

    plan = services.plan_import(
        actor=secretariat,
        parsed=parsed,
        year=2025,
        language="fr",
        title="Plan de travail 2025",
        source_name="plan.md",
    )

    assert plan.imported_by == secretariat and plan.language == "fr"
    assert list(plan.pillars.values_list("number", "title")) == [
        (1, "Implementation"),
        (2, "Advocacy and policy"),
    ]
    assert [s.number for s in plan.sections.order_by("position")] == [
        "1.1",
        "1.1.1",
        "1.1.1.1",
        "1.2",
        "2.1",
    ]
    placed = [
        (s.depth, s.parent and s.parent.number, s.pillar.number, s.axis)
        for s in plan.sections.order_by("position")
    ]
    assert placed == [
        (2, None, 1, "people"),
        (3, "1.1", 1, ""),
        (4, "1.1.1", 1, ""),
        (2, None, 1, "planet"),
        (2, None, 2, ""),
    ]
    actions = list(plan.actions.order_by("position"))
    assert [a.text_plain for a in actions] == [
        "First",
        "Second",
        "Third",
        "Fourth",
        "Fifth",
        "Sixth",
    ]
    assert [a.position for a in actions] == [0, 1, 2, 3, 4, 5]
    assert [a.section.number for a in actions] == ["1.1", "1.1", "1.1.1", "1.1.1.1", "1.2", "2.1"]
    assert [a.tier for a in actions][:4] == [
        Tier.CORE,
        Tier.REINFORCED,
        Tier.CORE,
        Tier.PARTNERSHIP,
    ]
    assert actions[3].partner_name == "Sida"
    assert all(a.status == Status.NOT_STARTED and a.progress == 0 for a in actions)
    audit = AuditEvent.objects.get(action="workplan.import")
    assert audit.actor == secretariat and audit.object_id == str(plan.pk)
    assert audit.changes["actions"] == 6 and audit.changes["partnership"] == 1


def test_import_keeps_safe_html_only(secretariat):
    action = parsed_action("Bold")
    action.text_html = "<strong>Bold</strong><script>alert(1)</script>"
    parsed = parsed_plan({"1.1": [action]})

    plan = make_plan(secretariat, parsed)

    assert plan.actions.get().text == "<strong>Bold</strong>"


def test_import_of_a_year_that_has_a_plan_is_refused_pointing_to_reimport(secretariat, plan):
    before = counts()

    with pytest.raises(ValidationError) as error:
        make_plan(secretariat, year=plan.year)

    assert "re-import" in error.value.messages[0]
    assert counts() == before


def test_import_with_blocking_problems_lists_them_and_saves_nothing(secretariat):
    parsed = parsed_plan({"1.1": ["An action"]}, problems=[blocking_problem(line=7)])
    before = counts()

    with pytest.raises(ValidationError) as error:
        make_plan(secretariat, parsed)

    assert error.value.messages == ["Line 7: Pillar 3 appears twice."]
    assert counts() == before


@pytest.mark.parametrize(
    "sections",
    [
        {"1.1": [("partnership", "Without a partner", "")]},
        {"1.1": ["An action"], "1.2": ["Another"], "1.2.1": ["Third"], "1.2.1 ": []},
        {"1.1": [("unknown", "An action")]},
        {"1.1": ["   "]},
    ],
)
def test_import_refuses_what_the_database_would_refuse_without_an_error_500(secretariat, sections):
    parsed = parsed_plan(sections)
    if "1.2.1 " in sections:  # the same section number twice
        parsed.pillars[0].sections[-1].children[-1].number = "1.2.1"

    with pytest.raises(ValidationError) as error:
        make_plan(secretariat, parsed)

    assert error.value.messages and all(m.startswith("Line ") for m in error.value.messages)
    assert WorkPlan.objects.count() == 0 and Action.objects.count() == 0


def test_import_refuses_two_pillars_with_the_same_number(secretariat):
    parsed = parsed_plan({"3.1": ["One"], "4.1": ["Two"]})
    parsed.pillars[1].number = 3

    with pytest.raises(ValidationError, match="Pillar 3 appears more than once"):
        make_plan(secretariat, parsed)

    assert WorkPlan.objects.count() == 0


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"year": 1999}, "between 2000 and 2100"),
        ({"year": "next"}, "Give the year"),
        ({"title": ""}, "Give the work plan a title"),
        ({"language": "de"}, "Choose the language"),
    ],
)
def test_import_refuses_bad_form_values(secretariat, fields, message):
    parsed = parsed_plan({"1.1": ["One"]}, title="")

    with pytest.raises(ValidationError, match=message):
        make_plan(secretariat, parsed, **fields)

    assert WorkPlan.objects.count() == 0


def test_import_takes_the_document_title_when_none_is_given(secretariat):
    plan = make_plan(secretariat, parsed_plan({"1.1": ["One"]}, title="Plan 2025"), title="")

    assert plan.title == "Plan 2025"


@pytest.mark.parametrize("role", ["anonymous", "member", "partner"])
def test_only_the_secretariat_imports(role, partner, user):
    from django.contrib.auth.models import AnonymousUser

    actor = {"anonymous": AnonymousUser(), "member": user, "partner": partner}[role]

    with pytest.raises(PermissionDenied):
        make_plan(actor)

    assert WorkPlan.objects.count() == 0
    assert not AuditEvent.objects.filter(action__startswith="workplan").exists()


def test_import_of_400_actions_takes_a_fixed_number_of_queries(secretariat):
    parsed = numbered_plan(400)

    with CaptureQueriesContext(connection) as queries:
        plan = make_plan(secretariat, parsed)

    assert plan.actions.count() == 400
    assert list(plan.actions.order_by("position").values_list("position", flat=True)) == list(
        range(400)
    )
    assert len(queries) < 20


# Re-import ----------------------------------------------------------------------------------


def revised(**changes) -> dict:
    """The outline of make_plan, with some sections replaced."""
    sections = {
        "1.1": [
            "Establishment of the Local4Action HUBs",
            ("reinforced", "Accompany ten new HUBs"),
        ],
        "1.1.1": [("partnership", "Train HUB coordinators", "Sida")],
        "2.1": ["Launch the advocacy campaign", "Publish the annual report"],
    }
    sections.update(changes)
    return {number: items for number, items in sections.items() if items is not None}


def test_reimport_keeps_updates_links_and_owner_of_unchanged_and_slightly_edited_actions(
    secretariat, plan, owner
):
    hubs = action_named(plan, "Establishment")
    campaign = action_named(plan, "Launch")
    initiative, _editor = make_hub()
    services.action_set_links(
        actor=secretariat,
        action=hubs,
        initiatives=[initiative],
        owner=owner,
        sdgs=[Goal.objects.get(number=11)],
    )
    services.action_update(
        actor=owner, action=hubs, status=Status.ON_TRACK, progress=40, note="Half"
    )
    services.action_update(actor=secretariat, action=campaign, status=Status.AT_RISK, progress=10)
    parsed = parsed_plan(
        revised(
            **{
                "1.1": None,
                "1.1.1": None,
                # Moved to a new section, reworded slightly, now reinforced.
                "2.1": ["Launch the advocacy campaigns", "Publish the annual report"],
                "2.2": [("reinforced", "Establishment of the Local4Action HUBs.")],
                "3.1": ["Measure the results of the strategy"],
            }
        )
    )

    result = services.plan_reimport(
        actor=secretariat, plan=plan, parsed=parsed, source_name="v2.md"
    )

    assert result == {"kept": 3, "added": 1, "removed": 2}
    hubs.refresh_from_db()
    assert hubs.text_plain == "Establishment of the Local4Action HUBs."
    assert (hubs.section.number, hubs.position, hubs.tier) == ("2.2", 2, Tier.REINFORCED)
    assert (hubs.status, hubs.progress, hubs.owner) == (Status.ON_TRACK, 40, owner)
    assert list(hubs.initiatives.all()) == [initiative]
    assert list(hubs.sdgs.values_list("number", flat=True)) == [11]
    assert hubs.updates.get().note == "Half"
    campaign.refresh_from_db()
    assert (campaign.text_plain, campaign.status, campaign.position) == (
        "Launch the advocacy campaigns",
        Status.AT_RISK,
        0,
    )
    added = action_named(plan, "Measure")
    assert (added.status, added.section.number, added.position) == (Status.NOT_STARTED, "3.1", 3)
    assert set(plan.sections.values_list("number", flat=True)) == {"2.1", "2.2", "3.1"}
    assert set(plan.pillars.values_list("number", flat=True)) == {2, 3}
    plan.refresh_from_db()
    assert plan.source_name == "v2.md"
    audit = AuditEvent.objects.get(action="workplan.reimport")
    assert audit.changes["kept"] == 3 and audit.changes["edited"] == 2
    assert sorted(audit.changes["removed_actions"]) == [
        "Accompany ten new HUBs",
        "Train HUB coordinators",
    ]


def test_reimport_updates_sections_by_number_and_keeps_their_rows(secretariat, plan):
    section = plan.sections.get(number="1.1.1")
    parsed = parsed_plan(revised())
    parsed.pillars[0].sections[0].children[0].title = "Coordinators"
    parsed.pillars[0].sections[0].children[0].axis = "government"

    services.plan_reimport(actor=secretariat, plan=plan, parsed=parsed, source_name="v2.md")

    section.refresh_from_db()
    assert (section.title, section.axis, section.parent.number) == (
        "Coordinators",
        "government",
        "1.1",
    )


def test_reimport_under_a_new_parent_section(secretariat, plan):
    """1.1.1 stays while 1.1 goes: it hangs under the new 1.2 given in the revised outline."""
    parsed = parsed_plan(revised(**{"1.1": None, "1.2": ["New parent"]}))
    parsed.pillars[0].sections = [parsed.pillars[0].sections[-1]]
    parsed.pillars[0].sections[0].children.append(parsed_plan(revised()).all_sections()[1])
    kept = action_named(plan, "Train")

    services.plan_reimport(actor=secretariat, plan=plan, parsed=parsed, source_name="v2.md")

    section = Section.objects.get(plan=plan, number="1.1.1")
    assert section.parent.number == "1.2"
    assert not plan.sections.filter(number="1.1").exists()
    assert Action.objects.get(pk=kept.pk).section == section


def test_an_action_rewritten_beyond_the_threshold_is_removed_and_added(secretariat, plan):
    old = action_named(plan, "Publish")
    parsed = parsed_plan(
        revised(**{"2.1": ["Launch the advocacy campaign", "Write a report for donors"]})
    )

    preview = services.reimport_preview(plan=plan, parsed=parsed)
    result = services.plan_reimport(actor=secretariat, plan=plan, parsed=parsed, source_name="")

    assert [a.text_plain for a in preview["added"]] == ["Write a report for donors"]
    assert preview["removed"] == [old]
    assert result == {"kept": 4, "added": 1, "removed": 1}
    assert not Action.objects.filter(pk=old.pk).exists()


def test_each_old_action_is_matched_at_most_once_best_first(secretariat):
    plan = make_plan(secretariat, parsed_plan({"1.1": ["Organize the regional forum in Africa"]}))
    old = plan.actions.get()
    parsed = parsed_plan(
        {
            "1.1": [
                "Organize the regional forums for Africa",  # 92%, comes first
                "Organize the regional forum in Africa.",  # 98%: the better match wins
            ]
        }
    )

    preview = services.reimport_preview(plan=plan, parsed=parsed)

    assert [(a, p.text_plain, score) for a, p, score in preview["kept"]] == [
        (old, "Organize the regional forum in Africa.", 98)
    ]
    assert [p.text_plain for p in preview["added"]] == ["Organize the regional forums for Africa"]
    assert preview["removed"] == []


def test_identical_texts_match_before_similar_ones(secretariat):
    plan = make_plan(
        secretariat,
        parsed_plan({"1.1": ["Publish the annual report", "Publish the annual reports"]}),
    )
    first, second = plan.actions.order_by("position")
    # Case and spaces do not count: both are identical to one old action each.
    parsed = parsed_plan({"1.1": ["publish the  ANNUAL reports", "Publish the annual report"]})

    preview = services.reimport_preview(plan=plan, parsed=parsed)

    assert [(a, score) for a, _p, score in preview["kept"]] == [(second, 100), (first, 100)]


def test_normalized_text_keeps_accents():
    assert services._normalized("  Élaborer   la STRATÉGIE\n") == "élaborer la stratégie"


def test_reimport_preview_saves_nothing(secretariat, plan):
    before = counts()

    services.reimport_preview(plan=plan, parsed=parsed_plan({"1.1": ["Something else"]}))

    assert counts() == before


@pytest.mark.parametrize("role", ["owner", "partner"])
def test_only_the_secretariat_reimports(role, plan, owner, partner):
    actor = {"owner": owner, "partner": partner}[role]
    plan.actions.update(owner=owner)
    before = counts()

    with pytest.raises(PermissionDenied):
        services.plan_reimport(
            actor=actor, plan=plan, parsed=parsed_plan({"1.1": ["Other"]}), source_name=""
        )

    assert counts() == before


def test_reimport_with_blocking_problems_changes_nothing(secretariat, plan):
    before = counts()
    texts = sorted(plan.actions.values_list("text_plain", flat=True))

    with pytest.raises(ValidationError):
        services.plan_reimport(
            actor=secretariat,
            plan=plan,
            parsed=parsed_plan({"1.1": ["Other"]}, problems=[blocking_problem()]),
            source_name="",
        )

    assert counts() == before
    assert sorted(plan.actions.values_list("text_plain", flat=True)) == texts


def test_a_re_import_of_400_slightly_edited_actions_keeps_them_all(secretariat):
    """Speed is measured in bench/workplan.py, not here."""
    plan = make_plan(secretariat, numbered_plan(400))
    parsed = numbered_plan(400, prefix="Step")

    result = services.plan_reimport(actor=secretariat, plan=plan, parsed=parsed, source_name="")

    assert result == {"kept": 400, "added": 0, "removed": 0}


# Tracking -----------------------------------------------------------------------------------


def test_the_owner_records_a_dated_update(plan, owner):
    action = action_named(plan, "Launch")
    action.owner = owner
    action.save()

    updated = services.action_update(
        actor=owner, action=action, status=Status.ON_TRACK, progress=30, note="Kick-off held"
    )

    assert (updated.status, updated.progress, updated.version) == (Status.ON_TRACK, 30, 2)
    assert updated.last_update_at is not None
    entry = updated.updates.get()
    assert (entry.author, entry.status, entry.progress, entry.note) == (
        owner,
        Status.ON_TRACK,
        30,
        "Kick-off held",
    )
    audit = AuditEvent.objects.get(action="workplan.action.update")
    assert audit.changes == {"status": ["not_started", "on_track"], "progress": [0, 30]}
    assert audit.reason == "Kick-off held"


def test_a_stale_version_is_refused_and_changes_nothing(secretariat, plan):
    action = action_named(plan, "Launch")
    services.action_update(actor=secretariat, action=action, status=Status.ON_TRACK, progress=20)
    before = snapshot(action)

    with pytest.raises(StaleAction) as error:
        services.action_update(
            actor=secretariat,
            action=action,
            status=Status.DELAYED,
            progress=5,
            expected_version=1,
        )

    assert error.value.action.pk == action.pk
    assert "changed by someone else" in str(error.value)
    assert snapshot(action) == before
    assert action.updates.count() == 1


@pytest.mark.parametrize("progress", [-1, 101, "many", None, True])
def test_progress_outside_0_to_100_is_refused(secretariat, plan, progress):
    action = action_named(plan, "Launch")
    before = snapshot(action)

    with pytest.raises(ValidationError, match="whole number between 0 and 100"):
        services.action_update(
            actor=secretariat, action=action, status=Status.ON_TRACK, progress=progress
        )

    assert snapshot(action) == before and not action.updates.exists()


def test_an_unknown_status_is_refused(secretariat, plan):
    action = action_named(plan, "Launch")

    with pytest.raises(ValidationError, match="Choose a status"):
        services.action_update(actor=secretariat, action=action, status="finished", progress=1)


def test_done_with_progress_untouched_completes_the_action(secretariat, plan):
    action = action_named(plan, "Launch")
    services.action_update(actor=secretariat, action=action, status=Status.ON_TRACK, progress=60)

    done = services.action_update(actor=secretariat, action=action, status=Status.DONE, progress=60)

    assert (done.status, done.progress) == (Status.DONE, 100)
    assert done.updates.first().progress == 100


def test_done_with_a_lower_progress_typed_in_is_refused(secretariat, plan):
    action = action_named(plan, "Launch")
    before = snapshot(action)

    with pytest.raises(ValidationError, match="set its progress to 100%"):
        services.action_update(actor=secretariat, action=action, status=Status.DONE, progress=70)

    assert snapshot(action) == before


def test_a_note_too_long_is_refused(secretariat, plan):
    with pytest.raises(ValidationError, match="under 500 characters"):
        services.action_update(
            actor=secretariat,
            action=action_named(plan, "Launch"),
            status=Status.ON_TRACK,
            progress=10,
            note="x" * 501,
        )


@pytest.mark.parametrize("role", ["other", "partner", "anonymous"])
def test_others_may_not_update_an_action(role, plan, owner, other_user, partner):
    from django.contrib.auth.models import AnonymousUser

    action = action_named(plan, "Launch")
    action.owner = owner
    action.save()
    actor = {"other": other_user, "partner": partner, "anonymous": AnonymousUser()}[role]
    before = snapshot(action)

    with pytest.raises(PermissionDenied):
        services.action_update(actor=actor, action=action, status=Status.DONE, progress=100)

    assert snapshot(action) == before and not action.updates.exists()


def bulk_rows(plan, **by_start) -> list[dict]:
    rows = []
    for start, (status, progress) in by_start.items():
        action = action_named(plan, start)
        rows.append(
            {"id": action.pk, "status": status, "progress": progress, "version": action.version}
        )
    return rows


def test_bulk_update_applies_every_changed_row(secretariat, plan):
    rows = bulk_rows(
        plan,
        Launch=(Status.ON_TRACK, 50),
        Publish=(Status.DONE, 100),
        Train=(Status.NOT_STARTED, 0),  # unchanged: skipped
    )

    updated = services.actions_bulk_update(actor=secretariat, changes=rows, note="Quarter")

    assert sorted(a.text_plain for a in updated) == [
        "Launch the advocacy campaign",
        "Publish the annual report",
    ]
    assert action_named(plan, "Publish").status == Status.DONE
    assert action_named(plan, "Launch").version == 2
    assert action_named(plan, "Train").version == 1
    assert ActionUpdate.objects.filter(note="Quarter").count() == 2
    assert AuditEvent.objects.filter(action="workplan.action.update").count() == 2


def test_bulk_update_is_all_or_nothing_when_a_row_is_invalid(secretariat, plan):
    rows = bulk_rows(plan, Launch=(Status.ON_TRACK, 50), Publish=(Status.DONE, 70))
    before = counts()

    with pytest.raises(ValidationError) as error:
        services.actions_bulk_update(actor=secretariat, changes=rows)

    assert error.value.messages[0].startswith("Publish the annual report:")
    assert counts() == before
    assert action_named(plan, "Launch").status == Status.NOT_STARTED


def test_bulk_update_is_all_or_nothing_when_a_row_is_stale(secretariat, plan):
    rows = bulk_rows(plan, Launch=(Status.ON_TRACK, 50), Publish=(Status.ON_TRACK, 20))
    services.action_update(
        actor=secretariat, action=action_named(plan, "Publish"), status=Status.DELAYED, progress=5
    )
    before = counts()

    with pytest.raises(StaleAction) as error:
        services.actions_bulk_update(actor=secretariat, changes=rows)

    assert error.value.action.text_plain == "Publish the annual report"
    assert counts() == before
    assert action_named(plan, "Launch").status == Status.NOT_STARTED


@pytest.mark.parametrize(
    "rows",
    [[{"status": "done"}], [{"id": 0, "status": "done", "progress": 100}]],
)
def test_bulk_update_refuses_rows_without_an_existing_action(secretariat, plan, rows):
    with pytest.raises(ValidationError):
        services.actions_bulk_update(actor=secretariat, changes=rows)


def test_bulk_update_refuses_the_same_action_twice(secretariat, plan):
    rows = bulk_rows(plan, Launch=(Status.ON_TRACK, 50)) * 2

    with pytest.raises(ValidationError, match="twice"):
        services.actions_bulk_update(actor=secretariat, changes=rows)


def test_owners_may_not_bulk_update(plan, owner):
    plan.actions.update(owner=owner)
    rows = bulk_rows(plan, Launch=(Status.ON_TRACK, 50))

    with pytest.raises(PermissionDenied):
        services.actions_bulk_update(actor=owner, changes=rows)

    assert not ActionUpdate.objects.exists()


# Links --------------------------------------------------------------------------------------


def test_the_secretariat_sets_links_and_owner(secretariat, plan, owner, organization):
    action = action_named(plan, "Establishment")
    initiative, _editor = make_hub()
    due = datetime.date(2025, 12, 31)

    services.action_set_links(
        actor=secretariat,
        action=action,
        initiatives=[initiative],
        partners=[organization],
        sdgs=Goal.objects.filter(number__in=[11, 17]),
        owner=owner,
        owner_team="Programmes",
        due_date=due,
    )

    action.refresh_from_db()
    assert (action.owner, action.owner_team, action.due_date) == (owner, "Programmes", due)
    assert list(initiative.workplan_actions.all()) == [action]
    assert list(action.partners.all()) == [organization]
    audit = AuditEvent.objects.get(action="workplan.action.links")
    assert audit.changes["initiatives"] == [[], [initiative.pk]]
    assert audit.changes["sdgs"][1] == sorted(
        Goal.objects.filter(number__in=[11, 17]).values_list("pk", flat=True)
    )


def test_a_closed_account_cannot_own_an_action(secretariat, plan, owner):
    owner.is_active = False
    owner.save()

    with pytest.raises(ValidationError, match="closed"):
        services.action_set_links(
            actor=secretariat, action=action_named(plan, "Launch"), owner=owner
        )


def test_owners_may_not_set_links(plan, owner):
    action = action_named(plan, "Launch")
    action.owner = owner
    action.save()
    initiative, _editor = make_hub()

    with pytest.raises(PermissionDenied):
        services.action_set_links(actor=owner, action=action, initiatives=[initiative])

    assert not action.initiatives.exists()


# Reminders ----------------------------------------------------------------------------------

NOW = timezone.now()


def days_ago(days: int) -> datetime.datetime:
    return NOW - datetime.timedelta(days=days)


@pytest.fixture
def owned(plan, owner):
    """Every action of the plan owned by `owner`, created 100 days ago, never updated."""
    plan.actions.update(owner=owner, created_at=days_ago(100))
    return plan


def reminders() -> list[Notification]:
    return list(Notification.objects.filter(kind="workplan_reminder"))


def test_owners_are_reminded_once_of_all_their_stale_actions(owned, owner):
    assert services.remind_stale_owners(now=NOW) == 1
    assert services.remind_stale_owners(now=NOW) == 0
    assert services.remind_stale_owners(now=NOW + datetime.timedelta(days=1)) == 0

    (reminder,) = reminders()
    assert reminder.recipient == owner
    assert reminder.context["count"] == 5 and len(reminder.context["actions"]) == 5
    assert reminder.url == owned.get_absolute_url()
    assert AuditEvent.objects.filter(action=services.REMINDER_AUDIT).count() == 5


def test_a_reminder_comes_again_after_another_period_without_update(owned):
    services.remind_stale_owners(now=NOW)

    assert services.remind_stale_owners(now=NOW + datetime.timedelta(days=89)) == 0
    assert services.remind_stale_owners(now=NOW + datetime.timedelta(days=91)) == 1
    assert len(reminders()) == 2


def test_recently_updated_closed_and_new_actions_are_not_reminded(owned, owner, secretariat):
    launch, publish, train = (action_named(owned, s) for s in ("Launch", "Publish", "Train"))
    Action.objects.filter(pk=launch.pk).update(last_update_at=days_ago(10))
    Action.objects.filter(pk=publish.pk).update(status=Status.DONE, progress=100)
    Action.objects.filter(pk=train.pk).update(status=Status.DROPPED)
    Action.objects.filter(text_plain__startswith="Accompany").update(created_at=days_ago(5))
    stale = action_named(owned, "Establishment")
    Action.objects.filter(pk=stale.pk).update(last_update_at=days_ago(95), created_at=days_ago(400))

    assert services.remind_stale_owners(now=NOW) == 1

    (reminder,) = reminders()
    assert reminder.context["actions"] == ["Establishment of the Local4Action HUBs"]
    assert reminder.url == stale.get_absolute_url()


def test_actions_without_owner_or_with_a_closed_account_are_not_reminded(owned, owner):
    owner.is_active = False
    owner.save()
    owned.actions.filter(text_plain__startswith="Launch").update(owner=None)

    assert services.remind_stale_owners(now=NOW) == 0


def test_the_command_and_the_task_remind_once(owned, owner):
    owned.actions.update(created_at=timezone.now() - datetime.timedelta(days=200))
    out = io.StringIO()

    call_command("remind_workplan_owners", stdout=out)
    from local4action.workplan.tasks import remind_workplan_owners

    result = remind_workplan_owners.enqueue()

    assert out.getvalue().strip() == "1 owner(s) reminded."
    assert result.return_value == 0
    assert len(reminders()) == 1


def test_the_reminder_reads_well(owned, owner):
    from local4action.core.selectors import notification_render

    services.remind_stale_owners(now=NOW)

    subject, body = notification_render(notification=reminders()[0])
    assert subject == "Work plan: 5 of your actions have had no update for 90 days"
    assert "- Establishment of the Local4Action HUBs" in body


# Concurrency --------------------------------------------------------------------------------


def _at_once(function, times: int) -> list:
    """Run `function` in `times` threads released together; results or the exceptions raised."""
    barrier = threading.Barrier(times)

    def run():
        try:
            barrier.wait(timeout=30)
            return function()
        except Exception as error:  # noqa: BLE001 - returned for the test to look at
            return error
        finally:
            connection.close()

    with concurrent.futures.ThreadPoolExecutor(max_workers=times) as pool:
        return [future.result() for future in [pool.submit(run) for _ in range(times)]]


@pytest.mark.django_db(transaction=True)
def test_two_people_saving_the_same_version_at_once_one_wins():
    secretariat = UserFactory(roles={"secretariat"})
    action = action_named(make_plan(secretariat), "Launch")

    results = _at_once(
        lambda: services.action_update(
            actor=secretariat,
            action=action,
            status=Status.ON_TRACK,
            progress=50,
            expected_version=1,
        ),
        6,
    )

    assert sum(isinstance(r, Action) for r in results) == 1
    assert sum(isinstance(r, StaleAction) for r in results) == 5
    action.refresh_from_db()
    assert action.version == 2 and action.updates.count() == 1


@pytest.mark.django_db(transaction=True)
def test_reminders_run_twice_at_once_send_once():
    secretariat = UserFactory(roles={"secretariat"})
    plan = make_plan(secretariat)
    plan.actions.update(owner=secretariat, created_at=days_ago(100))

    results = _at_once(lambda: services.remind_stale_owners(now=NOW), 4)

    assert sorted(results) == [0, 0, 0, 1]
    assert len(reminders()) == 1
