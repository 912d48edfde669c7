"""Invitations: organizers invite by list or file, each person gets one email with a personal
link that works once, for them only."""

import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from local4action.accounts.tests.factories import UserFactory
from local4action.events.models import Invitation, Registration
from local4action.events.tests.factories import make_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(org_admin, organization):
    return make_event(visibility="invitation", organizers=[organization], questions=["role"])


def _invite(client, event, **data):
    return client.post(reverse("events:invite", args=[event.slug]), data, follow=True)


def _link(email_message) -> str:
    return re.search(r"https?://\S+/invitations/\S+/", email_message.body).group(0)


def _path(link: str) -> str:
    return "/" + link.split("/", 3)[3]


def test_invitations_send_one_email_each_with_a_working_personal_link(
    client, event, org_admin, django_capture_on_commit_callbacks
):
    client.force_login(org_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(client, event, lines="ana@example.org, Ana, es\nbo@example.org, Bo, fr")
    assert "2 people invited" in response.content.decode()
    assert sorted(m.to[0] for m in mail.outbox) == ["ana@example.org", "bo@example.org"]
    assert all(i.sent_at for i in Invitation.objects.all())
    # Inviting again sends nothing more and names who was already invited.
    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(client, event, lines="ana@example.org")
    assert "Already invited" in response.content.decode()
    assert "ana@example.org" in response.content.decode()
    assert len(mail.outbox) == 2
    assert Invitation.objects.count() == 2
    # The link works for the invited person.
    link = _path(_link(next(m for m in mail.outbox if m.to == ["ana@example.org"])))
    ana = UserFactory(email="ana@example.org")
    client.force_login(ana)
    page = client.get(link)
    assert page.status_code == 200
    assert 'name="role"' in page.content.decode()
    response = client.post(link, {"role": "Mayor"}, follow=True)
    # Back on the event page, which shows the registration's status.
    assert response.redirect_chain == [(event.get_absolute_url(), 302)]
    registration = Registration.objects.get(person=ana)
    assert registration.status == "confirmed"
    assert registration.invitation.email == "ana@example.org"
    assert Invitation.objects.get(email="ana@example.org").accepted_by == ana


def test_anonymous_visitor_is_asked_to_sign_in_and_come_back(
    client, event, org_admin, django_capture_on_commit_callbacks
):
    client.force_login(org_admin)
    with django_capture_on_commit_callbacks(execute=True):
        _invite(client, event, lines="ana@example.org")
    client.logout()
    link = _path(_link(mail.outbox[0]))
    content = client.get(link).content.decode()
    assert event.title in content
    assert "ana@example.org" not in content
    assert f"{reverse('account_login')}?next=" in content
    assert link.replace("/", "%2F") in content


def test_invitation_used_twice_or_by_someone_else_changes_nothing(
    client, event, org_admin, django_capture_on_commit_callbacks
):
    client.force_login(org_admin)
    with django_capture_on_commit_callbacks(execute=True):
        _invite(client, event, lines="ana@example.org")
    link = _path(_link(mail.outbox[0]))
    ana, intruder = UserFactory(email="ana@example.org"), UserFactory(email="eve@example.org")

    client.force_login(intruder)
    response = client.post(link, {"role": "Spy"})
    assert response.status_code == 403
    assert "Sign in with that address" in response.content.decode()
    assert not Registration.objects.exists()

    client.force_login(ana)
    client.post(link, {"role": "Mayor"})
    assert Registration.objects.get().person == ana

    response = client.post(link, {"role": "Mayor"})
    assert "already accepted this invitation" in response.content.decode()
    client.force_login(intruder)
    response = client.post(link, {"role": "Spy"})
    assert response.status_code == 403
    assert "already been used by another person" in response.content.decode()
    assert "ana@example.org" not in response.content.decode()
    assert Registration.objects.count() == 1


def test_invalid_token_shows_a_clear_message(client, user):
    client.force_login(user)
    response = client.get(reverse("events:invitation", args=["not-a-real-token"]))
    assert response.status_code == 404
    assert "not valid" in response.content.decode()


def test_csv_file_import(client, event, org_admin):
    client.force_login(org_admin)
    upload = SimpleUploadedFile(
        "people.csv", b"email,name,language\nana@example.org,Ana,es\nbo@example.org,Bo,\n"
    )
    response = _invite(client, event, file=upload)
    assert "2 people invited" in response.content.decode()
    assert dict(Invitation.objects.values_list("email", "language")) == {
        "ana@example.org": "es",
        "bo@example.org": "en",
    }


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("email,name\nana@example.org,Ana\nnot-an-email,Bo\n", "Line 2: “not-an-email”"),
        ("name,language\nAna,es\n", "must name the columns"),
        ("email\nana@example.org\n".encode("utf-16"), "not UTF-8"),
        (b"email\n" + b"x" * (1024 * 1024), "larger than 1 MB"),
    ],
)
def test_csv_import_errors_are_named_and_nothing_is_invited(
    client, event, org_admin, content, message
):
    client.force_login(org_admin)
    data = content.encode() if isinstance(content, str) else content
    response = client.post(
        reverse("events:invite", args=[event.slug]),
        {"file": SimpleUploadedFile("people.csv", data)},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Invitation.objects.exists()
    assert not mail.outbox


def test_bad_line_in_the_textarea_is_named(client, event, org_admin):
    client.force_login(org_admin)
    response = client.post(
        reverse("events:invite", args=[event.slug]),
        {"lines": "ana@example.org\nbo(at)example.org, Bo"},
    )
    assert response.status_code == 400
    assert "Line 2: “bo(at)example.org”" in response.content.decode()
    assert not Invitation.objects.exists()


def test_invite_page_lists_invitations_with_their_status(client, event, org_admin):
    Invitation.objects.create(event=event, email="ana@example.org", token_hash="a" * 64)
    client.force_login(org_admin)
    content = client.get(reverse("events:invite", args=[event.slug])).content.decode()
    assert "ana@example.org" in content
    assert "Not yet" in content


def test_invite_is_forbidden_to_non_organizers(client, event, user, org_member):
    # someone who may not even see the invitation-only event: it is not found
    client.force_login(user)
    response = client.post(reverse("events:invite", args=[event.slug]), {"lines": "a@b.org"})
    assert response.status_code == 404
    # a member of the organizer who is not an editor: forbidden
    event.visibility = "members"
    event.save()
    client.force_login(org_member)
    response = client.post(reverse("events:invite", args=[event.slug]), {"lines": "a@b.org"})
    assert response.status_code == 403
    assert not Invitation.objects.exists()
