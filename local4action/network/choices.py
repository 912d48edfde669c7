from django.db import models
from django.utils.translation import gettext_lazy as _


class ConnectionKind(models.TextChoices):
    PEER_LEARNING = "peer_learning", _("Peer learning")
    JOINT_PROJECT = "joint_project", _("Joint project")
    REPLICATION = "replication", _("Replication")
    MENTORING = "mentoring", _("Mentoring")


class ConnectionStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# A pair of initiatives holds at most one request of these at a time.
OPEN_STATUSES = (ConnectionStatus.REQUESTED, ConnectionStatus.ACCEPTED)


class ExchangeSide(models.TextChoices):
    OFFER = "offer", _("Offer")
    NEED = "need", _("Need")


class ExchangeCategory(models.TextChoices):
    METHOD = "method", _("A method or approach")
    TRAINING = "training", _("Training")
    DATA_TOOL = "data_tool", _("A data tool")
    EXPERTISE = "expertise", _("Expertise or advice")
    PEER_VISIT = "peer_visit", _("A peer visit")
    FUNDING = "funding", _("Funding or co-financing")
    PARTNERSHIP = "partnership", _("A partnership")


class Reason(models.TextChoices):
    """Why two initiatives are shown as related (stored as codes, shown translated)."""

    TEXT = "text", _("Similar description")
    TARGETS = "targets", _("Shared SDG targets")
    GOALS = "goals", _("Shared SDGs")
    POLICY_AREAS = "policy_areas", _("Shared policy areas")
    REGION = "region", _("Same region")
    ORGANIZATION_KIND = "organization_kind", _("Same kind of organization")
