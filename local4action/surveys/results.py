"""Results of a survey: counts per question with charts and data tables, free-text answers,
filters, and the exports (CSV and XLSX, one row per response; open-data JSON for public
surveys). Reads come from selectors; nothing here writes."""

import csv
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from local4action.accounts.choices import OrganizationKind
from local4action.core.models import RegionalSection
from local4action.core.spreadsheets import csv_cell, xlsx_download

from . import permissions, selectors
from .choices import MIN_GROUP
from .models import Question, Survey

TEXT_ANSWERS_PER_PAGE = 50
LICENCE = {
    "name": "CC BY 4.0",
    "url": "https://creativecommons.org/licenses/by/4.0/",
}


class ResultsFilterForm(forms.Form):
    section = forms.ModelChoiceField(
        label=gettext_lazy("Regional section"),
        queryset=RegionalSection.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=gettext_lazy("All"),
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind of organization"),
        choices=[("", gettext_lazy("All")), *OrganizationKind.choices],
        required=False,
    )
    language = forms.ChoiceField(label=gettext_lazy("Language"), required=False)

    def __init__(self, *args, survey: Survey, **kwargs):
        super().__init__(*args, **kwargs)
        names = dict(settings.LANGUAGES)
        self.fields["language"].choices = [("", _("All"))] + [
            (code, names.get(code, code)) for code in survey.languages
        ]

    def filters(self) -> dict:
        """The selection as selector arguments; no filter when the form is not valid."""
        if not self.is_valid():
            return {"section": "", "kind": "", "language": ""}
        section = self.cleaned_data["section"]
        return {
            "section": section.slug if section else "",
            "kind": self.cleaned_data["kind"],
            "language": self.cleaned_data["language"],
        }


def _filters(request, survey: Survey) -> tuple[ResultsFilterForm, dict]:
    data = {name: request.GET.get(name, "") for name in ("section", "kind", "language")}
    form = ResultsFilterForm(data, survey=survey)
    return form, form.filters()


def _query(filters: dict) -> str:
    chosen = {name: value for name, value in filters.items() if value}
    return f"?{urlencode(chosen)}" if chosen else ""


def results(request, slug):
    survey = selectors.survey_for_results(user=request.user, slug=slug)
    form, filters = _filters(request, survey)
    found = selectors.survey_results(user=request.user, survey=survey, **filters)
    return render(
        request,
        "surveys/results.html",
        {
            "survey": survey,
            "form": form,
            "results": found,
            "query": _query(filters),
            "min_group": MIN_GROUP,
            "can_export": permissions.can_export_responses(request.user, survey),
            "open_data": survey.published and survey.results_public,
        },
    )


def text_answers(request, slug, key):
    survey = selectors.survey_for_results(user=request.user, slug=slug)
    question = get_object_or_404(Question, survey=survey, key=key, kind__in=selectors.FREE_TEXT)
    form, filters = _filters(request, survey)
    respondents, _total = selectors.selection_size(survey, **filters)
    suppressed = selectors.is_suppressed(survey, respondents)
    search = request.GET.get("q", "").strip()[:100]
    page = None
    if not suppressed:
        answers = selectors.text_answers(
            user=request.user, survey=survey, question=question, q=search, **filters
        )
        page = Paginator(answers, TEXT_ANSWERS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "surveys/text_answers.html",
        {
            "survey": survey,
            "question": question,
            "form": form,
            "filters": filters,
            "search": search,
            "page": page,
            "suppressed": suppressed,
            "min_group": MIN_GROUP,
            "query": _query(filters),
        },
    )


def _exportable(request, slug) -> Survey:
    survey = get_object_or_404(Survey, slug=slug)
    if not permissions.can_export_responses(request.user, survey):
        raise PermissionDenied
    return survey


def _filename(survey: Survey, extension: str) -> str:
    return f"{survey.slug}-responses-{timezone.localdate().isoformat()}.{extension}"


class _Echo:
    """csv.writer writes into this and gets the line back, to stream it."""

    def write(self, value: str) -> str:
        return value


@never_cache
@login_required
def export_csv(request, slug):
    """One row per submitted response, streamed: the rows are read from the database chunk by
    chunk while the file is sent, so memory does not grow with the responses."""
    survey = _exportable(request, slug)
    header, rows = selectors.response_rows(user=request.user, survey=survey)
    writer = csv.writer(_Echo())

    def lines():
        # The byte-order mark tells Excel the file is UTF-8, so accents survive.
        yield "\ufeff" + writer.writerow(header)
        for row in rows:
            yield writer.writerow([_csv(value) for value in row])

    return StreamingHttpResponse(
        lines(),
        content_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": content_disposition_header(
                as_attachment=True, filename=_filename(survey, "csv")
            )
        },
    )


def _csv(value) -> str:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return csv_cell(value)


@never_cache
@login_required
def export_xlsx(request, slug):
    """The same rows as the CSV file; openpyxl's write-only mode keeps them in a temporary
    file, not in memory."""
    survey = _exportable(request, slug)
    header, rows = selectors.response_rows(user=request.user, survey=survey)
    return xlsx_download(
        title=survey.label,
        sheet_name=_("Responses"),
        header=header,
        rows=rows,
        filename=_filename(survey, "xlsx"),
    )


# What each field of the open-data file means, published inside the file.
FIELDS = {
    "survey": "The survey: slug, title per language, languages, anonymous, opening and "
    "closing dates (ISO 8601, UTC).",
    "licence": "The licence of this file (CC BY 4.0): reuse it freely, citing the source.",
    "generated_at": "When this file was made (ISO 8601, UTC).",
    "respondents": "Submitted responses counted.",
    "audience_size": "People (or organizations, for one answer per organization) the survey "
    "asked; null for a survey open to anyone with the link.",
    "response_rate": "respondents / audience_size, in percent; null without an audience size.",
    "suppressed": "true when an anonymous survey has fewer than min_group respondents: no "
    "count is published, to protect them.",
    "min_group": "The smallest group of respondents of an anonymous survey that results show.",
    "questions": "One entry per question, in the survey's order: key (stable), kind, text per "
    "language, answered (respondents who answered it), then by kind: counts (value, label, "
    "count, percent of those who answered; for multiple choice the percents add up to more "
    "than 100), grid (ranking: per option count, first, mean rank and counts per rank; "
    "matrix: per row count, mean score and counts per scale value), stats (numbers: min, max, "
    "mean; counts are then histogram bins). Free-text answers are not published, only how "
    "many answered.",
}


def _question_data(result: selectors.QuestionResult) -> dict:
    question = result.question
    data = {
        "key": question.key,
        "kind": question.kind,
        "text": question.text,
        "answered": result.answered,
    }
    if result.rows:
        data["counts"] = [
            {"value": row.value, "label": row.label, "count": row.count, "percent": row.percent}
            for row in result.rows
        ]
    if result.grid:
        data["columns"] = result.columns
        data["grid"] = [
            {
                **row,
                "cells": [cell[0] if isinstance(cell, tuple) else cell for cell in row["cells"]],
            }
            for row in result.grid
        ]
    if result.stats:
        data["stats"] = result.stats
    return data


def open_data(request, slug):
    """Aggregated results of a published survey whose results are public, as open data: never
    one row per response, never free texts."""
    survey = Survey.objects.filter(slug=slug, published=True, results_public=True).first()
    if survey is None:
        raise Http404
    found = selectors.survey_results(user=request.user, survey=survey)
    document = {
        "survey": {
            "slug": survey.slug,
            "title": survey.title,
            "languages": survey.languages,
            "anonymous": survey.anonymous,
            "opens_at": survey.opens_at,
            "closes_at": survey.closes_at,
            "url": request.build_absolute_uri(reverse("surveys:results", args=[survey.slug])),
        },
        "licence": {**LICENCE, "attribution": settings.BRAND["name"]},
        "generated_at": timezone.now(),
        "respondents": found.respondents,
        "audience_size": found.audience,
        "response_rate": found.response_rate,
        "suppressed": found.suppressed,
        "min_group": MIN_GROUP,
        "questions": [_question_data(result) for result in found.questions],
        "fields": FIELDS,
    }
    return JsonResponse(document, json_dumps_params={"ensure_ascii": False, "indent": 1})
