import datetime

from django.utils import timezone

from local4action.surveys.models import Page, Question, Survey


def L(text):  # noqa: N802 — a label in the three languages, for brevity in tests
    return {"en": text, "fr": f"{text} (fr)", "es": f"{text} (es)"}


def make_survey(**fields) -> Survey:
    now = timezone.now()
    data = {
        "slug": f"survey-{Survey.objects.count() + 1}",
        "title": L("Localizing the SDGs"),
        "languages": ["en", "fr", "es"],
        "opens_at": now - datetime.timedelta(days=1),
        "closes_at": now + datetime.timedelta(days=30),
        "published": True,
        **fields,
    }
    return Survey.objects.create(**data)


def make_question(survey, *, page=0, kind="short_text", key=None, **fields) -> Question:
    page_obj, _ = Page.objects.get_or_create(survey=survey, position=page)
    key = key or f"q{Question.objects.filter(survey=survey).count() + 1}"
    return Question.objects.create(
        survey=survey, page=page_obj, key=key, kind=kind, text=L(f"Question {key}"), **fields
    )


def options(*values):
    return [{"value": v, "label": L(v)} for v in values]
