"""SDG pages list the HUBs working on a goal or target with the progress they report; the
coverage page pictures the 17 goals with a table and a sentence."""

from decimal import Decimal

from django.utils import timezone

from local4action.core.models import Goal, Target
from local4action.core.testing import assert_queries_constant
from local4action.monitoring import services
from local4action.monitoring.tests.factories import make_hub, make_indicator


def measured(hub, editor, value):
    indicator = make_indicator(hub, editor)
    services.measurement_add(
        actor=editor, indicator=indicator, date=timezone.localdate(), value=Decimal(value)
    )


def test_goal_page_lists_hubs_with_their_progress(client, db):
    goal = Goal.objects.get(number=11)
    on_track, editor = make_hub(title="Green roofs")
    measured(on_track, editor, "60")
    off_track, editor = make_hub(title="Bus lanes")
    measured(off_track, editor, "2")
    silent, _editor = make_hub(title="Quiet streets")
    draft, _editor = make_hub(title="Secret plan", status="draft")
    for hub in (on_track, off_track, silent, draft):
        hub.goals.add(goal)

    content = client.get(goal.get_absolute_url()).content.decode()

    assert "Green roofs" in content
    assert "On track: 1 of 1 measured indicator on track or reached." in content
    assert "Off track: 0 of 1 measured indicator on track or reached." in content
    assert "No data yet: no indicator has been measured." in content
    assert "Secret plan" not in content


def test_target_page_lists_hubs_with_their_progress(client, db):
    target = Target.objects.get(code="11.2")
    hub, editor = make_hub(title="Bus lanes")
    measured(hub, editor, "60")
    hub.targets.add(target)

    content = client.get(target.get_absolute_url()).content.decode()

    assert "Bus lanes" in content
    assert "On track: 1 of 1 measured indicator" in content


def test_goal_page_query_count_does_not_grow_with_hubs(client, db):
    goal = Goal.objects.get(number=3)

    def add_rows(n):
        for _ in range(n):
            hub, editor = make_hub()
            measured(hub, editor, "40")
            hub.goals.add(goal)

    assert_queries_constant(client, goal.get_absolute_url(), add_rows)


def test_coverage_page_shades_goals_by_the_number_of_initiatives(client, db):
    goals = {goal.number: goal for goal in Goal.objects.all()}
    for title in ("A", "B", "C"):
        hub, _editor = make_hub(title=title)
        hub.goals.add(goals[11])
    hub.goals.add(goals[5])
    draft, _editor = make_hub(status="draft")
    draft.goals.add(goals[1])

    response = client.get("/sdg/coverage/")

    content = response.content.decode()
    assert response.status_code == 200
    counts = {cell.goal.number: cell.count for cell in response.context["coverage"].cells}
    assert counts[11] == 3 and counts[5] == 1 and counts[1] == 0
    assert len(counts) == 17
    assert (
        "HUBs and initiatives work on 2 of the 17 goals; the most on Goal 11 "
        "(Sustainable cities and communities), with 3 initiatives." in content
    )
    assert "<caption>HUBs and accompanied initiatives per goal</caption>" in content
    assert 'role="img"' in content
    # The most covered goal has the darkest shade, an uncovered one the lightest.
    assert 'fill="#08306b" stroke="#FD9D24"' in content
    assert 'fill="#f1f5f9" stroke="#E5243B"' in content


def test_coverage_page_with_nothing_linked(client, db):
    content = client.get("/sdg/coverage/").content.decode()

    assert "No HUB or accompanied initiative is linked to a goal yet." in content


def test_goal_list_links_to_the_coverage(client, db):
    assert "/sdg/coverage/" in client.get("/sdg/").content.decode()
