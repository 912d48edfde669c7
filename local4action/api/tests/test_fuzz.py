"""Schemathesis against our own OpenAPI document, in-process through the WSGI application: every
operation, once as nobody and once as a member with a token, on a small fixed budget.

What must hold for any input it makes up (valid or not):
- `not_a_server_error`: never a 5xx;
- `status_code_conformance`: the status is one the document declares for the operation;
- `response_schema_conformance`: the body matches what the document declares for that status.

Checks left out, and why:
- `content_type_conformance`, `response_headers_conformance`: every answer is JSON from
  django-ninja, and we declare no response headers, so they would check nothing of ours.
- `negative_data_rejection`, `positive_data_acceptance`: they read a 404 for an id that does not
  exist, or a 403 for a write the caller may not make, as "valid input refused"; our rules
  (permissions, states, deadlines) are not in the document.
- `missing_required_header`, `unsupported_method`, `ignored_auth`, `use_after_free`,
  `ensure_resource_availability`, `max_response_time`: about the HTTP server or stateful
  sequences rather than our handlers; the first two would test Django's own answers.

Budget: EXAMPLES_PER_OPERATION cases per operation and caller, drawn from valid and from invalid
input (schemathesis's positive and negative modes), derandomized (Hypothesis seeds from the
test itself), without an example database and without shrinking, so that the run in CI is the
run here and takes well under two minutes. Path parameters are either made up or those of an
object the fixture made (the member's HUB, another team's…), so that the handlers behind a 404
are reached too.

The loop over the operations is ours, on schemathesis's public `APIOperation.as_strategy` and
`Case.call_and_validate`: its pytest integration (`schemathesis.pytest.from_fixture`, needed
because the document can only be loaded once the test database exists) fails on pytest 9.2.

Examples that failed once are kept as plain tests in test_fuzz_examples.py."""

import os

import hypothesis
import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

SCHEMA_PATH = "/api/v1/openapi.json"
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
# The in-process WSGI client does not undo GZipMiddleware's compression.
PLAIN = {"Accept-Encoding": "identity"}
# A longer search, by hand: FUZZ_EXAMPLES=200 .venv/bin/python -m pytest …/test_fuzz.py
EXAMPLES_PER_OPERATION = int(os.environ.get("FUZZ_EXAMPLES", "12"))
FUZZ_SETTINGS = hypothesis.settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    database=None,
    # No shrinking: a failure is reported as found, and the budget stays bounded.
    phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
    suppress_health_check=list(hypothesis.HealthCheck),
    print_blob=False,
)


def _known_for(known: dict[str, list[dict]], path: str) -> list[dict]:
    """Parameters that name real objects for this path (the longest prefix that matches)."""
    for prefix, candidates in sorted(known.items(), key=lambda item: -len(item[0])):
        if path.startswith(prefix):
            return [
                {name: value for name, value in values.items() if "{" + name + "}" in path}
                for values in candidates
            ]
    return []


def _strategy(operation, known: dict[str, list[dict]]):
    """Valid and invalid input, with made-up path parameters or those of real objects."""
    strategies = [
        operation.as_strategy(generation_mode=mode, path_parameters=parameters)
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
        for parameters in [None, *_known_for(known, operation.path)]
    ]
    return st.one_of(strategies)


def _fuzz(api_schema, known: dict[str, list[dict]], headers: dict[str, str]) -> None:
    """Every operation in turn; the failures of all of them are reported together."""
    failures = []
    for result in api_schema.get_all_operations():
        operation = result.ok()

        @FUZZ_SETTINGS
        @hypothesis.given(case=_strategy(operation, known))
        def check(case):
            case.call_and_validate(headers={**PLAIN, **headers}, checks=CHECKS)

        try:
            check()
        except (Exception, BaseExceptionGroup) as exc:  # collected and reported below
            failures.append(f"{operation.label}: {exc}")
    assert not failures, "\n\n".join(failures)


@pytest.fixture
def _same_draws_everywhere(monkeypatch):
    """Hypothesis also draws, now and then, string and number constants it finds in the source
    of every module loaded so far, kept in sets: what it draws would then depend on the tests
    that ran before and on the process's hash seed. Without them, a run alone is the run in
    the whole suite and in CI (the patched names are Hypothesis internals, pinned with it)."""
    from hypothesis.internal.conjecture import providers
    from hypothesis.internal.constants_ast import Constants

    monkeypatch.setattr(providers, "_get_local_constants", Constants)
    monkeypatch.setattr(providers, "CONSTANTS_CACHE", type(providers.CONSTANTS_CACHE)(1024))


@pytest.fixture
def _in_process(db):
    """The WSGI handler runs inside the test's transaction: like Django's test client, it must
    not close the connection at the start and end of each request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def _no_rate_limits(settings):
    """Over a thousand calls from one address in a minute: the API's limits would answer
    429 to most of them and leave the operations untested."""
    settings.API_REQUESTS_PER_MINUTE = settings.API_REQUESTS_PER_MINUTE_PERSON = 10**9
    settings.REGISTRATIONS_PER_MINUTE = settings.EXCHANGE_POSTS_PER_MINUTE = 10**9


@pytest.fixture
def fuzz_data(_in_process, _no_rate_limits, secretariat):
    from local4action.accounts import services as account_services
    from local4action.calls.tests.factories import make_call
    from local4action.core.models import Goal
    from local4action.events.tests.factories import make_event, make_idea, make_session
    from local4action.exchange import services as exchange_services
    from local4action.library.tests.factories import make_collection, make_resource
    from local4action.monitoring.tests.factories import make_hub, make_indicator
    from local4action.surveys.tests.factories import make_question, make_survey
    from local4action.workplan.tests.factories import make_plan

    # The member's own HUB, and another team's, whose objects it may read but not change.
    hub, editor = make_hub(title="Water for all")
    other, other_editor = make_hub(title="Rivers")
    indicator = make_indicator(hub, editor)
    other_indicator = make_indicator(other, other_editor)
    call = make_call(staff=secretariat)
    event = make_event()
    session = make_session(event)
    idea = make_idea(session, other_editor)
    survey = make_survey()
    make_question(survey)
    thread = exchange_services.thread_create(
        actor=other_editor,
        topic="goal",
        about=Goal.objects.get(number=11),
        title="Indicators of sustainable cities",
        body="<p>Which indicators do you use?</p>",
    )
    plan = make_plan(secretariat, year=2025)
    resource = make_resource()
    collection = make_collection()
    _, secret = account_services.api_token_create(actor=editor, name="fuzz")
    # By the start of the path: the parameters of real objects to use instead of made-up ones.
    known = {
        "/api/v1/sdg/goals": [{"number": 11}],
        "/api/v1/organizations": [{"slug": hub.lead_organization.slug}],
        "/api/v1/initiatives": [{"slug": hub.slug}, {"slug": other.slug}],
        "/api/v1/calls": [{"slug": call.slug}],
        "/api/v1/indicators": [{"id": indicator.pk}, {"id": other_indicator.pk}],
        "/api/v1/surveys": [{"slug": survey.slug, "number": 0}],
        "/api/v1/events": [{"slug": event.slug, "id": session.pk}],
        "/api/v1/events/{slug}/ideas": [{"slug": event.slug, "id": idea.pk}],
        "/api/v1/threads": [{"id": thread.pk}],
        "/api/v1/posts": [{"id": thread.posts.order_by("pk").first().pk}],
        "/api/v1/workplans": [{"year": plan.year}],
        "/api/v1/workplan-actions": [{"id": plan.actions.order_by("pk").first().pk}],
        "/api/v1/resources": [{"slug": resource.slug}],
        "/api/v1/collections": [{"slug": collection.slug}],
    }
    return {"known": known, "member": {"Authorization": f"Bearer {secret}"}}


@pytest.fixture
def api_schema(fuzz_data, _same_draws_everywhere):
    from local4action.wsgi import application

    return schemathesis.openapi.from_wsgi(SCHEMA_PATH, application)


def test_anonymous_calls_never_fail_and_match_the_schema(api_schema, fuzz_data):
    _fuzz(api_schema, fuzz_data["known"], headers={})


def test_member_calls_never_fail_and_match_the_schema(api_schema, fuzz_data):
    _fuzz(api_schema, fuzz_data["known"], headers=fuzz_data["member"])
