from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CallStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", pgettext_lazy("call status", "Open")
    CLOSED = "closed", _("Closed")
    DECIDED = "decided", _("Decided")


class Stage(models.TextChoices):
    EOI = "eoi", _("Expression of interest")
    FULL = "full", _("Full application")


class ApplicationStatus(models.TextChoices):
    EOI_DRAFT = "eoi_draft", _("Expression of interest: draft")
    EOI_SUBMITTED = "eoi_submitted", _("Expression of interest: submitted")
    NOT_SHORTLISTED = "not_shortlisted", _("Not shortlisted")
    DRAFT = "draft", _("Application: draft")
    SUBMITTED = "submitted", _("Application: submitted")
    LABELLED = "labelled", _("Labelled HUB")
    ACCOMPANIED = "accompanied", _("Accompanied")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


DRAFT_STATUSES = (ApplicationStatus.EOI_DRAFT, ApplicationStatus.DRAFT)
DECIDED_STATUSES = (
    ApplicationStatus.LABELLED,
    ApplicationStatus.ACCOMPANIED,
    ApplicationStatus.DECLINED,
)


class Decision(models.TextChoices):
    LABELLED = "labelled", _("Grant the HUB label")
    ACCOMPANIED = "accompanied", _("Accompany the initiative")
    DECLINED = "declined", _("Decline")


class QuestionKind(models.TextChoices):
    TEXT = "text", _("Short text")
    LONG_TEXT = "long_text", _("Long text")
    YES_NO = "yes_no", _("Yes or no")


class Support(models.TextChoices):
    SEED_FUNDING = "seed_funding", _("Seed funding")
    EXPERTISE = "expertise", _("International expertise")
    VISIBILITY = "visibility", _("Visibility and communication")


class ConflictRule(models.TextChoices):
    ORGANIZATION = (
        "organization",
        _("Skip reviewers from the applicant's organization and those who declared a conflict"),
    )
    COUNTRY = "country", _("Also skip reviewers from an organization in the applicant's country")


class ReviewStatus(models.TextChoices):
    ASSIGNED = "assigned", _("To review")
    SUBMITTED = "submitted", _("Submitted")
    CONFLICT = "conflict", _("Conflict of interest declared")


class Recommendation(models.TextChoices):
    LABEL = "labelled", _("Grant the HUB label")
    ACCOMPANY = "accompanied", _("Accompany")
    DECLINE = "declined", _("Decline")


SCORE_MIN, SCORE_MAX = 0, 5
