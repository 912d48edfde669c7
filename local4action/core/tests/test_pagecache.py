"""Whole public pages from the cache (core.pagecache), on the catalogue: served to anonymous
visitors without a query, fresh after any change the page shows, per language, never
personal."""

import pytest
from django.db import connection
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test.utils import CaptureQueriesContext

from local4action.accounts.tests.factories import UserFactory
from local4action.core.models import Goal
from local4action.core.pagecache import public_page
from local4action.portal.tests.test_map import make_initiative

pytestmark = pytest.mark.django_db

CATALOGUE = "/initiatives/?sdg=11"


def fetch(client, url=CATALOGUE, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    assert response.status_code == 200
    return response, len(queries)


def test_a_visitor_gets_the_second_view_from_the_cache(client):
    make_initiative("Bike lanes of Quito", sdgs=[11])

    first, first_queries = fetch(client)
    again, again_queries = fetch(client)

    assert first_queries > 0
    assert again_queries <= 1  # The data version, when the cache lost it.
    assert again.content == first.content
    assert "Bike lanes of Quito" in again.content.decode()
    assert "csrftoken" not in again.cookies


def test_a_new_initiative_shows_at_once(client):
    make_initiative("Bike lanes of Quito", sdgs=[11])
    fetch(client)

    make_initiative("Rain gardens of Lyon", sdgs=[11])
    response, _ = fetch(client)

    assert "Rain gardens of Lyon" in response.content.decode()


def test_a_goal_added_to_an_initiative_shows_at_once(client):
    initiative = make_initiative("Rain gardens of Lyon", sdgs=[6])
    assert "Rain gardens of Lyon" not in fetch(client)[0].content.decode()

    initiative.goals.add(Goal.objects.get(number=11))

    assert "Rain gardens of Lyon" in fetch(client)[0].content.decode()


def test_an_edited_organization_shows_at_once(client):
    initiative = make_initiative("Rain gardens", sdgs=[11], country="FR")
    fetch(client, "/initiatives/?country=FR")

    organization = initiative.lead_organization
    organization.country = "ES"
    organization.save()

    assert "Rain gardens" not in fetch(client, "/initiatives/?country=FR")[0].content.decode()


def test_each_language_has_its_own_copy(client):
    make_initiative("Bike lanes of Quito", sdgs=[11])

    english, _ = fetch(client, HTTP_ACCEPT_LANGUAGE="en")
    spanish, _ = fetch(client, HTTP_ACCEPT_LANGUAGE="es")
    french, _ = fetch(client, CATALOGUE + "&lang=fr")

    assert english["Content-Language"] == "en"
    assert spanish["Content-Language"] == "es"
    assert french["Content-Language"] == "fr"
    assert len({english.content, spanish.content, french.content}) == 3


def test_signed_in_people_never_get_the_cached_page(client):
    make_initiative("Bike lanes of Quito", sdgs=[11])
    fetch(client)  # Now cached for visitors.
    client.force_login(UserFactory())

    response, queries = fetch(client)

    assert queries > 1
    assert "/account/logout/" in response.content.decode()


@pytest.mark.parametrize(
    ("personal", "stored"),
    [
        (lambda request, response: None, True),
        (lambda request, response: get_token(request), False),  # a form that posts
        (lambda request, response: response.set_cookie("seen", "1"), False),
    ],
)
def test_only_pages_with_nothing_personal_are_stored(rf, personal, stored):
    calls = []

    @public_page(lambda: "version-1")
    def view(request):
        calls.append(request)
        response = HttpResponse("page")
        personal(request, response)
        return response

    view(rf.get("/page/"))
    view(rf.get("/page/"))

    assert len(calls) == (1 if stored else 2)


def test_requests_with_a_session_or_a_token_skip_the_cache(rf):
    calls = []

    @public_page(lambda: "version-1")
    def view(request):
        calls.append(request)
        return HttpResponse("page")

    view(rf.get("/page/"))
    signed_in = rf.get("/page/")
    signed_in.COOKIES["sessionid"] = "abc"
    view(signed_in)
    view(rf.get("/page/", HTTP_AUTHORIZATION="Bearer abc"))

    assert len(calls) == 3


def test_the_language_switch_works_for_a_visitor_without_a_token(client):
    client = client.__class__(enforce_csrf_checks=True)

    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/initiatives/"})

    assert response.status_code == 302
    assert response.cookies["django_language"].value == "fr"


def test_the_language_switch_checks_the_token_of_a_signed_in_person(client):
    person = UserFactory(language="en")
    client = client.__class__(enforce_csrf_checks=True)
    client.force_login(person)

    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/initiatives/"})

    assert response.status_code == 403
    person.refresh_from_db()
    assert person.language == "en"
