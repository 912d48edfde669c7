"""Reports and the staff's moderation: hide, block, lock.

Anybody who may read a thread reports one of its messages with a reason. The secretariat sees
the reported messages on one page (manage/exchange/) and hides them with a reason shown in
their place, dismisses a report, or blocks the author; it also locks threads. Every change is
made (and audited) by the services; these views only parse the forms."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from local4action.core import actions

from . import permissions, selectors, services
from .models import Post, Report, Thread

REASON_MAX = 1000


def _back(request, default: str) -> str:
    """Where a moderation form came from (the queue or the thread), else the default."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _visible_post(request, pk: int) -> Post:
    """A message of a thread the person may read; anything else is not found."""
    post = get_object_or_404(Post.objects.select_related("thread", "author"), pk=pk)
    post.thread = selectors.thread_get(request.user, post.thread_id)
    return post


def _require_moderator(request) -> None:
    if not permissions.can_moderate(request.user):
        raise PermissionDenied


# Reporting -------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def report(request, pk):
    post = _visible_post(request, pk)
    if post.deleted_at or post.hidden_at:
        messages.info(request, _("This message is no longer shown."))
        return redirect(post.get_absolute_url())
    reason, errors = "", []
    if request.method == "POST":
        reason = request.POST.get("reason", "")
        try:
            services.report_create(actor=request.user, post=post, reason=reason)
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                actions.show_errors(request, error)
                return redirect(post.get_absolute_url())
            errors = error.messages
        else:
            messages.success(
                request, _("Thank you: the staff will look at this message and its report.")
            )
            return redirect(post.get_absolute_url())
    return render(
        request,
        "exchange/moderation/report.html",
        {"post": post, "reason": reason, "errors": errors, "limit": REASON_MAX},
        status=400 if errors else 200,
    )


# The moderation queue --------------------------------------------------------------------------


@login_required
def moderation(request):
    _require_moderator(request)
    queue = list(selectors.moderation_queue()[:200])
    return render(
        request,
        "exchange/moderation/queue.html",
        {
            "queue": queue,
            "blocked": selectors.blocked_people(),
            "limit": REASON_MAX,
        },
    )


@login_required
@require_POST
def hide(request, pk):
    _require_moderator(request)
    post = get_object_or_404(Post.objects.select_related("thread"), pk=pk)
    reason = request.POST.get("reason", "")
    actions.run(
        request,
        lambda: services.post_hide(actor=request.user, post=post, reason=reason),
        _("The message is hidden; the reason is shown in its place."),
    )
    return redirect(_back(request, post.get_absolute_url()))


@login_required
@require_POST
def unhide(request, pk):
    _require_moderator(request)
    post = get_object_or_404(Post.objects.select_related("thread"), pk=pk)
    actions.run(
        request,
        lambda: services.post_unhide(actor=request.user, post=post),
        _("The message is shown again."),
    )
    return redirect(_back(request, post.get_absolute_url()))


@login_required
@require_POST
def dismiss(request, pk):
    _require_moderator(request)
    found = get_object_or_404(Report, pk=pk)
    actions.run(
        request,
        lambda: services.report_dismiss(actor=request.user, report=found),
        _("The report is dismissed; the message stays."),
    )
    return redirect(_back(request, "exchange:moderation"))


@login_required
@require_POST
def block(request, pk):
    _require_moderator(request)
    person = get_object_or_404(get_user_model(), pk=pk)
    reason = request.POST.get("reason", "")
    actions.run(
        request,
        lambda: services.user_block(actor=request.user, user=person, reason=reason),
        _("%(name)s can no longer post in the exchange space.")
        % {"name": person.get_full_name() or person.email},
    )
    return redirect(_back(request, "exchange:moderation"))


@login_required
@require_POST
def unblock(request, pk):
    _require_moderator(request)
    person = get_object_or_404(get_user_model(), pk=pk)
    actions.run(
        request,
        lambda: services.user_unblock(actor=request.user, user=person),
        _("%(name)s can post in the exchange space again.")
        % {"name": person.get_full_name() or person.email},
    )
    return redirect(_back(request, "exchange:moderation"))


@login_required
@require_POST
def lock(request, pk):
    _require_moderator(request)
    thread = get_object_or_404(Thread, pk=pk)
    locked = request.POST.get("locked") == "1"
    actions.run(
        request,
        lambda: services.thread_lock(actor=request.user, thread=thread, locked=locked),
        _("The discussion is locked: no new messages.")
        if locked
        else _("The discussion is open again."),
    )
    return redirect(_back(request, thread.get_absolute_url()))


urlpatterns = [
    path("exchange/posts/<int:pk>/report/", report, name="report"),
    path("manage/exchange/", moderation, name="moderation"),
    path("exchange/posts/<int:pk>/hide/", hide, name="hide"),
    path("exchange/posts/<int:pk>/unhide/", unhide, name="unhide"),
    path("manage/exchange/reports/<int:pk>/dismiss/", dismiss, name="dismiss"),
    path("manage/exchange/people/<int:pk>/block/", block, name="block"),
    path("manage/exchange/people/<int:pk>/unblock/", unblock, name="unblock"),
    path("exchange/threads/<int:pk>/lock/", lock, name="lock"),
]
