"""Every write of the portal: the newsletter's subscriptions (double opt-in, one-click
unsubscribe), composing a newsletter and sending it.

Links in emails carry signed tokens (django.core.signing) rather than stored secrets: the
confirmation link expires after CONFIRM_MAX_AGE, the unsubscribe link never does. Both name the
subscriber's id and address, so a link stays useless once the row is gone."""

import datetime
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from local4action.accounts.permissions import is_secretariat
from local4action.core.models import LANGUAGE_CODES
from local4action.core.services import audit_record
from local4action.events.choices import Visibility
from local4action.events.models import Event
from local4action.initiatives.choices import PUBLIC_STATUSES
from local4action.initiatives.models import Initiative
from local4action.monitoring.choices import DeliverableStatus
from local4action.monitoring.models import Deliverable

from .models import Delivery, Newsletter, Subscriber

CONFIRM_SALT = "local4action.portal.newsletter.confirm"
UNSUBSCRIBE_SALT = "local4action.portal.newsletter.unsubscribe"
CONFIRM_MAX_AGE = datetime.timedelta(days=7)
# What the compose form offers: HUBs labelled, events held or coming, results delivered lately.
RECENT_DAYS = 120
CANDIDATES_MAX = 30
SUBJECT_MAX = 200
INTRO_MAX = 5000


def site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


# Tokens -----------------------------------------------------------------------------------------


def confirm_token(subscriber: Subscriber) -> str:
    return signing.dumps([subscriber.pk, subscriber.email], salt=CONFIRM_SALT, compress=True)


def unsubscribe_token(subscriber: Subscriber) -> str:
    return signing.dumps([subscriber.pk, subscriber.email], salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_url(subscriber: Subscriber) -> str:
    return site_url(reverse("portal:unsubscribe", args=[unsubscribe_token(subscriber)]))


def _subscriber_from(token: str, *, salt: str, max_age=None) -> Subscriber | None:
    """The subscriber a link names; ValidationError when the link was altered or expired,
    None when the subscription no longer exists."""
    try:
        pk, email = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired:
        raise ValidationError(
            _("This confirmation link has expired. Please subscribe again."), code="expired"
        ) from None
    except (signing.BadSignature, TypeError, ValueError):
        raise ValidationError(
            _("This link is not valid. Please copy the whole link from the email."),
            code="invalid",
        ) from None
    return Subscriber.objects.filter(pk=pk, email=email).first()


# Subscriptions ----------------------------------------------------------------------------------


def _send_confirmation(subscriber: Subscriber) -> None:
    with translation.override(subscriber.language):
        context = {
            "confirm_url": site_url(reverse("portal:confirm", args=[confirm_token(subscriber)])),
            "days": CONFIRM_MAX_AGE.days,
            "brand": settings.BRAND,
        }
        subject = render_to_string("portal/email/confirm_subject.txt", context).strip()
        body = render_to_string("portal/email/confirm_body.txt", context)
    EmailMultiAlternatives(subject, body, to=[subscriber.email]).send()


@transaction.atomic
def subscriber_subscribe(*, email: str, language: str) -> tuple[Subscriber, bool]:
    """Start a subscription: nothing is sent to an address until its owner follows the link in
    the confirmation email (double opt-in). Asking again while unconfirmed sends a fresh link;
    an address already confirmed only has its language updated. Returns (subscriber, whether a
    confirmation email went out)."""
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(
            _("Please enter a valid email address, such as name@example.org."), code="email"
        ) from None
    if language not in LANGUAGE_CODES:
        raise ValidationError(_("Please choose one of the languages offered."), code="language")
    subscriber = Subscriber.objects.select_for_update().filter(email=email).first()
    if subscriber is None:
        subscriber = Subscriber.objects.create(email=email, language=language)
    elif subscriber.language != language:
        subscriber.language = language
        subscriber.save(update_fields=["language"])
    if subscriber.is_confirmed:
        return subscriber, False
    transaction.on_commit(lambda: _send_confirmation(subscriber))
    return subscriber, True


@transaction.atomic
def subscriber_confirm(*, token: str) -> Subscriber:
    """Confirm the address the link was sent to; a link works once and for CONFIRM_MAX_AGE."""
    subscriber = _subscriber_from(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    if subscriber is None:
        raise ValidationError(
            _("This subscription no longer exists. Please subscribe again."), code="missing"
        )
    if subscriber.is_confirmed:
        raise ValidationError(_("This address is already confirmed."), code="confirmed")
    subscriber.confirmed_at = timezone.now()
    subscriber.save(update_fields=["confirmed_at"])
    return subscriber


@transaction.atomic
def subscriber_unsubscribe(*, token: str) -> str:
    """Remove the subscription the link names, at once and without signing in; the row is
    deleted, so nothing about the person is kept. Returns the address."""
    subscriber = _subscriber_from(token, salt=UNSUBSCRIBE_SALT)
    if subscriber is None:
        raise ValidationError(_("This address is not subscribed any more."), code="missing")
    email = subscriber.email
    subscriber.delete()
    return email


# Composing and sending --------------------------------------------------------------------------


def newsletter_candidates(*, now=None) -> dict[str, QuerySet]:
    """What a newsletter may present: public HUBs and initiatives labelled lately, public
    events held lately or coming, deliverables of public initiatives delivered lately."""
    now = now or timezone.now()
    since = now - datetime.timedelta(days=RECENT_DAYS)
    return {
        "initiatives": Initiative.objects.filter(status__in=list(PUBLIC_STATUSES))
        .filter(labelled_at__gte=since)
        .select_related("lead_organization")
        .prefetch_related("translations")
        .order_by("-labelled_at", "pk")[:CANDIDATES_MAX],
        "events": Event.objects.filter(
            published=True, visibility=Visibility.PUBLIC, end_at__gte=since
        ).order_by("start_at", "pk")[:CANDIDATES_MAX],
        "results": Deliverable.objects.filter(
            status=DeliverableStatus.DELIVERED,
            delivered_on__gte=since.date(),
            initiative__status__in=list(PUBLIC_STATUSES),
        )
        .select_related("initiative")
        .prefetch_related("initiative__translations")
        .order_by("-delivered_on", "pk")[:CANDIDATES_MAX],
    }


def _chosen(queryset: QuerySet, ids) -> list:
    ids = {int(pk) for pk in ids}
    allowed = {item.pk: item for item in queryset}
    if ids - allowed.keys():
        raise ValidationError(
            _("Some of the chosen items are no longer available. Please choose again."),
            code="items",
        )
    return [allowed[pk] for pk in ids]


@transaction.atomic
def newsletter_create(
    *,
    actor,
    subjects: dict[str, str],
    intros: dict[str, str],
    initiative_ids=(),
    event_ids=(),
    result_ids=(),
) -> Newsletter:
    """The secretariat composes a newsletter: a subject and an introduction in English (the
    other languages fall back to it), and items picked among the recent public ones."""
    if not is_secretariat(actor):
        raise PermissionDenied
    subjects = {code: (subjects.get(code) or "").strip() for code in LANGUAGE_CODES}
    intros = {code: (intros.get(code) or "").strip() for code in LANGUAGE_CODES}
    errors = []
    if not subjects["en"]:
        errors.append(_("Please write the subject in English."))
    if not intros["en"]:
        errors.append(_("Please write the introduction in English."))
    if any(len(text) > SUBJECT_MAX for text in subjects.values()):
        errors.append(_("A subject may be at most %(n)s characters long.") % {"n": SUBJECT_MAX})
    if any(len(text) > INTRO_MAX for text in intros.values()):
        errors.append(_("An introduction may be at most %(n)s characters long.") % {"n": INTRO_MAX})
    if errors:
        raise ValidationError(errors)
    candidates = newsletter_candidates()
    initiatives = _chosen(candidates["initiatives"], initiative_ids)
    events = _chosen(candidates["events"], event_ids)
    results = _chosen(candidates["results"], result_ids)
    newsletter = Newsletter(
        **{f"subject_{code}": text for code, text in subjects.items()},
        **{f"intro_{code}": text for code, text in intros.items()},
        created_by=actor,
    )
    newsletter.full_clean()
    newsletter.save()
    newsletter.initiatives.set(initiatives)
    newsletter.events.set(events)
    newsletter.results.set(results)
    audit_record(actor=actor, action="newsletter.create", target=newsletter)
    return newsletter


@transaction.atomic
def newsletter_send(*, actor, newsletter: Newsletter) -> Newsletter:
    """Send a newsletter to every confirmed subscriber, once: a second send is refused, and the
    delivery task itself never writes to an address twice."""
    from .tasks import newsletter_deliver  # tasks imports this module

    if not is_secretariat(actor):
        raise PermissionDenied
    newsletter = Newsletter.objects.select_for_update().get(pk=newsletter.pk)
    if newsletter.sent_at is not None:
        raise ValidationError(
            _("This newsletter was already sent on %(date)s.")
            % {"date": date_format(timezone.localtime(newsletter.sent_at), "DATETIME_FORMAT")},
            code="sent",
        )
    newsletter.sent_at = timezone.now()
    newsletter.sent_by = actor
    newsletter.save(update_fields=["sent_at", "sent_by"])
    audit_record(actor=actor, action="newsletter.send", target=newsletter)
    transaction.on_commit(lambda: newsletter_deliver.enqueue(newsletter.pk))
    return newsletter


def newsletter_content(newsletter: Newsletter, language: str) -> dict[str, Any]:
    """What the email and the preview show in one language (call under that language)."""
    return {
        "newsletter": newsletter,
        "language": language,
        "subject": newsletter.subject_in(language),
        "intro": newsletter.intro_in(language),
        "initiatives": list(
            newsletter.initiatives.select_related("lead_organization").prefetch_related(
                "translations"
            )
        ),
        "events": list(newsletter.events.order_by("start_at", "pk")),
        "results": list(
            newsletter.results.select_related("initiative")
            .prefetch_related("initiative__translations")
            .order_by("-delivered_on", "pk")
        ),
        "site_url": settings.SITE_URL.rstrip("/"),
        "brand": settings.BRAND,
    }


def newsletter_message(newsletter: Newsletter, subscriber: Subscriber) -> EmailMultiAlternatives:
    """The newsletter as one subscriber receives it: in their language, with their own
    unsubscribe link in the body and in the List-Unsubscribe header (RFC 8058 one-click)."""
    link = unsubscribe_url(subscriber)
    with translation.override(subscriber.language):
        context = {**newsletter_content(newsletter, subscriber.language), "unsubscribe_url": link}
        text = render_to_string("portal/email/newsletter_body.txt", context)
        html = render_to_string("portal/email/newsletter_body.html", context)
    message = EmailMultiAlternatives(
        context["subject"],
        text,
        to=[subscriber.email],
        headers={
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def delivery_claim(*, newsletter: Newsletter, subscriber: Subscriber) -> Delivery | None:
    """Reserve one subscriber for one newsletter; None when a run already took them."""
    try:
        with transaction.atomic():
            return Delivery.objects.create(newsletter=newsletter, subscriber=subscriber)
    except IntegrityError:
        return None
