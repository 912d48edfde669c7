"""The demo surveys (`manage.py seed_demo`): idempotent, a closed consultation with hundreds of
organizations' answers stored as the services store them, an open survey, a workshop's
feedback."""

import io

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from local4action.accounts.models import Organization
from local4action.surveys.answers import clean_answer
from local4action.surveys.demo import CONSULTATION_SLUG, FEEDBACK_SLUG, OPEN_SLUG
from local4action.surveys.models import Answer, AnswerItem, Response, Survey

MODELS = (Survey, Response, Answer, AnswerItem, Organization)


def _seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def _counts() -> dict:
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture
def demo(db):
    return _seed()


def test_seed_demo_twice_adds_nothing_the_second_time(demo):
    counts = _counts()

    second = _seed()

    assert _counts() == counts
    assert "Demo surveys: 3 surveys (0 new)" in second


def test_the_closed_consultation_has_hundreds_of_answers_from_every_region(demo):
    survey = Survey.objects.get(slug=CONSULTATION_SLUG)
    submitted = Response.objects.filter(survey=survey, status="submitted")

    assert not survey.is_open() and survey.closes_at < timezone.now()
    assert survey.one_per == "organization" and not survey.anonymous
    assert survey.title["fr"] and survey.title["es"]
    assert submitted.count() >= 200
    assert submitted.values("section").distinct().count() >= 6
    assert not submitted.filter(organization__isnull=True).exists()
    assert not submitted.filter(submitted_at__gt=survey.closes_at).exists()
    assert {q.kind for q in survey.questions.all()} >= {
        "single",
        "multiple",
        "scale",
        "ranking",
        "country",
        "sdg",
        "long_text",
        "matrix",
    }
    # One response per organization, keyed as the services key it.
    assert submitted.values("organization").distinct().count() == submitted.count()
    assert all(key.startswith("org:") for key in submitted.values_list("uniqueness_key", flat=True))


def test_the_consultation_answers_are_stored_as_the_services_store_them(demo):
    answers = Answer.objects.filter(response__survey__slug=CONSULTATION_SLUG).select_related(
        "question"
    )
    items = {}
    for answer_id, item, score in AnswerItem.objects.filter(
        answer__response__survey__slug=CONSULTATION_SLUG
    ).values_list("answer_id", "item", "score"):
        items.setdefault(answer_id, []).append((item, score))

    for answer in answers[:400]:
        value = answer.value
        other = ""
        if isinstance(value, dict) and "other" in value:
            other = value["other"]
            value = value.get("choice", value.get("choices"))
        cleaned = clean_answer(answer.question, value, other)
        assert cleaned.value == answer.value
        assert cleaned.text == answer.text
        assert cleaned.number == answer.number
        assert sorted(cleaned.items) == sorted(items.get(answer.pk, []))


def test_the_open_survey_and_the_workshop_feedback(demo):
    open_survey = Survey.objects.get(slug=OPEN_SLUG)
    feedback = Survey.objects.get(slug=FEEDBACK_SLUG)

    assert open_survey.is_open() and open_survey.pages.count() == 3
    assert open_survey.questions.filter(condition_question__isnull=False).exists()
    assert open_survey.responses.filter(status="submitted").count() == 2
    assert feedback.is_open() and feedback.anonymous and feedback.template == "event_feedback"
    assert feedback.audience_people.count() >= 5
    by_status = dict(feedback.responses.values_list("status").annotate(n=Count("id")).order_by())
    assert by_status == {"submitted": 4, "in_progress": 1}
    assert not feedback.responses.filter(respondent__isnull=False).exists()
