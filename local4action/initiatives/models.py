from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from local4action.core.models import TimeStampedModel
from local4action.core.validators import validate_image_size

from .choices import PUBLIC_STATUSES, InitiativeStatus, Scale


class Initiative(TimeStampedModel):
    """A local initiative led by an LRG: the registry every module hangs off.

    Title and summary stay in their original language; translations are optional.
    """

    slug = models.SlugField(_("web address"), max_length=220, unique=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    language = models.CharField(
        _("original language"), max_length=5, choices=settings.LANGUAGES, default="en"
    )
    lead_organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("lead organization"),
        on_delete=models.PROTECT,
        related_name="led_initiatives",
    )
    partners = models.ManyToManyField(
        "accounts.Organization",
        verbose_name=_("partner organizations"),
        blank=True,
        related_name="partner_initiatives",
    )
    goals = models.ManyToManyField("core.Goal", verbose_name=_("SDGs"), blank=True)
    targets = models.ManyToManyField("core.Target", verbose_name=_("SDG targets"), blank=True)
    policy_areas = models.ManyToManyField(
        "core.PolicyArea", verbose_name=_("policy areas"), blank=True
    )
    scale = models.CharField(_("scale"), max_length=30, choices=Scale.choices, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    website = models.URLField(_("website"), blank=True)
    image = models.ImageField(
        _("image"), upload_to="initiatives/", blank=True, validators=[validate_image_size]
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=InitiativeStatus.choices,
        default=InitiativeStatus.DRAFT,
    )
    labelled_at = models.DateTimeField(_("label granted on"), null=True, blank=True)
    # Stemmed, accent-free words of the title and summary in every language (core.search),
    # rewritten whenever they change (initiatives.signals).
    search_text = models.TextField(default="", blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["title"]
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        constraints = [
            models.CheckConstraint(condition=~models.Q(title=""), name="initiative_title_set"),
            models.CheckConstraint(
                condition=models.Q(status__in=InitiativeStatus.values),
                name="initiative_status_known",
            ),
            models.CheckConstraint(
                condition=models.Q(start_date__isnull=True)
                | models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="initiative_dates_ordered",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=InitiativeStatus.LABELLED)
                | models.Q(labelled_at__isnull=False),
                name="initiative_labelled_has_date",
            ),
        ]
        indexes = [models.Index(fields=["status", "title"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("initiatives:detail", args=[self.slug])

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES

    @property
    def is_hub(self) -> bool:
        return self.labelled_at is not None and self.status in (
            InitiativeStatus.LABELLED,
            InitiativeStatus.COMPLETED,
        )

    def translation(self) -> "InitiativeTranslation | None":
        """The translation into the reader's language, when there is one (prefetched)."""
        language = (get_language() or "en")[:2]
        if language == self.language:
            return None
        for translation in self.translations.all():
            if translation.language == language:
                return translation
        return None


class InitiativeTranslation(models.Model):
    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="translations"
    )
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)

    class Meta:
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "language"], name="initiative_translation_unique"
            )
        ]

    def __str__(self):
        return f"{self.initiative} ({self.language})"


class Location(models.Model):
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="locations")
    name = models.CharField(_("place"), max_length=200)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=5,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=8,
        decimal_places=5,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__gte=-90, latitude__lte=90),
                name="location_latitude_range",
            ),
            models.CheckConstraint(
                condition=models.Q(longitude__gte=-180, longitude__lte=180),
                name="location_longitude_range",
            ),
        ]

    def __str__(self):
        return self.name
