"""Reads of the work plan: the tree, and the evaluation figures (a fixed number of queries
each, whatever the number of actions)."""

import datetime

from .models import WorkPlan


def plans_for(user):
    """Plans the user may see, newest first."""
    raise NotImplementedError


def plan_tree(plan: WorkPlan) -> list[dict]:
    """Pillars with their sections (nested) and actions, each action with its latest update:
    for the plan page. [{"pillar": Pillar, "sections": [{"section": s, "actions": [...],
    "children": [...]}]}]"""
    raise NotImplementedError


def progress_by_pillar(plan: WorkPlan) -> list[dict]:
    """[{"pillar": Pillar, "actions": n, "progress": mean %, "done": n, "attention": n}]"""
    raise NotImplementedError


def progress_by_section(plan: WorkPlan) -> list[dict]:
    """Same per section (an action counts in its section and every section above it)."""
    raise NotImplementedError


def status_distribution(plan: WorkPlan) -> list[dict]:
    """[{"status": value, "label": str, "count": n}] for every status, zeros included."""
    raise NotImplementedError


def actions_by_partner(plan: WorkPlan) -> list[dict]:
    """Per partnership partner name (and linked partner organization): its actions."""
    raise NotImplementedError


def actions_by_sdg(plan: WorkPlan) -> list[dict]:
    raise NotImplementedError


def actions_needing_attention(plan: WorkPlan):
    """At risk or delayed, and open actions past their due date."""
    raise NotImplementedError


def changes_since(plan: WorkPlan, since: datetime.date):
    """Updates recorded since the date, newest first, with their action."""
    raise NotImplementedError


def actions_linked_to(obj, user) -> list:
    """The actions pointing to an initiative, event or survey that the user may see (for the
    'In the work plan' box on their pages; empty for the public)."""
    raise NotImplementedError
