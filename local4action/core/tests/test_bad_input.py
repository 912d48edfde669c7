"""Bad input to core's pages and API: a clear answer, never a 500, and nothing changed."""

import pytest
from django.test import Client
from django.urls import reverse

from local4action.core.models import Notification
from local4action.core.services import notify


def _unread(user):
    return user.notifications.filter(read_at__isnull=True).count()


@pytest.mark.parametrize("bad_id", ["abc", "-1", "³", str(10**20), "", " ", "1.5"])
def test_marking_read_with_an_id_that_is_not_a_notification_changes_nothing(client, user, bad_id):
    # Given an unread notification
    notify(
        recipients=[user], kind="membership_approved", context={"organization": "B"}, email=False
    )
    client.force_login(user)

    # When a forged id is posted
    response = client.post(reverse("core:notifications_read"), {"id": bad_id})

    # Then the page comes back to the list and the notification stays unread
    assert response.status_code == 302
    assert response["Location"] == reverse("core:notifications")
    assert _unread(user) == 1


def test_marking_read_without_the_csrf_token_is_refused_and_changes_nothing(user):
    # Given an unread notification and a browser that does not send the CSRF token
    notify(
        recipients=[user], kind="membership_approved", context={"organization": "B"}, email=False
    )
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)

    # When it posts the form
    response = client.post(reverse("core:notifications_read"))

    # Then the write is refused and the notification stays unread
    assert response.status_code == 403
    assert _unread(user) == 1


def test_marking_read_by_get_is_refused(client, user):
    notify(
        recipients=[user], kind="membership_approved", context={"organization": "B"}, email=False
    )
    client.force_login(user)
    assert client.get(reverse("core:notifications_read")).status_code == 405
    assert _unread(user) == 1


def test_marking_another_persons_notification_read_changes_nothing(client, user, other_user):
    # Given a notification of someone else
    [theirs] = notify(recipients=[other_user], kind="membership_approved", email=False)
    client.force_login(user)

    # When its id is posted
    client.post(reverse("core:notifications_read"), {"id": str(theirs.pk)})

    # Then it stays unread
    theirs.refresh_from_db()
    assert theirs.read_at is None


@pytest.mark.parametrize("path", ["/sdg/0/", f"/sdg/{10**20}/", "/sdg/-1/", "/sdg/abc/"])
def test_a_goal_number_that_is_no_goal_is_a_404(client, db, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("code", ["99.99", "x" * 500, "<script>", "5.1%00"])
def test_a_target_code_that_is_no_target_is_a_404(client, db, code):
    assert client.get(f"/sdg/target/{code}/").status_code == 404


def test_the_404_page_speaks_the_visitor_language(client, db):
    response = client.get("/sdg/18/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 404
    assert 'lang="fr"' in response.content.decode()


@pytest.mark.parametrize(
    ("number", "status"), [("abc", 422), ("1.5", 422), ("0", 404), (str(10**20), 404)]
)
def test_the_goal_api_answers_a_bad_number_in_json(client, db, number, status):
    response = client.get(f"/api/v1/sdg/goals/{number}")
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")


def test_unknown_query_parameters_are_ignored(client, db):
    response = client.get("/sdg/5/?page=-1&foo=<b>bar</b>&number=99")
    assert response.status_code == 200
    assert "<b>bar</b>" not in response.content.decode()


def test_no_notification_is_created_by_bad_input(client, user):
    client.force_login(user)
    before = Notification.objects.count()
    client.post(reverse("core:notifications_read"), {"id": ["abc", "³"], "next": "//evil.example"})
    assert Notification.objects.count() == before


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/initiatives/%00/", 404),
        ("/api/v1/initiatives/hub%00", 404),
        ("/initiatives/?q=%00", 200),
        ("/initiatives/?q=water%00&sdg=6%00", 200),
        ("/api/v1/initiatives?q=water%00", 200),
    ],
)
def test_a_nul_character_in_an_address_never_reaches_a_query(client, db, url, status):
    # PostgreSQL text cannot hold NUL (a 500 there): not found in a path, dropped from a query
    assert client.get(url).status_code == status


def test_a_nul_character_in_an_api_body_is_dropped(client, org_member):
    from local4action.core.testing import bearer
    from local4action.exchange.models import Thread

    body = '{"topic": "goal", "about": "11", "title": "Wa\\u0000ter", "body": "Hello"}'
    response = client.post(
        "/api/v1/threads", body, content_type="application/json", **bearer(org_member)
    )
    assert response.status_code == 201
    assert Thread.objects.get().title == "Water"
