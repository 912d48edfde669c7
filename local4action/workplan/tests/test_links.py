"""The "In the work plan" box: the pages of an initiative, an event and a survey show the
actions pointing to them to those who follow the work plan, and nothing (at no cost) to the
public."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from local4action.accounts.tests.factories import UserFactory
from local4action.events.tests.factories import make_event
from local4action.monitoring.tests.factories import make_hub
from local4action.surveys.tests.factories import make_survey
from local4action.workplan import services
from local4action.workplan.models import Action
from local4action.workplan.tests.factories import make_plan

BOX = "In the work plan"
HUBS = "Establishment of the Local4Action HUBs"
CAMPAIGN = "Launch the advocacy campaign"


@pytest.fixture
def plan(secretariat):
    return make_plan(secretariat, year=2025)


@pytest.fixture
def linked(plan, secretariat):
    """An initiative, an event and a survey, each pointed to by the HUBs action (the campaign
    action points to the event too)."""
    hub, _editor = make_hub(title="Participation for all")
    event = make_event(title="HUB seminar")
    survey = make_survey(audience="public")
    hubs = Action.objects.get(text_plain=HUBS)
    services.action_set_links(
        actor=secretariat, action=hubs, initiatives=[hub], events=[event], surveys=[survey]
    )
    services.action_set_links(
        actor=secretariat, action=Action.objects.get(text_plain=CAMPAIGN), events=[event]
    )
    return {
        "initiative": hub.get_absolute_url(),
        "event": event.get_absolute_url(),
        "survey": survey.get_absolute_url(),
    }


def page_as(user, url: str):
    browser = Client()
    if user is not None:
        browser.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = browser.get(url)
    assert response.status_code == 200, (url, response.status_code)
    box_queries = [q["sql"] for q in queries if "workplan_action" in q["sql"]]
    return response.content.decode(), box_queries


@pytest.mark.parametrize("page", ["initiative", "event", "survey"])
def test_the_secretariat_sees_the_actions_pointing_to_the_page(linked, secretariat, page):
    html, box_queries = page_as(secretariat, linked[page])

    assert BOX in html
    assert HUBS in html
    assert Action.objects.get(text_plain=HUBS).get_absolute_url() in html
    assert "2025, section 1.1" in html
    assert (CAMPAIGN in html) is (page == "event")
    assert len(box_queries) == 1


@pytest.mark.parametrize("page", ["initiative", "event", "survey"])
def test_partners_see_the_box_too(linked, page):
    html, _queries = page_as(UserFactory(roles={"partner"}), linked[page])

    assert BOX in html and HUBS in html


@pytest.mark.parametrize("page", ["initiative", "event", "survey"])
def test_the_public_sees_no_box_and_pays_no_query_for_it(linked, page):
    html, box_queries = page_as(None, linked[page])

    assert BOX not in html and HUBS not in html
    assert box_queries == []


@pytest.mark.parametrize("page", ["initiative", "event", "survey"])
def test_a_member_without_a_role_sees_no_box(linked, org_member, page):
    html, _queries = page_as(org_member, linked[page])

    assert BOX not in html and HUBS not in html


def test_an_owner_sees_only_their_own_action(linked, secretariat, org_member):
    campaign = Action.objects.get(text_plain=CAMPAIGN)
    Action.objects.filter(pk=campaign.pk).update(owner=org_member)

    html, _queries = page_as(org_member, linked["event"])

    assert BOX in html and CAMPAIGN in html
    assert HUBS not in html


def test_a_page_no_action_points_to_has_no_box(plan, secretariat):
    event = make_event(title="Unrelated")

    html, box_queries = page_as(secretariat, event.get_absolute_url())

    assert BOX not in html
    assert len(box_queries) == 1


def test_the_box_takes_one_query_however_many_actions_point_to_the_page(plan, linked, secretariat):
    event_url = linked["event"]
    _html, before = page_as(secretariat, event_url)
    event = Action.objects.get(text_plain=HUBS).events.get()
    for action in Action.objects.all():
        action.events.add(event)

    html, after = page_as(secretariat, event_url)

    assert all(action.get_absolute_url() in html for action in Action.objects.all())
    assert len(before) == len(after) == 1
