"""The yearly work plan: plan → pillars → sections (numbered to any depth) → actions, each
action with a log of dated updates. The outline is what the importer read from the document
staff wrote (outline.py); tracking fields (status, progress, updates, links) belong to the
platform and survive a re-import."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from local4action.core.models import TimeStampedModel

from .choices import Axis, Status, Tier


class WorkPlan(TimeStampedModel):
    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    title = models.CharField(_("title"), max_length=300)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    source_name = models.CharField(_("imported from"), max_length=255, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-year"]
        verbose_name = _("work plan")
        verbose_name_plural = _("work plans")
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100), name="workplan_year_sensible"
            )
        ]

    def __str__(self):
        return f"{self.year} — {self.title}"

    def get_absolute_url(self):
        return reverse("workplan:plan", args=[self.year])


class Pillar(models.Model):
    plan = models.ForeignKey(WorkPlan, on_delete=models.CASCADE, related_name="pillars")
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=500)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = _("pillar")
        verbose_name_plural = _("pillars")
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="pillar_number_unique_in_plan")
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"


class Section(models.Model):
    """A numbered part of a pillar: `number` is the full dotted number ("2.2.2.1"), `depth`
    its count of parts (a pillar's direct sections have depth 2)."""

    plan = models.ForeignKey(WorkPlan, on_delete=models.CASCADE, related_name="sections")
    pillar = models.ForeignKey(Pillar, on_delete=models.CASCADE, related_name="sections")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    number = models.CharField(_("number"), max_length=40)
    depth = models.PositiveSmallIntegerField(_("depth"))
    position = models.PositiveIntegerField(_("position"))
    title = models.CharField(_("title"), max_length=500)
    description = models.TextField(_("description"), blank=True)
    axis = models.CharField(_("axis"), max_length=20, choices=Axis.choices, blank=True)

    class Meta:
        ordering = ["plan", "position"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "number"], name="section_number_unique_in_plan"
            ),
            models.CheckConstraint(condition=Q(depth__gte=2), name="section_below_pillar"),
            models.CheckConstraint(condition=Q(axis__in=Axis.values), name="section_axis_known"),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"


class Action(TimeStampedModel):
    plan = models.ForeignKey(WorkPlan, on_delete=models.CASCADE, related_name="actions")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="actions")
    position = models.PositiveIntegerField(_("position"))
    # As written: sanitized HTML (bold, italics, links kept), and its plain text for
    # matching on re-import, search and exports.
    text = models.TextField(_("text"))
    text_plain = models.TextField(_("plain text"))
    tier = models.CharField(_("tier"), max_length=20, choices=Tier.choices)
    partner_name = models.CharField(_("partnership with"), max_length=200, blank=True)
    owner_team = models.CharField(_("owner team"), max_length=200, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="workplan_actions",
        verbose_name=_("owner"),
    )
    partners = models.ManyToManyField(
        "accounts.Organization", blank=True, related_name="+", verbose_name=_("partners")
    )
    sdgs = models.ManyToManyField("core.Goal", blank=True, related_name="+", verbose_name=_("SDGs"))
    initiatives = models.ManyToManyField(
        "initiatives.Initiative",
        blank=True,
        related_name="workplan_actions",
        verbose_name=_("initiatives"),
    )
    events = models.ManyToManyField(
        "events.Event", blank=True, related_name="workplan_actions", verbose_name=_("events")
    )
    surveys = models.ManyToManyField(
        "surveys.Survey", blank=True, related_name="workplan_actions", verbose_name=_("surveys")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    last_update_at = models.DateTimeField(_("last update"), null=True, blank=True)
    # Bumped on every tracking change: a form carries the version it was read at, so two
    # people editing at once cannot overwrite each other silently.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["plan", "section__position", "position"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="action_progress_max_100"),
            models.CheckConstraint(condition=Q(tier__in=Tier.values), name="action_tier_known"),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="action_status_known"
            ),
            models.CheckConstraint(
                condition=~Q(tier=Tier.PARTNERSHIP) | ~Q(partner_name=""),
                name="action_partnership_names_partner",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.DONE) | Q(progress=100), name="action_done_is_complete"
            ),
        ]
        indexes = [models.Index(fields=["plan", "status"])]

    def __str__(self):
        return self.text_plain[:80]

    def get_absolute_url(self):
        return reverse("workplan:action", args=[self.pk])


class ActionUpdate(models.Model):
    """One dated entry of an action's log: what the status and progress became, and why."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("date"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    progress = models.PositiveSmallIntegerField(_("progress (%)"))
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("action update")
        verbose_name_plural = _("action updates")
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="update_progress_max_100"),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="update_status_known"
            ),
        ]
        indexes = [models.Index(fields=["action", "-created_at"])]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d} {self.get_status_display()} {self.progress}%"
