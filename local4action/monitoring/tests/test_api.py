"""The monitoring API: who sees and writes what, bad input refused with clear JSON, lists in a
fixed number of queries."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from local4action.accounts.tests.factories import MembershipFactory, UserFactory
from local4action.core.models import Notification
from local4action.core.testing import assert_queries_constant, bearer
from local4action.monitoring import services
from local4action.monitoring.models import Deliverable, Indicator, Measurement, ProgressReport
from local4action.monitoring.tests.factories import make_indicator

JSON = "application/json"


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def hub(hub_and_editor):
    return hub_and_editor[0]


@pytest.fixture
def editor(hub_and_editor):
    return hub_and_editor[1]


@pytest.fixture
def as_editor(editor):
    return bearer(editor)


@pytest.fixture
def report(hub, secretariat):
    """The first report of a six-monthly plan, due in a month."""
    services.plan_set(
        actor=secretariat, initiative=hub, report_every_months=6, first_report_due=days(30)
    )
    return ProgressReport.objects.filter(initiative=hub).order_by("due_date").first()


# Who -----------------------------------------------------------------------------------------


def test_anonymous_callers_are_asked_for_a_token(client, hub):
    response = client.get(f"/api/v1/initiatives/{hub.slug}/monitoring")

    assert response.status_code == 401
    assert response.json()["detail"]


def test_someone_outside_the_team_finds_nothing_and_changes_nothing(client, hub, editor, report):
    indicator = make_indicator(hub, editor)
    outsider = bearer(UserFactory())

    reads = [
        client.get(f"/api/v1/initiatives/{hub.slug}/{what}", **outsider)
        for what in ("monitoring", "deliverables", "indicators", "reports")
    ]
    reads += [
        client.get(f"/api/v1/indicators/{indicator.pk}", **outsider),
        client.get(f"/api/v1/reports/{report.pk}", **outsider),
    ]
    writes = [
        client.post(
            f"/api/v1/initiatives/{hub.slug}/deliverables",
            {"title": "Ours now", "due_date": days(30).isoformat()},
            JSON,
            **outsider,
        ),
        client.post(
            f"/api/v1/indicators/{indicator.pk}/measurements",
            {"date": days(0).isoformat(), "value": "99"},
            JSON,
            **outsider,
        ),
        client.patch(
            f"/api/v1/reports/{report.pk}",
            {"version": report.version, "narrative": "Not ours."},
            JSON,
            **outsider,
        ),
        client.post(f"/api/v1/reports/{report.pk}/submit", **outsider),
    ]

    assert [r.status_code for r in reads + writes] == [404] * 10
    assert reads[0].json() == {"detail": "Not found."}
    assert not Deliverable.objects.exists() and not Measurement.objects.exists()
    report.refresh_from_db()
    assert report.narrative == "" and report.status == "draft"


def test_unknown_records_are_not_found_in_json(client, secretariat):
    headers = bearer(secretariat)
    urls = [
        "/api/v1/initiatives/nowhere/monitoring",
        "/api/v1/deliverables/4242",
        "/api/v1/indicators/99999999999999999999999",
        "/api/v1/indicators/4242/measurements",
        "/api/v1/reports/4242",
    ]

    responses = [client.get(url, **headers) for url in urls]

    assert [(r.status_code, r.json()) for r in responses] == [(404, {"detail": "Not found."})] * 5


def test_partners_and_plain_members_read_but_do_not_write(client, hub, editor):
    indicator = make_indicator(hub, editor)
    partner = UserFactory(roles={"partner"})
    member = MembershipFactory(organization=hub.lead_organization, role="member").user

    for user in (partner, member):
        headers = bearer(user)
        status = client.get(f"/api/v1/initiatives/{hub.slug}/monitoring", **headers)
        added = client.post(
            f"/api/v1/indicators/{indicator.pk}/measurements",
            {"date": days(0).isoformat(), "value": "12"},
            JSON,
            **headers,
        )
        assert status.status_code == 200 and status.json()["can_edit"] is False
        assert added.status_code == 403
        assert added.json()["detail"]
    assert not Measurement.objects.exists()


def test_a_session_write_needs_the_csrf_token(hub, editor):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(editor)

    response = browser.post(
        f"/api/v1/initiatives/{hub.slug}/deliverables",
        {"title": "Forum", "due_date": days(30).isoformat()},
        JSON,
    )

    assert response.status_code in (401, 403)
    assert not Deliverable.objects.exists()


# Status --------------------------------------------------------------------------------------


def test_status_gives_the_light_its_reasons_and_counts(client, hub, editor, report):
    services.deliverable_save(
        actor=editor, initiative=hub, data={"title": "Training guide", "due_date": days(-10)}
    )
    services.deliverable_save(
        actor=editor, initiative=hub, data={"title": "Final forum", "due_date": days(90)}
    )
    indicator = make_indicator(hub, editor)
    services.measurement_add(actor=editor, indicator=indicator, date=days(0), value=Decimal("50"))

    data = client.get(
        f"/api/v1/initiatives/{hub.slug}/monitoring",
        HTTP_ACCEPT_LANGUAGE="en",
        **bearer(editor),
    ).json()

    assert data["initiative"] == {"slug": hub.slug, "title": hub.title, "status": "labelled"}
    assert data["light"] == "amber" and data["light_label"] == "Needs attention"
    assert data["reasons"] == ["1 deliverable is late."]
    assert data["deliverables"]["total"] == 2 and data["deliverables"]["late"] == 1
    assert data["deliverables"]["by_state"]["late"] == 1
    assert data["deliverables"]["by_state"]["planned"] == 1
    assert data["indicators"]["by_state"]["on_track"] == 1
    assert data["indicators"]["total"] == data["indicators"]["measured"] == 1
    assert data["reports"]["next_due"] == report.due_date.isoformat()
    assert data["reports"]["by_status"]["draft"] == data["reports"]["total"] >= 2
    assert data["plan"] == {"report_every_months": 6, "first_report_due": days(30).isoformat()}
    assert data["can_edit"] is True and data["can_manage"] is False


# Deliverables --------------------------------------------------------------------------------


def test_the_team_adds_and_updates_deliverables_with_derived_states(client, hub, as_editor):
    url = f"/api/v1/initiatives/{hub.slug}/deliverables"
    created = client.post(
        url,
        {"title": "Inclusive budgeting cycle", "due_date": days(-5).isoformat()},
        JSON,
        **as_editor,
    )

    assert created.status_code == 201
    deliverable = created.json()
    assert deliverable["status"] == "planned" and deliverable["state"] == "late"
    assert deliverable["initiative"] == hub.slug

    delivered = client.patch(
        f"/api/v1/deliverables/{deliverable['id']}",
        {"status": "delivered", "delivered_on": days(-1).isoformat()},
        JSON,
        **as_editor,
    )

    assert delivered.status_code == 200
    assert delivered.json()["state"] == "delivered_late"
    assert delivered.json()["title"] == "Inclusive budgeting cycle"
    one = client.get(f"/api/v1/deliverables/{deliverable['id']}", **as_editor)
    assert one.json() == delivered.json()
    listed = client.get(url, **as_editor).json()
    assert [(d["title"], d["state"]) for d in listed] == [
        ("Inclusive budgeting cycle", "delivered_late")
    ]


@pytest.mark.parametrize(
    ("payload", "status", "field"),
    [
        ({"status": "late"}, 422, None),  # late is derived, never typed
        ({"due_date": "next week"}, 422, None),
        ({"title": None}, 400, "title"),
        ({"title": ""}, 400, "title"),
        ({"delivered_on": "2999-01-01", "status": "delivered"}, 400, "delivered_on"),
        ({"evidence_url": "not a link"}, 400, "evidence_url"),
    ],
)
def test_bad_deliverable_changes_are_refused_and_nothing_changes(
    client, hub, editor, as_editor, payload, status, field
):
    deliverable = services.deliverable_save(
        actor=editor, initiative=hub, data={"title": "Charter", "due_date": days(30)}
    )

    response = client.patch(f"/api/v1/deliverables/{deliverable.pk}", payload, JSON, **as_editor)

    assert response.status_code == status
    assert response.json()["detail"]
    if field:
        assert field in response.json()["fields"]
    deliverable.refresh_from_db()
    assert (deliverable.title, deliverable.status) == ("Charter", "planned")


# Indicators ----------------------------------------------------------------------------------


def indicator_payload(hub, **fields) -> dict:
    return {
        "name": "Municipalities trained",
        "unit": "municipalities",
        "baseline_value": "0",
        "baseline_date": hub.start_date.isoformat(),
        "target_value": 10,
        "target_date": hub.end_date.isoformat(),
        **fields,
    }


def test_the_team_adds_an_indicator_with_decimals_as_strings(client, hub, as_editor):
    response = client.post(
        f"/api/v1/initiatives/{hub.slug}/indicators",
        indicator_payload(hub, target_value="12.50", sdg_indicator="16.7.2"),
        JSON,
        **as_editor,
    )

    assert response.status_code == 201
    data = response.json()
    assert data["baseline_value"] == "0" and data["target_value"] == "12.5"
    assert data["sdg_indicator"] == "16.7.2"
    assert data["state"] == "no_data" and data["latest_value"] is None
    assert client.get(f"/api/v1/indicators/{data['id']}", **as_editor).json() == data
    assert Indicator.objects.get().target_value == Decimal("12.5")


@pytest.mark.parametrize(
    ("fields", "status", "field"),
    [
        ({"target_value": "0"}, 400, "target_value"),  # target equal to baseline
        ({"direction": "lower"}, 400, "target_value"),  # lower is better, target above
        ({"target_value": "ten"}, 422, None),
        ({"target_value": "1.23456"}, 422, None),  # more than 4 decimal places
        ({"target_value": "NaN"}, 422, None),
        ({"target_date": "2000-01-01"}, 400, "target_date"),
        ({"sdg_indicator": "99.9.9"}, 400, "sdg_indicator"),
        ({"name": ""}, 400, "name"),
        ({"direction": "sideways"}, 422, None),
    ],
)
def test_bad_indicators_are_refused_clearly(client, hub, as_editor, fields, status, field):
    response = client.post(
        f"/api/v1/initiatives/{hub.slug}/indicators",
        indicator_payload(hub, **fields),
        JSON,
        **as_editor,
    )

    assert response.status_code == status
    assert response.json()["detail"]
    if field:
        assert field in response.json()["fields"]
    assert not Indicator.objects.exists()


def test_an_indicator_is_changed_field_by_field(client, hub, editor, as_editor):
    indicator = make_indicator(hub, editor)

    response = client.patch(
        f"/api/v1/indicators/{indicator.pk}",
        {"name": "Residents trained", "target_value": 150},
        JSON,
        **as_editor,
    )

    assert response.status_code == 200
    assert response.json()["name"] == "Residents trained"
    assert response.json()["target_value"] == "150" and response.json()["unit"] == "people"
    refused = client.patch(
        f"/api/v1/indicators/{indicator.pk}", {"target_value": "0"}, JSON, **as_editor
    )
    assert refused.status_code == 400
    indicator.refresh_from_db()
    assert indicator.target_value == Decimal("150")


# Measurements --------------------------------------------------------------------------------


def test_one_measurement_is_recorded_and_moves_the_latest_value(client, hub, editor, as_editor):
    indicator = make_indicator(hub, editor)

    response = client.post(
        f"/api/v1/indicators/{indicator.pk}/measurements",
        {"date": days(-1).isoformat(), "value": 42.5, "source": "Attendance sheets"},
        JSON,
        **as_editor,
    )

    assert response.status_code == 201
    assert response.json()["value"] == "42.5" and response.json()["disaggregation"] == {}
    data = client.get(f"/api/v1/indicators/{indicator.pk}", **as_editor).json()
    assert data["latest_value"] == "42.5" and data["latest_date"] == days(-1).isoformat()
    assert data["progress"] == "0.425" and data["state"] == "on_track"


@pytest.mark.parametrize(
    ("payload", "status"),
    [
        ({"date": "today", "value": "3"}, 422),
        ({"date": days(0).isoformat(), "value": "twelve"}, 422),
        ({"date": days(0).isoformat()}, 422),
        ({"date": "1999-01-01", "value": "3"}, 400),  # before the baseline date
        ({"date": days(3).isoformat(), "value": "3"}, 400),  # in the future
        ({"date": days(0).isoformat(), "value": "3", "disaggregation": {"eyes": "blue"}}, 400),
        ("not an object", 400),  # ninja cannot read it as a body
        ([], 400),  # an empty list says nothing: refused as unreadable (api.ObjectBodyParser)
    ],
)
def test_bad_measurements_are_refused_clearly(client, hub, editor, as_editor, payload, status):
    indicator = make_indicator(hub, editor)

    response = client.post(
        f"/api/v1/indicators/{indicator.pk}/measurements", payload, JSON, **as_editor
    )

    assert response.status_code == status
    assert response.json()["detail"]
    assert not Measurement.objects.exists()


def test_a_date_before_the_baseline_says_so(client, hub, editor, as_editor):
    indicator = make_indicator(hub, editor)

    response = client.post(
        f"/api/v1/indicators/{indicator.pk}/measurements",
        {"date": (hub.start_date - datetime.timedelta(days=1)).isoformat(), "value": "3"},
        JSON,
        **as_editor,
    )

    assert response.status_code == 400
    assert "before the baseline date" in response.json()["detail"][0]


def test_a_list_of_measurements_is_saved_all_or_nothing(client, hub, editor, as_editor):
    indicator = make_indicator(hub, editor)
    url = f"/api/v1/indicators/{indicator.pk}/measurements"
    rows = [{"date": days(-30 * n).isoformat(), "value": str(40 - 3 * n)} for n in range(5)]

    bad = client.post(
        url,
        [*rows, {"date": "1999-01-01", "value": "1"}, rows[0]],
        JSON,
        **as_editor,
    )

    assert bad.status_code == 400
    assert set(bad.json()["fields"]) == {"6", "7"}
    assert bad.json()["detail"][0].startswith("Row 6: ")
    assert not Measurement.objects.exists()

    good = client.post(url, rows, JSON, **as_editor)

    assert good.status_code == 201
    assert good.json()["created"] == 5
    assert good.json()["indicator"]["latest_value"] == "40"
    again = client.post(url, rows[:1], JSON, **as_editor)
    assert again.status_code == 400
    assert Measurement.objects.count() == 5


def test_measurements_are_listed_newest_first_by_page_and_since_a_date(
    client, hub, editor, as_editor
):
    indicator = make_indicator(hub, editor, disaggregation_keys=["sex"])
    start = hub.start_date
    services.measurements_import(
        actor=editor,
        indicator=indicator,
        rows=[{"date": start + datetime.timedelta(days=n), "value": Decimal(n)} for n in range(105)]
        + [{"date": start, "value": Decimal("1"), "disaggregation": {"sex": "female"}}],
    )
    url = f"/api/v1/indicators/{indicator.pk}/measurements"

    first = client.get(url, **as_editor).json()
    second = client.get(url, {"page": 2}, **as_editor).json()
    recent = client.get(
        url, {"since": (start + datetime.timedelta(days=100)).isoformat()}, **as_editor
    )

    assert (first["count"], first["pages"], len(first["results"])) == (106, 2, 100)
    assert first["results"][0]["date"] == (start + datetime.timedelta(days=104)).isoformat()
    assert first["results"][0]["value"] == "104"
    assert len(second["results"]) == 6
    assert second["results"][-1]["disaggregation"] in ({}, {"sex": "female"})
    assert [r["value"] for r in recent.json()["results"]] == ["104", "103", "102", "101", "100"]
    assert client.get(url, {"since": "yesterday"}, **as_editor).status_code == 422


# Reports -------------------------------------------------------------------------------------


def test_the_team_writes_submits_and_the_secretariat_acknowledges(
    client, hub, as_editor, report, secretariat
):
    url = f"/api/v1/reports/{report.pk}"
    saved = client.patch(
        url,
        {
            "version": report.version,
            "narrative": "Two forums held.",
            "acceleration": "Three parishes joined in.",
            "synchronization": "Shared with the Bilbao HUB.",
        },
        JSON,
        **as_editor,
    )
    assert saved.status_code == 200
    assert saved.json()["version"] == report.version + 1
    assert saved.json()["narrative"] == "Two forums held."

    stale = client.patch(url, {"version": report.version, "narrative": "Old"}, JSON, **as_editor)
    assert stale.status_code == 400
    assert "Someone else saved this report" in stale.json()["detail"][0]

    submitted = client.post(f"{url}/submit", **as_editor)
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    assert Notification.objects.filter(recipient=secretariat, kind="report_submitted").exists()

    twice = client.post(f"{url}/submit", **as_editor)
    assert twice.status_code == 400
    assert twice.json()["detail"] == ["This report has already been submitted."]
    by_team = client.post(f"{url}/acknowledge", {"feedback": "Fine"}, JSON, **as_editor)
    assert by_team.status_code == 403

    acknowledged = client.post(
        f"{url}/acknowledge", {"feedback": " Clear and honest. "}, JSON, **bearer(secretariat)
    )
    assert acknowledged.status_code == 200
    assert acknowledged.json()["status"] == "acknowledged"
    assert acknowledged.json()["feedback"] == "Clear and honest."
    assert acknowledged.json()["acknowledged_by"] == secretariat.name
    late_edit = client.patch(url, {"version": 99, "narrative": "Changed"}, JSON, **as_editor)
    assert late_edit.status_code == 400
    report.refresh_from_db()
    assert report.narrative == "Two forums held."


def test_an_incomplete_report_is_not_submitted(client, as_editor, report):
    response = client.post(f"/api/v1/reports/{report.pk}/submit", **as_editor)

    assert response.status_code == 400
    assert response.json()["detail"][0].startswith("Fill in before submitting")
    report.refresh_from_db()
    assert report.status == "draft" and report.submitted_at is None


def test_a_report_is_acknowledged_without_a_body(client, hub, editor, report, secretariat):
    services.report_save(
        actor=editor,
        report=report,
        data={"narrative": "Done.", "acceleration": "Yes.", "synchronization": "Yes."},
    )
    services.report_submit(actor=editor, report=report)

    # An empty body, as `curl -X POST` sends it.
    response = client.post(
        f"/api/v1/reports/{report.pk}/acknowledge", content_type=JSON, **bearer(secretariat)
    )

    assert response.status_code == 200
    assert response.json()["status"] == "acknowledged" and response.json()["feedback"] == ""


def test_reports_are_listed_by_due_date_with_overdue_drafts(client, hub, as_editor, secretariat):
    services.plan_set(
        actor=secretariat, initiative=hub, report_every_months=6, first_report_due=days(-40)
    )

    data = client.get(f"/api/v1/initiatives/{hub.slug}/reports", **as_editor).json()

    dues = [r["due_date"] for r in data]
    assert dues == sorted(dues) and len(dues) >= 3
    assert data[0]["overdue"] is True and data[1]["overdue"] is False
    assert data[0]["status"] == "draft" and "narrative" not in data[0]
    assert data[0]["url"].endswith(f"/reports/{data[0]['id']}/")


# Query counts --------------------------------------------------------------------------------


def test_lists_cost_the_same_queries_for_more_rows(client, hub, editor, secretariat):
    client.force_login(editor)
    indicator = make_indicator(hub, editor, sdg_indicator=None)
    counter = {"n": 0}

    def add_deliverables(n):
        for _ in range(n):
            counter["n"] += 1
            services.deliverable_save(
                actor=editor,
                initiative=hub,
                data={"title": f"Deliverable {counter['n']}", "due_date": days(counter["n"])},
            )

    def add_indicators(n):
        for _ in range(n):
            make_indicator(hub, editor)

    def add_measurements(n):
        start = hub.start_date + datetime.timedelta(days=counter["n"])
        counter["n"] += n
        services.measurements_import(
            actor=editor,
            indicator=indicator,
            rows=[
                {"date": start + datetime.timedelta(days=k), "value": Decimal(k)} for k in range(n)
            ],
        )

    def add_reports(n):
        services.plan_set(
            actor=secretariat,
            initiative=hub,
            report_every_months=1,
            first_report_due=days(-30 * (counter["n"] + n)),
        )
        counter["n"] += n

    base = f"/api/v1/initiatives/{hub.slug}"
    assert_queries_constant(client, f"{base}/deliverables", add_deliverables)
    assert_queries_constant(client, f"{base}/monitoring", add_deliverables)
    assert_queries_constant(client, f"{base}/indicators", add_indicators)
    assert_queries_constant(
        client, f"/api/v1/indicators/{indicator.pk}/measurements", add_measurements
    )
    counter["n"] = 0
    assert_queries_constant(client, f"{base}/reports", add_reports)


# OpenAPI -------------------------------------------------------------------------------------


def test_the_openapi_document_lists_the_monitoring_endpoints(client, db):
    schema = client.get("/api/v1/openapi.json").json()

    paths = schema["paths"]
    assert {
        "/api/v1/initiatives/{slug}/monitoring",
        "/api/v1/initiatives/{slug}/deliverables",
        "/api/v1/deliverables/{id}",
        "/api/v1/initiatives/{slug}/indicators",
        "/api/v1/indicators/{id}",
        "/api/v1/indicators/{id}/measurements",
        "/api/v1/initiatives/{slug}/reports",
        "/api/v1/reports/{id}",
        "/api/v1/reports/{id}/submit",
        "/api/v1/reports/{id}/acknowledge",
    } <= set(paths)
    assert {"get", "post"} <= set(paths["/api/v1/indicators/{id}/measurements"])
    assert {"get", "patch"} <= set(paths["/api/v1/reports/{id}"])
    assert {"get", "patch"} <= set(paths["/api/v1/deliverables/{id}"])
    assert {"ApiTokenAuth": []} in paths["/api/v1/initiatives/{slug}/monitoring"]["get"]["security"]
    components = schema["components"]["schemas"]
    value = components["MeasurementOut"]["properties"]["value"]
    assert value["type"] == "string" and "decimal" in value["description"]
    # Schemas are named by class: the other apps' schemas of the same idea stay their own.
    assert set(components["DeliverableOut"]["properties"]) == {
        "title",
        "due_date",
        "success_criteria",
    }
    assert set(components["IndicatorOut"]["properties"]) == {"code", "title"}
    assert set(components["InitiativeRef"]["properties"]) == {"slug", "title"}
    assert "state" in components["MonitoringDeliverableOut"]["properties"]
