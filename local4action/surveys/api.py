"""Surveys and consultations: what a survey asks, and the caller's own response, saved page by
page and submitted.

Surveys are shown to their audience only (others get 404, as in the web pages); a survey for
anyone with the link is answered without an account: the first page saved returns a token,
sent back in the `X-Survey-Token` header to resume. Every write goes through the services,
which say what is refused (400: closed, already answered, invalid answers, one message per
question) and who is (403).
"""

import datetime
import uuid
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from local4action.accounts.selectors import primary_organization
from local4action.api.auth import request_user
from local4action.calls.api import Problem
from local4action.calls.models import in_language

from . import selectors, services
from .choices import MIN_GROUP, Audience, OnePer, QuestionKind
from .models import Page, Question, Response, Survey

router = Router(tags=["Surveys"])
# OpenAPI names each schema by its class name, and a second class of the same name in another
# app silently replaces the first: hence `Survey…` everywhere here.

TOKEN_HEADER = "X-Survey-Token"
TOKEN_DESCRIPTION = (
    f"Without an account (surveys for anyone with the link): the token returned by the first "
    f"page saved, sent back in the `{TOKEN_HEADER}` header."
)
# An answer is stored with at most 12 digits before the point (Answer.number).
LARGEST_EXPONENT = 12
NUMERIC_KINDS = {
    QuestionKind.NUMBER: "Enter a number.",
    QuestionKind.SDG: "Choose one of the 17 goals.",
}


# Schemas -------------------------------------------------------------------------------------


class SurveyOptionOut(Schema):
    value: str
    label: str


class SurveyBoundsOut(Schema):
    scale_min: int | None = Field(description="Scale and matrix questions: lowest value.")
    scale_max: int | None = Field(description="Scale and matrix questions: highest value.")
    scale_labels: dict[str, str] = Field(description="Labels of some scale values, by value.")
    number_min: str | None = Field(description="Number questions: lowest value (decimal).")
    number_max: str | None = Field(description="Number questions: highest value (decimal).")
    max_choices: int | None = Field(description="Multiple choice: at most this many.")


class SurveyConditionOut(Schema):
    question: str = Field(description="Key of the question this one depends on.")
    values: list[str] = Field(description="Shown only when that answer is one of these.")


class SurveyQuestionOut(Schema):
    key: str = Field(description="Stable name of the question, used in answers and exports.")
    kind: str = Field(description=f"One of: {', '.join(QuestionKind.values)}.")
    text: str
    help: str
    required: bool
    options: list[SurveyOptionOut] = Field(description="Choices, ranking items or matrix columns.")
    allow_other: bool = Field(description='"Other" may be chosen, with a text in `other`.')
    rows: list[SurveyOptionOut] = Field(description="Matrix questions: the rows.")
    bounds: SurveyBoundsOut
    condition: SurveyConditionOut | None


class SurveyPageOut(Schema):
    number: int = Field(description="Used in the address that saves the page (from 1).")
    title: str
    questions: list[SurveyQuestionOut]


class SurveyOut(Schema):
    slug: str
    title: str = Field(description="In the request language when the survey has it.")
    introduction: str
    languages: list[str]
    opens_at: datetime.datetime
    closes_at: datetime.datetime
    is_open: bool
    audience: str = Field(description=f"One of: {', '.join(Audience.values)}.")
    anonymous: bool = Field(description="Responses do not keep who gave them.")
    one_per: str = Field(description="person or organization: one response per …")
    editable_until_close: bool
    results_public: bool
    pages: list[SurveyPageOut]


class SurveyResponseOut(Schema):
    survey: str = Field(description="The survey's slug.")
    status: str = Field(description="in_progress or submitted.")
    current_page: int = Field(description="Pages saved so far (the furthest page number).")
    language: str
    organization: str | None = Field(description="Slug of the organization answering.")
    started_at: datetime.datetime
    submitted_at: datetime.datetime | None
    answers: dict[str, Any] = Field(description="Answers by question key, as stored.")
    token: str | None = Field(None, description=TOKEN_DESCRIPTION)


class SurveyTallyOut(Schema):
    value: str
    label: str
    count: int
    percent: float = Field(description="Of those who answered the question.")


class SurveyGridRowOut(Schema):
    value: str
    label: str
    count: int = Field(description="How many ranked this option, or answered this row.")
    percent: float | None = Field(None, description="Ranking: of those who answered.")
    first: int | None = Field(None, description="Ranking: how many put it first.")
    mean: float | None = Field(description="Ranking: mean rank; matrix: mean score.")
    cells: list[int] = Field(description="Counts per column (rank or scale value).")


class SurveyQuestionResultOut(Schema):
    key: str
    kind: str
    text: str
    answered: int
    counts: list[SurveyTallyOut] = Field(
        description="Choices, scale values, countries, goals, months; histogram bins for "
        "numbers. Multiple choice percents add up to more than 100."
    )
    columns: list[str] = Field(description="Ranking: ranks; matrix: scale values.")
    grid: list[SurveyGridRowOut]
    stats: dict[str, str] = Field(description="Numbers: min, max, mean (decimals).")


class SurveyResultsOut(Schema):
    survey: str
    respondents: int = Field(description="Submitted responses of the selection.")
    submitted: int = Field(description="Submitted responses of the whole survey.")
    audience: int | None = Field(description="People or organizations asked (None: public).")
    response_rate: float | None
    filtered: bool
    suppressed: bool = Field(
        description="An anonymous survey shows nothing for a selection of fewer than "
        f"{MIN_GROUP} respondents."
    )
    questions: list[SurveyQuestionResultOut] = Field(
        description="Free-text answers are not listed, only how many answered."
    )


class SurveyPageIn(Schema):
    answers: dict[str, Any] = Field(
        default_factory=dict,
        description="Answers by question key: the whole page (a question left out is "
        "cleared). Text, a choice's value, a list of values (multiple choice, ranking in "
        "order), a number, a date (YYYY-MM-DD), a country code, a goal (1–17), or "
        "{row: value} for a matrix.",
    )
    other: dict[str, str] = Field(
        default_factory=dict, description='What "other" is, by question key.'
    )


# Helpers -------------------------------------------------------------------------------------


def _decimal(value) -> str | None:
    return None if value is None else f"{value.normalize():f}"


def _options(items) -> list[dict]:
    return [
        {"value": str(item.get("value", "")), "label": in_language(item.get("label") or {})}
        for item in items
        if isinstance(item, dict)
    ]


def _survey_out(survey: Survey) -> dict:
    """The survey as the API shows it; pages and questions must be prefetched."""
    pages = list(survey.pages.all())
    keys = {question.pk: question.key for page in pages for question in page.questions.all()}
    return {
        "slug": survey.slug,
        "title": survey.label,
        "introduction": in_language(survey.introduction) if survey.introduction else "",
        "languages": survey.languages,
        "opens_at": survey.opens_at,
        "closes_at": survey.closes_at,
        "is_open": survey.is_open(),
        "audience": survey.audience,
        "anonymous": survey.anonymous,
        "one_per": survey.one_per,
        "editable_until_close": survey.editable_until_close,
        "results_public": survey.results_public,
        "pages": [
            {
                "number": page.position + 1,
                "title": in_language(page.title) if page.title else "",
                "questions": [_question_out(question, keys) for question in page.questions.all()],
            }
            for page in pages
        ],
    }


def _question_out(question: Question, keys: dict[int, str]) -> dict:
    condition = None
    if question.condition_question_id in keys:
        condition = {
            "question": keys[question.condition_question_id],
            "values": [str(value) for value in question.condition_values],
        }
    return {
        "key": question.key,
        "kind": question.kind,
        "text": question.label,
        "help": in_language(question.help) if question.help else "",
        "required": question.required,
        "options": _options(question.options),
        "allow_other": question.allow_other,
        "rows": _options(question.rows),
        "bounds": {
            "scale_min": question.scale_min,
            "scale_max": question.scale_max,
            "scale_labels": {
                str(value): in_language(label) if isinstance(label, dict) else str(label)
                for value, label in (question.scale_labels or {}).items()
            },
            "number_min": _decimal(question.number_min),
            "number_max": _decimal(question.number_max),
            "max_choices": question.max_choices,
        },
        "condition": condition,
    }


def _survey(user, slug: str) -> Survey:
    """The survey if the caller is in its audience (the secretariat sees all); 404 otherwise."""
    return selectors.survey_get(user=user, slug=slug)


def _token(request) -> uuid.UUID | None:
    raw = request.headers.get(TOKEN_HEADER, "").strip()
    if not raw:
        return None
    try:
        return uuid.UUID(raw)
    except ValueError as error:
        raise ValidationError(
            _("The survey token is not valid: start again without it.")
        ) from error


def _respondent(request, survey: Survey):
    """The caller (None when anonymous), their organization, and their token if they have
    no account."""
    user = request_user(request)
    if user is not None and user.is_authenticated:
        return user, primary_organization(user), None
    return None, None, _token(request)


def _response_out(response: Response, *, token=None) -> dict:
    answers = {
        key: value
        for key, value in response.answers.order_by(
            "question__page__position", "question__position"
        ).values_list("question__key", "value")
    }
    anonymous = response.survey.anonymous
    return {
        "survey": response.survey.slug,
        "status": response.status,
        "current_page": response.current_page,
        "language": response.language,
        "organization": None
        if anonymous or response.organization_id is None
        else response.organization.slug,
        "started_at": response.created_at,
        "submitted_at": response.submitted_at,
        "answers": answers,
        "token": str(token) if token else None,
    }


def _strip_nul(value):
    """PostgreSQL stores no NUL character, in text or in JSON: drop it."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, list):
        return [_strip_nul(item) for item in value]
    if isinstance(value, dict):
        return {_strip_nul(key): _strip_nul(item) for key, item in value.items()}
    return value


def _out_of_range(value) -> bool:
    """A number the database cannot store (or Python turn into an integer): infinite, not a
    number, or with more than 12 digits before the point. Whatever is not a number is left
    to the answer's own checks."""
    if isinstance(value, bool) or value is None:
        return False
    try:
        number = Decimal(str(value).strip().replace(" ", "").replace(",", "."))
    except (InvalidOperation, ValueError):
        return False
    # By the exponent: arithmetic on a number like 1e999999999 overflows.
    return not number.is_finite() or (number != 0 and number.adjusted() >= LARGEST_EXPONENT)


def _check_numbers(question: Question, value) -> None:
    """Refuse, with the question's own message, numbers that no question can take."""
    if question.kind in (QuestionKind.SCALE, QuestionKind.MATRIX):
        values = value.values() if isinstance(value, dict) else [value]
        message = _("Choose a value from %(min)s to %(max)s.") % {
            "min": question.scale_min,
            "max": question.scale_max,
        }
    elif question.kind in NUMERIC_KINDS:
        values, message = [value], _(NUMERIC_KINDS[question.kind])
    else:
        return
    if any(_out_of_range(item) for item in values if not isinstance(item, list | dict)):
        raise ValidationError({question.key: [message]})


def _page_data(page: Page, body: SurveyPageIn) -> tuple[dict, dict]:
    """The body's answers by question id, for the service; unknown keys refused by key."""
    questions = {question.key: question for question in page.questions.all()}
    unknown = (set(body.answers) | set(body.other)) - set(questions)
    if unknown:
        raise ValidationError(
            {key: [_("This page has no such question.")] for key in sorted(unknown)}
        )
    data, others = {}, {}
    for key, value in body.answers.items():
        value = _strip_nul(value)
        _check_numbers(questions[key], value)
        data[questions[key].pk] = value
    for key, text in body.other.items():
        others[questions[key].pk] = _strip_nul(text)
    return data, others


def _start(request, survey: Survey) -> tuple[Response, uuid.UUID | None]:
    """Open or resume the caller's response: by account, else by token (a new one for a
    visitor's first page)."""
    user, _organization, token = _respondent(request, survey)
    if user is None and token is None and survey.audience == Audience.PUBLIC:
        token = uuid.uuid4()
    response = services.response_start(survey=survey, user=user, token=token)
    return response, token


# Surveys -------------------------------------------------------------------------------------


@router.get(
    "/surveys",
    response=list[SurveyOut],
    summary="Surveys",
    description="Published surveys whose audience includes the caller (those for anyone with "
    "the link for everybody), with their pages and questions, texts in the request language. "
    "`open=true` keeps those that can be answered now.",
)
def survey_list(request, open: bool = False):  # noqa: A002 — the query parameter's name
    user = request_user(request)
    return [_survey_out(survey) for survey in selectors.surveys_listed(user=user, open_only=open)]


@router.get(
    "/surveys/{slug}",
    response=SurveyOut,
    summary="A survey",
    description="Its pages and questions: kind, text, options, bounds and the condition that "
    "shows a question. 404 for those outside its audience.",
)
def survey_detail(request, slug: str):
    return _survey_out(_survey(request_user(request), slug))


# The caller's response -----------------------------------------------------------------------


@router.get(
    "/surveys/{slug}/response",
    response=SurveyResponseOut,
    summary="My response",
    description="The caller's own response with its answers by question key: by account "
    f"(token or session), or by the `{TOKEN_HEADER}` header. 404 when none was started.",
)
def response_detail(request, slug: str):
    survey = _survey(request_user(request), slug)
    user, organization, token = _respondent(request, survey)
    if survey.one_per == OnePer.ORGANIZATION and organization is None:
        raise Http404
    response = selectors.response_for(
        survey=survey, user=user, organization=organization, token=token
    )
    if response is None:
        raise Http404
    return _response_out(response, token=token)


@router.put(
    "/surveys/{slug}/response/pages/{number}",
    response={200: SurveyResponseOut, 400: Problem, 403: Problem},
    summary="Save one page of my response",
    description="Saves every answer of the page at once, or none: each invalid answer gets "
    "its message under its key in `fields`; a key that is not on this page is refused. The "
    "first page saved starts the response (only while the survey is open, once per person "
    "or organization). Without an account, the response carries a token: send it back in "
    f"`{TOKEN_HEADER}`.",
)
def response_page_save(request, slug: str, number: int, body: SurveyPageIn):
    survey = _survey(request_user(request), slug)
    page = next((p for p in survey.pages.all() if p.position == number - 1), None)
    if page is None:
        raise Http404
    data, others = _page_data(page, body)
    response, token = _start(request, survey)
    response = services.response_save_page(response=response, page=page, data=data, others=others)
    return Status(200, _response_out(response, token=token))


@router.post(
    "/surveys/{slug}/response/submit",
    response={200: SurveyResponseOut, 400: Problem, 403: Problem},
    summary="Submit my response",
    description="Once every visible required question is answered; until the survey closes "
    "the answers may still change when the survey allows it.",
)
def response_submit(request, slug: str):
    survey = _survey(request_user(request), slug)
    user, _organization, token = _respondent(request, survey)
    response = services.response_start(survey=survey, user=user, token=token)
    response = services.response_submit(response=response)
    return Status(200, _response_out(response, token=token))


# Results -------------------------------------------------------------------------------------


def _result_out(result: selectors.QuestionResult) -> dict:
    return {
        "key": result.question.key,
        "kind": result.question.kind,
        "text": result.question.label,
        "answered": result.answered,
        "counts": [vars(row) for row in result.rows],
        "columns": result.columns,
        "grid": [
            {
                **row,
                "cells": [cell[0] if isinstance(cell, tuple) else cell for cell in row["cells"]],
            }
            for row in result.grid
        ],
        "stats": result.stats,
    }


@router.get(
    "/surveys/{slug}/results",
    response=SurveyResultsOut,
    summary="Results of a survey",
    description="Counts per question of the submitted responses, optionally of one regional "
    "section (slug), kind of organization or language. Only when the results are public, or "
    "for the secretariat; 404 otherwise.",
)
def survey_results(request, slug: str, section: str = "", kind: str = "", language: str = ""):
    user = request_user(request)
    survey = selectors.survey_for_results(user=user, slug=slug)
    found = selectors.survey_results(
        user=user, survey=survey, section=section, kind=kind, language=language
    )
    return {
        "survey": survey.slug,
        "respondents": found.respondents,
        "submitted": found.submitted,
        "audience": found.audience,
        "response_rate": found.response_rate,
        "filtered": found.filtered,
        "suppressed": found.suppressed,
        "questions": [_result_out(result) for result in found.questions],
    }
