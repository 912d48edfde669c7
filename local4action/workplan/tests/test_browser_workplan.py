"""The work plan in a real Chromium: staff upload the English plan, read the preview, commit,
update three actions and see the pillar bars move; then re-import the revised document and the
three updates are still there. Every page checked with axe."""

import re
from pathlib import Path

import pytest

from local4action.accounts.tests.factories import UserFactory
from local4action.core.testing import axe_violations, log_in
from local4action.workplan.models import Action, WorkPlan

pytestmark = pytest.mark.browser

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

# (start of the action's text, status, progress, note); all three are in pillar 1.
UPDATES = [
    ("Support the Local4Action HUBs", "on_track", "50", "Agendas received from 30 HUBs"),
    ("Accompany ten cities", "at_risk", "20", "Two cities withdrew"),
    ("Fund peer-learning visits", "done", "100", "Visits completed"),
]


def pillar_progress(page, number: int) -> str:
    return page.locator(f"#pillar-bar-{number} .pillar-progress").inner_text().rstrip("%")


def test_staff_import_track_and_reimport_a_work_plan(new_page, reference_data):
    staff = UserFactory(roles={"secretariat"})
    page = log_in(new_page, staff)

    # Upload, from the main navigation.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Work plan").click()
    page.get_by_role("link", name="Import a work plan").click()
    page.locator("#id_file").set_input_files(str(FIXTURES / "plan_en.md"))
    page.locator("#id_year").fill("2026")
    page.locator("#id_language").select_option("en")
    page.get_by_role("button", name="Read the document").click()

    # The preview: counts per tier, the line that could not be placed; nothing saved yet.
    page.get_by_role("heading", name="Check the work plan before saving").wait_for()
    counts = page.locator("#preview-counts").inner_text()
    for expected in ("5\npillars", "12\nsections", "17\nactions", "10\ncore actions"):
        assert expected in counts
    assert "has no section 2.4 above it" in page.locator("main").inner_text()
    assert not WorkPlan.objects.exists()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Save the work plan with its 17 actions").click()

    # The plan page: the tree and the pillar bars, all at zero.
    page.wait_for_url(re.compile(r"/workplan/2026/$"))
    assert "has been imported" in page.locator(".messages").inner_text()
    assert pillar_progress(page, 1) == "0"
    assert page.get_by_text("Reinforced through a partnership with Sida").count() == 4
    assert axe_violations(page) == []

    # Three updates, each from its action's page.
    for start, status, progress, note in UPDATES:
        action = Action.objects.get(text_plain__startswith=start)
        page.locator(f"#action-{action.pk}").get_by_role("link", name="Details and updates").click()
        page.locator("#id_status").select_option(status)
        page.locator("#id_progress").fill(progress)
        page.locator("#id_note").fill(note)
        page.get_by_role("button", name="Save the update").click()
        page.get_by_text("The update has been recorded.").wait_for()
        assert note in page.locator("#action-log").inner_text()
        page.get_by_role("link", name="Work plan 2026").click()

    # Pillar 1 moved (8 actions: 50 + 20 + 100 = 170 → 21%); the others did not.
    assert pillar_progress(page, 1) == "21"
    assert pillar_progress(page, 2) == "0"
    page.get_by_role("link", name="Evaluation").first.click()
    page.get_by_role("heading", name="Evaluation of the work plan 2026").wait_for()
    assert pillar_progress(page, 1) == "21"
    assert "Accompany ten cities" in page.locator("#changes-table").inner_text()
    page.wait_for_function("() => document.querySelectorAll('canvas').length >= 3")
    assert axe_violations(page) == []

    # Re-import the revised document: the preview lists what is kept, added and removed.
    page.goto("/workplan/2026/")
    page.get_by_role("link", name="Re-import a revised document").click()
    page.locator("#id_file").set_input_files(str(FIXTURES / "plan_en_revised.md"))
    page.get_by_role("button", name="Read the document").click()
    counts = page.locator("#reimport-counts").inner_text()
    assert "16\nactions kept" in counts and "1\nactions added" in counts
    assert "1\nactions removed" in counts
    assert axe_violations(page) == []
    page.get_by_role("button", name="Confirm the re-import").click()
    page.wait_for_url(re.compile(r"/workplan/2026/$"))
    assert (
        "Actions kept with their status and updates: 16" in page.locator(".messages").inner_text()
    )

    # The three updates are kept (the first action's text was slightly edited).
    plan = WorkPlan.objects.get(year=2026)
    for start, status, progress, note in UPDATES:
        action = plan.actions.get(text_plain__startswith=start)
        assert (action.status, str(action.progress)) == (status, progress)
        assert action.updates.get().note == note
    edited = plan.actions.get(text_plain__startswith="Support the Local4Action HUBs")
    assert "preparing and publishing" in edited.text_plain
    # Pillar 1 lost one action (7 left): 170 / 7 → 24%.
    assert plan.actions.filter(section__pillar__number=1).count() == 7
    assert pillar_progress(page, 1) == "24"
