"""Discussion threads (about an initiative, an SDG, a policy area or an event), posts with one
level of replies, mentions, attachments, reactions, follows, reports and blocks."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from local4action.calls.storage import private_storage
from local4action.core.models import TimeStampedModel

from .choices import Frequency, ReactionKind, ReportStatus

POST_MAX_CHARS = 20_000
ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024


class Thread(TimeStampedModel):
    title = models.CharField(_("title"), max_length=200)
    # Exactly one topic.
    initiative = models.ForeignKey(
        "initiatives.Initiative",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="threads",
    )
    goal = models.ForeignKey(
        "core.Goal", on_delete=models.CASCADE, null=True, blank=True, related_name="threads"
    )
    policy_area = models.ForeignKey(
        "core.PolicyArea", on_delete=models.CASCADE, null=True, blank=True, related_name="threads"
    )
    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, null=True, blank=True, related_name="threads"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    language = models.CharField(_("language"), max_length=2, default="en")
    locked = models.BooleanField(_("locked"), default=False)
    # Kept by the services so lists never count posts row by row.
    posts_count = models.PositiveIntegerField(default=0)
    last_post_at = models.DateTimeField(null=True, blank=True)
    # Stemmed, accent-free words of the title (core.search), for full-text search.
    search_text = models.TextField(default="", blank=True, editable=False)

    class Meta:
        ordering = ["-last_post_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        initiative__isnull=False,
                        goal__isnull=True,
                        policy_area__isnull=True,
                        event__isnull=True,
                    )
                    | Q(
                        initiative__isnull=True,
                        goal__isnull=False,
                        policy_area__isnull=True,
                        event__isnull=True,
                    )
                    | Q(
                        initiative__isnull=True,
                        goal__isnull=True,
                        policy_area__isnull=False,
                        event__isnull=True,
                    )
                    | Q(
                        initiative__isnull=True,
                        goal__isnull=True,
                        policy_area__isnull=True,
                        event__isnull=False,
                    )
                ),
                name="thread_exactly_one_topic",
            ),
            models.CheckConstraint(condition=~Q(title=""), name="thread_title_set"),
        ]
        indexes = [models.Index(fields=["-last_post_at"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("exchange:thread", args=[self.pk])

    @property
    def topic(self):
        return self.initiative or self.goal or self.policy_area or self.event


class Post(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    # One level of replies: a reply's parent is never itself a reply (checked by the services).
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="exchange_posts",
    )
    body = models.TextField(_("message"))  # sanitized HTML
    search_text = models.TextField(default="", blank=True, editable=False)
    language = models.CharField(max_length=2, default="en")
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.TextField(blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    mentions = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hidden_at__isnull=True) | ~Q(hidden_reason=""),
                name="post_hidden_with_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["thread", "created_at"]),
            models.Index(fields=["author", "created_at"]),
        ]

    def __str__(self):
        return f"{self.thread_id}#{self.pk}"

    def get_absolute_url(self):
        return f"{self.thread.get_absolute_url()}#post-{self.pk}"


class Attachment(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="attachments")
    # Stored outside public media (calls.storage), served after a permission check.
    file = models.FileField(max_length=300, upload_to="exchange/%Y/%m/", storage=private_storage)
    name = models.CharField(max_length=200)
    size = models.PositiveIntegerField()
    content_type = models.CharField(max_length=100)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(size__lte=ATTACHMENT_MAX_BYTES), name="attachment_size_limit"
            )
        ]

    def __str__(self):
        return self.name


class Reaction(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=ReactionKind.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "user", "kind"], name="reaction_once"),
            models.CheckConstraint(
                condition=Q(kind__in=ReactionKind.values), name="reaction_kind_known"
            ),
        ]

    def __str__(self):
        return f"{self.kind} on {self.post_id}"


class Follow(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="followed_threads"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["thread", "user"], name="follow_once")]

    def __str__(self):
        return f"{self.user_id} follows {self.thread_id}"


class Preference(models.Model):
    """How a person wants to hear about the exchange space by email."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exchange_preference"
    )
    frequency = models.CharField(
        _("email"), max_length=20, choices=Frequency.choices, default=Frequency.IMMEDIATE
    )
    digest_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(frequency__in=Frequency.values), name="preference_frequency_known"
            )
        ]

    def __str__(self):
        return f"{self.user_id}: {self.frequency}"


class Report(TimeStampedModel):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.TextField(_("reason"), max_length=1000)
    status = models.CharField(
        max_length=20, choices=ReportStatus.choices, default=ReportStatus.OPEN
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "reporter"],
                condition=Q(status="open"),
                name="report_one_open_per_person",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="report_reason_set"),
            models.CheckConstraint(
                condition=Q(status__in=ReportStatus.values), name="report_status_known"
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return f"Report on {self.post_id}"


class Block(models.Model):
    """A person barred from posting by the staff, with a reason, until lifted."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exchange_block"
    )
    reason = models.TextField(_("reason"))
    blocked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="block_reason_set")]

    def __str__(self):
        return f"{self.user_id} blocked"
