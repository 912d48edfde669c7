from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from local4action.core.models import TimeStampedModel

from .choices import (
    SCORE_MAX,
    SCORE_MIN,
    ApplicationStatus,
    CallStatus,
    ConflictRule,
    QuestionKind,
    Recommendation,
    ReviewStatus,
    Stage,
)
from .storage import private_storage


def in_language(texts: dict, language: str | None = None) -> str:
    """Pick the reader's language from a {"en": …, "fr": …, "es": …} dict, else any."""
    language = (language or get_language() or "en")[:2]
    return texts.get(language) or texts.get("en") or next(iter(texts.values()), "")


class Call(TimeStampedModel):
    """A call for proposals for the HUB label, in one or two stages."""

    slug = models.SlugField(_("web address"), max_length=220, unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_("Basic HTML is kept: paragraphs, lists, links, bold and italics."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=CallStatus.choices, default=CallStatus.DRAFT
    )
    time_zone = models.CharField(_("time zone"), max_length=64, default="Europe/Madrid")
    opens_at = models.DateTimeField(_("opens"))
    eoi_closes_at = models.DateTimeField(
        _("expressions of interest close"),
        null=True,
        blank=True,
        help_text=_("Leave empty for a call in one stage."),
    )
    closes_at = models.DateTimeField(_("applications close"))
    eligible_kinds = models.JSONField(_("eligible organization kinds"), default=list)
    target_countries = models.JSONField(
        _("target countries"),
        default=list,
        blank=True,
        help_text=_("Empty: open to every country."),
    )
    support_offered = models.JSONField(_("support offered"), default=list, blank=True)
    reviewers_per_application = models.PositiveSmallIntegerField(
        _("reviewers per application"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    conflict_rule = models.CharField(
        _("conflict-of-interest rule"),
        max_length=20,
        choices=ConflictRule.choices,
        default=ConflictRule.ORGANIZATION,
    )
    results_published = models.BooleanField(_("results published"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-opens_at"]
        verbose_name = _("call for proposals")
        verbose_name_plural = _("calls for proposals")
        constraints = [
            models.CheckConstraint(condition=~models.Q(title=""), name="call_title_set"),
            models.CheckConstraint(
                condition=models.Q(status__in=CallStatus.values), name="call_status_known"
            ),
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="call_closes_after_open",
            ),
            models.CheckConstraint(
                condition=models.Q(eoi_closes_at__isnull=True)
                | models.Q(
                    eoi_closes_at__gt=models.F("opens_at"), eoi_closes_at__lt=models.F("closes_at")
                ),
                name="call_eoi_inside_call",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    reviewers_per_application__gte=1, reviewers_per_application__lte=10
                ),
                name="call_reviewers_1_10",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("calls:detail", args=[self.slug])

    @property
    def two_stages(self) -> bool:
        return self.eoi_closes_at is not None

    def deadline(self, stage: str):
        return self.eoi_closes_at if stage == Stage.EOI else self.closes_at

    def is_accepting(self, stage: str, now=None) -> bool:
        now = now or timezone.now()
        return self.status == CallStatus.OPEN and self.opens_at <= now <= self.deadline(stage)


class Criterion(models.Model):
    """What reviewers score, 0 to 5; by default the six characteristics of a HUB."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria")
    key = models.SlugField(max_length=40)
    position = models.PositiveSmallIntegerField(default=0)
    name = models.JSONField(_("name"), help_text=_('{"en": "…", "fr": "…", "es": "…"}'))
    description = models.JSONField(_("description"), default=dict, blank=True)
    weight = models.DecimalField(_("weight"), max_digits=4, decimal_places=2, default=1)
    min_score = models.PositiveSmallIntegerField(
        _("minimum score"), default=2, validators=[MaxValueValidator(SCORE_MAX)]
    )

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.UniqueConstraint(fields=["call", "key"], name="criterion_key_unique"),
            models.CheckConstraint(
                condition=models.Q(weight__gt=0), name="criterion_weight_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(min_score__lte=SCORE_MAX), name="criterion_min_in_scale"
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return in_language(self.name)

    @property
    def help(self) -> str:
        return in_language(self.description) if self.description else ""


class Question(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="questions")
    stage = models.CharField(_("stage"), max_length=5, choices=Stage.choices)
    key = models.SlugField(max_length=40)
    position = models.PositiveSmallIntegerField(default=0)
    text = models.JSONField(_("question"))
    help = models.JSONField(_("help"), default=dict, blank=True)
    kind = models.CharField(
        _("kind"), max_length=10, choices=QuestionKind.choices, default=QuestionKind.LONG_TEXT
    )
    required = models.BooleanField(_("required"), default=True)
    criterion = models.ForeignKey(
        Criterion, on_delete=models.SET_NULL, null=True, blank=True, related_name="questions"
    )

    class Meta:
        ordering = ["stage", "position", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(fields=["call", "key"], name="question_key_unique"),
            models.CheckConstraint(
                condition=models.Q(stage__in=Stage.values), name="question_stage_known"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=QuestionKind.values), name="question_kind_known"
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return in_language(self.text)

    @property
    def help_text(self) -> str:
        return in_language(self.help) if self.help else ""


class Application(TimeStampedModel):
    """An LRG team's proposal of one initiative to one call."""

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications")
    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.PROTECT, related_name="applications"
    )
    status = models.CharField(_("status"), max_length=20, choices=ApplicationStatus.choices)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    support_requested = models.JSONField(_("support requested"), default=list, blank=True)
    # Bumped on every save of the draft, so two people editing at once cannot overwrite
    # each other silently.
    version = models.PositiveIntegerField(default=1)
    last_saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    eoi_submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.UniqueConstraint(fields=["call", "initiative"], name="application_unique"),
            models.CheckConstraint(
                condition=models.Q(status__in=ApplicationStatus.values),
                name="application_status_known",
            ),
        ]
        indexes = [models.Index(fields=["call", "status"])]

    def __str__(self):
        return f"{self.initiative} — {self.call}"

    def get_absolute_url(self):
        return reverse("calls:application", args=[self.pk])

    @property
    def organization(self):
        return self.initiative.lead_organization

    @property
    def stage(self) -> str:
        early = (
            ApplicationStatus.EOI_DRAFT,
            ApplicationStatus.EOI_SUBMITTED,
            ApplicationStatus.NOT_SHORTLISTED,
        )
        return Stage.EOI if self.status in early else Stage.FULL


class PlannedDeliverable(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="deliverables"
    )
    title = models.CharField(_("deliverable"), max_length=200)
    due_date = models.DateField(_("due date"))
    success_criteria = models.TextField(_("success criteria"), blank=True)

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("planned deliverable")
        verbose_name_plural = _("planned deliverables")
        constraints = [
            models.CheckConstraint(condition=~models.Q(title=""), name="deliverable_title_set")
        ]

    def __str__(self):
        return self.title


class Attachment(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments"
    )
    # Stored outside the public media folder: served only through a permission check.
    file = models.FileField(_("file"), upload_to="applications/%Y/%m/", storage=private_storage)
    name = models.CharField(_("name"), max_length=200)
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.name


class ConflictOfInterest(models.Model):
    """A reviewer's declared conflict with an organization: never assigned its applications."""

    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conflicts"
    )
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+"
    )
    note = models.TextField(_("explanation"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [
            models.UniqueConstraint(fields=["reviewer", "organization"], name="conflict_unique")
        ]

    def __str__(self):
        return f"{self.reviewer} ≠ {self.organization}"


class Review(TimeStampedModel):
    """One reviewer's assessment of one application."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.ASSIGNED
    )
    recommendation = models.CharField(
        _("recommendation"), max_length=20, choices=Recommendation.choices, blank=True
    )
    comment = models.TextField(_("overall comment"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["application", "id"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer"], name="review_unique"),
            models.CheckConstraint(
                condition=models.Q(status__in=ReviewStatus.values), name="review_status_known"
            ),
            models.CheckConstraint(
                condition=~models.Q(status=ReviewStatus.SUBMITTED)
                | (~models.Q(recommendation="") & models.Q(submitted_at__isnull=False)),
                name="review_submitted_complete",
            ),
        ]

    def __str__(self):
        return f"{self.reviewer} → {self.application}"

    def get_absolute_url(self):
        return reverse("calls:review", args=[self.pk])


class Score(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(SCORE_MIN), MaxValueValidator(SCORE_MAX)]
    )
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="score_unique"),
            models.CheckConstraint(
                condition=models.Q(score__gte=SCORE_MIN, score__lte=SCORE_MAX),
                name="score_in_scale",
            ),
        ]

    def __str__(self):
        return f"{self.criterion}: {self.score}"
