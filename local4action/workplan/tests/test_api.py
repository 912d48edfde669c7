"""The work plan API: who reads and updates what, filters and pages, stale and bad updates
refused with clear JSON and nothing saved, lists in a fixed number of queries."""

from typing import get_args

import pytest
from django.test import Client

from local4action.accounts.tests.factories import OrganizationFactory, UserFactory
from local4action.core.models import Goal
from local4action.core.testing import assert_queries_constant, bearer
from local4action.workplan import api, services
from local4action.workplan.choices import Status, Tier
from local4action.workplan.models import Action, ActionUpdate, Section
from local4action.workplan.outline import ParsedPlan
from local4action.workplan.tests.factories import make_plan, parsed_plan

JSON = "application/json"
YEAR = 2024


def parsed() -> ParsedPlan:
    """Two pillars; sections 2.2, 2.2.1, 2.2.1.1 and 2.3 under the second; five actions."""
    return parsed_plan(
        {
            "1.1": ["Establish the Local4Action HUBs."],
            "2.2": ("people", ["Co-create the campaign messages."]),
            "2.2.1": [("partnership", "Billboards in ten cities.", "Sida")],
            "2.2.1.1": [("reinforced", "Print the billboards.")],
            "2.3": ["Write two policy briefs."],
        },
        title="Work plan 2024",
    )


@pytest.fixture
def plan(secretariat):
    return make_plan(secretariat, parsed(), year=YEAR, title="Work plan 2024")


def action(text: str) -> Action:
    return Action.objects.get(text_plain=text)


@pytest.fixture
def owner(plan):
    """A member (no platform role) who owns the billboards action."""
    person = UserFactory()
    Action.objects.filter(text_plain="Billboards in ten cities.").update(owner=person)
    return person


@pytest.fixture
def partner(db):
    return UserFactory(roles={"partner"})


def results(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["text_plain"] for row in response.json()["results"]]


# Who -----------------------------------------------------------------------------------------


def test_anonymous_callers_are_asked_for_a_token(client, plan):
    first = Action.objects.first()
    urls = [
        "/api/v1/workplans",
        f"/api/v1/workplans/{YEAR}",
        f"/api/v1/workplans/{YEAR}/sections",
        f"/api/v1/workplans/{YEAR}/actions",
        f"/api/v1/workplan-actions/{first.pk}",
        f"/api/v1/workplan-actions/{first.pk}/updates",
    ]

    responses = [client.get(url) for url in urls]
    posted = client.post(
        f"/api/v1/workplan-actions/{first.pk}/updates",
        {"status": "on_track", "progress": 10},
        JSON,
    )

    assert [r.status_code for r in [*responses, posted]] == [401] * 7
    assert posted.json()["detail"]
    assert not ActionUpdate.objects.exists()


def test_a_member_without_a_role_may_not_read_the_plan(client, plan, org_member):
    headers = bearer(org_member)
    first = Action.objects.first()
    urls = [
        "/api/v1/workplans",
        f"/api/v1/workplans/{YEAR}",
        f"/api/v1/workplans/{YEAR}/sections",
        f"/api/v1/workplans/{YEAR}/actions",
        f"/api/v1/workplan-actions/{first.pk}",
        f"/api/v1/workplan-actions/{first.pk}/updates",
    ]

    responses = [client.get(url, **headers) for url in urls]
    posted = client.post(
        f"/api/v1/workplan-actions/{first.pk}/updates",
        {"status": "on_track", "progress": 10},
        JSON,
        **headers,
    )

    assert [r.status_code for r in [*responses, posted]] == [403] * 7
    assert responses[0].json()["detail"] == (
        "Only the secretariat and partners may read the work plan."
    )
    first.refresh_from_db()
    assert (first.status, first.progress, first.version) == (Status.NOT_STARTED, 0, 1)
    assert not ActionUpdate.objects.exists()


def test_a_partner_reads_everything_but_updates_nothing(client, plan, partner):
    headers = bearer(partner)
    billboards = action("Billboards in ten cities.")

    reads = [
        client.get(url, **headers)
        for url in (
            "/api/v1/workplans",
            f"/api/v1/workplans/{YEAR}",
            f"/api/v1/workplans/{YEAR}/sections",
            f"/api/v1/workplans/{YEAR}/actions",
            f"/api/v1/workplan-actions/{billboards.pk}",
            f"/api/v1/workplan-actions/{billboards.pk}/updates",
        )
    ]
    posted = client.post(
        f"/api/v1/workplan-actions/{billboards.pk}/updates",
        {"status": "on_track", "progress": 40, "note": "Printed."},
        JSON,
        **headers,
    )

    assert [r.status_code for r in reads] == [200] * 6
    assert reads[4].json()["can_update"] is False
    assert posted.status_code == 403
    assert posted.json()["detail"] == "Only the secretariat and its owner may update this action."
    billboards.refresh_from_db()
    assert (billboards.status, billboards.progress) == (Status.NOT_STARTED, 0)
    assert not ActionUpdate.objects.exists()


def test_an_owner_reads_and_updates_only_their_own_actions(client, plan, owner):
    headers = bearer(owner)
    own = action("Billboards in ten cities.")
    other = action("Print the billboards.")

    listed = client.get(f"/api/v1/workplans/{YEAR}/actions", **headers)
    detail = client.get(f"/api/v1/workplan-actions/{own.pk}", **headers)
    posted = client.post(
        f"/api/v1/workplan-actions/{own.pk}/updates",
        {"status": "on_track", "progress": 40, "note": "Four cities so far."},
        JSON,
        **headers,
    )
    others = [
        client.get(f"/api/v1/workplan-actions/{other.pk}", **headers),
        client.post(
            f"/api/v1/workplan-actions/{other.pk}/updates",
            {"status": "on_track", "progress": 40},
            JSON,
            **headers,
        ),
        # The plan as a whole stays with the secretariat and partners.
        client.get(f"/api/v1/workplans/{YEAR}", **headers),
    ]

    assert results(listed) == ["Billboards in ten cities."]
    assert detail.status_code == 200 and detail.json()["can_update"] is True
    assert posted.status_code == 201, posted.content
    body = posted.json()
    assert body["action"]["status"] == "on_track" and body["action"]["progress"] == 40
    assert body["action"]["version"] == own.version + 1
    assert body["update"]["note"] == "Four cities so far."
    assert body["update"]["author"] == owner.name
    assert [r.status_code for r in others] == [403] * 3
    other.refresh_from_db()
    assert other.progress == 0 and not other.updates.exists()


def test_the_secretariat_updates_any_action_and_reads_its_log(client, plan, secretariat):
    headers = bearer(secretariat)
    briefs = action("Write two policy briefs.")

    for status, progress in (("on_track", 30), ("at_risk", 35)):
        response = client.post(
            f"/api/v1/workplan-actions/{briefs.pk}/updates",
            {"status": status, "progress": progress, "note": f"{status} at {progress}%"},
            JSON,
            **headers,
        )
        assert response.status_code == 201, response.content
    log = client.get(f"/api/v1/workplan-actions/{briefs.pk}/updates", **headers)

    assert log.status_code == 200
    assert log.json()["count"] == 2
    assert [(u["status"], u["progress"], u["note"]) for u in log.json()["results"]] == [
        ("at_risk", 35, "at_risk at 35%"),
        ("on_track", 30, "on_track at 30%"),
    ]
    assert log.json()["results"][0]["status_label"] == "At risk"


def test_unknown_plans_and_actions_are_not_found(client, plan, secretariat):
    headers = bearer(secretariat)

    responses = [
        client.get("/api/v1/workplans/1999", **headers),
        client.get("/api/v1/workplans/1999/sections", **headers),
        client.get("/api/v1/workplans/1999/actions", **headers),
        client.get("/api/v1/workplan-actions/424242", **headers),
        client.post(
            "/api/v1/workplan-actions/424242/updates",
            {"status": "on_track", "progress": 1},
            JSON,
            **headers,
        ),
    ]

    assert [(r.status_code, r.json()) for r in responses] == [(404, {"detail": "Not found."})] * 5


def test_a_signed_in_browser_session_reads_the_plan(plan, secretariat):
    browser = Client()
    browser.force_login(secretariat)

    response = browser.get(f"/api/v1/workplans/{YEAR}")

    assert response.status_code == 200


# Plans and sections --------------------------------------------------------------------------


def test_the_plan_comes_with_its_pillars_and_counts(client, plan, secretariat):
    headers = bearer(secretariat)
    services.action_update(
        actor=secretariat, action=action("Print the billboards."), status="done", progress=100
    )
    services.action_update(
        actor=secretariat, action=action("Write two policy briefs."), status="delayed", progress=10
    )

    listed = client.get("/api/v1/workplans", **headers).json()
    body = client.get(f"/api/v1/workplans/{YEAR}", **headers).json()

    assert [(p["year"], p["actions"]) for p in listed] == [(YEAR, 5)]
    assert listed[0]["url"] == "http://testserver" + plan.get_absolute_url()
    assert body["title"] == "Work plan 2024" and body["source_name"] == "plan-2024.md"
    assert body["actions"] == 5
    assert {c["value"]: c["count"] for c in body["by_tier"]} == {
        "core": 3,
        "reinforced": 1,
        "partnership": 1,
    }
    by_status = {c["value"]: c["count"] for c in body["by_status"]}
    assert by_status == {
        "not_started": 3,
        "on_track": 0,
        "at_risk": 0,
        "delayed": 1,
        "done": 1,
        "dropped": 0,
    }
    pillars = {p["number"]: p for p in body["pillars"]}
    assert (pillars[1]["sections"], pillars[1]["actions"], pillars[1]["done"]) == (1, 1, 0)
    assert (pillars[2]["sections"], pillars[2]["actions"]) == (4, 4)
    assert (pillars[2]["done"], pillars[2]["attention"]) == (1, 1)
    assert pillars[2]["progress"] == pytest.approx((100 + 10) / 4, abs=1)


def test_sections_come_as_a_flat_list_in_document_order(client, plan, partner):
    response = client.get(f"/api/v1/workplans/{YEAR}/sections", **bearer(partner))

    assert response.status_code == 200
    rows = [
        (s["number"], s["depth"], s["parent"], s["pillar"], s["axis"], s["actions"])
        for s in response.json()
    ]
    assert rows == [
        ("1.1", 2, None, 1, "", 1),
        ("2.2", 2, None, 2, "people", 1),
        ("2.2.1", 3, "2.2", 2, "", 1),
        ("2.2.1.1", 4, "2.2.1", 2, "", 1),
        ("2.3", 2, None, 2, "", 1),
    ]


# Actions: filters and pages ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", 5),
        ("section=2.2", ["Co-create the campaign messages.", "Billboards in ten cities.",
                          "Print the billboards."]),
        ("section=2.2.1", ["Billboards in ten cities.", "Print the billboards."]),
        ("section=2", ["Co-create the campaign messages.", "Billboards in ten cities.",
                        "Print the billboards.", "Write two policy briefs."]),  # the pillar
        ("section=2.2.1.1", ["Print the billboards."]),
        ("section=2.3.1", []),
        ("tier=partnership", ["Billboards in ten cities."]),
        ("tier=reinforced", ["Print the billboards."]),
        ("partner=sida", ["Billboards in ten cities."]),
        ("status=done", ["Print the billboards."]),
        ("status=done&tier=core", []),
        ("sdg=11", ["Establish the Local4Action HUBs."]),
        ("partner=urban-lab", ["Write two policy briefs."]),
        ("partner=Urban Lab", ["Write two policy briefs."]),
    ],
)  # fmt: skip
def test_actions_are_filtered(client, plan, secretariat, query, expected):
    services.action_update(
        actor=secretariat, action=action("Print the billboards."), status="done", progress=100
    )
    action("Establish the Local4Action HUBs.").sdgs.set(Goal.objects.filter(number=11))
    action("Write two policy briefs.").partners.set(
        [OrganizationFactory(name="Urban Lab", slug="urban-lab")]
    )

    found = results(client.get(f"/api/v1/workplans/{YEAR}/actions?{query}", **bearer(secretariat)))

    if isinstance(expected, int):
        assert len(found) == expected
    else:
        assert found == expected


@pytest.mark.parametrize(
    "query", ["status=finished", "tier=gold", "section=2.x", "section=.2", "sdg=18", "page=0"]
)
def test_bad_filters_are_refused_with_their_reason(client, plan, secretariat, query):
    response = client.get(f"/api/v1/workplans/{YEAR}/actions?{query}", **bearer(secretariat))

    assert response.status_code == 422
    assert response.json()["detail"]


def add_actions(plan, count: int) -> None:
    """Actions with an owner, a partner organization and two SDGs each."""
    section = Section.objects.get(plan=plan, number="2.3")
    goals = list(Goal.objects.filter(number__in=[5, 11]))
    start = Action.objects.filter(plan=plan).count()
    for index in range(count):
        added = Action.objects.create(
            plan=plan,
            section=section,
            position=start + index,
            text=f"<p>Action {start + index}</p>",
            text_plain=f"Action {start + index}",
            tier=Tier.CORE,
            owner=UserFactory(),
        )
        added.partners.set([OrganizationFactory()])
        added.sdgs.set(goals)


def test_actions_come_in_pages(client, plan, secretariat):
    add_actions(plan, api.PER_PAGE)  # 55 in all
    headers = bearer(secretariat)

    first = client.get(f"/api/v1/workplans/{YEAR}/actions", **headers).json()
    second = client.get(f"/api/v1/workplans/{YEAR}/actions?page=2", **headers).json()
    beyond = client.get(f"/api/v1/workplans/{YEAR}/actions?page=9", **headers).json()

    assert (first["count"], first["page"], first["pages"]) == (55, 1, 2)
    assert len(first["results"]) == api.PER_PAGE and len(second["results"]) == 5
    assert first["results"][0]["text_plain"] == "Establish the Local4Action HUBs."
    assert second["results"][-1]["text_plain"] == "Action 54"
    assert beyond["page"] == 2


def test_lists_take_the_same_queries_for_5_and_30_actions(plan, secretariat):
    browser = Client()
    browser.force_login(secretariat)

    assert_queries_constant(
        browser, f"/api/v1/workplans/{YEAR}/actions", lambda n: add_actions(plan, n), rows=25
    )
    assert_queries_constant(
        browser, f"/api/v1/workplans/{YEAR}", lambda n: add_actions(plan, n), rows=25
    )
    assert_queries_constant(
        browser, f"/api/v1/workplans/{YEAR}/sections", lambda n: add_actions(plan, n), rows=25
    )


def test_the_log_takes_the_same_queries_for_few_and_many_updates(plan, secretariat):
    browser = Client()
    browser.force_login(secretariat)
    briefs = action("Write two policy briefs.")

    def add_updates(count: int) -> None:
        for index in range(count):
            services.action_update(
                actor=UserFactory(roles={"secretariat"}),
                action=briefs,
                status="on_track",
                progress=index,
            )

    assert_queries_constant(
        browser, f"/api/v1/workplan-actions/{briefs.pk}/updates", add_updates, rows=25
    )


def test_an_action_shows_what_it_points_to(client, plan, secretariat):
    from local4action.events.tests.factories import make_event
    from local4action.monitoring.tests.factories import make_hub
    from local4action.surveys.tests.factories import make_survey

    hub, _editor = make_hub(title="Participation for all")
    event = make_event(title="HUB seminar")
    survey = make_survey()
    hubs = action("Establish the Local4Action HUBs.")
    services.action_set_links(
        actor=secretariat,
        action=hubs,
        initiatives=[hub],
        events=[event],
        surveys=[survey],
        sdgs=list(Goal.objects.filter(number__in=[11, 17])),
    )

    body = client.get(f"/api/v1/workplan-actions/{hubs.pk}", **bearer(secretariat)).json()

    assert body["initiatives"] == [{"id": hub.pk, "slug": hub.slug, "title": hub.title}]
    assert body["events"] == [{"id": event.pk, "slug": event.slug, "title": "HUB seminar"}]
    assert [s["id"] for s in body["surveys"]] == [survey.pk]
    assert body["sdgs"] == [11, 17]
    assert [g["number"] for g in body["goals"]] == [11, 17]
    assert (body["year"], body["pillar"], body["section"]) == (YEAR, 1, "1.1")
    assert body["tier"] == "core" and body["tier_label"] == "Core action"
    assert body["url"] == "http://testserver" + hubs.get_absolute_url()


# Updates: refused input ----------------------------------------------------------------------


def test_a_stale_update_is_refused_with_409_and_changes_nothing(client, plan, secretariat):
    briefs = action("Write two policy briefs.")
    read_version = briefs.version
    services.action_update(actor=secretariat, action=briefs, status="on_track", progress=20)

    response = client.post(
        f"/api/v1/workplan-actions/{briefs.pk}/updates",
        {"status": "at_risk", "progress": 5, "version": read_version},
        JSON,
        **bearer(secretariat),
    )

    assert response.status_code == 409
    assert "changed by someone else" in response.json()["detail"]
    assert response.json()["version"] == read_version + 1
    briefs.refresh_from_db()
    assert (briefs.status, briefs.progress) == ("on_track", 20)
    assert briefs.updates.count() == 1


def test_an_update_with_the_current_version_is_saved(client, plan, secretariat):
    briefs = action("Write two policy briefs.")

    response = client.post(
        f"/api/v1/workplan-actions/{briefs.pk}/updates",
        {"status": "on_track", "progress": 20, "version": briefs.version},
        JSON,
        **bearer(secretariat),
    )

    assert response.status_code == 201
    briefs.refresh_from_db()
    assert (briefs.status, briefs.progress, briefs.version) == ("on_track", 20, 2)


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ({"status": "on_track", "progress": 101}, 422),
        ({"status": "on_track", "progress": -1}, 422),
        ({"status": "on_track", "progress": "half"}, 422),
        ({"status": "finished", "progress": 10}, 422),
        ({"progress": 10}, 422),
        ({"status": "on_track", "progress": 10, "note": "x" * 501}, 422),
        ({"status": "done", "progress": 60}, 400),
    ],
)
def test_bad_updates_are_refused_and_change_nothing(client, plan, secretariat, payload, code):
    briefs = action("Write two policy briefs.")

    response = client.post(
        f"/api/v1/workplan-actions/{briefs.pk}/updates", payload, JSON, **bearer(secretariat)
    )

    assert response.status_code == code, response.content
    assert response.json()["detail"]
    briefs.refresh_from_db()
    assert (briefs.status, briefs.progress, briefs.version) == (Status.NOT_STARTED, 0, 1)
    assert not briefs.updates.exists()


def test_a_done_update_says_why_it_is_refused(client, plan, secretariat):
    briefs = action("Write two policy briefs.")

    response = client.post(
        f"/api/v1/workplan-actions/{briefs.pk}/updates",
        {"status": "done", "progress": 60},
        JSON,
        **bearer(secretariat),
    )

    assert response.json()["detail"] == [
        "An action marked done is complete: set its progress to 100% or choose another status."
    ]


def test_a_nul_character_in_the_note_is_dropped(client, plan, secretariat):
    briefs = action("Write two policy briefs.")

    response = client.post(
        f"/api/v1/workplan-actions/{briefs.pk}/updates",
        {"status": "on_track", "progress": 5, "note": "Draft\x00 sent"},
        JSON,
        **bearer(secretariat),
    )

    assert response.status_code == 201
    assert briefs.updates.get().note == "Draft sent"


# The document --------------------------------------------------------------------------------


def test_the_literal_choices_match_the_models():
    assert set(get_args(api.StatusValue)) == set(Status.values)
    assert set(get_args(api.TierValue)) == set(Tier.values)


def test_the_openapi_document_builds_with_the_work_plan_endpoints(client, db):
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    document = response.json()
    assert {
        "/api/v1/workplans",
        "/api/v1/workplans/{year}",
        "/api/v1/workplans/{year}/sections",
        "/api/v1/workplans/{year}/actions",
        "/api/v1/workplan-actions/{id}",
        "/api/v1/workplan-actions/{id}/updates",
    } <= set(document["paths"])
    assert {"WorkPlanDetailOut", "WorkPlanActionDetailOut", "WorkPlanUpdateIn"} <= set(
        document["components"]["schemas"]
    )
    post = document["paths"]["/api/v1/workplan-actions/{id}/updates"]["post"]
    assert {"201", "400", "403", "409"} <= set(post["responses"])
    assert post["security"]
