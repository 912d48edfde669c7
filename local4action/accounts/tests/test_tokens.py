import datetime
import hashlib
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from local4action.accounts import services
from local4action.accounts.models import ApiToken
from local4action.accounts.tests.factories import UserFactory
from local4action.core.models import AuditEvent

API = "/api/v1/applications"


def bearer(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


# Services ------------------------------------------------------------------------------------


def test_a_new_token_works_with_the_bearer_header(client, user):
    token, secret = services.api_token_create(actor=user, name="Reporting script")

    response = client.get(API, **bearer(secret))

    assert response.status_code == 200
    assert response.json()["results"] == []
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_only_a_hash_of_the_token_is_stored(user):
    token, secret = services.api_token_create(actor=user, name="Reporting script")

    stored = ApiToken.objects.values().get(pk=token.pk)
    assert secret not in [str(value) for value in stored.values()]
    assert stored["key_hash"] == hashlib.sha256(secret.encode()).hexdigest()
    assert stored["prefix"] == secret[:8]
    assert len(secret) >= 43


def test_creating_a_token_is_audited_without_the_secret(user):
    token, secret = services.api_token_create(actor=user, name="Reporting script")

    event = AuditEvent.objects.get(action="api_token.create")
    assert event.actor == user and event.object_id == str(token.pk)
    assert secret not in f"{event.object_repr} {event.changes} {event.reason}"


def test_a_token_needs_a_name(user):
    with pytest.raises(ValidationError):
        services.api_token_create(actor=user, name="   ")
    assert not ApiToken.objects.exists()


def test_a_revoked_token_is_refused(client, user):
    token, secret = services.api_token_create(actor=user, name="Old script")

    services.api_token_revoke(actor=user, token=token)

    response = client.get(API, **bearer(secret))
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert AuditEvent.objects.filter(action="api_token.revoke", actor=user).exists()


def test_only_its_owner_revokes_a_token(user, other_user):
    token, secret = services.api_token_create(actor=user, name="Reporting script")

    with pytest.raises(PermissionDenied):
        services.api_token_revoke(actor=other_user, token=token)

    token.refresh_from_db()
    assert token.revoked_at is None
    assert not AuditEvent.objects.filter(action="api_token.revoke").exists()


@pytest.mark.parametrize(
    "header",
    ["Bearer not-a-token", "Bearer ", "bearer wrong-wrong-wrong-wrong-wrong-wrong-wrong"],
)
def test_a_wrong_token_is_refused(client, user, header):
    services.api_token_create(actor=user, name="Reporting script")

    assert client.get(API, HTTP_AUTHORIZATION=header).status_code == 401
    # Public data needs no token, but a wrong one is still refused rather than ignored.
    assert client.get("/api/v1/initiatives", HTTP_AUTHORIZATION=header).status_code == 401
    assert client.post(f"{API}/1/submit", HTTP_AUTHORIZATION=header).status_code == 401


def test_the_token_of_a_deactivated_person_is_refused(client, user):
    _, secret = services.api_token_create(actor=user, name="Reporting script")
    user.is_active = False
    user.save(update_fields=["is_active"])

    assert client.get(API, **bearer(secret)).status_code == 401


def test_anonymous_callers_must_authenticate_for_private_data(client, db):
    response = client.get(API)

    assert response.status_code == 401
    assert "detail" in response.json()


def test_last_use_is_recorded_at_most_once_a_minute(client, user):
    token, secret = services.api_token_create(actor=user, name="Reporting script")
    client.get(API, **bearer(secret))
    token.refresh_from_db()
    first = token.last_used_at

    client.get(API, **bearer(secret))
    token.refresh_from_db()
    assert token.last_used_at == first

    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - datetime.timedelta(minutes=2))
    client.get(API, **bearer(secret))
    token.refresh_from_db()
    assert token.last_used_at >= first


def test_the_browser_session_also_authenticates_with_csrf_on_writes(user):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)

    assert browser.get(API).status_code == 200
    assert browser.post(f"{API}/1/submit").status_code == 403


# Profile page --------------------------------------------------------------------------------


def test_profile_creates_shows_once_and_revokes_a_token(client, user):
    client.force_login(user)

    response = client.post(reverse("accounts:api_token_create"), {"token-name": "My script"})

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    secret = re.search(r'id="new-token" value="([^"]+)"', page).group(1)
    token = ApiToken.objects.get(user=user)
    assert token.name == "My script"
    assert token.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert client.get(API, **bearer(secret)).status_code == 200

    page = client.get(reverse("accounts:profile")).content.decode()
    assert secret not in page
    assert "My script" in page and f"{token.prefix}…" in page

    response = client.post(reverse("accounts:api_token_revoke", args=[token.pk]))

    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    page = client.get(reverse("accounts:profile")).content.decode()
    assert "The token “My script” has been revoked." in page
    assert f"{token.prefix}…" not in page
    assert client.get(API, **bearer(secret)).status_code == 401


def test_profile_token_form_needs_a_name(client, user):
    client.force_login(user)

    response = client.post(reverse("accounts:api_token_create"), {"token-name": ""})

    assert response.status_code == 200
    assert 'id="new-token"' not in response.content.decode()
    assert not ApiToken.objects.exists()


def test_nobody_revokes_someone_elses_token_from_the_profile(client, user):
    token, _ = services.api_token_create(actor=user, name="Reporting script")
    client.force_login(UserFactory())

    response = client.post(reverse("accounts:api_token_revoke", args=[token.pk]))

    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_profile_lists_only_the_persons_working_tokens(client, user, other_user):
    services.api_token_create(actor=user, name="Mine")
    revoked, _ = services.api_token_create(actor=user, name="Retired")
    services.api_token_revoke(actor=user, token=revoked)
    services.api_token_create(actor=other_user, name="Theirs")
    client.force_login(user)

    page = client.get(reverse("accounts:profile")).content.decode()

    assert "Mine" in page
    assert "Retired" not in page and "Theirs" not in page


@pytest.mark.browser
def test_tokens_are_created_copied_and_revoked_in_a_browser(page, reference_data):
    from local4action.accounts.tests.test_browser import log_in
    from local4action.core.testing import axe_violations

    person = UserFactory()
    log_in(page, person.email)

    page.get_by_label("Token name").fill("Monthly report")
    page.get_by_role("button", name="Create the token").click()
    secret = page.get_by_label("Token", exact=True).input_value()
    assert axe_violations(page) == []
    client = Client()
    assert client.get(API, **bearer(secret)).status_code == 200

    page.get_by_role("button", name="Revoke Monthly report").click()
    page.get_by_text("The token “Monthly report” has been revoked.").wait_for()
    assert client.get(API, **bearer(secret)).status_code == 401
    assert axe_violations(page) == []
