import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from local4action.accounts.tests.factories import MembershipFactory, UserFactory
from local4action.surveys import services
from local4action.surveys.models import Answer, Page, Question, Response
from local4action.surveys.tests.factories import make_question, make_survey, options


@pytest.fixture
def member(db):
    return MembershipFactory(role="member").user


@pytest.fixture
def three_pages(db):
    """Page 1: do you have a local SDG plan? Page 2: since when (only if yes). Page 3: a
    scale."""
    survey = make_survey()
    plan = make_question(
        survey, page=0, kind="single", key="plan", required=True, options=options("yes", "no")
    )
    since = make_question(
        survey,
        page=1,
        kind="number",
        key="since",
        required=True,
        condition_question=plan,
        condition_values=["yes"],
    )
    rating = make_question(
        survey, page=2, kind="scale", key="rating", scale_min=1, scale_max=5, required=True
    )
    return survey, plan, since, rating


def page(survey, position):
    return Page.objects.get(survey=survey, position=position)


def test_a_response_is_saved_page_by_page_and_resumed(three_pages, member):
    survey, plan, since, rating = three_pages
    response = services.response_start(survey=survey, user=member)
    services.response_save_page(response=response, page=page(survey, 0), data={plan.pk: "yes"})
    services.response_save_page(response=response, page=page(survey, 1), data={since.pk: "2019"})
    again = services.response_start(survey=survey, user=member)
    assert again.pk == response.pk and again.current_page == 2
    services.response_save_page(response=again, page=page(survey, 2), data={rating.pk: "4"})
    services.response_submit(response=again)
    again.refresh_from_db()
    assert again.status == "submitted"
    assert Answer.objects.filter(response=again).count() == 3


def test_a_hidden_question_is_not_required_and_its_answer_is_cleared(three_pages, member):
    survey, plan, since, rating = three_pages
    response = services.response_start(survey=survey, user=member)
    services.response_save_page(response=response, page=page(survey, 0), data={plan.pk: "yes"})
    services.response_save_page(response=response, page=page(survey, 1), data={since.pk: "2019"})
    services.response_save_page(response=response, page=page(survey, 0), data={plan.pk: "no"})
    services.response_save_page(response=response, page=page(survey, 1), data={since.pk: "2020"})
    assert not Answer.objects.filter(question=since).exists()
    services.response_save_page(response=response, page=page(survey, 2), data={rating.pk: "2"})
    assert services.response_submit(response=response).status == "submitted"


def test_a_bad_page_saves_nothing_and_names_each_problem(three_pages, member):
    survey, plan, since, rating = three_pages
    response = services.response_start(survey=survey, user=member)
    with pytest.raises(ValidationError) as error:
        services.response_save_page(
            response=response, page=page(survey, 0), data={plan.pk: "perhaps"}
        )
    assert error.value.message_dict == {"plan": ["Choose one of the options given."]}
    with pytest.raises(ValidationError) as error:
        services.response_save_page(response=response, page=page(survey, 0), data={})
    assert error.value.message_dict == {"plan": ["This question needs an answer."]}
    assert not Answer.objects.exists()


def test_a_forged_question_id_is_refused(three_pages, member):
    survey, plan, since, rating = three_pages
    other = make_question(make_survey(), kind="short_text")
    response = services.response_start(survey=survey, user=member)
    with pytest.raises(ValidationError):
        services.response_save_page(
            response=response, page=page(survey, 0), data={plan.pk: "yes", rating.pk: "5"}
        )
    with pytest.raises(ValidationError):
        services.response_save_page(
            response=response, page=page(survey, 0), data={other.pk: "hello"}
        )
    with pytest.raises(PermissionDenied):
        services.response_save_page(response=response, page=other.page, data={})
    assert not Answer.objects.exists()


def test_submitting_with_a_required_question_skipped_is_refused(three_pages, member):
    survey, plan, since, rating = three_pages
    response = services.response_start(survey=survey, user=member)
    services.response_save_page(response=response, page=page(survey, 0), data={plan.pk: "no"})
    with pytest.raises(ValidationError) as error:
        services.response_submit(response=response)
    assert "Question rating" in error.value.messages[0]
    response.refresh_from_db()
    assert response.status == "in_progress"


def test_one_response_per_person_or_per_organization(db):
    membership = MembershipFactory(role="member")
    colleague = MembershipFactory(organization=membership.organization, role="member").user
    per_org = make_survey(one_per="organization", editable_until_close=False)
    make_question(per_org, kind="short_text")
    first = services.response_start(survey=per_org, user=membership.user)
    assert services.response_start(survey=per_org, user=colleague).pk == first.pk
    services.response_submit(response=first)
    with pytest.raises(ValidationError) as error:
        services.response_start(survey=per_org, user=colleague)
    assert error.value.messages == ["You have already answered this survey."]
    assert Response.objects.count() == 1


def test_answers_after_closing_or_outside_the_audience_are_refused(three_pages, member):
    survey, plan, since, rating = three_pages
    response = services.response_start(survey=survey, user=member)
    later = timezone.now() + datetime.timedelta(days=31)
    with pytest.raises(ValidationError):
        services.response_save_page(
            response=response, page=page(survey, 0), data={plan.pk: "yes"}, now=later
        )
    with pytest.raises(ValidationError):
        services.response_start(survey=survey, user=UserFactory(), now=later)
    with pytest.raises(PermissionDenied):
        services.response_start(survey=survey, user=UserFactory())  # not a member
    assert not Answer.objects.exists()


def test_public_surveys_take_anonymous_visitors_by_token(db):
    survey = make_survey(audience="public", anonymous=True)
    make_question(survey)
    token = "8e8e7a4e-54d4-4a39-9d4c-3b6f1c7b5a11"
    first = services.response_start(survey=survey, token=token)
    assert services.response_start(survey=survey, token=token).pk == first.pk
    assert first.respondent is None


def test_anonymous_member_surveys_do_not_keep_who_answered(db, member):
    survey = make_survey(anonymous=True)
    make_question(survey)
    response = services.response_start(survey=survey, user=member)
    assert response.respondent is None
    assert response.organization_kind == "local_government"


def test_a_question_with_answers_keeps_its_kind_and_options(three_pages, member, secretariat):
    survey, plan, since, rating = three_pages
    response = services.response_start(survey=survey, user=member)
    services.response_save_page(response=response, page=page(survey, 0), data={plan.pk: "yes"})
    with pytest.raises(ValidationError):
        services.question_update(actor=secretariat, question=plan, data={"kind": "multiple"})
    with pytest.raises(ValidationError):
        services.question_update(actor=secretariat, question=plan, data={"options": options("yes")})
    services.question_update(
        actor=secretariat, question=plan, data={"options": options("yes", "no", "in preparation")}
    )
    services.question_update(
        actor=secretariat,
        question=plan,
        data={"text": {"en": "Does your city have a local SDG plan?"}},
    )
    plan.refresh_from_db()
    assert plan.kind == "single" and len(plan.options) == 3
    with pytest.raises(PermissionDenied):
        services.question_update(actor=member, question=plan, data={"text": {"en": "x"}})
    assert Question.objects.get(pk=plan.pk).label == "Does your city have a local SDG plan?"


def test_anonymous_responses_are_unique_without_naming_the_respondent(db, member):
    survey = make_survey(anonymous=True)
    make_question(survey)
    response = services.response_start(survey=survey, user=member)
    assert response.uniqueness_key.startswith("h:") and response.respondent is None
    assert f"user:{member.pk}" not in response.uniqueness_key
    assert services.response_start(survey=survey, user=member).pk == response.pk


def test_rewording_keeps_the_rules_of_a_question(three_pages, secretariat):
    survey, plan, since, rating = three_pages
    with pytest.raises(ValidationError):
        services.question_update(actor=secretariat, question=plan, data={"options": options("yes")})
    with pytest.raises(ValidationError):
        services.question_update(
            actor=secretariat, question=rating, data={"scale_min": 1, "scale_max": 40}
        )
    plan.refresh_from_db()
    rating.refresh_from_db()
    assert len(plan.options) == 2 and rating.scale_max == 5
