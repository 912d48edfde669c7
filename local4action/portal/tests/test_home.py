"""The home page: what the programme is, the latest HUBs, upcoming public events, the numbers,
and the call to propose an initiative while a call is open."""

import datetime

from django.utils import timezone

from local4action.calls.tests.factories import make_call
from local4action.core.models import Goal
from local4action.core.testing import assert_queries_constant
from local4action.events.tests.factories import make_event
from local4action.monitoring.tests.factories import make_hub


def test_home_tells_what_the_programme_is_and_shows_the_latest_hubs(client, db):
    hub, _editor = make_hub(title="Participatory budgets in Bilbao")
    hub.goals.set(Goal.objects.filter(number__in=[11, 16]))
    make_hub(title="Still being reviewed", status="submitted")

    content = client.get("/").content.decode()

    assert "speed up the Sustainable Development Goals where people live" in content
    assert "Participatory budgets in Bilbao" in content
    assert "Still being reviewed" not in content


def test_home_lists_upcoming_public_events_only(client, db):
    make_event(title="Forum of local governments")
    make_event(title="Members retreat", visibility="members")
    make_event(title="Unpublished draft", published=False)
    make_event(
        title="Forum that is over",
        start_at=timezone.now() - datetime.timedelta(days=10),
    )

    content = client.get("/").content.decode()

    assert "Forum of local governments" in content
    assert "Members retreat" not in content
    assert "Unpublished draft" not in content
    assert "Forum that is over" not in content


def test_key_numbers_count_hubs_accompanied_countries_and_goals(client, db):
    hub, _editor = make_hub()
    hub.goals.set(Goal.objects.filter(number__in=[5, 11]))
    accompanied, _editor = make_hub(status="accompanied")
    accompanied.goals.set(Goal.objects.filter(number__in=[11, 13]))
    draft, _editor = make_hub(status="draft")
    draft.goals.set(Goal.objects.filter(number=1))

    response = client.get("/")

    numbers = response.context["numbers"]
    assert numbers["hubs"] == 1
    assert numbers["accompanied"] == 1
    assert numbers["goals"] == 3  # 5, 11, 13: the draft's goal 1 does not count
    assert numbers["countries"] == 1
    assert "of the 17 SDGs covered" in response.content.decode()


def test_call_to_propose_appears_only_while_a_call_is_open(client, db):
    assert "Propose your initiative" not in client.get("/").content.decode()

    call = make_call()

    content = client.get("/").content.decode()
    assert "Propose your initiative" in content
    assert call.get_absolute_url() in content


def test_home_loads_no_chart_or_map_library(client, db):
    content = client.get("/").content.decode()

    for library in ("chart.js", "chartjs", "leaflet", "maplibre", "cytoscape"):
        assert library not in content.lower()


def test_home_query_count_does_not_grow_with_hubs_and_events(client, db):
    goals = list(Goal.objects.filter(number__in=[3, 11]))

    def add_rows(n):
        for _ in range(n):
            hub, _editor = make_hub()
            hub.goals.set(goals)
            make_event()

    assert_queries_constant(client, "/", add_rows)
