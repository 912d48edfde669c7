"""The ready-made event feedback survey and its staff form."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from local4action.accounts.tests.factories import UserFactory
from local4action.surveys import permissions, services
from local4action.surveys.models import Survey


@pytest.fixture
def participants(db):
    return [UserFactory(language=lang) for lang in ("en", "fr", "es")]


def window():
    now = timezone.now()
    return {"opens_at": now, "closes_at": now + datetime.timedelta(days=10)}


def test_the_event_feedback_survey_is_ready_in_three_languages(secretariat, participants):
    survey = services.survey_from_template(
        actor=secretariat, title="Seminar on local finance", people=participants, **window()
    )
    assert survey.template == "event_feedback" and not survey.published
    assert survey.audience == "people" and survey.anonymous and survey.editable_until_close
    assert set(survey.audience_people.all()) == set(participants)
    assert survey.languages == ["en", "fr", "es"]
    questions = list(survey.questions.order_by("position"))
    assert [q.key for q in questions] == ["satisfaction", "most_useful", "to_change", "next_steps"]
    assert [q.kind for q in questions] == ["scale", "long_text", "long_text", "multiple"]
    satisfaction, *_texts, next_steps = questions
    assert (satisfaction.scale_min, satisfaction.scale_max) == (1, 5)
    assert set(satisfaction.scale_labels) == {"1", "2", "3", "4", "5"}
    assert next_steps.option_values() == [
        "working_group",
        "peer_exchange",
        "campaign",
        "training",
        "none",
    ]
    for question in questions:
        assert set(question.text) == {"en", "fr", "es"}
    for option in next_steps.options:
        assert set(option["label"]) == {"en", "fr", "es"}
    assert all(permissions.in_audience(person, survey) for person in participants)
    services.survey_publish(actor=secretariat, survey=survey)


def test_the_template_needs_people_and_the_secretariat(secretariat, participants):
    with pytest.raises(ValidationError):
        services.survey_from_template(actor=secretariat, title="Seminar", people=[], **window())
    with pytest.raises(PermissionDenied):
        services.survey_from_template(
            actor=participants[0], title="Seminar", people=participants, **window()
        )
    with pytest.raises(ValidationError):
        services.survey_from_template(
            actor=secretariat, template="unknown", title="S", people=participants, **window()
        )
    assert not Survey.objects.exists()


def test_the_staff_form_takes_people_and_pasted_emails(client, secretariat, participants):
    client.force_login(secretariat)
    assert client.get(reverse("surveys:event_feedback")).status_code == 200
    response = client.post(
        reverse("surveys:event_feedback"),
        {
            "title": "Working session on culture",
            "people": [participants[0].pk],
            "emails": f"{participants[1].email.upper()}\n\n{participants[2].email}\n",
            "opens_at": "2030-01-01T09:00",
            "closes_at": "2030-01-08T09:00",
        },
    )
    survey = Survey.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("surveys:structure", args=[survey.slug])
    assert set(survey.audience_people.all()) == set(participants)


def test_unknown_emails_are_named_and_nothing_is_created(client, secretariat, participants):
    client.force_login(secretariat)
    response = client.post(
        reverse("surveys:event_feedback"),
        {
            "title": "Working session",
            "emails": "nobody@example.org",
            "opens_at": "2030-01-01T09:00",
            "closes_at": "2030-01-08T09:00",
        },
    )
    assert response.status_code == 200
    assert "No account uses these addresses: nobody@example.org" in response.content.decode()
    assert not Survey.objects.exists()
