"""Reports and moderation pages: anybody who may read a thread reports a message with a reason;
only the secretariat sees the queue, hides, dismisses, blocks, unblocks and locks (403 for
everybody else, nothing changed); every change is audited."""

import pytest
from django.urls import reverse

from local4action.core.models import AuditEvent, Goal
from local4action.exchange import services
from local4action.exchange.models import Block, Post, Report
from local4action.monitoring.tests.factories import make_hub


@pytest.fixture
def goal(db):
    return Goal.objects.get(number=11)


@pytest.fixture
def thread(goal, org_member):
    return services.thread_create(
        actor=org_member,
        topic="goal",
        about=goal,
        title="Sustainable cities",
        body="<p>Which indicators do you use?</p>",
    )


@pytest.fixture
def post(thread, org_editor):
    return services.post_create(actor=org_editor, thread=thread, body="<p>Nobody reads them.</p>")


@pytest.fixture
def reported(post, org_member):
    return services.report_create(actor=org_member, post=post, reason="Rude and dismissive.")


def _audited(action: str) -> int:
    return AuditEvent.objects.filter(action=action).count()


# Reporting -------------------------------------------------------------------------------------


def test_a_reader_reports_a_message_with_a_reason_and_goes_back_to_it(client, post, other_user):
    client.force_login(other_user)
    url = reverse("exchange:report", args=[post.pk])

    form = client.get(url)
    response = client.post(url, {"reason": "  Off topic.  "})

    assert form.status_code == 200
    assert 'name="reason"' in form.content.decode()
    assert response.status_code == 302
    assert response["Location"] == f"/exchange/threads/{post.thread_id}/#post-{post.pk}"
    report = Report.objects.get(post=post)
    assert report.reporter == other_user and report.reason == "Off topic."
    assert report.status == "open"
    assert _audited("post.report") == 1


def test_a_report_without_reason_is_refused_and_nothing_is_recorded(client, post, other_user):
    client.force_login(other_user)

    response = client.post(reverse("exchange:report", args=[post.pk]), {"reason": "   "})

    assert response.status_code == 400
    assert "Say why this message should be looked at." in response.content.decode()
    assert not Report.objects.exists()


def test_reporting_twice_says_so_and_keeps_one_report(client, reported, org_member):
    client.force_login(org_member)

    response = client.post(
        reverse("exchange:report", args=[reported.post_id]), {"reason": "Again"}, follow=True
    )

    assert "You have already reported this message" in response.content.decode()
    assert Report.objects.count() == 1


def test_a_message_in_a_thread_one_may_not_read_cannot_be_reported(client, other_user):
    draft, editor = make_hub(status="draft")
    hidden = services.thread_create(
        actor=editor, topic="initiative", about=draft, title="Internal", body="<p>Plans</p>"
    )
    client.force_login(other_user)

    url = reverse("exchange:report", args=[hidden.posts.get().pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": "x"}).status_code == 404
    assert not Report.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, post):
    response = client.get(reverse("exchange:report", args=[post.pk]))

    assert response.status_code == 302 and "login" in response["Location"]


# Only the staff moderates ---------------------------------------------------------------------


def test_every_moderation_url_is_forbidden_to_non_staff_and_changes_nothing(
    client, reported, thread, org_editor, org_member
):
    post = reported.post
    client.force_login(org_member)
    forbidden = [
        ("get", reverse("exchange:moderation"), {}),
        ("post", reverse("exchange:hide", args=[post.pk]), {"reason": "Rude"}),
        ("post", reverse("exchange:unhide", args=[post.pk]), {}),
        ("post", reverse("exchange:dismiss", args=[reported.pk]), {}),
        ("post", reverse("exchange:block", args=[org_editor.pk]), {"reason": "Rude"}),
        ("post", reverse("exchange:unblock", args=[org_editor.pk]), {}),
        ("post", reverse("exchange:lock", args=[thread.pk]), {"locked": "1"}),
    ]

    for method, url, data in forbidden:
        assert getattr(client, method)(url, data).status_code == 403, url

    post.refresh_from_db()
    thread.refresh_from_db()
    reported.refresh_from_db()
    assert post.hidden_at is None and reported.status == "open"
    assert not Block.objects.exists() and not thread.locked


def test_the_queue_shows_each_reported_message_with_its_reports(
    client, reported, secretariat, org_editor
):
    client.force_login(secretariat)

    response = client.get(reverse("exchange:moderation"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Nobody reads them." in page
    assert "Rude and dismissive." in page
    assert org_editor.get_full_name() in page
    assert f"/exchange/threads/{reported.post.thread_id}/#post-{reported.post_id}" in page
    assert reverse("exchange:hide", args=[reported.post_id]) in page
    assert reverse("exchange:dismiss", args=[reported.pk]) in page
    assert reverse("exchange:block", args=[org_editor.pk]) in page
    assert "<caption>" in page


def test_staff_hide_a_message_with_a_reason_which_closes_its_reports(client, reported, secretariat):
    client.force_login(secretariat)
    post = reported.post

    response = client.post(
        reverse("exchange:hide", args=[post.pk]),
        {"reason": "Disrespectful.", "next": reverse("exchange:moderation")},
    )

    assert response.status_code == 302 and response["Location"] == reverse("exchange:moderation")
    post.refresh_from_db()
    reported.refresh_from_db()
    assert post.hidden_at and post.hidden_reason == "Disrespectful."
    assert post.hidden_by == secretariat
    assert reported.status == "hidden" and reported.resolved_by == secretariat
    assert _audited("post.hide") == 1
    assert "Nobody reads them." not in client.get(reverse("exchange:moderation")).content.decode()


def test_hiding_without_a_reason_is_refused(client, reported, secretariat):
    client.force_login(secretariat)

    response = client.post(
        reverse("exchange:hide", args=[reported.post_id]), {"reason": " "}, follow=True
    )

    assert "Give the reason shown in place of the message." in response.content.decode()
    assert Post.objects.get(pk=reported.post_id).hidden_at is None


def test_an_outside_next_address_is_ignored(client, post, secretariat):
    client.force_login(secretariat)

    response = client.post(
        reverse("exchange:hide", args=[post.pk]),
        {"reason": "Spam", "next": "https://evil.example/"},
    )

    assert response["Location"] == f"/exchange/threads/{post.thread_id}/#post-{post.pk}"


def test_staff_show_a_hidden_message_again(client, post, secretariat):
    services.post_hide(actor=secretariat, post=post, reason="Spam")
    client.force_login(secretariat)

    client.post(reverse("exchange:unhide", args=[post.pk]))

    post.refresh_from_db()
    assert post.hidden_at is None and post.hidden_reason == ""
    assert _audited("post.unhide") == 1


def test_staff_dismiss_a_report_and_the_message_stays(client, reported, secretariat):
    client.force_login(secretariat)

    client.post(reverse("exchange:dismiss", args=[reported.pk]))
    again = client.post(reverse("exchange:dismiss", args=[reported.pk]), follow=True)

    reported.refresh_from_db()
    assert reported.status == "dismissed" and reported.resolved_by == secretariat
    assert Post.objects.get(pk=reported.post_id).hidden_at is None
    assert "This report has already been handled." in again.content.decode()
    assert _audited("report.dismiss") == 1
    assert "Rude and dismissive." not in client.get(reverse("exchange:moderation")).content.decode()


def test_staff_block_an_author_who_can_then_no_longer_post_until_unblocked(
    client, post, reported, secretariat, org_editor
):
    client.force_login(secretariat)

    client.post(reverse("exchange:block", args=[org_editor.pk]), {"reason": "Repeated insults"})

    block = Block.objects.get(user=org_editor)
    assert block.reason == "Repeated insults" and block.blocked_by == secretariat
    page = client.get(reverse("exchange:moderation")).content.decode()
    assert "Repeated insults" in page and reverse("exchange:unblock", args=[org_editor.pk]) in page
    with pytest.raises(Exception, match="may not post"):
        services.post_create(actor=org_editor, thread=post.thread, body="<p>Again</p>")

    client.post(reverse("exchange:unblock", args=[org_editor.pk]))

    assert not Block.objects.exists()
    assert _audited("user.block") == 1 and _audited("user.unblock") == 1
    services.post_create(actor=org_editor, thread=post.thread, body="<p>Sorry</p>")


def test_blocking_without_a_reason_or_oneself_is_refused(client, post, secretariat, org_editor):
    client.force_login(secretariat)

    client.post(reverse("exchange:block", args=[org_editor.pk]), {"reason": ""})
    response = client.post(
        reverse("exchange:block", args=[secretariat.pk]), {"reason": "x"}, follow=True
    )

    assert "You cannot block yourself." in response.content.decode()
    assert not Block.objects.exists()


def test_staff_lock_and_unlock_a_thread(client, thread, secretariat, org_member):
    client.force_login(secretariat)

    response = client.post(reverse("exchange:lock", args=[thread.pk]), {"locked": "1"})

    assert response["Location"] == thread.get_absolute_url()
    thread.refresh_from_db()
    assert thread.locked
    with pytest.raises(Exception, match="locked"):
        services.post_create(actor=org_member, thread=thread, body="<p>Hello</p>")

    client.post(reverse("exchange:lock", args=[thread.pk]), {"locked": "0"})

    thread.refresh_from_db()
    assert not thread.locked
    assert _audited("thread.lock") == 1 and _audited("thread.unlock") == 1


def test_moderation_actions_are_post_only(client, post, secretariat):
    client.force_login(secretariat)

    assert client.get(reverse("exchange:hide", args=[post.pk])).status_code == 405
    assert client.get(reverse("exchange:lock", args=[post.thread_id])).status_code == 405


def test_unknown_objects_are_not_found(client, secretariat):
    client.force_login(secretariat)

    assert client.post(reverse("exchange:hide", args=[999999]), {"reason": "x"}).status_code == 404
    assert client.post(reverse("exchange:dismiss", args=[999999])).status_code == 404
    assert client.post(reverse("exchange:block", args=[999999]), {"reason": "x"}).status_code == 404
