"""Registering, invitations and sponsorship requests: the participant's side. Plain forms and
redirects; every rule is in services.py."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from local4action.core import actions

from . import permissions, selectors, services
from .choices import ACTIVE_STATUSES, RegistrationStatus, SponsorshipStatus, Visibility
from .models import Event, Registration
from .registration_forms import (
    RegistrationForm,
    SponsorshipForm,
    add_service_errors,
    initial_answers,
)


def _outcome(registration: Registration) -> str:
    """What happened to a new registration, in the person's words."""
    if registration.status == RegistrationStatus.CONFIRMED:
        return _("You are registered: your seat is confirmed.")
    if registration.status == RegistrationStatus.WAITLISTED:
        return _(
            "The event is full: you are on the waiting list, in position %(position)s. If a seat "
            "frees up it is yours, and you will be told."
        ) % {"position": selectors.waitlist_position(registration)}
    return _(
        "Your registration is waiting for the organizers' decision. You will be told by email. "
        "Do not book travel before you are accepted."
    )


def _refusal(request, event: Event, reason: str, status: int = 403):
    return render(
        request,
        "events/registering/refused.html",
        {"event": event, "reason": reason},
        status=status,
    )


def _event_for(request, slug: str):
    """The event, or a page that says why the person cannot register: an event for members or
    by invitation that they cannot see gets a clear 403 (its title only), anything else 404."""
    try:
        return selectors.event_get(request.user, slug), None
    except Http404:
        event = Event.objects.filter(slug=slug, published=True).first()
        if event is None or event.visibility == Visibility.PUBLIC:
            raise
        if event.visibility == Visibility.MEMBERS:
            reason = _("This event is for members of the network: join your organization first.")
        else:
            reason = _(
                "This event is by invitation only: use the personal link in your invitation."
            )
        return event, _refusal(request, event, reason)


def _context(event: Event, **extra) -> dict:
    return {
        "event": event,
        "seats_left": services.seats_left(event),
        "is_open": services.registration_is_open(event),
        "closes_at": event.registration_closes_at or event.start_at,
        **extra,
    }


@login_required
def register(request, slug):
    event, refused = _event_for(request, slug)
    if refused:
        return refused
    registration = permissions.registration_of(request.user, event)
    active = registration is not None and registration.status in ACTIVE_STATUSES
    form = RegistrationForm(
        request.POST if request.method == "POST" else None,
        event=event,
        initial=initial_answers(event, request.user),
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.registration_create(
                actor=request.user, event=event, data=form.cleaned_data
            )
        except PermissionDenied:
            return _refusal(request, event, _("You cannot register for this event."))
        except ValidationError as error:
            add_service_errors(form, error)
            status = 400
        else:
            messages.success(request, _outcome(registration))
            # The event page shows the registration's status (and, once accepted, the venue).
            return redirect(event)
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "events/registering/register.html",
        _context(
            event,
            form=form,
            registration=registration,
            active=active,
            position=registration and selectors.waitlist_position(registration),
        ),
        status=status,
    )


def _own_registration(request, event: Event) -> Registration:
    registration = permissions.registration_of(request.user, event)
    if registration is None:
        raise Http404
    return registration


@login_required
def cancel(request, slug):
    event = selectors.event_get(request.user, slug)
    registration = _own_registration(request, event)
    if request.method == "POST":
        actions.run(
            request,
            lambda: services.registration_cancel(actor=request.user, registration=registration),
            _("Your registration is cancelled."),
        )
        return redirect("events:mine")
    if registration.status not in ACTIVE_STATUSES:
        messages.info(request, _("This registration is not active."))
        return redirect("events:mine")
    return render(
        request,
        "events/registering/cancel.html",
        {"event": event, "registration": registration},
    )


@login_required
def sponsorship(request, slug):
    event = selectors.event_get(request.user, slug)
    registration = permissions.registration_of(request.user, event)
    if registration is None:
        messages.info(request, _("Register for the event first, then ask for a sponsorship."))
        return redirect("events:register", slug=event.slug)
    existing = getattr(registration, "sponsorship", None)
    if existing is not None and existing.status == SponsorshipStatus.WITHDRAWN:
        existing = None
    can_ask = (
        existing is None and event.sponsorship_budget > 0 and registration.status in ACTIVE_STATUSES
    )
    form = SponsorshipForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.sponsorship_request(
                    actor=request.user, registration=registration, data=form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _(
                        "Your request is sent to the organizers. Do not book travel before you "
                        "are accepted."
                    ),
                )
                return redirect("events:sponsorship", slug=event.slug)
        status = 400
    return render(
        request,
        "events/registering/sponsorship.html",
        {
            "event": event,
            "registration": registration,
            "sponsorship": existing,
            "can_ask": can_ask or request.method == "POST",
            "form": form,
        },
        status=status,
    )


def invitation(request, token):
    """The personal link of an invitation. Anonymous visitors are asked to sign in (or sign
    up) and come back; the invited person sees the registration form."""
    try:
        invitation = services.invitation_for(token)
    except ValidationError as error:
        return render(
            request,
            "events/registering/invitation.html",
            {"problem": error.messages[0]},
            status=404,
        )
    event = invitation.event
    here = reverse("events:invitation", args=[token])
    context = {
        "invitation": invitation,
        "event": event,
        "login_url": f"{reverse('account_login')}?{urlencode({'next': here})}",
        "signup_url": f"{reverse('account_signup')}?{urlencode({'next': here})}",
    }
    if not request.user.is_authenticated:
        if request.method == "POST":
            return redirect_to_login(here)
        return render(request, "events/registering/invitation.html", context)
    # Someone else's invitation is refused (403); a closed registration is a plain answer (400).
    problem, status = None, 400
    if invitation.accepted_by_id is not None:
        if invitation.accepted_by_id == request.user.pk:
            problem, status = _("You have already accepted this invitation."), 200
        else:
            problem = _("This invitation has already been used by another person.")
            status = 403
    elif not services.invitation_is_for(request.user, invitation):
        problem = _(
            "This invitation was sent to %(email)s. Sign in with that address to accept it."
        ) % {"email": invitation.email}
        status = 403
    elif not services.registration_is_open(event):
        problem = _("Registration for this event is closed.")
    if problem:
        return render(
            request,
            "events/registering/invitation.html",
            {**context, "problem": problem, "own": status == 200},
            status=status,
        )
    form = RegistrationForm(
        request.POST if request.method == "POST" else None,
        event=event,
        initial=initial_answers(event, request.user),
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                registration = services.invitation_accept(
                    actor=request.user, token=token, data=form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _outcome(registration))
                return redirect(event)
        status = 400
    return render(
        request,
        "events/registering/invitation.html",
        {**_context(event), **context, "form": form},
        status=status,
    )


@login_required
def mine(request):
    registrations = list(selectors.my_registrations(request.user))
    for registration in registrations:
        registration.position = selectors.waitlist_position(registration)
        registration.active = registration.status in ACTIVE_STATUSES
        registration.accepted = registration.status == RegistrationStatus.CONFIRMED
    return render(request, "events/registering/mine.html", {"registrations": registrations})


urlpatterns = [
    path("events/<slug:slug>/register/", register, name="register"),
    path("events/<slug:slug>/cancel/", cancel, name="cancel"),
    path("events/<slug:slug>/sponsorship/", sponsorship, name="sponsorship"),
    path("invitations/<str:token>/", invitation, name="invitation"),
    path("my/events/", mine, name="mine"),
]
