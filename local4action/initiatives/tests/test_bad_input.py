"""Bad input to initiatives: the services refuse it whole, the catalogue and API never 500."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from local4action.core.models import AuditEvent
from local4action.initiatives import services
from local4action.initiatives.models import Initiative, InitiativeTranslation, Location
from local4action.initiatives.tests.test_catalogue import make_initiative


def _snapshot(obj) -> dict:
    obj.refresh_from_db()
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


@pytest.fixture
def initiative(organization, org_editor):
    return services.initiative_create_draft(
        actor=org_editor, organization=organization, title="Bilbao, city of values", language="es"
    )


@pytest.mark.parametrize(
    ("title", "language", "field"),
    [
        ("", "en", "title"),
        ("   ", "en", "title"),
        ("x" * 201, "en", "title"),
        ("Ok", "xx", "language"),
    ],
)
def test_a_draft_with_a_bad_title_or_language_is_not_created(
    organization, org_editor, title, language, field
):
    # When a draft is created with an empty, blank or over-long title, or an unknown language
    with pytest.raises(ValidationError) as error:
        services.initiative_create_draft(
            actor=org_editor, organization=organization, title=title, language=language
        )

    # Then the field is named and nothing is written, not even the audit row
    assert field in error.value.message_dict
    assert not Initiative.objects.exists()
    assert not AuditEvent.objects.filter(action="initiative.create").exists()


@pytest.mark.parametrize(
    "data",
    [
        {"start_date": "2026-02-30"},
        {"start_date": "abc"},
        {"end_date": "2026-13-01"},
        {"start_date": datetime.date(2027, 1, 1), "end_date": datetime.date(2026, 1, 1)},
        {"title": ""},
        {"title": "x" * 201},
        {"language": "xx"},
        {"website": "javascript:alert(1)"},
    ],
)
def test_a_bad_field_is_refused_and_the_initiative_is_unchanged(initiative, data):
    before = _snapshot(initiative)
    with pytest.raises(ValidationError):
        services.initiative_update(initiative=initiative, data={"summary": "Changed", **data})
    assert _snapshot(initiative) == before


@pytest.mark.parametrize(
    "location",
    [
        {"name": "Nowhere", "latitude": "abc", "longitude": "0"},
        {"name": "Nowhere", "latitude": "10", "longitude": "181"},
        {"name": "", "latitude": "10", "longitude": "10"},
        {"name": "x" * 201, "latitude": "10", "longitude": "10"},
    ],
)
def test_a_bad_location_keeps_the_previous_ones(initiative, location):
    services.initiative_update(
        initiative=initiative,
        data={"locations": [{"name": "Bilbao", "latitude": "43.26", "longitude": "-2.93"}]},
    )
    with pytest.raises(ValidationError):
        services.initiative_update(initiative=initiative, data={"locations": [location]})
    assert list(Location.objects.values_list("name", flat=True)) == ["Bilbao"]


def test_an_over_long_translated_title_is_refused_and_nothing_is_saved(initiative):
    before = _snapshot(initiative)
    with pytest.raises(ValidationError):
        services.initiative_update(
            initiative=initiative,
            data={"summary": "Changed", "translations": {"fr": {"title": "x" * 201}}},
        )
    assert _snapshot(initiative) == before
    assert not InitiativeTranslation.objects.exists()


def test_an_image_that_is_not_an_image_is_refused(initiative):
    before = _snapshot(initiative)
    fake = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 not a picture", "image/jpeg")
    with pytest.raises(ValidationError):
        services.initiative_update(initiative=initiative, data={"image": fake})
    assert _snapshot(initiative) == before


@pytest.mark.parametrize(
    "params",
    [
        {"page": str(10**20)},
        {"page": "-1"},
        {"page": "³"},
        {"sdg": str(10**20)},
        {"sdg": "³"},
        {"year": str(10**20)},
        {"year": "0"},
        {"sort": "<script>"},
        {"unknown": "x"},
    ],
)
def test_odd_catalogue_queries_give_a_page_not_an_error(client, db, params):
    hub = make_initiative("Bilbao, city of values")
    response = client.get("/initiatives/", params)
    assert response.status_code == 200
    assert "<script>" not in response.content.decode().split("<main", 1)[-1].replace(
        "&lt;script&gt;", ""
    )
    assert hub.slug in response.content.decode()


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"page": str(10**20)}, 200),
        ({"page": "-1"}, 200),
        ({"page": "abc"}, 422),
        ({"sdg": str(10**20)}, 200),
        ({"year": "³"}, 200),
        ({"sort": "random"}, 422),
    ],
)
def test_odd_api_queries_are_answered_in_json(client, db, params, status):
    make_initiative("Bilbao, city of values")
    response = client.get("/api/v1/initiatives", params)
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize("slug", ["nothing-here", "x" * 500, "%00"])
def test_an_unknown_initiative_is_a_404_on_the_page_and_the_api(client, db, slug):
    assert client.get(f"/initiatives/{slug}/").status_code == 404
    response = client.get(f"/api/v1/initiatives/{slug}")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


def test_a_long_search_is_cut_and_the_visitor_told_in_french(client, db):
    make_initiative("Bilbao, city of values")
    response = client.get("/initiatives/", {"q": "valeurs " * 300}, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    assert "La recherche a été limitée à ses 200 premiers caractères." in response.content.decode()
