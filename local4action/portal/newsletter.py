"""Newsletter: subscription with double opt-in, one-click unsubscribe, staff compose and send.

Confirming and unsubscribing happen on POST (a button on the page the emailed link opens), so
mail scanners that fetch every link cannot do it for the person. The unsubscribe URL also takes
the mail client's own POST (RFC 8058, List-Unsubscribe-Post), which carries no CSRF token: the
signed token in the URL is the authority."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import path
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt

from local4action.accounts.permissions import is_secretariat
from local4action.core import actions
from local4action.core.models import LANGUAGE_CODES
from local4action.core.numbers import whole_number
from local4action.core.once import once

from . import services
from .models import Newsletter


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("Email address"),
        max_length=254,
        error_messages={
            "required": gettext_lazy("Please enter your email address."),
            "invalid": gettext_lazy(
                "Please enter a valid email address, such as name@example.org."
            ),
            "max_length": gettext_lazy("This email address is too long."),
        },
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Language of the newsletter"), choices=settings.LANGUAGES
    )


def subscribe(request):
    language = (translation.get_language() or "en")[:2]
    form = SubscribeForm(request.POST or None, initial={"language": language})
    if request.method == "POST" and form.is_valid():
        try:
            _subscriber, sent = services.subscriber_subscribe(
                email=form.cleaned_data["email"], language=form.cleaned_data["language"]
            )
        except ValidationError as error:
            actions.show_errors(request, error)
        else:
            if sent:
                messages.success(
                    request,
                    _(
                        "Almost done: we sent you an email. Open the link in it to confirm "
                        "your subscription."
                    ),
                )
            else:
                messages.info(request, _("This address is already subscribed."))
            return redirect("portal:subscribe")
    return render(request, "portal/newsletter/subscribe.html", {"form": form})


def _refused(error: ValidationError) -> int:
    """A link refused: gone when it expired, not found when it was altered."""
    return 410 if getattr(error, "code", None) == "expired" else 404


def confirm(request, token):
    if request.method == "POST":
        try:
            services.subscriber_confirm(token=token)
        except ValidationError as error:
            actions.show_errors(request, error)
            return render(
                request, "portal/newsletter/confirm.html", {"failed": True}, status=_refused(error)
            )
        return render(request, "portal/newsletter/confirm.html", {"done": True})
    return render(request, "portal/newsletter/confirm.html", {"token": token})


@csrf_exempt
def unsubscribe(request, token):
    if request.method == "POST":
        try:
            email = services.subscriber_unsubscribe(token=token)
        except ValidationError as error:
            actions.show_errors(request, error)
            return render(
                request,
                "portal/newsletter/unsubscribe.html",
                {"failed": True},
                status=_refused(error),
            )
        return render(request, "portal/newsletter/unsubscribe.html", {"done": True, "email": email})
    return render(request, "portal/newsletter/unsubscribe.html", {"token": token})


# Staff: compose, preview, send --------------------------------------------------------------------


def _staff_only(user) -> None:
    if not is_secretariat(user):
        raise PermissionDenied


@login_required
def newsletter_list(request):
    _staff_only(request.user)
    newsletters = Newsletter.objects.annotate(
        delivered=Count("deliveries", filter=Q(deliveries__sent_at__isnull=False))
    ).select_related("created_by")
    return render(request, "portal/newsletter/newsletter_list.html", {"newsletters": newsletters})


def _languages():
    return [(code, name) for code, name in settings.LANGUAGES if code in LANGUAGE_CODES]


@login_required
@once
def newsletter_create(request):
    _staff_only(request.user)
    candidates = services.newsletter_candidates()
    values = {"subjects": {}, "intros": {}, "chosen": {}}
    if request.method == "POST":
        post = request.POST
        values = {
            "subjects": {code: post.get(f"subject_{code}", "") for code in LANGUAGE_CODES},
            "intros": {code: post.get(f"intro_{code}", "") for code in LANGUAGE_CODES},
            "chosen": {
                name: {v for v in post.getlist(name) if whole_number(v) is not None}
                for name in ("initiatives", "events", "results")
            },
        }
        try:
            newsletter = services.newsletter_create(
                actor=request.user,
                subjects=values["subjects"],
                intros=values["intros"],
                initiative_ids=values["chosen"]["initiatives"],
                event_ids=values["chosen"]["events"],
                result_ids=values["chosen"]["results"],
            )
        except ValidationError as error:
            actions.show_errors(request, error)
        else:
            messages.success(request, _("Newsletter saved. Check the preview in each language."))
            return redirect(newsletter)
    chosen = values["chosen"]
    return render(
        request,
        "portal/newsletter/newsletter_form.html",
        {
            "language_fields": [
                {
                    "code": code,
                    "name": name,
                    "subject": values["subjects"].get(code, ""),
                    "intro": values["intros"].get(code, ""),
                }
                for code, name in _languages()
            ],
            "groups": [
                {
                    "name": "initiatives",
                    "legend": _("HUBs and initiatives labelled lately"),
                    "items": [
                        (i.pk, str(i), i.lead_organization.name) for i in candidates["initiatives"]
                    ],
                },
                {
                    "name": "events",
                    "legend": _("Events"),
                    "items": [(e.pk, e.title, e.start_at) for e in candidates["events"]],
                },
                {
                    "name": "results",
                    "legend": _("Results delivered lately"),
                    "items": [(d.pk, d.title, str(d.initiative)) for d in candidates["results"]],
                },
            ],
            "chosen": {name: {int(v) for v in ids} for name, ids in chosen.items()},
        },
    )


@login_required
def newsletter_detail(request, pk):
    _staff_only(request.user)
    newsletter = get_object_or_404(
        Newsletter.objects.select_related("created_by", "sent_by"), pk=pk
    )
    if request.method == "POST":
        if actions.run(
            request,
            lambda: services.newsletter_send(actor=request.user, newsletter=newsletter),
            _("The newsletter is being sent to every confirmed subscriber."),
        ):
            return redirect(newsletter)
        newsletter.refresh_from_db()
    language = request.GET.get("lang", "en")
    if language not in LANGUAGE_CODES:
        language = "en"
    with translation.override(language):
        preview = services.newsletter_content(newsletter, language)
        preview["unsubscribe_url"] = "#"
        # Rendered here, in the previewed language, then shown in the staff's own.
        preview_html = render_to_string("portal/email/_newsletter_content.html", preview)
    return render(
        request,
        "portal/newsletter/newsletter_detail.html",
        {
            "newsletter": newsletter,
            "language": language,
            "preview_languages": _languages(),
            "subject": preview["subject"],
            "preview_html": preview_html,
            "delivered": newsletter.deliveries.filter(sent_at__isnull=False).count(),
            "failed": newsletter.deliveries.exclude(error="").count(),
        },
    )


urlpatterns = [
    path("newsletter/", subscribe, name="subscribe"),
    path("newsletter/confirm/<str:token>/", confirm, name="confirm"),
    path("newsletter/unsubscribe/<str:token>/", unsubscribe, name="unsubscribe"),
    path("manage/newsletters/", newsletter_list, name="newsletters"),
    path("manage/newsletters/new/", newsletter_create, name="newsletter_create"),
    path("manage/newsletters/<int:pk>/", newsletter_detail, name="newsletter"),
]
