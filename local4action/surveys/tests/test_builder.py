"""Building surveys: the services' rules (each refusal leaves nothing behind) and the staff pages,
with reordering by buttons (no JavaScript) and by the JSON endpoint (drag and drop)."""

import datetime
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from local4action.accounts.tests.factories import MembershipFactory
from local4action.core.models import AuditEvent
from local4action.surveys import services
from local4action.surveys.models import Answer, Page, Question, Response, Survey
from local4action.surveys.tests.factories import L, make_question, make_survey, options


def survey_data(**changes):
    now = timezone.now()
    return {
        "title": L("Local finance consultation"),
        "introduction": {"en": "Tell us."},
        "languages": ["en", "fr", "es"],
        "audience": "members",
        "opens_at": now,
        "closes_at": now + datetime.timedelta(days=14),
        **changes,
    }


@pytest.fixture
def draft(secretariat):
    survey = services.survey_create(actor=secretariat, data=survey_data())
    services.page_add(actor=secretariat, survey=survey)
    return survey


def first_page(survey):
    return survey.pages.order_by("position").first()


def keys(page):
    return list(page.questions.order_by("position").values_list("key", flat=True))


def answer(question):
    response = Response.objects.create(
        survey=question.survey, uniqueness_key=f"user:{Response.objects.count() + 1}"
    )
    return Answer.objects.create(response=response, question=question, value="yes")


# --- Surveys ---------------------------------------------------------------------------------


def test_the_secretariat_creates_a_draft_survey_with_a_web_address_from_its_title(secretariat):
    survey = services.survey_create(actor=secretariat, data=survey_data())
    again = services.survey_create(actor=secretariat, data=survey_data())
    assert survey.slug == "local-finance-consultation"
    assert again.slug == "local-finance-consultation-2"
    assert not survey.published and survey.created_by == secretariat
    assert AuditEvent.objects.filter(action="survey.create", object_id=str(survey.pk)).exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"closes_at": timezone.now() - datetime.timedelta(days=1)},
            "closes_at",
            "The survey must close after it opens.",
        ),
        (
            {"audience": "public", "one_per": "organization"},
            "one_per",
            "A survey open to anyone with the link counts one answer per person, not per "
            "organization.",
        ),
        ({"languages": []}, "languages", "Choose at least one language."),
        ({"title": {"en": "  "}}, "title", "Give the survey a title."),
        ({"audience": "kinds"}, "audience_kinds", "Choose at least one kind of organization."),
        ({"audience": "sections"}, "audience_sections", "Choose at least one regional section."),
        ({"audience": "people"}, "audience_people", "Choose at least one person."),
    ],
)
def test_a_survey_that_breaks_a_rule_is_refused_with_its_reason(
    secretariat, changes, field, message
):
    with pytest.raises(ValidationError) as error:
        services.survey_create(actor=secretariat, data=survey_data(**changes))
    assert message in error.value.message_dict[field]
    assert not Survey.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="survey.").exists()


def test_only_the_secretariat_creates_surveys(user):
    with pytest.raises(PermissionDenied):
        services.survey_create(actor=user, data=survey_data())
    assert not Survey.objects.exists()


def test_an_update_keeps_the_rules_and_locks_anonymity_once_answered(secretariat, draft):
    services.survey_update(actor=secretariat, survey=draft, data={"results_public": True})
    draft.refresh_from_db()
    assert draft.results_public
    Response.objects.create(survey=draft, uniqueness_key="user:1")
    with pytest.raises(ValidationError):
        services.survey_update(actor=secretariat, survey=draft, data={"anonymous": True})
    with pytest.raises(ValidationError) as error:
        services.survey_update(actor=secretariat, survey=draft, data={"closes_at": draft.opens_at})
    assert "The survey must close after it opens." in error.value.messages
    draft.refresh_from_db()
    assert not draft.anonymous and draft.closes_at > draft.opens_at


def test_publishing_needs_a_question(secretariat, draft):
    with pytest.raises(ValidationError) as error:
        services.survey_publish(actor=secretariat, survey=draft)
    assert error.value.messages == ["Add at least one question before publishing the survey."]
    draft.refresh_from_db()
    assert not draft.published
    services.question_add(
        actor=secretariat,
        survey=draft,
        page=first_page(draft),
        data={"kind": "short_text", "text": L("Your city")},
    )
    services.survey_publish(actor=secretariat, survey=draft)
    draft.refresh_from_db()
    assert draft.published
    assert AuditEvent.objects.filter(action="survey.publish").count() == 1


# --- Questions -------------------------------------------------------------------------------


def test_a_question_gets_a_key_from_its_text_unique_in_the_survey(secretariat, draft):
    page = first_page(draft)
    data = {"kind": "long_text", "text": L("What worked well?")}
    first = services.question_add(actor=secretariat, survey=draft, page=page, data=dict(data))
    second = services.question_add(actor=secretariat, survey=draft, page=page, data=dict(data))
    assert (first.key, second.key) == ("what_worked_well", "what_worked_well_2")
    assert (first.position, second.position) == (0, 1)
    assert AuditEvent.objects.filter(action="survey.question_add").count() == 2


CHOICES = {"kind": "single", "text": L("Plan?"), "options": options("yes", "no")}


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({**CHOICES, "options": options("yes")}, "options", "Give at least two options."),
        (
            {**CHOICES, "options": options("yes", "yes", "no")},
            "options",
            "Each option needs its own value; repeated: yes.",
        ),
        (
            {"kind": "scale", "text": L("Rate"), "scale_min": 5, "scale_max": 5},
            "scale_max",
            "The highest value of the scale must be above the lowest.",
        ),
        (
            {"kind": "scale", "text": L("Rate"), "scale_min": 0, "scale_max": 11},
            "scale_max",
            "A scale has at most 11 steps.",
        ),
        (
            {"kind": "number", "text": L("Staff"), "number_min": 10, "number_max": 1},
            "number_max",
            "The highest number allowed must not be below the lowest.",
        ),
        (
            {"kind": "matrix", "text": L("Grid"), "scale_min": 1, "scale_max": 5},
            "rows",
            "A grid needs at least one row.",
        ),
        (
            {"kind": "matrix", "text": L("Grid"), "rows": options("a", "b")},
            "scale_min",
            "Give the lowest and highest values of the scale as whole numbers.",
        ),
        ({"kind": "short_text", "text": {}}, "text", "Write the question."),
        (
            {"kind": "short_text", "text": L("City"), "key": "my key!"},
            "key",
            "A key uses only letters, digits, hyphens and underscores (at most 60).",
        ),
        (
            {"kind": "short_text", "text": L("City"), "key": "plan"},
            "key",
            "Another question of this survey already uses the key “plan”.",
        ),
    ],
)
def test_a_question_that_cannot_be_answered_is_refused(secretariat, draft, data, field, message):
    make_question(draft, kind="single", key="plan", options=options("yes", "no"))
    before = Question.objects.count()
    with pytest.raises(ValidationError) as error:
        services.question_add(
            actor=secretariat, survey=draft, page=first_page(draft), data=dict(data)
        )
    assert message in error.value.message_dict[field]
    assert Question.objects.count() == before
    assert not AuditEvent.objects.filter(action="survey.question_add").exists()


@pytest.fixture
def with_condition_sources(secretariat, draft):
    plan = make_question(draft, page=0, kind="single", key="plan", options=options("yes", "no"))
    city = make_question(draft, page=0, kind="short_text", key="city")
    later = make_question(draft, page=1, kind="single", key="later", options=options("a", "b"))
    return plan, city, later


@pytest.mark.parametrize(
    ("source", "values", "field", "message"),
    [
        (
            "city",
            ["x"],
            "condition_question",
            "A condition can only depend on an earlier single- or multiple-choice question of "
            "the same survey.",
        ),
        (
            "later",
            ["a"],
            "condition_question",
            "A condition can only depend on an earlier single- or multiple-choice question of "
            "the same survey.",
        ),
        (
            "plan",
            ["maybe"],
            "condition_values",
            "The answers that show this question must be among the options of plan.",
        ),
        ("plan", [], "condition_values", "Choose the answers that show this question."),
    ],
)
def test_a_condition_points_to_an_earlier_choice_question_and_its_options(
    secretariat, draft, with_condition_sources, source, values, field, message
):
    before = Question.objects.count()
    with pytest.raises(ValidationError) as error:
        services.question_add(
            actor=secretariat,
            survey=draft,
            page=first_page(draft),
            data={
                "kind": "number",
                "text": L("Since when?"),
                "condition_question": Question.objects.get(survey=draft, key=source),
                "condition_values": values,
            },
        )
    assert message in error.value.message_dict[field]
    assert Question.objects.count() == before


def test_a_condition_on_another_surveys_question_is_refused(secretariat, draft):
    other = make_question(make_survey(), kind="single", key="x", options=options("a", "b"))
    with pytest.raises(ValidationError):
        services.question_add(
            actor=secretariat,
            survey=draft,
            page=first_page(draft),
            data={
                "kind": "short_text",
                "text": L("Why?"),
                "condition_question": other,
                "condition_values": ["a"],
            },
        )
    assert not draft.questions.exists()


def test_a_valid_condition_is_kept(secretariat, draft, with_condition_sources):
    plan, _city, _later = with_condition_sources
    since = services.question_add(
        actor=secretariat,
        survey=draft,
        page=first_page(draft),
        data={
            "kind": "number",
            "text": L("Since when?"),
            "condition_question": plan,
            "condition_values": ["yes"],
        },
    )
    assert since.condition_question == plan and since.condition_values == ["yes"]


@pytest.fixture
def two_pages(draft):
    for key in ("a", "b", "c"):
        make_question(draft, page=0, key=key)
    make_question(draft, page=1, key="d")
    return Page.objects.get(survey=draft, position=0), Page.objects.get(survey=draft, position=1)


def test_questions_move_within_and_between_pages_and_are_renumbered(secretariat, two_pages):
    first, second = two_pages
    c = Question.objects.get(key="c", survey=first.survey)
    services.question_move(actor=secretariat, question=c, position=0)
    assert keys(first) == ["c", "a", "b"]
    a = Question.objects.get(key="a", survey=first.survey)
    services.question_move(actor=secretariat, question=a, page=second, position=0)
    assert keys(first) == ["c", "b"] and keys(second) == ["a", "d"]
    positions = list(first.questions.order_by("position").values_list("position", flat=True))
    assert positions == [0, 1]
    assert AuditEvent.objects.filter(action="survey.question_move").count() == 2


def test_a_question_cannot_move_before_the_question_it_depends_on(secretariat, draft):
    plan = make_question(draft, kind="single", key="plan", options=options("yes", "no"))
    since = make_question(
        draft, kind="number", key="since", condition_question=plan, condition_values=["yes"]
    )
    with pytest.raises(ValidationError):
        services.question_move(actor=secretariat, question=since, position=0)
    assert keys(first_page(draft)) == ["plan", "since"]


def test_only_the_secretariat_moves_questions(user, two_pages):
    first, _second = two_pages
    with pytest.raises(PermissionDenied):
        services.question_move(
            actor=user, question=Question.objects.get(key="c", survey=first.survey), position=0
        )
    assert keys(first) == ["a", "b", "c"]


def test_an_answered_question_cannot_be_deleted(secretariat, draft):
    question = make_question(draft, key="city")
    answer(question)
    with pytest.raises(ValidationError) as error:
        services.question_delete(actor=secretariat, question=question)
    assert error.value.messages == ["This question already has answers: it cannot be deleted."]
    assert Question.objects.filter(pk=question.pk).exists()


def test_a_question_others_depend_on_is_kept(secretariat, draft):
    plan = make_question(draft, kind="single", key="plan", options=options("yes", "no"))
    make_question(draft, key="why", condition_question=plan, condition_values=["yes"])
    with pytest.raises(ValidationError):
        services.question_delete(actor=secretariat, question=plan)
    assert Question.objects.filter(pk=plan.pk).exists()


def test_deleting_a_question_renumbers_its_page(secretariat, two_pages):
    first, _second = two_pages
    services.question_delete(
        actor=secretariat, question=Question.objects.get(key="a", survey=first.survey)
    )
    assert list(first.questions.order_by("position").values_list("key", "position")) == [
        ("b", 0),
        ("c", 1),
    ]
    assert AuditEvent.objects.filter(action="survey.question_delete").exists()


def test_wording_changes_on_an_answered_question_but_not_its_kind(secretariat, draft):
    question = make_question(draft, kind="single", key="plan", options=options("yes", "no"))
    answer(question)
    services.question_update(actor=secretariat, question=question, data={"text": L("Plan now?")})
    with pytest.raises(ValidationError):
        services.question_update(actor=secretariat, question=question, data={"kind": "multiple"})
    question.refresh_from_db()
    assert question.text["en"] == "Plan now?" and question.kind == "single"


# --- Pages -----------------------------------------------------------------------------------


@pytest.fixture
def staff_client(client, secretariat):
    client.force_login(secretariat)
    return client


@pytest.fixture
def member_client(client, db):
    client.force_login(MembershipFactory(role="admin").user)
    return client


def test_builder_pages_are_for_the_secretariat_only(member_client, two_pages):
    survey = two_pages[0].survey
    question = survey.questions.first()
    for url in (
        reverse("surveys:manage"),
        reverse("surveys:create"),
        reverse("surveys:event_feedback"),
        reverse("surveys:structure", args=[survey.slug]),
        reverse("surveys:edit", args=[survey.slug]),
        reverse("surveys:question_edit", args=[question.pk]),
    ):
        assert member_client.get(url).status_code == 403, url
    for url in (
        reverse("surveys:publish", args=[survey.slug]),
        reverse("surveys:question_delete", args=[question.pk]),
        reverse("surveys:question_move", args=[question.pk]),
    ):
        assert member_client.post(url, {"direction": "down"}).status_code == 403, url
    refused = member_client.post(
        reverse("surveys:reorder", args=[survey.slug]),
        json.dumps({"question": question.pk, "position": 2}),
        content_type="application/json",
    )
    assert refused.status_code == 403
    survey.refresh_from_db()
    assert not survey.published and keys(two_pages[0]) == ["a", "b", "c"]


def test_anonymous_visitors_are_sent_to_log_in(client, draft):
    response = client.get(reverse("surveys:manage"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_staff_list_shows_surveys_and_the_template_button(staff_client, draft):
    page = staff_client.get(reverse("surveys:manage")).content.decode()
    assert "Local finance consultation" in page
    assert reverse("surveys:event_feedback") in page


def test_a_survey_is_created_from_the_form(staff_client):
    response = staff_client.post(
        reverse("surveys:create"),
        {
            "title_en": "Culture and cities",
            "title_fr": "Culture et villes",
            "languages": ["en", "fr"],
            "audience": "members",
            "one_per": "person",
            "opens_at": "2030-01-01T09:00",
            "closes_at": "2030-02-01T09:00",
            "editable_until_close": "on",
        },
    )
    survey = Survey.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("surveys:structure", args=[survey.slug])
    assert survey.title == {"en": "Culture and cities", "fr": "Culture et villes"}
    assert survey.pages.count() == 1


def test_the_form_shows_the_services_reason(staff_client):
    response = staff_client.post(
        reverse("surveys:create"),
        {
            "title_en": "Culture",
            "languages": ["en"],
            "audience": "public",
            "one_per": "organization",
            "opens_at": "2030-02-01T09:00",
            "closes_at": "2030-01-01T09:00",
        },
    )
    assert response.status_code == 200
    assert "The survey must close after it opens." in response.content.decode()
    assert not Survey.objects.exists()


def test_the_structure_page_works_without_javascript(staff_client, two_pages):
    survey = two_pages[0].survey
    page = staff_client.get(reverse("surveys:structure", args=[survey.slug])).content.decode()
    assert page.count('value="up"') == 4 and page.count('value="down"') == 4
    assert "js/sortable.js" in page
    assert reverse("surveys:reorder", args=[survey.slug]) in page


def test_a_choice_question_is_added_with_options_one_a_line(staff_client, draft):
    url = reverse("surveys:question_add", args=[draft.slug]) + "?kind=multiple"
    assert staff_client.get(url).status_code == 200
    response = staff_client.post(
        url,
        {
            "kind": "multiple",
            "page": first_page(draft).pk,
            "text_en": "Which areas?",
            "options": "finance|Local finance|Finances locales\nCulture\n",
            "max_choices": "2",
        },
    )
    assert response.status_code == 302
    question = Question.objects.get(survey=draft)
    assert question.key == "which_areas" and question.max_choices == 2
    assert question.options == [
        {"value": "finance", "label": {"en": "Local finance", "fr": "Finances locales"}},
        {"value": "culture", "label": {"en": "Culture"}},
    ]


def test_a_refused_question_shows_why_on_the_form(staff_client, draft):
    response = staff_client.post(
        reverse("surveys:question_add", args=[draft.slug]) + "?kind=scale",
        {
            "kind": "scale",
            "page": first_page(draft).pk,
            "text_en": "Rate",
            "scale_min": "1",
            "scale_max": "20",
        },
    )
    assert response.status_code == 200
    assert "A scale has at most 11 steps." in response.content.decode()
    assert not Question.objects.exists()


def test_move_up_and_down_buttons_reorder_and_cross_pages(staff_client, two_pages):
    first, second = two_pages
    survey = first.survey

    def move(key, direction):
        question = Question.objects.get(survey=survey, key=key)
        return staff_client.post(
            reverse("surveys:question_move", args=[question.pk]), {"direction": direction}
        )

    response = move("b", "up")
    b = Question.objects.get(survey=survey, key="b")
    assert response.status_code == 302 and response["Location"].endswith(f"#question-{b.pk}")
    assert keys(first) == ["b", "a", "c"]
    move("b", "down")
    assert keys(first) == ["a", "b", "c"]
    move("c", "down")  # from the end of page 1 to the start of page 2
    assert keys(first) == ["a", "b"] and keys(second) == ["c", "d"]
    move("c", "up")  # and back to the end of page 1
    assert keys(first) == ["a", "b", "c"] and keys(second) == ["d"]
    move("a", "up")  # already first: nothing changes
    assert keys(first) == ["a", "b", "c"]


def test_the_json_endpoint_reorders_after_a_drop(staff_client, two_pages):
    first, second = two_pages
    survey = first.survey
    a = Question.objects.get(survey=survey, key="a")
    response = staff_client.post(
        reverse("surveys:reorder", args=[survey.slug]),
        json.dumps({"question": a.pk, "page": second.pk, "position": 1}),
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["ok"]
    assert keys(first) == ["b", "c"] and keys(second) == ["d", "a"]
    assert response.json()["order"][str(second.pk)] == [
        Question.objects.get(survey=survey, key=k).pk for k in ("d", "a")
    ]


def test_the_json_endpoint_refuses_what_it_cannot_read(staff_client, two_pages):
    survey = two_pages[0].survey
    response = staff_client.post(
        reverse("surveys:reorder", args=[survey.slug]),
        "not json",
        content_type="application/json",
    )
    assert response.status_code == 400 and not response.json()["ok"]
    assert keys(two_pages[0]) == ["a", "b", "c"]


def test_the_json_endpoint_checks_the_csrf_token(client, secretariat, two_pages):
    from django.test import Client

    checked = Client(enforce_csrf_checks=True)
    checked.force_login(secretariat)
    survey = two_pages[0].survey
    response = checked.post(
        reverse("surveys:reorder", args=[survey.slug]),
        json.dumps({"question": survey.questions.first().pk, "position": 2}),
        content_type="application/json",
    )
    assert response.status_code == 403


def test_deleting_an_answered_question_from_the_page_is_refused(staff_client, draft):
    question = make_question(draft, key="city")
    answer(question)
    response = staff_client.post(
        reverse("surveys:question_delete", args=[question.pk]), follow=True
    )
    assert "This question already has answers: it cannot be deleted." in response.content.decode()
    assert Question.objects.filter(pk=question.pk).exists()


def test_the_wording_is_edited_from_its_page(staff_client, draft):
    question = make_question(draft, key="city")
    answer(question)
    response = staff_client.post(
        reverse("surveys:question_edit", args=[question.pk]),
        {"text_en": "Your city or region", "required": "on"},
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.text == {"en": "Your city or region"} and question.required


def test_the_publish_button_needs_questions(staff_client, draft):
    response = staff_client.post(reverse("surveys:publish", args=[draft.slug]), follow=True)
    assert "Add at least one question before publishing the survey." in response.content.decode()
    draft.refresh_from_db()
    assert not draft.published
    make_question(draft, key="city")
    staff_client.post(reverse("surveys:publish", args=[draft.slug]))
    draft.refresh_from_db()
    assert draft.published
