"""Events, their agenda, registrations, invitations, sponsorships and co-creation boards.
Every moment is stored in UTC; `Event.time_zone` says how to show it."""

import zoneinfo

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from local4action.core.models import TimeStampedModel

from .choices import (
    Attendance,
    EventKind,
    IdeaStatus,
    RegistrationStatus,
    SessionKind,
    SponsorshipStatus,
    Visibility,
)

IDEA_MAX_LENGTH = 280


class Event(TimeStampedModel):
    slug = models.SlugField(_("web address"), max_length=220, unique=True)
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_("Basic HTML is kept: paragraphs, lists, links, bold and italics."),
    )
    # A working session inside a seminar week points to the seminar.
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
    )
    organizers = models.ManyToManyField(
        "accounts.Organization", verbose_name=_("organizers"), related_name="events", blank=True
    )
    start_at = models.DateTimeField(_("starts"))
    end_at = models.DateTimeField(_("ends"))
    time_zone = models.CharField(_("time zone"), max_length=64, default="Europe/Paris")
    city = models.CharField(_("city"), max_length=120, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True)
    # Shown only to accepted participants and organizers.
    venue = models.TextField(_("venue"), blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    languages = models.JSONField(_("languages"), default=list)
    visibility = models.CharField(
        _("visibility"), max_length=20, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )
    registration_opens_at = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("registration closes"), null=True, blank=True)
    approval_required = models.BooleanField(_("organizers accept each registration"), default=True)
    questions = models.JSONField(_("registration questions"), default=list, blank=True)
    sponsorship_budget = models.PositiveIntegerField(
        _("sponsorships available"),
        default=0,
        help_text=_("How many travel or lodging sponsorships the organizers can grant."),
    )
    initiatives = models.ManyToManyField(
        "initiatives.Initiative", verbose_name=_("HUBs"), related_name="events", blank=True
    )
    goals = models.ManyToManyField(
        "core.Goal", verbose_name=_("SDGs"), related_name="events", blank=True
    )
    published = models.BooleanField(_("published"), default=False)
    # The rapporteur's summary and the guidelines, published after the event.
    summary = models.TextField(_("summary of trends"), blank=True)
    guidelines = models.TextField(_("guidelines"), blank=True)
    summary_published_at = models.DateTimeField(null=True, blank=True)
    feedback_survey = models.OneToOneField(
        "surveys.Survey",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["start_at", "pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_at__gt=F("start_at")), name="event_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(kind__in=EventKind.values), name="event_kind_known"),
            models.CheckConstraint(
                condition=Q(visibility__in=Visibility.values), name="event_visibility_known"
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="event_capacity_positive",
            ),
            models.CheckConstraint(
                condition=Q(registration_opens_at__isnull=True)
                | Q(registration_closes_at__isnull=True)
                | Q(registration_closes_at__gt=F("registration_opens_at")),
                name="event_registration_closes_after_opening",
            ),
        ]
        indexes = [models.Index(fields=["published", "visibility", "start_at"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:detail", args=[self.slug])

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)


class Session(models.Model):
    """An item of the agenda."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    start_at = models.DateTimeField(_("starts"))
    end_at = models.DateTimeField(_("ends"))
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=SessionKind.choices)
    description = models.TextField(_("description"), blank=True)
    language = models.CharField(_("language"), max_length=2, blank=True)
    interpretation = models.JSONField(_("interpretation into"), default=list, blank=True)
    streamed = models.BooleanField(_("streamed"), default=False)
    # Co-creation boards: the prompt participants answer, and whether ideas are taken now.
    prompt = models.CharField(_("prompt"), max_length=300, blank=True)
    board_open = models.BooleanField(_("board open for ideas"), default=False)
    billboards = models.BooleanField(
        _("ideas are billboard messages"),
        default=False,
        help_text=_("Retained ideas can be downloaded as a billboard picture."),
    )

    class Meta:
        ordering = ["start_at", "end_at", "pk"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_at__gt=F("start_at")), name="session_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=SessionKind.values), name="session_kind_known"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:session", args=[self.event.slug, self.pk])


class Speaker(models.Model):
    """A speaker is a platform user or a name with an organization."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="speakers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    organization = models.CharField(_("organization"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(name=""), name="speaker_has_name_or_user"
            )
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.name:
            return self.name
        return self.user.get_full_name() or self.user.email if self.user else ""


class Invitation(models.Model):
    """A personal invitation: the link carries a secret of which only the hash is kept, and it
    belongs to the first person who accepts it."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email"))
    name = models.CharField(_("name"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=2, default="en")
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_invitations",
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    # Set when the email went out, so a retried task does not send it twice.
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "email"], name="invitation_once_per_email"),
            models.UniqueConstraint(
                fields=["event", "accepted_by"], name="invitation_accepted_once_per_person"
            ),
        ]

    def __str__(self):
        return self.email


class Registration(TimeStampedModel):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_registrations"
    )
    status = models.CharField(_("status"), max_length=20, choices=RegistrationStatus.choices)
    attendance = models.CharField(
        _("attendance"), max_length=20, choices=Attendance.choices, default=Attendance.IN_PERSON
    )
    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_registrations",
    )
    # Answers to the organizer's questions, by question key.
    answers = models.JSONField(default=dict, blank=True)
    invitation = models.OneToOneField(
        Invitation, on_delete=models.SET_NULL, null=True, blank=True, related_name="registration"
    )
    # The waiting list is ordered by this moment, then by id.
    waitlisted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "person"], name="registration_once_per_person"
            ),
            models.CheckConstraint(
                condition=Q(status__in=RegistrationStatus.values), name="registration_status_known"
            ),
            models.CheckConstraint(
                condition=Q(checked_in_at__isnull=True) | Q(status=RegistrationStatus.CONFIRMED),
                name="registration_checked_in_only_confirmed",
            ),
        ]
        indexes = [models.Index(fields=["event", "status", "waitlisted_at"])]

    def __str__(self):
        return f"{self.person} — {self.event}"


class SponsorshipRequest(TimeStampedModel):
    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="sponsorship"
    )
    travel = models.BooleanField(_("travel"), default=False)
    lodging = models.BooleanField(_("lodging"), default=False)
    # Required when asked (services); emptied once the retention period is over.
    justification = models.TextField(_("justification"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=SponsorshipStatus.choices,
        default=SponsorshipStatus.REQUESTED,
    )
    reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(travel=True) | Q(lodging=True), name="sponsorship_travel_or_lodging"
            ),
            models.CheckConstraint(
                condition=Q(status__in=SponsorshipStatus.values), name="sponsorship_status_known"
            ),
        ]

    def __str__(self):
        return str(self.registration)


class Idea(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="ideas")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.CharField(_("idea"), max_length=IDEA_MAX_LENGTH)
    city = models.CharField(_("city"), max_length=120, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=IdeaStatus.choices, default=IdeaStatus.OPEN
    )
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="merged"
    )
    # Kept by the services so the board never counts votes row by row.
    votes_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-votes_count", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=IdeaStatus.values), name="idea_status_known"
            ),
            models.CheckConstraint(
                condition=~Q(status=IdeaStatus.MERGED) | Q(merged_into__isnull=False),
                name="idea_merged_has_target",
            ),
        ]
        indexes = [models.Index(fields=["session", "updated_at"])]

    def __str__(self):
        return self.text[:60]


class Vote(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["idea", "voter"], name="vote_once_per_idea"),
        ]

    def __str__(self):
        return f"{self.voter_id} → {self.idea_id}"
