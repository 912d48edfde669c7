"""The permission matrix (issue 11): docs/permissions.csv states, for every page and API
operation, what each role gets; this test calls each one as each role and checks the code
follows the table.

One world is built per module (two approved organizations A and B, a person for each role,
A's objects) inside a transaction that is rolled back at the end; every test runs in its own
savepoint, so a POST that changes something leaves nothing behind for the next case.

What a case checks is only whether the role gets past the permission check: a 2xx, a 3xx to
anything but the log-in page, or a 400 form/validation error means "ok" (allowed); 401, 403,
404 and the redirect to log in are the refusals (see docs/permissions.md).
"""

import csv
import datetime
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import transaction
from django.shortcuts import resolve_url
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

MATRIX = Path(settings.BASE_DIR) / "docs" / "permissions.csv"
ROLES = (
    "anonymous",
    "other_org_member",
    "org_member",
    "org_admin",
    "reviewer",
    "partner",
    "staff",
)
# redirect: a GET sent elsewhere (not to log in), the refusal of pages that show a read-only
# version instead of a 403; conflict: a 409, how the application autosave refuses.
OUTCOMES = {"ok", "login", "forbidden", "not_found", "401", "redirect", "conflict"}
# Our apps' URL namespaces (allauth, admin, i18n and the API's own are not ours to check here).
OUR_NAMESPACES = (
    "portal",
    "core",
    "accounts",
    "initiatives",
    "calls",
    "monitoring",
    "surveys",
    "events",
    "network",
    "exchange",
    "workplan",
    "library",
)

# Known security bugs: the table says what should happen, the code does not (yet). Each entry
# is one (endpoint, method, object, role) case, expected to fail until the code is fixed.
KNOWN_BUGS: dict[tuple[str, str, str, str], str] = {}

# Bodies for API writes: ninja validates the body before the view runs (422 tells nothing
# about permissions), so each write gets a body that is at least well-formed.
API_BODIES = {
    ("PATCH", "/api/v1/indicators/{id}"): {},
    ("PATCH", "/api/v1/reports/{id}"): {"version": 1},
    ("POST", "/api/v1/reports/{id}/acknowledge"): {"feedback": ""},
    ("POST", "/api/v1/reviews/{id}"): {"comment": "Matrix."},
}
# Form data for page POSTs where an empty form would not reach the permission check (the
# values may name the world's people: "{spare_reviewer}" becomes that person's id).
PAGE_DATA = {
    "accounts:membership_action": {"action": "approve", "role": "member"},
    "accounts:organization_decide": {"decision": "approve"},
    "calls:assign": {"reviewer": "{spare_reviewer}"},
}


# The title of A's draft: no list may show it to anybody outside A but the secretariat.
SECRET_DRAFT = "Secret draft of A"


def read_matrix() -> list[dict]:
    with MATRIX.open(encoding="utf-8") as file:
        lines = [line for line in file if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(lines))


def app_matrix_modules():
    """Each app may add objects (and API bodies, form data) for its rows in its own
    `<app>/tests/matrix.py`: `objects(world) -> {name: url kwargs}` (it may also put values
    for "{name}" in form data into `world["extra"]`), `API_BODIES` and `PAGE_DATA`."""
    import importlib

    for app in OUR_NAMESPACES:
        try:
            yield importlib.import_module(f"local4action.{app}.tests.matrix")
        except ModuleNotFoundError as error:
            if error.name != f"local4action.{app}.tests.matrix":
                raise


ROWS = read_matrix()


# The world -------------------------------------------------------------------------------------


def _build_world() -> dict:
    from local4action.accounts import services as account_services
    from local4action.accounts.choices import MembershipStatus, OrganizationStatus
    from local4action.accounts.tests.factories import (
        MembershipFactory,
        OrganizationFactory,
        UserFactory,
    )
    from local4action.calls import services as call_services
    from local4action.calls.tests.factories import make_call, make_draft, make_submitted
    from local4action.events.tests.factories import make_event, make_registration
    from local4action.monitoring.models import ProgressReport
    from local4action.monitoring.tests.factories import make_hub, make_indicator
    from local4action.surveys.tests.factories import make_question, make_survey

    org_a = OrganizationFactory(name="Organization A", slug="organization-a")
    org_b = OrganizationFactory(name="Organization B", slug="organization-b")
    staff = UserFactory(roles={"secretariat"})
    people = {
        "anonymous": None,
        # An admin of B: the strongest outsider, guessing A's ids and slugs.
        "other_org_member": MembershipFactory(organization=org_b, role="admin").user,
        "org_member": MembershipFactory(organization=org_a, role="member").user,
        "org_admin": MembershipFactory(organization=org_a, role="admin").user,
        "reviewer": UserFactory(roles={"reviewer"}),
        "partner": UserFactory(roles={"partner"}),
        "staff": staff,
    }
    a_editor = MembershipFactory(organization=org_a, role="editor").user
    tokens = {
        role: account_services.api_token_create(actor=person, name="matrix")[1]
        for role, person in people.items()
        if person is not None
    }

    pending_org = OrganizationFactory(
        name="Pending C", slug="pending-c", status=OrganizationStatus.PENDING
    )
    outsider = UserFactory()
    join_request = MembershipFactory(
        organization=org_a, user=outsider, role="member", status=MembershipStatus.REQUESTED
    )

    call = make_call(staff=staff)
    draft = make_draft(call, editor=a_editor, organization=org_a, title=SECRET_DRAFT)
    other_call = make_call(staff=staff, title="Second call")
    submitted = make_submitted(other_call, editor=a_editor, organization=org_a, title="A's sub")
    review = call_services.review_assign(
        actor=staff, application=submitted, reviewer=people["reviewer"]
    )

    hub, hub_editor = make_hub(organization=org_a, title="A's HUB")
    indicator = make_indicator(hub, hub_editor)
    due = timezone.localdate() + datetime.timedelta(days=30)
    report = ProgressReport.objects.create(
        initiative=hub,
        period_start=due - datetime.timedelta(days=180),
        period_end=due,
        due_date=due,
    )

    event = make_event(visibility="members", organizers=[org_a], title="A's members event")
    registration = make_registration(event, outsider)
    # B's own public event: its organizers guess the ids of A's registrations through it.
    b_event = make_event(organizers=[org_b], title="B's event")

    survey = make_survey(audience="members", results_public=False)
    make_question(survey)

    objects = {
        "-": {},
        "org_a": {"slug": org_a.slug},
        "pending_org": {"slug": pending_org.slug},
        "join_request": {"pk": join_request.pk},
        "staff_token": {"pk": staff.api_tokens.get().pk},
        "open_call": {"slug": call.slug},
        "draft_initiative": {"slug": draft.initiative.slug},
        "draft_application": {"pk": draft.pk},
        "submitted_application": {"pk": submitted.pk},
        "review": {"pk": review.pk},
        "hub": {"slug": hub.slug},
        "indicator": {"pk": indicator.pk},
        "report": {"pk": report.pk},
        "members_event": {"slug": event.slug},
        "registration": {"slug": event.slug, "pk": registration.pk},
        "registration_via_b_event": {"slug": b_event.slug, "pk": registration.pk},
        "members_survey": {"slug": survey.slug},
        "members_survey_page": {"slug": survey.slug, "number": 0},
    }
    extra = {"spare_reviewer": UserFactory(roles={"reviewer"}).pk}
    world = {
        "people": people,
        "tokens": tokens,
        "objects": objects,
        "extra": extra,
        # What the apps' own matrix modules build on.
        "org_a": org_a,
        "org_b": org_b,
        "a_editor": a_editor,
        "outsider": outsider,
        "hub": hub,
        "hub_editor": hub_editor,
        "indicator": indicator,
        "report": report,
        "members_event": event,
        "b_event": b_event,
        "members_survey": survey,
        "draft_application": draft,
        "submitted_application": submitted,
    }
    for module in app_matrix_modules():
        added = module.objects(world)
        assert not set(added) & set(objects), f"{module.__name__} reuses an object name"
        objects.update(added)
    return world


@pytest.fixture(scope="module")
def matrix_media(tmp_path_factory) -> dict:
    """The world's files (documents, attachments) live as long as the world."""
    root = tmp_path_factory.mktemp("matrix")
    return {"MEDIA_ROOT": root / "media", "PRIVATE_MEDIA_ROOT": root / "private-media"}


@pytest.fixture(autouse=True)
def _private_media(settings, matrix_media, monkeypatch):  # instead of conftest's per-test folders
    for name, path in matrix_media.items():
        setattr(settings, name, path)
    # A case's savepoint brings deleted rows back, not deleted files: keep the files for the
    # cases after it.
    monkeypatch.setattr(FileSystemStorage, "delete", lambda storage, name: None)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, matrix_media):
    """Built once, in a transaction rolled back when the module is done (as TestCase's
    setUpTestData): each test's own atomic block is a savepoint inside it."""
    with django_db_blocker.unblock(), override_settings(**matrix_media):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield _build_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


# Calling and classifying -----------------------------------------------------------------------


def _url(endpoint: str, params: dict) -> str:
    if endpoint.startswith("/api/"):
        values = {**params}
        if "pk" in values:
            values["id"] = values["pk"]
        return endpoint.format(**values)
    return reverse(endpoint, kwargs=params or None)


def _outcome(response, method: str) -> str:
    status = response.status_code
    if status == 401:
        return "401"
    if status == 403:
        return "forbidden"
    if status == 404:
        return "not_found"
    if status in (301, 302, 303, 307, 308):
        login = resolve_url(settings.LOGIN_URL)
        if response["Location"].startswith(login):
            return "login"
        # After a POST a redirect is the normal answer; on a GET it is a refusal.
        return "ok" if method != "GET" else "redirect"
    if status == 409:
        return "conflict"
    if 200 <= status < 300 or status == 400:
        return "ok"
    return f"unexpected {status}"


for _module in app_matrix_modules():
    API_BODIES.update(getattr(_module, "API_BODIES", {}))
    PAGE_DATA.update(getattr(_module, "PAGE_DATA", {}))


def _call(client, world, row: dict, role: str):
    params = world["objects"][row["object"]]
    url = _url(row["endpoint"], params)
    method = row["method"].upper()
    person = world["people"][role]
    if row["endpoint"].startswith("/api/"):
        headers = {}
        if person is not None:
            headers["Authorization"] = f"Bearer {world['tokens'][role]}"
        body = API_BODIES.get((method, row["endpoint"]))
        return client.generic(
            method,
            url,
            data=None if body is None else json.dumps(body),
            content_type="application/json",
            headers=headers,
        )
    if person is not None:
        client.force_login(person)
    if method == "GET":
        return client.get(url)
    data = {
        name: value.format(**world["extra"])
        for name, value in PAGE_DATA.get(row["endpoint"], {}).items()
    }
    return client.post(url, data=data)


def _cases():
    for row in ROWS:
        for role in ROLES:
            key = (row["endpoint"], row["method"], row["object"], role)
            marks = []
            if key in KNOWN_BUGS:
                marks.append(pytest.mark.xfail(strict=True, reason=KNOWN_BUGS[key]))
            yield pytest.param(
                row,
                role,
                id=f"{row['method']} {row['endpoint']} [{row['object']}] as {role}",
                marks=marks,
            )


@pytest.mark.parametrize(("row", "role"), list(_cases()))
def test_the_role_gets_what_the_matrix_says(world, db, client, row, role):
    # given the table's row and one role
    expected = row[role]
    # when that role calls the endpoint on that object
    response = _call(client, world, row, role)
    # then the outcome is the table's
    assert _outcome(response, row["method"].upper()) == expected, f"status {response.status_code}"


@pytest.mark.parametrize(
    "endpoint",
    ["initiatives:list", "calls:my_applications", "/api/v1/initiatives", "/api/v1/applications"],
)
@pytest.mark.parametrize("role", ["other_org_member", "reviewer", "partner"])
def test_lists_do_not_show_another_organizations_draft(world, db, client, endpoint, role):
    # given A's draft and someone outside A
    row = {"endpoint": endpoint, "method": "GET", "object": "-"}
    # when they read a list
    response = _call(client, world, row, role)
    # then the list answers without A's draft in it
    assert response.status_code == 200
    assert SECRET_DRAFT not in response.content.decode()


@pytest.mark.parametrize("endpoint", ["calls:my_applications", "/api/v1/applications"])
def test_the_team_does_see_its_draft_in_the_lists(world, db, client, endpoint):
    """The control of the test above: the title is there for those who may see it."""
    row = {"endpoint": endpoint, "method": "GET", "object": "-"}
    response = _call(client, world, row, "org_member")
    assert SECRET_DRAFT in response.content.decode()


# The table itself ------------------------------------------------------------------------------


def test_every_cell_of_the_matrix_is_an_outcome():
    assert ROWS
    for row in ROWS:
        assert set(ROLES) <= set(row), row
        assert {row[role] for role in ROLES} <= OUTCOMES, row
        assert row["method"] in ("GET", "POST", "PUT", "PATCH", "DELETE"), row


def test_no_row_appears_twice():
    keys = [(row["endpoint"], row["method"], row["object"]) for row in ROWS]
    assert len(keys) == len(set(keys))


# Completeness: what has no row yet -------------------------------------------------------------


def _url_names(patterns, namespace: str | None = None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or namespace
            yield from _url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name and namespace in OUR_NAMESPACES:
            yield f"{namespace}:{pattern.name}"


def our_url_names() -> set[str]:
    return set(_url_names(get_resolver().url_patterns))


def our_api_operations() -> set[str]:
    from local4action.api.api import api

    paths = api.get_openapi_schema()["paths"]
    return {
        f"{method.upper()} {path}" for path, operations in paths.items() for method in operations
    }


def uncovered() -> set[str]:
    covered = {row["endpoint"] for row in ROWS} | {
        f"{row['method']} {row['endpoint']}" for row in ROWS
    }
    return (our_url_names() | our_api_operations()) - covered


def test_every_page_and_api_operation_has_a_row():
    assert sorted(uncovered()) == [], "Endpoints without a row in docs/permissions.csv"
