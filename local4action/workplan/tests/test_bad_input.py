"""Bad input on the work plan pages and API: a clear message or a plain 404, never a 500, and
nothing changes in the database."""

import json

import pytest
from django.urls import reverse

from local4action.core.testing import bearer
from local4action.workplan.models import ActionUpdate
from local4action.workplan.tests.test_views import action_named, bulk_data, tracking, update_url

from .factories import make_plan

pytestmark = pytest.mark.django_db

JSON = "application/json"


@pytest.fixture
def plan(secretariat):
    return make_plan(secretariat)


@pytest.mark.parametrize("pillar", ["³", "9" * 5000, "-1", "abc", str(10**20)])
def test_an_odd_pillar_in_the_bulk_table_is_harmless(client, plan, secretariat, pillar):
    # Given the secretariat on the bulk table
    client.force_login(secretariat)
    # When the pillar in the address is not a plain number
    response = client.get(reverse("workplan:bulk", args=[plan.year]), {"pillar": pillar})
    # Then the table is shown (filtered on nothing or on no pillar), not an error page
    assert response.status_code == 200


@pytest.mark.parametrize("page", ["-1", "0", "abc", str(10**20), "³"])
def test_odd_page_numbers_in_the_bulk_table_are_harmless(client, plan, secretariat, page):
    client.force_login(secretariat)
    response = client.get(reverse("workplan:bulk", args=[plan.year]), {"page": page})
    assert response.status_code == 200


@pytest.mark.parametrize("read", ["9" * 5000 + ":on_track:0", "1:on_track:" + "9" * 5000, "x"])
def test_a_forged_version_in_the_bulk_table_saves_nothing(client, plan, secretariat, read):
    # Given the bulk table as sent, with one change and a forged hidden version
    client.force_login(secretariat)
    url = reverse("workplan:bulk", args=[plan.year])
    data = bulk_data(client.get(url).content.decode())
    launch = action_named(plan, "Launch")
    before = tracking(launch)
    data[f"status-{launch.pk}"] = "on_track"
    data[f"read-{launch.pk}"] = read
    # When it is sent
    response = client.post(url, data)
    # Then it is refused (not an error page) and nothing is applied
    assert response.status_code in (400, 409)
    assert tracking(launch) == before
    assert not ActionUpdate.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"status": "on_track", "progress": "abc"}, "Enter a whole number."),
        ({"status": "on_track", "progress": "³"}, "Enter a whole number."),
        ({"status": "on_track", "progress": "-1"}, "greater than or equal to 0"),
        ({"status": "on_track", "progress": str(10**20)}, "less than or equal to 100"),
        ({"status": "on_track", "progress": ""}, "This field is required."),
    ],
)
def test_bad_progress_values_are_refused_and_change_nothing(
    client, plan, secretariat, data, message
):
    action = action_named(plan, "Launch")
    before = tracking(action)
    client.force_login(secretariat)
    response = client.post(
        update_url(action), {"form": "update", "version": action.version, **data}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert tracking(action) == before


def test_the_update_message_is_in_french_for_a_french_speaking_person(client, plan, secretariat):
    secretariat.language = "fr"
    secretariat.save()
    action = action_named(plan, "Launch")
    before = tracking(action)
    client.force_login(secretariat)
    response = client.post(
        update_url(action),
        {"form": "update", "version": action.version, "status": "on_track", "progress": ""},
    )
    assert response.status_code == 400
    assert "Ce champ est obligatoire." in response.content.decode()
    assert tracking(action) == before


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"due_date": "2026-02-30"}, "Enter a valid date."),
        ({"due_date": "someday"}, "Enter a valid date."),
        ({"initiatives": ["999999"]}, "Select a valid choice."),
        ({"sdgs": ["abc"]}, "is not a valid value"),
    ],
)
def test_bad_links_are_refused_and_change_nothing(client, plan, secretariat, fields, message):
    action = action_named(plan, "Establishment")
    client.force_login(secretariat)
    response = client.post(update_url(action), {"form": "links", **fields})
    assert response.status_code == 400
    assert message in response.content.decode()
    action.refresh_from_db()
    assert action.due_date is None and not action.initiatives.exists()
    assert not action.sdgs.exists()


@pytest.mark.parametrize("query", ["owner=³", "owner=abc", f"owner={10**20}", "sdg=-1", "x=<b>"])
def test_odd_filters_on_the_plan_show_the_whole_plan(client, plan, secretariat, query):
    client.force_login(secretariat)
    response = client.get(reverse("workplan:plan", args=[plan.year]) + "?" + query)
    assert response.status_code == 200
    assert "Launch the advocacy" in response.content.decode()


@pytest.mark.parametrize("since", ["2026-02-30", "yesterday", "9" * 5000, "0001-01-01"])
def test_an_odd_since_date_on_the_evaluation_says_so(client, plan, secretariat, since):
    client.force_login(secretariat)
    response = client.get(reverse("workplan:evaluation", args=[plan.year]), {"since": since})
    assert response.status_code == 200
    assert "is not a date (YYYY-MM-DD)" in response.content.decode()


@pytest.mark.parametrize("year", [1, 10**20])
def test_unknown_years_and_actions_are_not_found(client, plan, secretariat, year):
    client.force_login(secretariat)
    assert client.get(reverse("workplan:plan", args=[year])).status_code == 404
    assert client.get(reverse("workplan:bulk", args=[year])).status_code == 404
    assert client.get(reverse("workplan:action", args=[year * 999999])).status_code == 404


@pytest.mark.parametrize("body", ['{"status": ', "[]", "null", '"done"'])
def test_malformed_json_to_the_updates_api_changes_nothing(client, plan, secretariat, body):
    action = action_named(plan, "Launch")
    before = tracking(action)
    response = client.post(
        f"/api/v1/workplan-actions/{action.pk}/updates",
        body,
        content_type=JSON,
        **bearer(secretariat),
    )
    assert response.status_code in (400, 422)
    assert response.json()["detail"]
    assert tracking(action) == before


@pytest.mark.parametrize(
    "payload",
    [
        {"status": "on_track", "progress": 10**20},
        {"status": ["on_track"], "progress": 10},
        {"status": "on_track", "progress": 10, "version": "x"},
    ],
)
def test_wrong_types_in_the_updates_api_change_nothing(client, plan, secretariat, payload):
    action = action_named(plan, "Launch")
    before = tracking(action)
    response = client.post(
        f"/api/v1/workplan-actions/{action.pk}/updates",
        json.dumps(payload),
        content_type=JSON,
        **bearer(secretariat),
    )
    assert response.status_code == 422
    assert tracking(action) == before


@pytest.mark.parametrize("year", ["abc", "-1", str(10**20)])
def test_odd_years_in_the_api_are_refused_not_an_error(client, plan, secretariat, year):
    response = client.get(f"/api/v1/workplans/{year}", **bearer(secretariat))
    assert response.status_code in (404, 422)
