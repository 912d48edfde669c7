"""Bad input in the library (catalogue, editing, collections, API): a clear message or a plain
404, never a 500, and nothing changes in the database."""

import pytest
from django.test import Client
from django.urls import reverse

from local4action.library.models import CollectionItem, Resource, ResourceLink
from local4action.library.tests.factories import make_collection, make_resource
from local4action.library.tests.test_editing import details, draft_of

pytestmark = pytest.mark.django_db

CATALOGUE = "/library/"
API = "/api/v1/resources"


@pytest.mark.parametrize("page", ["³", "-1", "0", str(10**20), "9" * 5000, "abc", "1.5"])
def test_odd_page_numbers_in_the_catalogue_are_harmless(client, page):
    # Given a catalogue with one resource
    make_resource(title="Resilient cities toolkit")
    # When a visitor asks for an odd page
    response = client.get(CATALOGUE, {"page": page})
    # Then the catalogue answers with a page of results, not an error
    assert response.status_code == 200
    assert "Resilient cities toolkit" in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"sdg": "³"},
        {"year": str(10**20)},
        {"kind": "<script>"},
        {"language": "xx"},
        {"q": "x" * 5000},
        {"utm_source": "mail"},
    ],
)
def test_odd_filters_in_the_catalogue_and_downloads_are_harmless(client, params):
    make_resource()
    assert client.get(CATALOGUE, params).status_code == 200
    assert client.get(reverse("library:resources_csv"), params).status_code == 200
    assert client.get(reverse("library:resources_json"), params).status_code == 200


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"title": "   "}, "title", "This field is required."),
        ({"title": "t" * 301}, "title", "at most 300 characters"),
        ({"year": "abc"}, "year", "Enter a whole number."),
        ({"year": "³"}, "year", "Enter a whole number."),
        ({"year": "-1"}, "year", "greater than or equal to 1950"),
        ({"year": str(10**20)}, "year", "less than or equal to 2100"),
        ({"kind": "novel"}, "kind", "Select a valid choice."),
        ({"language": "klingon"}, "language", "Select a valid choice."),
        ({"goals": ["999999"]}, "goals", "Select a valid choice."),
    ],
)
def test_bad_resource_fields_are_named_and_nothing_is_saved(
    client, organization, org_editor, fields, field, message
):
    client.force_login(org_editor)
    response = client.post(reverse("library:create"), details(owner=organization.pk, **fields))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert any(message in error for error in errors[field]), errors
    assert not Resource.objects.exists()


def test_the_message_is_in_french_for_a_french_speaking_editor(client, organization, org_editor):
    org_editor.language = "fr"
    org_editor.save()
    client.force_login(org_editor)
    response = client.post(reverse("library:create"), details(owner=organization.pk, title=" "))
    assert response.status_code == 400
    assert "Ce champ est obligatoire." in response.content.decode()
    assert not Resource.objects.exists()


def test_a_failed_edit_keeps_the_typed_text_and_changes_nothing(client, organization, org_editor):
    resource = draft_of(organization, org_editor)
    client.force_login(org_editor)
    response = client.post(
        reverse("library:edit", args=[resource.slug]),
        details(
            owner=organization.pk, summary="My new summary", year="abc", version=resource.version
        ),
    )
    assert response.status_code == 400
    assert "My new summary" in response.content.decode()
    resource.refresh_from_db()
    assert resource.summary == "Step by step."


def test_a_script_in_the_summary_is_shown_as_text(client, organization, org_editor):
    resource = draft_of(organization, org_editor, summary="<script>alert(1)</script>Budgets")
    client.force_login(org_editor)
    page = client.get(resource.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;Budgets" in page


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"link-url": "ftp://example.org/file"}, "starting with http:// or https://"),
        ({"link-url": "https://example.org/" + "a" * 500}, "at most 500 characters"),
        ({"link-label": "  "}, "This field is required."),
        ({"link-language": "de"}, "Select a valid choice."),
    ],
)
def test_bad_links_are_refused_and_nothing_is_added(
    client, organization, org_editor, fields, message
):
    resource = draft_of(organization, org_editor)
    client.force_login(org_editor)
    data = {
        "link-url": "https://www.uclg.org/",
        "link-label": "UCLG",
        "link-language": "en",
        **fields,
    }
    response = client.post(reverse("library:link_add", args=[resource.slug]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ResourceLink.objects.exists()


def test_creating_without_the_csrf_token_is_refused(organization, org_editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(org_editor)
    response = client.post(reverse("library:create"), details(owner=organization.pk))
    assert response.status_code == 403
    assert not Resource.objects.exists()


@pytest.mark.parametrize("pk", [999999, 10**20])
def test_unknown_files_and_links_are_not_found(client, org_editor, pk):
    client.force_login(org_editor)
    assert client.get(reverse("library:file_download", args=[pk])).status_code == 404
    assert client.post(reverse("library:file_remove", args=[pk])).status_code == 404
    assert client.post(reverse("library:link_remove", args=[pk])).status_code == 404


@pytest.mark.parametrize("move", ["up:³", "up:" + "9" * 5000, "up:-1", "", "up", ":1"])
def test_a_forged_move_in_a_collection_changes_nothing(client, secretariat, move):
    # Given a collection of two resources
    collection = make_collection()
    first, second = make_resource(), make_resource()
    for position, resource in enumerate([first, second], start=1):
        CollectionItem.objects.create(collection=collection, resource=resource, position=position)
    client.force_login(secretariat)
    # When the move button's value is forged
    response = client.post(
        reverse("library:collection_items", args=[collection.slug]), {"move": move}, follow=True
    )
    # Then a message says so and the order is unchanged
    assert response.status_code == 200
    assert "no longer in the collection" in response.content.decode()
    order = list(collection.items.order_by("position").values_list("resource_id", flat=True))
    assert order == [first.pk, second.pk]


@pytest.mark.parametrize(
    "params",
    [{"page": "-1"}, {"page": "³"}, {"page": str(10**20)}, {"sdg": "abc"}, {"year": "10**20"}],
)
def test_odd_api_parameters_are_a_declared_422_or_ignored(client, params):
    make_resource()
    response = client.get(API, params)
    assert response.status_code in (200, 422)
    assert response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize("slug", ["no-such-resource", "x" * 400])
def test_unknown_resources_are_not_found(client, slug):
    assert client.get(reverse("library:resource", args=[slug])).status_code == 404
    assert client.get(f"{API}/{slug}").status_code == 404
