"""Surveys: pages of typed questions, responses saved page by page, one answer row per
question. Texts written by staff are stored per language ({"en": …, "fr": …}); respondents read
their language when it is there."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from local4action.calls.models import in_language
from local4action.core.models import TimeStampedModel

from .choices import Audience, OnePer, QuestionKind, ResponseStatus


class Survey(TimeStampedModel):
    slug = models.SlugField(_("web address"), max_length=220, unique=True)
    title = models.JSONField(_("title"))
    introduction = models.JSONField(_("introduction"), default=dict, blank=True)
    languages = models.JSONField(_("languages"), default=list)
    audience = models.CharField(
        _("audience"), max_length=20, choices=Audience.choices, default=Audience.MEMBERS
    )
    audience_kinds = models.JSONField(_("organization kinds"), default=list, blank=True)
    audience_sections = models.ManyToManyField(
        "core.RegionalSection", blank=True, verbose_name=_("regional sections")
    )
    audience_people = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("people")
    )
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    anonymous = models.BooleanField(_("anonymous"), default=False)
    one_per = models.CharField(
        _("answers"), max_length=20, choices=OnePer.choices, default=OnePer.PERSON
    )
    editable_until_close = models.BooleanField(
        _("answers can be changed until closing"), default=True
    )
    published = models.BooleanField(_("published"), default=False)
    results_public = models.BooleanField(_("results are public"), default=False)
    template = models.CharField(max_length=40, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-opens_at"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")), name="survey_closes_after_open"
            ),
            models.CheckConstraint(
                condition=Q(audience__in=Audience.values), name="survey_audience_known"
            ),
            # Anyone-with-the-link surveys cannot count one answer per organization.
            models.CheckConstraint(
                condition=~Q(audience=Audience.PUBLIC, one_per=OnePer.ORGANIZATION),
                name="survey_public_per_person",
            ),
        ]

    def __str__(self):
        return self.label

    def get_absolute_url(self):
        return reverse("surveys:detail", args=[self.slug])

    @property
    def label(self) -> str:
        return in_language(self.title)

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.published and self.opens_at <= now < self.closes_at


class Page(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="pages")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.JSONField(_("title"), default=dict, blank=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "position"], name="survey_page_position_unique"
            )
        ]

    def __str__(self):
        return in_language(self.title) if self.title else f"{self.position + 1}"


class Question(models.Model):
    """One question. `key` is stable: it names the column in exports."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=0)
    key = models.SlugField(max_length=60)
    kind = models.CharField(_("kind"), max_length=20, choices=QuestionKind.choices)
    text = models.JSONField(_("question"))
    help = models.JSONField(_("help"), default=dict, blank=True)
    required = models.BooleanField(_("required"), default=False)
    # Choices, ranking items and matrix columns: [{"value": "a", "label": {"en": …}}, …]
    options = models.JSONField(_("options"), default=list, blank=True)
    allow_other = models.BooleanField(_("“other, please say”"), default=False)
    max_choices = models.PositiveSmallIntegerField(_("at most (choices)"), null=True, blank=True)
    scale_min = models.SmallIntegerField(null=True, blank=True)
    scale_max = models.SmallIntegerField(null=True, blank=True)
    scale_labels = models.JSONField(default=dict, blank=True)  # {"1": {"en": "Poor"}, …}
    number_min = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    number_max = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    rows = models.JSONField(_("matrix rows"), default=list, blank=True)  # like options
    # Shown only when the answer to `condition_question` is one of `condition_values`.
    condition_question = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="dependents"
    )
    condition_values = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["page__position", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "key"], name="survey_question_key_unique"),
            models.CheckConstraint(
                condition=Q(kind__in=QuestionKind.values), name="survey_question_kind_known"
            ),
            models.CheckConstraint(
                condition=Q(scale_min__isnull=True) | Q(scale_max__gt=F("scale_min")),
                name="survey_question_scale_ordered",
            ),
            models.CheckConstraint(
                condition=Q(number_min__isnull=True)
                | Q(number_max__isnull=True)
                | Q(number_max__gte=F("number_min")),
                name="survey_question_bounds_ordered",
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return in_language(self.text)

    def option_values(self) -> list[str]:
        return [str(option["value"]) for option in self.options]


class Response(TimeStampedModel):
    """One person's (or organization's) answers, saved page by page until submitted."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="survey_responses",
    )
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # "user:12", "org:7" or "token:…": one response per key and survey, enforced by the database.
    uniqueness_key = models.CharField(max_length=80)
    # Lets an anonymous visitor of a public survey resume from the same browser.
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(
        max_length=20, choices=ResponseStatus.choices, default=ResponseStatus.IN_PROGRESS
    )
    current_page = models.PositiveSmallIntegerField(default=0)
    language = models.CharField(max_length=5, default="en")
    # Copied when the response starts, so results can be filtered without joins.
    section = models.ForeignKey(
        "core.RegionalSection", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    organization_kind = models.CharField(max_length=30, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["survey", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "uniqueness_key"], name="survey_one_response_per_key"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ResponseStatus.values), name="survey_response_status_known"
            ),
            models.CheckConstraint(
                condition=Q(status=ResponseStatus.IN_PROGRESS) | Q(submitted_at__isnull=False),
                name="survey_response_submitted_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.survey} · {self.uniqueness_key}"


class Answer(models.Model):
    """The answer to one question. `value` keeps it whole; `text` and `number` copy the part
    that results count or average, so that the database does the counting."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    value = models.JSONField()
    text = models.CharField(max_length=200, blank=True, db_index=False)
    number = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="survey_one_answer_per_question"
            )
        ]
        indexes = [models.Index(fields=["question", "text"])]

    def __str__(self):
        return f"{self.question_id}: {self.value}"


class AnswerItem(models.Model):
    """One chosen option of a multiple-choice, ranking or matrix answer (rank or score)."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="items")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    item = models.CharField(max_length=100)
    score = models.SmallIntegerField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["question", "item"])]

    def __str__(self):
        return f"{self.item}={self.score}"


class SurveyInvitation(models.Model):
    """An invitation or reminder handled for one person, once per kind: however often the
    sending runs, nobody gets the same message twice. For anonymous surveys a reminder row is
    written for every person of the audience, answered or not, so that these rows never tell
    who answered."""

    INVITATION = "invitation"
    REMINDER = "reminder"

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "user", "kind"], name="survey_invitation_once"
            )
        ]

    def __str__(self):
        return f"{self.survey} · {self.user_id} ({self.kind})"
