from django.db import models
from django.utils.translation import gettext_lazy as _


class Audience(models.TextChoices):
    PUBLIC = "public", _("Anyone with the link")
    MEMBERS = "members", _("Members of the network")
    ORGANIZATION_KINDS = "kinds", _("Members of certain kinds of organization")
    SECTIONS = "sections", _("Members of certain regional sections")
    PEOPLE = "people", _("A list of people (for example the participants of an event)")
    HUB_TEAMS = "hub_teams", _("Teams of HUBs and accompanied initiatives")


class OnePer(models.TextChoices):
    PERSON = "person", _("One answer per person")
    ORGANIZATION = "organization", _("One answer per organization")


class QuestionKind(models.TextChoices):
    SHORT_TEXT = "short_text", _("Short text")
    LONG_TEXT = "long_text", _("Long text")
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    RANKING = "ranking", _("Ranking")
    SCALE = "scale", _("Scale")
    NUMBER = "number", _("Number")
    DATE = "date", _("Date")
    COUNTRY = "country", _("Country")
    SDG = "sdg", _("Sustainable Development Goal")
    MATRIX = "matrix", _("Matrix (rows × scale)")


CHOICE_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.RANKING)


class ResponseStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    SUBMITTED = "submitted", _("Submitted")


# Anonymous surveys never show a breakdown for fewer respondents than this.
MIN_GROUP = 5
