"""The exchange API: threads the caller may read, with messages, replies and reactions (a hidden
message shows its reason, not its text); writes through the services with clear 4xx answers
(never a 500) and nothing changed when refused."""

import json

import pytest

from local4action.core.models import Goal, PolicyArea
from local4action.core.testing import bearer
from local4action.exchange import services
from local4action.exchange.models import Post, Report, Thread
from local4action.monitoring.tests.factories import make_hub

JSON = "application/json"


def send(client, method, url, body=None, **headers):
    return getattr(client, method)(url, json.dumps(body or {}), content_type=JSON, **headers)


@pytest.fixture
def goal(db):
    return Goal.objects.get(number=11)


@pytest.fixture
def thread(goal, org_member):
    return services.thread_create(
        actor=org_member,
        topic="goal",
        about=goal,
        title="Indicateurs des villes durables",
        body="<p>Quels indicateurs utilisez-vous ?</p>",
    )


def _first(thread) -> Post:
    return thread.posts.order_by("pk").first()


# Reading -------------------------------------------------------------------------------------


def test_threads_are_listed_searched_and_filtered_by_topic(client, thread, org_member):
    area = PolicyArea.objects.get(slug="gender-equality")
    services.thread_create(
        actor=org_member, topic="policy_area", about=area, title="Women in politics", body="Hi"
    )
    auth = bearer(org_member)

    everything = client.get("/api/v1/threads", **auth).json()
    search = client.get("/api/v1/threads?q=indicateur", **auth).json()
    by_goal = client.get("/api/v1/threads?topic=goal&about=11", **auth).json()
    by_area = client.get("/api/v1/threads?topic=policy_area", **auth).json()
    unknown = client.get("/api/v1/threads?topic=goal&about=eleven", **auth).json()

    assert everything["count"] == 2 and everything["pages"] == 1
    assert [t["title"] for t in search["results"]] == ["Indicateurs des villes durables"]
    first = by_goal["results"][0]
    assert by_goal["count"] == 1 and first["topic"] == {
        "kind": "goal",
        "key": "11",
        "title": str(Goal.objects.get(number=11)),
    }
    assert first["posts_count"] == 1 and first["url"].endswith(f"/exchange/threads/{thread.pk}/")
    assert [t["title"] for t in by_area["results"]] == ["Women in politics"]
    assert unknown["count"] == 0


def test_the_exchange_space_is_for_signed_in_people(client, thread):
    assert client.get("/api/v1/threads").status_code == 401
    assert client.get(f"/api/v1/threads/{thread.pk}").status_code == 401


def test_a_thread_shows_messages_with_replies_reactions_and_hidden_reasons(
    client, thread, org_member, org_editor, secretariat
):
    first = _first(thread)
    reply = services.post_create(actor=org_editor, thread=thread, body="Reply", parent=first)
    services.reaction_toggle(actor=org_editor, post=first, kind="like")
    services.reaction_toggle(actor=secretariat, post=first, kind="like")
    hidden = services.post_create(actor=org_editor, thread=thread, body="<p>Secret numbers</p>")
    services.post_hide(actor=secretariat, post=hidden, reason="Personal data")

    response = client.get(f"/api/v1/threads/{thread.pk}", **bearer(org_member))

    assert response.status_code == 200
    posts = response.json()["posts"]
    assert [p["id"] for p in posts] == [first.pk, hidden.pk]
    assert posts[0]["reactions"] == {"like": 2}
    assert [r["id"] for r in posts[0]["replies"]] == [reply.pk]
    assert posts[0]["replies"][0]["parent"] == first.pk
    assert posts[1]["body"] is None and posts[1]["hidden"]
    assert posts[1]["hidden_reason"] == "Personal data"
    assert "Secret numbers" not in response.content.decode()


def test_a_thread_about_a_draft_initiative_is_not_found_for_outsiders(client, other_user):
    draft, editor = make_hub(status="draft")
    hidden = services.thread_create(
        actor=editor, topic="initiative", about=draft, title="Internal", body="Plans"
    )

    auth = bearer(other_user)
    assert client.get(f"/api/v1/threads/{hidden.pk}", **auth).status_code == 404
    assert client.get("/api/v1/threads", **auth).json()["count"] == 0
    assert client.get(f"/api/v1/threads/{hidden.pk}", **bearer(editor)).status_code == 200
    reply = send(client, "post", f"/api/v1/threads/{hidden.pk}/posts", {"body": "x"}, **auth)
    assert reply.status_code == 404


# Writing -------------------------------------------------------------------------------------


def test_a_member_opens_a_thread_about_an_initiative(client, org_member):
    hub, _editor = make_hub()

    response = send(
        client,
        "post",
        "/api/v1/threads",
        {"topic": "initiative", "about": hub.slug, "title": "Hello", "body": "<p>Hi all</p>"},
        **bearer(org_member),
    )

    assert response.status_code == 201
    data = response.json()
    assert data["topic"]["kind"] == "initiative" and data["topic"]["key"] == hub.slug
    assert data["posts"][0]["body"] == "<p>Hi all</p>"
    assert Thread.objects.get().initiative == hub


def test_bad_threads_are_refused_and_nothing_is_created(client, org_member, user):
    auth = bearer(org_member)
    cases = [
        ({"topic": "planet", "about": "x", "title": "T", "body": "B"}, 400),
        ({"topic": "goal", "about": "99", "title": "T", "body": "B"}, 404),
        ({"topic": "goal", "about": "11", "title": "  ", "body": "B"}, 400),
        ({"topic": "goal", "about": "11", "title": "T", "body": "<script>x</script>"}, 400),
        ({"topic": "goal", "title": "T"}, 422),
    ]
    for body, status in cases:
        assert send(client, "post", "/api/v1/threads", body, **auth).status_code == status, body
    # Without an approved organization or a platform role, one reads but does not post.
    outsider = send(
        client,
        "post",
        "/api/v1/threads",
        {"topic": "goal", "about": "11", "title": "T", "body": "B"},
        **bearer(user),
    )
    assert outsider.status_code == 403
    assert not Thread.objects.exists()


def test_a_reply_is_sanitized_and_answers_one_level_deep(client, thread, org_editor):
    first = _first(thread)
    auth = bearer(org_editor)
    url = f"/api/v1/threads/{thread.pk}/posts"

    reply = send(client, "post", url, {"body": "<p>Yes<script>alert(1)</script></p>"}, **auth)
    on_first = send(client, "post", url, {"body": "Sure", "parent": first.pk}, **auth)
    nested = send(client, "post", url, {"body": "Deeper", "parent": on_first.json()["id"]}, **auth)
    elsewhere = send(client, "post", url, {"body": "x", "parent": 999999}, **auth)

    assert reply.status_code == 201 and reply.json()["body"] == "<p>Yes</p>"
    assert reply.json()["parent"] is None and on_first.json()["parent"] == first.pk
    # A reply to a reply answers its parent: one level of replies.
    assert nested.status_code == 201 and nested.json()["parent"] == first.pk
    assert elsewhere.status_code == 400 and "parent" in elsewhere.json()["fields"]
    thread.refresh_from_db()
    assert thread.posts_count == 4


def test_empty_and_huge_messages_are_refused_with_a_clear_message(client, thread, org_editor):
    auth = bearer(org_editor)
    url = f"/api/v1/threads/{thread.pk}/posts"

    empty = send(client, "post", url, {"body": "<p> </p>"}, **auth)
    long = send(client, "post", url, {"body": "x" * 20_001}, **auth)
    huge = send(client, "post", url, {"body": "x" * (5 * 1024 * 1024)}, **auth)

    assert empty.status_code == 400 and empty.json()["detail"] == ["Write a message first."]
    assert long.status_code == 400 and "at most" in long.json()["detail"][0]
    assert huge.status_code == 413
    assert huge.json()["detail"] == ["The request is too large: send less than 5 MB."]
    assert Post.objects.count() == 1


def test_a_locked_thread_and_a_blocked_account_take_no_messages(
    client, thread, org_editor, org_member, secretariat
):
    services.thread_lock(actor=secretariat, thread=thread, locked=True)
    url = f"/api/v1/threads/{thread.pk}/posts"

    locked = send(client, "post", url, {"body": "Hello"}, **bearer(org_editor))
    services.thread_lock(actor=secretariat, thread=thread, locked=False)
    services.user_block(actor=secretariat, user=org_editor, reason="Insults")
    blocked = send(client, "post", url, {"body": "Hello"}, **bearer(org_editor))

    assert locked.status_code == 400
    assert locked.json()["detail"] == ["This discussion is locked: no new messages."]
    assert blocked.status_code in (400, 403)
    assert "may not post" in json.dumps(blocked.json())
    assert Post.objects.count() == 1


def test_posting_too_fast_is_refused(client, thread, org_editor, settings):
    settings.EXCHANGE_POSTS_PER_MINUTE = 3
    auth = bearer(org_editor)
    url = f"/api/v1/threads/{thread.pk}/posts"

    answers = [send(client, "post", url, {"body": f"n{i}"}, **auth) for i in range(5)]

    assert [a.status_code for a in answers] == [201, 201, 201, 400, 400]
    assert "too fast" in answers[-1].json()["detail"][0]
    assert Post.objects.filter(author=org_editor).count() == 3


def test_authors_edit_and_delete_their_own_messages_only(client, thread, org_member, org_editor):
    first = _first(thread)

    other = send(
        client, "patch", f"/api/v1/posts/{first.pk}", {"body": "Mine"}, **bearer(org_editor)
    )
    edited = send(
        client, "patch", f"/api/v1/posts/{first.pk}", {"body": "Better"}, **bearer(org_member)
    )
    not_deleted = client.delete(f"/api/v1/posts/{first.pk}", **bearer(org_editor))
    deleted = client.delete(f"/api/v1/posts/{first.pk}", **bearer(org_member))
    late = send(client, "patch", f"/api/v1/posts/{first.pk}", {"body": "x"}, **bearer(org_member))

    assert other.status_code == 403 and not_deleted.status_code == 403
    assert edited.status_code == 200
    assert edited.json()["body"] == "Better" and edited.json()["edited_at"]
    assert deleted.status_code == 200 and deleted.json()["deleted"]
    assert deleted.json()["body"] is None
    assert late.status_code == 400
    assert client.delete("/api/v1/posts/999999", **bearer(org_member)).status_code == 404


def test_a_reader_reports_a_message_once(client, thread, org_editor):
    first = _first(thread)
    url = f"/api/v1/posts/{first.pk}/reports"

    empty = send(client, "post", url, {"reason": ""}, **bearer(org_editor))
    reported = send(client, "post", url, {"reason": "Off topic"}, **bearer(org_editor))
    twice = send(client, "post", url, {"reason": "Again"}, **bearer(org_editor))

    assert empty.status_code == 400 and "reason" in empty.json()["fields"]
    assert reported.status_code == 201 and reported.json()["status"] == "open"
    assert twice.status_code == 400
    assert Report.objects.get().reason == "Off topic"


def test_the_openapi_document_still_builds(client):
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {"/api/v1/threads", "/api/v1/threads/{id}/posts", "/api/v1/posts/{id}/reports"} <= set(
        paths
    )
