"""Reads of the exchange space, filtered by who is asking."""

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from local4action.accounts.choices import MembershipStatus
from local4action.core import search

from . import permissions
from .choices import ReportStatus
from .models import Attachment, Block, Follow, Post, Reaction, Report, Thread

THREADS_PER_PAGE = 30


def threads_about(*, topic: str, about) -> QuerySet[Thread]:
    """The threads of one topic (an initiative, an SDG, a policy area or an event)."""
    return (
        Thread.objects.filter(**{topic: about})
        .select_related("author")
        .order_by("-last_post_at", "-pk")
    )


def threads_visible(user) -> QuerySet[Thread]:
    """Every thread the person may read: event and initiative threads follow their topic."""
    if not user.is_authenticated:
        return Thread.objects.none()
    from local4action.events.selectors import events_visible
    from local4action.initiatives.choices import PUBLIC_STATUSES

    threads = Thread.objects.all()
    if permissions.can_moderate(user):
        return threads
    # Active members only, as can_view_initiative: not someone whose request to join waits.
    own = Q(
        initiative__lead_organization__memberships__user=user,
        initiative__lead_organization__memberships__status=MembershipStatus.ACTIVE,
    )
    return threads.filter(
        Q(event__isnull=True, initiative__isnull=True)
        | Q(event__in=events_visible(user))
        | Q(initiative__status__in=PUBLIC_STATUSES)
        | own
    ).distinct()


def thread_list(user, *, query: str = "") -> QuerySet[Thread]:
    threads = threads_visible(user).select_related(
        "author", "initiative", "goal", "policy_area", "event"
    )
    if query:
        matching_posts = search.search(
            Post.objects.filter(hidden_at__isnull=True, deleted_at__isnull=True), query
        )
        threads = threads.filter(
            Q(pk__in=search.search(Thread.objects.all(), query).values("pk"))
            | Q(pk__in=matching_posts.values("thread_id"))
        )
    return threads.order_by("-last_post_at", "-pk")


def post_search(user, query: str) -> QuerySet[Post]:
    """Messages matching the words (accent-insensitive, stemmed), best first, in threads the
    person may read; hidden and deleted messages are never found."""
    posts = Post.objects.filter(
        thread__in=threads_visible(user), hidden_at__isnull=True, deleted_at__isnull=True
    ).select_related("thread", "author")
    return search.search(posts, query).order_by("-search_rank", "-created_at")


def thread_get(user, pk: int) -> Thread:
    thread = (
        Thread.objects.select_related(
            "initiative__lead_organization", "goal", "policy_area", "event", "author"
        )
        .filter(pk=pk)
        .first()
    )
    if thread is None or not permissions.can_view_thread(user, thread):
        raise Http404
    return thread


def posts_of(thread: Thread, user) -> list[Post]:
    """Top-level messages in order, each with its replies, attachments and reaction counts, and
    the reactions the person gave: a fixed number of queries whatever the thread's length."""
    reactions = Reaction.objects.values("post_id", "kind").annotate(n=Count("pk"))
    posts = list(
        thread.posts.select_related("author", "hidden_by")
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("pk")))
        .order_by("created_at", "pk")
    )
    ids = [post.pk for post in posts]
    counts: dict[int, dict[str, int]] = {}
    for row in reactions.filter(post_id__in=ids):
        counts.setdefault(row["post_id"], {})[row["kind"]] = row["n"]
    mine: dict[int, set[str]] = {}
    if user.is_authenticated:
        for post_id, kind in Reaction.objects.filter(post_id__in=ids, user=user).values_list(
            "post_id", "kind"
        ):
            mine.setdefault(post_id, set()).add(kind)
    by_parent: dict[int, list[Post]] = {}
    top = []
    for post in posts:
        post.reaction_counts = counts.get(post.pk, {})
        post.my_reactions = mine.get(post.pk, set())
        if post.parent_id:
            by_parent.setdefault(post.parent_id, []).append(post)
        else:
            top.append(post)
    for post in top:
        post.reply_list = by_parent.get(post.pk, [])
    return top


def is_following(user, thread: Thread) -> bool:
    return user.is_authenticated and Follow.objects.filter(thread=thread, user=user).exists()


def moderation_queue() -> QuerySet[Post]:
    """Messages with open reports, most reported first, with the reports."""
    open_reports = Report.objects.filter(status=ReportStatus.OPEN).select_related("reporter")
    return (
        Post.objects.filter(reports__status=ReportStatus.OPEN)
        .annotate(open_reports=Count("reports", filter=Q(reports__status=ReportStatus.OPEN)))
        .select_related("thread", "author")
        .prefetch_related(Prefetch("reports", queryset=open_reports, to_attr="open_report_list"))
        .annotate(author_blocked=Exists(Block.objects.filter(user=OuterRef("author"))))
        .order_by("-open_reports", "pk")
    )


def blocked_people() -> QuerySet[Block]:
    return Block.objects.select_related("user", "blocked_by").order_by("-created_at")
