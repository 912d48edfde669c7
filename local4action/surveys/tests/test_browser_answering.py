"""A member answers a three-page survey in a real Chromium, leaves half-way, comes back in a
new visit, finishes and reads the copy of their answers; every kind of question passes axe."""

import io

import openpyxl
import pytest

from local4action.accounts.tests.factories import MembershipFactory, UserFactory
from local4action.core.testing import axe_violations, log_in
from local4action.surveys.models import Response
from local4action.surveys.tests.factories import L, make_question, make_survey, options
from local4action.surveys.tests.test_answering import every_kind

pytestmark = pytest.mark.browser


def test_answer_leave_come_back_and_finish(new_page, reference_data):
    member = MembershipFactory(role="member").user
    survey = make_survey(
        slug="sdg-plans", title=L("Local SDG plans"), introduction=L("Five minutes, three pages.")
    )
    plan = make_question(
        survey, page=0, kind="single", key="plan", required=True, options=options("yes", "no")
    )
    plan.text = L("Does your city have a local SDG plan?")
    plan.save()
    since = make_question(
        survey,
        page=1,
        kind="number",
        key="since",
        required=True,
        number_min=1990,
        number_max=2030,
        condition_question=plan,
        condition_values=["yes"],
    )
    since.text = L("Since which year?")
    since.save()
    rating = make_question(
        survey,
        page=2,
        kind="scale",
        key="rating",
        required=True,
        scale_min=1,
        scale_max=5,
        scale_labels={"1": L("Poor"), "5": L("Excellent")},
    )
    rating.text = L("How well is it known locally?")
    rating.save()

    # First visit: pages 1 and 2, then the person leaves.
    page = log_in(new_page, member)
    page.get_by_role("link", name="Surveys", exact=True).click()
    page.get_by_role("link", name="Local SDG plans").click()
    page.get_by_text("Five minutes, three pages.").wait_for()
    page.get_by_role("button", name="Start").click()
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_text("This question needs an answer.").wait_for()
    page.get_by_role("group", name="Does your city have a local SDG plan?").get_by_label(
        "yes"
    ).check()
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_label("Since which year?").fill("2019")
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_text("Page 3 of 3").wait_for()
    page.context.close()

    # A new visit, another session: the survey resumes on the third page.
    page = log_in(new_page, member)
    page.goto("/surveys/sdg-plans/")
    page.get_by_role("link", name="Resume").click()
    page.get_by_text("Page 3 of 3").wait_for()
    page.get_by_role("link", name="Back").click()
    assert page.get_by_label("Since which year?").input_value() == "2019"
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_label("5 — Excellent").check()
    page.get_by_role("button", name="Submit").click()

    page.get_by_role("heading", name="Your answers").wait_for()
    main = page.locator("main")
    for text in ("Since which year?", "2019", "5 — Excellent", "yes"):
        assert main.get_by_text(text, exact=True).count() >= 1, text
    assert Response.objects.get(survey=survey).status == "submitted"
    assert axe_violations(page) == []

    # The organizer sees the answer in the results chart and in the XLSX export.
    office = log_in(new_page, UserFactory(roles={"secretariat"}))
    office.goto("/surveys/sdg-plans/results/")
    office.wait_for_function(
        "() => [...document.querySelectorAll('figure.chart canvas')]"
        ".some(c => window.Chart && Chart.getChart(c))"
    )
    assert "How well is it known locally?" in office.locator("main").inner_text()
    download = office.request.get("/surveys/sdg-plans/export.xlsx")
    assert download.ok
    sheet = openpyxl.load_workbook(io.BytesIO(download.body()), read_only=True).active
    header, row = [list(r) for r in sheet.iter_rows(min_row=1, max_row=2, values_only=True)]
    answers = dict(zip(header, row, strict=True))
    assert (answers["plan"], str(answers["since"]), str(answers["rating"])) == ("yes", "2019", "5")


def test_every_kind_of_question_is_accessible(new_page, reference_data):
    member = MembershipFactory(role="member").user
    survey = make_survey(slug="all-kinds")
    every_kind(survey)

    page = log_in(new_page, member)
    page.goto("/surveys/all-kinds/")
    page.get_by_role("button", name="Start").click()
    page.get_by_role("button", name="Submit").wait_for()
    assert axe_violations(page) == []

    # With errors shown next to the questions, still accessible.
    page.get_by_role("button", name="Submit").click()
    page.get_by_text("This question needs an answer.").wait_for()
    assert axe_violations(page) == []
