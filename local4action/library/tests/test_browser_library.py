"""The library end to end, in a real Chromium: an LRG editor turns their HUB into a good
practice in one click, completes it, attaches a PDF and submits it; the secretariat publishes
it into a collection; the PDF's text is read in the background; a visitor finds the resource
by a word that is only inside the PDF, typed without accents and in the plural, opens it and
downloads the PDF (the download is counted). axe finds no serious problem on the library, the
resource page and the collection page."""

import re

import pytest
import weasyprint

from local4action.accounts.tests.factories import PASSWORD, UserFactory
from local4action.core.testing import axe_violations
from local4action.library.models import Resource, ResourceFile
from local4action.library.tests.factories import make_collection
from local4action.monitoring.tests.factories import make_hub

pytestmark = pytest.mark.browser

HUB_TITLE = "Participatory budgeting in Villeurbanne"
PDF_TEXT = "Participatory budgeting in Villeurbanne: «pépinière» workshops for every district."


def log_in(new_page, user):
    page = new_page()
    page.goto("/account/login/")
    page.locator("#id_login").fill(user.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/profile/"))
    return page


def test_a_hub_becomes_a_good_practice_found_by_its_pdf(new_page, reference_data, tmp_path):
    hub, editor = make_hub(title=HUB_TITLE)
    staff = UserFactory(roles={"secretariat"})
    collection = make_collection(title="Participation that works", published=True)
    pdf = tmp_path / "villeurbanne.pdf"
    pdf.write_bytes(
        weasyprint.HTML(string=f"<html><body><p>{PDF_TEXT}</p></body></html>").write_pdf()
    )

    # The editor turns the HUB into a good practice from its page: one click.
    team = log_in(new_page, editor)
    team.goto(hub.get_absolute_url())
    team.get_by_role("button", name="Turn this HUB into a good practice").click()
    team.wait_for_url(re.compile(r"/library/.+/edit/"))
    team.get_by_text("A draft good practice has been prepared from the HUB").wait_for()
    resource = Resource.objects.get()
    assert resource.kind == "good_practice" and resource.case.initiative == hub

    # They complete the case study, attach the PDF and submit.
    team.locator("#id_context").fill("A city of 150,000 people, eight districts.")
    team.locator("#id_what_was_done").fill("Each district votes on a share of the budget.")
    team.locator("#id_results").fill("4,300 residents voted; 37 projects were funded.")
    team.get_by_role("button", name="Save the case study").click()
    team.get_by_text("The case study has been saved.").wait_for()
    team.locator("#id_document-file").set_input_files(str(pdf))
    team.locator("#id_document-language").select_option("fr")
    team.get_by_role("button", name="Attach the document").click()
    team.get_by_text("The document has been attached.").wait_for()
    team.get_by_role("button", name="Submit for review").click()
    team.get_by_text("The resource has been sent to the secretariat.").wait_for()
    resource.refresh_from_db()
    assert resource.status == "submitted"

    # The text of the PDF was read in the background (tasks run at once in tests).
    file = ResourceFile.objects.get()
    assert file.extraction == "done", file.extraction_error
    assert "pépinière" in file.text

    # The secretariat publishes it into the collection.
    office = log_in(new_page, staff)
    office.goto("/library/")
    office.get_by_role("link", name="Resources to review").click()
    office.get_by_role("link", name=HUB_TITLE).click()
    assert "Text read" in office.locator("#review-files").inner_text()
    office.locator("#id_publish-collection").select_option(str(collection.pk))
    office.get_by_role("button", name="Publish it").click()
    office.get_by_text("has been published in the collection").wait_for()
    resource.refresh_from_db()
    assert resource.status == "published"

    # A visitor searches a word found only in the PDF, without accents and in the plural.
    visitor = new_page()
    visitor.goto("/")
    visitor.get_by_role("navigation", name="Main").get_by_role("link", name="Library").click()
    visitor.locator("#id_q").fill("pepinieres")
    visitor.locator("#catalogue-form").get_by_role("button", name="Search").click()
    visitor.wait_for_url(re.compile(r"q=pepinieres"))
    assert "1 resource found" in visitor.locator(".catalogue-summary").inner_text()
    assert axe_violations(visitor) == []
    visitor.get_by_role("link", name=HUB_TITLE).click()
    visitor.wait_for_url(re.compile(rf"{resource.get_absolute_url()}$"))
    assert "4,300 residents voted" in visitor.locator("main").inner_text()
    assert axe_violations(visitor) == []

    with visitor.expect_download() as downloading:
        visitor.get_by_role("link", name="Download villeurbanne.pdf").click()
    download = downloading.value
    assert download.suggested_filename == "villeurbanne.pdf"
    assert open(download.path(), "rb").read(4) == b"%PDF"
    file.refresh_from_db()
    assert file.downloads == 1

    # The collection shows it.
    visitor.goto(collection.get_absolute_url())
    assert HUB_TITLE in visitor.locator("main").inner_text()
    assert axe_violations(visitor) == []
