import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from local4action.accounts.tests.factories import MembershipFactory, UserFactory
from local4action.surveys import services
from local4action.surveys.answering import _cookie_name
from local4action.surveys.models import Answer, Page, Response
from local4action.surveys.tests.factories import L, make_question, make_survey, options


@pytest.fixture
def member(db):
    return MembershipFactory(role="member").user


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


@pytest.fixture
def three_pages(db):
    """Page 0: a local SDG plan? Page 1: since when (only if yes). Page 2: a rating."""
    survey = make_survey(introduction=L("Tell us how you localize the SDGs."))
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


def every_kind(survey, page=0):
    """One question of each kind on one page, with the answer a person would post."""
    q = {}
    q["short"] = make_question(survey, page=page, kind="short_text", key="short", required=True)
    q["long"] = make_question(survey, page=page, kind="long_text", key="long")
    q["single"] = make_question(
        survey, page=page, kind="single", key="single", options=options("a", "b"), allow_other=True
    )
    q["multiple"] = make_question(
        survey,
        page=page,
        kind="multiple",
        key="multiple",
        options=options("x", "y", "z"),
        max_choices=2,
    )
    q["ranking"] = make_question(
        survey, page=page, kind="ranking", key="ranking", options=options("r1", "r2", "r3")
    )
    q["scale"] = make_question(
        survey,
        page=page,
        kind="scale",
        key="scale",
        scale_min=1,
        scale_max=5,
        scale_labels={"1": L("Poor"), "5": L("Excellent")},
    )
    q["number"] = make_question(
        survey, page=page, kind="number", key="number", number_min=0, number_max=1000
    )
    q["date"] = make_question(survey, page=page, kind="date", key="date")
    q["country"] = make_question(survey, page=page, kind="country", key="country")
    q["sdg"] = make_question(survey, page=page, kind="sdg", key="sdg")
    q["matrix"] = make_question(
        survey,
        page=page,
        kind="matrix",
        key="matrix",
        scale_min=1,
        scale_max=3,
        rows=options("water", "energy"),
    )
    post = {
        f"q{q['short'].pk}": "Valongo",
        f"q{q['long'].pk}": "Participatory budgeting\nwith young people",
        f"q{q['single'].pk}": "other",
        f"q{q['single'].pk}_other": "Both",
        f"q{q['multiple'].pk}": ["x", "z"],
        f"q{q['ranking'].pk}_rank1": "r3",
        f"q{q['ranking'].pk}_rank2": "r1",
        f"q{q['scale'].pk}": "5",
        f"q{q['number'].pk}": "42.5",
        f"q{q['date'].pk}": "2026-03-01",
        f"q{q['country'].pk}": "PT",
        f"q{q['sdg'].pk}": "11",
        f"q{q['matrix'].pk}_row_water": "3",
        f"q{q['matrix'].pk}_row_energy": "1",
    }
    return q, post


def page_url(survey, number):
    return reverse("surveys:page", args=[survey.slug, number])


def saved(survey, key):
    return Answer.objects.get(response__survey=survey, question__key=key).value


# Every kind ------------------------------------------------------------------------------------


def test_every_kind_of_question_renders_and_saves(member_client):
    survey = make_survey()
    q, post = every_kind(survey)

    page = member_client.get(page_url(survey, 0))
    assert page.status_code == 200
    html = page.content.decode()
    assert f'name="q{q["short"].pk}"' in html and "<textarea" in html
    assert html.count(f'type="radio" name="q{q["single"].pk}"') == 3  # a, b, other
    assert f'name="q{q["single"].pk}_other"' in html
    assert html.count(f'type="checkbox" name="q{q["multiple"].pk}"') == 3
    assert "Choose at most 2 options." in html
    assert f'<select name="q{q["ranking"].pk}_rank3"' in html
    assert "5 — Excellent" in html and "1 — Poor" in html
    assert 'type="number"' in html and 'min="0"' in html and 'max="1000"' in html
    assert 'type="date"' in html
    assert '<option value="PT">Portugal</option>' in html
    assert "11. Sustainable cities and communities" in html
    assert '<th scope="row">water</th>' in html and "<legend>" in html

    response = member_client.post(page_url(survey, 0), {**post, "action": "submit"})
    assert response.status_code == 302
    assert response.url == reverse("surveys:done", args=[survey.slug])
    assert saved(survey, "short") == "Valongo"
    assert saved(survey, "single") == {"choice": "other", "other": "Both"}
    assert saved(survey, "multiple") == ["x", "z"]
    assert saved(survey, "ranking") == ["r3", "r1"]
    assert saved(survey, "scale") == 5
    assert saved(survey, "number") == "42.5"
    assert saved(survey, "date") == "2026-03-01"
    assert saved(survey, "country") == "PT"
    assert saved(survey, "sdg") == 11
    assert saved(survey, "matrix") == {"water": 3, "energy": 1}
    assert Response.objects.get(survey=survey).status == "submitted"

    # What was saved shows again when the person comes back to change it.
    again = member_client.get(page_url(survey, 0)).content.decode()
    assert 'value="Valongo"' in again and 'value="Both"' in again
    assert '<option value="r3" selected>' in again
    assert 'value="3" id="id_q{}_row_water_2" checked'.format(q["matrix"].pk) in again


def test_errors_show_next_to_each_question_and_keep_what_was_typed(member_client):
    survey = make_survey()
    q, post = every_kind(survey)
    post[f"q{q['number'].pk}"] = "5000"
    post[f"q{q['multiple'].pk}"] = ["x", "y", "z"]
    del post[f"q{q['short'].pk}"]

    response = member_client.post(page_url(survey, 0), {**post, "action": "submit"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Enter a number from 0 to 1000." in html
    assert "Choose at most 2 options." in html
    assert "This question needs an answer." in html
    assert f'id="q{q["number"].pk}-error"' in html and 'aria-invalid="true"' in html
    assert 'value="5000"' in html and "Participatory budgeting" in html
    assert 'value="Both"' in html
    assert not Answer.objects.exists()


def test_forged_question_ids_are_ignored(member_client, three_pages):
    survey, plan, since, rating = three_pages
    response = member_client.post(
        page_url(survey, 0),
        {f"q{plan.pk}": "no", f"q{rating.pk}": "1", "q999999": "x", "action": "next"},
    )
    assert response.status_code == 302
    assert list(Answer.objects.values_list("question__key", flat=True)) == ["plan"]


# Conditions and resuming ----------------------------------------------------------------------


def test_a_page_whose_questions_are_all_hidden_is_skipped(member_client, three_pages):
    survey, plan, since, rating = three_pages

    response = member_client.post(page_url(survey, 0), {f"q{plan.pk}": "no", "action": "next"})
    assert response.url == page_url(survey, 2)
    assert member_client.get(page_url(survey, 1)).url == page_url(survey, 2)
    page = member_client.get(page_url(survey, 2))
    assert b'value="submit"' in page.content
    assert page.context["previous"] == 0

    response = member_client.post(page_url(survey, 0), {f"q{plan.pk}": "yes", "action": "next"})
    assert response.url == page_url(survey, 1)


def test_resume_goes_to_the_next_page_to_answer(member_client, three_pages):
    survey, plan, since, rating = three_pages
    detail = reverse("surveys:detail", args=[survey.slug])
    assert b"Tell us how you localize the SDGs." in member_client.get(detail).content
    assert member_client.post(detail).url == page_url(survey, 0)
    member_client.post(page_url(survey, 0), {f"q{plan.pk}": "yes", "action": "next"})
    member_client.post(page_url(survey, 1), {f"q{since.pk}": "2019", "action": "later"})

    page = member_client.get(detail)
    assert page.context["response"].current_page == 2
    assert f'href="{page_url(survey, 2)}"'.encode() in page.content
    assert b"Resume" in page.content


def test_the_confirmation_lists_the_answers_readably(member_client):
    survey = make_survey()
    q, post = every_kind(survey)
    member_client.post(page_url(survey, 0), {**post, "action": "submit"})

    page = member_client.get(reverse("surveys:done", args=[survey.slug]))

    html = page.content.decode()
    for text in (
        "Valongo",
        "Other: Both",
        "<li>x</li>",
        "<li>1. r3</li>",
        "5 — Excellent",
        "42.5",
        "Portugal",
        "11. Sustainable cities and communities",
        "<li>water: 3</li>",
        "Participatory budgeting<br>with young people",
    ):
        assert text in html, text
    assert "Change your answers" in html


def test_the_questions_show_in_the_persons_language(member, member_client, three_pages):
    survey, plan, since, rating = three_pages
    member.language = "fr"
    member.save()
    page = member_client.get(page_url(survey, 0))
    assert "Question plan (fr)" in page.content.decode()


# Refusals --------------------------------------------------------------------------------------


def test_a_closed_survey_says_so_and_takes_no_answer(member_client, three_pages):
    survey, plan, since, rating = three_pages
    survey.opens_at = timezone.now() - datetime.timedelta(days=10)
    survey.closes_at = timezone.now() - datetime.timedelta(days=1)
    survey.save()

    detail = member_client.get(reverse("surveys:detail", args=[survey.slug]))
    assert b"This survey is closed" in detail.content and b"Start" not in detail.content
    response = member_client.post(page_url(survey, 0), {f"q{plan.pk}": "no"}, follow=True)
    assert "This survey is not open." in response.content.decode()
    assert not Response.objects.exists() and not Answer.objects.exists()


def test_outside_the_audience_a_friendly_403_and_unpublished_is_404(member_client, three_pages):
    survey, plan, since, rating = three_pages
    survey.audience = "people"
    survey.save()

    for url in (reverse("surveys:detail", args=[survey.slug]), page_url(survey, 0)):
        response = member_client.get(url)
        assert response.status_code == 403
        assert "Your account is not part of it." in response.content.decode()
    assert member_client.post(page_url(survey, 0), {f"q{plan.pk}": "no"}).status_code == 403
    assert not Response.objects.exists()

    survey.published = False
    survey.save()
    assert member_client.get(reverse("surveys:detail", args=[survey.slug])).status_code == 404


def test_a_member_survey_asks_visitors_to_log_in(client, three_pages):
    survey, plan, since, rating = three_pages
    response = client.get(reverse("surveys:detail", args=[survey.slug]))
    assert response.status_code == 403
    assert b"Log in to answer it." in response.content


def test_a_second_response_is_refused_when_answers_cannot_change(member_client, three_pages):
    survey, plan, since, rating = three_pages
    survey.editable_until_close = False
    survey.save()
    member_client.post(page_url(survey, 0), {f"q{plan.pk}": "no", "action": "next"})
    member_client.post(page_url(survey, 2), {f"q{rating.pk}": "4", "action": "submit"})
    assert Response.objects.get().status == "submitted"

    response = member_client.post(
        page_url(survey, 0), {f"q{plan.pk}": "yes", "action": "next"}, follow=True
    )
    html = response.content.decode()
    assert "You have already answered this survey." in html
    assert "Answers cannot be changed once submitted." in html
    assert saved(survey, "plan") == "no"
    assert member_client.get(reverse("surveys:done", args=[survey.slug])).status_code == 200


def test_submitting_with_a_required_question_missing_goes_back_to_it(member_client, three_pages):
    survey, plan, since, rating = three_pages
    response = member_client.post(page_url(survey, 2), {f"q{rating.pk}": "4", "action": "submit"})
    assert response.url == page_url(survey, 0)
    assert Response.objects.get().status == "in_progress"


# Public surveys ------------------------------------------------------------------------------


def test_a_public_survey_keeps_an_anonymous_visitor_by_a_signed_cookie(client, three_pages):
    survey, plan, since, rating = three_pages
    survey.audience = "public"
    survey.save()
    detail = reverse("surveys:detail", args=[survey.slug])

    assert client.get(page_url(survey, 0)).url == detail  # Start first
    started = client.post(detail)
    cookie = started.cookies[_cookie_name(survey)]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert cookie["max-age"] == 180 * 24 * 3600
    client.post(page_url(survey, 0), {f"q{plan.pk}": "no", "action": "next"})

    response = Response.objects.get()
    assert response.uniqueness_key.startswith("token:") and response.respondent is None
    assert client.get(detail).context["response"] == response

    stranger = type(client)()
    stranger.cookies[_cookie_name(survey)] = "forged-value"
    assert stranger.get(page_url(survey, 0)).url == detail
    stranger.post(detail)
    assert Response.objects.count() == 2


# Query count -----------------------------------------------------------------------------------


def test_the_queries_of_a_page_do_not_grow_with_earlier_answers(member, client):
    client.force_login(member)

    def queries_for(earlier: int) -> int:
        survey = make_survey()
        for n in range(earlier):
            make_question(survey, page=0, kind="short_text", key=f"t{n}")
        q, post = every_kind(survey, page=1)
        response = services.response_start(survey=survey, user=member)
        services.response_save_page(
            response=response,
            page=Page.objects.get(survey=survey, position=0),
            data={question.pk: "text" for question in survey.questions.filter(page__position=0)},
        )
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page_url(survey, 1)).status_code == 200
        return len(queries)

    assert queries_for(1) == queries_for(12)


def test_the_list_shows_open_surveys_for_the_person(member_client, three_pages):
    survey, *_questions = three_pages
    closed = make_survey(
        title=L("Closed one"),
        opens_at=timezone.now() - datetime.timedelta(days=9),
        closes_at=timezone.now() - datetime.timedelta(days=1),
    )
    html = member_client.get(reverse("surveys:list")).content.decode()
    assert survey.label in html and closed.label not in html
    assert reverse("surveys:list") in html  # the main navigation links to it


def test_a_user_outside_every_survey_sees_an_empty_list(client, db):
    client.force_login(UserFactory())
    assert b"There is no survey for you" in client.get(reverse("surveys:list")).content
