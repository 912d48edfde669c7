"""Eligibility rules checked automatically; each failure is reported by name."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from local4action.accounts.choices import LRG_KINDS

from .choices import QuestionKind, Stage
from .models import Application

MIN_DAYS, MAX_DAYS = 365, 3 * 366


@dataclass(frozen=True)
class Problem:
    rule: str
    message: str


def _answered(question, answers: dict) -> bool:
    value = answers.get(question.key)
    if question.kind == QuestionKind.YES_NO:
        return value is True or value == "yes"
    return bool(str(value or "").strip())


def problems(application: Application, stage: str | None = None) -> list[Problem]:
    """What stops this application from being submitted at its stage (or the given one)."""
    stage = stage or application.stage
    call, initiative = application.call, application.initiative
    organization = initiative.lead_organization
    found = []
    if organization.kind not in LRG_KINDS or (
        call.eligible_kinds and organization.kind not in call.eligible_kinds
    ):
        found.append(
            Problem(
                "lead_kind",
                _(
                    "Locally led: the lead organization must be an eligible local or regional "
                    "government or association."
                ),
            )
        )
    if call.target_countries and organization.country.code not in call.target_countries:
        found.append(
            Problem(
                "country",
                _("Country: this call is open only to organizations from its target countries."),
            )
        )
    if not initiative.title.strip() or not initiative.summary.strip():
        found.append(Problem("summary", _("Title and summary: both are required.")))
    missing = [
        q.label
        for q in call.questions.all()
        if q.stage == stage and q.required and not _answered(q, application.answers)
    ]
    if missing:
        found.append(
            Problem(
                "answers",
                _("Required answers missing: %(questions)s") % {"questions": "; ".join(missing)},
            )
        )
    if stage == Stage.FULL:
        start, end = initiative.start_date, initiative.end_date
        # Both dates are days of the initiative: 1 January to 31 December is one year.
        if not start or not end or not MIN_DAYS <= (end - start).days + 1 <= MAX_DAYS:
            found.append(
                Problem(
                    "timeline",
                    _(
                        "Timeline: the initiative must run between one and three years, with "
                        "start and end dates."
                    ),
                )
            )
        if not initiative.goals.exists():
            found.append(
                Problem("sdg", _("SDGs: choose at least one Sustainable Development Goal."))
            )
        if not application.deliverables.exists():
            found.append(
                Problem(
                    "deliverables",
                    _("Deliverables: plan at least one deliverable with its due date."),
                )
            )
    return found
