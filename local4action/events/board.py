"""Co-creation boards and billboard pictures.

The board is a plain page with plain forms; htmx makes it live: the list of ideas asks every
two seconds whether the board changed (an unchanged board answers 204, which htmx leaves
alone), and posting or voting swaps the new list in at once."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.cache import patch_cache_control
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from local4action.accounts.selectors import primary_organization
from local4action.core import actions

from . import billboard, permissions, selectors, services
from .choices import IdeaStatus, SessionKind
from .models import IDEA_MAX_LENGTH, Event, Idea, Session

BILLBOARD_CACHE_SECONDS = 300


def _session(request, slug: str, pk: int) -> tuple[Event, Session]:
    """A co-creation session of an event the person may see; anything else is not found."""
    event = selectors.event_get(request.user, slug)
    session = selectors.session_get(event, pk)
    if session.kind != SessionKind.CO_CREATION:
        raise Http404
    session.event = event
    return event, session


def _idea(request, slug: str, pk: int) -> tuple[Event, Idea]:
    event = selectors.event_get(request.user, slug)
    idea = (
        Idea.objects.select_related("session")
        .filter(pk=pk, session__event=event, session__kind=SessionKind.CO_CREATION)
        .first()
    )
    if idea is None:
        raise Http404
    idea.session.event = event
    return event, idea


def _board_url(session: Session) -> str:
    return reverse("events:board", args=[session.event.slug, session.pk])


def _list_context(request, event: Event, session: Session, error: str = "") -> dict:
    user = request.user
    return {
        "event": event,
        "session": session,
        "ideas": selectors.board_ideas(session, user),
        "version": selectors.board_version(session),
        "can_post": permissions.can_post_ideas(user, event),
        "can_manage": permissions.can_manage_event(user, event),
        "error": error,
    }


def _city(user) -> str:
    organization = primary_organization(user)
    return organization.name if organization else ""


def _page(request, event, session, *, text="", city=None, form_errors=None):
    context = _list_context(request, event, session)
    context.update(
        {
            "zone": event.zone,
            "text": text,
            "city": _city(request.user) if city is None else city,
            "form_errors": form_errors or [],
            "limit": IDEA_MAX_LENGTH,
        }
    )
    return render(request, "events/board/board.html", context)


def _list(request, event, session, error: str = ""):
    """The list of ideas, for htmx: errors are shown inside it (status 200, so htmx swaps)."""
    context = _list_context(request, event, session, error)
    return render(request, "events/board/_ideas.html", context)


# The board -------------------------------------------------------------------------------------


@require_GET
def board(request, slug, pk):
    event, session = _session(request, slug, pk)
    return _page(request, event, session)


@require_GET
def board_ideas(request, slug, pk):
    """The live list: nothing (204) while the board is unchanged since the version the page
    holds, else the new list, which carries the new version."""
    event, session = _session(request, slug, pk)
    if request.GET.get("v") == selectors.board_version(session):
        return HttpResponse(status=204)
    return _list(request, event, session)


@login_required
@require_POST
def idea_post(request, slug, pk):
    event, session = _session(request, slug, pk)
    text, city = request.POST.get("text", ""), request.POST.get("city", "")
    try:
        services.idea_post(actor=request.user, session=session, text=text, city=city)
    except ValidationError as error:
        form_errors = error.messages
        if request.htmx:
            return _post_answer(request, event, session, text, city, form_errors)
        if hasattr(error, "error_dict"):
            return _page(request, event, session, text=text, city=city, form_errors=form_errors)
        actions.show_errors(request, error)
        return redirect(_board_url(session))
    if request.htmx:
        return _post_answer(request, event, session, "", city, [], posted=True)
    messages.success(request, _("Your idea is on the board."))
    return redirect(_board_url(session))


def _post_answer(request, event, session, text, city, form_errors, posted=False):
    """For htmx: the new list, and the form again (out of band) with its error or emptied."""
    context = _list_context(request, event, session)
    context.update(
        {
            "text": text,
            "city": city,
            "form_errors": form_errors,
            "posted": posted,
            "limit": IDEA_MAX_LENGTH,
            "oob": True,
        }
    )
    return render(request, "events/board/_post_answer.html", context)


@login_required
@require_POST
def board_open(request, slug, pk):
    event, session = _session(request, slug, pk)
    is_open = request.POST.get("open") == "1"
    actions.run(
        request,
        lambda: services.board_open(actor=request.user, session=session, is_open=is_open),
        _("The board is open: participants can post ideas.")
        if is_open
        else _("The board is closed: no more ideas can be posted."),
    )
    return redirect(_board_url(session))


# Actions on one idea ---------------------------------------------------------------------------


def _on_idea(request, slug, pk, action, success: str):
    """Run a service on an idea; htmx gets the new list (with the error, if any), a plain
    form gets a message and goes back to the board."""
    event, idea = _idea(request, slug, pk)
    session = idea.session
    try:
        action(idea)
    except ValidationError as error:
        if request.htmx:
            return _list(request, event, session, error=" ".join(error.messages))
        actions.show_errors(request, error)
        return redirect(_board_url(session))
    if request.htmx:
        return _list(request, event, session)
    messages.success(request, success)
    return redirect(_board_url(session))


@login_required
@require_POST
def idea_vote(request, slug, pk):
    return _on_idea(
        request,
        slug,
        pk,
        lambda idea: services.idea_vote(actor=request.user, idea=idea),
        _("Your vote is counted."),
    )


@login_required
@require_POST
def idea_unvote(request, slug, pk):
    return _on_idea(
        request,
        slug,
        pk,
        lambda idea: services.idea_unvote(actor=request.user, idea=idea),
        _("Your vote is withdrawn."),
    )


@login_required
@require_POST
def idea_merge(request, slug, pk):
    def merge(idea):
        if not permissions.can_manage_event(request.user, idea.session.event):
            raise PermissionDenied
        into = Idea.objects.filter(
            pk=_number(request.POST.get("into")), session_id=idea.session_id
        ).first()
        if into is None:
            raise ValidationError(_("Choose another idea to merge into."))
        services.idea_merge(actor=request.user, idea=idea, into=into)

    return _on_idea(
        request, slug, pk, merge, _("The ideas are merged; their votes are counted once.")
    )


@login_required
@require_POST
def idea_retain(request, slug, pk):
    retained = request.POST.get("retained", "1") == "1"
    return _on_idea(
        request,
        slug,
        pk,
        lambda idea: services.idea_retain(actor=request.user, idea=idea, retained=retained),
        _("The idea is retained.") if retained else _("The idea is no longer retained."),
    )


def _number(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# Billboards ------------------------------------------------------------------------------------


def _retained(request, slug, pk) -> Idea:
    _event, idea = _idea(request, slug, pk)
    if idea.status != IdeaStatus.RETAINED:
        raise Http404
    return idea


def _download(idea: Idea, content, content_type: str, extension: str) -> HttpResponse:
    name = slugify(idea.city or idea.session.event.city) or "billboard"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="billboard-{name}-{idea.pk}.{extension}"'
    )
    patch_cache_control(response, private=True, max_age=BILLBOARD_CACHE_SECONDS)
    return response


@require_GET
def billboard_svg(request, slug, pk):
    idea = _retained(request, slug, pk)
    svg = billboard.billboard_svg(idea, idea.session.event.goals.all())
    return _download(idea, svg, "image/svg+xml; charset=utf-8", "svg")


@require_GET
def billboard_png(request, slug, pk):
    idea = _retained(request, slug, pk)
    png = billboard.billboard_png(idea, idea.session.event.goals.all())
    return _download(idea, png, "image/png", "png")


urlpatterns = [
    path("events/<slug:slug>/sessions/<int:pk>/board/", board, name="board"),
    path("events/<slug:slug>/sessions/<int:pk>/board/ideas/", board_ideas, name="board_ideas"),
    path("events/<slug:slug>/sessions/<int:pk>/board/post/", idea_post, name="idea_post"),
    path("events/<slug:slug>/sessions/<int:pk>/board/open/", board_open, name="board_open"),
    path("events/<slug:slug>/ideas/<int:pk>/vote/", idea_vote, name="idea_vote"),
    path("events/<slug:slug>/ideas/<int:pk>/unvote/", idea_unvote, name="idea_unvote"),
    path("events/<slug:slug>/ideas/<int:pk>/merge/", idea_merge, name="idea_merge"),
    path("events/<slug:slug>/ideas/<int:pk>/retain/", idea_retain, name="idea_retain"),
    path("events/<slug:slug>/ideas/<int:pk>/billboard.svg", billboard_svg, name="billboard_svg"),
    path("events/<slug:slug>/ideas/<int:pk>/billboard.png", billboard_png, name="billboard_png"),
]
