"""The API's rate limits: per network address without a token, per person with one."""

import pytest

from local4action.accounts import services as account_services

pytestmark = pytest.mark.django_db


def test_anonymous_callers_are_limited_per_address(client, settings):
    settings.API_REQUESTS_PER_MINUTE = 3
    statuses = [client.get("/api/v1/sdg/goals").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get("/api/v1/sdg/goals")
    assert 1 <= int(response["Retry-After"]) <= 61
    assert "Too many requests" in response.json()["detail"]
    # Another address is not held back.
    assert client.get("/api/v1/sdg/goals", REMOTE_ADDR="192.0.2.7").status_code == 200


def test_people_with_a_token_have_their_own_larger_count(client, settings, user):
    settings.API_REQUESTS_PER_MINUTE = 1
    settings.API_REQUESTS_PER_MINUTE_PERSON = 2
    _token, secret = account_services.api_token_create(actor=user, name="script")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    assert client.get("/api/v1/sdg/goals").status_code == 200
    assert client.get("/api/v1/sdg/goals").status_code == 429  # the address is spent
    statuses = [client.get("/api/v1/sdg/goals", **headers).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_a_spoofed_forwarded_address_does_not_escape_the_limit(client, settings):
    settings.API_REQUESTS_PER_MINUTE = 1
    assert client.get("/api/v1/sdg/goals", HTTP_X_FORWARDED_FOR="203.0.113.1").status_code == 200
    response = client.get("/api/v1/sdg/goals", HTTP_X_FORWARDED_FOR="203.0.113.2")
    assert response.status_code == 429  # no proxy is trusted by default: the header is ignored
