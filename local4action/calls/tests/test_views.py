"""The call, application and review pages: what each person sees and what bad input does."""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import formats
from PIL import Image

from local4action.accounts.tests.factories import UserFactory
from local4action.calls import services
from local4action.calls.models import Application, Attachment, Call, Review, Score
from local4action.calls.tests.factories import (
    make_call,
    make_draft,
    make_review,
    make_reviewer,
    make_submitted,
)
from local4action.core.models import AuditEvent

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(buffer, "PNG")
    return buffer.getvalue()


def test_drafts_of_calls_are_hidden_from_the_public(client, secretariat):
    draft = make_call(staff=secretariat, status="draft", title="Not yet")
    opened = make_call(staff=secretariat, title="Open to all")
    page = client.get(reverse("calls:list")).content.decode()
    assert opened.title in page and draft.title not in page
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(secretariat)
    assert draft.title in client.get(reverse("calls:list")).content.decode()


def test_staff_create_a_call_with_times_in_its_own_zone(client, secretariat):
    client.force_login(secretariat)
    response = client.post(
        reverse("calls:create"),
        {
            "title": "HUBs 2028",
            "description": "<p>Hello</p><script>x()</script>",
            "time_zone": "America/La_Paz",
            "opens_at": "2028-01-10T09:00",
            "closes_at": "2028-05-31T23:59",
            "eligible_kinds": ["local_government"],
            "target_countries": "bo, PE",
            "reviewers_per_application": 2,
            "conflict_rule": "organization",
        },
    )
    call = Call.objects.get(title="HUBs 2028")
    assert response["Location"] == call.get_absolute_url()
    assert call.closes_at == datetime.datetime(2028, 6, 1, 3, 59, tzinfo=datetime.UTC)
    assert call.target_countries == ["BO", "PE"]
    assert "<script>" not in call.description
    assert call.criteria.count() == 6


def test_a_call_description_saved_outside_the_services_is_cleaned_when_shown(client, call):
    # The admin site saves the description as typed, without the service's sanitizing.
    Call.objects.filter(pk=call.pk).update(
        description='<p onclick="x()">Apply <strong>now</strong></p><script>steal()</script>'
        '<a href="javascript:steal()">here</a>'
    )
    page = client.get(call.get_absolute_url()).content.decode()
    assert "<strong>now</strong>" in page
    assert "steal()" not in page and "onclick" not in page


def test_call_form_rejects_unknown_countries_and_keeps_nothing(client, secretariat):
    client.force_login(secretariat)
    response = client.post(
        reverse("calls:create"),
        {
            "title": "Bad",
            "time_zone": "UTC",
            "opens_at": "2028-01-10T09:00",
            "closes_at": "2028-05-31T23:59",
            "eligible_kinds": ["local_government"],
            "target_countries": "XX",
            "reviewers_per_application": 2,
            "conflict_rule": "organization",
        },
    )
    assert response.status_code == 200
    assert "Unknown country codes: XX" in response.content.decode()
    assert not Call.objects.filter(title="Bad").exists()


def test_only_staff_open_the_call_forms(client, user, call):
    client.force_login(user)
    assert client.get(reverse("calls:create")).status_code == 403
    assert client.get(reverse("calls:edit", args=[call.slug])).status_code == 403
    assert client.get(reverse("calls:ranking", args=[call.slug])).status_code == 403


def test_team_starts_an_application_and_lands_on_the_form(client, call, team):
    organization, admin, editor = team
    client.force_login(editor)
    assert "Apply with an initiative" in client.get(call.get_absolute_url()).content.decode()
    response = client.post(
        reverse("calls:apply", args=[call.slug]),
        {"organization": organization.pk, "title": "Youth dialogue"},
    )
    application = Application.objects.get()
    assert response["Location"] == reverse("calls:application_edit", args=[application.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Youth dialogue" in page and "Before you can submit" in page


def test_autosave_keeps_the_draft_and_refuses_a_stale_version(client, call, team):
    organization, admin, editor = team
    application = make_draft(call, editor=editor, organization=organization, complete=False)
    client.force_login(editor)
    url = reverse("calls:autosave", args=[application.pk])
    response = client.post(
        url,
        {
            "version": application.version,
            "title": "Youth dialogue",
            "summary": "Exchanges between young people",
            "q_theme": "SDG 4 and 5",
            "start_date": "2027-13-45",
            "deliverables-TOTAL_FORMS": "0",
            "deliverables-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "Draft saved" in response.content.decode()
    application.refresh_from_db()
    assert application.answers["theme"] == "SDG 4 and 5"
    assert application.initiative.summary == "Exchanges between young people"
    # The admin opened the form before the editor's save, then saves: refused, nothing lost.
    client.force_login(admin)
    stale = client.post(
        url,
        {
            "version": 1,
            "title": "Admin's older copy",
            "deliverables-TOTAL_FORMS": "0",
            "deliverables-INITIAL_FORMS": "0",
        },
    )
    assert stale.status_code == 409
    assert "Someone else saved this application" in stale.content.decode()
    application.refresh_from_db()
    assert application.initiative.title == "Youth dialogue"
    # The editor's own older copy (a second tab, an autosave on its way) is not a conflict.
    client.force_login(editor)
    again = client.post(
        url,
        {
            "version": 1,
            "title": "Youth dialogue 2",
            "deliverables-TOTAL_FORMS": "0",
            "deliverables-INITIAL_FORMS": "0",
        },
    )
    assert again.status_code == 200


def test_a_failed_submission_keeps_what_was_typed(client, call, team):
    organization, admin, editor = team
    application = make_draft(call, editor=editor, organization=organization, complete=False)
    client.force_login(editor)
    response = client.post(
        reverse("calls:application_edit", args=[application.pk]),
        {
            "version": application.version,
            "title": "Youth dialogue",
            "summary": "",
            "q_theme": "Typed before the failed submit",
            "submit": "1",
            "deliverables-TOTAL_FORMS": "0",
            "deliverables-INITIAL_FORMS": "0",
        },
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Title and summary: both are required." in content
    assert "Required answers missing" in content
    application.refresh_from_db()
    assert application.status == "draft"
    assert application.answers["theme"] == "Typed before the failed submit"


def test_submission_after_the_deadline_is_refused(client, call, team):
    organization, admin, editor = team
    application = make_draft(call, editor=editor, organization=organization)
    Call.objects.filter(pk=call.pk).update(
        closes_at=datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=1)
    )
    client.force_login(editor)
    response = client.post(
        reverse("calls:application_edit", args=[application.pk]),
        {
            "version": application.version,
            "title": application.initiative.title,
            "submit": "1",
            "deliverables-TOTAL_FORMS": "0",
            "deliverables-INITIAL_FORMS": "0",
        },
    )
    assert "The deadline has passed" in response.content.decode()
    application.refresh_from_db()
    assert application.status == "draft"


def test_a_complete_draft_is_submitted_and_then_locked(client, call, team):
    organization, admin, editor = team
    application = make_draft(call, editor=editor, organization=organization)
    client.force_login(editor)
    form = reverse("calls:application_edit", args=[application.pk])
    page = client.get(form)
    data = {k: v for k, v in page.context["form"].initial.items() if v not in (None, [])}
    data.update({f"q_{k}": v for k, v in application.answers.items()})
    data["goals"] = [g.pk for g in application.initiative.goals.all()]
    data.update(
        {
            "submit": "1",
            "deliverables-TOTAL_FORMS": "1",
            "deliverables-INITIAL_FORMS": "0",
            "deliverables-0-title": "Training",
            "deliverables-0-due_date": "2027-06-30",
        }
    )
    data.pop("target_codes", None)
    data.pop("policy_areas", None)
    response = client.post(form, data)
    assert response.status_code == 302, response.context["form"].errors
    application.refresh_from_db()
    assert application.status == "submitted"
    assert client.get(form)["Location"] == application.get_absolute_url()
    locked = client.post(
        reverse("calls:autosave", args=[application.pk]),
        {"title": "Changed", "deliverables-TOTAL_FORMS": "0", "deliverables-INITIAL_FORMS": "0"},
    )
    assert locked.status_code == 409
    application.initiative.refresh_from_db()
    assert application.initiative.title != "Changed"


def test_another_organization_cannot_open_a_draft_by_its_address(client, call, team, user):
    organization, admin, editor = team
    application = make_draft(call, editor=editor, organization=organization)
    client.force_login(UserFactory())
    for name in ("application", "application_edit"):
        assert client.get(reverse(f"calls:{name}", args=[application.pk])).status_code == 404
    response = client.post(reverse("calls:autosave", args=[application.pk]), {"title": "x"})
    assert response.status_code == 404


def test_attachments_are_checked_and_private(client, call, team):
    organization, admin, editor = team
    application = make_draft(call, editor=editor, organization=organization)
    client.force_login(editor)
    upload = reverse("calls:attachment_upload", args=[application.pk])
    client.post(upload, {"file": SimpleUploadedFile("plan.pdf", PDF, "application/pdf")})
    client.post(upload, {"file": SimpleUploadedFile("map.png", _png(), "image/png")})
    disguised = client.post(
        upload,
        {
            "file": SimpleUploadedFile(
                "budget.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200, "application/pdf"
            )
        },
        follow=True,
    )
    assert "does not match its extension" in disguised.content.decode()
    assert sorted(a.name for a in Attachment.objects.all()) == ["map.png", "plan.pdf"]
    attachment = Attachment.objects.get(name="plan.pdf")
    download = client.get(reverse("calls:attachment", args=[attachment.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    client.force_login(UserFactory())
    assert client.get(reverse("calls:attachment", args=[attachment.pk])).status_code == 404


def test_reviewer_scores_within_the_scale_only(client, call, secretariat):
    application = make_submitted(call)
    reviewer = make_reviewer()
    review = services.review_assign(actor=secretariat, application=application, reviewer=reviewer)
    client.force_login(reviewer)
    criteria = list(call.criteria.all())
    data = {f"score_{c.pk}": "4" for c in criteria}
    data[f"score_{criteria[0].pk}"] = "9"
    data.update({"recommendation": "labelled", "submit": "1"})
    response = client.post(reverse("calls:review", args=[review.pk]), data)
    assert response.status_code == 200
    assert "Give a score from 0 to 5." in response.content.decode()
    assert not Score.objects.exists()
    review.refresh_from_db()
    assert review.status == "assigned"


def test_reviewers_see_only_their_assignments(client, call, secretariat):
    application = make_submitted(call)
    mine = make_review(application, staff=secretariat, submit=False)
    other = make_reviewer()
    client.force_login(other)
    assert client.get(reverse("calls:review", args=[mine.pk])).status_code == 404
    assert client.get(application.get_absolute_url()).status_code == 404


def test_reviews_of_others_appear_only_after_submitting_ones_own(client, call, secretariat):
    application = make_submitted(call)
    first = make_review(application, staff=secretariat, recommendation="declined")
    second = make_review(application, staff=secretariat, submit=False)
    client.force_login(second.reviewer)
    page = client.get(reverse("calls:review", args=[second.pk])).content.decode()
    assert str(first.reviewer) not in page
    criteria = list(call.criteria.all())
    data = {f"score_{c.pk}": "3" for c in criteria}
    data.update({"recommendation": "accompanied", "submit": "1"})
    client.post(reverse("calls:review", args=[second.pk]), data)
    page = client.get(reverse("calls:review", args=[second.pk])).content.decode()
    assert str(first.reviewer) in page


def test_deciding_twice_gives_a_message_and_changes_nothing(client, call, secretariat):
    application = make_submitted(call)
    client.force_login(secretariat)
    url = reverse("calls:decide", args=[application.pk])
    client.post(url, {"decision": "labelled", "reason": "Excellent"})
    response = client.post(url, {"decision": "declined", "reason": "Changed my mind"}, follow=True)
    assert "already been decided" in response.content.decode()
    application.refresh_from_db()
    assert application.status == "labelled"
    assert AuditEvent.objects.filter(action="application.decide").count() == 1


def test_assigning_a_reviewer_who_is_not_a_number_gives_a_message(client, call, secretariat):
    application = make_submitted(call)
    client.force_login(secretariat)
    for value in ("abc", "1.5", ""):
        response = client.post(
            reverse("calls:assign", args=[application.pk]), {"reviewer": value}, follow=True
        )
        assert response.status_code == 200
        assert "Choose a reviewer." in response.content.decode()
    assert not Review.objects.exists()


def test_results_are_public_only_once_published(client, call, secretariat):
    hub = make_submitted(call, title="A labelled HUB")
    declined = make_submitted(call, title="A declined one")
    services.application_decide(
        actor=secretariat, application=hub, decision="labelled", reason="Strong"
    )
    services.application_decide(
        actor=secretariat, application=declined, decision="declined", reason="Weak"
    )
    url = reverse("calls:results", args=[call.slug])
    assert client.get(url).status_code == 404
    client.force_login(secretariat)
    page = client.get(url).content.decode()
    assert "A labelled HUB" in page and "A declined one" not in page
    Call.objects.filter(pk=call.pk).update(results_published=True)
    client.logout()
    page = client.get(url).content.decode()
    assert "A labelled HUB" in page and "A declined one" not in page


def test_ranking_page_lists_scores_for_staff(client, call, secretariat):
    application = make_submitted(call)
    make_review(application, staff=secretariat, scores=[1, 5, 5, 5, 5, 5])
    make_review(
        application, staff=secretariat, scores=[1, 1, 1, 1, 1, 1], recommendation="declined"
    )
    client.force_login(secretariat)
    page = client.get(reverse("calls:ranking", args=[call.slug])).content.decode()
    assert application.initiative.title in page
    # Reviewer totals 4.33 and 1.00: mean 2.67, spread 3.33; the first criterion averages 1.
    assert "2.67" in page and "3.33" in page
    assert "Disagreement" in page and "Below minimum: Locally led" in page


def test_hub_page_shows_the_badge_and_the_date(client, call, secretariat):
    application = make_submitted(call)
    services.application_decide(
        actor=secretariat,
        application=application,
        decision="labelled",
        reason="Meets every criterion",
    )
    initiative = application.initiative
    initiative.refresh_from_db()
    page = client.get(initiative.get_absolute_url()).content.decode()
    assert "Local4Action HUB" in page
    assert f"Label granted on {formats.date_format(initiative.labelled_at, 'DATE_FORMAT')}" in page
    assert initiative.title in client.get(reverse("initiatives:list")).content.decode()
    assert initiative.title in client.get("/sdg/11/").content.decode()


def test_draft_initiatives_stay_private(client, call):
    application = make_draft(call)
    assert client.get(application.initiative.get_absolute_url()).status_code == 404
    assert (
        application.initiative.title not in client.get(reverse("initiatives:list")).content.decode()
    )


def test_my_pages_list_only_my_things(client, call, secretariat, team):
    organization, admin, editor = team
    mine = make_draft(call, editor=editor, organization=organization, title="Mine")
    theirs = make_draft(call, title="Theirs")
    client.force_login(admin)
    page = client.get(reverse("calls:my_applications")).content.decode()
    assert mine.initiative.title in page and theirs.initiative.title not in page
    assert Review.objects.count() == 0


def test_ranking_shows_a_zero_spread_as_a_number(client, call, secretariat):
    application = make_submitted(call)
    make_review(application, staff=secretariat, scores=[3, 3, 3, 3, 3, 3])
    make_review(application, staff=secretariat, scores=[3, 3, 3, 3, 3, 3])
    client.force_login(secretariat)
    response = client.get(reverse("calls:ranking", args=[call.slug]))
    [row] = response.context["rows"]
    assert row.spread == 0
    assert "<td>0.00</td>" in response.content.decode()
