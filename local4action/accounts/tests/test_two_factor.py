"""Optional two-factor log-in (django-allauth's MFA): a staff member turns on codes from an
authenticator app; from then on the password alone does not open the account."""

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from django.urls import reverse

from local4action.accounts.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def _turn_on(client, person) -> str:
    # Turning it on asks for the password again first.
    client.force_login(person)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    response = client.post(reverse("mfa_activate_totp"), {"code": _code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=person, type=Authenticator.Type.TOTP).exists()
    client.logout()
    return secret


def test_after_turning_it_on_the_password_alone_is_not_enough(client, secretariat):
    secret = _turn_on(client, secretariat)
    response = client.post(
        reverse("account_login"), {"login": secretariat.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    # A wrong code keeps the door shut, the right one opens it.
    assert client.post(reverse("mfa_authenticate"), {"code": "000000"}).status_code == 200
    assert "_auth_user_id" not in client.session
    response = client.post(reverse("mfa_authenticate"), {"code": _code(secret)})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(secretariat.pk)


def test_people_without_it_log_in_with_their_password(client, reviewer):
    response = client.post(
        reverse("account_login"), {"login": reviewer.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(reviewer.pk)


def test_the_profile_offers_it_to_staff_and_reviewers(client, reviewer):
    client.force_login(reviewer)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert reverse("mfa_index") in page
