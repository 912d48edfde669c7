"""The API list takes the catalogue's parameters and gives the page's results; ETag and
Cache-Control on the API's reads; the browsable OpenAPI documentation served locally."""

import re

import pytest

from local4action.accounts.tests.factories import UserFactory
from local4action.initiatives.choices import InitiativeStatus
from local4action.initiatives.tests.test_api import bearer
from local4action.initiatives.tests.test_catalogue import make_initiative

pytestmark = pytest.mark.django_db

API = "/api/v1/initiatives"
PAGE = "/initiatives/"


def api_slugs(client, params) -> list[str]:
    response = client.get(API, params)
    assert response.status_code == 200, response.content
    return [i["slug"] for i in response.json()["results"]]


def page_slugs(client, params) -> list[str]:
    response = client.get(PAGE, params)
    assert response.status_code == 200
    return [i.slug for i in response.context["page"].object_list]


@pytest.fixture
def catalogue_rows(db):
    make_initiative("Bogotá cares for water", sdgs=[6, 11], region="latin-america", country="CO")
    make_initiative("Water in Lyon", sdgs=[6], region="europe", country="FR", year=2022)
    make_initiative("Quito listens", sdgs=[16], region="latin-america", country="EC", year=2023)
    make_initiative(
        "Dakar water schools",
        sdgs=[4, 6],
        region="africa",
        country="SN",
        status=InitiativeStatus.ACCOMPANIED,
    )
    make_initiative("A draft about water", status=InitiativeStatus.DRAFT)


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": "water"},
        {"q": "water", "sort": "title"},
        {"sdg": ["6", "11"]},
        {"region": "latin-america"},
        {"country": ["CO", "SN"]},
        {"status": "accompanied"},
        {"status": ["labelled", "accompanied"], "sort": "newest"},
        {"year": "2022"},
        {"kind": "local_government", "sdg": "6", "q": "water"},
        {"sdg": "99", "region": "atlantis", "status": "draft"},
        {"q": "<script>"},
    ],
)
def test_the_api_gives_the_pages_results_in_the_same_order(client, catalogue_rows, params):
    assert api_slugs(client, params) == page_slugs(client, params)


def test_facets_are_repeatable_on_the_api(client, catalogue_rows):
    assert len(api_slugs(client, {"country": ["CO", "SN"]})) == 2
    assert len(api_slugs(client, {"country": "CO"})) == 1


def test_the_api_keeps_its_page_shape_and_pages_beyond_the_end(client, catalogue_rows):
    data = client.get(API, {"page": 99999}).json()

    assert set(data) == {"count", "page", "pages", "results"}
    assert (data["count"], data["page"], data["pages"]) == (4, 1, 1)


def test_bad_text_input_never_breaks_the_api(client, catalogue_rows):
    for q in ("", "x" * 2000, "'; DROP TABLE x; --", "<b>égalité</b>"):
        assert client.get(API, {"q": q}).status_code == 200


# ETag and Cache-Control -----------------------------------------------------------------------


def test_asking_again_with_the_etag_gives_304_with_no_body(client, catalogue_rows):
    first = client.get(API)
    etag = first["ETag"]

    again = client.get(API, HTTP_IF_NONE_MATCH=etag)

    assert etag.startswith('W/"')
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag


def test_the_etag_changes_when_the_data_change(client, catalogue_rows):
    etag = client.get(API)["ETag"]
    make_initiative("A new HUB")

    response = client.get(API, HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 200
    assert response["ETag"] != etag


def test_the_etag_depends_on_the_parameters(client, catalogue_rows):
    assert client.get(API, {"sdg": "6"})["ETag"] != client.get(API, {"sdg": "16"})["ETag"]


def test_one_initiative_has_an_etag_too(client, catalogue_rows):
    etag = client.get(f"{API}/quito-listens")["ETag"]

    assert client.get(f"{API}/quito-listens", HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_anonymous_answers_are_public_for_a_short_while(client, catalogue_rows):
    cache_control = client.get(API)["Cache-Control"]

    assert "public" in cache_control and "max-age=60" in cache_control


def test_answers_to_a_token_or_a_session_are_private(client, catalogue_rows):
    person = UserFactory()

    by_token = client.get(API, **bearer(person))
    client.force_login(person)
    by_session = client.get(API)

    for response in (by_token, by_session):
        assert "private" in response["Cache-Control"]
        assert "public" not in response["Cache-Control"]
    assert "Authorization" in by_token["Vary"]


def test_errors_and_writes_get_no_etag(client, catalogue_rows):
    assert not client.get(f"{API}/no-such-initiative").has_header("ETag")
    assert not client.post(API).has_header("ETag")


def test_pages_outside_the_api_are_left_alone(client, catalogue_rows):
    assert not client.get(PAGE).has_header("ETag")


# Browsable documentation ------------------------------------------------------------------------


def test_the_openapi_documentation_loads_nothing_from_elsewhere(client):
    response = client.get("/api/v1/docs")
    html = response.content.decode()

    assert response.status_code == 200
    assert "swagger-ui-bundle.js" in html and "/api/v1/openapi.json" in html
    external = re.findall(r"""(?:src|href)\s*=\s*["'](?:https?:)?//""", html)
    assert external == []
    assert '"validatorUrl": null' in html


def test_the_openapi_document_describes_the_catalogue_parameters(client):
    document = client.get("/api/v1/openapi.json").json()

    operation = document["paths"]["/api/v1/initiatives"]["get"]
    parameters = {p["name"]: p for p in operation["parameters"]}
    assert {
        "q",
        "sdg",
        "region",
        "country",
        "status",
        "kind",
        "area",
        "year",
        "sort",
        "page",
    } <= set(parameters)
    assert parameters["sdg"]["schema"]["type"] == "array"
