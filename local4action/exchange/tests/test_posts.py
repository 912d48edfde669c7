"""Messages: replies one level deep, sanitized rich text, size limits, blocks, the rate limit,
editing ("edited"), deleting (the place stays), reactions and attachments."""

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from local4action.accounts.tests.factories import MembershipFactory
from local4action.core.models import Goal
from local4action.exchange import services
from local4action.exchange.choices import Topic
from local4action.exchange.models import Attachment, Block, Post, Reaction, Thread
from local4action.monitoring.tests.factories import make_hub

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def member(org_member):
    return org_member


@pytest.fixture
def other_member(db):
    return MembershipFactory(role="member").user


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


def test_a_reply_to_a_reply_attaches_to_the_top_level_message(client, thread, other_member):
    top = thread.posts.get()
    first_reply = services.post_create(
        actor=other_member, thread=thread, body="Wide pavements", parent=top
    )
    client.force_login(thread.author)

    response = client.post(
        reverse("exchange:reply", args=[thread.pk]),
        {"body": "And trees", "parent": first_reply.pk},
    )

    answer = Post.objects.latest("pk")
    assert response.status_code == 302
    assert answer.parent == top
    assert response.url == answer.get_absolute_url()
    thread.refresh_from_db()
    assert thread.posts_count == 3


def test_a_reply_to_a_message_of_another_thread_is_refused(client, thread, member):
    other = services.thread_create(
        actor=member,
        topic=Topic.GOAL,
        about=Goal.objects.get(number=5),
        title="Equality",
        body="Parity",
    )
    client.force_login(member)

    response = client.post(
        reverse("exchange:reply", args=[thread.pk]),
        {"body": "Lost", "parent": other.posts.get().pk},
    )

    assert response.status_code == 302
    assert "The message you answer is no longer in this discussion." in flash(response)
    assert not Post.objects.filter(body__contains="Lost").exists()


def test_rich_text_is_sanitized(client, thread, member):
    client.force_login(member)

    client.post(
        reverse("exchange:reply", args=[thread.pk]),
        {"body": '<p onclick="steal()">Hi <script>alert(1)</script><em>all</em></p>'},
    )

    body = Post.objects.latest("pk").body
    assert "<script" not in body
    assert "onclick" not in body
    assert "<em>all</em>" in body
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "alert(1)</script>" not in page


def test_a_message_of_only_a_script_is_refused(thread, member):
    with pytest.raises(ValidationError) as error:
        services.post_create(actor=member, thread=thread, body="<script>alert(1)</script>")
    assert "Write a message first." in error.value.messages
    assert thread.posts.count() == 1


def test_a_5_mb_message_is_refused_with_a_clear_message(client, thread, member):
    huge = "a" * (5 * 1024 * 1024)
    with pytest.raises(ValidationError) as error:
        services.post_create(actor=member, thread=thread, body=huge)
    assert "A message can be 20,000 characters long at most" in error.value.messages[0]

    client.force_login(member)
    # Too large for the server to even read: a message, no error page.
    response = client.post(reverse("exchange:reply", args=[thread.pk]), {"body": huge})
    assert response.status_code == 302
    assert any("too large" in message for message in flash(response))
    # Over the limit but readable: the reason beside the field.
    response = client.post(reverse("exchange:reply", args=[thread.pk]), {"body": "b" * 30_000})
    assert response.status_code == 400
    assert "A message can be 20,000 characters long at most" in response.content.decode()
    assert thread.posts.count() == 1


def test_a_blocked_person_cannot_post(client, thread, member, secretariat):
    services.user_block(actor=secretariat, user=member, reason="Spam")
    client.force_login(member)

    response = client.post(reverse("exchange:reply", args=[thread.pk]), {"body": "Buy now"})

    assert response.status_code == 400
    assert "Your account may not post in the exchange space." in response.content.decode()
    assert thread.posts.count() == 1
    with pytest.raises(ValidationError):
        services.thread_create(
            actor=member, topic=Topic.GOAL, about=thread.goal, title="Spam", body="Spam"
        )
    assert Thread.objects.count() == 1
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "Post the message" not in page
    Block.objects.all().delete()


def test_the_eleventh_message_in_a_minute_is_refused(client, thread, member):
    # The thread's first message counts: nine more make ten.
    for index in range(9):
        services.post_create(actor=member, thread=thread, body=f"Message {index}")
    client.force_login(member)

    response = client.post(reverse("exchange:reply", args=[thread.pk]), {"body": "Eleventh"})

    assert response.status_code == 400
    assert "You are posting too fast: at most 10 messages a minute." in response.content.decode()
    assert thread.posts.count() == 10
    assert not Post.objects.filter(body__contains="Eleventh").exists()


def test_the_rate_limit_follows_the_setting(thread, member, settings):
    settings.EXCHANGE_POSTS_PER_MINUTE = 2
    services.post_create(actor=member, thread=thread, body="Second")
    with pytest.raises(ValidationError):
        services.post_create(actor=member, thread=thread, body="Third")
    assert thread.posts.count() == 2


def test_an_edited_message_shows_edited(client, thread, member, other_member):
    post = thread.posts.get()
    client.force_login(member)
    url = reverse("exchange:post_edit", args=[post.pk])

    assert "How do you plan" in client.get(url).content.decode()
    response = client.post(url, {"body": "<p>How do you plan safe streets?</p>"})

    post.refresh_from_db()
    assert response.status_code == 302
    assert post.body == "<p>How do you plan safe streets?</p>"
    assert post.edited_at is not None
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "edited on" in page
    # Only the author edits.
    client.force_login(other_member)
    assert client.get(url).status_code == 403
    assert client.post(url, {"body": "Mine now"}).status_code == 403
    post.refresh_from_db()
    assert "safe streets" in post.body


def test_a_deleted_message_keeps_its_place(client, thread, member, other_member):
    post = thread.posts.get()
    reply = services.post_create(actor=other_member, thread=thread, body="Bike lanes", parent=post)
    client.force_login(other_member)
    url = reverse("exchange:post_delete", args=[post.pk])
    assert client.post(url).status_code == 403

    client.force_login(member)
    assert client.get(url).status_code == 200
    response = client.post(url)

    post.refresh_from_db()
    assert response.status_code == 302
    assert post.deleted_at is not None
    assert post.body == ""
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "This message was deleted." in page
    assert "How do you plan" not in page
    assert "Bike lanes" in page
    assert Post.objects.filter(pk=reply.pk, parent=post).exists()


def test_reactions_toggle(client, thread, other_member):
    post = thread.posts.get()
    client.force_login(other_member)
    url = reverse("exchange:react", args=[post.pk])

    client.post(url, {"kind": "thanks"})
    assert Reaction.objects.filter(post=post, user=other_member, kind="thanks").exists()
    page = client.get(thread.get_absolute_url()).content.decode()
    assert 'value="thanks" class="reaction mine" title="Thanks" aria-pressed="true"' in page

    client.post(url, {"kind": "thanks"})
    assert not Reaction.objects.exists()

    response = client.post(url, {"kind": "angry"})
    assert "Unknown reaction." in flash(response)
    assert not Reaction.objects.exists()


def test_attachments_are_checked_by_content(client, thread, member):
    client.force_login(member)
    fake = SimpleUploadedFile("report.pdf", b"just some text, not a PDF", "application/pdf")

    response = client.post(
        reverse("exchange:reply", args=[thread.pk]), {"body": "See the file", "attachments": fake}
    )

    assert response.status_code == 400
    assert "does not match its extension" in response.content.decode()
    assert not Attachment.objects.exists()
    assert thread.posts.count() == 1


def test_at_most_three_attachments(thread, member):
    files = [SimpleUploadedFile(f"f{i}.pdf", PDF, "application/pdf") for i in range(4)]
    with pytest.raises(ValidationError):
        services.post_create(actor=member, thread=thread, body="Four files", uploads=files)
    assert not Attachment.objects.exists()
    assert thread.posts.count() == 1


def test_attachments_are_served_only_to_readers(client, member, other_member):
    hub, editor = make_hub(status="submitted")  # only its team (and staff) see it
    thread = services.thread_create(
        actor=editor, topic=Topic.INITIATIVE, about=hub, title="Plans", body="Draft"
    )
    client.force_login(editor)
    files = [SimpleUploadedFile(f"plan{i}.pdf", PDF, "application/pdf") for i in range(2)]
    client.post(
        reverse("exchange:reply", args=[thread.pk]), {"body": "Our plan", "attachments": files}
    )
    attachment = Attachment.objects.order_by("pk").first()
    assert Attachment.objects.count() == 2
    url = reverse("exchange:attachment", args=[attachment.pk])
    assert url in client.get(thread.get_absolute_url()).content.decode()

    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"

    client.force_login(other_member)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_only_people_of_approved_organizations_post(thread, user):
    with pytest.raises(PermissionDenied):
        services.post_create(actor=user, thread=thread, body="Hello")
    assert thread.posts.count() == 1
