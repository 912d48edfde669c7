"""Writes of the work plan: saving an import, re-importing a revised document, tracking.
Every write checks permission itself (PermissionDenied) and records an audit event; the
reminders run as the system, and the re-import preview writes nothing."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

import numpy
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from rapidfuzz import fuzz, process

from local4action.core.models import AuditEvent
from local4action.core.richtext import sanitize
from local4action.core.services import audit_record, notify

from . import permissions
from .choices import Axis, Status, Tier
from .models import Action, ActionUpdate, Pillar, Section, WorkPlan
from .outline import ParsedAction, ParsedPlan, ParsedSection

# An old action and a new one are the same action when their plain texts are at least this
# similar (rapidfuzz ratio, in percent): small rewordings keep the action's history.
REIMPORT_SIMILARITY = 85
# Closed actions: reminders leave them alone.
CLOSED = (Status.DONE, Status.DROPPED)
REMINDER_AUDIT = "workplan.action.remind"
# What a (re-)import writes; the rest of a row belongs to tracking and survives a re-import.
PILLAR_FIELDS = ["title", "description"]
SECTION_FIELDS = ["pillar", "parent", "depth", "position", "title", "description", "axis"]
ACTION_FIELDS = ["text", "text_plain", "tier", "partner_name", "section", "position"]
# How many actions a reminder lists by name (the link leads to the rest).
REMINDER_LISTED = 10


class StaleAction(Exception):
    """The action changed since the form was read (someone else saved first)."""

    def __init__(self, action: Action | None = None):
        self.action = action
        if action is None:
            message = _("This action was changed by someone else. Reload it and try again.")
        else:
            message = _("“%(action)s” was changed by someone else. Reload it and try again.") % {
                "action": action.text_plain[:80]
            }
        super().__init__(message)


# Saving an outline --------------------------------------------------------------------------


def _refuse_problems(parsed: ParsedPlan) -> None:
    """Blocking problems of the importer, then what the database would refuse, as one
    ValidationError listing every line: nothing gets half-saved, nothing surfaces as a 500."""
    errors = [
        _("Line %(line)s: %(message)s") % {"line": p.line, "message": p.message}
        if p.line
        else p.message
        for p in parsed.problems
        if p.blocking
    ]
    numbers = [pillar.number for pillar in parsed.pillars]
    for number in sorted({n for n in numbers if numbers.count(n) > 1}):
        errors.append(_("Pillar %(number)s appears more than once.") % {"number": number})
    if not parsed.pillars and not errors:
        errors.append(_("The document has no numbered pillar."))
    seen = set()
    for pillar in parsed.pillars:
        if len(pillar.title) > Pillar._meta.get_field("title").max_length:
            errors.append(_("Line %(line)s: the title is too long.") % {"line": pillar.line})
    for section in parsed.all_sections():
        if section.number in seen:
            errors.append(
                _("Line %(line)s: section %(number)s appears more than once.")
                % {"line": section.line, "number": section.number}
            )
        seen.add(section.number)
        if section.depth < 2 or len(section.number) > Section._meta.get_field("number").max_length:
            errors.append(
                _("Line %(line)s: “%(number)s” is not a section number.")
                % {"line": section.line, "number": section.number[:40]}
            )
        if len(section.title) > Section._meta.get_field("title").max_length:
            errors.append(_("Line %(line)s: the title is too long.") % {"line": section.line})
        if section.axis not in Axis.values:
            errors.append(_("Line %(line)s: unknown axis.") % {"line": section.line})
        for action in section.actions:
            errors += _action_errors(action)
    if errors:
        raise ValidationError(errors)


def _action_errors(action: ParsedAction) -> list[str]:
    errors = []
    if action.tier not in Tier.values:
        errors.append(_("Line %(line)s: unknown kind of action.") % {"line": action.line})
    elif action.tier == Tier.PARTNERSHIP and not action.partner_name.strip():
        errors.append(
            _("Line %(line)s: a reinforced action through a partnership must name the partner.")
            % {"line": action.line}
        )
    if len(action.partner_name) > Action._meta.get_field("partner_name").max_length:
        errors.append(_("Line %(line)s: the partner's name is too long.") % {"line": action.line})
    if not action.text_plain.strip():
        errors.append(_("Line %(line)s: the action has no text.") % {"line": action.line})
    return errors


@dataclass
class _Placed:
    """A parsed section with where it sits in the plan."""

    parsed: ParsedSection
    pillar_number: int
    parent: ParsedSection | None
    level: int  # nesting level in the document's tree: parents come at a lower level
    position: int


def _placed_sections(parsed: ParsedPlan) -> list[_Placed]:
    placed: list[_Placed] = []

    def walk(sections, pillar_number, parent, level):
        for section in sections:
            placed.append(_Placed(section, pillar_number, parent, level, len(placed)))
            walk(section.children, pillar_number, section, level + 1)

    for pillar in parsed.pillars:
        walk(pillar.sections, pillar.number, None, 0)
    return placed


def _action_fields(parsed: ParsedAction) -> dict:
    tier = parsed.tier
    return {
        "text": sanitize(parsed.text_html) or parsed.text_plain,
        "text_plain": parsed.text_plain.strip(),
        "tier": tier,
        "partner_name": parsed.partner_name.strip() if tier == Tier.PARTNERSHIP else "",
    }


def _values(obj, fields: list[str]) -> dict:
    return {field: getattr(obj, obj._meta.get_field(field).attname) for field in fields}


def _save_changed(objects: list, before: dict, fields: list[str]) -> None:
    """Write only what changed, field by field (`before`: _values by pk): a revised document
    mostly moves a few things, and bulk_update's cost grows with objects × fields."""
    for field in fields:
        changed = [o for o in objects if _values(o, [field]) != {field: before[o.pk][field]}]
        if changed:
            type(changed[0]).objects.bulk_update(changed, [field], batch_size=500)


def _save_pillars(plan: WorkPlan, parsed: ParsedPlan, existing: dict[int, Pillar]) -> dict:
    """Create or update the pillars by number; returns them by number."""
    pillars, new = {}, []
    before = {p.pk: _values(p, PILLAR_FIELDS) for p in existing.values()}
    for parsed_pillar in parsed.pillars:
        pillar = existing.get(parsed_pillar.number) or Pillar(
            plan=plan, number=parsed_pillar.number
        )
        pillar.title = parsed_pillar.title.strip()
        pillar.description = parsed_pillar.description.strip()
        if pillar.pk is None:
            new.append(pillar)
        pillars[parsed_pillar.number] = pillar
    Pillar.objects.bulk_create(new)
    _save_changed([p for p in pillars.values() if p.pk in before], before, PILLAR_FIELDS)
    return pillars


def _save_sections(
    plan: WorkPlan, placed: list[_Placed], pillars: dict, existing: dict[str, Section]
) -> dict[int, Section]:
    """Create or update the sections by number, parents before children; returns them by
    id() of their parsed section."""
    sections: dict[int, Section] = {}
    before = {s.pk: _values(s, SECTION_FIELDS) for s in existing.values()}
    for item in placed:
        parsed = item.parsed
        section = existing.get(parsed.number) or Section(plan=plan, number=parsed.number)
        section.pillar = pillars[item.pillar_number]
        section.parent = sections[id(item.parent)] if item.parent is not None else None
        section.depth = parsed.depth
        section.position = item.position
        section.title = parsed.title.strip()
        section.description = parsed.description.strip()
        section.axis = parsed.axis
        sections[id(parsed)] = section
    levels = defaultdict(list)
    for item in placed:
        levels[item.level].append(sections[id(item.parsed)])
    updated = []
    for level in sorted(levels):
        # bulk_create takes the parent's pk from the (now saved) parent object.
        Section.objects.bulk_create([s for s in levels[level] if s.pk is None])
        updated += [s for s in levels[level] if s.number in existing]
    for section in updated:
        # Parents created above were unsaved when assigned.
        section.parent_id = section.parent.pk if section.parent is not None else None
    _save_changed(updated, before, SECTION_FIELDS)
    return sections


def _checked_year(year) -> int:
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ValidationError(_("Give the year of the work plan, e.g. 2025.")) from None
    if not 2000 <= year <= 2100:
        raise ValidationError(_("The year must be between 2000 and 2100."))
    return year


def plan_import(
    *, actor, parsed: ParsedPlan, year: int, language: str, title: str, source_name: str
) -> WorkPlan:
    """Save a parsed document as the plan of `year` (which must not exist yet: a revised
    document goes through plan_reimport), in one transaction. Refuses (ValidationError) a
    parsed plan with blocking problems, listing them with their line numbers. Sections get
    their position in document order, actions their position in document order within the
    plan. `actor=None` is the system (the import command, run by whoever runs the server)."""
    if actor is not None and not permissions.can_manage_workplans(actor):
        raise PermissionDenied
    year = _checked_year(year)
    title = (title or parsed.title or "").strip()
    if not title:
        raise ValidationError(_("Give the work plan a title."))
    if len(title) > WorkPlan._meta.get_field("title").max_length:
        raise ValidationError(_("The title is too long."))
    if language not in dict(settings.LANGUAGES):
        raise ValidationError(_("Choose the language the document is written in."))
    _refuse_problems(parsed)
    exists = _(
        "There is already a work plan for %(year)s: re-import the revised document into it instead."
    ) % {"year": year}
    with transaction.atomic():
        if WorkPlan.objects.filter(year=year).exists():
            raise ValidationError(exists)
        plan = WorkPlan(
            year=year,
            title=title,
            language=language,
            source_name=(source_name or "")[:255],
            imported_by=actor,
        )
        try:
            with transaction.atomic():
                plan.save()
        except IntegrityError:  # the same year, imported by someone else at this moment
            raise ValidationError(exists) from None
        placed = _placed_sections(parsed)
        pillars = _save_pillars(plan, parsed, {})
        sections = _save_sections(plan, placed, pillars, {})
        actions = [
            Action(plan=plan, section=sections[id(item.parsed)], position=0, **_action_fields(a))
            for item in placed
            for a in item.parsed.actions
        ]
        for position, action in enumerate(actions):
            action.position = position
        Action.objects.bulk_create(actions, batch_size=500)
        audit_record(
            actor=actor,
            action="workplan.import",
            target=plan,
            changes={**parsed.counts(), "source_name": plan.source_name},
        )
    return plan


# Re-import ----------------------------------------------------------------------------------


def _normalized(text: str) -> str:
    """Compared text: case folded, spaces collapsed, accents kept (they change meaning)."""
    return " ".join(text.casefold().split())


def _match(old: list[Action], new: list[ParsedAction]) -> dict:
    """Pair old actions with new ones: identical texts first, then the most similar pairs
    (≥ REIMPORT_SIMILARITY) best first, so that each old action is matched at most once."""
    kept: list[tuple[Action, ParsedAction, int]] = []
    by_text: dict[str, list[Action]] = defaultdict(list)
    for action in old:
        by_text[_normalized(action.text_plain)].append(action)
    rest_new = []
    for parsed in new:
        same = by_text.get(_normalized(parsed.text_plain))
        if same:
            kept.append((same.pop(0), parsed, 100))
        else:
            rest_new.append(parsed)
    unmatched = {action.pk for texts in by_text.values() for action in texts}
    rest_old = [action for action in old if action.pk in unmatched]
    taken_new, taken_old = set(), set()
    if rest_new and rest_old:
        scores = process.cdist(
            [_normalized(p.text_plain) for p in rest_new],
            [_normalized(a.text_plain) for a in rest_old],
            scorer=fuzz.ratio,
            score_cutoff=REIMPORT_SIMILARITY,
        )
        rows, columns = numpy.nonzero(scores)
        values = scores[rows, columns]
        # Best score first; ties in document order, so the result does not depend on chance.
        for i in numpy.lexsort((columns, rows, -values)):
            row, column = int(rows[i]), int(columns[i])
            if row in taken_new or column in taken_old:
                continue
            taken_new.add(row)
            taken_old.add(column)
            kept.append((rest_old[column], rest_new[row], int(values[i])))
            if len(taken_new) == len(rest_new) or len(taken_old) == len(rest_old):
                break
    order = {id(parsed): i for i, parsed in enumerate(new)}
    kept.sort(key=lambda k: order[id(k[1])])
    kept_old = {action.pk for action, _parsed, _score in kept}
    return {
        "kept": kept,
        "added": [p for i, p in enumerate(rest_new) if i not in taken_new],
        "removed": [a for a in old if a.pk not in kept_old],
    }


def reimport_preview(*, plan: WorkPlan, parsed: ParsedPlan) -> dict:
    """What re-importing `parsed` over `plan` would do, without saving: {"kept": [(action,
    parsed_action, similarity)], "added": [parsed_action], "removed": [action]}, in document
    order. An action is kept when its text is unchanged or only slightly edited (similarity ≥
    REIMPORT_SIMILARITY percent), each old action matched at most once. Writes nothing, so it
    checks no permission: the caller shows it only to whom may re-import."""
    old = list(plan.actions.select_related("section").order_by("position", "pk"))
    return _match(old, parsed.all_actions())


def plan_reimport(*, actor, plan: WorkPlan, parsed: ParsedPlan, source_name: str) -> dict:
    """Replace the outline of `plan` by `parsed`, keeping status, progress, owner, updates and
    links of matched actions (their text, tier, partner, section and position follow the new
    document); added actions start not started, removed ones are deleted. Pillars and sections
    are matched by number: updated, created, or deleted when gone. One transaction with the
    plan row locked, so two re-imports cannot interleave; returns the counts {"kept": n,
    "added": n, "removed": n}. `actor=None` is the system, as for plan_import."""
    if actor is not None and not permissions.can_manage_workplans(actor):
        raise PermissionDenied
    _refuse_problems(parsed)
    with transaction.atomic():
        plan = WorkPlan.objects.select_for_update().get(pk=plan.pk)
        match = reimport_preview(plan=plan, parsed=parsed)
        placed = _placed_sections(parsed)
        pillars = _save_pillars(plan, parsed, {p.number: p for p in plan.pillars.all()})
        sections = _save_sections(plan, placed, pillars, {s.number: s for s in plan.sections.all()})
        section_of = {
            id(a): sections[id(item.parsed)] for item in placed for a in item.parsed.actions
        }
        position_of = {id(a): i for i, a in enumerate(parsed.all_actions())}
        kept = []
        before = {action.pk: _values(action, ACTION_FIELDS) for action, _p, _s in match["kept"]}
        for action, parsed_action, _score in match["kept"]:
            for field, value in _action_fields(parsed_action).items():
                setattr(action, field, value)
            action.section = section_of[id(parsed_action)]
            action.position = position_of[id(parsed_action)]
            kept.append(action)
        _save_changed(kept, before, ACTION_FIELDS)
        Action.objects.bulk_create(
            [
                Action(
                    plan=plan,
                    section=section_of[id(a)],
                    position=position_of[id(a)],
                    **_action_fields(a),
                )
                for a in match["added"]
            ],
            batch_size=500,
        )
        removed = match["removed"]
        Action.objects.filter(pk__in=[a.pk for a in removed]).delete()
        # Only now: kept actions have left the sections and pillars that are gone.
        plan.sections.exclude(number__in=[item.parsed.number for item in placed]).delete()
        plan.pillars.exclude(number__in=list(pillars)).delete()
        plan.source_name = (source_name or "")[:255]
        plan.save(update_fields=["source_name", "updated_at"])
        counts = {
            "kept": len(kept),
            "added": len(match["added"]),
            "removed": len(removed),
        }
        audit_record(
            actor=actor,
            action="workplan.reimport",
            target=plan,
            changes={
                **counts,
                "edited": sum(score < 100 for _a, _p, score in match["kept"]),
                "removed_actions": [a.text_plain[:200] for a in removed],
                "source_name": plan.source_name,
            },
        )
    return counts


# Tracking -----------------------------------------------------------------------------------


def _checked_update(action: Action, status, progress, note: str) -> tuple[str, int, str]:
    """The status, progress and note to record, or ValidationError. "Done" means complete:
    marking an action done without changing its progress sets 100%; done with a lower
    progress typed in is refused."""
    if status not in Status.values:
        raise ValidationError(_("Choose a status from the list."))
    if isinstance(progress, bool):
        progress = None
    try:
        progress = int(progress)
    except (TypeError, ValueError):
        raise ValidationError(_("Progress must be a whole number between 0 and 100.")) from None
    if not 0 <= progress <= 100:
        raise ValidationError(_("Progress must be a whole number between 0 and 100."))
    if status == Status.DONE and progress < 100:
        if progress != action.progress:
            raise ValidationError(
                _(
                    "An action marked done is complete: set its progress to 100% or choose "
                    "another status."
                )
            )
        progress = 100
    note = (note or "").strip()
    if len(note) > ActionUpdate._meta.get_field("note").max_length:
        raise ValidationError(_("Keep the note under 500 characters."))
    return status, progress, note


def _apply_update(*, actor, action: Action, status: str, progress: int, note: str, now):
    """Change a locked action and record the audit row; returns its (unsaved) log entry."""
    changes = {"status": [action.status, status], "progress": [action.progress, progress]}
    action.status = status
    action.progress = progress
    action.last_update_at = now
    action.version += 1
    audit_record(
        actor=actor, action="workplan.action.update", target=action, changes=changes, reason=note
    )
    return ActionUpdate(action=action, author=actor, status=status, progress=progress, note=note)


TRACKING_FIELDS = ["status", "progress", "last_update_at", "version", "updated_at"]


def action_update(
    *,
    actor,
    action: Action,
    status: str,
    progress: int,
    note: str = "",
    expected_version: int | None = None,
) -> Action:
    """Record a dated update (ActionUpdate) and apply it to the action under a row lock; the
    secretariat and the action's owner may. Raises StaleAction when expected_version is given
    and no longer current; ValidationError for an unknown status, a progress outside 0..100 or
    "done" with a progress typed lower than 100 (done with the progress left as it was sets
    100%). An update that changes nothing still counts: it says the action was looked at."""
    with transaction.atomic():
        current = Action.objects.select_for_update().filter(pk=action.pk).first()
        if current is None or not permissions.can_update_action(actor, current):
            raise PermissionDenied
        if expected_version is not None and current.version != expected_version:
            raise StaleAction(current)
        status, progress, note = _checked_update(current, status, progress, note)
        entry = _apply_update(
            actor=actor,
            action=current,
            status=status,
            progress=progress,
            note=note,
            now=timezone.now(),
        )
        current.save(update_fields=TRACKING_FIELDS)
        entry.save()
    return current


def actions_bulk_update(*, actor, changes: list[dict], note: str = "") -> list[Action]:
    """Apply several updates at once from the table ({"id", "status", "progress", "version"}
    each; "version" may be left out): all or nothing. StaleAction names the first stale action
    in the order given; ValidationError lists every row refused, by action. Rows whose status
    and progress are unchanged are skipped (a table sends every row). Secretariat only."""
    if not permissions.can_manage_workplans(actor):
        raise PermissionDenied
    ids = []
    for change in changes:
        try:
            ids.append(int(change["id"]))
        except (KeyError, TypeError, ValueError):
            raise ValidationError(_("A row of the table names no action.")) from None
    if len(set(ids)) != len(ids):
        raise ValidationError(_("An action appears twice in the table."))
    with transaction.atomic():
        locked = Action.objects.select_for_update().filter(pk__in=ids).order_by("pk")
        actions = {action.pk: action for action in locked}
        if len(actions) != len(ids):
            raise ValidationError(_("An action of the table no longer exists. Reload the page."))
        for pk, change in zip(ids, changes, strict=True):
            version = change.get("version")
            if version not in (None, "") and str(actions[pk].version) != str(version):
                raise StaleAction(actions[pk])
        errors, checked = [], []
        for pk, change in zip(ids, changes, strict=True):
            action = actions[pk]
            try:
                status, progress, row_note = _checked_update(
                    action, change.get("status"), change.get("progress"), note
                )
            except ValidationError as error:
                errors += [f"{action.text_plain[:80]}: {m}" for m in error.messages]
                continue
            if (status, progress) != (action.status, action.progress):
                checked.append((action, status, progress, row_note))
        if errors:
            raise ValidationError(errors)
        now = timezone.now()
        entries = [
            _apply_update(
                actor=actor,
                action=action,
                status=status,
                progress=progress,
                note=row_note,
                now=now,
            )
            for action, status, progress, row_note in checked
        ]
        updated = [action for action, *_rest in checked]
        for action in updated:
            action.updated_at = now
        Action.objects.bulk_update(updated, TRACKING_FIELDS)
        ActionUpdate.objects.bulk_create(entries)
    return updated


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
    """Set what an action points to and who owns it (secretariat only). Every argument is the
    whole new value, as a form sends it: what is left out is cleared."""
    if not permissions.can_manage_workplans(actor):
        raise PermissionDenied
    if owner is not None and not owner.is_active:
        raise ValidationError(_("The owner's account is closed: choose someone else."))
    with transaction.atomic():
        current = Action.objects.select_for_update().get(pk=action.pk)
        before = _links(current)
        current.owner = owner
        current.owner_team = (owner_team or "").strip()
        current.due_date = due_date
        current.full_clean(exclude=["section", "plan"])
        current.save(update_fields=["owner", "owner_team", "due_date", "updated_at"])
        current.initiatives.set(initiatives)
        current.events.set(events)
        current.surveys.set(surveys)
        current.sdgs.set(sdgs)
        current.partners.set(partners)
        after = _links(current)
        audit_record(
            actor=actor,
            action="workplan.action.links",
            target=current,
            changes={k: [before[k], after[k]] for k in after if before[k] != after[k]},
        )
    return current


def _links(action: Action) -> dict:
    return {
        "owner": action.owner_id,
        "owner_team": action.owner_team,
        "due_date": action.due_date.isoformat() if action.due_date else None,
        **{
            name: sorted(getattr(action, name).values_list("pk", flat=True))
            for name in ("initiatives", "events", "surveys", "sdgs", "partners")
        },
    }


# Reminders ----------------------------------------------------------------------------------


def remind_stale_owners(*, now=None, days: int = 90) -> int:
    """Notify each owner of open actions (not done, not dropped) with no update for `days`
    (or never updated and created that long ago): one notification per owner listing their
    actions, at most once per `days` per action. The audit trail keeps one row per action
    reminded, with the time it stands for, so running it again the same day sends nothing.
    Returns the number of people notified."""
    now = now or timezone.now()
    since = now - datetime.timedelta(days=days)
    with transaction.atomic():
        # Locked, so that a second run at the same moment waits, then sees the first one's rows.
        stale = list(
            Action.objects.select_for_update(of=("self",))
            .filter(owner__isnull=False, owner__is_active=True)
            .exclude(status__in=CLOSED)
            .filter(
                Q(last_update_at__lt=since) | Q(last_update_at__isnull=True, created_at__lt=since)
            )
            .select_related("owner", "plan")
            .order_by("plan__year", "position", "pk")
        )
        reminded = {
            object_id
            for object_id, changes in AuditEvent.objects.filter(
                action=REMINDER_AUDIT,
                content_type=ContentType.objects.get_for_model(Action),
                object_id__in=[str(action.pk) for action in stale],
            ).values_list("object_id", "changes")
            if since < datetime.datetime.fromisoformat(changes["reminded_at"]) <= now
        }
        by_owner = defaultdict(list)
        for action in stale:
            if str(action.pk) not in reminded:
                by_owner[action.owner].append(action)
        for owner, actions in by_owner.items():
            notify(
                recipients=[owner],
                kind="workplan_reminder",
                context={
                    "count": len(actions),
                    "days": days,
                    "actions": [a.text_plain[:120] for a in actions[:REMINDER_LISTED]],
                },
                url=(actions[0] if len(actions) == 1 else actions[0].plan).get_absolute_url(),
            )
            for action in actions:
                audit_record(
                    actor=None,
                    action=REMINDER_AUDIT,
                    target=action,
                    changes={"owner": owner.pk, "reminded_at": now.isoformat()},
                )
    return len(by_owner)
