from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from local4action.core.numbers import whole_number

from . import sdg_links, selectors, services
from .pagecache import public_page
from .versions import public_version


def floor(request):
    """The framework's floor for bench/load.py: a tiny template, no database, no session, no
    context processors. A page of ours can be compared with what Django itself serves."""
    html = render_to_string("core/floor.html", {"name": "Local4Action", "language": "en"})
    return HttpResponse(html)


def goal_list(request):
    return render(request, "core/goal_list.html", {"goals": selectors.goal_list()})


@public_page(public_version)
def goal_detail(request, number):
    goal = selectors.goal_get(number=number)
    return render(
        request,
        "core/goal_detail.html",
        {"goal": goal, "sections": sdg_links.sections_for(goal=goal)},
    )


@public_page(public_version)
def target_detail(request, code):
    target = selectors.target_get(code=code)
    return render(
        request,
        "core/target_detail.html",
        {"target": target, "goal": target.goal, "sections": sdg_links.sections_for(target=target)},
    )


@login_required
def notification_list(request):
    notifications = selectors.notification_list(user=request.user)
    items = [(n, *selectors.notification_render(notification=n)) for n in notifications]
    return render(request, "core/notification_list.html", {"items": items})


@login_required
@require_POST
def notification_read(request):
    ids = request.POST.getlist("id")
    # Forged ids are dropped (they could name no notification anyway).
    numbers = [whole_number(i) for i in ids]
    services.notifications_mark_read(
        actor=request.user,
        ids=[number for number in numbers if number is not None] if ids else None,
    )
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("core:notifications")


def privacy(request):
    """The privacy notice. Its retention period comes from the setting that the purge uses."""
    return render(
        request,
        "core/privacy.html",
        {"retention_days": settings.PARTICIPANT_DATA_RETENTION_DAYS},
    )
