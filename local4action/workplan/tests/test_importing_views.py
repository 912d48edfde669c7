"""Importing a work plan from the web: upload → preview → commit, and re-importing a revised
document: upload → preview of kept / added / removed → confirm. Nothing is saved before the
commit, bad files get a clear message, never a 500."""

import io
import re
from pathlib import Path

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from local4action.accounts.tests.factories import UserFactory
from local4action.workplan import services
from local4action.workplan.importing import PENDING
from local4action.workplan.models import Action, ActionUpdate, Pillar, Section, WorkPlan

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
IMPORT = reverse("workplan:import")


def fixture(name: str) -> SimpleUploadedFile:
    path = FIXTURES / name
    return SimpleUploadedFile(path.name, path.read_bytes())


def saved() -> dict:
    return {m.__name__: m.objects.count() for m in (WorkPlan, Pillar, Section, Action)}


NOTHING = {"WorkPlan": 0, "Pillar": 0, "Section": 0, "Action": 0}


def upload(client, file, **fields):
    data = {"file": file, "year": 2026, "language": "en", "title": "", **fields}
    return client.post(IMPORT, data)


def token_of(html: str) -> str:
    return re.search(r'name="token" value="([^"]+)"', html).group(1)


def stats(html: str, element_id: str) -> list[tuple[str, str]]:
    block = re.search(rf'id="{element_id}">(.*?)</ul>', html, re.S).group(1)
    return re.findall(r"<strong>(\d+)</strong>\s*([^<]+?)\s*</li>", block)


@pytest.fixture
def staff(client, secretariat):
    client.force_login(secretariat)
    return client


# Who may import ------------------------------------------------------------------------------


def test_only_the_secretariat_imports(client, user):
    response = client.get(IMPORT)
    assert response.status_code == 302 and "/login/" in response["Location"]
    for person in (user, UserFactory(roles={"partner"})):
        client.force_login(person)
        assert client.get(IMPORT).status_code == 403
        assert upload(client, fixture("plan_en.md")).status_code == 403
    assert saved() == NOTHING


# Upload, preview, commit ---------------------------------------------------------------------


def test_the_preview_shows_the_counts_and_saves_nothing(staff):
    response = upload(staff, fixture("plan_en.md"))
    assert response.status_code == 200
    html = response.content.decode()
    assert stats(html, "preview-counts") == [
        ("5", "pillars"),
        ("12", "sections"),
        ("17", "actions"),
        ("10", "core actions"),
        ("3", "reinforced actions"),
        ("4", "reinforced through a partnership"),
    ]
    # The outline, with counts per tier, and the line the importer could not place.
    assert "1. Implementation (we act)" in html and "2.2.2.1" not in html
    assert "core 2 · reinforced 0 · partnership 2" in html  # section 1.1
    assert re.search(r"<td[^>]*>65</td>", html)
    assert "has no section 2.4 above it" in html
    assert 'value="Local4Action Work Plan 2026"' in html  # the title, from the document
    assert "Save the work plan with its 17 actions" in html
    assert saved() == NOTHING
    # The document waits in the session, not on disk or in the database.
    assert list(staff.session[PENDING.session_key].values())[0]["name"] == "plan_en.md"


def test_commit_saves_the_plan_and_leads_to_it(staff):
    html = upload(staff, fixture("plan_en.md"), title="").content.decode()
    response = staff.post(IMPORT, {"token": token_of(html), "title": "Our plan 2026"})
    assert response.status_code == 302
    assert response["Location"] == reverse("workplan:plan", args=[2026])
    plan = WorkPlan.objects.get()
    assert (plan.year, plan.title, plan.language, plan.source_name) == (
        2026,
        "Our plan 2026",
        "en",
        "plan_en.md",
    )
    assert saved() == {"WorkPlan": 1, "Pillar": 5, "Section": 12, "Action": 17}
    page = staff.get(response["Location"]).content.decode()
    assert "The work plan 2026 has been imported (pillars: 5, sections: 12, actions: 17)." in page
    assert staff.session[PENDING.session_key] == {}
    # The same token cannot save twice.
    again = staff.post(IMPORT, {"token": token_of(html), "title": "Our plan 2026"})
    assert again.status_code == 400
    assert "This preview has expired" in again.content.decode()
    assert WorkPlan.objects.count() == 1


def word_plan() -> bytes:
    document = docx.Document()
    document.add_heading("Work plan 2027", 0)
    document.add_heading("1. Implementation", 1)
    document.add_heading("1.1 HUBs", 2)
    document.add_paragraph("CORE ACTION:")
    document.add_paragraph("Support the HUBs in their learning agenda.", style="List Bullet")
    document.add_paragraph("REINFORCED ACTION through our partnership with Sida:")
    document.add_paragraph("Fund peer-learning visits between HUBs.", style="List Bullet")
    data = io.BytesIO()
    document.save(data)
    return data.getvalue()


def test_a_word_document_is_read_again_on_commit(staff):
    file = SimpleUploadedFile("plan.docx", word_plan())
    html = upload(staff, file, year=2027, language="fr").content.decode()
    assert stats(html, "preview-counts")[:3] == [
        ("1", "pillars"),
        ("1", "sections"),
        ("2", "actions"),
    ]
    response = staff.post(IMPORT, {"token": token_of(html), "title": "Plan 2027"})
    assert response.status_code == 302
    plan = WorkPlan.objects.get(year=2027)
    assert plan.language == "fr"
    assert sorted(plan.actions.values_list("tier", "partner_name")) == [
        ("core", ""),
        ("partnership", "Sida"),
    ]


def test_a_title_is_needed(staff):
    path = FIXTURES / "plan_en.md"
    text = path.read_text(encoding="utf-8").split("\n", 2)[2]  # without its "# Title" line
    html = upload(staff, SimpleUploadedFile("plan.md", text.encode())).content.decode()
    response = staff.post(IMPORT, {"token": token_of(html), "title": ""})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert saved() == NOTHING


# Bad documents -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("bad/two_pillars_3.md", "Pillar 3 is numbered twice: line 17 and line 24."),
        ("bad/tier_before_section.md", "comes before any numbered section"),
        ("bad/recipe.md", "does not look like a work plan"),
        ("bad/corrupt.docx", "cannot be read"),
        ("bad/protected.docx", "protected by a password"),
    ],
)
def test_a_blocking_problem_shows_no_commit_button(staff, name, message):
    response = upload(staff, fixture(name))
    assert response.status_code == 200
    html = response.content.decode()
    assert "cannot be saved as it is" in html
    assert "Blocking:" in html and message in html
    assert "Save the work plan" not in html
    # A crafted request with the token is refused too.
    forced = staff.post(IMPORT, {"token": token_of_session(staff), "title": "Forced"})
    assert forced.status_code == 409
    assert "Nothing has been saved." in forced.content.decode()
    assert saved() == NOTHING


def token_of_session(client) -> str:
    return next(iter(client.session[PENDING.session_key]))


def test_a_50_mb_file_gets_a_clear_message(staff):
    big = SimpleUploadedFile("plan.md", b"- CORE ACTION: x\n" * (50 * 1024 * 1024 // 17))
    response = upload(staff, big)
    assert response.status_code == 400
    assert "The file is too large (50.0" in response.content.decode()
    assert "the limit is 10.0" in response.content.decode()
    assert PENDING.session_key not in staff.session
    assert saved() == NOTHING


def test_the_limit_comes_from_the_settings(staff, settings):
    settings.WORKPLAN_IMPORT_MAX_BYTES = 1000
    response = upload(staff, fixture("plan_en.md"))
    assert response.status_code == 400
    assert "the limit is 1000" in response.content.decode()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"file": SimpleUploadedFile("plan.pdf", b"%PDF-1.4")}, "Only Markdown (.md)"),
        ({"year": 1999}, "greater than or equal to 2000"),
        ({"language": "de"}, "Select a valid choice"),
        ({"file": ""}, "This field is required."),
        ({"file": SimpleUploadedFile("plan.md", b"")}, "The submitted file is empty."),
    ],
)
def test_bad_upload_forms(staff, fields, message):
    response = upload(staff, fields.pop("file", fixture("plan_en.md")), **fields)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert saved() == NOTHING


def test_a_year_already_planned_is_refused(staff, secretariat):
    from .factories import make_plan

    make_plan(secretariat, year=2026)
    response = upload(staff, fixture("plan_en.md"))
    assert response.status_code == 400
    assert "There is already a work plan for 2026" in response.content.decode()


def test_a_plan_imported_meanwhile_is_reported_on_commit(staff, secretariat):
    from .factories import make_plan

    html = upload(staff, fixture("plan_en.md")).content.decode()
    make_plan(secretariat, year=2026)
    response = staff.post(IMPORT, {"token": token_of(html), "title": "Plan"})
    assert response.status_code == 409
    assert "There is already a work plan for 2026" in response.content.decode()
    assert WorkPlan.objects.get().title == "Work plan 2026"


def test_someone_elses_token_is_refused(client, staff):
    html = upload(staff, fixture("plan_en.md")).content.decode()
    client.force_login(UserFactory(roles={"secretariat"}))
    response = client.post(IMPORT, {"token": token_of(html), "title": "Plan"})
    assert response.status_code == 400
    assert saved() == NOTHING


# Re-import -----------------------------------------------------------------------------------


@pytest.fixture
def plan_2026(staff):
    html = upload(staff, fixture("plan_en.md")).content.decode()
    staff.post(IMPORT, {"token": token_of(html), "title": "Plan 2026"})
    return WorkPlan.objects.get(year=2026)


def test_reimport_previews_kept_added_and_removed_then_keeps_the_updates(
    staff, plan_2026, secretariat
):
    url = reverse("workplan:reimport", args=[2026])
    edited = plan_2026.actions.get(text_plain__startswith="Support the Local4Action HUBs")
    services.action_update(
        actor=secretariat, action=edited, status="on_track", progress=40, note="Going well"
    )
    response = staff.post(url, {"file": fixture("plan_en_revised.md")})
    assert response.status_code == 200
    html = response.content.decode()
    assert stats(html, "reimport-counts") == [
        ("16", "actions kept"),
        ("2", "of them slightly edited"),
        ("1", "actions added"),
        ("1", "actions removed"),
    ]
    assert "Train the HUB coordinators in localizing the SDGs." in html  # removed
    assert "Open a learning module on local data" in html  # added
    assert "preparing and publishing their yearly" in html  # edited, with its similarity
    assert "On track, 40%" in html
    assert Action.objects.filter(plan=plan_2026).count() == 17  # nothing saved yet

    response = staff.post(url, {"token": token_of(html)})
    assert response.status_code == 302
    edited.refresh_from_db()
    assert edited.text_plain.startswith("Support the Local4Action HUBs in preparing and publishing")
    assert (edited.status, edited.progress) == ("on_track", 40)
    assert ActionUpdate.objects.get(action=edited).note == "Going well"
    assert plan_2026.actions.count() == 17
    page = staff.get(response["Location"]).content.decode()
    assert "Actions kept with their status and updates: 16; added: 1; removed: 1." in page


def test_reimport_of_a_blocking_document_changes_nothing(staff, plan_2026):
    url = reverse("workplan:reimport", args=[2026])
    html = staff.post(url, {"file": fixture("bad/two_pillars_3.md")}).content.decode()
    assert "Confirm the re-import" not in html and "numbered twice" in html
    forced = staff.post(url, {"token": token_of_session(staff)})
    assert forced.status_code == 409
    assert plan_2026.actions.count() == 17


def test_reimport_is_for_the_secretariat_and_an_existing_plan(client, staff, plan_2026):
    assert staff.get(reverse("workplan:reimport", args=[2030])).status_code == 404
    client.force_login(UserFactory(roles={"partner"}))
    url = reverse("workplan:reimport", args=[2026])
    assert client.get(url).status_code == 403
    assert client.post(url, {"file": fixture("plan_en_revised.md")}).status_code == 403


def test_a_reimport_token_is_for_its_plan_only(staff, plan_2026):
    html = upload(staff, fixture("plan_en.md"), year=2027).content.decode()
    response = staff.post(reverse("workplan:reimport", args=[2026]), {"token": token_of(html)})
    assert response.status_code == 400
    assert "This preview has expired" in response.content.decode()
    assert plan_2026.actions.count() == 17
