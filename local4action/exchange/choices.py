from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ReactionKind(models.TextChoices):
    LIKE = "like", _("Like")
    THANKS = "thanks", _("Thanks")
    INSIGHTFUL = "insightful", _("Insightful")
    SUPPORT = "support", _("Support")


REACTION_SYMBOLS = {"like": "👍", "thanks": "🙏", "insightful": "💡", "support": "🤝"}


class ReportStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("report status", "Open")
    HIDDEN = "hidden", _("Post hidden")
    DISMISSED = "dismissed", _("Dismissed")


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", _("At once, one email per message")
    DAILY = "daily", _("A daily digest")
    NONE = "none", _("No email (on the platform only)")


class Topic(models.TextChoices):
    INITIATIVE = "initiative", _("Initiative")
    GOAL = "goal", _("SDG")
    POLICY_AREA = "policy_area", _("Policy area")
    EVENT = "event", _("Event")
