"""Bad input to calls, applications and reviews: a clear message, nothing changed, no 500."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from local4action.calls import services
from local4action.calls.models import Application, Attachment, Call, Review, Score
from local4action.calls.tests.factories import make_draft, make_reviewer, make_submitted
from local4action.core.testing import bearer

CALL = {
    "title": "HUBs 2028",
    "description": "<p>Hello</p>",
    "time_zone": "America/La_Paz",
    "opens_at": "2028-01-10T09:00",
    "closes_at": "2028-05-31T23:59",
    "eligible_kinds": ["local_government"],
    "target_countries": "",
    "reviewers_per_application": 2,
    "conflict_rule": "organization",
}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "", "This field is required"),
        ("title", "x" * 1000, "at most"),
        ("opens_at", "2028-02-30T09:00", "Enter a valid date/time"),
        ("closes_at", "tomorrow", "Enter a valid date/time"),
        ("closes_at", "2027-12-31T23:59", ""),
        ("time_zone", "Mars/Olympus_Mons", "Select a valid choice"),
        ("time_zone", "", "This field is required"),
        ("eligible_kinds", ["empire"], "Select a valid choice"),
        ("eligible_kinds", [], "This field is required"),
        ("reviewers_per_application", "abc", "Enter a whole number"),
        ("reviewers_per_application", "-1", ""),
        ("reviewers_per_application", str(10**20), ""),
        ("reviewers_per_application", "³", "Enter a whole number"),
        ("conflict_rule", "none-at-all", "Select a valid choice"),
        ("support_offered", ["gold"], "Select a valid choice"),
    ],
)
def test_a_call_with_a_bad_field_is_not_created(client, secretariat, field, value, message):
    # Given staff on the new-call form
    client.force_login(secretariat)
    before = Call.objects.count()

    # When they post it with one bad field
    response = client.post(reverse("calls:create"), {**CALL, field: value})

    # Then the form comes back with the reason and no call is created
    assert response.status_code == 200
    assert message in response.content.decode()
    assert 'class="errorlist' in response.content.decode()
    assert Call.objects.count() == before


def test_an_impossible_date_is_explained_in_french(client, secretariat):
    secretariat.language = "fr"
    secretariat.save()
    client.force_login(secretariat)
    response = client.post(reverse("calls:create"), {**CALL, "opens_at": "2028-02-30T09:00"})
    assert "Saisissez une date et une heure valides." in response.content.decode()
    assert not Call.objects.filter(title=CALL["title"]).exists()


def test_a_call_without_the_csrf_token_is_not_created(secretariat):
    client = Client(enforce_csrf_checks=True)
    client.force_login(secretariat)
    response = client.post(reverse("calls:create"), CALL)
    assert response.status_code == 403
    assert not Call.objects.filter(title=CALL["title"]).exists()


def test_a_bad_edit_keeps_the_call_as_it_was(client, secretariat, call):
    client.force_login(secretariat)
    before = Call.objects.values().get(pk=call.pk)
    response = client.post(
        reverse("calls:edit", args=[call.slug]),
        {**CALL, "title": "Changed", "closes_at": "2028-02-30T23:59"},
    )
    assert response.status_code == 200
    assert Call.objects.values().get(pk=call.pk) == before


def test_an_unknown_call_status_is_explained_and_changes_nothing(client, secretariat, call):
    client.force_login(secretariat)
    response = client.post(
        reverse("calls:status", args=[call.slug]), {"status": "famous"}, follow=True
    )
    assert response.status_code == 200
    assert 'class="messages' in response.content.decode() or "error" in response.content.decode()
    call.refresh_from_db()
    assert call.status == "open"


@pytest.mark.parametrize("reviewer", ["", "abc", "-1", "³", "999999", str(10**20)])
def test_assigning_a_reviewer_who_does_not_exist_asks_for_one(client, secretariat, call, reviewer):
    # Given a submitted application
    application = make_submitted(call)
    client.force_login(secretariat)

    # When the assign form is posted with a forged reviewer id
    response = client.post(
        reverse("calls:assign", args=[application.pk]), {"reviewer": reviewer}, follow=True
    )

    # Then the page asks for a reviewer and no review is created
    assert response.status_code == 200
    assert "Choose a reviewer." in response.content.decode()
    assert not Review.objects.exists()


@pytest.mark.parametrize(
    ("organization", "title"),
    [("abc", "Youth"), ("999999", "Youth"), (None, ""), (None, "   "), (None, "x" * 201)],
)
def test_starting_an_application_with_bad_input_creates_nothing(
    client, call, team, organization, title
):
    org, _admin, editor = team
    client.force_login(editor)
    response = client.post(
        reverse("calls:apply", args=[call.slug]),
        {"organization": organization or org.pk, "title": title},
    )
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    assert not Application.objects.exists()


def test_starting_an_application_for_another_organization_creates_nothing(client, call, team):
    from local4action.accounts.tests.factories import OrganizationFactory

    _org, _admin, editor = team
    client.force_login(editor)
    stranger = OrganizationFactory()
    response = client.post(
        reverse("calls:apply", args=[call.slug]), {"organization": stranger.pk, "title": "Youth"}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Application.objects.exists()


@pytest.mark.parametrize("version", ["-1", "0", str(10**20), "abc", "³", "1.5"])
def test_autosave_with_a_forged_version_is_refused_and_keeps_the_draft(client, call, team, version):
    # Given a draft last saved by the editor
    org, admin, editor = team
    application = make_draft(call, editor=editor, organization=org)
    before = Application.objects.values().get(pk=application.pk)
    summary = application.initiative.summary
    client.force_login(admin)

    # When the admin's autosave arrives with a version that is not the draft's (a forged or
    # out-of-range number; the person's own later saves are not conflicts, by design)
    response = client.post(
        reverse("calls:autosave", args=[application.pk]),
        {
            "version": version,
            "summary": "Overwritten?",
            "deliverables-TOTAL_FORMS": "0",
            "deliverables-INITIAL_FORMS": "0",
        },
    )

    # Then it is refused as a stale save, says why, and nothing of the draft changed
    assert response.status_code == 409
    assert "Someone else saved this application" in response.content.decode()
    assert Application.objects.values().get(pk=application.pk) == before
    application.initiative.refresh_from_db()
    assert application.initiative.summary == summary


def test_an_empty_upload_says_choose_a_file_and_keeps_nothing(client, call, team):
    org, _admin, editor = team
    application = make_draft(call, editor=editor, organization=org)
    client.force_login(editor)
    response = client.post(
        reverse("calls:attachment_upload", args=[application.pk]),
        {"file": SimpleUploadedFile("empty.pdf", b"", "application/pdf")},
        follow=True,
    )
    assert "Choose a file to attach." in response.content.decode()
    assert not Attachment.objects.exists()


def test_a_script_named_pdf_is_refused_on_the_page(client, call, team):
    org, _admin, editor = team
    application = make_draft(call, editor=editor, organization=org)
    client.force_login(editor)
    response = client.post(
        reverse("calls:attachment_upload", args=[application.pk]),
        {"file": SimpleUploadedFile("budget.pdf", b"<script>alert(1)</script>", "application/pdf")},
        follow=True,
    )
    assert response.status_code == 200
    assert not Attachment.objects.exists()


@pytest.mark.parametrize("score", ["abc", "-1", "6", str(10**20), "³", "4.5"])
def test_a_bad_score_on_the_review_page_saves_nothing(client, call, secretariat, score):
    application = make_submitted(call)
    review = services.review_assign(
        actor=secretariat, application=application, reviewer=make_reviewer()
    )
    criterion = call.criteria.first()
    client.force_login(review.reviewer)
    response = client.post(
        reverse("calls:review", args=[review.pk]),
        {f"score_{criterion.pk}": score, "recommendation": "labelled", "submit": "1"},
    )
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    assert not Score.objects.exists()
    review.refresh_from_db()
    assert (review.status, review.recommendation) == ("assigned", "")


def test_an_unknown_recommendation_on_the_review_page_saves_nothing(client, call, secretariat):
    application = make_submitted(call)
    review = services.review_assign(
        actor=secretariat, application=application, reviewer=make_reviewer()
    )
    client.force_login(review.reviewer)
    response = client.post(reverse("calls:review", args=[review.pk]), {"recommendation": "wow"})
    assert "Select a valid choice" in response.content.decode()
    review.refresh_from_db()
    assert review.recommendation == ""


@pytest.mark.parametrize(
    "body",
    ["{", '{"scores": "all five"}', '{"scores": [{"criterion": 1}]}', '{"submit": "maybe"}'],
)
def test_a_malformed_review_body_is_refused_in_json(client, call, secretariat, body):
    application = make_submitted(call)
    review = services.review_assign(
        actor=secretariat, application=application, reviewer=make_reviewer()
    )
    response = client.post(
        f"/api/v1/reviews/{review.pk}", body, "application/json", **bearer(review.reviewer)
    )
    assert response.status_code in (400, 422)
    assert response["Content-Type"].startswith("application/json")
    assert not Score.objects.exists()


@pytest.mark.parametrize("pk", ["999999", str(10**20)])
def test_unknown_ids_are_404_on_pages_and_api(client, secretariat, pk):
    client.force_login(secretariat)
    assert client.get(f"/applications/{pk}/").status_code == 404
    assert client.get(f"/reviews/{pk}/").status_code == 404
    assert client.get(f"/attachments/{pk}/").status_code == 404
    response = client.post(f"/api/v1/applications/{pk}/submit", **bearer(secretariat))
    assert response.status_code == 404


@pytest.mark.parametrize("query", ["page=-1", f"page={10**20}", "page=abc", "status=<b>"])
def test_the_call_list_survives_odd_queries(client, call, query):
    response = client.get(f"{reverse('calls:list')}?{query}")
    assert response.status_code == 200
    assert call.title in response.content.decode()
