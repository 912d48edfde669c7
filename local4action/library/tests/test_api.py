"""The library under /api/v1/: published resources with the library page's parameters and
pages, one resource with everything a reader needs (and nothing personal), collections in
their curators' order; unpublished things do not exist for the public; query counts stay
constant; the OpenAPI document builds."""

import hashlib
import json

import pytest
from django.core.files.base import ContentFile
from django.http import QueryDict

from local4action.accounts.tests.factories import OrganizationFactory, UserFactory
from local4action.core.models import Goal, RegionalSection
from local4action.core.testing import assert_queries_constant
from local4action.initiatives.choices import InitiativeStatus
from local4action.initiatives.tests.test_api import bearer
from local4action.initiatives.tests.test_catalogue import make_initiative
from local4action.library import selectors
from local4action.library.api import PAGE_SIZE
from local4action.library.models import (
    CollectionItem,
    GoodPractice,
    Resource,
    ResourceFile,
    ResourceLink,
    ResourceRelation,
    ResourceTranslation,
)
from local4action.library.tests.factories import make_collection, make_resource

pytestmark = pytest.mark.django_db

API = "/api/v1/resources"
COLLECTIONS = "/api/v1/collections"


def slugs(client, params=None, **headers) -> list[str]:
    response = client.get(API, params or {}, **headers)
    assert response.status_code == 200, response.content
    return [row["slug"] for row in response.json()["results"]]


def add_file(resource, language="en", content=b"%PDF-1.7 demo", name="guide.pdf"):
    return ResourceFile.objects.create(
        resource=resource,
        language=language,
        file=ContentFile(content, name=name),
        name=name,
        content_type="application/pdf",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )


def dressed(resource, n: int = 0):
    """A resource with everything a list row shows, so that missing prefetches show."""
    resource.goals.set(Goal.objects.filter(number__in=[5, 11]))
    resource.regions.set(RegionalSection.objects.filter(slug="africa"))
    resource.organizations.add(OrganizationFactory())
    ResourceTranslation.objects.create(resource=resource, language="fr", title=f"Titre {n}")
    add_file(resource, content=f"%PDF file {resource.pk}".encode())
    return resource


# The list -----------------------------------------------------------------------------------


def test_the_public_list_shows_published_resources_only(client):
    published = make_resource(title="Municipal green bonds")
    for status in ("draft", "submitted", "returned", "withdrawn"):
        make_resource(title=f"A {status} resource", status=status)

    data = client.get(API).json()

    assert [row["slug"] for row in data["results"]] == [published.slug]
    assert (data["count"], data["page"], data["pages"]) == (1, 1, 1)


def test_a_team_token_does_not_add_its_drafts_to_the_public_list(client, organization, org_editor):
    make_resource(title="Our draft", status="draft", owner_organization=organization)

    assert slugs(client, **bearer(org_editor)) == []


def test_a_row_says_what_the_resource_is_without_anything_personal(client, organization):
    resource = make_resource(
        title="Feminist municipal leadership",
        language="es",
        authors="Ana García; John Smith",
        year=2024,
        countries=["ES", "SN"],
        goals=list(Goal.objects.filter(number__in=[5, 16])),
        regions=list(RegionalSection.objects.filter(slug="europe")),
    )
    resource.organizations.add(organization)
    ResourceTranslation.objects.create(
        resource=resource, language="en", title="Leadership", summary="In English."
    )

    row = client.get(API).json()["results"][0]

    assert row["kind"] == "publication" and row["language"] == "es"
    assert row["authors"] == "Ana García; John Smith"
    assert row["goals"] == [5, 16] and row["regions"] == ["europe"]
    assert sorted(row["countries"]) == ["ES", "SN"]
    assert row["translations"] == {"en": {"title": "Leadership", "summary": "In English."}}
    assert row["organizations"] == [
        {"slug": organization.slug, "name": organization.name, "country": "FR"}
    ]
    assert row["url"] == f"http://testserver/library/{resource.slug}/"
    assert "@" not in json.dumps(row)


@pytest.fixture
def shelf(db):
    """Resources of every sort, for the filters."""
    make_resource(
        title="Budgeting the SDGs", kind="toolkit", year=2023, goals=Goal.objects.filter(number=17)
    )
    make_resource(title="Water and cities", kind="publication", year=2024, language="fr")
    spanish = make_resource(title="Resilience in Cuenca", kind="video", year=2024, language="es")
    ResourceTranslation.objects.create(resource=spanish, language="en", title="Resilience")
    make_resource(
        title="Financing adaptation",
        kind="training",
        year=2022,
        goals=Goal.objects.filter(number__in=[13, 17]),
        regions=RegionalSection.objects.filter(slug="africa"),
    )
    make_resource(title="A draft about budgets", status="draft", kind="toolkit")


@pytest.mark.parametrize(
    "params",
    [
        "",
        "q=budget",
        "q=resilience&sort=title",
        "kind=toolkit",
        "kind=toolkit&kind=video",
        "sdg=17",
        "sdg=17&sdg=13",
        "region=africa",
        "language=en",
        "language=fr&language=es",
        "year=2024",
        "sort=title",
        "sort=newest",
        "kind=unknown&sdg=99&region=atlantis&language=xx&year=nine",
    ],
)
def test_the_list_takes_the_library_pages_parameters(client, shelf, params):
    expected = selectors.library(selectors.Library.from_params(QueryDict(params)))

    assert slugs(client, QueryDict(params)) == [r.slug for r in expected]


def test_the_filters_do_filter(client, shelf):
    assert len(slugs(client, {"kind": ["toolkit", "video"]})) == 2
    assert len(slugs(client, {"sdg": "17"})) == 2
    assert len(slugs(client, {"language": "en"})) == 3  # two in English, one translated
    assert slugs(client, {"year": "2022"}) == [Resource.objects.get(year=2022).slug]


def test_bad_input_never_breaks_the_list(client, shelf):
    for q in ("", "x" * 2000, "'; DROP TABLE x; --", "<b>égalité</b>", "\x00"):
        assert client.get(API, {"q": q}).status_code == 200
    assert client.get(API, {"page": "many"}).status_code == 422


def test_the_list_comes_in_pages_and_gives_the_last_page_beyond_the_end(client):
    for n in range(PAGE_SIZE + 3):
        make_resource(title=f"Guide {n}")

    first = client.get(API).json()
    second = client.get(API, {"page": 2}).json()
    beyond = client.get(API, {"page": 99}).json()

    assert (first["count"], first["pages"], len(first["results"])) == (PAGE_SIZE + 3, 2, 50)
    assert (second["page"], len(second["results"])) == (2, 3)
    assert beyond["page"] == 2 and beyond["results"] == second["results"]
    assert not {r["slug"] for r in first["results"]} & {r["slug"] for r in second["results"]}


def test_the_lists_query_count_does_not_grow_with_its_rows(client):
    def add_rows(n):
        for _ in range(n):
            dressed(make_resource())

    assert_queries_constant(client, API, add_rows)


def test_the_list_has_an_etag(client, shelf):
    etag = client.get(API)["ETag"]

    assert client.get(API, HTTP_IF_NONE_MATCH=etag).status_code == 304


# One resource -------------------------------------------------------------------------------


@pytest.fixture
def practice(db, organization):
    """A published good practice with translations, files, links, case study and
    neighbours."""
    hub = make_initiative("Water for all", status=InitiativeStatus.LABELLED)
    hidden = make_initiative("A draft HUB", status=InitiativeStatus.DRAFT)
    resource = make_resource(
        title="Neighbourhood water committees",
        kind="good_practice",
        language="fr",
        authors="Awa Diallo",
        year=2023,
        owner_organization=organization,
        goals=Goal.objects.filter(number=6),
        initiatives=[hub, hidden],
    )
    GoodPractice.objects.filter(resource=resource).update(
        initiative=hub,
        context="A city of 100,000.",
        what_was_done="Twelve committees.",
        results="Collection up from 48% to 81%.",
        contact="Awa Diallo, awa.diallo@example.org",
    )
    ResourceTranslation.objects.create(
        resource=resource, language="es", title="Comités de agua", summary="En español."
    )
    add_file(resource, language="fr", content=b"%PDF french", name="comites.pdf")
    add_file(resource, language="en", content=b"%PDF english, longer", name="committees.pdf")
    ResourceLink.objects.create(
        resource=resource, url="https://example.org/video", label="Video", language="en"
    )
    near = make_resource(title="Water in intermediary cities")
    hidden_near = make_resource(title="A withdrawn neighbour", status="withdrawn")
    ResourceRelation.objects.create(resource=resource, other=near, score=0.9)
    ResourceRelation.objects.create(resource=resource, other=hidden_near, score=0.95)
    resource.hub = hub
    resource.near = near
    return resource


def test_one_resource_has_what_a_reader_needs(client, practice):
    data = client.get(f"{API}/{practice.slug}").json()

    assert data["title"] == "Neighbourhood water committees" and data["status"] == "published"
    assert data["languages"] == ["fr", "en", "es"]
    assert data["translations"]["es"]["title"] == "Comités de agua"
    files = {f["name"]: f for f in data["files"]}
    english = ResourceFile.objects.get(name="committees.pdf")
    assert files["committees.pdf"] == {
        "name": "committees.pdf",
        "language": "en",
        "size": len(b"%PDF english, longer"),
        "content_type": "application/pdf",
        "url": f"http://testserver/library/files/{english.pk}/download/",
    }
    assert data["links"] == [
        {"label": "Video", "url": "https://example.org/video", "language": "en"}
    ]
    assert data["case_study"]["initiative"] == practice.hub.slug
    assert data["case_study"]["results"] == "Collection up from 48% to 81%."
    assert data["initiatives"] == [practice.hub.slug]  # not the draft HUB
    assert data["related"] == [practice.near.slug]  # not the withdrawn one
    assert data["goals"] == [6]
    assert "Awa Diallo (2023)" in data["citation"]["text"]
    assert data["citation"]["bibtex"].startswith("@misc{")


def test_a_resource_gives_no_email_and_no_contact(client, practice):
    data = client.get(f"{API}/{practice.slug}").json()

    assert "contact" not in data["case_study"]
    assert "@example.org" not in json.dumps(data)


def test_the_download_address_counts_and_serves_the_file(client, practice):
    url = client.get(f"{API}/{practice.slug}").json()["files"][0]["url"]

    response = client.get(url.removeprefix("http://testserver"))

    assert response.status_code == 200
    assert ResourceFile.objects.filter(downloads=1).count() == 1


def test_a_resource_that_is_not_a_good_practice_has_no_case_study(client):
    resource = make_resource()

    data = client.get(f"{API}/{resource.slug}").json()

    assert data["case_study"] is None and data["files"] == [] and data["related"] == []


@pytest.mark.parametrize("status", ["draft", "submitted", "returned", "withdrawn"])
def test_an_unpublished_resource_does_not_exist_for_others(client, organization, status):
    resource = make_resource(status=status, owner_organization=organization)
    stranger = UserFactory()

    assert client.get(f"{API}/{resource.slug}").status_code == 404
    assert client.get(f"{API}/{resource.slug}", **bearer(stranger)).status_code == 404
    assert client.get(f"{API}/no-such-resource").status_code == 404


def test_its_team_and_the_secretariat_see_a_draft_with_a_token(
    client, organization, org_editor, secretariat
):
    resource = make_resource(status="draft", owner_organization=organization)

    for person in (org_editor, secretariat):
        response = client.get(f"{API}/{resource.slug}", **bearer(person))
        assert response.status_code == 200
        assert response.json()["status"] == "draft"


def test_a_wrong_token_is_refused_not_ignored(client):
    resource = make_resource()

    response = client.get(f"{API}/{resource.slug}", HTTP_AUTHORIZATION="Bearer nonsense")

    assert response.status_code == 401


# Collections --------------------------------------------------------------------------------


@pytest.fixture
def finance(db):
    collection = make_collection(
        title="Localizing finance", introduction="Money for the SDGs.", published=True
    )
    third, first, draft, second = (
        make_resource(title="Third"),
        make_resource(title="First"),
        make_resource(title="Draft", status="draft"),
        make_resource(title="Second"),
    )
    for position, resource in enumerate([first, draft, second, third], start=1):
        CollectionItem.objects.create(collection=collection, resource=resource, position=position)
    make_collection(title="Not yet", published=False)
    return collection


def test_the_collections_list_shows_published_ones_with_their_count(client, finance):
    data = client.get(COLLECTIONS).json()

    assert [(c["slug"], c["resource_count"]) for c in data] == [(finance.slug, 3)]
    assert data[0]["introduction"] == "Money for the SDGs."
    assert data[0]["url"] == f"http://testserver/library/collections/{finance.slug}/"


def test_a_collection_gives_its_published_resources_in_order(client, finance):
    data = client.get(f"{COLLECTIONS}/{finance.slug}").json()

    assert [r["title"] for r in data["resources"]] == ["First", "Second", "Third"]
    assert data["resource_count"] == 3


def test_an_unpublished_collection_does_not_exist_for_the_public(client, finance, secretariat):
    hidden = make_collection(title="Work in progress", published=False)

    assert client.get(f"{COLLECTIONS}/{hidden.slug}").status_code == 404
    assert client.get(f"{COLLECTIONS}/{hidden.slug}", **bearer(secretariat)).status_code == 200


def test_a_collections_query_count_does_not_grow_with_its_items(client, finance):
    def add_rows(n):
        for _ in range(n):
            resource = dressed(make_resource())
            last = CollectionItem.objects.filter(collection=finance).count()
            CollectionItem.objects.create(collection=finance, resource=resource, position=last + 1)

    assert_queries_constant(client, f"{COLLECTIONS}/{finance.slug}", add_rows)


def test_the_collections_lists_query_count_does_not_grow(client):
    def add_rows(n):
        for _ in range(n):
            collection = make_collection(published=True)
            CollectionItem.objects.create(
                collection=collection, resource=make_resource(), position=1
            )

    assert_queries_constant(client, COLLECTIONS, add_rows)


# The documentation --------------------------------------------------------------------------


def test_the_openapi_document_builds_with_the_library(client):
    schema = client.get("/api/v1/openapi.json").json()

    for path in (API, f"{API}/{{slug}}", COLLECTIONS, f"{COLLECTIONS}/{{slug}}"):
        assert "get" in schema["paths"][path], path
    parameters = {p["name"] for p in schema["paths"][API]["get"]["parameters"]}
    assert {"q", "kind", "sdg", "region", "language", "year", "sort", "page"} <= parameters
    for name in ("ResourceOut", "ResourceDetailOut", "CollectionDetailOut", "ResourceFileOut"):
        assert name in schema["components"]["schemas"], name
