"""Reads on surveys, filtered by what the user may see."""

import hashlib
import hmac
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import islice

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import (
    Avg,
    Case,
    Count,
    F,
    IntegerField,
    Max,
    Min,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast, Floor, Least
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from local4action.accounts.choices import MembershipStatus, OrganizationStatus
from local4action.accounts.models import Organization
from local4action.calls.models import in_language
from local4action.core import charts
from local4action.core.models import Goal
from local4action.initiatives.choices import InitiativeStatus

from . import permissions
from .answers import OTHER
from .choices import MIN_GROUP, Audience, OnePer, QuestionKind, ResponseStatus
from .identity import uniqueness_key
from .models import Answer, AnswerItem, Page, Question, Response, Survey


def survey_get(*, user, slug: str) -> Survey:
    """A published survey for its audience, any survey for the secretariat; 404 otherwise."""
    survey = (
        Survey.objects.prefetch_related(
            Prefetch(
                "pages",
                queryset=Page.objects.prefetch_related(
                    Prefetch("questions", queryset=Question.objects.order_by("position", "id"))
                ),
            ),
        )
        .filter(slug=slug)
        .first()
    )
    if survey is None:
        raise Http404
    if permissions.can_manage_surveys(user):
        return survey
    if not survey.published or not permissions.in_audience(user, survey):
        raise Http404
    return survey


def surveys_for_user(*, user) -> QuerySet:
    """Open surveys the person may answer (the audience check runs per survey: few are open
    at once)."""
    now = timezone.now()
    open_surveys = Survey.objects.filter(published=True, opens_at__lte=now, closes_at__gt=now)
    return [s for s in open_surveys if permissions.in_audience(user, s)]


def response_for(*, survey: Survey, user=None, organization=None, token=None):
    """The respondent's own response, if one was started (found by the same key that keeps
    it unique, so anonymous responses are found without storing who gave them)."""
    if (user is None or not user.is_authenticated) and not token:
        return None
    key = uniqueness_key(survey, user=user, organization=organization, token=token)
    if key is None:
        return None
    return Response.objects.filter(survey=survey, uniqueness_key=key).first()


def surveys_listed(*, user, open_only: bool = False) -> list[Survey]:
    """Published surveys whose audience includes the person (public ones for everybody),
    with their pages and questions; the secretariat sees every published survey. The
    audience is decided in a fixed number of queries, however many surveys there are."""
    from django.db.models import Q

    from local4action.accounts.choices import MembershipStatus, OrganizationStatus
    from local4action.initiatives.choices import InitiativeStatus
    from local4action.initiatives.models import Initiative

    from .choices import Audience

    surveys = Survey.objects.filter(published=True)
    if open_only:
        now = timezone.now()
        surveys = surveys.filter(opens_at__lte=now, closes_at__gt=now)
    kinds: set[str] = set()
    manager = permissions.can_manage_surveys(user)
    if not manager:
        audience = Q(audience=Audience.PUBLIC)
        if user is not None and user.is_authenticated:
            memberships = list(
                user.memberships.filter(
                    status=MembershipStatus.ACTIVE,
                    organization__status=OrganizationStatus.APPROVED,
                ).values_list(
                    "organization_id", "organization__kind", "organization__regional_section"
                )
            )
            audience |= Q(
                audience=Audience.PEOPLE,
                pk__in=Survey.audience_people.through.objects.filter(user=user).values("survey"),
            )
            if memberships:
                kinds = {kind for _, kind, _ in memberships}
                sections = {section for _, _, section in memberships if section is not None}
                audience |= Q(audience=Audience.MEMBERS) | Q(audience=Audience.ORGANIZATION_KINDS)
                audience |= Q(
                    audience=Audience.SECTIONS,
                    pk__in=Survey.audience_sections.through.objects.filter(
                        regionalsection__in=sections
                    ).values("survey"),
                )
                leads_hub = Initiative.objects.filter(
                    lead_organization__in=[pk for pk, _, _ in memberships],
                    status__in=[InitiativeStatus.LABELLED, InitiativeStatus.ACCOMPANIED],
                ).exists()
                if leads_hub:
                    audience |= Q(audience=Audience.HUB_TEAMS)
        surveys = surveys.filter(audience)
    surveys = surveys.prefetch_related(
        Prefetch(
            "pages",
            queryset=Page.objects.prefetch_related(
                Prefetch("questions", queryset=Question.objects.order_by("position", "id"))
            ),
        )
    ).order_by("-opens_at", "pk")
    # Kinds are a JSON list, which SQLite cannot search: the few surveys for kinds of
    # organization are checked here.
    return [
        survey
        for survey in surveys
        if survey.audience != Audience.ORGANIZATION_KINDS
        or manager
        or kinds & set(survey.audience_kinds)
    ]


# Results ---------------------------------------------------------------------------------------
# Every count below is done by the database (GROUP BY on Answer.text, on AnswerItem, or an
# aggregate of Answer.number): the page reads a constant number of queries whatever the number
# of responses. Filters go through the snapshots kept on Response (section, organization kind,
# language), so no join reaches organizations.

TEXT_GROUPED = (
    QuestionKind.SINGLE,
    QuestionKind.SCALE,
    QuestionKind.COUNTRY,
    QuestionKind.SDG,
    QuestionKind.DATE,
)
ITEM_GROUPED = (QuestionKind.MULTIPLE, QuestionKind.RANKING, QuestionKind.MATRIX)
FREE_TEXT = (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT)
HISTOGRAM_BINS = 10
# The counts of a selection are kept this long, under a key that changes with every response
# submitted or changed: a large survey's page is then counted once, not at every visit.
RESULTS_CACHE_SECONDS = 600
COUNTRIES_CHARTED = 15


@dataclass
class Tally:
    value: str
    label: str
    count: int
    percent: float


@dataclass
class QuestionResult:
    question: Question
    answered: int = 0
    rows: list[Tally] = field(default_factory=list)
    # Matrix: the scale values as columns, each row's counts; ranking: average rank per item.
    columns: list[str] = field(default_factory=list)
    grid: list[dict] = field(default_factory=list)
    stats: dict = field(default_factory=dict)
    chart: str = ""

    @property
    def is_free_text(self) -> bool:
        return self.question.kind in FREE_TEXT


@dataclass
class Results:
    survey: Survey
    respondents: int  # submitted responses of the selection
    submitted: int  # submitted responses of the whole survey
    audience: int | None
    suppressed: bool  # anonymous survey, selection under MIN_GROUP: nothing is shown
    filtered: bool
    questions: list[QuestionResult] = field(default_factory=list)

    @property
    def response_rate(self) -> float | None:
        if not self.audience:
            return None
        return round(100 * self.submitted / self.audience, 1)


def survey_for_results(*, user, slug: str) -> Survey:
    """A survey whose results the user may see (permissions.can_see_results); 404 otherwise."""
    survey = Survey.objects.filter(slug=slug).first()
    if survey is None or not permissions.can_see_results(user, survey):
        raise Http404
    return survey


def audience_size(survey: Survey) -> int | None:
    """How many people (or organizations, for one answer per organization) the survey asks,
    by the same rules as permissions.in_audience; one query. None for anyone-with-the-link."""
    if survey.audience == Audience.PUBLIC:
        return None
    per_organization = survey.one_per == OnePer.ORGANIZATION
    if survey.audience == Audience.PEOPLE:
        if not per_organization:
            return survey.audience_people.count()
        people = Q(memberships__user__in=survey.audience_people.all())
    else:
        people = Q()
    prefix = "" if per_organization else "memberships__organization__"
    rules = Q(**{f"{prefix}status": OrganizationStatus.APPROVED}) & people
    if survey.audience == Audience.ORGANIZATION_KINDS:
        rules &= Q(**{f"{prefix}kind__in": survey.audience_kinds})
    elif survey.audience == Audience.SECTIONS:
        rules &= Q(**{f"{prefix}regional_section__in": survey.audience_sections.all()})
    elif survey.audience == Audience.HUB_TEAMS:
        rules &= Q(
            **{
                f"{prefix}led_initiatives__status__in": [
                    InitiativeStatus.LABELLED,
                    InitiativeStatus.ACCOMPANIED,
                ]
            }
        )
    rules &= Q(memberships__status=MembershipStatus.ACTIVE)
    model = Organization if per_organization else get_user_model()
    # COUNT(DISTINCT id): the joins through memberships (and initiatives) repeat rows.
    return model.objects.filter(rules).aggregate(n=Count("pk", distinct=True))["n"]


def _selection(*, section: str, kind: str, language: str) -> dict:
    """The filters, as lookups on Response."""
    lookups = {"section__slug": section, "organization_kind": kind, "language": language}
    return {name: value for name, value in lookups.items() if value}


def _answers_of(survey: Survey, selection: dict, prefix: str = "response__") -> Q:
    """Answers (or answer items, prefix "answer__response__") of the submitted responses of
    the selection."""
    lookups = {"survey": survey, "status": ResponseStatus.SUBMITTED, **selection}
    return Q(**{f"{prefix}{name}": value for name, value in lookups.items()})


def _sizes(survey: Survey, selection: dict) -> dict:
    """Submitted responses of the selection and of the survey, and when any response last
    changed (what the cached counts depend on), in one query."""
    return Response.objects.filter(survey=survey, status=ResponseStatus.SUBMITTED).aggregate(
        selected=Count("id", filter=Q(**selection)) if selection else Count("id"),
        total=Count("id"),
        changed=Max("updated_at"),
    )


def selection_size(survey: Survey, *, section="", kind="", language="") -> tuple[int, int]:
    """(submitted responses of the selection, of the whole survey), in one query."""
    sizes = _sizes(survey, _selection(section=section, kind=kind, language=language))
    return sizes["selected"], sizes["total"]


def is_suppressed(survey: Survey, respondents: int) -> bool:
    """Anonymous surveys show nothing about a selection of fewer than MIN_GROUP respondents."""
    return survey.anonymous and respondents < MIN_GROUP


def _percent(count: int, of: int) -> float:
    return round(100 * count / of, 1) if of else 0.0


def _label(options: list[dict], value: str) -> str:
    for option in options:
        if str(option["value"]) == value:
            return in_language(option["label"]) if isinstance(option["label"], dict) else value
    return value


def _option_counts(question: Question, found: dict[str, int], answered: int) -> list[Tally]:
    """Every option in its order (zero counts included), then "other" and unknown values."""
    values = question.option_values()
    if question.allow_other:
        values.append(OTHER)
    values += sorted(set(found) - set(values))
    return [
        Tally(
            value,
            _("Other")
            if value == OTHER and question.allow_other
            else _label(question.options, value),
            found.get(value, 0),
            _percent(found.get(value, 0), answered),
        )
        for value in values
    ]


def _scale_counts(question: Question, found: dict[str, int], answered: int) -> list[Tally]:
    low, high = question.scale_min or 0, question.scale_max or 0
    rows = []
    for score in range(low, high + 1):
        label = question.scale_labels.get(str(score))
        text = f"{score} — {in_language(label)}" if label else str(score)
        rows.append(Tally(str(score), text, found.get(str(score), 0), 0.0))
    for row in rows:
        row.percent = _percent(row.count, answered)
    return rows


def _bins(stat: dict) -> tuple[Decimal, Decimal, int]:
    """(low, width, bins) of a number question's histogram: one bin per value for a few
    integers, else HISTOGRAM_BINS equal bins from the minimum to the maximum."""
    low, high = Decimal(stat["low"]), Decimal(stat["high"])
    span = high - low
    if span == 0:
        return low, Decimal(1), 1
    integers = low == low.to_integral_value() and high == high.to_integral_value()
    if integers and span < HISTOGRAM_BINS:
        return low, Decimal(1), int(span) + 1
    return low, span / HISTOGRAM_BINS, HISTOGRAM_BINS


def _plain(number: Decimal) -> str:
    text = format(Decimal(number).quantize(Decimal("0.01")).normalize(), "f")
    return text


def survey_results(*, user, survey: Survey, section="", kind="", language="") -> Results:
    """Counts per question of the submitted responses of a selection, in a constant number of
    queries. Anonymous surveys show nothing for a selection of fewer than MIN_GROUP
    respondents."""
    if not permissions.can_see_results(user, survey):
        raise PermissionDenied
    selection = _selection(section=section, kind=kind, language=language)
    sizes = _sizes(survey, selection)
    results = Results(
        survey=survey,
        respondents=sizes["selected"],
        submitted=sizes["total"],
        audience=audience_size(survey),
        suppressed=is_suppressed(survey, sizes["selected"]),
        filtered=bool(selection),
    )
    if results.suppressed:
        return results
    questions = list(
        Question.objects.filter(survey=survey).order_by("page__position", "position", "id")
    )
    by_kind: dict[str, list[int]] = defaultdict(list)
    for question in questions:
        by_kind[question.kind].append(question.pk)
    key = ":".join(
        [
            "survey-results",
            str(survey.pk),
            str(sizes["total"]),
            str(sizes["changed"]),
            *(f"{name}={value}" for name, value in sorted(selection.items())),
            *(f"{question.pk}{question.kind}" for question in questions),
        ]
    )
    key = "survey-results:" + hashlib.sha256(key.encode()).hexdigest()
    counts = cache.get(key)
    if counts is None:
        counts = _counts(survey, selection, questions, by_kind)
        cache.set(key, counts, RESULTS_CACHE_SECONDS)
    grouped, answered, items, stats, histograms = (
        counts["grouped"],
        counts["answered"],
        counts["items"],
        counts["stats"],
        counts["histograms"],
    )
    goals = {}
    if by_kind.get(QuestionKind.SDG):
        goals = {goal.number: goal for goal in Goal.objects.all()}
    for question in questions:
        result = QuestionResult(question=question, answered=answered.get(question.pk, 0))
        _fill(
            result,
            grouped.get(question.pk, {}),
            items.get(question.pk, {}),
            stats.get(question.pk),
            goals,
        )
        if question.pk in histograms:
            _fill_histogram(result, stats[question.pk], histograms[question.pk])
        results.questions.append(result)
    return results


def _counts(survey: Survey, selection: dict, questions: list, by_kind: dict) -> dict:
    """The counting queries (3 at most): per value, per item, per histogram bin."""
    ids = lambda kinds: [pk for k in kinds for pk in by_kind.get(k, [])]  # noqa: E731
    answers = Answer.objects.filter(_answers_of(survey, selection))

    # One pass over the answers: counts per value where the value is counted (choices,
    # scales, countries, goals, dates), only how many answered for the other kinds.
    grouped: dict[int, dict[str, int]] = defaultdict(dict)
    answered: dict[int, int] = defaultdict(int)
    counted_only = [pk for pk in ids(QuestionKind.values) if pk not in ids(TEXT_GROUPED)]
    value = F("text")
    if counted_only:
        value = Case(When(question_id__in=counted_only, then=Value("")), default=F("text"))
    # Numbers: the same pass gives their bounds and mean, for the histogram's bins.
    stats: dict[int, dict] = {}
    numbers = ids([QuestionKind.NUMBER])
    rows = (
        answers.annotate(counted=value)
        .values("question_id", "counted")
        .annotate(n=Count("id"), low=Min("number"), high=Max("number"), mean=Avg("number"))
        .order_by()
    )
    for row in rows if questions else []:
        question_id = row["question_id"]
        answered[question_id] += row["n"]
        if question_id not in counted_only:
            grouped[question_id][row["counted"]] = row["n"]
        elif question_id in numbers and row["low"] is not None:
            stats[question_id] = row
    items: dict[int, dict[tuple[str, int | None], int]] = defaultdict(dict)
    if ids(ITEM_GROUPED):
        for question_id, item, score, n in (
            AnswerItem.objects.filter(
                _answers_of(survey, selection, "answer__response__"),
                question_id__in=ids(ITEM_GROUPED),
                # The same condition on the answer lets the database read fewer answers.
                answer__question_id__in=ids(ITEM_GROUPED),
            )
            .values_list("question_id", "item", "score")
            .annotate(n=Count("id"))
            .order_by()
        ):
            items[question_id][(item, score)] = n
    histograms = _histograms(answers, stats) if stats else {}

    return {
        "grouped": dict(grouped),
        "answered": dict(answered),
        "items": dict(items),
        "stats": stats,
        "histograms": dict(histograms),
    }


def _histograms(answers, stats: dict[int, dict]) -> dict[int, dict[int, int]]:
    """Counts per bin of every number question, in one query: a CASE gives each answer its
    bin by its question's bounds (the last bin includes the maximum)."""
    whens = []
    for question_id, stat in stats.items():
        low, width, bins = _bins(stat)
        position = Floor((F("number") - Value(low)) / Value(width))
        whens.append(
            When(
                question_id=question_id,
                then=Cast(Least(position, Value(bins - 1)), IntegerField()),
            )
        )
    found: dict[int, dict[int, int]] = defaultdict(dict)
    for question_id, position, n in (
        answers.filter(question_id__in=list(stats), number__isnull=False)
        .annotate(bin=Case(*whens, output_field=IntegerField()))
        .values_list("question_id", "bin")
        .annotate(n=Count("id"))
        .order_by()
    ):
        found[question_id][int(position)] = n
    return found


def _fill_histogram(result: QuestionResult, stat: dict, found: dict[int, int]) -> None:
    low, width, bins = _bins(stat)
    rows = []
    for position in range(bins):
        start = low + width * position
        if width == 1 and bins > 1 or bins == 1:
            label = _plain(start)
        else:
            label = f"{_plain(start)} – {_plain(start + width)}"
        count = found.get(position, 0)
        rows.append(Tally(str(position), label, count, _percent(count, result.answered)))
    result.rows = rows
    result.stats = {
        "min": _plain(stat["low"]),
        "max": _plain(stat["high"]),
        "mean": _plain(stat["mean"]),
    }
    result.chart = charts.bar_chart(
        title=result.question.label,
        series=_("Respondents"),
        bars=[(row.label, row.count, None) for row in rows],
    )


def _fill(result: QuestionResult, found, items, stat, goals) -> None:
    question, answered = result.question, result.answered
    kind = question.kind
    if kind in (QuestionKind.SINGLE,):
        result.rows = _option_counts(question, found, answered)
    elif kind == QuestionKind.SCALE:
        result.rows = _scale_counts(question, found, answered)
    elif kind == QuestionKind.COUNTRY:
        names = dict(countries)
        result.rows = sorted(
            (
                Tally(code, names.get(code, code), n, _percent(n, answered))
                for code, n in found.items()
            ),
            key=lambda row: (-row.count, row.label),
        )
    elif kind == QuestionKind.SDG:
        result.rows = []
        for number in range(1, 18):
            goal = goals.get(number)
            label = f"{number}. {goal.translated('short')}" if goal else str(number)
            n = found.get(str(number), 0)
            result.rows.append(Tally(str(number), label, n, _percent(n, answered)))
    elif kind == QuestionKind.DATE:
        months: dict[str, int] = defaultdict(int)
        for day, n in found.items():
            months[day[:7]] += n
        result.rows = [
            Tally(month, month, n, _percent(n, answered)) for month, n in sorted(months.items())
        ]
    elif kind == QuestionKind.MULTIPLE:
        chosen = {item: n for (item, _score), n in items.items()}
        result.rows = _option_counts(question, chosen, answered)
    elif kind == QuestionKind.RANKING:
        _fill_ranking(result, items)
        return
    elif kind == QuestionKind.MATRIX:
        _fill_matrix(result, items)
        return
    else:  # free texts and numbers (histogram added by the caller)
        return
    charted = result.rows
    if kind == QuestionKind.COUNTRY:
        charted = result.rows[:COUNTRIES_CHARTED]
    colors = {}
    if kind == QuestionKind.SDG:
        colors = {str(number): goal.color for number, goal in goals.items()}
    result.chart = charts.bar_chart(
        title=question.label,
        series=_("Respondents"),
        bars=[(row.label, row.count, colors.get(row.value)) for row in charted],
    )


def _fill_ranking(result: QuestionResult, items) -> None:
    """Per option: how many ranked it, how many put it first, its average rank."""
    question = result.question
    positions = range(1, len(question.options) + 1)
    result.columns = [str(rank) for rank in positions]
    for value in question.option_values():
        ranks = {score: n for (item, score), n in items.items() if item == value}
        total = sum(ranks.values())
        mean = sum(score * n for score, n in ranks.items()) / total if total else None
        result.grid.append(
            {
                "value": value,
                "label": _label(question.options, value),
                "count": total,
                "percent": _percent(total, result.answered),
                "first": ranks.get(1, 0),
                "mean": round(mean, 2) if mean is not None else None,
                "cells": [ranks.get(rank, 0) for rank in positions],
            }
        )
    result.chart = charts.bar_chart(
        title=question.label,
        series=_("Ranked first"),
        bars=[(row["label"], row["first"], None) for row in result.grid],
    )


def _fill_matrix(result: QuestionResult, items) -> None:
    """Per row: counts per scale value and the average score."""
    question = result.question
    scores = range(question.scale_min or 0, (question.scale_max or 0) + 1)
    result.columns = [str(score) for score in scores]
    for row in question.rows:
        value = str(row["value"])
        found = {score: n for (item, score), n in items.items() if item == value}
        total = sum(found.values())
        mean = sum(score * n for score, n in found.items()) / total if total else None
        result.grid.append(
            {
                "value": value,
                "label": in_language(row["label"]),
                "count": total,
                "mean": round(mean, 2) if mean is not None else None,
                "cells": [
                    (found.get(score, 0), _percent(found.get(score, 0), total)) for score in scores
                ],
            }
        )
    result.chart = charts.bar_chart(
        title=question.label,
        series=_("Average score"),
        bars=[(row["label"], row["mean"] or 0, None) for row in result.grid],
    )


def text_answers(
    *, user, survey: Survey, question: Question, q="", section="", kind="", language=""
):
    """The free-text answers to one question, newest first, searched by `q`; values only
    (never who answered). Empty for a selection under MIN_GROUP of an anonymous survey."""
    if not permissions.can_see_results(user, survey):
        raise PermissionDenied
    selection = _selection(section=section, kind=kind, language=language)
    answers = Answer.objects.filter(_answers_of(survey, selection), question=question)
    if q:
        answers = answers.filter(text__icontains=q)
    return answers.order_by("-response__submitted_at", "-id").values_list("value", flat=True)


# Exports ----------------------------------------------------------------------------------------

EXPORT_COLUMNS = ("response", "submitted_at", "language", "section", "organization_kind")


def opaque_id(response_id: int) -> str:
    """A stable identifier of a response that reveals neither its number nor its token (the
    token lets a visitor resume, so it stays secret)."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"survey-response:{response_id}".encode(), hashlib.sha256
    )
    return digest.hexdigest()[:16]


def _columns(question: Question) -> list[str]:
    if question.kind == QuestionKind.MATRIX:
        return [f"{question.key}.{row['value']}" for row in question.rows]
    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE) and question.allow_other:
        return [question.key, f"{question.key}.other"]
    return [question.key]


def _cells(question: Question, value) -> list:
    """One answer as its export cells (see _columns)."""
    kind = question.kind
    other = ""
    if isinstance(value, dict) and kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        other = value.get("other", "")
        value = value.get("choice", value.get("choices"))
    if kind == QuestionKind.MATRIX:
        value = value or {}
        return [value.get(str(row["value"])) for row in question.rows]
    if value is None:
        cell = None
    elif kind == QuestionKind.MULTIPLE:
        cell = "|".join(str(v) for v in value)
    elif kind == QuestionKind.RANKING:
        cell = ">".join(str(v) for v in value)
    elif kind == QuestionKind.NUMBER:
        cell = Decimal(str(value))
    else:
        cell = value
    if len(_columns(question)) == 2:
        return [cell, other or None]
    return [cell]


def export_header(questions: list[Question]) -> list[str]:
    return [*EXPORT_COLUMNS, *(column for q in questions for column in _columns(q))]


def response_rows(*, user, survey: Survey, chunk_size: int = 2000):
    """(header, rows): one row per submitted response, oldest first, its answers read per
    chunk of responses, so memory does not grow with the number of responses. Never who
    answered. `rows` is a generator: nothing is read until it is iterated."""
    if not permissions.can_export_responses(user, survey):
        raise PermissionDenied
    questions = list(
        Question.objects.filter(survey=survey).order_by("page__position", "position", "id")
    )
    header = export_header(questions)

    def rows():
        responses = (
            Response.objects.filter(survey=survey, status=ResponseStatus.SUBMITTED)
            .order_by("pk")
            .values_list("pk", "submitted_at", "language", "section__slug", "organization_kind")
            .iterator(chunk_size=chunk_size)
        )
        while chunk := list(islice(responses, chunk_size)):
            answers: dict[int, dict[int, object]] = defaultdict(dict)
            for response_id, question_id, value in Answer.objects.filter(
                response_id__in=[row[0] for row in chunk]
            ).values_list("response_id", "question_id", "value"):
                answers[response_id][question_id] = value
            for pk, submitted_at, language, section, kind in chunk:
                given = answers.pop(pk, {})
                row = [opaque_id(pk), submitted_at, language, section or "", kind]
                for question in questions:
                    row += _cells(question, given.get(question.pk))
                yield row

    return header, rows()
