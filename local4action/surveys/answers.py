"""What a valid answer is, for each kind of question. Pure functions: the services call them
for every page saved, the API for every answer posted."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django_countries import countries

from .choices import QuestionKind
from .models import Question

OTHER = "other"
LIMITS = {QuestionKind.SHORT_TEXT: 500, QuestionKind.LONG_TEXT: 10_000}


@dataclass
class Cleaned:
    value: object
    text: str = ""
    number: Decimal | None = None
    items: list[tuple[str, int | None]] = field(default_factory=list)


def _plain(number: Decimal) -> str:
    return format(number.normalize(), "f")


def is_empty(value) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _decimal(value) -> Decimal | None:
    """A finite number of a size the database keeps (12 digits before the point, 4 after)."""
    try:
        number = Decimal(str(value).strip().replace(" ", "").replace(",", "."))
        if not number.is_finite() or abs(number) >= Decimal(10) ** 12:
            return None
    except (ArithmeticError, ValueError):  # InvalidOperation, Overflow
        return None
    return number


def _int(value, message) -> int:
    number = _decimal(value)
    if number is None or number != number.to_integral_value():
        raise ValidationError(message)
    return int(number)


def _scale(question: Question, value) -> int:
    low, high = question.scale_min, question.scale_max
    message = _("Choose a value from %(min)s to %(max)s.") % {"min": low, "max": high}
    score = _int(value, message)
    if not low <= score <= high:
        raise ValidationError(message)
    return score


def _choice(question: Question, value, other: str) -> tuple[str, str]:
    value = str(value)
    if value == OTHER and question.allow_other:
        if not other.strip():
            raise ValidationError(_("Say what “other” is."))
        return value, other.strip()[:200]
    if value not in question.option_values():
        raise ValidationError(_("Choose one of the options given."))
    return value, ""


def clean_answer(question: Question, value, other: str = "") -> Cleaned | None:
    """The answer ready to store, or None when the question was left empty. Raises a
    ValidationError whose message tells the respondent what to fix."""
    if is_empty(value):
        return None
    kind = question.kind
    if kind in LIMITS:
        text = str(value).strip()
        if not text:
            return None
        if len(text) > LIMITS[kind]:
            raise ValidationError(
                _("The answer is too long (at most %(n)s characters).") % {"n": LIMITS[kind]}
            )
        return Cleaned(value=text, text=text[:200])
    if kind == QuestionKind.SINGLE:
        choice, other_text = _choice(question, value, other)
        stored = {"choice": choice, "other": other_text} if other_text else choice
        return Cleaned(value=stored, text=choice)
    if kind == QuestionKind.MULTIPLE:
        values = [str(v) for v in (value if isinstance(value, list | tuple) else [value])]
        if len(set(values)) != len(values):
            raise ValidationError(_("Each option can be chosen once."))
        if question.max_choices and len(values) > question.max_choices:
            raise ValidationError(_("Choose at most %(n)s options.") % {"n": question.max_choices})
        other_text = ""
        for v in values:
            _choice_value, text = _choice(question, v, other)
            other_text = text or other_text
        stored = {"choices": values, "other": other_text} if other_text else values
        return Cleaned(value=stored, items=[(v, None) for v in values])
    if kind == QuestionKind.RANKING:
        values = [str(v) for v in (value if isinstance(value, list | tuple) else [value])]
        if len(set(values)) != len(values) or not set(values) <= set(question.option_values()):
            raise ValidationError(_("Rank each option at most once."))
        return Cleaned(value=values, items=[(v, rank) for rank, v in enumerate(values, 1)])
    if kind == QuestionKind.SCALE:
        score = _scale(question, value)
        return Cleaned(value=score, text=str(score), number=Decimal(score))
    if kind == QuestionKind.NUMBER:
        number = _decimal(value)
        if number is None:
            raise ValidationError(_("Enter a number."))
        number = number.quantize(Decimal("0.0001")).normalize()
        low, high = question.number_min, question.number_max
        if (low is not None and number < low) or (high is not None and number > high):
            raise ValidationError(
                _("Enter a number from %(min)s to %(max)s.")
                % {
                    "min": "—" if low is None else _plain(low),
                    "max": "—" if high is None else _plain(high),
                }
            )
        return Cleaned(value=str(number), number=number)
    if kind == QuestionKind.DATE:
        try:
            day = (
                value
                if isinstance(value, datetime.date)
                else datetime.date.fromisoformat(str(value).strip())
            )
        except ValueError as error:
            raise ValidationError(_("Enter a date (YYYY-MM-DD).")) from error
        return Cleaned(value=day.isoformat(), text=day.isoformat())
    if kind == QuestionKind.COUNTRY:
        code = str(value).strip().upper()
        if code not in dict(countries):
            raise ValidationError(_("Choose a country from the list."))
        return Cleaned(value=code, text=code)
    if kind == QuestionKind.SDG:
        goal = _int(value, _("Choose one of the 17 goals."))
        if not 1 <= goal <= 17:
            raise ValidationError(_("Choose one of the 17 goals."))
        return Cleaned(value=goal, text=str(goal), number=Decimal(goal))
    if kind == QuestionKind.MATRIX:
        if not isinstance(value, dict):
            raise ValidationError(_("Answer the grid row by row."))
        rows = {str(row["value"]) for row in question.rows}
        if not set(value) <= rows:
            raise ValidationError(_("This grid has no such row."))
        scores = {
            str(row): _scale(question, score) for row, score in value.items() if not is_empty(score)
        }
        return Cleaned(value=scores, items=list(scores.items())) if scores else None
    raise ValidationError(_("Unknown kind of question."))


def is_visible(question: Question, answers: dict[int, object]) -> bool:
    """A question with a condition shows only when the answer it depends on matches."""
    if question.condition_question_id is None:
        return True
    given = answers.get(question.condition_question_id)
    if isinstance(given, dict):
        given = given.get("choice", given.get("choices"))
    values = given if isinstance(given, list) else [given]
    return any(str(v) in {str(c) for c in question.condition_values} for v in values)
