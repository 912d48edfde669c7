from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

LANGUAGE_CODES = ("en", "fr", "es")


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class TranslatedMixin:
    """Reference data carries one column per interface language: `title_en`, `title_fr`…"""

    def translated(self, field: str) -> str:
        language = (get_language() or "en")[:2]
        if language not in LANGUAGE_CODES:
            language = "en"
        return getattr(self, f"{field}_{language}") or getattr(self, f"{field}_en")


def _name_fields():
    return (
        models.CharField(_("name (English)"), max_length=200),
        models.CharField(_("name (French)"), max_length=200),
        models.CharField(_("name (Spanish)"), max_length=200),
    )


class TaxonomyTerm(TranslatedMixin, models.Model):
    slug = models.SlugField(_("code"), max_length=60, unique=True)
    name_en, name_fr, name_es = _name_fields()
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        abstract = True
        ordering = ["position", "name_en"]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return self.translated("name")


class RegionalSection(TaxonomyTerm):
    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("regional section")
        verbose_name_plural = _("regional sections")


class Axis(TaxonomyTerm):
    """An axis of the Pact for the Future (People, Planet, Government)."""

    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("Pact for the Future axis")
        verbose_name_plural = _("Pact for the Future axes")


class PolicyArea(TaxonomyTerm):
    axis = models.ForeignKey(
        Axis,
        verbose_name=_("axis"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="policy_areas",
        help_text=_("Empty for cross-cutting areas."),
    )

    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("policy area")
        verbose_name_plural = _("policy areas")


class Goal(TranslatedMixin, models.Model):
    """One of the 17 Sustainable Development Goals (loaded from the official data)."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    short_en = models.CharField(max_length=100)
    short_fr = models.CharField(max_length=100)
    short_es = models.CharField(max_length=100)
    title_en = models.TextField()
    title_fr = models.TextField()
    title_es = models.TextField()
    color = models.CharField(_("colour"), max_length=7)

    class Meta:
        ordering = ["number"]
        verbose_name = _("SDG goal")
        verbose_name_plural = _("SDG goals")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(number__gte=1, number__lte=17), name="goal_number_1_17"
            ),
            models.CheckConstraint(
                condition=models.Q(color__regex=r"^#[0-9A-Fa-f]{6}$"), name="goal_color_hex"
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.short}"

    def get_absolute_url(self):
        return reverse("core:goal", args=[self.number])

    @property
    def short(self) -> str:
        return self.translated("short")

    @property
    def title(self) -> str:
        return self.translated("title")


class Target(TranslatedMixin, models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="targets")
    code = models.CharField(_("code"), max_length=10, unique=True)
    position = models.PositiveSmallIntegerField(default=0)
    title_en = models.TextField()
    title_fr = models.TextField()
    title_es = models.TextField()

    class Meta:
        ordering = ["goal__number", "position"]
        verbose_name = _("SDG target")
        verbose_name_plural = _("SDG targets")

    def __str__(self):
        return self.code

    def get_absolute_url(self):
        return reverse("core:target", args=[self.code])

    @property
    def title(self) -> str:
        return self.translated("title")


class Indicator(TranslatedMixin, models.Model):
    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(_("code"), max_length=12, unique=True)
    position = models.PositiveSmallIntegerField(default=0)
    title_en = models.TextField()
    title_fr = models.TextField()
    title_es = models.TextField()
    # Codes where the UN lists the same indicator again (e.g. 1.5.1 = 11.5.1 = 13.1.1).
    also_listed_under = models.JSONField(default=list, blank=True)
    # In the source but no longer in the UN framework after the 2020 review.
    obsolete = models.BooleanField(default=False)

    class Meta:
        ordering = ["target__goal__number", "target__position", "position"]
        verbose_name = _("SDG indicator")
        verbose_name_plural = _("SDG indicators")

    def __str__(self):
        return self.code

    @property
    def title(self) -> str:
        return self.translated("title")


class AuditEvent(models.Model):
    """Who did what to which object, when and why. Written only by `core.services.audit_record`."""

    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=100)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["content_type", "object_id"])]
        constraints = [
            models.CheckConstraint(condition=~models.Q(action=""), name="audit_action_not_empty"),
        ]

    def __str__(self):
        return f"{self.action} {self.object_repr}"


class Notification(models.Model):
    """A message to one user, shown in the app and sent by email in the recipient's language.

    Only the kind and its context are stored: the text is rendered from
    `core/notifications/<kind>_subject.txt` and `_body.txt` in the reader's language.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=60)
    context = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    email_sent_at = models.DateTimeField(null=True, blank=True)
    # To be emailed and not sent yet: a mail server that was down is caught up with by
    # `manage.py send_pending_emails`.
    email_pending = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(
                fields=["created_at"],
                condition=models.Q(email_pending=True),
                name="notification_email_pending",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind=""), name="notification_kind_not_empty"
            ),
        ]

    def __str__(self):
        return f"{self.kind} → {self.recipient_id}"
