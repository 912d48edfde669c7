"""Event pages, agenda, calendars and the organizers' forms."""

import zoneinfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_countries import countries

from local4action.accounts.permissions import is_secretariat
from local4action.core import actions
from local4action.core.once import once
from local4action.core.pagecache import public_page
from local4action.core.validators import validate_time_zone
from local4action.core.versions import public_version

from . import ics, permissions, selectors, services
from .choices import RegistrationStatus, SessionKind
from .forms import EventForm, SessionForm, SummaryForm, errors_to_form
from .models import Event


def _manager_only(user, event: Event) -> None:
    if not permissions.can_manage_event(user, event):
        raise PermissionDenied


def display_zone(request, event: Event) -> tuple[zoneinfo.ZoneInfo, bool]:
    """The zone the page shows times in, and whether it is the visitor's own: the event's by
    default; `?tz=mine` is the signed-in person's zone, `?tz=<IANA name>` a zone the browser
    reported. Anything unknown falls back to the event's zone."""
    wanted = request.GET.get("tz", "")
    if wanted == "mine":
        if request.user.is_authenticated:
            zone = timezone.get_current_timezone()
            return zone, str(zone) != event.time_zone
        return event.zone, False
    if wanted:
        try:
            validate_time_zone(wanted)
        except ValidationError:
            return event.zone, False
        return zoneinfo.ZoneInfo(wanted), wanted != event.time_zone
    return event.zone, False


# Reading ---------------------------------------------------------------------------------------


def event_list(request):
    user = request.user
    return render(
        request,
        "events/event_list.html",
        {
            "upcoming": selectors.event_list(user),
            "past": selectors.event_list(user, past=True)[:30],
            "can_create": permissions.can_create_events(user),
        },
    )


def _registration_box(user, event: Event) -> dict:
    registration = permissions.registration_of(user, event)
    position = selectors.waitlist_position(registration) if registration else None
    status = registration.status if registration else ""
    return {
        "registration": registration,
        "waitlist_position": position,
        "registration_open": services.registration_is_open(event),
        "is_participant": status == RegistrationStatus.CONFIRMED,
        # Travel must wait for the organizers' yes.
        "travel_warning": status in (RegistrationStatus.PENDING, RegistrationStatus.WAITLISTED)
        or (registration is None and event.approval_required),
    }


@public_page(public_version)
def event_detail(request, slug):
    user = request.user
    event = selectors.event_get(user, slug)
    zone, mine = display_zone(request, event)
    can_manage = permissions.can_manage_event(user, event)
    box = _registration_box(user, event)
    parent = event.parent
    if parent is not None and not permissions.can_view_event(user, parent):
        parent = None
    now = timezone.now()
    return render(
        request,
        "events/event_detail.html",
        {
            "event": event,
            "country_name": countries.name(event.country) if event.country else "",
            "zone": zone,
            "zone_name": str(zone),
            "showing_mine": mine,
            "anonymous": not user.is_authenticated,
            "days": selectors.agenda(event, zone),
            "counts": selectors.event_counts(event),
            "can_manage": can_manage,
            "can_see_access": box["is_participant"] or can_manage,
            "can_write_summary": can_manage or permissions.can_write_summary(user, event),
            "can_send_feedback": is_secretariat(user)
            and now >= event.end_at
            and not event.feedback_survey_id,
            "is_over": now >= event.end_at,
            "parent": parent,
            "children": selectors.events_visible(user).filter(parent=event).order_by("start_at"),
            **box,
        },
    )


def agenda(request, slug):
    event = selectors.event_get(request.user, slug)
    zone, mine = display_zone(request, event)
    return render(
        request,
        "events/agenda.html",
        {
            "event": event,
            "zone": zone,
            "zone_name": str(zone),
            "showing_mine": mine,
            "days": selectors.agenda(event, zone),
        },
    )


def session_detail(request, slug, pk):
    event = selectors.event_get(request.user, slug)
    session = selectors.session_get(event, pk)
    zone, mine = display_zone(request, event)
    return render(
        request,
        "events/session_detail.html",
        {
            "event": event,
            "session": session,
            "speakers": session.speakers.select_related("user"),
            "zone": zone,
            "zone_name": str(zone),
            "showing_mine": mine,
            "is_co_creation": session.kind == SessionKind.CO_CREATION,
            "can_manage": permissions.can_manage_event(request.user, event),
        },
    )


def _calendar_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def event_ics(request, slug):
    event = selectors.event_get(request.user, slug)
    content = ics.event_calendar(
        event,
        selectors.sessions_of(event),
        show_access=permissions.can_see_access_details(request.user, event),
        absolute=request.build_absolute_uri,
    )
    return _calendar_response(content, f"{event.slug}.ics")


def session_ics(request, slug, pk):
    event = selectors.event_get(request.user, slug)
    session = selectors.session_get(event, pk)
    session.event = event
    content = ics.session_calendar(
        session,
        show_access=permissions.can_see_access_details(request.user, event),
        absolute=request.build_absolute_uri,
    )
    return _calendar_response(content, f"{event.slug}-session-{session.pk}.ics")


# Organizing ------------------------------------------------------------------------------------


@login_required
@once
def event_create(request):
    if not permissions.can_create_events(request.user):
        raise PermissionDenied
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_save(
                actor=request.user,
                data=form.service_data(),
                organizers=form.cleaned_data["organizers"],
                initiatives=form.cleaned_data["initiatives"],
                goals=form.cleaned_data["goals"],
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(
                request,
                _("The event is saved as a draft. Add its agenda, then publish it."),
            )
            return redirect(event)
    return render(request, "events/event_form.html", {"form": form})


@login_required
def event_edit(request, slug):
    event = selectors.event_get(request.user, slug)
    _manager_only(request.user, event)
    form = EventForm(request.POST or None, event=event)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_save(
                actor=request.user,
                event=event,
                data=form.service_data(),
                organizers=form.cleaned_data["organizers"],
                initiatives=form.cleaned_data["initiatives"],
                goals=form.cleaned_data["goals"],
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("Your changes have been saved."))
            return redirect(event)
    return render(request, "events/event_form.html", {"form": form, "event": event})


@login_required
@require_POST
def event_publish(request, slug):
    event = selectors.event_get(request.user, slug)
    _manager_only(request.user, event)
    published = request.POST.get("published") == "1"
    actions.run(
        request,
        lambda: services.event_publish(actor=request.user, event=event, published=published),
        _("The event is published.") if published else _("The event is no longer published."),
    )
    return redirect(event)


@login_required
@once
def session_add(request, slug):
    event = selectors.event_get(request.user, slug)
    _manager_only(request.user, event)
    form = SessionForm(request.POST or None, event=event)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_save(actor=request.user, event=event, data=form.service_data())
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("The session is on the agenda."))
            if "another" in request.POST:
                return redirect("events:session_add", slug=event.slug)
            return redirect(event)
    return render(request, "events/session_form.html", {"form": form, "event": event})


@login_required
def session_edit(request, slug, pk):
    event = selectors.event_get(request.user, slug)
    _manager_only(request.user, event)
    session = selectors.session_get(event, pk)
    form = SessionForm(request.POST or None, event=event, session=session)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_save(
                actor=request.user, event=event, session=session, data=form.service_data()
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("Your changes have been saved."))
            return redirect(event)
    return render(
        request, "events/session_form.html", {"form": form, "event": event, "session": session}
    )


@login_required
@require_POST
def session_delete(request, slug, pk):
    event = selectors.event_get(request.user, slug)
    _manager_only(request.user, event)
    session = selectors.session_get(event, pk)
    actions.run(
        request,
        lambda: services.session_delete(actor=request.user, session=session),
        _("The session “%(title)s” is removed from the agenda.") % {"title": session.title},
    )
    return redirect(event)


@login_required
def summary(request, slug):
    event = selectors.event_get(request.user, slug)
    if not permissions.can_write_summary(request.user, event):
        raise PermissionDenied
    form = SummaryForm(
        request.POST or None, initial={"summary": event.summary, "guidelines": event.guidelines}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.summary_publish(
                actor=request.user,
                event=event,
                summary=form.cleaned_data["summary"],
                guidelines=form.cleaned_data["guidelines"],
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("The summary is published on the event page."))
            return redirect(event)
    return render(request, "events/summary_form.html", {"form": form, "event": event})


@login_required
@require_POST
def feedback(request, slug):
    event = selectors.event_get(request.user, slug)
    # The surveys module lets the secretariat alone start a survey for a list of people.
    if not is_secretariat(request.user):
        raise PermissionDenied
    try:
        survey = services.feedback_survey_send(actor=request.user, event=event)
    except ValidationError as error:
        actions.show_errors(request, error)
    else:
        messages.success(
            request,
            _("The feedback survey is sent to the participants: %(url)s")
            % {"url": request.build_absolute_uri(survey.get_absolute_url())},
        )
    return redirect(event)


urlpatterns = [
    path("events/", event_list, name="list"),
    path("events/<slug:slug>/", event_detail, name="detail"),
    path("events/<slug:slug>/agenda/", agenda, name="agenda"),
    path("events/<slug:slug>/calendar.ics", event_ics, name="event_ics"),
    path("events/<slug:slug>/sessions/<int:pk>/", session_detail, name="session"),
    path("events/<slug:slug>/sessions/<int:pk>/calendar.ics", session_ics, name="session_ics"),
    path("manage/events/new/", event_create, name="create"),
    path("events/<slug:slug>/edit/", event_edit, name="edit"),
    path("events/<slug:slug>/publish/", event_publish, name="publish"),
    path("events/<slug:slug>/sessions/new/", session_add, name="session_add"),
    path("events/<slug:slug>/sessions/<int:pk>/edit/", session_edit, name="session_edit"),
    path("events/<slug:slug>/sessions/<int:pk>/delete/", session_delete, name="session_delete"),
    path("events/<slug:slug>/summary/", summary, name="summary"),
    path("events/<slug:slug>/feedback/", feedback, name="feedback"),
]
