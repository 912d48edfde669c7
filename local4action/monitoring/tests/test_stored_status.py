"""The stored status of each followed initiative: refreshed once per transaction when its
records change, judged again when the day changes (command, dashboard), and what the portfolio
dashboard reads: the same answers as judging every initiative in Python.

A test's own transaction never commits: a service called outside a capture block leaves its
refresh pending, and later changes would join it (as they would in one real transaction), so
the set-up of the on-commit tests runs in a capture block of its own."""

import datetime
import logging
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import formats, timezone

from local4action.accounts.tests.factories import UserFactory
from local4action.core.models import Goal, RegionalSection
from local4action.core.testing import assert_queries_constant
from local4action.initiatives.models import Initiative
from local4action.monitoring import selectors, services
from local4action.monitoring.choices import DeliverableStatus, Light
from local4action.monitoring.models import InitiativeStatus, Measurement
from local4action.monitoring.tests.factories import make_hub, make_indicator

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
DASHBOARD = "/monitoring/"
FULL_REPORT = {
    "narrative": "Three municipalities trained.",
    "acceleration": "Budgets were voted a year earlier.",
    "synchronization": "We built on the Bilbao values forum.",
}


def _today() -> datetime.date:
    return timezone.localdate()


def _stored(hub) -> InitiativeStatus:
    return InitiativeStatus.objects.get(initiative=hub)


def _status_writes(queries) -> int:
    return sum(
        1
        for query in queries.captured_queries
        if query["sql"].startswith("INSERT") and "monitoring_initiativestatus" in query["sql"]
    )


# Refreshed when the records change -----------------------------------------------------------


def test_recording_a_measurement_changes_the_stored_light_after_commit(
    hub_and_editor, django_capture_on_commit_callbacks
):
    # given a HUB whose only indicator has no measurement yet: amber
    hub, editor = hub_and_editor
    with django_capture_on_commit_callbacks(execute=True):
        indicator = make_indicator(hub, editor)
    assert _stored(hub).light == Light.AMBER

    # when a value on the straight path is recorded
    with django_capture_on_commit_callbacks(execute=True):
        services.measurement_add(actor=editor, indicator=indicator, date=_today(), value=50)
        # then nothing changes before the commit…
        assert _stored(hub).light == Light.AMBER

    # …and the stored light is green after it
    status = _stored(hub)
    assert status.light == Light.GREEN
    assert (status.indicators_on_track, status.indicators_no_data) == (1, 0)
    assert status.judged_on == _today()


def test_marking_a_deliverable_delivered_changes_the_stored_light(
    hub_and_editor, django_capture_on_commit_callbacks
):
    # given a late deliverable: amber
    hub, editor = hub_and_editor
    with django_capture_on_commit_callbacks(execute=True):
        deliverable = services.deliverable_save(
            actor=editor,
            initiative=hub,
            data={"title": "Forum", "due_date": _today() - 10 * DAY},
        )
    assert _stored(hub).light == Light.AMBER
    assert _stored(hub).deliverables_late == 1

    # when the team marks it delivered
    with django_capture_on_commit_callbacks(execute=True):
        services.deliverable_save(
            actor=editor,
            initiative=hub,
            deliverable=deliverable,
            data={"status": DeliverableStatus.DELIVERED},
        )

    # then it is no longer late, and the light is green
    status = _stored(hub)
    assert (status.deliverables_due, status.deliverables_late) == (1, 0)
    assert status.light == Light.GREEN


def test_submitting_an_overdue_report_changes_the_stored_light(
    hub_and_editor, django_capture_on_commit_callbacks
):
    # given a report overdue for 40 days: red
    hub, editor = hub_and_editor
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_set(
            actor=UserFactory(roles={"secretariat"}),
            initiative=hub,
            report_every_months=6,
            first_report_due=_today() - 40 * DAY,
        )
    status = _stored(hub)
    assert (status.light, status.reports_overdue, status.oldest_overdue_days) == (Light.RED, 1, 40)
    report = hub.progress_reports.order_by("due_date").first()

    # when the team writes and submits it
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_save(actor=editor, report=report, data=FULL_REPORT)
        services.report_submit(actor=editor, report=report)

    # then nothing is overdue any more
    status = _stored(hub)
    assert (status.light, status.reports_overdue, status.oldest_overdue_days) == (Light.GREEN, 0, 0)


def test_deleting_a_measurement_changes_the_stored_light(
    hub_and_editor, django_capture_on_commit_callbacks
):
    hub, editor = hub_and_editor
    with django_capture_on_commit_callbacks(execute=True):
        indicator = make_indicator(hub, editor)
    with django_capture_on_commit_callbacks(execute=True):
        measurement = services.measurement_add(
            actor=editor, indicator=indicator, date=_today(), value=50
        )
    assert _stored(hub).light == Light.GREEN

    with django_capture_on_commit_callbacks(execute=True):
        services.measurement_delete(actor=editor, measurement=measurement)

    assert _stored(hub).light == Light.AMBER


def test_an_import_changes_the_stored_light(hub_and_editor, django_capture_on_commit_callbacks):
    hub, editor = hub_and_editor
    with django_capture_on_commit_callbacks(execute=True):
        indicator = make_indicator(hub, editor)
    assert _stored(hub).light == Light.AMBER

    with django_capture_on_commit_callbacks(execute=True):
        services.measurements_import(
            actor=editor,
            indicator=indicator,
            rows=[{"date": _today() - 30 * DAY, "value": 40}, {"date": _today(), "value": 50}],
        )

    assert _stored(hub).light == Light.GREEN


def test_several_changes_in_one_transaction_refresh_once(
    hub_and_editor, django_capture_on_commit_callbacks
):
    # given a HUB with an indicator
    hub, editor = hub_and_editor
    with django_capture_on_commit_callbacks(execute=True):
        indicator = make_indicator(hub, editor)

    # when a deliverable and two measurements are recorded in one transaction
    with (
        CaptureQueriesContext(connection) as queries,
        django_capture_on_commit_callbacks(execute=True),
    ):
        with transaction.atomic():
            services.deliverable_save(
                actor=editor,
                initiative=hub,
                data={"title": "Forum", "due_date": _today() - 3 * DAY},
            )
            services.measurement_add(
                actor=editor, indicator=indicator, date=_today() - DAY, value=49
            )
            services.measurement_add(actor=editor, indicator=indicator, date=_today(), value=50)

    # then the status is written once, with all three changes
    assert _status_writes(queries) == 1
    status = _stored(hub)
    assert (status.deliverables_late, status.indicators_on_track) == (1, 1)
    assert status.light == Light.AMBER


def test_a_failed_refresh_does_not_undo_the_save(
    hub_and_editor, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    # given a status refresh that fails
    hub, editor = hub_and_editor
    with django_capture_on_commit_callbacks(execute=True):
        indicator = make_indicator(hub, editor)
    InitiativeStatus.objects.all().delete()

    def broken(**kwargs):
        raise RuntimeError("database hiccup")

    monkeypatch.setattr(services, "statuses_refresh", broken)

    # when a value is recorded
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        measurement = services.measurement_add(
            actor=editor, indicator=indicator, date=_today(), value=50
        )

    # then the value is saved, the failure logged, and the status left for the next refresh
    assert Measurement.objects.filter(pk=measurement.pk).exists()
    indicator.refresh_from_db()
    assert indicator.latest_value == Decimal("50")
    assert "could not be refreshed" in caplog.text
    assert not InitiativeStatus.objects.filter(initiative=hub).exists()


@pytest.mark.django_db(transaction=True)
def test_the_refresh_runs_when_a_real_transaction_commits():
    # given a HUB with an unmeasured indicator (stored as amber once its transaction commits)
    hub, editor = make_hub()
    indicator = make_indicator(hub, editor)
    assert _stored(hub).light == Light.AMBER

    # when a value is recorded, outside any test transaction
    services.measurement_add(actor=editor, indicator=indicator, date=_today(), value=50)

    # then its status is already stored
    assert _stored(hub).light == Light.GREEN


# Judged again when the day changes -----------------------------------------------------------


def test_the_command_refreshes_a_deliverable_that_became_late(hub_and_editor):
    # given a deliverable due yesterday, judged yesterday: on time then, green
    hub, editor = hub_and_editor
    services.deliverable_save(
        actor=editor, initiative=hub, data={"title": "Forum", "due_date": _today() - DAY}
    )
    services.statuses_refresh(initiative_ids=[hub.pk], today=_today() - DAY)
    assert (_stored(hub).light, _stored(hub).judged_on) == (Light.GREEN, _today() - DAY)

    # when the daily command runs
    call_command("refresh_monitoring_status", stdout=open("/dev/null", "w"))

    # then the deliverable is late, the light amber, judged today
    status = _stored(hub)
    assert (status.light, status.deliverables_late, status.judged_on) == (
        Light.AMBER,
        1,
        _today(),
    )


def test_the_command_stores_every_followed_initiative_and_drops_the_others(hub_and_editor):
    hub, _editor = hub_and_editor
    draft, _ = make_hub(status="draft")
    InitiativeStatus.objects.create(initiative=draft, light=Light.RED, judged_on=_today())

    call_command(
        "refresh_monitoring_status", "--date", _today().isoformat(), stdout=open("/dev/null", "w")
    )

    assert list(InitiativeStatus.objects.values_list("initiative", "light")) == [
        (hub.pk, Light.GREEN)
    ]


@pytest.fixture
def dummy_tasks(settings):
    """Tasks are kept, not run: what was enqueued can be counted."""
    from django_tasks import task_backends

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    backend = task_backends["default"]
    backend.clear()
    cache.clear()
    yield backend
    cache.clear()


def test_the_dashboard_enqueues_at_most_one_refresh_a_day(client, secretariat, dummy_tasks):
    # given a status judged yesterday
    hub, editor = make_hub()
    services.deliverable_save(
        actor=editor, initiative=hub, data={"title": "Forum", "due_date": _today() - DAY}
    )
    services.statuses_refresh(initiative_ids=[hub.pk], today=_today() - DAY)

    # when the secretariat and a partner look at the dashboard, three times
    client.force_login(secretariat)
    page = client.get(DASHBOARD).content.decode()
    client.get(DASHBOARD)
    client.force_login(UserFactory(roles={"partner"}))
    client.get(DASHBOARD, {"light": "red"})

    # then the refresh is enqueued once, and the page says how old the statuses are
    assert [result.task.name for result in dummy_tasks.results] == ["statuses_refresh_stale"]
    as_of = _today() - DAY
    assert f"Statuses as of {formats.date_format(as_of, 'DATE_FORMAT')}" in page


def test_the_dashboard_enqueues_nothing_when_the_statuses_are_of_today(
    client, secretariat, dummy_tasks
):
    hub, _editor = make_hub()
    services.statuses_refresh(initiative_ids=[hub.pk])
    make_hub(title="Nothing recorded yet")  # no status, no records: green, nothing to judge
    client.force_login(secretariat)

    client.get(DASHBOARD)

    assert dummy_tasks.results == []
    # The portfolio found fresh is not checked again for five minutes…
    services.statuses_refresh(initiative_ids=[hub.pk], today=_today() - DAY)
    client.get(DASHBOARD)
    assert dummy_tasks.results == []
    # …then it is, and the stale status is refreshed.
    cache.delete(f"monitoring:statuses-refresh:{_today().isoformat()}:checked")
    client.get(DASHBOARD)
    assert len(dummy_tasks.results) == 1


def test_a_followed_initiative_with_records_but_no_status_is_refreshed(
    client, secretariat, dummy_tasks
):
    # given an initiative with a late deliverable whose status was never stored
    hub, editor = make_hub()
    services.deliverable_save(
        actor=editor, initiative=hub, data={"title": "Forum", "due_date": _today() - DAY}
    )
    client.force_login(secretariat)

    # when the dashboard is shown, the refresh is enqueued
    client.get(DASHBOARD)
    assert len(dummy_tasks.results) == 1

    # and when the task runs, the initiative gets its status
    assert dummy_tasks.results[0].task.call() == 1
    assert _stored(hub).light == Light.AMBER


def test_the_enqueued_task_refreshes_in_the_dashboards_request_with_the_immediate_backend(
    client, secretariat
):
    # given a status judged yesterday, when the day has made a deliverable late
    cache.clear()
    hub, editor = make_hub()
    services.deliverable_save(
        actor=editor, initiative=hub, data={"title": "Forum", "due_date": _today() - DAY}
    )
    services.statuses_refresh(initiative_ids=[hub.pk], today=_today() - DAY)
    client.force_login(secretariat)

    # when the dashboard is shown (the test settings run tasks at once)
    client.get(DASHBOARD)

    # then the status is judged again as of today
    assert (_stored(hub).light, _stored(hub).judged_on) == (Light.AMBER, _today())
    cache.clear()


def test_the_dashboard_query_count_stays_constant_with_stale_statuses(
    client, secretariat, dummy_tasks
):
    def stale(n):
        for _ in range(n):
            hub = _initiative("Stale", late=1, unmeasured=1)
            services.statuses_refresh(initiative_ids=[hub.pk], today=_today() - DAY)

    client.force_login(secretariat)

    count = assert_queries_constant(client, DASHBOARD, stale, rows=12)

    assert count <= 18  # cold cache: the dashboard's 17 and the check for stale statuses
    assert len(dummy_tasks.results) == 2  # once per count: the cache is emptied before each


# The dashboard reads the same answers as judging in Python ----------------------------------


def _initiative(title, *, region=None, goals=(), late=0, unmeasured=0, status="labelled"):
    hub, editor = make_hub(title=title, status=status)
    if region:
        organization = hub.lead_organization
        organization.regional_section = RegionalSection.objects.get(slug=region)
        organization.save()
    hub.goals.set(Goal.objects.filter(number__in=goals))
    for n in range(late):
        services.deliverable_save(
            actor=editor,
            initiative=hub,
            data={"title": f"Late {n}", "due_date": _today() - (10 + n) * DAY},
        )
    for n in range(unmeasured):
        make_indicator(hub, editor, name=f"Indicator {n}")
    return hub


@pytest.fixture
def mixed_portfolio(db):
    """Lights, sections and goals mixed; initiatives that share their first goal share all of
    them, so that the old sort by the list of goals and the sort by the smallest agree."""
    for spec in (
        ("Bilbao", "europe", [11, 16], 2, 0),
        ("Valongo", "europe", [3], 0, 1),
        ("Xi'an", "asia-pacific", [4, 5], 0, 0),
        ("Venice", None, [17], 0, 0),
        ("Dakar", "africa", [11, 16], 1, 1),
        ("Accra", "africa", [], 2, 1),
        ("Quito", "latin-america", [1, 2], 0, 2),
        ("zurich", "europe", [3], 0, 0),
    ):
        title, region, goals, late, unmeasured = spec
        _initiative(title, region=region, goals=goals, late=late, unmeasured=unmeasured)
    _initiative("A draft", region="africa", goals=[1], status="draft")
    services.statuses_refresh()


def _reference(user, *, region="", sdg=None, light="", sort="light"):
    """The rows in the order the portfolio had when it judged everything in Python."""
    initiatives = selectors.followed_initiatives()
    if region:
        initiatives = initiatives.filter(lead_organization__regional_section__slug=region)
    if sdg:
        initiatives = initiatives.filter(goals__number=sdg)
    summaries = selectors.summarize_many(initiatives)
    rows = []
    for initiative in initiatives.select_related("lead_organization__regional_section"):
        section = initiative.lead_organization.regional_section
        goals = sorted(goal.number for goal in initiative.goals.all())
        rows.append((initiative, summaries[initiative.pk], section, goals))
    if light:
        rows = [row for row in rows if row[1].light == light]
    field = sort.removeprefix("-")

    def key(row):
        initiative, summary, section, goals = row
        name = initiative.title.casefold()
        if field == "name":
            return name
        if field == "region":
            return (section is None, (section.position, section.name) if section else (0, ""), name)
        if field == "sdg":
            return (not goals, goals, name)
        return (selectors.LIGHT_ORDER[summary.light], name)

    rows.sort(key=key, reverse=sort.startswith("-"))
    return rows


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"region": "europe"},
        {"region": "africa"},
        {"sdg": 11},
        {"sdg": 3},
        {"light": Light.RED},
        {"light": Light.AMBER},
        {"light": Light.GREEN},
        {"region": "europe", "sdg": 3, "light": Light.GREEN},
    ],
)
@pytest.mark.parametrize(
    "sort", ["light", "-light", "name", "-name", "region", "-region", "sdg", "-sdg"]
)
def test_filters_sorts_and_counts_give_the_same_answers_as_judging_in_python(
    mixed_portfolio, secretariat, filters, sort
):
    expected = _reference(secretariat, sort=sort, **filters)

    data = selectors.portfolio(user=secretariat, sort=sort, **filters)

    rows = list(data.rows)
    assert [row.initiative.title for row in rows] == [row[0].title for row in expected]
    assert [row.summary for row in rows] == [row[1] for row in expected]
    assert [[goal.number for goal in row.goals] for row in rows] == [row[3] for row in expected]
    assert [row.region for row in rows] == [row[2] for row in expected]
    assert len(data.rows) == len(expected)
    lights = {light: n for light, _label, n in data.by_light}
    assert lights == {
        light: sum(row[1].light == light for row in expected) for light in selectors.LIGHT_ORDER
    }
    regions = {(section.pk if section else None): n for section, n in data.by_region}
    for section in RegionalSection.objects.all():
        assert regions[section.pk] == sum(row[2] == section for row in expected)
    assert regions.get(None, 0) == sum(row[2] is None for row in expected)
    goals = {goal.number: n for goal, n in data.by_sdg}
    assert goals == {n: sum(n in row[3] for row in expected) for n in range(1, 18)}
    attention = [row for row in _reference(secretariat, **filters) if row[1].light != Light.GREEN]
    assert [row.initiative.title for row in data.attention] == [row[0].title for row in attention]
    assert data.attention_total == len(attention)


def test_pages_and_the_attention_list_are_slices_of_the_same_order(mixed_portfolio, secretariat):
    expected = [row[0].title for row in _reference(secretariat, sort="-name")]

    pages = [
        selectors.portfolio(user=secretariat, sort="-name", page=number, per_page=3)
        for number in (1, 2, 3, 99)
    ]

    assert [[row.initiative.title for row in page.page.object_list] for page in pages] == [
        expected[0:3],
        expected[3:6],
        expected[6:8],
        expected[6:8],  # beyond the last page: the last page
    ]
    data = selectors.portfolio(user=secretariat, attention_limit=2)
    assert [row.initiative.title for row in data.attention] == ["Accra", "Bilbao"]
    assert data.attention_total == 5


def test_missing_statuses_count_as_green_and_the_rows_keep_their_reasons(secretariat):
    # given an initiative stored red, and one with no status and no records
    red = _initiative("Bilbao", late=2)
    services.statuses_refresh(initiative_ids=[red.pk])
    _initiative("New HUB")

    data = selectors.portfolio(user=secretariat)

    assert [(light, n) for light, _label, n in data.by_light] == [
        (Light.RED, 1),
        (Light.AMBER, 0),
        (Light.GREEN, 1),
    ]
    red_row, new_row = list(data.rows)
    assert red_row.summary.reasons[0].startswith("Only 0% of the deliverables due so far")
    assert new_row.summary.light == Light.GREEN
    assert new_row.summary.reasons == [
        "Deliverables on time, indicators on track and reports up to date."
    ]
    assert data.as_of == _today()
    assert Initiative.objects.count() == 2
