"""Open data: the data page and the CSV, JSON and GeoJSON downloads of the public initiatives."""

import csv
import io
import json

import pytest

from local4action.accounts.tests.factories import OrganizationFactory, UserFactory
from local4action.core.models import RegionalSection, Target
from local4action.initiatives.choices import InitiativeStatus
from local4action.initiatives.models import Initiative
from local4action.initiatives.tests.test_catalogue import make_initiative
from local4action.portal.opendata import CSV_FIELDS, FIELDS

pytestmark = pytest.mark.django_db

CSV_URL = "/data/initiatives.csv"
JSON_URL = "/data/initiatives.json"
GEOJSON_URL = "/data/initiatives.geojson"


def body(response) -> str:
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode("utf-8")


def csv_rows(client, params=None) -> list[dict]:
    text = body(client.get(CSV_URL, params or {}))
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


def json_data(client, url, params=None) -> dict:
    return json.loads(body(client.get(url, params or {})))


@pytest.fixture
def bilbao(db):
    author = UserFactory(name="Amaia Etxeberria", email="amaia@bilbao.example")
    organization = OrganizationFactory(
        name="City of Bilbao",
        slug="bilbao",
        country="ES",
        regional_section=RegionalSection.objects.get(slug="europe"),
    )
    initiative = make_initiative(
        "Bilbao, city of values",
        organization=organization,
        sdgs=[11, 16],
        summary="Values as drivers of urban development.",
        targets=list(Target.objects.filter(code__in=["11.3", "16.7"])),
        website="https://www.bilbao.eus/",
        locations=[
            {"name": "Bilbao", "latitude": "43.26271", "longitude": "-2.92528"},
            {"name": "Getxo", "latitude": "43.35689", "longitude": "-3.01146"},
        ],
        translations={"es": {"title": "Bilbao, ciudad de valores", "summary": "Valores."}},
    )
    Initiative.objects.filter(pk=initiative.pk).update(created_by=author)
    return initiative


@pytest.fixture
def others(db):
    make_initiative(
        "Bogotá cares",
        sdgs=[5],
        region="latin-america",
        country="CO",
        status=InitiativeStatus.ACCOMPANIED,
        locations=[{"name": "Bogotá", "latitude": "4.711", "longitude": "-74.0721"}],
    )
    make_initiative("A secret draft", status=InitiativeStatus.DRAFT)
    make_initiative("Declined idea", status=InitiativeStatus.DECLINED)


# The data page ------------------------------------------------------------------------------------


def test_the_data_page_documents_every_field_and_the_licence(client):
    response = client.get("/data/")
    html = response.content.decode()

    assert response.status_code == 200
    for field in FIELDS:
        assert f"<code>{field.name}</code>" in html, field.name
    assert "CC BY 4.0" in html and "https://creativecommons.org/licenses/by/4.0/" in html
    assert "Source: Local4Action HUBs programme" in html
    for url in (CSV_URL, JSON_URL, GEOJSON_URL, "/api/v1/docs"):
        assert f'href="{url}' in html, url
    assert "<caption>" in html


# CSV ---------------------------------------------------------------------------------------------


def test_the_csv_holds_one_row_per_public_initiative_with_stable_fields(client, bilbao, others):
    response = client.get(CSV_URL)
    rows = csv_rows(client)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="local4action-initiatives.csv"'
    )
    assert list(rows[0]) == CSV_FIELDS
    assert {row["title"] for row in rows} == {"Bilbao, city of values", "Bogotá cares"}
    row = next(r for r in rows if r["slug"] == bilbao.slug)
    assert row["lead_organization"] == "City of Bilbao"
    assert (row["country"], row["region"], row["status"], row["hub"]) == (
        "ES",
        "europe",
        "labelled",
        "true",
    )
    assert row["goals"] == "11;16"
    assert row["targets"] == "11.3;16.7"
    assert row["places"] == "Bilbao;Getxo"
    assert row["url"] == "http://testserver/initiatives/bilbao-city-of-values/"
    assert row["labelled_on"] == bilbao.labelled_at.date().isoformat()


def test_csv_cells_cannot_run_as_formulas(client):
    make_initiative('=HYPERLINK("http://evil.example")', summary="+SUM(A1:A9)")

    row = csv_rows(client)[0]

    assert row["title"].startswith("'=")
    assert row["summary"].startswith("'+")


def test_downloads_honour_the_catalogue_parameters(client, bilbao, others):
    assert [r["title"] for r in csv_rows(client, {"sdg": "5"})] == ["Bogotá cares"]
    assert [r["title"] for r in csv_rows(client, {"region": "europe", "q": "values"})] == [
        "Bilbao, city of values"
    ]
    assert csv_rows(client, {"status": "draft", "q": "secret"}) == []
    assert [i["slug"] for i in json_data(client, JSON_URL, {"country": "CO"})["initiatives"]] == [
        "bogota-cares"
    ]
    features = json_data(client, GEOJSON_URL, {"sdg": "16"})["features"]
    assert {f["properties"]["place"] for f in features} == {"Bilbao", "Getxo"}


def test_bad_parameters_give_a_file_not_an_error(client, bilbao):
    for params in ({"q": "x" * 2000}, {"sdg": "abc"}, {"q": "<script>'; --"}, {"page": "-1"}):
        for url in (CSV_URL, JSON_URL, GEOJSON_URL):
            assert client.get(url, params).status_code == 200


# JSON --------------------------------------------------------------------------------------------


def test_the_json_wraps_the_list_with_licence_and_date(client, bilbao, others):
    response = client.get(JSON_URL)
    data = json.loads(body(response))

    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].endswith('filename="local4action-initiatives.json"')
    assert data["licence"]["name"] == "CC BY 4.0"
    assert data["licence"]["url"] == "https://creativecommons.org/licenses/by/4.0/"
    assert "Local4Action" in data["licence"]["attribution"]
    assert data["generated_at"]
    assert len(data["initiatives"]) == 2
    record = next(i for i in data["initiatives"] if i["slug"] == bilbao.slug)
    assert set(CSV_FIELDS) <= set(record)
    assert record["goals"] == [11, 16]
    assert record["hub"] is True
    assert record["translations"] == {
        "es": {"title": "Bilbao, ciudad de valores", "summary": "Valores."}
    }
    assert record["locations"][0] == {"name": "Bilbao", "lat": 43.26271, "lon": -2.92528}


def test_an_empty_selection_is_still_valid_json(client):
    data = json_data(client, JSON_URL, {"q": "nothing matches this"})

    assert data["initiatives"] == [] and data["licence"]["name"] == "CC BY 4.0"


# GeoJSON -----------------------------------------------------------------------------------------


def test_the_geojson_is_a_feature_collection_of_points_in_lon_lat_order(client, bilbao, others):
    response = client.get(GEOJSON_URL)
    data = json.loads(body(response))

    assert response["Content-Type"] == "application/geo+json"
    assert response["Content-Disposition"].endswith('filename="local4action-initiatives.geojson"')
    assert data["type"] == "FeatureCollection"
    assert data["licence"]["name"] == "CC BY 4.0"
    assert len(data["features"]) == 3  # two places in Bilbao's, one in Bogotá's
    for feature in data["features"]:
        assert feature["type"] == "Feature"
        assert feature["geometry"]["type"] == "Point"
        longitude, latitude = feature["geometry"]["coordinates"]
        assert -180 <= longitude <= 180 and -90 <= latitude <= 90
        assert isinstance(feature["properties"], dict)
    bilbao_point = next(f for f in data["features"] if f["properties"]["place"] == "Bilbao")
    assert bilbao_point["geometry"]["coordinates"] == [-2.92528, 43.26271]
    assert bilbao_point["properties"]["slug"] == bilbao.slug
    assert bilbao_point["properties"]["goals"] == [11, 16]
    bogota = next(f for f in data["features"] if f["properties"]["place"] == "Bogotá")
    assert bogota["geometry"]["coordinates"] == [-74.0721, 4.711]


# No personal data --------------------------------------------------------------------------------


def test_no_download_holds_personal_data(client, bilbao, others):
    bilbao.refresh_from_db()
    assert bilbao.created_by.email == "amaia@bilbao.example"  # there is someone to leak

    for url in (CSV_URL, JSON_URL, GEOJSON_URL):
        text = body(client.get(url))
        assert "@" not in text, url
        assert "Amaia" not in text and "Etxeberria" not in text, url
        assert "secret draft" not in text and "Declined" not in text, url


def test_the_downloads_cost_the_same_queries_for_few_or_many_rows(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(url):
        with CaptureQueriesContext(connection) as queries:
            body(client.get(url))
        return len(queries)

    def add(n):
        for number in range(n):
            make_initiative(
                f"HUB {number}",
                sdgs=[5, 11],
                targets=list(Target.objects.filter(code="11.3")),
                locations=[{"name": "Somewhere", "latitude": "1", "longitude": "2"}],
            )

    add(2)
    before = {url: count(url) for url in (CSV_URL, JSON_URL, GEOJSON_URL)}
    add(10)
    assert {url: count(url) for url in (CSV_URL, JSON_URL, GEOJSON_URL)} == before
