"""The six characteristics of a HUB and the questions every call starts with.

Texts are stored on each call in English, French and Spanish, so staff can adapt them per call.
"""

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .choices import QuestionKind, Stage

LANGUAGE_CODES = ("en", "fr", "es")

# key, name, description
CHARACTERISTICS = [
    (
        "locally_led",
        _("Locally led"),
        _(
            "Led by a local government, a regional government or an association of local and "
            "regional governments."
        ),
    ),
    (
        "timeline",
        _("Timeline"),
        _(
            "Deliverables announced to stakeholders in advance and delivered within one to three "
            "years."
        ),
    ),
    (
        "results",
        _("Actionable, scalable results"),
        _(
            "Success criteria set beforehand with partners and stakeholders, so that progress, "
            "acceleration and synchronization can be followed with them."
        ),
    ),
    (
        "brand",
        _("Brand"),
        _(
            "Consistent with the organization's brand; its values and visuals are identified and "
            "the shared visual materials are used."
        ),
    ),
    (
        "theme",
        _("Theme"),
        _(
            "The priorities of the organization's manifestos or of the global agendas, above all "
            "the 2030 Agenda; it may bring an innovative approach."
        ),
    ),
    (
        "communication",
        _("Communication"),
        _(
            "A strategy to spread the HUB and its activities and to feed the global agenda with "
            "shared activities and documents."
        ),
    ),
]

# key, stage, kind, text, help, criterion key
QUESTIONS = [
    (
        "innovation",
        Stage.EOI,
        QuestionKind.LONG_TEXT,
        _("Does the initiative bring innovative policies or approaches? Which ones?"),
        "",
        None,
    ),
    (
        "citizens",
        Stage.EOI,
        QuestionKind.LONG_TEXT,
        _(
            "How does it respond to citizens while advancing the global agendas and the "
            "organization's values?"
        ),
        "",
        None,
    ),
    (
        "inspire",
        Stage.EOI,
        QuestionKind.LONG_TEXT,
        _("How could it inspire other local and regional governments?"),
        "",
        None,
    ),
    (
        "locally_led",
        Stage.FULL,
        QuestionKind.LONG_TEXT,
        _("Who leads the initiative, and how are local stakeholders involved?"),
        "",
        "locally_led",
    ),
    (
        "timeline",
        Stage.FULL,
        QuestionKind.LONG_TEXT,
        _("How were the deliverables and their dates announced to stakeholders?"),
        "",
        "timeline",
    ),
    (
        "results",
        Stage.FULL,
        QuestionKind.LONG_TEXT,
        _("What are the success criteria, and how did partners and stakeholders set them?"),
        "",
        "results",
    ),
    (
        "brand",
        Stage.FULL,
        QuestionKind.LONG_TEXT,
        _("How will the initiative carry the organization's brand and values?"),
        "",
        "brand",
    ),
    (
        "theme",
        Stage.FULL,
        QuestionKind.LONG_TEXT,
        _(
            "Which priorities of the global agendas does it address, and what is new in its "
            "approach?"
        ),
        "",
        "theme",
    ),
    (
        "communication",
        Stage.FULL,
        QuestionKind.LONG_TEXT,
        _("What is your communication plan to spread the HUB and share its results?"),
        "",
        "communication",
    ),
    (
        "brand_commitment",
        Stage.FULL,
        QuestionKind.YES_NO,
        _("We commit to use the shared visual materials of the Local4Action HUBs."),
        "",
        None,
    ),
]


def in_all_languages(text) -> dict[str, str]:
    if not text:
        return {}
    result = {}
    for language in LANGUAGE_CODES:
        with translation.override(language):
            result[language] = str(text)
    return result
