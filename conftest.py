"""Fixtures shared by every app's tests: users of each role, organizations, a real browser."""

import os

import pytest

# Playwright's sync API keeps an event loop running in the main thread; Django would otherwise
# refuse database access from tests that share the session with browser tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    from django.core.cache import cache

    # Rate limits (allauth) and cached reads must not leak from one test into the next.
    cache.clear()
    # Nor the language a previous request activated in this thread.
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def user(db):
    from local4action.accounts.tests.factories import UserFactory

    return UserFactory()


@pytest.fixture
def other_user(db):
    from local4action.accounts.tests.factories import UserFactory

    return UserFactory()


@pytest.fixture
def secretariat(db):
    from local4action.accounts.tests.factories import UserFactory

    return UserFactory(roles={"secretariat"})


@pytest.fixture
def reviewer(db):
    from local4action.accounts.tests.factories import UserFactory

    return UserFactory(roles={"reviewer"})


@pytest.fixture
def organization(db):
    from local4action.accounts.tests.factories import OrganizationFactory

    return OrganizationFactory()


@pytest.fixture
def org_admin(organization):
    from local4action.accounts.tests.factories import MembershipFactory

    return MembershipFactory(organization=organization, role="admin").user


@pytest.fixture
def org_editor(organization):
    from local4action.accounts.tests.factories import MembershipFactory

    return MembershipFactory(organization=organization, role="editor").user


@pytest.fixture
def org_member(organization):
    from local4action.accounts.tests.factories import MembershipFactory

    return MembershipFactory(organization=organization, role="member").user


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium is missing at {CHROMIUM}: run `make test`, which installs it.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu"],
        )
        yield browser
        browser.close()
        # Connections opened while Playwright's loop runs live in their own context; close
        # them here or the test database cannot be dropped at the end.
        from django.db import connections

        connections.close_all()


@pytest.fixture
def new_page(browser, live_server):
    """Open pages in fresh browser contexts (separate cookies: one per person). Every browser
    test also checks that nothing on its pages broke the Content Security Policy."""
    contexts, refused = [], []

    def watch(message):
        if "Content Security Policy" in message.text:
            refused.append(f"{message.page.url if message.page else ''}: {message.text}")

    def open_page(**options):
        context = browser.new_context(base_url=live_server.url, locale="en-US", **options)
        context.set_default_timeout(10_000)
        context.on("console", watch)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()
    assert not refused, "Refused by the Content Security Policy:\n" + "\n".join(refused)


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def reference_data(transactional_db):
    """Browser tests run on a flushed database: load the reference data the migrations load."""
    from local4action.core.models import Axis, Goal, Indicator, PolicyArea, RegionalSection, Target
    from local4action.core.reference import load_sdg, load_taxonomies

    load_sdg(Goal, Target, Indicator)
    load_taxonomies(RegionalSection, Axis, PolicyArea)


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"


@pytest.fixture(autouse=True, scope="session")
def _close_connections_after_use():
    """Threads in tests (live server, concurrency tests) must not keep PostgreSQL connections
    open past the test: the test database could not be dropped at the end."""
    from django.db import connections

    connections.settings["default"]["CONN_MAX_AGE"] = 0
    for connection in connections.all():
        connection.settings_dict["CONN_MAX_AGE"] = 0
