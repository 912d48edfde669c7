"""The demo network and exchange space (`manage.py seed_demo`): idempotent, the shape described
in network/demo.py and exchange/demo.py, rows consistent with the rules the services keep."""

import io

import pytest
from django.core.management import call_command
from django.db.models import Count, Max
from django.utils import timezone

from local4action.core import search
from local4action.core.models import AuditEvent
from local4action.events.demo import SEMINAR_SLUG
from local4action.exchange import permissions, selectors
from local4action.exchange.models import Block, Follow, Post, Reaction, Report, Thread
from local4action.network import selectors as network_selectors
from local4action.network.models import Connection, ExchangeItem, Relation

MODELS = (
    ExchangeItem,
    Connection,
    Relation,
    Thread,
    Post,
    Reaction,
    Follow,
    Report,
    Block,
    AuditEvent,
)


def _seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def _counts() -> dict:
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Seeded once for the module (embedding takes a while), rolled back at the end."""
    with django_db_blocker.unblock():
        from django.db import transaction

        atomic = transaction.atomic()
        atomic.__enter__()
        first = _seed()
        counts = _counts()
        second = _seed()
        yield {"first": first, "second": second, "counts": counts}
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


@pytest.fixture
def world(seeded, db):
    return seeded


def test_seed_demo_twice_adds_nothing_the_second_time(world):
    assert _counts() == world["counts"]
    assert "Demo network: 14 offers and needs (14 new)" in world["first"]
    assert "Demo network: 14 offers and needs (0 new)" in world["second"]
    assert "(0 new), related initiatives computed" in world["second"]
    assert "Demo exchange: 5 threads (5 new)" in world["first"]
    assert "Demo exchange: 5 threads (0 new)" in world["second"]


def test_the_demo_hubs_have_offers_needs_and_matches(world):
    items = ExchangeItem.objects.all()
    sides = set(items.values_list("side", flat=True))
    chefchaouen = items.filter(initiative__lead_organization__slug="chefchaouen").first()

    assert sides == {"offer", "need"}
    assert items.values("initiative").distinct().count() == 7
    assert network_selectors.matches_for(chefchaouen.initiative)


def test_connections_accepted_over_the_past_months_and_one_waiting(world):
    accepted = Connection.objects.filter(status="accepted")
    waiting = Connection.objects.get(status="requested")
    numbers = network_selectors.numbers()

    assert accepted.count() == 6
    assert set(accepted.values_list("kind", flat=True)) == {
        "peer_learning",
        "joint_project",
        "replication",
        "mentoring",
    }
    assert all(c.decided_at < timezone.now() and c.decided_by for c in accepted)
    assert all(c.created_at < c.decided_at for c in accepted)
    assert len(numbers["per_month"]) >= 4
    assert 0 < numbers["cross_region_share"] < 1
    assert waiting.source.lead_organization.slug == "xian"
    assert waiting.target.lead_organization.slug == "bilbao"
    # Bilbao's demo team can answer it.
    bilbao = waiting.target.lead_organization.memberships.get(role="admin").user
    assert network_selectors.initiative_panel(bilbao, waiting.target)["waiting"] == [waiting]


def test_related_initiatives_are_computed_for_every_public_demo_initiative(world):
    related = Relation.objects.values("initiative").annotate(n=Count("pk"))

    assert related.count() == 7
    assert all(row["n"] >= 1 for row in related)
    assert all(r.reasons and r.initiative_id != r.other_id for r in Relation.objects.all())


def test_lively_threads_in_three_languages_about_every_kind_of_topic(world):
    threads = Thread.objects.all()

    assert set(threads.values_list("language", flat=True)) == {"en", "fr", "es"}
    assert threads.filter(initiative__isnull=False).count() == 2
    assert threads.filter(goal__number=11).count() == 1
    assert threads.filter(policy_area__isnull=False).count() == 1
    assert threads.filter(event__slug=SEMINAR_SLUG).count() == 1
    for thread in threads:
        posts = thread.posts.all()
        assert posts.count() >= 3
        assert posts.filter(parent__isnull=False).exists() or thread.goal_id
        assert Follow.objects.filter(thread=thread, user=thread.author).exists()
        assert Follow.objects.filter(thread=thread).count() >= 2
        # The counters the services keep.
        assert thread.posts_count == posts.count()
        assert thread.last_post_at == posts.aggregate(last=Max("created_at"))["last"]
        assert thread.search_text == search.document(thread.title, language=thread.language)
        for post in posts:
            assert post.search_text
            assert post.parent is None or post.parent.parent_id is None
            assert "<script" not in post.body
            assert post.author and permissions.can_take_part(post.author)
    assert Reaction.objects.count() >= 15
    mentioned = Post.objects.filter(mentions__isnull=False).distinct()
    assert mentioned.count() == 1
    assert f"@{mentioned.get().mentions.get().email}" in mentioned.get().body


def test_one_reported_post_waits_and_one_was_hidden_with_a_reason(world):
    queue = list(selectors.moderation_queue())
    hidden = Post.objects.get(hidden_at__isnull=False)

    assert len(queue) == 1 and queue[0].hidden_at is None
    assert queue[0].open_report_list[0].reason
    assert hidden.hidden_reason and hidden.hidden_by
    assert hidden.reports.get().status == "hidden"
    assert AuditEvent.objects.filter(action="post.hide").count() == 1
    assert AuditEvent.objects.filter(action="post.report").count() == 2
    # Search finds the threads, accent-insensitively, and never the hidden message.
    staff = hidden.hidden_by
    found = selectors.thread_list(staff, query="nuitee")
    assert [t.language for t in found] == ["fr"]
    assert selectors.thread_list(staff, query="indicators").exists()
    assert not selectors.post_search(staff, "phone numbers").filter(pk=hidden.pk).exists()
