from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class EventKind(models.TextChoices):
    WORKING_SESSION = "working_session", _("Working session")
    WORKSHOP = "workshop", _("Workshop")
    SEMINAR = "seminar", _("Seminar")
    CONFERENCE = "conference", _("Conference")
    WEBINAR = "webinar", _("Webinar")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    MEMBERS = "members", _("Members of the network")
    INVITATION = "invitation", _("Invitation only")


class SessionKind(models.TextChoices):
    WELCOME = "welcome", _("Welcome")
    PRESENTATION = "presentation", _("Presentation")
    PANEL = "panel", _("Panel")
    CO_CREATION = "co_creation", _("Co-creation")
    BREAK = "break", _("Break")
    LUNCH = "lunch", _("Lunch")
    RAPPORTEUR = "rapporteur", _("Rapporteur")


class Language(models.TextChoices):
    EN = "en", _("English")
    FR = "fr", _("French")
    ES = "es", _("Spanish")


LANGUAGE_CODES = tuple(Language.values)


class RegistrationStatus(models.TextChoices):
    # An expression of interest waiting for the organizer.
    PENDING = "pending", _("Awaiting decision")
    CONFIRMED = "confirmed", _("Accepted")
    WAITLISTED = "waitlisted", _("On the waiting list")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")


# Statuses that hold (or wait for) a place: a person with one of these cannot register again.
ACTIVE_STATUSES = (
    RegistrationStatus.PENDING,
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.WAITLISTED,
)


class Attendance(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    REMOTE = "remote", _("Remotely")


class Question(models.TextChoices):
    """The registration questions an organizer may pick."""

    ROLE = "role", _("Your role")
    ORGANIZATION = "organization", _("Your organization")
    DIETARY = "dietary", _("Dietary needs")
    ACCESSIBILITY = "accessibility", _("Accessibility needs")
    ATTENDANCE = "attendance", _("In person or remotely")
    LANGUAGES = "languages", _("Languages you speak")


class SponsorshipStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class IdeaStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("idea status", "Open")
    RETAINED = "retained", _("Retained")
    MERGED = "merged", _("Merged")
