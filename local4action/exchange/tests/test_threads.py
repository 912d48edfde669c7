"""Threads: one per topic kind (initiative, SDG, policy area, event), exactly one topic, who
sees what, locked threads, the pages (index, topic, thread, preferences) and their query count."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from local4action.accounts.tests.factories import MembershipFactory
from local4action.core.models import Goal, PolicyArea
from local4action.core.testing import assert_queries_constant
from local4action.events.tests.factories import make_event
from local4action.exchange import services
from local4action.exchange.choices import Frequency, Topic
from local4action.exchange.models import Follow, Post, Preference, Thread
from local4action.exchange.selectors import threads_visible
from local4action.monitoring.tests.factories import make_hub


@pytest.fixture
def member(org_member):
    return org_member


@pytest.fixture
def goal(db):
    return Goal.objects.get(number=11)


def start(actor, *, topic=Topic.GOAL, about=None, title="Walkable cities", body="<p>Hello</p>"):
    about = about if about is not None else Goal.objects.get(number=11)
    return services.thread_create(actor=actor, topic=topic, about=about, title=title, body=body)


def topics(db):
    hub, _editor = make_hub()
    return {
        Topic.INITIATIVE: hub,
        Topic.GOAL: Goal.objects.get(number=11),
        Topic.POLICY_AREA: PolicyArea.objects.first(),
        Topic.EVENT: make_event(),
    }


@pytest.mark.parametrize("kind", list(Topic.values))
def test_a_member_starts_a_thread_about_each_kind_of_topic(client, member, db, kind):
    about = topics(db)[kind]
    client.force_login(member)

    response = client.post(
        reverse("exchange:thread_create", args=[kind, about.pk]),
        {"title": "Sharing what works", "body": "<p>Let us talk.</p>"},
    )

    thread = Thread.objects.get()
    assert response.status_code == 302
    assert response.url == thread.get_absolute_url()
    assert thread.topic == about
    assert getattr(thread, services.TOPIC_FIELDS[kind]) == about
    assert thread.posts_count == 1
    assert thread.posts.get().body == "<p>Let us talk.</p>"
    # The author follows the thread they started.
    assert Follow.objects.filter(thread=thread, user=member).exists()
    # It is listed on its topic's page.
    listing = client.get(reverse("exchange:topic", args=[kind, about.pk]))
    assert "Sharing what works" in listing.content.decode()


def test_a_thread_has_exactly_one_topic(member, goal):
    policy_area = PolicyArea.objects.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Thread.objects.create(title="Two topics", goal=goal, policy_area=policy_area)
    with pytest.raises(IntegrityError), transaction.atomic():
        Thread.objects.create(title="No topic")
    with pytest.raises(ValidationError):
        start(member, topic="city")
    assert not Thread.objects.exists()


def test_a_thread_needs_a_title_and_a_message(client, member, goal):
    client.force_login(member)
    url = reverse("exchange:thread_create", args=[Topic.GOAL, goal.pk])

    response = client.post(url, {"title": "  ", "body": "<p><script>x()</script></p>"})

    assert response.status_code == 400
    assert not Thread.objects.exists()
    assert not Post.objects.exists()


def test_people_outside_approved_organizations_cannot_start_threads(client, user, goal):
    client.force_login(user)
    url = reverse("exchange:thread_create", args=[Topic.GOAL, goal.pk])

    assert client.get(url).status_code == 403
    assert client.post(url, {"title": "Hi", "body": "Hello"}).status_code == 403
    assert not Thread.objects.exists()


def test_unknown_or_hidden_topics_are_not_found(client, member, goal):
    hub, _editor = make_hub(status="submitted")  # not public: only its team and staff see it
    private_event = make_event(visibility="invitation")
    client.force_login(member)

    for topic, about in [
        ("city", goal.pk),
        (Topic.GOAL, 999),
        (Topic.INITIATIVE, hub.pk),
        (Topic.EVENT, private_event.pk),
    ]:
        assert client.get(reverse("exchange:topic", args=[topic, about])).status_code == 404
        response = client.post(
            reverse("exchange:thread_create", args=[topic, about]), {"title": "t", "body": "b"}
        )
        assert response.status_code == 404
    assert not Thread.objects.exists()


def test_threads_about_a_hidden_initiative_are_not_shown_to_others(client, member, secretariat):
    hub, editor = make_hub(status="submitted")
    thread = start(editor, topic=Topic.INITIATIVE, about=hub, title="Our private plans")
    client.force_login(member)

    assert client.get(thread.get_absolute_url()).status_code == 404
    assert "Our private plans" not in client.get(reverse("exchange:index")).content.decode()

    client.force_login(editor)
    assert client.get(thread.get_absolute_url()).status_code == 200
    assert "Our private plans" in client.get(reverse("exchange:index")).content.decode()


def test_a_request_to_join_does_not_open_the_organizations_private_threads(client, user):
    # given a thread about a submitted initiative, and someone whose request to join its lead
    # organization is still waiting
    hub, editor = make_hub(status="submitted")
    start(editor, topic=Topic.INITIATIVE, about=hub, title="Our private plans")
    MembershipFactory(organization=hub.lead_organization, user=user, status="requested")
    client.force_login(user)

    # then neither the index, nor a search, nor what the API lists shows it
    assert "Our private plans" not in client.get(reverse("exchange:index")).content.decode()
    search = client.get(reverse("exchange:index"), {"q": "private plans"})
    assert "Our private plans" not in search.content.decode()
    assert not threads_visible(user).filter(initiative=hub).exists()


def test_the_exchange_space_is_for_signed_in_people(client, member, goal):
    thread = start(member)
    for url in [
        reverse("exchange:index"),
        reverse("exchange:topic", args=[Topic.GOAL, goal.pk]),
        thread.get_absolute_url(),
        reverse("exchange:preferences"),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("account_login") in response.url


def test_a_locked_thread_refuses_new_messages(client, member, other_user, secretariat):
    thread = start(member)
    services.thread_lock(actor=secretariat, thread=thread, locked=True)
    client.force_login(member)

    response = client.post(reverse("exchange:reply", args=[thread.pk]), {"body": "One more"})

    assert response.status_code == 400
    assert "This discussion is locked: no new messages." in response.content.decode()
    assert thread.posts.count() == 1
    thread.refresh_from_db()
    assert thread.posts_count == 1
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "Post the message" not in page


def test_the_thread_page_shows_messages_replies_and_tools(client, member, secretariat):
    thread = start(member, body="<p>First <strong>idea</strong></p>")
    first = thread.posts.get()
    services.post_create(actor=secretariat, thread=thread, body="A reply", parent=first)
    client.force_login(member)

    page = client.get(thread.get_absolute_url()).content.decode()

    assert "First <strong>idea</strong>" in page
    assert "A reply" in page
    assert reverse("exchange:react", args=[first.pk]) in page
    assert reverse("exchange:post_edit", args=[first.pk]) in page  # own message
    assert "Stop following" in page
    assert reverse("exchange:preferences") in page
    # Others' messages can be reported; moderation is for moderators.
    assert reverse("exchange:report", args=[first.pk]) not in page
    assert reverse("exchange:hide", args=[first.pk]) not in page
    client.force_login(secretariat)
    page = client.get(thread.get_absolute_url()).content.decode()
    assert reverse("exchange:report", args=[first.pk]) in page
    assert reverse("exchange:hide", args=[first.pk]) in page
    assert reverse("exchange:lock", args=[thread.pk]) in page


def test_the_thread_page_query_count_does_not_grow_with_messages(client, member, settings):
    settings.EXCHANGE_POSTS_PER_MINUTE = 10_000
    thread = start(member)
    others = [MembershipFactory(role="member").user for _ in range(3)]
    client.force_login(member)

    def add_rows(count):
        for index in range(count):
            author = others[index % 3]
            top = services.post_create(actor=author, thread=thread, body=f"Message {index}")
            reply = services.post_create(actor=member, thread=thread, body="Yes", parent=top)
            services.reaction_toggle(actor=member, post=top, kind="like")
            services.reaction_toggle(actor=author, post=reply, kind="thanks")

    assert_queries_constant(client, thread.get_absolute_url(), add_rows)


def test_the_index_lists_threads_and_pages(client, member, settings):
    settings.EXCHANGE_POSTS_PER_MINUTE = 10_000
    for number in range(35):
        start(member, title=f"Thread number {number}")
    client.force_login(member)

    first = client.get(reverse("exchange:index")).content.decode()
    second = client.get(reverse("exchange:index") + "?page=2").content.decode()

    assert "Thread number 34" in first
    assert "Thread number 0<" not in first
    assert "Thread number 0<" in second
    assert "Page 2 of 2" in second


def test_the_index_query_count_does_not_grow_with_threads(client, member, settings):
    settings.EXCHANGE_POSTS_PER_MINUTE = 10_000
    hub, _editor = make_hub()
    event = make_event()
    client.force_login(member)

    def add_rows(count):
        for _index in range(count):
            start(member, topic=Topic.INITIATIVE, about=hub)
            start(member, topic=Topic.EVENT, about=event)
            start(member)

    assert_queries_constant(client, reverse("exchange:index"), add_rows)


def test_a_person_chooses_how_often_to_get_emails(client, member):
    thread = start(member)
    client.force_login(member)
    url = reverse("exchange:preferences")

    assert client.get(url).status_code == 200
    response = client.post(url, {"frequency": Frequency.DAILY, "next": thread.get_absolute_url()})
    assert response.status_code == 302
    assert response.url == thread.get_absolute_url()
    assert Preference.objects.get(user=member).frequency == Frequency.DAILY

    response = client.post(url, {"frequency": "hourly", "next": "https://evil.example/"})
    assert response.status_code == 400
    assert Preference.objects.get(user=member).frequency == Frequency.DAILY
    assert "https://evil.example/" not in response.content.decode()


def test_follow_and_unfollow(client, member):
    thread = start(member)
    reader = MembershipFactory(role="member").user
    client.force_login(reader)
    url = reverse("exchange:follow", args=[thread.pk])

    client.post(url, {"following": "1"})
    assert Follow.objects.filter(thread=thread, user=reader).exists()
    client.post(url, {"following": "0"})
    assert not Follow.objects.filter(thread=thread, user=reader).exists()


def test_discussions_are_linked_from_the_goal_and_event_pages(client, member, goal):
    event = make_event()
    goal_page = client.get(goal.get_absolute_url()).content.decode()
    assert reverse("exchange:topic", args=[Topic.GOAL, goal.pk]) in goal_page
    event_page = client.get(event.get_absolute_url()).content.decode()
    assert reverse("exchange:topic", args=[Topic.EVENT, event.pk]) in event_page
