from django.db import models
from django.utils.translation import gettext_lazy as _


class ResourceKind(models.TextChoices):
    GOOD_PRACTICE = "good_practice", _("Good practice / case study")
    PUBLICATION = "publication", _("Publication or report")
    TOOLKIT = "toolkit", _("Toolkit or guide")
    TRAINING = "training", _("Training module")
    POLICY_PAPER = "policy_paper", _("Policy paper")
    VIDEO = "video", _("Video")


class ResourceStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    RETURNED = "returned", _("Returned for changes")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Licence(models.TextChoices):
    CC_BY = "cc-by-4.0", "CC BY 4.0"
    CC_BY_SA = "cc-by-sa-4.0", "CC BY-SA 4.0"
    CC_BY_NC = "cc-by-nc-4.0", "CC BY-NC 4.0"
    CC_BY_NC_ND = "cc-by-nc-nd-4.0", "CC BY-NC-ND 4.0"
    ALL_RIGHTS = "all-rights-reserved", _("All rights reserved")
    OTHER = "other", _("Other (see the document)")


class Extraction(models.TextChoices):
    """What became of reading a file's text for the search."""

    PENDING = "pending", _("Waiting to be read")
    DONE = "done", _("Text read")
    NO_TEXT = "no_text", _("No text found (a scan or pictures only?)")
    NOT_SUPPORTED = "not_supported", _("Text not read for this kind of file")
    FAILED = "failed", _("Reading failed")
