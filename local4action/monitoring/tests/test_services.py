"""The rules of monitoring writes, as the services enforce them: deliverables, indicators,
measurements, reporting plans and progress reports, and who may do what."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from local4action.accounts.tests.factories import MembershipFactory, UserFactory
from local4action.core.models import AuditEvent, Notification
from local4action.initiatives.models import Initiative
from local4action.monitoring import permissions, services
from local4action.monitoring.choices import (
    DeliverableState,
    DeliverableStatus,
    ReportStatus,
)
from local4action.monitoring.models import (
    Deliverable,
    Indicator,
    Measurement,
    MonitoringPlan,
    ProgressReport,
)
from local4action.monitoring.tests.factories import make_hub, make_indicator

DAY = datetime.timedelta(days=1)
NOT_FOLLOWED = ["draft", "submitted", "declined", "completed", "withdrawn"]
FULL_REPORT = {
    "narrative": "Three municipalities trained.",
    "acceleration": "Budgets were voted a year earlier.",
    "synchronization": "We built on the Bilbao values forum.",
}


# Helpers -------------------------------------------------------------------------------------


def _today() -> datetime.date:
    return timezone.localdate()


def _snapshot(obj) -> dict:
    """The row as stored, read afresh: services may have touched the object in memory."""
    fresh = type(obj).objects.get(pk=obj.pk)
    return {f.attname: getattr(fresh, f.attname) for f in fresh._meta.concrete_fields}


def _counts() -> dict:
    """Everything a refused write must leave as it was."""
    return {
        model.__name__: model.objects.count()
        for model in (
            Deliverable,
            Indicator,
            Measurement,
            MonitoringPlan,
            ProgressReport,
            AuditEvent,
            Notification,
        )
    }


def _person(role: str, hub: Initiative):
    """A user with the given relation to the HUB's lead organization."""
    if role == "anonymous":
        return AnonymousUser()
    if role == "outsider":
        # an editor, but of another organization
        return MembershipFactory(role="editor").user
    if role in ("member", "editor", "admin"):
        return MembershipFactory(organization=hub.lead_organization, role=role).user
    if role in ("partner", "secretariat"):
        return UserFactory(roles={role})
    raise AssertionError(role)


def _deliverable_data(**fields) -> dict:
    return {
        "title": "Training for ten municipalities",
        "due_date": _today() + 30 * DAY,
        "success_criteria": "Ten trained teams",
        "agreed_with": "The ten municipalities",
        **fields,
    }


def _deliverable(hub, editor, **fields) -> Deliverable:
    return services.deliverable_save(actor=editor, initiative=hub, data=_deliverable_data(**fields))


def _report(hub, *, due=None, **fields) -> ProgressReport:
    due = due or _today() + 30 * DAY
    return ProgressReport.objects.create(
        initiative=hub, period_start=due - 180 * DAY, period_end=due, due_date=due, **fields
    )


def _submitted(hub, editor) -> ProgressReport:
    report = _report(hub)
    services.report_save(actor=editor, report=report, data=FULL_REPORT)
    return services.report_submit(actor=editor, report=report)


def _audits(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action))


def _messages(error: ValidationError) -> list[str]:
    return error.messages


@pytest.fixture
def hub(hub_and_editor):
    return hub_and_editor[0]


@pytest.fixture
def editor(hub_and_editor):
    return hub_and_editor[1]


@pytest.fixture
def team_admin(hub):
    return hub.lead_organization.memberships.get(role="admin").user


@pytest.fixture
def team_member(hub):
    return _person("member", hub)


@pytest.fixture
def partner(db):
    return UserFactory(roles={"partner"})


@pytest.fixture
def indicator(hub, editor):
    """People trained, 0 → 100 from the HUB's start a year ago to its end in a year."""
    return make_indicator(hub, editor, disaggregation_keys=["sex", "district"])


# Who may do what -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "view", "edit", "manage"),
    [
        ("anonymous", False, False, False),
        ("outsider", False, False, False),
        ("member", True, False, False),
        ("editor", True, True, False),
        ("admin", True, True, False),
        ("partner", True, False, False),
        ("secretariat", True, False, True),
    ],
)
def test_who_may_view_edit_and_manage_a_hubs_monitoring(hub, role, view, edit, manage):
    person = _person(role, hub)

    assert permissions.can_view_monitoring(person, hub) is view
    assert permissions.can_edit_monitoring(person, hub) is edit
    assert permissions.can_manage_monitoring(person) is manage


def test_an_accompanied_initiative_is_edited_by_its_team_like_a_hub(db):
    initiative, editor = make_hub(status="accompanied")

    assert permissions.can_edit_monitoring(editor, initiative)
    assert permissions.can_view_monitoring(_person("partner", initiative), initiative)


@pytest.mark.parametrize("role", ["member", "editor", "admin"])
def test_a_membership_still_requested_gives_no_access(hub, role):
    person = MembershipFactory(
        organization=hub.lead_organization, role=role, status="requested"
    ).user

    assert not permissions.can_view_monitoring(person, hub)
    assert not permissions.can_edit_monitoring(person, hub)


@pytest.mark.parametrize("status", NOT_FOLLOWED)
def test_the_team_no_longer_edits_an_initiative_that_is_not_followed(db, status):
    initiative, editor = make_hub(status=status)

    assert permissions.can_view_monitoring(editor, initiative)
    assert not permissions.can_edit_monitoring(editor, initiative)


@pytest.mark.parametrize(
    ("status", "visible"),
    [("draft", False), ("submitted", False), ("declined", False), ("completed", True)],
)
def test_partners_follow_the_portfolio_not_applications(db, status, visible):
    initiative, _editor = make_hub(status=status)

    assert permissions.can_view_monitoring(_person("partner", initiative), initiative) is visible
    assert permissions.can_view_monitoring(_person("secretariat", initiative), initiative)


# Deliverables --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["editor", "admin"])
def test_a_team_editor_or_admin_adds_a_deliverable(hub, role):
    # given someone who runs the HUB
    actor = _person(role, hub)

    # when they add a deliverable
    deliverable = services.deliverable_save(actor=actor, initiative=hub, data=_deliverable_data())

    # then it is stored as planned, with an audit row naming them
    deliverable.refresh_from_db()
    assert deliverable.initiative == hub
    assert deliverable.status == DeliverableStatus.PLANNED
    assert deliverable.delivered_on is None
    [event] = _audits("deliverable.save")
    assert event.actor == actor
    assert event.object_id == str(deliverable.pk)
    assert event.changes["title"] == ["", "Training for ten municipalities"]


def test_an_accompanied_initiative_records_its_deliverables(db):
    initiative, editor = make_hub(status="accompanied")

    deliverable = services.deliverable_save(
        actor=editor, initiative=initiative, data=_deliverable_data()
    )

    assert Deliverable.objects.get(pk=deliverable.pk).initiative == initiative


@pytest.mark.parametrize("role", ["anonymous", "outsider", "member", "partner", "secretariat"])
def test_others_cannot_add_a_deliverable(hub, role):
    person = _person(role, hub)
    before = _counts()

    with pytest.raises(PermissionDenied):
        services.deliverable_save(actor=person, initiative=hub, data=_deliverable_data())

    assert _counts() == before


@pytest.mark.parametrize("role", ["anonymous", "outsider", "member", "partner", "secretariat"])
def test_others_cannot_change_a_deliverable(hub, editor, role):
    person = _person(role, hub)
    # given a deliverable of the HUB
    deliverable = _deliverable(hub, editor)
    row, before = _snapshot(deliverable), _counts()

    # when someone outside the team's editors marks it delivered
    with pytest.raises(PermissionDenied):
        services.deliverable_save(
            actor=person,
            initiative=hub,
            deliverable=deliverable,
            data={"status": DeliverableStatus.DELIVERED, "title": "Changed"},
        )

    # then nothing changed and no audit row was added
    assert _snapshot(deliverable) == row
    assert _counts() == before


@pytest.mark.parametrize("status", NOT_FOLLOWED)
def test_no_deliverable_is_recorded_for_an_initiative_that_is_not_followed(db, status):
    # given a draft or declined initiative (or one already closed) and its own editor
    initiative, editor = make_hub(status=status)
    before = _counts()

    with pytest.raises(PermissionDenied):
        services.deliverable_save(actor=editor, initiative=initiative, data=_deliverable_data())

    assert _counts() == before


def test_a_deliverable_is_not_changed_through_another_initiative(hub, editor):
    # given the editor's HUB and a deliverable of another HUB
    other_hub, other_editor = make_hub(title="Bilbao, city of values")
    theirs = _deliverable(other_hub, other_editor)
    row, before = _snapshot(theirs), _counts()

    # when the editor passes it along with their own HUB
    with pytest.raises(PermissionDenied):
        services.deliverable_save(
            actor=editor, initiative=hub, deliverable=theirs, data={"title": "Mine now"}
        )

    assert _snapshot(theirs) == row
    assert _counts() == before


def test_marking_a_deliverable_delivered_records_today(hub, editor):
    deliverable = _deliverable(hub, editor, due_date=_today() + 10 * DAY)

    deliverable = services.deliverable_save(
        actor=editor,
        initiative=hub,
        deliverable=deliverable,
        data={"status": DeliverableStatus.DELIVERED},
    )

    deliverable.refresh_from_db()
    assert deliverable.delivered_on == _today()
    assert deliverable.state() == DeliverableState.DELIVERED
    [_created, changed] = sorted(_audits("deliverable.save"), key=lambda e: e.pk)
    assert changed.changes["status"] == ["planned", "delivered"]
    assert changed.changes["delivered_on"] == ["None", _today().isoformat()]


def test_a_deliverable_delivered_today_after_its_due_date_shows_delivered_late(hub, editor):
    deliverable = _deliverable(hub, editor, due_date=_today() - 3 * DAY)
    assert deliverable.state() == DeliverableState.LATE

    deliverable = services.deliverable_save(
        actor=editor,
        initiative=hub,
        deliverable=deliverable,
        data={"status": DeliverableStatus.DELIVERED},
    )

    assert deliverable.delivered_on == _today()
    assert deliverable.state() == DeliverableState.DELIVERED_LATE


def test_a_delivery_date_in_the_past_is_kept(hub, editor):
    delivered_on = _today() - 20 * DAY

    deliverable = _deliverable(
        hub, editor, status=DeliverableStatus.DELIVERED, delivered_on=delivered_on
    )

    deliverable.refresh_from_db()
    assert deliverable.delivered_on == delivered_on


def test_a_delivery_date_in_the_future_is_refused(hub, editor):
    # given a planned deliverable
    deliverable = _deliverable(hub, editor)
    row, before = _snapshot(deliverable), _counts()

    # when the editor says it will be delivered tomorrow
    with pytest.raises(ValidationError) as error:
        services.deliverable_save(
            actor=editor,
            initiative=hub,
            deliverable=deliverable,
            data={"status": DeliverableStatus.DELIVERED, "delivered_on": _today() + DAY},
        )

    # then it is refused on that field, and nothing changed
    assert error.value.message_dict == {
        "delivered_on": ["The delivery date cannot be in the future."]
    }
    assert _snapshot(deliverable) == row
    assert _counts() == before


def test_late_cannot_be_stored_as_a_status(hub, editor):
    deliverable = _deliverable(hub, editor)
    row, before = _snapshot(deliverable), _counts()

    with pytest.raises(ValidationError) as error:
        services.deliverable_save(
            actor=editor, initiative=hub, deliverable=deliverable, data={"status": "late"}
        )
    with pytest.raises(ValidationError) as error_on_new:
        services.deliverable_save(
            actor=editor, initiative=hub, data=_deliverable_data(status="late")
        )

    assert list(error.value.message_dict) == ["status"]
    assert list(error_on_new.value.message_dict) == ["status"]
    assert _snapshot(deliverable) == row
    assert _counts() == before


def test_a_deliverable_no_longer_delivered_loses_its_delivery_date(hub, editor):
    deliverable = _deliverable(
        hub, editor, status=DeliverableStatus.DELIVERED, delivered_on=_today() - DAY
    )

    services.deliverable_save(
        actor=editor,
        initiative=hub,
        deliverable=deliverable,
        data={"status": DeliverableStatus.IN_PROGRESS},
    )

    deliverable.refresh_from_db()
    assert deliverable.status == DeliverableStatus.IN_PROGRESS
    assert deliverable.delivered_on is None


def test_a_deliverable_needs_a_title(hub, editor):
    before = _counts()

    with pytest.raises(ValidationError) as error:
        services.deliverable_save(actor=editor, initiative=hub, data=_deliverable_data(title=""))

    assert "title" in error.value.message_dict
    assert _counts() == before


# Indicators ----------------------------------------------------------------------------------


def test_an_editor_defines_an_indicator_with_clean_breakdowns(hub, editor):
    indicator = make_indicator(
        hub, editor, disaggregation_keys=[" Sex ", "sex", "", "Age group", "  ", "DISTRICT"]
    )

    indicator.refresh_from_db()
    assert indicator.disaggregation_keys == ["sex", "age group", "district"]
    assert indicator.latest_value is None
    assert indicator.latest_date is None
    [event] = _audits("indicator.save")
    assert event.actor == editor
    assert event.object_id == str(indicator.pk)


def test_an_indicator_without_breakdowns_has_an_empty_list(hub, editor):
    indicator = make_indicator(hub, editor, disaggregation_keys=None)

    indicator.refresh_from_db()
    assert indicator.disaggregation_keys == []


def test_a_target_equal_to_the_baseline_is_refused(hub, editor):
    before = _counts()

    with pytest.raises(ValidationError) as error:
        make_indicator(hub, editor, baseline_value=Decimal("40"), target_value=Decimal("40"))

    assert error.value.message_dict == {
        "target_value": ["The target must differ from the baseline."]
    }
    assert _counts() == before


@pytest.mark.parametrize(
    ("direction", "baseline", "target", "message"),
    [
        ("higher", "50", "20", "Higher is better: the target must be above the baseline."),
        ("lower", "30", "45", "Lower is better: the target must be below the baseline."),
    ],
)
def test_a_target_in_the_wrong_direction_is_refused(
    hub, editor, direction, baseline, target, message
):
    before = _counts()

    with pytest.raises(ValidationError) as error:
        make_indicator(
            hub,
            editor,
            direction=direction,
            baseline_value=Decimal(baseline),
            target_value=Decimal(target),
        )

    assert error.value.message_dict == {"target_value": [message]}
    assert _counts() == before


def test_a_lower_is_better_indicator_with_a_lower_target_is_accepted(hub, editor):
    indicator = make_indicator(
        hub,
        editor,
        name="Days to process a permit",
        unit="days",
        direction="lower",
        baseline_value=Decimal("30"),
        target_value=Decimal("10"),
    )

    indicator.refresh_from_db()
    assert indicator.direction == "lower"
    assert indicator.target_value == Decimal("10")


@pytest.mark.parametrize("days_after_baseline", [0, -1])
def test_a_target_date_not_after_the_baseline_date_is_refused(hub, editor, days_after_baseline):
    before = _counts()

    with pytest.raises(ValidationError) as error:
        make_indicator(hub, editor, target_date=hub.start_date + days_after_baseline * DAY)

    assert error.value.message_dict == {
        "target_date": ["The target date must come after the baseline date."]
    }
    assert _counts() == before


def test_moving_the_baseline_date_after_existing_measurements_is_refused(hub, editor, indicator):
    # given a value measured ten days after the baseline
    services.measurement_add(
        actor=editor, indicator=indicator, date=hub.start_date + 10 * DAY, value=Decimal("5")
    )
    row, before = _snapshot(indicator), _counts()

    # when the editor moves the baseline date past it
    with pytest.raises(ValidationError) as error:
        services.indicator_save(
            actor=editor,
            initiative=hub,
            indicator=indicator,
            data={"baseline_date": hub.start_date + 11 * DAY},
        )

    # then it is refused, and the indicator is as it was
    assert error.value.message_dict == {
        "baseline_date": ["Some measurements are dated before this baseline date."]
    }
    assert _snapshot(indicator) == row
    assert _counts() == before


def test_moving_the_baseline_date_up_to_the_first_measurement_is_accepted(hub, editor, indicator):
    first = hub.start_date + 10 * DAY
    services.measurement_add(actor=editor, indicator=indicator, date=first, value=Decimal("5"))

    services.indicator_save(
        actor=editor, initiative=hub, indicator=indicator, data={"baseline_date": first}
    )

    indicator.refresh_from_db()
    assert indicator.baseline_date == first
    assert indicator.latest_value == Decimal("5")


@pytest.mark.parametrize("role", ["anonymous", "outsider", "member", "partner", "secretariat"])
def test_others_cannot_change_an_indicator(hub, indicator, role):
    person = _person(role, hub)
    row, before = _snapshot(indicator), _counts()

    with pytest.raises(PermissionDenied):
        services.indicator_save(
            actor=person,
            initiative=hub,
            indicator=indicator,
            data={"target_value": Decimal("500")},
        )

    assert _snapshot(indicator) == row
    assert _counts() == before


@pytest.mark.parametrize("status", ["draft", "declined"])
def test_no_indicator_is_defined_for_an_initiative_that_is_not_followed(db, status):
    initiative, editor = make_hub(status=status)
    before = _counts()

    with pytest.raises(PermissionDenied):
        make_indicator(initiative, editor)

    assert _counts() == before


def test_an_indicator_is_not_changed_through_another_initiative(hub, editor):
    other_hub, other_editor = make_hub(title="Bilbao, city of values")
    theirs = make_indicator(other_hub, other_editor)
    row, before = _snapshot(theirs), _counts()

    with pytest.raises(PermissionDenied):
        services.indicator_save(
            actor=editor, initiative=hub, indicator=theirs, data={"name": "Mine now"}
        )

    assert _snapshot(theirs) == row
    assert _counts() == before


# The database refuses what the services refuse -----------------------------------------------


def _indicator_row(hub, **fields) -> dict:
    return {
        "initiative": hub,
        "name": "People trained",
        "unit": "people",
        "direction": "higher",
        "baseline_value": Decimal("0"),
        "baseline_date": hub.start_date,
        "target_value": Decimal("100"),
        "target_date": hub.end_date,
        **fields,
    }


@pytest.mark.parametrize(
    "fields",
    [
        {"target_value": Decimal("0")},
        {"target_value": Decimal("-10")},
        {"direction": "lower", "baseline_value": Decimal("30"), "target_value": Decimal("40")},
        {"direction": "lower", "baseline_value": Decimal("30"), "target_value": Decimal("30")},
        {"target_date_offset": 0},
        {"target_date_offset": -1},
        {"name": ""},
    ],
    ids=[
        "target-equals-baseline",
        "higher-target-below",
        "lower-target-above",
        "lower-target-equals",
        "target-date-equals-baseline",
        "target-date-before-baseline",
        "no-name",
    ],
)
def test_the_database_refuses_an_indicator_that_bypasses_the_service(hub, fields):
    if "target_date_offset" in fields:
        fields = {"target_date": hub.start_date + fields.pop("target_date_offset") * DAY}
    before = _counts()

    with pytest.raises(IntegrityError), transaction.atomic():
        Indicator.objects.create(**_indicator_row(hub, **fields))

    assert _counts() == before


@pytest.mark.parametrize(
    "fields",
    [
        {"status": "late"},
        {"status": DeliverableStatus.DELIVERED, "delivered_on": None},
        {"title": ""},
    ],
    ids=["status-late", "delivered-without-date", "no-title"],
)
def test_the_database_refuses_a_deliverable_that_bypasses_the_service(hub, fields):
    before = _counts()

    with pytest.raises(IntegrityError), transaction.atomic():
        Deliverable.objects.create(initiative=hub, **{"title": "D", "due_date": _today(), **fields})

    assert _counts() == before


def test_the_database_refuses_a_second_value_for_the_same_date_and_breakdown(
    hub, editor, indicator
):
    services.measurement_add(
        actor=editor,
        indicator=indicator,
        date=_today(),
        value=Decimal("5"),
        disaggregation={"sex": "female"},
    )
    before = _counts()

    with pytest.raises(IntegrityError), transaction.atomic():
        Measurement.objects.create(
            indicator=indicator,
            date=_today(),
            value=Decimal("6"),
            disaggregation={"sex": "female"},
        )

    assert _counts() == before


# Measurements --------------------------------------------------------------------------------


def test_a_measurement_is_recorded_and_becomes_the_latest_value(hub, editor, indicator):
    # when the editor records 25 people trained today
    measurement = services.measurement_add(
        actor=editor,
        indicator=indicator,
        date=_today(),
        value=Decimal("25"),
        source="Attendance sheets",
    )

    # then it is stored, and the indicator's latest value follows, in memory and in the database
    measurement.refresh_from_db()
    assert measurement.created_by == editor
    assert measurement.disaggregation == {}
    assert (indicator.latest_value, indicator.latest_date) == (Decimal("25"), _today())
    assert _snapshot(indicator)["latest_value"] == Decimal("25")
    assert _snapshot(indicator)["latest_date"] == _today()


@pytest.mark.parametrize("value", ["12", "twelve", "", None])
def test_a_value_that_is_not_a_number_is_refused(hub, editor, indicator, value):
    before, row = _counts(), _snapshot(indicator)

    with pytest.raises(ValidationError) as error:
        services.measurement_add(actor=editor, indicator=indicator, date=_today(), value=value)

    assert _messages(error.value) == ["The value must be a number."]
    assert _counts() == before
    assert _snapshot(indicator) == row


def test_a_date_before_the_baseline_is_refused(hub, editor, indicator):
    before = _counts()

    with pytest.raises(ValidationError) as error:
        services.measurement_add(
            actor=editor, indicator=indicator, date=hub.start_date - DAY, value=Decimal("1")
        )

    assert _messages(error.value) == [
        f"The date is before the baseline date ({hub.start_date.isoformat()})."
    ]
    assert _counts() == before


def test_a_future_date_is_refused(hub, editor, indicator):
    before = _counts()

    with pytest.raises(ValidationError) as error:
        services.measurement_add(
            actor=editor, indicator=indicator, date=_today() + DAY, value=Decimal("1")
        )

    assert _messages(error.value) == ["The date is in the future."]
    assert _counts() == before


def test_a_missing_date_is_refused(hub, editor, indicator):
    before = _counts()

    with pytest.raises(ValidationError) as error:
        services.measurement_add(actor=editor, indicator=indicator, date=None, value=Decimal("1"))

    assert _messages(error.value) == ["The date is missing or not a date."]
    assert _counts() == before


def test_the_baseline_date_and_today_are_both_accepted(hub, editor, indicator):
    services.measurement_add(
        actor=editor, indicator=indicator, date=hub.start_date, value=Decimal("0")
    )
    services.measurement_add(actor=editor, indicator=indicator, date=_today(), value=Decimal("1"))

    assert list(indicator.measurements.values_list("date", flat=True)) == [
        hub.start_date,
        _today(),
    ]


def test_an_unknown_breakdown_is_refused(hub, editor, indicator):
    before = _counts()

    with pytest.raises(ValidationError) as error:
        services.measurement_add(
            actor=editor,
            indicator=indicator,
            date=_today(),
            value=Decimal("1"),
            disaggregation={"sex": "female", "age": "15-24", "income": "low"},
        )

    assert _messages(error.value) == ["Unknown breakdown: age, income."]
    assert _counts() == before


def test_several_problems_are_reported_together(hub, editor, indicator):
    with pytest.raises(ValidationError) as error:
        services.measurement_add(
            actor=editor,
            indicator=indicator,
            date=_today() + DAY,
            value="many",
            disaggregation={"age": "15-24"},
        )

    assert _messages(error.value) == [
        "The value must be a number.",
        "The date is in the future.",
        "Unknown breakdown: age.",
    ]


def test_a_second_value_for_the_same_date_and_breakdown_is_refused(hub, editor, indicator):
    # given a value for women today
    first = services.measurement_add(
        actor=editor,
        indicator=indicator,
        date=_today(),
        value=Decimal("12"),
        disaggregation={"sex": "female"},
    )
    before = _counts()

    # when another value for women today is added
    with pytest.raises(ValidationError) as error:
        services.measurement_add(
            actor=editor,
            indicator=indicator,
            date=_today(),
            value=Decimal("13"),
            disaggregation={"sex": "female"},
        )

    # then it is refused with a clear message and the first value stands
    assert _messages(error.value) == ["There is already a value for this date and breakdown."]
    assert _counts() == before
    assert _snapshot(first)["value"] == Decimal("12")


def test_a_second_total_for_the_same_date_is_refused(hub, editor, indicator):
    services.measurement_add(actor=editor, indicator=indicator, date=_today(), value=Decimal("1"))
    before, row = _counts(), _snapshot(indicator)

    with pytest.raises(ValidationError) as error:
        # an empty breakdown part is the total
        services.measurement_add(
            actor=editor,
            indicator=indicator,
            date=_today(),
            value=Decimal("2"),
            disaggregation={"sex": ""},
        )

    assert _messages(error.value) == ["There is already a value for this date and breakdown."]
    assert _counts() == before
    assert _snapshot(indicator) == row


def test_the_same_breakdown_in_another_order_is_the_same_breakdown(hub, editor, indicator):
    services.measurement_add(
        actor=editor,
        indicator=indicator,
        date=_today(),
        value=Decimal("3"),
        disaggregation={"sex": "female", "district": "north"},
    )
    before = _counts()

    with pytest.raises(ValidationError):
        services.measurement_add(
            actor=editor,
            indicator=indicator,
            date=_today(),
            value=Decimal("4"),
            disaggregation={"district": "north", "sex": "female"},
        )

    assert _counts() == before


def test_one_date_holds_a_total_and_each_breakdown(hub, editor, indicator):
    for disaggregation, value in [
        ({}, "30"),
        ({"sex": "female"}, "18"),
        ({"sex": "male"}, "12"),
        ({"sex": "female", "district": "north"}, "7"),
    ]:
        services.measurement_add(
            actor=editor,
            indicator=indicator,
            date=_today(),
            value=Decimal(value),
            disaggregation=disaggregation,
        )

    assert indicator.measurements.count() == 4
    assert indicator.latest_value == Decimal("30")


def test_the_latest_value_follows_the_newest_total_only(hub, editor, indicator):
    # given a total ten days ago
    ten_days_ago = _today() - 10 * DAY
    services.measurement_add(
        actor=editor, indicator=indicator, date=ten_days_ago, value=Decimal("20")
    )

    # when a newer breakdown and an older total are added
    services.measurement_add(
        actor=editor,
        indicator=indicator,
        date=_today(),
        value=Decimal("99"),
        disaggregation={"sex": "female"},
    )
    services.measurement_add(
        actor=editor, indicator=indicator, date=_today() - 20 * DAY, value=Decimal("15")
    )

    # then the latest value is still the newest total
    row = _snapshot(indicator)
    assert (row["latest_value"], row["latest_date"]) == (Decimal("20"), ten_days_ago)

    # and a newer total takes its place
    services.measurement_add(
        actor=editor, indicator=indicator, date=_today() - DAY, value=Decimal("31")
    )
    row = _snapshot(indicator)
    assert (row["latest_value"], row["latest_date"]) == (Decimal("31"), _today() - DAY)


def test_deleting_the_newest_total_moves_the_latest_value_back(hub, editor, indicator):
    older = services.measurement_add(
        actor=editor, indicator=indicator, date=_today() - 10 * DAY, value=Decimal("20")
    )
    newest = services.measurement_add(
        actor=editor, indicator=indicator, date=_today(), value=Decimal("30")
    )

    services.measurement_delete(actor=editor, measurement=newest)

    row = _snapshot(indicator)
    assert (row["latest_value"], row["latest_date"]) == (Decimal("20"), _today() - 10 * DAY)
    assert AuditEvent.objects.filter(action="measurement.delete", actor=editor).count() == 1

    services.measurement_delete(actor=editor, measurement=older)

    row = _snapshot(indicator)
    assert (row["latest_value"], row["latest_date"]) == (None, None)


@pytest.mark.parametrize("role", ["anonymous", "outsider", "member", "partner", "secretariat"])
def test_others_cannot_add_or_delete_a_measurement(hub, editor, indicator, role):
    measurement = services.measurement_add(
        actor=editor, indicator=indicator, date=_today(), value=Decimal("5")
    )
    person = _person(role, hub)
    before, row = _counts(), _snapshot(indicator)

    with pytest.raises(PermissionDenied):
        services.measurement_add(
            actor=person, indicator=indicator, date=_today() - DAY, value=Decimal("4")
        )
    with pytest.raises(PermissionDenied):
        services.measurement_delete(actor=person, measurement=measurement)

    assert _counts() == before
    assert _snapshot(indicator) == row


def test_no_measurement_once_the_initiative_is_completed(hub, editor, indicator):
    Initiative.objects.filter(pk=hub.pk).update(status="completed")
    indicator = Indicator.objects.get(pk=indicator.pk)
    before = _counts()

    with pytest.raises(PermissionDenied):
        services.measurement_add(
            actor=editor, indicator=indicator, date=_today(), value=Decimal("5")
        )

    assert _counts() == before


# Importing measurements ----------------------------------------------------------------------


def _rows(*dated_values, **extra) -> list[dict]:
    return [{"date": date, "value": Decimal(value), **extra} for date, value in dated_values]


def test_an_import_saves_every_row_and_returns_the_count(hub, editor, indicator):
    rows = _rows(
        (_today() - 30 * DAY, "10"), (_today() - 20 * DAY, "14"), (_today() - 10 * DAY, "21")
    ) + [
        {
            "date": _today(),
            "value": Decimal("8"),
            "disaggregation": {"sex": "female"},
            "source": "Survey",
        }
    ]

    saved = services.measurements_import(actor=editor, indicator=indicator, rows=rows)

    assert saved == 4
    assert indicator.measurements.count() == 4
    row = _snapshot(indicator)
    assert (row["latest_value"], row["latest_date"]) == (Decimal("21"), _today() - 10 * DAY)
    [event] = _audits("measurement.import")
    assert event.actor == editor
    assert event.object_id == str(indicator.pk)
    assert event.changes == {"rows": 4}


@pytest.mark.parametrize(
    "bad_row",
    [
        {"date": "today", "value": Decimal("1")},
        {"value": Decimal("1")},
        {"date": "BEFORE_BASELINE", "value": Decimal("1")},
        {"date": "TOMORROW", "value": Decimal("1")},
        {"date": "YESTERDAY", "value": "1,5"},
        {"date": "YESTERDAY", "value": None},
        {"date": "YESTERDAY", "value": Decimal("1"), "disaggregation": {"age": "15-24"}},
    ],
    ids=[
        "text-date",
        "no-date",
        "before-baseline",
        "future",
        "text-value",
        "no-value",
        "breakdown",
    ],
)
def test_one_bad_row_saves_nothing(hub, editor, indicator, bad_row):
    # given good rows around one bad row
    dates = {
        "BEFORE_BASELINE": hub.start_date - DAY,
        "TOMORROW": _today() + DAY,
        "YESTERDAY": _today() - DAY,
    }
    if bad_row.get("date") in dates:
        bad_row = {**bad_row, "date": dates[bad_row["date"]]}
    rows = [*_rows((_today() - 30 * DAY, "10")), bad_row, *_rows((_today() - 2 * DAY, "12"))]
    before, row = _counts(), _snapshot(indicator)

    # when they are imported
    with pytest.raises(ValidationError):
        services.measurements_import(actor=editor, indicator=indicator, rows=rows)

    # then nothing was saved, the latest value is unchanged, no audit row
    assert _counts() == before
    assert _snapshot(indicator) == row


def test_an_import_repeating_an_existing_date_saves_nothing(hub, editor, indicator):
    # given a total already recorded five days ago
    services.measurement_add(
        actor=editor, indicator=indicator, date=_today() - 5 * DAY, value=Decimal("9")
    )
    before, row = _counts(), _snapshot(indicator)

    # when a file with new dates and that same date is imported
    with pytest.raises(ValidationError) as error:
        services.measurements_import(
            actor=editor,
            indicator=indicator,
            rows=_rows((_today() - 6 * DAY, "8"), (_today() - 5 * DAY, "10"), (_today(), "11")),
        )

    # then nothing is saved, and the message says so
    assert _messages(error.value) == [
        "Some rows repeat a date that already has a value; nothing was saved."
    ]
    assert _counts() == before
    assert _snapshot(indicator) == row


def test_an_import_repeating_a_date_within_itself_saves_nothing(hub, editor, indicator):
    before = _counts()

    with pytest.raises(ValidationError):
        services.measurements_import(
            actor=editor,
            indicator=indicator,
            rows=_rows((_today() - 6 * DAY, "8"), (_today() - 6 * DAY, "9")),
        )

    assert _counts() == before


def test_an_import_with_breakdowns_in_another_order_is_a_repeat(hub, editor, indicator):
    services.measurement_add(
        actor=editor,
        indicator=indicator,
        date=_today(),
        value=Decimal("3"),
        disaggregation={"sex": "female", "district": "north"},
    )
    before = _counts()

    with pytest.raises(ValidationError):
        services.measurements_import(
            actor=editor,
            indicator=indicator,
            rows=_rows((_today(), "4"), disaggregation={"district": "north", "sex": "female"}),
        )

    assert _counts() == before


@pytest.mark.parametrize("role", ["anonymous", "outsider", "member", "partner", "secretariat"])
def test_others_cannot_import_measurements(hub, indicator, role):
    person = _person(role, hub)
    before = _counts()

    with pytest.raises(PermissionDenied):
        services.measurements_import(actor=person, indicator=indicator, rows=_rows((_today(), "4")))

    assert _counts() == before


# Reporting plan ------------------------------------------------------------------------------


def _set_timeline(hub, start, end):
    Initiative.objects.filter(pk=hub.pk).update(start_date=start, end_date=end)
    hub.refresh_from_db()


def _reports(hub) -> list[tuple]:
    return list(
        ProgressReport.objects.filter(initiative=hub)
        .order_by("due_date")
        .values_list("due_date", "period_start", "period_end", "status")
    )


def test_the_secretariat_sets_a_plan_and_the_due_reports_are_created(hub, secretariat):
    # given a HUB running from January 2025 to the end of 2026
    _set_timeline(hub, datetime.date(2025, 1, 1), datetime.date(2026, 12, 31))

    # when the secretariat asks for a report every six months, the first due in July 2025
    plan = services.plan_set(
        actor=secretariat,
        initiative=hub,
        report_every_months=6,
        first_report_due=datetime.date(2025, 7, 1),
    )

    # then the reports cover the whole timeline, the last one ending with it
    D = datetime.date
    assert _reports(hub) == [
        (D(2025, 7, 1), D(2025, 1, 1), D(2025, 7, 1), ReportStatus.DRAFT),
        (D(2026, 1, 1), D(2025, 7, 2), D(2026, 1, 1), ReportStatus.DRAFT),
        (D(2026, 7, 1), D(2026, 1, 2), D(2026, 7, 1), ReportStatus.DRAFT),
        (D(2027, 1, 1), D(2026, 7, 2), D(2026, 12, 31), ReportStatus.DRAFT),
    ]
    plan.refresh_from_db()
    assert (plan.report_every_months, plan.first_report_due) == (6, D(2025, 7, 1))
    [event] = _audits("monitoring.plan")
    assert event.actor == secretariat
    assert event.changes == {"every_months": 6, "first_due": "2025-07-01"}


def test_a_report_due_on_the_last_day_closes_the_plan(hub, secretariat):
    _set_timeline(hub, datetime.date(2025, 1, 1), datetime.date(2025, 12, 30))

    services.plan_set(
        actor=secretariat,
        initiative=hub,
        report_every_months=6,
        first_report_due=datetime.date(2025, 6, 30),
    )

    assert [due for due, *_ in _reports(hub)] == [
        datetime.date(2025, 6, 30),
        datetime.date(2025, 12, 30),
    ]


def test_without_an_end_date_reports_are_planned_two_years_ahead(hub, secretariat):
    _set_timeline(hub, None, None)

    services.plan_set(
        actor=secretariat,
        initiative=hub,
        report_every_months=12,
        first_report_due=datetime.date(2025, 6, 30),
    )

    D = datetime.date
    assert _reports(hub) == [
        (D(2025, 6, 30), D(2024, 6, 30), D(2025, 6, 30), ReportStatus.DRAFT),
        (D(2026, 6, 30), D(2025, 7, 1), D(2026, 6, 30), ReportStatus.DRAFT),
        (D(2027, 6, 30), D(2026, 7, 1), D(2027, 6, 30), ReportStatus.DRAFT),
    ]


def test_a_new_rhythm_keeps_written_reports_and_replaces_untouched_drafts(hub, editor, secretariat):
    # given a six-monthly plan, the first report submitted, the second one begun
    D = datetime.date
    _set_timeline(hub, D(2025, 1, 1), D(2026, 12, 31))
    services.plan_set(
        actor=secretariat, initiative=hub, report_every_months=6, first_report_due=D(2025, 7, 1)
    )
    first, second, third, fourth = ProgressReport.objects.filter(initiative=hub)
    services.report_save(actor=editor, report=first, data=FULL_REPORT)
    services.report_submit(actor=editor, report=first)
    services.report_save(
        actor=editor, report=second, data={"challenges": "Staff turnover in two towns."}
    )

    # when the secretariat changes to a report every four months
    services.plan_set(
        actor=secretariat, initiative=hub, report_every_months=4, first_report_due=D(2025, 5, 1)
    )

    # then the submitted report and the begun draft are kept, untouched drafts are replaced
    assert [due for due, *_ in _reports(hub)] == [
        D(2025, 5, 1),
        D(2025, 7, 1),  # submitted, kept
        D(2025, 9, 1),
        D(2026, 1, 1),  # written in, kept
        D(2026, 5, 1),
        D(2026, 9, 1),
        D(2027, 1, 1),
    ]
    assert _snapshot(first)["status"] == ReportStatus.SUBMITTED
    assert _snapshot(second)["challenges"] == "Staff turnover in two towns."
    assert not ProgressReport.objects.filter(pk__in=[third.pk, fourth.pk]).exists()
    assert MonitoringPlan.objects.get(initiative=hub).report_every_months == 4
    assert MonitoringPlan.objects.filter(initiative=hub).count() == 1
    assert len(_audits("monitoring.plan")) == 2


@pytest.mark.parametrize("role", ["anonymous", "outsider", "member", "editor", "admin", "partner"])
def test_only_the_secretariat_sets_a_plan(hub, role):
    person = _person(role, hub)
    before = _counts()

    with pytest.raises(PermissionDenied):
        services.plan_set(
            actor=person,
            initiative=hub,
            report_every_months=6,
            first_report_due=_today(),
        )

    assert _counts() == before


@pytest.mark.parametrize("months", [0, 25])
def test_a_rhythm_outside_one_to_twenty_four_months_is_refused(hub, secretariat, months):
    # given a plan in place
    services.plan_set(
        actor=secretariat, initiative=hub, report_every_months=6, first_report_due=_today()
    )
    plan = MonitoringPlan.objects.get(initiative=hub)
    row, before, reports = _snapshot(plan), _counts(), _reports(hub)

    with pytest.raises(ValidationError):
        services.plan_set(
            actor=secretariat,
            initiative=hub,
            report_every_months=months,
            first_report_due=_today(),
        )

    assert _snapshot(plan) == row
    assert _counts() == before
    assert _reports(hub) == reports


# Progress reports ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["editor", "admin"])
def test_the_team_writes_its_report_as_a_draft(hub, role):
    report = _report(hub, challenges="Kept as it was.")
    actor = _person(role, hub)

    saved = services.report_save(
        actor=actor,
        report=report,
        data={"narrative": "  Three towns trained.  ", "next_steps": None},
        version=1,
    )

    row = _snapshot(report)
    assert row["narrative"] == "Three towns trained."
    assert row["next_steps"] == ""
    assert row["challenges"] == "Kept as it was."
    assert row["status"] == ReportStatus.DRAFT
    assert row["version"] == saved.version == 2


@pytest.mark.parametrize("role", ["anonymous", "outsider", "member", "partner", "secretariat"])
def test_others_cannot_write_a_report(hub, role):
    person = _person(role, hub)
    report = _report(hub)
    row, before = _snapshot(report), _counts()

    with pytest.raises(PermissionDenied):
        services.report_save(actor=person, report=report, data=FULL_REPORT)

    assert _snapshot(report) == row
    assert _counts() == before


def test_a_stale_version_is_refused(hub, editor, team_admin):
    # given the admin and the editor open the report, and the admin saves first
    report = _report(hub)
    services.report_save(actor=team_admin, report=report, data={"narrative": "Admin's"}, version=1)
    row = _snapshot(report)

    # when the editor saves the version they opened
    with pytest.raises(ValidationError) as error:
        services.report_save(actor=editor, report=report, data={"narrative": "Mine"}, version=1)

    # then it is refused and the admin's text stands
    assert "Someone else saved this report" in _messages(error.value)[0]
    assert _snapshot(report) == row
    assert row["narrative"] == "Admin's"


def test_a_submitted_report_cannot_be_changed(hub, editor):
    report = _submitted(hub, editor)
    row, before = _snapshot(report), _counts()

    with pytest.raises(ValidationError) as error:
        services.report_save(actor=editor, report=report, data={"narrative": "Rewritten"})

    assert _messages(error.value) == [
        "This report has been submitted and can no longer be changed."
    ]
    assert _snapshot(report) == row
    assert _counts() == before


def test_a_report_is_submitted_and_the_staff_is_notified(hub, editor, secretariat, partner):
    # given a complete draft, two staff members and a partner
    other_staff = UserFactory(roles={"secretariat"})
    report = _report(hub)
    services.report_save(actor=editor, report=report, data=FULL_REPORT)

    # when the editor submits it
    services.report_submit(actor=editor, report=report)

    # then it is submitted by them, with an audit row, and each staff member is told
    row = _snapshot(report)
    assert row["status"] == ReportStatus.SUBMITTED
    assert row["submitted_by_id"] == editor.pk
    assert row["submitted_at"] is not None
    [event] = _audits("report.submit")
    assert event.actor == editor
    notified = Notification.objects.filter(kind="report_submitted")
    assert {n.recipient for n in notified} == {secretariat, other_staff}
    assert {n.url for n in notified} == {report.get_absolute_url()}


@pytest.mark.parametrize(
    ("data", "missing"),
    [
        ({}, "summary of the period, acceleration, synchronization"),
        ({"narrative": "Done.", "acceleration": "   "}, "acceleration, synchronization"),
        ({"acceleration": "Faster.", "synchronization": "Shared."}, "summary of the period"),
        ({"narrative": "Done.", "acceleration": "Faster."}, "synchronization"),
    ],
)
def test_a_report_without_its_narrative_and_impact_is_not_submitted(
    hub, editor, secretariat, data, missing
):
    report = _report(hub)
    services.report_save(actor=editor, report=report, data=data)
    row, before = _snapshot(report), _counts()

    with pytest.raises(ValidationError) as error:
        services.report_submit(actor=editor, report=report)

    assert _messages(error.value) == [f"Fill in before submitting: {missing}."]
    assert _snapshot(report) == row
    assert _counts() == before


def test_submitting_twice_is_refused_and_changes_nothing(hub, editor, secretariat):
    # given a submitted report
    report = _submitted(hub, editor)
    row, before = _snapshot(report), _counts()

    # when it is submitted again
    with pytest.raises(ValidationError) as error:
        services.report_submit(actor=editor, report=report)

    # then it is refused; the first submission's date stands, nobody is told twice
    assert _messages(error.value) == ["This report has already been submitted."]
    assert _snapshot(report) == row
    assert _counts() == before


@pytest.mark.parametrize("role", ["anonymous", "outsider", "member", "partner", "secretariat"])
def test_others_cannot_submit_a_report(hub, editor, role):
    person = _person(role, hub)
    report = _report(hub)
    services.report_save(actor=editor, report=report, data=FULL_REPORT)
    row, before = _snapshot(report), _counts()

    with pytest.raises(PermissionDenied):
        services.report_submit(actor=person, report=report)

    assert _snapshot(report) == row
    assert _counts() == before


def test_the_secretariat_acknowledges_a_report_and_the_team_is_told(
    hub, editor, team_admin, team_member, secretariat
):
    # given a submitted report
    report = _submitted(hub, editor)

    # when the secretariat acknowledges it with feedback
    services.report_acknowledge(actor=secretariat, report=report, feedback="  Well done.  ")

    # then it is acknowledged, the feedback stored, the team's editors and admins told
    row = _snapshot(report)
    assert row["status"] == ReportStatus.ACKNOWLEDGED
    assert row["acknowledged_by_id"] == secretariat.pk
    assert row["acknowledged_at"] is not None
    assert row["feedback"] == "Well done."
    [event] = _audits("report.acknowledge")
    assert event.actor == secretariat
    assert event.reason == "Well done."
    notified = Notification.objects.filter(kind="report_acknowledged")
    assert {n.recipient for n in notified} == {editor, team_admin}
    assert {n.context["feedback"] for n in notified} == {"Well done."}


def test_a_draft_cannot_be_acknowledged(hub, secretariat):
    report = _report(hub, narrative="Half written.")
    row, before = _snapshot(report), _counts()

    with pytest.raises(ValidationError) as error:
        services.report_acknowledge(actor=secretariat, report=report, feedback="Thanks")

    assert _messages(error.value) == ["Only a submitted report can be acknowledged."]
    assert _snapshot(report) == row
    assert _counts() == before


def test_a_report_is_acknowledged_once(hub, editor, secretariat):
    report = _submitted(hub, editor)
    services.report_acknowledge(actor=secretariat, report=report, feedback="First")
    row, before = _snapshot(report), _counts()

    with pytest.raises(ValidationError):
        services.report_acknowledge(actor=secretariat, report=report, feedback="Second")

    assert _snapshot(report) == row
    assert _counts() == before


@pytest.mark.parametrize("role", ["anonymous", "outsider", "member", "editor", "admin", "partner"])
def test_only_the_secretariat_acknowledges_a_report(hub, editor, role):
    person = _person(role, hub)
    report = _submitted(hub, editor)
    row, before = _snapshot(report), _counts()

    with pytest.raises(PermissionDenied):
        services.report_acknowledge(actor=person, report=report, feedback="Fine")

    assert _snapshot(report) == row
    assert _counts() == before
