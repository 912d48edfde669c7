"""The exchange space under /api/v1/: threads about an initiative, an SDG, a policy area or an
event, their messages and replies, and reports.

The exchange space is for signed-in people (a token or the session); threads about an event or
an initiative follow the visibility of their topic (others get 404, as on the web pages). A
hidden message shows the moderators' reason instead of its text; a deleted one shows neither.
Every write goes through the services, which say what is refused (400 with their messages: an
empty or too long message, a locked thread, a blocked account, posting too fast…) and who is
(403). Messages are sanitized HTML: scripts and unknown tags are removed."""

import datetime

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from local4action.api.auth import AUTHENTICATED
from local4action.calls.api import Problem
from local4action.core.models import Goal, PolicyArea
from local4action.core.numbers import whole_number

from . import selectors, services
from .choices import ReactionKind, ReportStatus, Topic
from .models import Post, Thread

router = Router(tags=["Exchange"])
# OpenAPI names each schema by its class name, and a second class of the same name in another
# app silently replaces the first: hence `Exchange…` everywhere here.

PER_PAGE = 50


def _clean(value) -> str:
    """PostgreSQL stores no NUL character."""
    return str(value or "").replace("\x00", "")


def _name(person) -> str:
    return (person.get_full_name() or "") if person else ""


# Schemas -------------------------------------------------------------------------------------


class ExchangeTopicOut(Schema):
    kind: str = Field(description=f"One of: {', '.join(Topic.values)}.")
    key: str = Field(
        description="The initiative's or event's slug, the SDG's number, the policy area's code."
    )
    title: str


def _topic(thread: Thread) -> dict:
    if thread.initiative_id:
        item = thread.initiative
        return {"kind": Topic.INITIATIVE, "key": item.slug, "title": item.title}
    if thread.goal_id:
        item = thread.goal
        return {"kind": Topic.GOAL, "key": str(item.number), "title": str(item)}
    if thread.policy_area_id:
        item = thread.policy_area
        return {"kind": Topic.POLICY_AREA, "key": item.slug, "title": item.name}
    item = thread.event
    return {"kind": Topic.EVENT, "key": item.slug, "title": item.title}


class ExchangeThreadOut(Schema):
    id: int
    title: str
    topic: ExchangeTopicOut
    language: str
    locked: bool = Field(description="No new messages.")
    author: str
    posts_count: int
    created_at: datetime.datetime
    last_post_at: datetime.datetime | None
    url: str

    @staticmethod
    def resolve_topic(obj) -> dict:
        return _topic(obj)

    @staticmethod
    def resolve_author(obj) -> str:
        return _name(obj.author)

    @staticmethod
    def resolve_url(obj, context) -> str:
        return context["request"].build_absolute_uri(obj.get_absolute_url())


class ExchangeThreadPage(Schema):
    count: int
    page: int
    pages: int
    results: list[ExchangeThreadOut]


class ExchangeAttachmentOut(Schema):
    name: str
    size: int
    content_type: str
    url: str

    @staticmethod
    def resolve_url(obj, context) -> str:
        return context["request"].build_absolute_uri(reverse("exchange:attachment", args=[obj.pk]))


class ExchangePostOut(Schema):
    id: int
    parent: int | None = Field(description="The message this one replies to.")
    author: str
    body: str | None = Field(description="Sanitized HTML; null when hidden or deleted.")
    hidden: bool
    hidden_reason: str = Field(description="Why the moderators hid the message.")
    deleted: bool
    created_at: datetime.datetime
    edited_at: datetime.datetime | None = Field(description="Set when the author edited it.")
    reactions: dict[str, int] = Field(
        description=f"How many of each reaction ({', '.join(ReactionKind.values)})."
    )
    attachments: list[ExchangeAttachmentOut]

    @staticmethod
    def resolve_parent(obj) -> int | None:
        return obj.parent_id

    @staticmethod
    def resolve_author(obj) -> str:
        return _name(obj.author)

    @staticmethod
    def resolve_body(obj) -> str | None:
        return None if (obj.hidden_at or obj.deleted_at) else obj.body

    @staticmethod
    def resolve_hidden(obj) -> bool:
        return obj.hidden_at is not None

    @staticmethod
    def resolve_deleted(obj) -> bool:
        return obj.deleted_at is not None

    @staticmethod
    def resolve_reactions(obj) -> dict:
        return getattr(obj, "reaction_counts", {})

    @staticmethod
    def resolve_attachments(obj) -> list:
        if obj.hidden_at or obj.deleted_at:
            return []
        return list(obj.attachments.all())


class ExchangeMessageOut(ExchangePostOut):
    replies: list[ExchangePostOut]

    @staticmethod
    def resolve_replies(obj) -> list:
        return getattr(obj, "reply_list", [])


class ExchangeThreadDetailOut(ExchangeThreadOut):
    posts: list[ExchangeMessageOut] = Field(
        description="Messages in order, each with its replies (one level)."
    )

    @staticmethod
    def resolve_posts(obj) -> list:
        return obj.post_list


class ExchangeThreadFilters(Schema):
    q: str = Field("", description="Words in the titles or messages (accent-insensitive).")
    topic: str = Field("", description=f"One of: {', '.join(Topic.values)}.")
    about: str = Field(
        "",
        description="With `topic`: the initiative's or event's slug, the SDG's number, "
        "the policy area's code.",
    )
    page: int = 1


class ExchangeThreadIn(Schema):
    topic: str = Field(description=f"One of: {', '.join(Topic.values)}.")
    about: str = Field(
        description="The initiative's or event's slug, the SDG's number, the policy area's code."
    )
    title: str
    body: str = Field(description="The first message: HTML, sanitized.")


class ExchangePostIn(Schema):
    body: str = Field(description="HTML, sanitized; at most 20,000 characters.")
    parent: int | None = Field(None, description="The message this one replies to.")


class ExchangePostEditIn(Schema):
    body: str


class ExchangeReportIn(Schema):
    reason: str = Field(description="Why the staff should look at the message.")


class ExchangeReportOut(Schema):
    id: int
    post: int
    status: str = Field(description=f"One of: {', '.join(ReportStatus.values)}.")
    created_at: datetime.datetime

    @staticmethod
    def resolve_post(obj) -> int:
        return obj.post_id


# Helpers -------------------------------------------------------------------------------------


def _about(request, topic: str, about: str):
    """The topic's object, if the caller may see it; anything else is not found."""
    about = _clean(about).strip()
    if topic == Topic.INITIATIVE:
        from local4action.initiatives.selectors import initiative_get

        return initiative_get(user=request.auth, slug=about)
    if topic == Topic.EVENT:
        from local4action.events.selectors import event_get

        return event_get(request.auth, about)
    if topic == Topic.GOAL:
        number = whole_number(about)
        if number is None:
            raise Http404
        return get_object_or_404(Goal, number=number)
    if topic == Topic.POLICY_AREA:
        return get_object_or_404(PolicyArea, slug=about)
    raise Http404


def _thread(request, pk: int) -> Thread:
    return selectors.thread_get(request.auth, pk)


def _post(request, pk: int) -> Post:
    post = get_object_or_404(Post.objects.select_related("author"), pk=pk)
    post.thread = _thread(request, post.thread_id)
    return post


def _post_out(post: Post) -> Post:
    post = Post.objects.select_related("author").prefetch_related("attachments").get(pk=post.pk)
    counts: dict[str, int] = {}
    for kind in post.reactions.values_list("kind", flat=True):
        counts[kind] = counts.get(kind, 0) + 1
    post.reaction_counts = counts
    return post


# Threads -------------------------------------------------------------------------------------


@router.get(
    "/threads",
    response=ExchangeThreadPage,
    auth=AUTHENTICATED,
    summary="Discussion threads",
    description="The threads the caller may read, latest activity first. `q` searches titles "
    "and messages (accent-insensitive, stemmed in English, French and Spanish); `topic` "
    f"(with `about`) keeps those about one initiative, SDG, policy area or event. {PER_PAGE} "
    "per page.",
)
def thread_list(request, filters: Query[ExchangeThreadFilters]):
    threads = selectors.thread_list(request.auth, query=_clean(filters.q).strip()[:200])
    topic = _clean(filters.topic)
    if topic:
        if topic not in Topic.values:
            threads = threads.none()
        elif filters.about:
            try:
                threads = threads.filter(**{topic: _about(request, topic, filters.about)})
            except Http404:
                threads = threads.none()
        else:
            threads = threads.filter(**{f"{topic}__isnull": False})
    paginator = Paginator(threads, PER_PAGE)
    page = paginator.get_page(filters.page)
    return {
        "count": paginator.count,
        "page": page.number,
        "pages": paginator.num_pages,
        "results": list(page.object_list),
    }


@router.get(
    "/threads/{id}",
    response=ExchangeThreadDetailOut,
    auth=AUTHENTICATED,
    summary="A thread with its messages",
    description="Messages in order with their replies (one level), reactions and attachments. "
    "A hidden message has no `body` but the moderators' `hidden_reason`.",
)
def thread_detail(request, id: int):
    thread = _thread(request, id)
    thread.post_list = selectors.posts_of(thread, request.auth)
    return thread


@router.post(
    "/threads",
    response={201: ExchangeThreadDetailOut, 400: Problem, 403: Problem, 404: Problem},
    auth=AUTHENTICATED,
    summary="Open a thread",
    description="About an initiative, an SDG, a policy area or an event, with its first "
    "message; the caller then follows it. Members of approved organizations and people with a "
    "platform role. 400: no title, an empty or too long message, posting too fast, a "
    "blocked account.",
)
def thread_create(request, body: ExchangeThreadIn):
    topic = _clean(body.topic)
    if topic not in Topic.values:
        raise ValidationError({"topic": [_("Choose what the discussion is about.")]})
    thread = services.thread_create(
        actor=request.auth,
        topic=topic,
        about=_about(request, topic, body.about),
        title=_clean(body.title),
        body=_clean(body.body),
    )
    thread = selectors.thread_get(request.auth, thread.pk)
    thread.post_list = selectors.posts_of(thread, request.auth)
    return Status(201, thread)


# Messages ------------------------------------------------------------------------------------


@router.post(
    "/threads/{id}/posts",
    response={201: ExchangePostOut, 400: Problem, 403: Problem},
    auth=AUTHENTICATED,
    summary="Post a message",
    description="In the thread, or as a reply to one of its messages (`parent`; a reply to a "
    "reply answers its parent: one level). Followers and mentioned people (`@email`) are "
    "notified. 400: an empty or too long message, a locked thread, a blocked account, "
    "posting too fast.",
)
def post_create(request, id: int, body: ExchangePostIn):
    thread = _thread(request, id)
    parent = None
    if body.parent is not None:
        parent = Post.objects.filter(pk=body.parent, thread=thread).first()
        if parent is None:
            raise ValidationError(
                {"parent": [_("You can only reply to a message of this discussion.")]}
            )
    post = services.post_create(
        actor=request.auth, thread=thread, body=_clean(body.body), parent=parent
    )
    return Status(201, _post_out(post))


@router.patch(
    "/posts/{id}",
    response={200: ExchangePostOut, 400: Problem, 403: Problem},
    auth=AUTHENTICATED,
    summary="Edit my message",
    description="Authors only; the message then shows `edited_at`. Hidden and deleted "
    "messages, and those of locked threads, can no longer be changed.",
)
def post_edit(request, id: int, body: ExchangePostEditIn):
    post = services.post_edit(actor=request.auth, post=_post(request, id), body=_clean(body.body))
    return Status(200, _post_out(post))


@router.delete(
    "/posts/{id}",
    response={200: ExchangePostOut, 400: Problem, 403: Problem},
    auth=AUTHENTICATED,
    summary="Delete my message",
    description="Authors only. Its place stays, marked deleted, so replies keep their context.",
)
def post_delete(request, id: int):
    post = services.post_delete(actor=request.auth, post=_post(request, id))
    return Status(200, _post_out(post))


@router.post(
    "/posts/{id}/reports",
    response={201: ExchangeReportOut, 400: Problem, 403: Problem},
    auth=AUTHENTICATED,
    summary="Report a message",
    description="With a reason, for the staff's moderation queue. Once per message while the "
    "report is open.",
)
def report_create(request, id: int, body: ExchangeReportIn):
    report = services.report_create(
        actor=request.auth, post=_post(request, id), reason=_clean(body.reason)
    )
    return Status(201, report)
