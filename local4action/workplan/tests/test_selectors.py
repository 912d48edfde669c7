"""Reads of the work plan: who sees what, the tree, and the evaluation figures."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from local4action.accounts.tests.factories import OrganizationFactory, UserFactory
from local4action.core.models import Goal
from local4action.monitoring.tests.factories import make_hub
from local4action.workplan import selectors, services
from local4action.workplan.choices import Status
from local4action.workplan.models import Action, ActionUpdate

from .factories import make_plan, numbered_plan, parsed_plan

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def partner(db):
    return UserFactory(roles={"partner"})


@pytest.fixture
def plan(secretariat):
    """1.1 (two actions) ⊃ 1.1.1 (one), 1.2 (one); 2.1 (two)."""
    return make_plan(
        secretariat,
        parsed_plan(
            {
                "1.1": ["Establish the HUBs", ("partnership", "Train coordinators", "Sida")],
                "1.1.1": [("partnership", "Fund HUB exchanges", "sida")],
                "1.2": ["Map the members"],
                "2.1": ["Launch the campaign", "Publish the report"],
                "3.1": [],
            }
        ),
    )


def set_state(plan, start: str, status: str, progress: int, **fields) -> Action:
    action = plan.actions.get(text_plain__startswith=start)
    Action.objects.filter(pk=action.pk).update(status=status, progress=progress, **fields)
    action.refresh_from_db()
    return action


# Who sees what ------------------------------------------------------------------------------


def test_plans_are_seen_by_the_secretariat_and_partners_only(plan, secretariat, partner, user):
    newer = make_plan(secretariat, parsed_plan({"1.1": ["One"]}), year=2026)

    assert list(selectors.plans_for(secretariat)) == [newer, plan]
    assert list(selectors.plans_for(partner)) == [newer, plan]
    assert list(selectors.plans_for(user)) == []
    assert list(selectors.plans_for(AnonymousUser())) == []


def test_linked_actions_are_shown_to_whom_may_see_them(plan, secretariat, partner, user):
    initiative, editor = make_hub()
    hubs = plan.actions.get(text_plain__startswith="Establish")
    mapping = plan.actions.get(text_plain__startswith="Map")
    services.action_set_links(actor=secretariat, action=hubs, initiatives=[initiative])
    services.action_set_links(
        actor=secretariat, action=mapping, initiatives=[initiative], owner=user
    )

    assert selectors.actions_linked_to(initiative, secretariat) == [hubs, mapping]
    assert selectors.actions_linked_to(initiative, partner) == [hubs, mapping]
    assert selectors.actions_linked_to(initiative, user) == [mapping]  # the owner's own
    assert selectors.actions_linked_to(initiative, editor) == []
    assert selectors.actions_linked_to(initiative, AnonymousUser()) == []


# The tree -----------------------------------------------------------------------------------


def test_plan_tree_nests_sections_with_their_actions_and_latest_update(plan, secretariat):
    action = plan.actions.get(text_plain__startswith="Establish")
    services.action_update(actor=secretariat, action=action, status=Status.ON_TRACK, progress=10)
    services.action_update(
        actor=secretariat, action=action, status=Status.AT_RISK, progress=15, note="Late"
    )

    tree = selectors.plan_tree(plan)

    assert [p["pillar"].number for p in tree] == [1, 2, 3]
    first = tree[0]["sections"]
    assert [node["section"].number for node in first] == ["1.1", "1.2"]
    assert [c["section"].number for c in first[0]["children"]] == ["1.1.1"]
    assert [a.text_plain for a in first[0]["actions"]] == [
        "Establish the HUBs",
        "Train coordinators",
    ]
    assert first[0]["actions"][0].latest_update.note == "Late"
    assert first[0]["actions"][1].latest_update is None
    assert [a.text_plain for a in first[0]["children"][0]["actions"]] == ["Fund HUB exchanges"]
    assert tree[2]["sections"][0]["actions"] == []


# Evaluation ---------------------------------------------------------------------------------


def test_progress_by_pillar_is_the_mean_of_actions_not_dropped(plan):
    set_state(plan, "Establish", Status.DONE, 100)
    set_state(plan, "Train", Status.AT_RISK, 20)
    set_state(plan, "Fund", Status.DROPPED, 0)
    set_state(plan, "Map", Status.DELAYED, 30)
    set_state(plan, "Launch", Status.ON_TRACK, 45)

    rows = selectors.progress_by_pillar(plan)

    assert [(r["pillar"].number, r["actions"], r["progress"], r["done"], r["attention"],
             r["dropped"]) for r in rows] == [
        (1, 4, 50, 1, 2, 1),  # (100 + 20 + 30) / 3
        (2, 2, 22, 0, 0, 0),  # (45 + 0) / 2, rounded
        (3, 0, 0, 0, 0, 0),
    ]  # fmt: skip


def test_progress_by_section_counts_an_action_in_every_section_above_it(plan):
    set_state(plan, "Establish", Status.ON_TRACK, 40)
    set_state(plan, "Fund", Status.DONE, 100)

    rows = {r["section"].number: r for r in selectors.progress_by_section(plan)}

    assert list(rows) == ["1.1", "1.1.1", "1.2", "2.1", "3.1"]
    assert (rows["1.1"]["actions"], rows["1.1"]["progress"], rows["1.1"]["done"]) == (3, 47, 1)
    assert (rows["1.1.1"]["actions"], rows["1.1.1"]["progress"]) == (1, 100)
    assert rows["3.1"]["actions"] == 0


def test_status_distribution_lists_every_status_with_its_label(plan):
    set_state(plan, "Establish", Status.DONE, 100)
    set_state(plan, "Train", Status.DONE, 100)
    set_state(plan, "Map", Status.DELAYED, 10)

    with translation.override("fr"):
        rows = selectors.status_distribution(plan)
        labels = [str(label) for label in Status.labels]

    assert [(r["status"], r["count"]) for r in rows] == [
        ("not_started", 3),
        ("on_track", 0),
        ("at_risk", 0),
        ("delayed", 1),
        ("done", 2),
        ("dropped", 0),
    ]
    assert [r["label"] for r in rows] == labels
    assert all(type(r["label"]) is str for r in rows)


def test_actions_by_partner_groups_partnerships_and_partner_organizations(plan, secretariat):
    sida = OrganizationFactory(name="Sida")
    city = OrganizationFactory(name="City of Bilbao")
    launch = plan.actions.get(text_plain__startswith="Launch")
    services.action_set_links(actor=secretariat, action=launch, partners=[sida, city])
    set_state(plan, "Train", Status.ON_TRACK, 60)

    rows = selectors.actions_by_partner(plan)

    assert [(r["name"], r["organization"], r["count"]) for r in rows] == [
        ("City of Bilbao", city, 1),
        ("Sida", sida, 3),  # "Sida" and "sida" are one partner
    ]
    assert [a.text_plain for a in rows[1]["actions"]] == [
        "Train coordinators",
        "Fund HUB exchanges",
        "Launch the campaign",
    ]
    assert rows[1]["progress"] == 20


def test_actions_by_sdg(plan, secretariat):
    goals = {g.number: g for g in Goal.objects.filter(number__in=[5, 11])}
    for start, numbers in (("Establish", [11]), ("Launch", [5, 11])):
        services.action_set_links(
            actor=secretariat,
            action=plan.actions.get(text_plain__startswith=start),
            sdgs=[goals[n] for n in numbers],
        )

    rows = selectors.actions_by_sdg(plan)

    assert [(r["goal"].number, r["count"]) for r in rows] == [(5, 1), (11, 2)]


def test_actions_needing_attention(plan):
    set_state(plan, "Establish", Status.AT_RISK, 10)
    set_state(plan, "Train", Status.DELAYED, 10)
    yesterday = TODAY - datetime.timedelta(days=1)
    set_state(plan, "Map", Status.ON_TRACK, 10, due_date=yesterday)
    set_state(plan, "Launch", Status.DONE, 100, due_date=yesterday)
    set_state(plan, "Publish", Status.ON_TRACK, 10, due_date=TODAY)

    found = selectors.actions_needing_attention(plan)

    assert [a.text_plain for a in found] == [
        "Establish the HUBs",
        "Train coordinators",
        "Map the members",
    ]


def test_changes_since_a_date_newest_first(plan, secretariat):
    launch = plan.actions.get(text_plain__startswith="Launch")
    services.action_update(actor=secretariat, action=launch, status=Status.ON_TRACK, progress=5)
    old = services.action_update(
        actor=secretariat, action=launch, status=Status.ON_TRACK, progress=10
    ).updates.first()
    ActionUpdate.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=3)
    )
    services.action_update(actor=secretariat, action=launch, status=Status.AT_RISK, progress=15)

    found = list(selectors.changes_since(plan, TODAY - datetime.timedelta(days=1)))

    assert [u.progress for u in found] == [15, 5]
    assert found[0].action == launch


# Query counts -------------------------------------------------------------------------------


def busy_plan(secretariat, actions: int, year: int):
    """A plan whose actions have owners, updates, partners, SDGs and varied statuses."""
    plan = make_plan(secretariat, numbered_plan(actions, per_section=3), year=year)
    owner = UserFactory()
    organization = OrganizationFactory()
    goals = list(Goal.objects.all()[:3])
    statuses = Status.values
    for index, action in enumerate(plan.actions.all()):
        status = statuses[index % len(statuses)]
        Action.objects.filter(pk=action.pk).update(
            status=status,
            progress=100 if status == Status.DONE else index % 100,
            owner=owner,
            partner_name="Sida" if index % 2 else "",
            due_date=TODAY - datetime.timedelta(days=index % 3),
        )
        action.partners.add(organization)
        action.sdgs.add(goals[index % 3])
        ActionUpdate.objects.bulk_create(
            ActionUpdate(action=action, author=owner, status=status, progress=0) for _ in range(2)
        )
    return plan


def queries(read) -> int:
    with CaptureQueriesContext(connection) as captured:
        read()
    return len(captured)


def tree_nodes(nodes):
    for node in nodes:
        yield node
        yield from tree_nodes(node["children"])


# Each read, with what its page shows of every row.
READS = {
    "plan_tree": lambda plan: [
        (a.owner, a.latest_update and a.latest_update.author)
        for p in selectors.plan_tree(plan)
        for node in tree_nodes(p["sections"])
        for a in node["actions"]
    ],
    "progress_by_pillar": lambda plan: selectors.progress_by_pillar(plan),
    "progress_by_section": lambda plan: selectors.progress_by_section(plan),
    "status_distribution": lambda plan: selectors.status_distribution(plan),
    "actions_by_partner": lambda plan: [
        (row["organization"], [a.section for a in row["actions"]])
        for row in selectors.actions_by_partner(plan)
    ],
    "actions_by_sdg": lambda plan: [
        (row["goal"], [a.section for a in row["actions"]]) for row in selectors.actions_by_sdg(plan)
    ],
    "actions_needing_attention": lambda plan: [
        (a.section.pillar, a.owner) for a in selectors.actions_needing_attention(plan)
    ],
    "changes_since": lambda plan: [
        (u.action.section, u.author) for u in selectors.changes_since(plan, TODAY)
    ],
}


@pytest.mark.parametrize("name", READS)
def test_query_count_does_not_grow_with_the_actions(secretariat, name):
    few = busy_plan(secretariat, 5, 2025)
    many = busy_plan(secretariat, 50, 2026)

    assert len(few.actions.all()) == 5 and len(many.actions.all()) == 50
    assert queries(lambda: READS[name](few)) == queries(lambda: READS[name](many))


def test_linked_actions_query_count_does_not_grow(secretariat):
    initiative, _editor = make_hub()
    counts = []
    for year, actions in ((2025, 5), (2026, 50)):
        plan = make_plan(secretariat, numbered_plan(actions), year=year)
        initiative.workplan_actions.add(*plan.actions.all())
        partner = UserFactory(roles={"partner"})  # a fresh user: no cached roles
        with CaptureQueriesContext(connection) as captured:
            shown = [(a.plan, a.section) for a in selectors.actions_linked_to(initiative, partner)]
        counts.append(len(captured))

    assert len(shown) == 55
    assert counts[0] == counts[1]
