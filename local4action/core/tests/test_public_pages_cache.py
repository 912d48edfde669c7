"""Home, HUB, SDG and event pages from the cache for anonymous visitors (core.versions
public_version): a second view runs no query, and whatever the page shows changes it at once,
whichever app it comes from; private bookkeeping does not empty the cache."""

import gzip

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from local4action.accounts.tests.factories import UserFactory
from local4action.core import services as core_services
from local4action.core.models import Goal
from local4action.core.versions import public_version
from local4action.events.tests.factories import make_event, make_registration
from local4action.monitoring.tests.factories import make_hub
from local4action.portal.tests.test_hub_page import add_deliverables

pytestmark = pytest.mark.django_db


def fetch(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


@pytest.mark.parametrize("page", ["home", "hub", "sdg", "event"])
def test_a_visitors_second_view_runs_no_query(client, page):
    hub, _editor = make_hub()
    event = make_event(title="Walkable cities forum")
    url = {
        "home": "/",
        "hub": hub.get_absolute_url(),
        "sdg": "/sdg/11/",
        "event": event.get_absolute_url(),
    }[page]

    first, first_queries = fetch(client, url)
    again, again_queries = fetch(client, url)

    assert first_queries > 0
    assert again_queries == 0
    assert again == first


def test_a_delivered_deliverable_shows_on_the_hub_page_at_once(client):
    hub, editor = make_hub()
    add_deliverables(hub, editor, delivered=0, planned=2)
    assert "0 of 2 deliverables delivered." in fetch(client, hub.get_absolute_url())[0]

    add_deliverables(hub, editor, delivered=1, planned=0)

    assert "1 of 3 deliverables delivered." in fetch(client, hub.get_absolute_url())[0]


def test_an_edited_event_and_a_new_registration_show_at_once(client):
    event = make_event(title="Walkable cities forum", capacity=10)
    url = event.get_absolute_url()
    fetch(client, url)

    event.title = "Walkable and green cities forum"
    event.save()
    assert "Walkable and green cities forum" in fetch(client, url)[0]

    before = public_version()
    make_registration(event, UserFactory())
    assert public_version() != before


def test_a_new_event_on_a_goal_shows_on_its_sdg_page_at_once(client):
    fetch(client, "/sdg/11/")
    event = make_event(title="Housing for all, a working session")

    event.goals.add(Goal.objects.get(number=11))

    assert "Housing for all, a working session" in fetch(client, "/sdg/11/")[0]


def test_private_bookkeeping_keeps_the_cached_pages(client):
    user = UserFactory()
    fetch(client, "/")
    before = public_version()

    core_services.audit_record(actor=user, action="test.read", target=user)
    user.last_login = user.date_joined
    user.save()

    assert public_version() == before
    assert fetch(client, "/")[1] == 0


def test_pages_go_compressed_to_browsers_that_accept_it(client):
    hub, _editor = make_hub()
    url = hub.get_absolute_url()

    computed = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate")
    cached = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate")
    plain = client.get(url)

    # Compressed by GZipMiddleware when computed, kept compressed in the cache after.
    for response in (computed, cached):
        assert response["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in response["Vary"]
        assert gzip.decompress(response.content) == plain.content
    assert not plain.has_header("Content-Encoding")
    assert len(cached.content) < len(plain.content) / 2
