"""`manage.py import_workplan`: prints the outline read from a document, saves it with
--commit, always ends with the counts line, and saves nothing when the document has blocking
problems."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from local4action.core.models import AuditEvent
from local4action.workplan.models import Action, Section, WorkPlan

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
COUNTS_2026 = "pillars=5 sections=12 actions=17 core=10 reinforced=3 partnership=4"


def run(*args) -> list[str]:
    out = io.StringIO()
    call_command("import_workplan", *map(str, args), stdout=out)
    return out.getvalue().splitlines()


def test_preview_prints_the_tree_and_saves_nothing():
    lines = run(FIXTURES / "plan_en.md", "--year", 2026)

    assert lines[0] == "Title: Local4Action Work Plan 2026"
    assert lines[1] == (
        "1. Implementation (we act) — 8 actions (Core action: 4, Reinforced action: 2, "
        "Reinforced through a partnership: 2)"
    )
    assert (
        "  1.1 Local4Action HUBs [People] — 4 actions (Core action: 2, Reinforced through "
        "a partnership: 2)"
    ) in lines
    assert "      1.3.1.1 Coastal cities [Planet] — 1 action (Reinforced action: 1)" in lines
    assert "    1.3.1 Adaptation plans [Planet] — 0 actions" in lines
    assert any(
        line.startswith("  line 65 (note): Section 2.4.1 has no section 2.4") for line in lines
    )
    assert lines[-1] == COUNTS_2026
    assert WorkPlan.objects.count() == 0


def test_preview_of_a_word_document_names_paragraphs():
    lines = run(FIXTURES / "plan_fr.docx", "--year", 2026, "--language", "fr")

    assert any(line.startswith("  paragraph 38 (note):") for line in lines)
    assert lines[-1] == COUNTS_2026


def test_commit_saves_the_plan():
    lines = run(FIXTURES / "plan_es.md", "--year", 2026, "--language", "es", "--commit")

    assert lines[-1] == COUNTS_2026
    plan = WorkPlan.objects.get()
    assert (plan.year, plan.language, plan.title, plan.source_name) == (
        2026,
        "es",
        "Plan de trabajo Local4Action 2026",
        "plan_es.md",
    )
    assert Section.objects.filter(plan=plan).count() == 12
    assert Action.objects.filter(plan=plan).count() == 17
    assert Action.objects.filter(plan=plan, tier="partnership", partner_name="Sida").count() == 4
    audit = AuditEvent.objects.get(action="workplan.import")
    assert audit.actor is None


def test_commit_with_a_title_and_the_default_language(settings):
    run(FIXTURES / "demo_2025.md", "--year", 2025, "--title", "Plan 2025", "--commit")

    plan = WorkPlan.objects.get()
    assert (plan.title, plan.language) == ("Plan 2025", settings.LANGUAGE_CODE)
    assert plan.actions.count() == 40


def test_blocking_problems_stop_before_saving():
    out = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command(
            "import_workplan",
            str(FIXTURES / "bad" / "two_pillars_3.md"),
            "--year",
            "2026",
            "--commit",
            stdout=out,
        )

    assert "line 24: Pillar 3 is numbered twice: line 17 and line 24." in str(raised.value)
    assert "  line 24 (blocking): Pillar 3 is numbered twice" in out.getvalue()
    assert WorkPlan.objects.count() == 0


@pytest.mark.parametrize(
    "name, fragment",
    [
        ("corrupt.docx", "damaged"),
        ("protected.docx", "password"),
        ("empty.md", "empty"),
        ("recipe.md", "does not look like a work plan"),
    ],
)
def test_bad_files_stop_with_their_message(name, fragment):
    with pytest.raises(CommandError, match=fragment):
        run(FIXTURES / "bad" / name, "--year", 2026, "--commit")

    assert WorkPlan.objects.count() == 0


def test_a_missing_file_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match="cannot be read"):
        run(tmp_path / "nothing.md", "--year", 2026)


def test_a_second_plan_for_the_same_year_is_refused():
    run(FIXTURES / "plan_en.md", "--year", 2026, "--commit")

    with pytest.raises(CommandError, match="Nothing was saved"):
        run(FIXTURES / "plan_fr.md", "--year", 2026, "--language", "fr", "--commit")

    plan = WorkPlan.objects.get()
    assert (plan.language, plan.actions.count()) == ("en", 17)
