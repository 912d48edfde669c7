"""The whole path in a real Chromium: a call opens, a team applies, reviewers score, the
secretariat grants the HUB label, and the team is told in French."""

import datetime
import re

import pytest
from django.utils import timezone

from local4action.accounts.tests.factories import (
    MembershipFactory,
    OrganizationFactory,
    UserFactory,
)
from local4action.calls.models import Application
from local4action.calls.tests.factories import make_reviewer
from local4action.core.testing import log_in

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def test_call_to_hub_label(new_page, reference_data, tmp_path):
    staff = UserFactory(roles={"secretariat"}, name="Samir Staff")
    organization = OrganizationFactory(name="Municipality of Valongo", slug="valongo", country="PT")
    applicant = MembershipFactory(
        organization=organization, role="editor", user=UserFactory(language="fr", name="João Silva")
    ).user
    reviewers = [make_reviewer(name="Rosa Reviewer"), make_reviewer(name="Omar Reviewer")]

    # The secretariat opens a call.
    office = log_in(new_page, staff)
    office.goto("/calls/new/")
    office.locator("#id_title").fill("Local4Action HUBs 2027")
    office.locator("#id_description").fill("<p>Propose your initiative.</p>")
    office.locator("#id_time_zone").select_option("Europe/Madrid")
    now = timezone.localtime(timezone.now(), datetime.UTC)
    office.locator("#id_opens_at").fill(
        (now - datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    )
    office.locator("#id_closes_at").fill(
        (now + datetime.timedelta(days=30)).strftime("%Y-%m-%dT%H:%M")
    )
    office.locator("#id_eligible_kinds_0").check()
    office.locator("main form button[type=submit]").click()
    office.get_by_role("button", name="Open the call").click()
    office.get_by_text("The call is now “Open”.").wait_for()

    # A city team drafts its application; the draft saves itself as they type.
    team = log_in(new_page, applicant)
    team.goto("/calls/")
    team.get_by_role("link", name="Local4Action HUBs 2027").click()
    team.locator("a.button[href$='/apply/']").click()
    team.locator("#id_title").fill("Participation for all")
    team.locator("main form button[type=submit]").click()
    team.locator("#id_summary").fill("Participatory budgeting with under-represented groups.")
    team.wait_for_function(
        "() => document.querySelector('#autosave-status').textContent.trim() !== ''"
    )
    assert team.locator("#autosave-status .autosave-error").count() == 0
    team.reload()
    assert "under-represented" in team.locator("#id_summary").input_value()

    pdf = tmp_path / "plan.pdf"
    pdf.write_bytes(PDF)
    team.locator("#id_file").set_input_files(str(pdf))
    team.locator("form[action$='/attachments/'] button[type=submit]").click()
    team.get_by_role("link", name="plan.pdf").wait_for()

    start = timezone.localdate()
    team.locator("#id_start_date").fill(start.isoformat())
    team.locator("#id_end_date").fill((start + datetime.timedelta(days=730)).isoformat())
    team.locator("#id_goals_10").check()  # goal 11
    for textarea in team.locator("textarea[id^='id_q_']").all():
        textarea.fill("Set with residents and the university planning lab.")
    team.locator("#id_q_brand_commitment").check()
    team.locator("#id_deliverables-0-title").fill("Training for ten municipalities")
    team.locator("#id_deliverables-0-due_date").fill(
        (start + datetime.timedelta(days=365)).isoformat()
    )
    team.locator("button[name=submit]").click()
    team.wait_for_url(re.compile(r"/applications/\d+/$"))
    application = Application.objects.get()
    assert application.status == "submitted"
    assert application.attachments.count() == 1

    # The secretariat assigns two reviewers.
    office.goto(application.get_absolute_url())
    for reviewer in reviewers:
        office.locator("#id_reviewer").select_option(label=reviewer.name)
        office.locator("form[action$='/assign/'] button").click()
        office.get_by_text(f"{reviewer.name} will review this application.").wait_for()

    # Both score every criterion.
    for reviewer, score in zip(reviewers, ("5", "4"), strict=True):
        page = log_in(new_page, reviewer)
        page.goto("/reviews/")
        page.get_by_role("link", name="Participation for all").click()
        for field in page.locator("input[id^='id_score_']").all():
            field.fill(score)
        page.locator("#id_recommendation").select_option("labelled")
        page.locator("button[name=submit]").click()
        page.get_by_text("Your review has been submitted.").wait_for()

    # The secretariat grants the label.
    office.goto(application.get_absolute_url())
    office.locator("input[name=decision][value=labelled]").check()
    office.locator("#id_reason").fill("Strong participatory design, ready to inspire others.")
    office.get_by_role("button", name="Record the decision").click()
    office.get_by_text("The decision has been recorded").wait_for()

    # The HUB page shows the badge; the team is told in French.
    visitor = new_page()
    visitor.goto(application.initiative.get_absolute_url())
    visitor.locator(".hub-badge-large").wait_for()
    assert "Label granted on" in visitor.locator(".hub-badge-large").inner_text()
    team.goto("/notifications/")
    team.get_by_text("« Participation for all » est un HUB Local4Action").wait_for()


def test_call_pages_pass_axe(new_page, reference_data):
    from local4action.calls import services
    from local4action.calls.tests.factories import (
        make_call,
        make_draft,
        make_review,
        make_submitted,
    )
    from local4action.core.testing import axe_violations, log_in

    staff = UserFactory(roles={"secretariat"})
    call = make_call(staff=staff)
    application = make_submitted(call)
    review = make_review(application, staff=staff, submit=False)
    draft_app = make_draft(call, title="A draft")
    hub = make_submitted(call, title="A HUB")
    services.application_decide(actor=staff, application=hub, decision="labelled", reason="Good")

    checks = [
        (
            None,
            [
                "/calls/",
                call.get_absolute_url(),
                "/initiatives/",
                hub.initiative.get_absolute_url(),
            ],
        ),
        (draft_app.created_by, [f"/applications/{draft_app.pk}/edit/", "/applications/"]),
        (review.reviewer, [review.get_absolute_url(), "/reviews/"]),
        (
            staff,
            [
                application.get_absolute_url(),
                f"/calls/{call.slug}/ranking/",
                f"/calls/{call.slug}/applications/",
                "/calls/new/",
            ],
        ),
    ]
    for person, urls in checks:
        page = log_in(new_page, person) if person else new_page()
        for url in urls:
            page.goto(url)
            assert axe_violations(page) == [], url
