"""Log-in abuse: an address is locked after five failed log-ins, for it alone; the count is
kept in the shared cache, as django-allauth's rate limits are."""

import pytest
from django.utils import translation

from local4action.accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/account/login/"


def _log_in(client, email, password):
    return client.post(LOGIN, {"login": email, "password": password})


def test_five_failed_log_ins_lock_the_address_even_for_the_right_password(client):
    person, other = UserFactory(), UserFactory()
    for _attempt in range(5):
        response = _log_in(client, person.email, "wrong password")
        assert response.status_code == 200
        assert "_auth_user_id" not in client.session
    response = _log_in(client, person.email, PASSWORD)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "Too many failed login attempts" in response.content.decode()
    # Another address from the same place still logs in.
    response = _log_in(client, other.email, PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(other.pk)


def test_four_failures_do_not_lock(client):
    person = UserFactory()
    for _attempt in range(4):
        _log_in(client, person.email, "wrong password")
    assert _log_in(client, person.email, PASSWORD).status_code == 302


def test_the_lock_message_is_in_the_person_s_language(client):
    person = UserFactory()
    for _attempt in range(5):
        _log_in(client, person.email, "wrong password")
    with translation.override("fr"):
        response = client.post(
            LOGIN, {"login": person.email, "password": PASSWORD}, HTTP_ACCEPT_LANGUAGE="fr"
        )
    html = response.content.decode()
    assert "_auth_user_id" not in client.session
    assert "Too many failed login attempts" not in html
    assert "tentatives" in html.casefold()


def test_sign_ups_from_one_address_are_limited_to_twenty_a_minute(client):
    statuses = [client.post("/account/signup/", {}).status_code for _attempt in range(21)]
    assert statuses[:20] == [200] * 20  # the form again, with its errors
    assert statuses[20] == 429
