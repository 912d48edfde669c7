"""The work plan pages: plans, a plan's tree and filters, an action's update form and log, the
links form and the bulk table; who may see and change what."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from local4action.accounts.tests.factories import UserFactory
from local4action.core.models import Goal
from local4action.core.testing import assert_queries_constant
from local4action.monitoring.tests.factories import make_hub
from local4action.workplan import services
from local4action.workplan.choices import Status, Tier
from local4action.workplan.models import Action, ActionUpdate

from .factories import make_plan, numbered_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def partner(db):
    return UserFactory(roles={"partner"})


@pytest.fixture
def plan(secretariat):
    return make_plan(secretariat)


def action_named(plan, start: str) -> Action:
    return plan.actions.get(text_plain__startswith=start)


def logged_in(client, user):
    client.force_login(user)
    return client


def tracking(action: Action) -> tuple:
    action.refresh_from_db()
    return (action.status, action.progress, action.version, action.updates.count())


def add_actions(plan, owner):
    """Rows for the query-count tests: actions with an owner, a partner and a dated update."""
    section = plan.sections.order_by("position").first()

    def add(count):
        for index in range(count):
            action = Action.objects.create(
                plan=plan,
                section=section,
                position=1000 + Action.objects.count() + index,
                text=f"Extra action {index}",
                text_plain=f"Extra action {index}",
                tier=Tier.PARTNERSHIP,
                partner_name=f"Partner {index % 3}",
                owner=owner,
                due_date=datetime.date(2020, 1, 1),
                status=Status.DELAYED,
            )
            action.sdgs.set(Goal.objects.filter(number__in=[index % 17 + 1]))
            ActionUpdate.objects.create(
                action=action, author=owner, status=Status.DELAYED, progress=10, note="Slow"
            )

    return add


# Who may see what ----------------------------------------------------------------------------


def test_anonymous_people_are_sent_to_log_in(client, plan):
    action = plan.actions.first()
    for url in (
        reverse("workplan:list"),
        reverse("workplan:plan", args=[plan.year]),
        reverse("workplan:bulk", args=[plan.year]),
        reverse("workplan:action", args=[action.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/login/" in response["Location"], url


def test_people_without_a_role_are_refused(client, plan, user):
    logged_in(client, user)
    action = plan.actions.first()
    for url in (
        reverse("workplan:list"),
        reverse("workplan:plan", args=[plan.year]),
        reverse("workplan:bulk", args=[plan.year]),
        reverse("workplan:action", args=[action.pk]),
    ):
        assert client.get(url).status_code == 403, url
    before = tracking(action)
    response = client.post(
        reverse("workplan:action", args=[action.pk]),
        {"form": "update", "status": "on_track", "progress": 20, "version": action.version},
    )
    assert response.status_code == 403
    assert tracking(action) == before


def test_partners_follow_the_plan_but_do_not_change_it(client, plan, partner):
    logged_in(client, partner)
    action = action_named(plan, "Train HUB")
    assert client.get(reverse("workplan:list")).status_code == 200
    assert client.get(reverse("workplan:plan", args=[plan.year])).status_code == 200
    page = client.get(reverse("workplan:action", args=[action.pk])).content.decode()
    assert "Record an update" not in page and "Save the links" not in page
    assert client.get(reverse("workplan:bulk", args=[plan.year])).status_code == 403
    before = tracking(action)
    for data in (
        {"form": "update", "status": "done", "progress": 100, "version": action.version},
        {"form": "links", "owner_team": "Them"},
    ):
        response = client.post(reverse("workplan:action", args=[action.pk]), data)
        assert response.status_code == 403
    action.refresh_from_db()
    assert tracking(action) == before and action.owner_team == ""


def test_an_owner_without_a_role_sees_and_updates_only_their_action(client, plan, user):
    action = action_named(plan, "Train HUB")
    action.owner = user
    action.save()
    logged_in(client, user)
    listing = client.get(reverse("workplan:list")).content.decode()
    assert "Actions you follow" in listing and "Train HUB coordinators" in listing
    assert client.get(reverse("workplan:plan", args=[plan.year])).status_code == 403
    other = action_named(plan, "Launch")
    assert client.get(reverse("workplan:action", args=[other.pk])).status_code == 403
    response = client.post(
        reverse("workplan:action", args=[action.pk]),
        {"form": "update", "status": "on_track", "progress": 30, "version": action.version},
    )
    assert response.status_code == 302
    assert tracking(action)[:2] == ("on_track", 30)


def test_the_navigation_shows_the_work_plan_to_staff_and_partners_only(client, partner, user):
    link = f'href="{reverse("workplan:list")}"'
    assert link in logged_in(client, partner).get(reverse("accounts:profile")).content.decode()
    other = Client()
    assert link not in logged_in(other, user).get(reverse("accounts:profile")).content.decode()


# The plan page -------------------------------------------------------------------------------


def test_the_plan_page_shows_the_tree_with_tiers_statuses_and_pillar_bars(client, plan, partner):
    services.action_update(
        actor=UserFactory(roles={"secretariat"}),
        action=action_named(plan, "Launch"),
        status=Status.ON_TRACK,
        progress=50,
    )
    page = logged_in(client, partner).get(reverse("workplan:plan", args=[plan.year]))
    html = page.content.decode()
    assert "1. Implementation" in html and "2. Advocacy and policy" in html
    assert "1.1 Section 1.1" in html and "1.1.1 Section 1.1.1" in html
    assert "Reinforced through a partnership with Sida" in html
    assert "Core action" in html and "Reinforced action" in html
    assert "On track" in html
    assert re.search(r'<progress max="100" value="50"', html)
    # Pillar 2 has two actions, one at 50%: its bar shows 25%.
    pillar_two = re.search(r'id="pillar-bar-2".*?</tr>', html, re.S).group(0)
    assert 'value="25"' in pillar_two
    assert "5 actions." in html


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("status=on_track", ["Launch the advocacy"], ["Publish the annual", "Train HUB"]),
        ("tier=partnership", ["Train HUB"], ["Launch the advocacy", "Accompany ten"]),
        ("partner=Sida", ["Train HUB"], ["Establishment"]),
        ("tier=core&status=not_started", ["Publish the annual"], ["Launch the advocacy"]),
    ],
)
def test_filters_live_in_the_address(client, plan, partner, query, shown, hidden):
    services.action_update(
        actor=UserFactory(roles={"secretariat"}),
        action=action_named(plan, "Launch"),
        status=Status.ON_TRACK,
        progress=10,
    )
    html = (
        logged_in(client, partner)
        .get(reverse("workplan:plan", args=[plan.year]) + "?" + query)
        .content.decode()
    )
    for text in shown:
        assert text in html, text
    for text in hidden:
        assert text not in html, text
    assert "Clear the filters" in html


def test_the_owner_filter_and_unknown_values(client, plan, partner):
    owner = UserFactory(name="Ana Owner")
    action = action_named(plan, "Accompany")
    action.owner = owner
    action.save()
    logged_in(client, partner)
    url = reverse("workplan:plan", args=[plan.year])
    html = client.get(f"{url}?owner={owner.pk}").content.decode()
    assert "Accompany ten new HUBs" in html and "Launch the advocacy" not in html
    assert "Owner: Ana Owner" in html
    # An old link with a value that no longer exists shows the whole plan, not an error.
    response = client.get(f"{url}?status=unknown&owner=999999")
    assert response.status_code == 200
    assert "Launch the advocacy" in response.content.decode()


def test_the_plan_page_query_count_does_not_grow_with_the_actions(client, plan, partner):
    logged_in(client, partner)
    owner = UserFactory()
    assert_queries_constant(
        client, reverse("workplan:plan", args=[plan.year]), add_actions(plan, owner)
    )


def test_an_unknown_year_is_not_found(client, partner):
    assert logged_in(client, partner).get("/workplan/2099/").status_code == 404


# One action ----------------------------------------------------------------------------------


def update_url(action):
    return reverse("workplan:action", args=[action.pk])


def test_staff_record_an_update_and_see_it_in_the_log(client, plan, secretariat):
    action = action_named(plan, "Launch")
    logged_in(client, secretariat)
    response = client.post(
        update_url(action),
        {
            "form": "update",
            "status": "at_risk",
            "progress": 40,
            "note": "The partner withdrew.",
            "version": action.version,
        },
        follow=True,
    )
    html = response.content.decode()
    assert "The update has been recorded." in html
    assert "The partner withdrew." in html and "At risk" in html
    assert tracking(action) == ("at_risk", 40, 2, 1)


def test_a_stale_form_keeps_the_note_and_shows_the_current_values(client, plan, secretariat):
    action = action_named(plan, "Launch")
    read_at = action.version
    services.action_update(
        actor=UserFactory(roles={"secretariat"}),
        action=action,
        status=Status.DELAYED,
        progress=15,
        note="Waiting for funds",
    )
    before = tracking(action)
    response = logged_in(client, secretariat).post(
        update_url(action),
        {
            "form": "update",
            "status": "on_track",
            "progress": 60,
            "note": "My carefully written note",
            "version": read_at,
        },
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "was changed by someone else" in html
    assert "The action is now: Delayed, 15%." in html and "Waiting for funds" in html
    assert "My carefully written note" in html  # nothing lost
    assert re.search(r'name="progress" value="60"', html)
    assert f'name="version" value="{before[2]}"' in html
    assert tracking(action) == before
    # Saving again, deliberately, applies.
    response = client.post(
        update_url(action),
        {
            "form": "update",
            "status": "on_track",
            "progress": 60,
            "note": "My carefully written note",
            "version": before[2],
        },
    )
    assert response.status_code == 302
    assert tracking(action)[:2] == ("on_track", 60)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"status": "on_track", "progress": 150}, "less than or equal to 100"),
        ({"status": "bogus", "progress": 10}, "Select a valid choice"),
        ({"status": "done", "progress": 40}, "marked done is complete"),
        ({"status": "on_track", "progress": 10, "note": "x" * 501}, "at most 500 characters"),
    ],
)
def test_bad_updates_are_refused_with_a_message(client, plan, secretariat, data, message):
    action = action_named(plan, "Launch")
    before = tracking(action)
    response = logged_in(client, secretariat).post(
        update_url(action), {"form": "update", "version": action.version, **data}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert tracking(action) == before


def test_the_log_shows_dates_in_the_persons_time_zone(client, plan):
    action = action_named(plan, "Launch")
    staff = UserFactory(roles={"secretariat"}, time_zone="Asia/Tokyo")
    services.action_update(actor=staff, action=action, status=Status.ON_TRACK, progress=5)
    moment = datetime.datetime(2025, 3, 1, 20, 30, tzinfo=datetime.UTC)
    ActionUpdate.objects.filter(action=action).update(created_at=moment)
    html = logged_in(client, staff).get(update_url(action)).content.decode()
    assert '<time datetime="2025-03-02T05:30:00+09:00">' in html


def test_staff_set_the_links_and_the_owner(client, plan, secretariat):
    action = action_named(plan, "Establishment")
    owner = UserFactory(email="owner@example.org")
    hub, _editor = make_hub(title="HUB of Kisumu")
    goals = list(Goal.objects.filter(number__in=[11, 17]))
    logged_in(client, secretariat)
    response = client.post(
        update_url(action),
        {
            "form": "links",
            "initiatives": [hub.pk],
            "sdgs": [goal.pk for goal in goals],
            "owner": "OWNER@example.org",
            "owner_team": "HUB unit",
            "due_date": "2025-11-30",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    action.refresh_from_db()
    assert action.owner == owner and action.owner_team == "HUB unit"
    assert action.due_date == datetime.date(2025, 11, 30)
    assert set(action.sdgs.values_list("number", flat=True)) == {11, 17}
    assert list(action.initiatives.all()) == [hub]
    html = client.get(update_url(action)).content.decode()
    assert "HUB of Kisumu" in html and "11. " in html and "HUB unit" in html


def test_an_unknown_owner_is_refused(client, plan, secretariat):
    action = action_named(plan, "Establishment")
    response = logged_in(client, secretariat).post(
        update_url(action), {"form": "links", "owner": "nobody@example.org"}
    )
    assert response.status_code == 400
    assert "No active account has this email address." in response.content.decode()
    action.refresh_from_db()
    assert action.owner is None


def test_forms_need_the_csrf_token(plan, secretariat):
    client = Client(enforce_csrf_checks=True)
    client.force_login(secretariat)
    action = action_named(plan, "Launch")
    html = client.get(update_url(action)).content.decode()
    assert html.count('name="csrfmiddlewaretoken"') >= 3  # language, update, links (+ logout)
    before = tracking(action)
    response = client.post(
        update_url(action),
        {"form": "update", "status": "done", "progress": 100, "version": action.version},
    )
    assert response.status_code == 403
    assert tracking(action) == before


def test_the_action_page_query_count_does_not_grow_with_the_log(client, plan, secretariat):
    action = action_named(plan, "Launch")
    logged_in(client, secretariat)

    def add(count):
        ActionUpdate.objects.bulk_create(
            ActionUpdate(action=action, author=secretariat, status="on_track", progress=n)
            for n in range(count)
        )

    assert_queries_constant(client, update_url(action), add)


# Bulk table ----------------------------------------------------------------------------------


def bulk_data(form_html: str) -> dict:
    """The values the bulk table sends as it is (inputs and selected options)."""
    data = {}
    for name, value in re.findall(
        r'<input type="(?:hidden|number)" name="([^"]+)" value="([^"]*)"', form_html
    ):
        data[name] = value
    for name, body in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', form_html, re.S):
        selected = re.search(r'<option value="([^"]*)" selected>', body)
        data[name] = selected.group(1) if selected else ""
    data.pop("csrfmiddlewaretoken", None)
    data.pop("language", None)
    return data


def test_staff_update_several_actions_with_one_note(client, plan, secretariat):
    logged_in(client, secretariat)
    url = reverse("workplan:bulk", args=[plan.year])
    data = bulk_data(client.get(url).content.decode())
    launch, report, hubs = (
        action_named(plan, "Launch"),
        action_named(plan, "Publish"),
        action_named(plan, "Establishment"),
    )
    data[f"status-{launch.pk}"] = "on_track"
    data[f"progress-{launch.pk}"] = "30"
    data[f"status-{report.pk}"] = "done"
    data[f"progress-{report.pk}"] = "100"
    data["note"] = "Reviewed at the team meeting"
    response = client.post(url, data)
    assert response.status_code == 302
    assert tracking(launch) == ("on_track", 30, 2, 1)
    assert tracking(report) == ("done", 100, 2, 1)
    assert tracking(hubs) == ("not_started", 0, 1, 0)
    assert set(ActionUpdate.objects.values_list("note", flat=True)) == {
        "Reviewed at the team meeting"
    }
    assert "2 actions have been updated." in client.get(url).content.decode()


def test_a_stale_row_applies_nothing(client, plan, secretariat):
    logged_in(client, secretariat)
    url = reverse("workplan:bulk", args=[plan.year])
    data = bulk_data(client.get(url).content.decode())
    launch, report = action_named(plan, "Launch"), action_named(plan, "Publish")
    services.action_update(
        actor=UserFactory(roles={"secretariat"}), action=report, status="delayed", progress=5
    )
    data[f"status-{launch.pk}"] = "on_track"
    data[f"progress-{report.pk}"] = "50"
    response = client.post(url, data)
    assert response.status_code == 409
    html = response.content.decode()
    assert "was changed by someone else" in html and "Nothing has been saved" in html
    assert tracking(launch) == ("not_started", 0, 1, 0)
    assert tracking(report) == ("delayed", 5, 2, 1)
    # The person's entries are kept, against the current versions.
    assert re.search(rf'name="progress-{report.pk}" value="50"', html)
    assert f'name="read-{report.pk}" value="2:delayed:5"' in html


def test_a_bad_row_applies_nothing(client, plan, secretariat):
    logged_in(client, secretariat)
    url = reverse("workplan:bulk", args=[plan.year])
    data = bulk_data(client.get(url).content.decode())
    launch, report = action_named(plan, "Launch"), action_named(plan, "Publish")
    data[f"status-{launch.pk}"] = "on_track"
    data[f"progress-{report.pk}"] = "140"
    response = client.post(url, data)
    assert response.status_code == 400
    assert tracking(launch) == ("not_started", 0, 1, 0)
    assert not ActionUpdate.objects.exists()


def test_a_long_plan_is_updated_a_page_at_a_time(client, secretariat, settings):
    plan = make_plan(secretariat, numbered_plan(400))
    logged_in(client, secretariat)
    url = reverse("workplan:bulk", args=[plan.year])
    html = client.get(url).content.decode()
    data = bulk_data(html)
    # A page fits in one request, whatever the plan's size.
    assert len(data) + 2 < settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    assert "Page 1 of 3" in html
    last = plan.actions.order_by("position").last()
    data[f"status-{last.pk}"] = "on_track"  # not on this page: ignored
    first = plan.actions.order_by("position").first()
    data[f"progress-{first.pk}"] = "10"
    assert client.post(url, data).status_code == 302
    assert tracking(first)[:2] == ("not_started", 10)
    assert tracking(last)[:2] == ("not_started", 0)
    page3 = client.get(url + "?page=3").content.decode()
    assert "Action 400:" in page3 and "Action 1:" not in page3


def test_the_bulk_table_by_pillar_and_its_query_count(client, plan, secretariat):
    logged_in(client, secretariat)
    url = reverse("workplan:bulk", args=[plan.year])
    html = client.get(url + "?pillar=2").content.decode()
    assert "Launch the advocacy" in html and "Establishment" not in html
    assert_queries_constant(client, url, add_actions(plan, secretariat))


def test_when_the_last_update_was_made_is_shown(client, plan, partner):
    action = action_named(plan, "Launch")
    services.action_update(
        actor=UserFactory(roles={"secretariat"}), action=action, status="on_track", progress=5
    )
    html = logged_in(client, partner).get(reverse("workplan:plan", args=[plan.year]))
    today = timezone.localdate()
    assert "Last update" in html.content.decode()
    assert today.strftime("%m/%d/%Y") in html.content.decode()
