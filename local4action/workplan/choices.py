from django.db import models
from django.utils.translation import gettext_lazy as _


class Tier(models.TextChoices):
    CORE = "core", _("Core action")
    REINFORCED = "reinforced", _("Reinforced action")
    PARTNERSHIP = "partnership", _("Reinforced through a partnership")


class Status(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    DELAYED = "delayed", _("Delayed")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


# Statuses that call for attention on the evaluation pages.
ATTENTION = (Status.AT_RISK, Status.DELAYED)


class Axis(models.TextChoices):
    NONE = "", _("No axis")
    PEOPLE = "people", _("People")
    PLANET = "planet", _("Planet")
    GOVERNMENT = "government", _("Government")
    CROSS_CUTTING = "cross_cutting", _("Cross-cutting")
