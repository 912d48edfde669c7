"""Bad input in the exchange space (pages and API): a clear message or a plain 404, never a
500, and nothing changes in the database."""

import json

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from local4action.accounts.tests.factories import MembershipFactory
from local4action.core.models import Goal
from local4action.core.testing import bearer
from local4action.exchange import services
from local4action.exchange.choices import Topic
from local4action.exchange.models import Attachment, Post, Preference, Reaction, Thread

pytestmark = pytest.mark.django_db

JSON = "application/json"


@pytest.fixture
def member(org_member):
    return org_member


@pytest.fixture
def thread(member):
    return services.thread_create(
        actor=member,
        topic=Topic.GOAL,
        about=Goal.objects.get(number=11),
        title="Walkable cities",
        body="<p>How do you plan walkable streets?</p>",
    )


def flash(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.mark.parametrize("parent", ["³", "abc", "-1", str(10**20), "9" * 5000])
def test_an_odd_parent_message_is_refused_with_a_message(client, thread, member, parent):
    # Given a member in a discussion
    client.force_login(member)
    # When the reply names a parent message that is not a plain id of this discussion
    response = client.post(
        reverse("exchange:reply", args=[thread.pk]), {"body": "Lost", "parent": parent}
    )
    # Then the answer is a message, not an error page, and nothing is posted
    assert response.status_code == 302
    assert "The message you answer is no longer in this discussion." in flash(response)
    assert thread.posts.count() == 1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": "   "}, "This field is required."),
        ({"title": "t" * 201}, "at most 200 characters"),
        ({"body": "  \n "}, "Write a message first."),
        ({"body": "<script>alert(1)</script>"}, "Write a message first."),
    ],
)
def test_a_bad_new_thread_is_explained_and_nothing_is_created(client, member, fields, message):
    client.force_login(member)
    data = {"title": "Sharing what works", "body": "<p>Hello</p>", **fields}
    response = client.post(reverse("exchange:thread_create", args=[Topic.GOAL, 11]), data)
    assert response.status_code in (200, 400)
    assert message in response.content.decode()
    assert not Thread.objects.exists() and not Post.objects.exists()


def test_the_thread_message_is_in_french_for_a_french_speaking_member(client, member):
    member.language = "fr"
    member.save()
    client.force_login(member)
    response = client.post(
        reverse("exchange:thread_create", args=[Topic.GOAL, 11]), {"title": " ", "body": "Hi"}
    )
    assert "Ce champ est obligatoire." in response.content.decode()
    assert not Thread.objects.exists()


@pytest.mark.parametrize(
    ("topic", "about"), [("planet", 1), (Topic.GOAL, 99), (Topic.INITIATIVE, 10**20)]
)
def test_unknown_topics_are_not_found(client, member, topic, about):
    client.force_login(member)
    assert client.get(reverse("exchange:topic", args=[topic, about])).status_code == 404
    response = client.post(
        reverse("exchange:thread_create", args=[topic, about]), {"title": "T", "body": "B"}
    )
    assert response.status_code == 404
    assert not Thread.objects.exists()


def test_a_file_whose_content_does_not_match_its_name_is_refused(client, thread, member):
    client.force_login(member)
    fake = SimpleUploadedFile("report.pdf", b"MZ\x90\x00 not a pdf at all", "application/pdf")
    response = client.post(
        reverse("exchange:reply", args=[thread.pk]), {"body": "See attached", "attachments": fake}
    )
    assert response.status_code == 400
    assert thread.posts.count() == 1 and not Attachment.objects.exists()


def test_an_unknown_reaction_is_refused_with_a_message(client, thread, member):
    client.force_login(member)
    post = thread.posts.get()
    response = client.post(reverse("exchange:react", args=[post.pk]), {"kind": "<b>angry</b>"})
    assert response.status_code == 302
    assert flash(response)
    assert not Reaction.objects.exists()


def test_an_unknown_email_frequency_is_refused(client, member):
    client.force_login(member)
    response = client.post(reverse("exchange:preferences"), {"frequency": "hourly"})
    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()
    assert not Preference.objects.exists()


@pytest.mark.parametrize("pk", [999999, 10**20])
def test_unknown_threads_posts_and_attachments_are_not_found(client, member, pk):
    client.force_login(member)
    assert client.get(reverse("exchange:thread", args=[pk])).status_code == 404
    assert client.post(reverse("exchange:reply", args=[pk]), {"body": "x"}).status_code == 404
    assert client.post(reverse("exchange:post_edit", args=[pk]), {"body": "x"}).status_code == 404
    assert client.post(reverse("exchange:post_delete", args=[pk])).status_code == 404
    assert client.get(reverse("exchange:attachment", args=[pk])).status_code == 404
    assert not Post.objects.exists()


def test_editing_someone_elses_message_changes_nothing(client, thread):
    stranger = MembershipFactory(role="member").user
    client.force_login(stranger)
    post = thread.posts.get()
    response = client.post(reverse("exchange:post_edit", args=[post.pk]), {"body": "Hacked"})
    assert response.status_code in (403, 404)
    post.refresh_from_db()
    assert "Hacked" not in post.body


@pytest.mark.parametrize("query", ["page=-1", f"page={10**20}", "page=abc", "q=" + "x" * 5000])
def test_odd_list_parameters_are_harmless(client, thread, member, query):
    client.force_login(member)
    assert client.get(reverse("exchange:index") + "?" + query).status_code == 200
    url = reverse("exchange:topic", args=[Topic.GOAL, 11]) + "?" + query
    assert client.get(url).status_code == 200


def test_replying_without_the_csrf_token_is_refused(thread, member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    response = client.post(reverse("exchange:reply", args=[thread.pk]), {"body": "Hi"})
    assert response.status_code == 403
    assert thread.posts.count() == 1


@pytest.mark.parametrize("body", ['{"title": "x", ', "[]", "null", "42"])
def test_malformed_json_to_the_threads_api_is_refused(client, member, body):
    response = client.post("/api/v1/threads", body, content_type=JSON, **bearer(member))
    assert response.status_code in (400, 422)
    assert not Thread.objects.exists()


@pytest.mark.parametrize(
    "extra",
    [
        {"title": ""},
        {"title": "   "},
        {"body": 42},
        {"body": "   "},
        {"topic": "planet"},
        {"about": ["11"]},
    ],
)
def test_bad_thread_bodies_in_the_api_create_nothing(client, member, extra):
    body = {"topic": "goal", "about": "11", "title": "Walkable", "body": "Hello", **extra}
    response = client.post("/api/v1/threads", json.dumps(body), content_type=JSON, **bearer(member))
    assert response.status_code in (400, 404, 422)
    assert not Thread.objects.exists()


@pytest.mark.parametrize("parent", [10**20, -1, "abc"])
def test_an_odd_parent_in_the_api_posts_nothing(client, thread, member, parent):
    response = client.post(
        f"/api/v1/threads/{thread.pk}/posts",
        json.dumps({"body": "Hi", "parent": parent}),
        content_type=JSON,
        **bearer(member),
    )
    assert response.status_code in (400, 404, 422)
    assert thread.posts.count() == 1


def test_an_over_long_title_in_the_api_is_refused_as_on_the_page(client, member):
    # The service refuses it (the page's form does too, beside the field): nothing is opened.
    body = {"topic": "goal", "about": "11", "title": "t" * 201, "body": "Hello"}
    response = client.post(
        "/api/v1/threads",
        json.dumps(body),
        content_type=JSON,
        HTTP_ACCEPT_LANGUAGE="fr",
        **bearer(member),
    )
    assert response.status_code == 400
    assert "200" in json.dumps(response.json(), ensure_ascii=False)
    assert not Thread.objects.exists()


def test_a_double_submit_of_a_new_thread_opens_one_thread(client, member):
    client.force_login(member)
    url = reverse("exchange:thread_create", args=[Topic.GOAL, 11])
    first = client.post(url, {"title": "Sharing what works", "body": "<p>Hello</p>"})
    second = client.post(url, {"title": "Sharing what works", "body": "<p>Hello</p>"})
    assert Thread.objects.count() == 1
    assert second.status_code == 302 and second["Location"] == first["Location"]
    # a different thread right after is opened
    client.post(url, {"title": "Another question", "body": "<p>Hello</p>"})
    assert Thread.objects.count() == 2
