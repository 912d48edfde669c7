"""The newsletter: who receives it (double opt-in), what the secretariat sends, and one delivery
row per subscriber so a newsletter reaches each address once, however often the task runs.

The portal app otherwise only reads other apps' data; these are its only tables."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from local4action.core.models import LANGUAGE_CODES


class Subscriber(models.Model):
    """An address that asked for the newsletter. It receives it once `confirmed_at` is set (the
    person followed the link in the confirmation email); unsubscribing deletes the row, so
    nothing is kept about people who left."""

    email = models.EmailField(_("email address"), unique=True)
    language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, default="en"
    )
    created_at = models.DateTimeField(_("subscribed on"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed on"), null=True, blank=True)

    class Meta:
        ordering = ["email"]
        verbose_name = _("newsletter subscriber")
        verbose_name_plural = _("newsletter subscribers")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(language__in=LANGUAGE_CODES), name="subscriber_language_known"
            )
        ]

    def __str__(self):
        return self.email

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class Newsletter(models.Model):
    """One issue: a subject and an introduction per language (English required, the others
    fall back to it), and the HUBs, events and results it presents. `sent_at` is set when the
    secretariat sends it; it cannot be sent or changed again afterwards."""

    subject_en = models.CharField(_("subject (English)"), max_length=200)
    subject_fr = models.CharField(_("subject (French)"), max_length=200, blank=True)
    subject_es = models.CharField(_("subject (Spanish)"), max_length=200, blank=True)
    intro_en = models.TextField(_("introduction (English)"))
    intro_fr = models.TextField(_("introduction (French)"), blank=True)
    intro_es = models.TextField(_("introduction (Spanish)"), blank=True)
    initiatives = models.ManyToManyField(
        "initiatives.Initiative", verbose_name=_("HUBs and initiatives"), blank=True
    )
    events = models.ManyToManyField("events.Event", verbose_name=_("events"), blank=True)
    results = models.ManyToManyField(
        "monitoring.Deliverable", verbose_name=_("results"), blank=True
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent on"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("newsletter")
        verbose_name_plural = _("newsletters")

    def __str__(self):
        return self.subject_en

    def get_absolute_url(self):
        return reverse("portal:newsletter", args=[self.pk])

    def subject_in(self, language: str) -> str:
        return getattr(self, f"subject_{language}", "") or self.subject_en

    def intro_in(self, language: str) -> str:
        return getattr(self, f"intro_{language}", "") or self.intro_en

    @property
    def subject(self) -> str:
        return self.subject_in((get_language() or "en")[:2])


class Delivery(models.Model):
    """A newsletter claimed for one subscriber. The row is written before the email goes out,
    so a task that runs again skips the address (at most once); `sent_at` stays empty and
    `error` says why when the mail server refused it."""

    newsletter = models.ForeignKey(Newsletter, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("newsletter delivery")
        verbose_name_plural = _("newsletter deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["newsletter", "subscriber"], name="delivery_once_per_subscriber"
            )
        ]

    def __str__(self):
        return f"{self.newsletter_id} → {self.subscriber_id}"
