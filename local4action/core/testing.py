"""Helpers for tests in every app: API tokens, query counts and accessibility checks."""

from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

AXE_JS = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"


def bearer(user) -> dict:
    """Headers for the test client that call the API with a new personal token of the user."""
    from local4action.accounts.services import api_token_create

    _, secret = api_token_create(actor=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries)


def assert_queries_constant(client, url: str, add_rows: Callable[[int], object], rows=10) -> int:
    """A page's query count must not grow with its rows: count, add rows, count again. The
    cache is emptied before each count: the page is computed both times, not read back."""
    add_rows(2)
    cache.clear()
    before = count_queries(client, url)
    add_rows(rows)
    cache.clear()
    after = count_queries(client, url)
    assert after == before, f"{url}: {before} queries with few rows, {after} with more"
    return after


def axe_violations(page, impacts=("serious", "critical")) -> list[dict]:
    """Run axe-core (installed from npm) in the page; return the violations of these impacts."""
    # Colours are judged once transitions (a popup fading in) have ended.
    page.wait_for_function(
        "() => document.getAnimations().every(animation => animation.playState !== 'running')"
    )
    # Evaluated through the DevTools protocol, not as a <script> the page's CSP would refuse.
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.evaluate(AXE_JS.read_text())
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: "
        "{type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})"
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
        if v["impact"] in impacts
    ]


def log_in(new_page, user, **options):
    """A new browser page (`new_page` fixture, its options), signed in as `user` through the
    log-in form with the factories' password."""
    import re

    from local4action.accounts.tests.factories import PASSWORD

    page = new_page(**options)
    page.goto("/account/login/")
    page.locator("#id_login").fill(user.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/profile/"))
    return page
