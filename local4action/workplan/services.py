"""Writes of the work plan: saving an import, re-importing a revised document, tracking.
Every function checks permission itself (PermissionDenied) and records an audit event."""

import datetime

from .models import Action, WorkPlan
from .outline import ParsedPlan


class StaleAction(Exception):
    """The action changed since the form was read (someone else saved first)."""


def plan_import(
    *, actor, parsed: ParsedPlan, year: int, language: str, title: str, source_name: str
) -> WorkPlan:
    """Save a parsed document as the plan of `year` (which must not exist yet), in one
    transaction. Refuses (ValidationError) a parsed plan with blocking problems."""
    raise NotImplementedError


def reimport_preview(*, plan: WorkPlan, parsed: ParsedPlan) -> dict:
    """What re-importing `parsed` over `plan` would do, without saving: {"kept": [(action,
    parsed_action, similarity)], "added": [parsed_action], "removed": [action]}. An action is
    kept when its text is unchanged or only slightly edited (similarity ≥ REIMPORT_SIMILARITY),
    each old action matched at most once."""
    raise NotImplementedError


def plan_reimport(*, actor, plan: WorkPlan, parsed: ParsedPlan, source_name: str) -> dict:
    """Replace the outline of `plan` by `parsed`, keeping status, progress, updates and links of
    matched actions (their text, tier, section and position follow the new document); added
    actions start not started, removed ones are deleted. One transaction; returns the counts
    {"kept": n, "added": n, "removed": n}."""
    raise NotImplementedError


def action_update(
    *,
    actor,
    action: Action,
    status: str,
    progress: int,
    note: str = "",
    expected_version: int | None = None,
) -> Action:
    """Record a dated update (ActionUpdate) and apply it to the action under a row lock.
    Raises StaleAction when expected_version is given and no longer current; ValidationError
    for a progress outside 0..100 or "done" below 100 (done sets 100 when progress is left
    lower? no: refuse with a clear message)."""
    raise NotImplementedError


def actions_bulk_update(*, actor, changes: list[dict], note: str = "") -> list[Action]:
    """Apply several updates at once from the table ({"id", "status", "progress", "version"}
    each): all or nothing, StaleAction naming the first stale action."""
    raise NotImplementedError


def action_set_links(
    *,
    actor,
    action: Action,
    initiatives=(),
    events=(),
    surveys=(),
    sdgs=(),
    partners=(),
    owner=None,
    owner_team: str = "",
    due_date: datetime.date | None = None,
) -> Action:
    """Set what an action points to and who owns it (secretariat only)."""
    raise NotImplementedError


def remind_stale_owners(*, now=None, days: int = 90) -> int:
    """Notify each owner of open actions (not done, not dropped) with no update for `days`
    (or never updated and created that long ago): one notification per owner listing their
    actions, at most once per `days` per action. Returns the number of people notified."""
    raise NotImplementedError
