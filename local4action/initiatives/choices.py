from django.db import models
from django.utils.translation import gettext_lazy as _


class InitiativeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    ACCOMPANIED = "accompanied", _("Accompanied")
    LABELLED = "labelled", _("Labelled HUB")
    DECLINED = "declined", _("Declined")
    COMPLETED = "completed", _("Completed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# What the public sees: HUBs and the initiatives the secretariat accompanies.
PUBLIC_STATUSES = (
    InitiativeStatus.LABELLED,
    InitiativeStatus.ACCOMPANIED,
    InitiativeStatus.COMPLETED,
)


class Scale(models.TextChoices):
    LOCAL = "local", _("Local")
    REGIONAL = "regional", _("Regional")
    NATIONAL_ASSOCIATION = "national_association", _("National association")
