"""Import a work plan document: prints the outline read from it, and saves it with --commit.

    python manage.py import_workplan plan.docx --year 2026 [--language fr] [--title T] [--commit]

The last line is always `pillars=N sections=N actions=N core=N reinforced=N partnership=N`.
Blocking problems stop the command (CommandError) before anything is saved."""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from local4action.workplan import services
from local4action.workplan.choices import Axis, Tier
from local4action.workplan.importer import read_document
from local4action.workplan.outline import ParsedPlan

AXES = dict(Axis.choices)
TIERS = [Tier.CORE, Tier.REINFORCED, Tier.PARTNERSHIP]


def _tier_counts(actions) -> str:
    counts = {tier: sum(a.tier == tier for a in actions) for tier in TIERS}
    parts = [f"{Tier(tier).label}: {n}" for tier, n in counts.items() if n]
    total = ngettext("%(count)s action", "%(count)s actions", len(actions)) % {
        "count": len(actions)
    }
    return f"{total} ({', '.join(parts)})" if parts else total


def preview(parsed: ParsedPlan, *, docx: bool = False) -> list[str]:
    """The outline as indented lines, each with its counts per tier, then the problems
    (at their line, or paragraph for a Word document)."""
    lines = [_("Title: %(title)s") % {"title": parsed.title or "—"}]

    def walk(sections, depth):
        for section in sections:
            axis = f" [{AXES[section.axis]}]" if section.axis else ""
            counts = _tier_counts(section.actions)
            lines.append(f"{'  ' * depth}{section.number} {section.title}{axis} — {counts}")
            walk(section.children, depth + 1)

    for pillar in parsed.pillars:
        actions = [a for s in _sections_of(pillar.sections) for a in s.actions]
        lines.append(f"{pillar.number}. {pillar.title} — {_tier_counts(actions)}")
        walk(pillar.sections, 1)
    if parsed.problems:
        lines.append(_("Problems:"))
        for problem in parsed.problems:
            where = _place(problem.line, docx) if problem.line else _("file")
            kind = _("blocking") if problem.blocking else _("note")
            text = f" “{problem.text}”" if problem.text and problem.line else ""
            lines.append(f"  {where} ({kind}): {problem.message}{text}")
    return lines


def _place(line: int, docx: bool) -> str:
    if docx:
        return _("paragraph %(number)s") % {"number": line}
    return _("line %(number)s") % {"number": line}


def _sections_of(sections):
    for section in sections:
        yield section
        yield from _sections_of(section.children)


def _messages(error: ValidationError) -> str:
    return "\n".join(str(message) for message in error.messages)


class Command(BaseCommand):
    help = (
        "Read a work plan document (.md, .txt, .docx), print its outline with counts per tier "
        "and the problems found, and save it as the plan of a year with --commit."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The document: .md, .markdown, .txt or .docx.")
        parser.add_argument("--year", type=int, required=True, help="The plan's year.")
        parser.add_argument(
            "--language",
            default=settings.LANGUAGE_CODE,
            choices=[code for code, _name in settings.LANGUAGES],
            help="The language the document is written in.",
        )
        parser.add_argument("--title", default="", help="Title, if not the document's own.")
        parser.add_argument("--commit", action="store_true", help="Save the plan.")

    def handle(self, *args, path, year, language, title, commit, **options):
        source = Path(path)
        try:
            data = source.read_bytes()
        except OSError as error:
            raise CommandError(
                _("The file %(path)s cannot be read: %(error)s")
                % {"path": path, "error": error.strerror or error}
            ) from None
        parsed = read_document(source.name, data)
        docx = source.suffix.lower() == ".docx"
        for line in preview(parsed, docx=docx):
            self.stdout.write(line)
        counts = parsed.counts()
        summary = " ".join(f"{key}={value}" for key, value in counts.items())
        if parsed.blocking:
            self.stdout.write(summary)
            problems = [
                (f"{_place(p.line, docx)}: " if p.line else "") + p.message
                for p in parsed.problems
                if p.blocking
            ]
            raise CommandError(
                _("Nothing was saved: the document has blocking problems.")
                + "\n"
                + "\n".join(problems)
            )
        if commit:
            try:
                plan = services.plan_import(
                    actor=None,
                    parsed=parsed,
                    year=year,
                    language=language,
                    title=title,
                    source_name=source.name,
                )
            except (ValidationError, PermissionDenied) as error:
                message = _messages(error) if isinstance(error, ValidationError) else str(error)
                raise CommandError(
                    _("Nothing was saved: %(reason)s") % {"reason": message or _("refused.")}
                ) from None
            self.stdout.write(_("Saved as the work plan of %(year)s.") % {"year": plan.year})
        else:
            self.stdout.write(_("Preview only: nothing was saved (add --commit to save)."))
        self.stdout.write(summary)
