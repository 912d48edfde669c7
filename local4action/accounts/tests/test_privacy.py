"""Privacy: a person downloads all their data and deletes their account (issue 11, item 5)."""

import datetime
import json

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from local4action.accounts import services
from local4action.accounts.models import ApiToken, Membership, User
from local4action.accounts.tests.factories import PASSWORD, MembershipFactory, UserFactory
from local4action.calls.tests.factories import make_call, make_review, make_submitted
from local4action.core.models import AuditEvent, Goal, Notification
from local4action.events.models import Registration
from local4action.events.tests.factories import make_event, make_registration
from local4action.exchange.models import Post, Thread
from local4action.surveys.models import Answer, Response
from local4action.surveys.tests.factories import make_question, make_survey


def _post(author, body="<p>We tried participatory budgeting.</p>"):
    thread = Thread.objects.create(
        title="Walkable cities", goal=Goal.objects.get(number=11), author=author
    )
    return Post.objects.create(thread=thread, author=author, body=body)


def _survey_response(person, text="Our city needs more buses."):
    survey = make_survey()
    question = make_question(survey)
    response = Response.objects.create(
        survey=survey,
        respondent=person,
        uniqueness_key=f"user:{person.pk}",
        status="submitted",
        submitted_at=timezone.now(),
    )
    Answer.objects.create(response=response, question=question, value=text, text=text)
    return response


def test_the_export_holds_the_account_and_records_from_several_apps(user, organization):
    # given a person with a membership, a registration, a survey answer and a post
    MembershipFactory(user=user, organization=organization, role="editor")
    registration = make_registration(make_event(), user, answers={"role": "Mayor"})
    _survey_response(user)
    _post(user)

    # when they export their data
    data = services.personal_data_export(actor=user, user=user)

    # then it holds their account and each app's records, and is plain JSON
    assert data["account"]["email"] == user.email
    assert data["account"]["memberships"][0]["organization"] == organization.name
    assert data["apps"]["events"]["registrations"][0]["id"] == registration.pk
    assert data["apps"]["events"]["registrations"][0]["answers"] == {"role": "Mayor"}
    assert data["apps"]["surveys"]["responses"][0]["answers"][0]["value"] == (
        "Our city needs more buses."
    )
    assert "participatory budgeting" in data["apps"]["exchange"]["posts"][0]["body"]
    assert data["apps"]["accounts"]["memberships"][0]["role"] == "editor"
    assert data["account"]["date_joined"].endswith("+00:00")
    json.dumps(data)


def test_the_download_is_a_json_attachment(client, user):
    # given a signed-in person
    client.force_login(user)

    # when they download their data
    response = client.get(reverse("accounts:personal_data_download"))

    # then they get a JSON file of their own data
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment;")
    assert json.loads(response.content)["account"]["email"] == user.email


def test_the_data_page_is_linked_from_the_profile(client, user):
    client.force_login(user)

    profile = client.get(reverse("accounts:profile"))
    page = client.get(reverse("accounts:personal_data"))

    assert reverse("accounts:personal_data").encode() in profile.content
    assert page.status_code == 200
    assert reverse("accounts:personal_data_download").encode() in page.content
    assert b'name="password"' in page.content and b'name="confirm"' in page.content


def test_anonymous_visitors_cannot_download_data(client):
    response = client.get(reverse("accounts:personal_data_download"))

    assert response.status_code == 302
    assert "login" in response["Location"]


def test_another_person_cannot_export_someone_elses_data(user, other_user):
    with pytest.raises(PermissionDenied):
        services.personal_data_export(actor=other_user, user=user)


def test_staff_may_export_someone_elses_data(user):
    staff = UserFactory(is_staff=True)

    data = services.personal_data_export(actor=staff, user=user)

    assert data["account"]["id"] == user.pk


def test_another_person_cannot_delete_an_account(user, other_user):
    with pytest.raises(PermissionDenied):
        services.account_delete(actor=other_user, user=user, password=PASSWORD)

    user.refresh_from_db()
    assert user.is_active and user.check_password(PASSWORD)


def test_a_wrong_password_changes_nothing(client, user, organization):
    # given a person with a membership
    MembershipFactory(user=user, organization=organization)
    email, name = user.email, user.name
    client.force_login(user)

    # when they try to delete their account with a wrong password
    response = client.post(
        reverse("accounts:account_delete"), {"password": "not-my-password", "confirm": "on"}
    )

    # then nothing changed
    assert response.status_code == 400
    assert b"The password is not correct." in response.content
    user.refresh_from_db()
    assert (user.email, user.name, user.is_active) == (email, name, True)
    assert Membership.objects.filter(user=user).exists()
    assert not AuditEvent.objects.filter(action="account.delete").exists()


def test_the_confirmation_box_is_required(client, user):
    client.force_login(user)

    response = client.post(reverse("accounts:account_delete"), {"password": PASSWORD})

    assert response.status_code == 400
    user.refresh_from_db()
    assert user.is_active


def test_deleting_keeps_a_review_anonymized_and_removes_memberships_and_notifications(
    client, organization
):
    # given a reviewer with a submitted review, a membership, a notification, an API token,
    # a post, a survey answer and a registration
    staff = UserFactory(roles={"secretariat"})
    call = make_call(staff=staff)
    application = make_submitted(call)
    reviewer = UserFactory(roles={"reviewer"}, name="Ada Reviewer")
    review = make_review(application, staff=staff, reviewer=reviewer)
    MembershipFactory(user=reviewer, organization=organization)
    Notification.objects.create(recipient=reviewer, kind="test")
    services.api_token_create(actor=reviewer, name="script")
    post = _post(reviewer)
    response = _survey_response(reviewer)
    registration = make_registration(make_event(), reviewer, answers={"dietary": "vegan"})
    client.force_login(reviewer)

    # when they delete their account
    result = client.post(
        reverse("accounts:account_delete"), {"password": PASSWORD, "confirm": "on"}
    )

    # then they are signed out, their account anonymized, the review and post kept
    assert result.status_code == 302
    reviewer.refresh_from_db()
    assert reviewer.email == f"deleted-{reviewer.pk}@invalid.example"
    assert reviewer.name == "Former member"
    assert not reviewer.is_active and not reviewer.has_usable_password()
    review.refresh_from_db()
    assert review.reviewer_id == reviewer.pk and review.comment == "Solid."
    assert Post.objects.get(pk=post.pk).author_id == reviewer.pk
    assert Response.objects.get(pk=response.pk).respondent is None
    registration = Registration.objects.get(pk=registration.pk)
    assert registration.status == "cancelled" and registration.answers == {}
    assert not Membership.objects.filter(user=reviewer).exists()
    assert not Notification.objects.filter(recipient=reviewer).exists()
    assert not ApiToken.objects.filter(user=reviewer).exists()
    assert not EmailAddress.objects.filter(user=reviewer).exists()
    assert not reviewer.groups.exists()
    event = AuditEvent.objects.get(action="account.delete")
    assert "Ada" not in event.object_repr and "example.org" not in event.object_repr
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_audit_descriptions_lose_the_persons_name_and_email(user, organization):
    # given audit events written about the person's membership and about their account
    from local4action.core.services import audit_record

    user.name = "Ada Lovelace"
    user.save()
    membership = MembershipFactory(user=user, organization=organization)
    audit_record(actor=user, action="membership.request", target=membership)
    audit_record(actor=None, action="user.roles", target=user, changes={"email": user.email})
    email = user.email

    # when the person deletes their account
    services.account_delete(actor=user, user=user, password=PASSWORD)

    # then the events stay, without the name or the address
    events = AuditEvent.objects.filter(action__in=["membership.request", "user.roles"])
    assert events.count() == 2
    for event in events:
        assert "Ada Lovelace" not in event.object_repr and email not in event.object_repr
        assert email not in str(event.changes)


def test_the_person_cannot_sign_in_after_deleting(client, user):
    email = user.email
    services.account_delete(actor=user, user=user, password=PASSWORD)

    assert authenticate(email=email, password=PASSWORD) is None
    assert not client.login(email=email, password=PASSWORD)
    assert not User.objects.filter(email=email).exists()


def test_deleting_ends_the_persons_other_sessions(client, user):
    client.force_login(user)
    services.account_delete(actor=user, user=user, password=PASSWORD)

    response = client.get(reverse("accounts:profile"))

    assert response.status_code == 302


def test_the_last_admin_of_an_organization_with_members_must_hand_over(org_admin, org_editor):
    # given the only admin of an organization that has another member
    with pytest.raises(ValidationError) as error:
        services.account_delete(actor=org_admin, user=org_admin, password=PASSWORD)

    # then the refusal says so, and nothing changed
    assert "only administrator" in str(error.value)
    org_admin.refresh_from_db()
    assert org_admin.is_active
    assert Membership.objects.filter(user=org_admin, role="admin").exists()


def test_an_admin_alone_in_their_organization_may_leave(org_admin):
    services.account_delete(actor=org_admin, user=org_admin, password=PASSWORD)

    org_admin.refresh_from_db()
    assert not org_admin.is_active


def test_past_registrations_stay_as_counts(user):
    start = timezone.now() - datetime.timedelta(days=30)
    registration = make_registration(
        make_event(start_at=start), user, answers={"role": "Mayor"}, checked_in_at=start
    )

    services.account_delete(actor=user, user=user, password=PASSWORD)

    registration.refresh_from_db()
    assert registration.status == "confirmed" and registration.checked_in_at is not None
    assert registration.answers == {}
