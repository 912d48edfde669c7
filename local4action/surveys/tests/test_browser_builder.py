"""The survey structure page in a real Chromium: drag and drop reorders through the JSON
endpoint, the buttons still work, and the page passes axe."""

import re

import pytest

from local4action.accounts.tests.factories import PASSWORD, UserFactory
from local4action.core.testing import axe_violations
from local4action.surveys.models import Question
from local4action.surveys.tests.factories import make_question, make_survey

pytestmark = pytest.mark.browser


def keys(survey):
    return list(
        Question.objects.filter(survey=survey)
        .order_by("page__position", "position")
        .values_list("key", flat=True)
    )


def test_drag_and_drop_reorders_and_buttons_remain(new_page, reference_data):
    staff = UserFactory(roles={"secretariat"})
    survey = make_survey(published=False)
    for key in ("a", "b", "c"):
        make_question(survey, key=key)
    page = new_page()
    page.goto("/account/login/")
    page.locator("#id_login").fill(staff.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/profile/"))
    page.goto(f"/manage/surveys/{survey.slug}/")
    assert not axe_violations(page)
    first = page.locator(f"#question-{Question.objects.get(key='a').pk}")
    assert first.get_attribute("draggable") == "true"
    with page.expect_response(re.compile(r"/reorder/$")) as answer:
        page.locator(f"#question-{Question.objects.get(key='c').pk}").drag_to(
            first, target_position={"x": 5, "y": 2}
        )
    assert answer.value.ok
    assert keys(survey) == ["c", "a", "b"]
    c = Question.objects.get(key="c")
    with page.expect_navigation():
        page.locator(f"#question-{c.pk} button", has_text="Move down").click()
    assert keys(survey) == ["a", "c", "b"]
