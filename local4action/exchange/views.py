"""Threads, messages, replies, reactions, follows, attachments and email preferences."""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from local4action.core import actions, search
from local4action.core.models import Goal, PolicyArea
from local4action.core.numbers import whole_number
from local4action.core.once import once

from . import permissions, selectors, services
from .choices import REACTION_SYMBOLS, Frequency, ReactionKind, Topic
from .forms import EditForm, PostForm, PreferenceForm, ThreadForm, errors_to_form
from .models import Attachment, Post, Preference, Thread

SEARCH_POSTS_SHOWN = 20
EXCERPT_WORDS = 30


def _post_data(request):
    """The submitted fields and files, or None (with a message) when the request is too large
    for the server to read: a clear answer instead of an error page."""
    try:
        return request.POST, request.FILES
    except RequestDataTooBig:
        messages.error(
            request,
            _("What you sent is too large. Shorten the message or attach smaller files."),
        )
        return None


def topic_object(user, topic: str, about: int):
    """The initiative, SDG, policy area or event a discussion is about, if the person may see
    it; anything else is not found."""
    if topic == Topic.INITIATIVE:
        from local4action.initiatives.models import Initiative
        from local4action.initiatives.permissions import can_view_initiative

        thing = Initiative.objects.select_related("lead_organization").filter(pk=about).first()
        if thing is not None and not can_view_initiative(user, thing):
            thing = None
    elif topic == Topic.GOAL:
        thing = Goal.objects.filter(pk=about).first()
    elif topic == Topic.POLICY_AREA:
        thing = PolicyArea.objects.filter(pk=about).first()
    elif topic == Topic.EVENT:
        from local4action.events.models import Event
        from local4action.events.permissions import can_view_event

        thing = Event.objects.filter(pk=about).first()
        if thing is not None and not can_view_event(user, thing):
            thing = None
    else:
        thing = None
    if thing is None:
        raise Http404
    return thing


def topic_context(topic: str, thing) -> dict:
    """How the page names what the discussions are about, and where it lives."""
    if topic == Topic.GOAL:
        label = _("SDG %(number)s: %(short)s") % {"number": thing.number, "short": thing.short}
    elif topic == Topic.POLICY_AREA:
        label = thing.name
    else:
        label = thing.title
    url = thing.get_absolute_url() if hasattr(thing, "get_absolute_url") else ""
    return {
        "topic": topic,
        "topic_label": Topic(topic).label,
        "thing": thing,
        "thing_label": label,
        "thing_url": url,
    }


def topic_of(thread: Thread) -> tuple[str, object]:
    for kind, field in services.TOPIC_FIELDS.items():
        thing = getattr(thread, field)
        if thing is not None:
            return str(kind), thing
    raise Http404


def excerpt(post: Post, query: str) -> str:
    """Some words of the message around the first word that matches the query."""
    text = " ".join(strip_tags(post.body).split())
    words = text.split(" ")
    stems = set().union(*search.query_terms(query)) if query else set()
    start = 0
    for index, word in enumerate(words):
        folded = search.words(word)
        if any(search.stem(w, lang) in stems for w in folded for lang in search.LANGUAGES):
            start = max(0, index - 8)
            break
    chosen = words[start : start + EXCERPT_WORDS]
    return (
        ("… " if start else "")
        + " ".join(chosen)
        + (" …" if start + EXCERPT_WORDS < len(words) else "")
    )


# Reading ---------------------------------------------------------------------------------------


@login_required
def index(request):
    query = " ".join(request.GET.get("q", "").split())[:200]
    threads = selectors.thread_list(request.user, query=query)
    page = Paginator(threads, selectors.THREADS_PER_PAGE).get_page(request.GET.get("page"))
    found_posts = []
    if query:
        found_posts = list(selectors.post_search(request.user, query)[:SEARCH_POSTS_SHOWN])
        for post in found_posts:
            post.excerpt = excerpt(post, query)
    return render(
        request,
        "exchange/index.html",
        {"page": page, "query": query, "found_posts": found_posts},
    )


@login_required
def topic(request, topic, about):
    thing = topic_object(request.user, topic, about)
    threads = selectors.threads_about(topic=topic, about=thing)
    page = Paginator(threads, selectors.THREADS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "exchange/topic.html",
        {
            **topic_context(topic, thing),
            "page": page,
            "form": ThreadForm(),
            "can_post": permissions.can_post(request.user),
            "blocked": permissions.is_blocked(request.user),
        },
    )


def _thread_page(request, thread: Thread, *, form=None, form_parent=None, status=200):
    """The thread with its messages; a refused message comes back in its form, with reasons."""
    user = request.user
    posts = selectors.posts_of(thread, user)
    for post in posts:
        if form is not None and form_parent == post.pk:
            post.reply_form = form
        else:
            post.reply_form = PostForm(auto_id=f"reply-{post.pk}-%s")
        for reply in [post, *post.reply_list]:
            reply.reaction_buttons = [
                {
                    "kind": kind,
                    "symbol": REACTION_SYMBOLS[kind],
                    "label": label,
                    "count": reply.reaction_counts.get(kind, 0),
                    "mine": kind in reply.my_reactions,
                }
                for kind, label in ReactionKind.choices
            ]
    topic_kind, thing = topic_of(thread)
    return render(
        request,
        "exchange/thread.html",
        {
            "thread": thread,
            "posts": posts,
            "topic": topic_kind,
            "thing": thing,
            "following": selectors.is_following(user, thread),
            "can_post": permissions.can_post(user, thread),
            "blocked": permissions.is_blocked(user),
            "can_moderate": permissions.can_moderate(user),
            "form": form if form is not None and form_parent is None else PostForm(),
        },
        status=status,
    )


@login_required
def thread(request, pk):
    return _thread_page(request, selectors.thread_get(request.user, pk))


# Writing ---------------------------------------------------------------------------------------


@login_required
@once
def thread_create(request, topic, about):
    thing = topic_object(request.user, topic, about)
    form = ThreadForm()
    if request.method == "POST":
        data = _post_data(request)
        if data is None:
            return redirect("exchange:thread_create", topic=topic, about=about)
        form = ThreadForm(*data)
        if form.is_valid():
            try:
                created = services.thread_create(
                    actor=request.user,
                    topic=topic,
                    about=thing,
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                    uploads=form.cleaned_data["attachments"],
                )
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                messages.success(request, _("Your discussion has started."))
                return redirect(created)
    elif not permissions.can_post(request.user) and not permissions.is_blocked(request.user):
        raise PermissionDenied
    return render(
        request,
        "exchange/thread_form.html",
        {
            **topic_context(topic, thing),
            "form": form,
            "blocked": permissions.is_blocked(request.user),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
@once
def reply(request, pk):
    thread = selectors.thread_get(request.user, pk)
    data = _post_data(request)
    if data is None:
        return redirect(thread)
    parent = None
    parent_pk = data[0].get("parent", "")
    if parent_pk:
        number = whole_number(parent_pk)
        parent = (
            Post.objects.filter(pk=number, thread=thread).first() if number is not None else None
        )
        if parent is None:
            messages.error(request, _("The message you answer is no longer in this discussion."))
            return redirect(thread)
    auto_id = f"reply-{parent.parent_id or parent.pk}-%s" if parent else "id_%s"
    form = PostForm(*data, auto_id=auto_id)
    if form.is_valid():
        try:
            post = services.post_create(
                actor=request.user,
                thread=thread,
                body=form.cleaned_data["body"],
                parent=parent,
                uploads=form.cleaned_data["attachments"],
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("Your message is posted."))
            return redirect(post.get_absolute_url())
    for message in form.non_field_errors():
        messages.error(request, message)
    thread.refresh_from_db()
    top_parent = (parent.parent_id or parent.pk) if parent else None
    return _thread_page(request, thread, form=form, form_parent=top_parent, status=400)


@login_required
@require_POST
def follow(request, pk):
    thread = selectors.thread_get(request.user, pk)
    following = request.POST.get("following") == "1"
    actions.run(
        request,
        lambda: services.follow_set(actor=request.user, thread=thread, following=following),
        _("You follow this discussion: you will hear of new messages.")
        if following
        else _("You no longer follow this discussion."),
    )
    return redirect(thread)


def _visible_post(request, pk: int) -> Post:
    post = get_object_or_404(Post.objects.select_related("thread"), pk=pk)
    # Reading the thread is what allows seeing its messages; anything else is not found.
    post.thread = selectors.thread_get(request.user, post.thread_id)
    return post


@login_required
def post_edit(request, pk):
    post = _visible_post(request, pk)
    if post.author_id != request.user.pk:
        raise PermissionDenied
    if post.deleted_at or post.hidden_at:
        messages.error(request, _("This message can no longer be changed."))
        return redirect(post.get_absolute_url())
    form = EditForm(initial={"body": post.body})
    if request.method == "POST":
        data = _post_data(request)
        if data is None:
            return redirect("exchange:post_edit", pk=post.pk)
        form = EditForm(data[0])
        if form.is_valid():
            try:
                services.post_edit(actor=request.user, post=post, body=form.cleaned_data["body"])
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                messages.success(request, _("Your message is updated."))
                return redirect(post.get_absolute_url())
    return render(
        request,
        "exchange/post_edit.html",
        {"post": post, "thread": post.thread, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def post_delete(request, pk):
    post = _visible_post(request, pk)
    if post.author_id != request.user.pk:
        raise PermissionDenied
    if request.method == "POST":
        actions.run(
            request,
            lambda: services.post_delete(actor=request.user, post=post),
            _("Your message is deleted."),
        )
        return redirect(post.get_absolute_url())
    return render(
        request,
        "exchange/post_delete.html",
        {"post": post, "thread": post.thread},
    )


@login_required
@require_POST
def react(request, pk):
    post = _visible_post(request, pk)
    kind = request.POST.get("kind", "")
    try:
        given = services.reaction_toggle(actor=request.user, post=post, kind=kind)
    except ValidationError as error:
        actions.show_errors(request, error)
    else:
        label = ReactionKind(kind).label
        messages.success(
            request,
            _("Your reaction “%(label)s” is added.") % {"label": label}
            if given
            else _("Your reaction “%(label)s” is removed.") % {"label": label},
        )
    return redirect(post.get_absolute_url())


@login_required
def attachment(request, pk):
    attachment = get_object_or_404(Attachment.objects.select_related("post"), pk=pk)
    post = attachment.post
    # Only the readers of the thread get its files; a hidden message's files stay hidden.
    selectors.thread_get(request.user, post.thread_id)
    if post.deleted_at or (post.hidden_at and not permissions.can_moderate(request.user)):
        raise Http404
    # The files live in private storage, never under MEDIA_URL.
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _next(request) -> str:
    """Back to the thread the person came from; nothing else (no open redirects)."""
    wanted = request.POST.get("next") or request.GET.get("next", "")
    return wanted if re.fullmatch(r"/exchange/threads/\d+/", wanted) else ""


@login_required
def preferences(request):
    current = (
        Preference.objects.filter(user=request.user).values_list("frequency", flat=True).first()
    )
    form = PreferenceForm(initial={"frequency": current or Frequency.IMMEDIATE})
    if request.method == "POST":
        form = PreferenceForm(request.POST)
        if form.is_valid():
            try:
                services.preference_set(
                    actor=request.user, frequency=form.cleaned_data["frequency"]
                )
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                messages.success(request, _("Your email preference is saved."))
                return redirect(_next(request) or "exchange:preferences")
    return render(
        request,
        "exchange/preferences.html",
        {"form": form, "next": _next(request)},
        status=400 if form.errors else 200,
    )


urlpatterns = [
    path("exchange/", index, name="index"),
    path("exchange/about/<str:topic>/<int:about>/", topic, name="topic"),
    path("exchange/new/<str:topic>/<int:about>/", thread_create, name="thread_create"),
    path("exchange/threads/<int:pk>/", thread, name="thread"),
    path("exchange/threads/<int:pk>/reply/", reply, name="reply"),
    path("exchange/threads/<int:pk>/follow/", follow, name="follow"),
    path("exchange/posts/<int:pk>/edit/", post_edit, name="post_edit"),
    path("exchange/posts/<int:pk>/delete/", post_delete, name="post_delete"),
    path("exchange/posts/<int:pk>/react/", react, name="react"),
    path("exchange/attachments/<int:pk>/", attachment, name="attachment"),
    path("exchange/preferences/", preferences, name="preferences"),
]
