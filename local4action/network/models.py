"""Related initiatives (precomputed), offers and needs, connections between initiatives."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from local4action.core.models import TimeStampedModel

from .choices import ConnectionKind, ConnectionStatus, ExchangeCategory, ExchangeSide


class InitiativeVector(models.Model):
    """The text embedding of an initiative (title and summary in every language it has)."""

    initiative = models.OneToOneField(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="vector"
    )
    # Which engine made it: vectors of different engines are never compared.
    engine = models.CharField(max_length=40)
    # float32 array, L2-normalized.
    data = models.BinaryField()
    # Hash of the text that was embedded: an unchanged text is not embedded again.
    text_hash = models.CharField(max_length=64)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.initiative_id} ({self.engine})"


class Relation(models.Model):
    """One of an initiative's nearest neighbours, with the score and the reasons. Computed in
    the background; reading "related to X" is one indexed query."""

    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="relations"
    )
    other = models.ForeignKey("initiatives.Initiative", on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    text_score = models.FloatField(default=0)
    # {"text": 0.81, "targets": ["11.2"], "goals": [11], "policy_areas": [3], "region": true,
    #  "organization_kind": true}
    reasons = models.JSONField(default=dict)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-score", "other_id"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "other"], name="relation_once_per_pair"),
            models.CheckConstraint(condition=~Q(initiative=F("other")), name="relation_not_self"),
        ]
        indexes = [models.Index(fields=["initiative", "-score"])]

    def __str__(self):
        return f"{self.initiative_id} → {self.other_id} ({self.score:.2f})"


class ExchangeItem(TimeStampedModel):
    """Something an initiative can offer to others, or needs from them."""

    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="exchange_items"
    )
    side = models.CharField(_("offer or need"), max_length=10, choices=ExchangeSide.choices)
    category = models.CharField(_("category"), max_length=20, choices=ExchangeCategory.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=2000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["side", "category", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(side__in=ExchangeSide.values), name="exchange_item_side_known"
            ),
            models.CheckConstraint(
                condition=Q(category__in=ExchangeCategory.values),
                name="exchange_item_category_known",
            ),
            models.CheckConstraint(condition=~Q(title=""), name="exchange_item_title_set"),
        ]
        indexes = [models.Index(fields=["side", "category"])]

    def __str__(self):
        return self.title


class Connection(TimeStampedModel):
    """One initiative asks another to connect; the other accepts or declines."""

    source = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="connections_sent"
    )
    target = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="connections_received"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ConnectionKind.choices)
    message = models.TextField(_("message"), blank=True, max_length=2000)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ConnectionStatus.choices,
        default=ConnectionStatus.REQUESTED,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # The pair in a fixed order (smaller id first), so "A↔B" is one open connection whichever
    # side asked: the partial unique constraint below holds it in the database.
    low = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="+", editable=False
    )
    high = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="+", editable=False
    )

    class Meta:
        ordering = ["-created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(source=F("target")), name="connection_not_self"),
            models.CheckConstraint(condition=Q(low__lt=F("high")), name="connection_pair_ordered"),
            models.CheckConstraint(
                condition=Q(kind__in=ConnectionKind.values), name="connection_kind_known"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ConnectionStatus.values), name="connection_status_known"
            ),
            models.UniqueConstraint(
                fields=["low", "high"],
                condition=Q(status__in=["requested", "accepted"]),
                name="connection_one_open_per_pair",
            ),
        ]
        indexes = [models.Index(fields=["status", "decided_at"])]

    def __str__(self):
        return f"{self.source} → {self.target}"

    def save(self, *args, **kwargs):
        self.low_id, self.high_id = sorted([self.source_id, self.target_id])
        super().save(*args, **kwargs)
