"""Reads of the work plan: the tree, and the evaluation figures (a fixed number of queries
each, whatever the number of actions). Progress is the mean progress of the actions that are
not dropped: a dropped action neither helps nor hurts."""

import datetime
from collections import defaultdict

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from . import permissions
from .choices import ATTENTION, Status
from .models import Action, ActionUpdate, Pillar, WorkPlan

OPEN = Q(status__in=[s for s in Status.values if s not in (Status.DONE, Status.DROPPED)])


def _mean(total: int, counted: int) -> int:
    """A mean progress in whole percent; 0 when nothing counts."""
    return round(total / counted) if counted else 0


def _figures(rows) -> dict:
    """Counts and mean progress of actions given as (status, progress) pairs."""
    figures = {"actions": 0, "progress": 0, "done": 0, "attention": 0, "dropped": 0}
    total = counted = 0
    for status, progress in rows:
        figures["actions"] += 1
        figures["done"] += status == Status.DONE
        figures["attention"] += status in ATTENTION
        if status == Status.DROPPED:
            figures["dropped"] += 1
        else:
            total += progress
            counted += 1
    figures["progress"] = _mean(total, counted)
    return figures


def plans_for(user) -> QuerySet[WorkPlan]:
    """Plans the user may see, newest first."""
    if not permissions.can_view_workplans(user):
        return WorkPlan.objects.none()
    return WorkPlan.objects.order_by("-year")


def plan_tree(plan: WorkPlan) -> list[dict]:
    """Pillars with their sections (nested) and actions, each action with its latest update
    (`action.latest_update`, None if never updated) and owner: for the plan page.
    [{"pillar": Pillar, "sections": [{"section": s, "actions": [...], "children": [...]}]}]"""
    latest = ActionUpdate.objects.filter(action=OuterRef("pk")).order_by("-created_at", "-pk")
    actions = list(
        plan.actions.select_related("owner")
        .annotate(latest_update_id=Subquery(latest.values("pk")[:1]))
        .order_by("position", "pk")
    )
    updates = ActionUpdate.objects.select_related("author").in_bulk(
        [a.latest_update_id for a in actions if a.latest_update_id]
    )
    by_section = defaultdict(list)
    for action in actions:
        action.latest_update = updates.get(action.latest_update_id)
        by_section[action.section_id].append(action)
    nodes, roots = {}, defaultdict(list)
    for section in plan.sections.order_by("position"):
        node = {"section": section, "actions": by_section[section.pk], "children": []}
        nodes[section.pk] = node
        if section.parent_id in nodes:
            nodes[section.parent_id]["children"].append(node)
        else:
            roots[section.pillar_id].append(node)
    return [
        {"pillar": pillar, "sections": roots[pillar.pk]}
        for pillar in plan.pillars.order_by("number")
    ]


def progress_by_pillar(plan: WorkPlan) -> list[dict]:
    """[{"pillar": Pillar, "actions": n, "progress": mean %, "done": n, "attention": n,
    "dropped": n}] for every pillar, in order."""
    rows = defaultdict(list)
    for pillar_id, status, progress in plan.actions.values_list(
        "section__pillar_id", "status", "progress"
    ):
        rows[pillar_id].append((status, progress))
    return [
        {"pillar": pillar, **_figures(rows[pillar.pk])}
        for pillar in Pillar.objects.filter(plan=plan).order_by("number")
    ]


def progress_by_section(plan: WorkPlan) -> list[dict]:
    """Same per section, in document order (an action counts in its section and every section
    above it), with "section" instead of "pillar"."""
    sections = list(plan.sections.order_by("position"))
    parent = {s.pk: s.parent_id for s in sections}
    rows = defaultdict(list)
    values = plan.actions.values_list("section_id", "status", "progress")
    for section_id, status, progress in values:
        while section_id is not None:
            rows[section_id].append((status, progress))
            section_id = parent.get(section_id)
    return [{"section": section, **_figures(rows[section.pk])} for section in sections]


def status_distribution(plan: WorkPlan) -> list[dict]:
    """[{"status": value, "label": str, "count": n}] for every status, zeros included, labels in
    the active language."""
    counts = {
        row["status"]: row["n"]
        for row in plan.actions.order_by().values("status").annotate(n=Count("pk"))
    }
    return [
        {"status": value, "label": str(label), "count": counts.get(value, 0)}
        for value, label in Status.choices
    ]


def _group(actions: list[Action]) -> dict:
    return {
        "actions": actions,
        "count": len(actions),
        "progress": _figures((a.status, a.progress) for a in actions)["progress"],
    }


def actions_by_partner(plan: WorkPlan) -> list[dict]:
    """Per partner, by name: the actions reinforced through a partnership with it, and those
    linked to it as a partner organization (once each). [{"name": str, "organization":
    Organization | None, "actions": [...], "count": n, "progress": mean %}], by name."""
    actions = plan.actions.select_related("section").prefetch_related("partners")
    groups: dict[str, dict] = {}

    def add(name, action, organization=None):
        group = groups.setdefault(
            name.casefold(), {"name": name, "organization": None, "actions": []}
        )
        group["organization"] = group["organization"] or organization
        if action not in group["actions"]:
            group["actions"].append(action)

    for action in actions.order_by("position", "pk"):
        if action.partner_name:
            add(action.partner_name, action)
        for organization in action.partners.all():
            add(organization.name, action, organization)
    return [
        {"name": g["name"], "organization": g["organization"], **_group(g["actions"])}
        for _key, g in sorted(groups.items())
    ]


def actions_by_sdg(plan: WorkPlan) -> list[dict]:
    """Per SDG the plan's actions point to, by goal number: [{"goal": Goal, "actions": [...],
    "count": n, "progress": mean %}]."""
    goals, by_goal = {}, defaultdict(list)
    for action in (
        plan.actions.select_related("section").prefetch_related("sdgs").order_by("position")
    ):
        for goal in action.sdgs.all():
            goals[goal.number] = goal
            by_goal[goal.number].append(action)
    return [{"goal": goals[n], **_group(by_goal[n])} for n in sorted(goals)]


def actions_needing_attention(plan: WorkPlan, *, today: datetime.date | None = None):
    """At risk or delayed, and open actions past their due date, in document order."""
    today = today or timezone.localdate()
    return (
        plan.actions.filter(Q(status__in=ATTENTION) | (OPEN & Q(due_date__lt=today)))
        .select_related("section__pillar", "owner")
        .order_by("position", "pk")
    )


def changes_since(plan: WorkPlan, since: datetime.date):
    """Updates recorded since the date (from its start, in the current time zone), newest
    first, with their action."""
    start = datetime.datetime.combine(since, datetime.time.min, timezone.get_current_timezone())
    return (
        ActionUpdate.objects.filter(action__plan=plan, created_at__gte=start)
        .select_related("action__section", "author")
        .order_by("-created_at", "-pk")
    )


def actions_linked_to(obj, user) -> list:
    """The actions pointing to an initiative, event or survey that the user may see (for the
    'In the work plan' box on their pages): all of them for those who see the work plans,
    their own for action owners, none for anyone else."""
    if not user.is_authenticated:
        return []
    actions = obj.workplan_actions.select_related("plan", "section").order_by(
        "-plan__year", "position"
    )
    if not permissions.can_view_workplans(user):
        actions = actions.filter(owner=user)
    return list(actions)
