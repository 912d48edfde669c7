"""The results page in a real Chromium: Chart.js draws a chart beside each question's table,
and axe finds no serious accessibility problem."""

import re

import pytest

from local4action.accounts.tests.factories import PASSWORD, UserFactory
from local4action.core.testing import axe_violations
from local4action.surveys.tests.factories import make_question, make_survey, options
from local4action.surveys.tests.test_results import submit

pytestmark = pytest.mark.browser


def test_the_organizer_sees_the_charts_of_the_results(new_page, reference_data):
    survey = make_survey(slug="local-plans")
    plan = make_question(survey, kind="single", key="plan", options=options("yes", "no"))
    rating = make_question(survey, kind="scale", key="rating", scale_min=1, scale_max=5)
    comment = make_question(survey, kind="short_text", key="comment")
    for i in range(6):
        submit(survey, {plan: "yes" if i % 3 else "no", rating: 1 + i % 5, comment: f"Idea {i}"})
    staff = UserFactory(roles={"secretariat"})

    page = new_page(reduced_motion="reduce")
    page.goto("/account/login/")
    page.locator("#id_login").fill(staff.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/profile/"))
    page.goto(f"/surveys/{survey.slug}/results/")

    page.wait_for_function(
        "() => document.querySelectorAll('figure.chart-drawn canvas').length === 2"
    )
    assert page.get_by_role("img", name=re.compile(r"^Question plan: yes 4, no 2")).count()
    assert page.locator("figure.chart table").count() == 2
    assert axe_violations(page) == []

    page.get_by_role("link", name=re.compile("Read and search the 6 answers")).click()
    page.get_by_role("searchbox", name="Search the answers").fill("Idea 3")
    page.get_by_role("button", name="Search").click()
    assert page.get_by_text("1 answer", exact=True).is_visible()
    assert axe_violations(page) == []
