"""Every kind of question refuses what does not fit it, with a message the respondent can act
on."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from local4action.surveys.answers import clean_answer, is_visible
from local4action.surveys.tests.factories import make_question, make_survey, options


@pytest.fixture
def survey(db):
    return make_survey()


def refused(question, value, other=""):
    with pytest.raises(ValidationError) as error:
        clean_answer(question, value, other)
    return error.value.messages[0]


def test_texts_are_trimmed_and_limited(survey):
    short = make_question(survey, kind="short_text")
    assert clean_answer(short, "  Dakar  ").value == "Dakar"
    assert clean_answer(short, "   ") is None
    assert "too long" in refused(short, "x" * 501)
    long = make_question(survey, kind="long_text")
    assert clean_answer(long, "y" * 10_000).value == "y" * 10_000


def test_single_choice_accepts_only_its_options_and_other_with_text(survey):
    question = make_question(survey, kind="single", options=options("yes", "no"), allow_other=True)
    assert clean_answer(question, "yes").text == "yes"
    assert refused(question, "maybe") == "Choose one of the options given."
    assert refused(question, "other") == "Say what “other” is."
    assert clean_answer(question, "other", "Partly").value == {"choice": "other", "other": "Partly"}
    closed = make_question(survey, kind="single", options=options("yes", "no"))
    assert refused(closed, "other", "sneaky") == "Choose one of the options given."


def test_multiple_choice_has_a_maximum_and_no_repeats(survey):
    question = make_question(
        survey, kind="multiple", options=options("a", "b", "c", "d"), max_choices=2
    )
    cleaned = clean_answer(question, ["a", "c"])
    assert cleaned.items == [("a", None), ("c", None)]
    assert refused(question, ["a", "b", "c"]) == "Choose at most 2 options."
    assert refused(question, ["a", "a"]) == "Each option can be chosen once."
    assert refused(question, ["a", "z"]) == "Choose one of the options given."


def test_ranking_keeps_the_order(survey):
    question = make_question(survey, kind="ranking", options=options("water", "waste", "jobs"))
    assert clean_answer(question, ["jobs", "water"]).items == [("jobs", 1), ("water", 2)]
    assert refused(question, ["jobs", "jobs"]) == "Rank each option at most once."
    assert refused(question, ["roads"]) == "Rank each option at most once."


@pytest.mark.parametrize("value", ["0", "6", "2.5", "five", -1])
def test_scale_refuses_values_outside_or_between_its_steps(survey, value):
    question = make_question(survey, kind="scale", scale_min=1, scale_max=5)
    assert refused(question, value) == "Choose a value from 1 to 5."


def test_scale_accepts_its_ends(survey):
    question = make_question(survey, kind="scale", scale_min=1, scale_max=5)
    assert clean_answer(question, "1").number == 1
    assert clean_answer(question, 5).value == 5


def test_number_respects_bounds_and_decimal_commas(survey):
    question = make_question(
        survey, kind="number", number_min=Decimal("0"), number_max=Decimal("100")
    )
    assert clean_answer(question, "12,5").number == Decimal("12.5")
    assert refused(question, "101") == "Enter a number from 0 to 100."
    assert refused(question, "-1") == "Enter a number from 0 to 100."
    assert refused(question, "a lot") == "Enter a number."
    assert refused(question, "NaN") == "Enter a number."


def test_date_country_and_sdg(survey):
    date = make_question(survey, kind="date")
    assert clean_answer(date, "2026-05-31").value == "2026-05-31"
    assert clean_answer(date, datetime.date(2026, 1, 2)).value == "2026-01-02"
    assert refused(date, "31/05/2026") == "Enter a date (YYYY-MM-DD)."
    country = make_question(survey, kind="country")
    assert clean_answer(country, "sn").value == "SN"
    assert refused(country, "XX") == "Choose a country from the list."
    sdg = make_question(survey, kind="sdg")
    assert clean_answer(sdg, "11").value == 11
    assert refused(sdg, "18") == "Choose one of the 17 goals."


def test_matrix_scores_known_rows_within_the_scale(survey):
    question = make_question(
        survey, kind="matrix", scale_min=1, scale_max=4, rows=options("water", "transport")
    )
    assert clean_answer(question, {"water": "3", "transport": ""}).items == [("water", 3)]
    assert refused(question, {"water": "9"}) == "Choose a value from 1 to 4."
    assert refused(question, {"housing": "2"}) == "This grid has no such row."
    assert refused(question, ["water"]) == "Answer the grid row by row."


def test_conditions_show_a_question_only_for_matching_answers(survey):
    first = make_question(survey, kind="single", options=options("yes", "no"))
    follow_up = make_question(survey, condition_question=first, condition_values=["yes"])
    assert not is_visible(follow_up, {})
    assert not is_visible(follow_up, {first.pk: "no"})
    assert is_visible(follow_up, {first.pk: "yes"})
    assert is_visible(follow_up, {first.pk: {"choice": "yes", "other": ""}})


@pytest.mark.parametrize("value", ["Infinity", "sNaN", "-inf", "1e999999999", "1e20"])
def test_numbers_that_cannot_be_stored_are_refused(survey, value):
    number = make_question(survey, kind="number")
    scale = make_question(survey, kind="scale", scale_min=1, scale_max=5)
    sdg = make_question(survey, kind="sdg")
    assert refused(number, value) == "Enter a number."
    assert refused(scale, value) == "Choose a value from 1 to 5."
    assert refused(sdg, value) == "Choose one of the 17 goals."
