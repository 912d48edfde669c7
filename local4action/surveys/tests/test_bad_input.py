"""Bad input to surveys, answering and building: a clear message, nothing changed, no 500."""

import datetime
import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from local4action.accounts.tests.factories import MembershipFactory
from local4action.surveys import services
from local4action.surveys.models import Answer, Question, Response, Survey
from local4action.surveys.tests.factories import L, make_question, make_survey


@pytest.fixture
def member_client(client, db):
    client.force_login(MembershipFactory(role="member").user)
    return client


@pytest.fixture
def staff_client(client, secretariat):
    client.force_login(secretariat)
    return client


@pytest.fixture
def draft(secretariat):
    now = timezone.now()
    survey = services.survey_create(
        actor=secretariat,
        data={
            "title": L("Local finance consultation"),
            "languages": ["en", "fr", "es"],
            "audience": "members",
            "opens_at": now,
            "closes_at": now + datetime.timedelta(days=14),
        },
    )
    services.page_add(actor=secretariat, survey=survey)
    for key in ("a", "b", "c"):
        make_question(survey, page=0, key=key)
    return survey


def keys(survey):
    page = survey.pages.order_by("position").first()
    return list(page.questions.order_by("position", "id").values_list("key", flat=True))


def page_url(survey, number):
    return reverse("surveys:page", args=[survey.slug, number])


@pytest.mark.parametrize(
    ("kind", "value", "message", "fields"),
    [
        ("short_text", "x" * 5000, "The answer is too long", {}),
        ("number", "abc", "", {}),
        ("number", "³", "", {}),
        ("number", str(10**20), "", {}),
        ("number", "NaN", "", {}),
        ("number", "-1", "", {"number_min": 0, "number_max": 10}),
        ("date", "2026-02-30", "", {}),
        ("date", "yesterday", "", {}),
        ("country", "XX", "", {}),
        ("sdg", "18", "", {}),
        ("scale", "99", "", {"scale_min": 1, "scale_max": 5}),
    ],
)
def test_a_bad_answer_on_the_page_is_explained_and_saves_nothing(
    member_client, kind, value, message, fields
):
    # Given an open survey with one question of this kind
    survey = make_survey()
    question = make_question(survey, kind=kind, **fields)

    # When a bad answer is posted
    response = member_client.post(
        page_url(survey, 0), {f"q{question.pk}": value, "action": "submit"}
    )

    # Then the page comes back with the error next to the question, keeping nothing
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert f'id="q{question.pk}-error"' in html
    assert not Answer.objects.exists()
    assert not Response.objects.filter(submitted_at__isnull=False).exists()


def test_a_bad_answer_is_explained_in_french(client, db):
    person = MembershipFactory(role="member").user
    person.language = "fr"
    person.save()
    client.force_login(person)
    survey = make_survey()
    question = make_question(survey, kind="short_text")
    response = client.post(page_url(survey, 0), {f"q{question.pk}": "x" * 5000, "action": "next"})
    assert "La réponse est trop longue" in response.content.decode()
    assert not Answer.objects.exists()


@pytest.mark.parametrize("number", [99, 10**20])
def test_a_page_beyond_the_survey_leads_back_to_its_first_page(member_client, number):
    survey = make_survey()
    make_question(survey)
    response = member_client.get(page_url(survey, number))
    assert response.status_code == 302
    assert response["Location"] == page_url(survey, 0)
    assert not Answer.objects.exists()


def test_answering_without_the_csrf_token_saves_nothing(db):
    survey = make_survey()
    question = make_question(survey)
    client = Client(enforce_csrf_checks=True)
    client.force_login(MembershipFactory(role="member").user)
    response = client.post(page_url(survey, 0), {f"q{question.pk}": "Hello", "action": "next"})
    assert response.status_code == 403
    assert not Answer.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        {"question": "³", "position": 0},
        {"question": 10**20, "position": 0},
        {"position": 0},
        {"question": "QUESTION", "position": "first"},
        {"question": "QUESTION", "position": 1e400},
        {"question": "QUESTION", "position": None},
        {"question": "QUESTION", "page": 10**20, "position": 0},
    ],
)
def test_the_reorder_endpoint_refuses_what_it_cannot_read(staff_client, draft, body):
    # Given a page of three questions
    question = Question.objects.get(survey=draft, key="a")
    body = {k: question.pk if v == "QUESTION" else v for k, v in body.items()}

    # When a forged move is posted (1e400 reads as infinity in JSON)
    response = staff_client.post(
        reverse("surveys:reorder", args=[draft.slug]),
        json.dumps(body),
        content_type="application/json",
    )

    # Then it is refused in JSON and the order is unchanged
    assert response.status_code in (400, 404)
    assert keys(draft) == ["a", "b", "c"]


@pytest.mark.parametrize("body", ["null", "[]", '"a"', "1e400"])
def test_the_reorder_endpoint_refuses_json_that_is_not_an_object(staff_client, draft, body):
    response = staff_client.post(
        reverse("surveys:reorder", args=[draft.slug]), body, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["ok"] is False
    assert keys(draft) == ["a", "b", "c"]


def test_moving_a_question_of_another_survey_is_not_found(staff_client, draft, secretariat):
    other = make_survey()
    stranger = make_question(other, key="z")
    response = staff_client.post(
        reverse("surveys:reorder", args=[draft.slug]),
        json.dumps({"question": stranger.pk, "position": 0}),
        content_type="application/json",
    )
    assert response.status_code == 404
    assert keys(draft) == ["a", "b", "c"]


@pytest.mark.parametrize("direction", ["", "sideways", "up" * 100])
def test_an_unknown_move_direction_changes_nothing(staff_client, draft, direction):
    question = Question.objects.get(survey=draft, key="b")
    response = staff_client.post(
        reverse("surveys:question_move", args=[question.pk]), {"direction": direction}
    )
    assert response.status_code in (200, 302)
    assert keys(draft) == ["a", "b", "c"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title_en", ""),
        ("title_en", "   "),
        ("opens_at", "2026-02-30T09:00"),
        ("closes_at", "not a date"),
        ("audience", "everyone-on-earth"),
    ],
)
def test_a_survey_with_a_bad_field_is_not_created(staff_client, field, value):
    before = Survey.objects.count()
    data = {
        "title_en": "Consultation",
        "languages": ["en"],
        "audience": "members",
        "opens_at": "2028-01-10T09:00",
        "closes_at": "2028-02-10T09:00",
        field: value,
    }
    response = staff_client.post(reverse("surveys:create"), data)
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    assert Survey.objects.count() == before


@pytest.mark.parametrize("pk", [999999, 10**20])
def test_unknown_question_ids_are_404(staff_client, db, pk):
    assert staff_client.get(f"/manage/questions/{pk}/").status_code == 404
    assert staff_client.post(f"/manage/questions/{pk}/delete/").status_code == 404
    assert (
        staff_client.post(f"/manage/questions/{pk}/move/", {"direction": "up"}).status_code == 404
    )


@pytest.mark.parametrize("body", ["{", '{"answers": "all"}', '{"answers": {"q": 1e400}}'])
def test_malformed_answers_to_the_api_are_refused_in_json(client, db, body):
    from local4action.accounts.services import api_token_create

    person = MembershipFactory(role="member").user
    _, secret = api_token_create(actor=person, name="test")
    survey = make_survey()
    make_question(survey, key="q", kind="number")
    response = client.put(
        f"/api/v1/surveys/{survey.slug}/response/pages/1",
        body,
        "application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert response.status_code in (400, 422)
    assert response["Content-Type"].startswith("application/json")
    assert not Answer.objects.exists()
