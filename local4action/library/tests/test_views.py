"""The library's public pages: the catalogue (search, facets, downloads), a resource's page,
a document's download and a collection's page — what each shows to whom, bad addresses, and
query counts that do not grow with the rows."""

import hashlib
import json

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from local4action.accounts.tests.factories import MembershipFactory, UserFactory
from local4action.core.models import Goal
from local4action.core.testing import assert_queries_constant
from local4action.exchange.models import Thread
from local4action.library import search
from local4action.library.models import (
    CollectionItem,
    GoodPractice,
    ResourceFile,
    ResourceRelation,
    ResourceTranslation,
)
from local4action.library.tests.factories import make_collection, make_resource, pdf_bytes
from local4action.workplan.models import Action
from local4action.workplan.tests.factories import make_plan

pytestmark = pytest.mark.django_db

CATALOGUE = "/library/"


def add_file(resource, *, language="en", name="report.pdf", content=None):
    content = content or pdf_bytes(f"Document {ResourceFile.objects.count()} of {resource.pk}")
    file = ResourceFile(
        resource=resource,
        language=language,
        name=name,
        content_type="application/pdf",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )
    file.file.save(name, ContentFile(content), save=False)
    file.save()
    return file


def searchable(resource):
    search.refresh(resource)
    return resource


# The catalogue -----------------------------------------------------------------------------


def test_the_catalogue_shows_published_resources_only(client):
    published = make_resource(title="Budgets that citizens write")
    make_resource(title="A draft nobody may see", status="draft")
    make_resource(title="A withdrawn guide", status="withdrawn")

    response = client.get(CATALOGUE)

    content = response.content.decode()
    assert response.status_code == 200
    assert published.title in content
    assert "A draft nobody may see" not in content
    assert "A withdrawn guide" not in content
    assert "1 resource found" in content


def test_the_catalogue_searches_and_filters_by_facet_with_counts(client):
    goal = Goal.objects.get(number=11)
    searchable(make_resource(title="Resilient cities toolkit", kind="toolkit", goals=[goal]))
    searchable(make_resource(title="Feminist municipal leadership", kind="training"))

    found = client.get(CATALOGUE, {"q": "resilient"}).content.decode()
    filtered = client.get(CATALOGUE, {"kind": "training"}).content.decode()

    assert "Resilient cities toolkit" in found and "Feminist municipal leadership" not in found
    assert "Feminist municipal leadership" in filtered and "Resilient cities" not in filtered
    # The kind facet counts each kind, its own selection left aside.
    assert 'name="kind" value="toolkit"' in filtered
    assert 'Toolkit or guide <span class="facet-count">(1)</span>' in filtered
    assert "Kind of resource: Training module" in filtered  # the active filter, removable


def test_the_catalogue_takes_bad_parameters_without_failing(client):
    make_resource()

    response = client.get(CATALOGUE, {"page": "999", "sdg": "99", "year": "abc", "sort": "x"})

    assert response.status_code == 200
    assert "There are fewer pages of results" in response.content.decode()


def test_the_catalogue_lists_the_published_collections(client):
    shown = make_collection(title="Localizing finance", published=True)
    make_collection(title="Work in progress", published=False)
    CollectionItem.objects.create(collection=shown, resource=make_resource(), position=1)

    content = client.get(CATALOGUE).content.decode()

    assert "Localizing finance" in content and "1 resource" in content
    assert "Work in progress" not in content


def test_the_catalogue_is_kept_for_visitors_until_the_library_changes(client):
    make_resource(title="First guide")
    assert "First guide" in client.get(CATALOGUE).content.decode()
    with CaptureQueriesContext(connection) as queries:
        assert "First guide" in client.get(CATALOGUE).content.decode()
    assert len(queries) <= 1  # From the cache (at most the data version).

    # However it is saved (services, admin, demo), a new resource shows at once.
    make_resource(title="Second guide")
    assert "Second guide" in client.get(CATALOGUE).content.decode()


def test_the_catalogue_query_count_does_not_grow_with_results(client):
    goals = list(Goal.objects.all()[:3])

    def add_rows(n):
        for _ in range(n):
            resource = make_resource(goals=goals)
            add_file(resource)
            ResourceTranslation.objects.create(resource=resource, language="fr", title="Titre")
        # A fresh data version each time, or the cached page would answer without queries.
        from local4action.library.selectors import data_changed

        data_changed()

    assert_queries_constant(client, CATALOGUE, add_rows)


# Downloads of the catalogue ------------------------------------------------------------------


def test_csv_download_gives_the_current_results_without_personal_data(client):
    staff_person = UserFactory(email="hidden.person@example.org")
    toolkit = make_resource(
        title="A toolkit, with a comma", kind="toolkit", created_by=staff_person
    )
    GoodPractice.objects.create(resource=toolkit, contact="maria@city.example")
    make_resource(title="A publication", kind="publication")
    make_resource(title="Draft", status="draft", kind="toolkit")

    response = client.get(reverse("library:resources_csv"), {"kind": "toolkit"})

    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert response["Content-Disposition"] == 'attachment; filename="local4action-library.csv"'
    lines = body.splitlines()
    assert lines[0].startswith("slug,kind,title")
    assert len(lines) == 2 and '"A toolkit, with a comma"' in lines[1]
    assert "hidden.person" not in body and "maria@" not in body


def test_json_download_holds_translations(client):
    resource = make_resource(title="Guide")
    ResourceTranslation.objects.create(resource=resource, language="es", title="Guía")

    response = client.get(reverse("library:resources_json"))

    data = json.loads(b"".join(response.streaming_content))
    assert data["licence"]["name"]
    [record] = data["resources"]
    assert record["slug"] == resource.slug
    assert record["translations"] == {"es": {"title": "Guía", "summary": ""}}
    assert record["url"].endswith(resource.get_absolute_url())


# A resource ---------------------------------------------------------------------------------


def test_a_published_resource_shows_its_facts_citation_and_open_graph(client):
    goal = Goal.objects.get(number=5)
    resource = make_resource(
        title="Gender budgeting in practice",
        authors="Ana Pérez, John Smith",
        year=2023,
        goals=[goal],
        summary="Budgets that count everyone.",
    )

    response = client.get(resource.get_absolute_url())

    content = response.content.decode()
    assert response.status_code == 200
    assert '<meta property="og:title" content="Gender budgeting in practice">' in content
    assert '<meta property="og:type" content="article">' in content
    assert "Ana Pérez, John Smith" in content
    assert reverse("core:goal", args=[5]) in content
    assert 'id="citation-plain"' in content and 'id="citation-bibtex"' in content
    assert "@" in content.split('id="citation-bibtex"')[1].split("</pre>")[0]


def test_the_reader_picks_a_language_the_resource_has(client):
    resource = make_resource(title="Participatory budgeting", language="en")
    ResourceTranslation.objects.create(
        resource=resource, language="fr", title="Budget participatif", summary="En français."
    )

    english = client.get(resource.get_absolute_url()).content.decode()
    french = client.get(resource.get_absolute_url() + "?lang=fr").content.decode()
    spanish = client.get(resource.get_absolute_url() + "?lang=es").content.decode()

    assert "<h1>Participatory budgeting</h1>" in english
    assert 'href="?lang=fr"' in english  # a link to each language it has
    assert "<h1>Budget participatif</h1>" in french and "En français." in french
    # Not available in Spanish: the original.
    assert "<h1>Participatory budgeting</h1>" in spanish


def test_drafts_are_seen_by_their_team_and_staff_only(client, organization, org_editor, user):
    draft = make_resource(status="draft", owner_organization=organization)
    url = draft.get_absolute_url()

    assert client.get(url).status_code == 404
    client.force_login(user)
    assert client.get(url).status_code == 404
    client.force_login(org_editor)
    response = client.get(url)
    assert response.status_code == 200
    assert reverse("library:edit", args=[draft.slug]) in response.content.decode()


def test_a_good_practice_shows_its_case_study(client):
    resource = make_resource(kind="good_practice")
    GoodPractice.objects.filter(resource=resource).update(
        context="A city of 40,000 people.", results="1,200 citizens voted."
    )

    content = client.get(resource.get_absolute_url()).content.decode()

    assert "A city of 40,000 people." in content and "1,200 citizens voted." in content
    assert "What made it work" not in content  # empty sections are left out


def test_work_plan_actions_and_threads_only_for_those_who_may_see_them(client, secretariat):
    make_plan(secretariat)
    resource = make_resource()
    action = Action.objects.first()
    resource.actions.add(action)
    thread = Thread.objects.create(title="Talking budgets", goal=Goal.objects.get(number=1))
    resource.threads.add(thread)

    anonymous = client.get(resource.get_absolute_url()).content.decode()
    client.force_login(secretariat)
    staff = client.get(resource.get_absolute_url()).content.decode()

    assert action.get_absolute_url() not in anonymous and "Talking budgets" not in anonymous
    assert action.get_absolute_url() in staff and "Talking budgets" in staff


def test_the_resource_page_query_count_does_not_grow(client):
    resource = make_resource()
    goals = iter(Goal.objects.all())

    def add_rows(n):
        for index in range(n):
            add_file(resource, name=f"part-{ResourceFile.objects.count()}.pdf")
            resource.goals.add(next(goals))
            other = make_resource()
            ResourceRelation.objects.create(resource=resource, other=other, score=0.5)
            resource.links.create(url=f"https://example.org/{index}", label="More", language="en")

    assert_queries_constant(client, resource.get_absolute_url(), add_rows, rows=5)


# Documents ----------------------------------------------------------------------------------


def test_a_download_is_an_attachment_and_is_counted(client):
    resource = make_resource()
    file = add_file(resource, name="guide.pdf")

    response = client.get(reverse("library:file_download", args=[file.pk]))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="guide.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    file.refresh_from_db()
    assert file.downloads == 1


def test_documents_of_a_draft_are_not_served_to_others(client, organization, org_editor):
    draft = make_resource(status="draft", owner_organization=organization)
    file = add_file(draft)
    url = reverse("library:file_download", args=[file.pk])

    assert client.get(url).status_code == 404
    client.force_login(org_editor)
    assert client.get(url).status_code == 200
    file.refresh_from_db()
    assert file.downloads == 0  # the team's own previews are not downloads


def test_a_missing_document_is_a_404_not_an_error(client):
    file = add_file(make_resource())
    file.file.delete(save=False)

    assert client.get(reverse("library:file_download", args=[file.pk])).status_code == 404
    assert client.get(reverse("library:file_download", args=[99999])).status_code == 404


# Collections --------------------------------------------------------------------------------


def test_a_collection_shows_its_published_resources_in_order(client, secretariat):
    collection = make_collection(title="Resilience modules", published=True)
    second = make_resource(title="Module two")
    first = make_resource(title="Module one")
    hidden = make_resource(title="Module withdrawn", status="withdrawn")
    for position, resource in enumerate([first, second, hidden], start=1):
        CollectionItem.objects.create(collection=collection, resource=resource, position=position)

    content = client.get(collection.get_absolute_url()).content.decode()
    client.force_login(secretariat)
    staff = client.get(collection.get_absolute_url()).content.decode()

    assert content.index("Module one") < content.index("Module two")
    assert "Module withdrawn" not in content
    assert "Module withdrawn" in staff
    assert reverse("library:collection_edit", args=[collection.slug]) in staff


def test_an_unpublished_collection_is_hidden_from_visitors(client, user):
    collection = make_collection(published=False)

    assert client.get(collection.get_absolute_url()).status_code == 404
    client.force_login(user)
    assert client.get(collection.get_absolute_url()).status_code == 404


def test_the_collection_page_query_count_does_not_grow(client):
    collection = make_collection(published=True)
    goals = list(Goal.objects.all()[:2])

    def add_rows(n):
        start = collection.items.count()
        for index in range(n):
            CollectionItem.objects.create(
                collection=collection, resource=make_resource(goals=goals), position=start + index
            )

    assert_queries_constant(client, collection.get_absolute_url(), add_rows)


def test_the_main_navigation_links_the_library(client):
    member = MembershipFactory().user
    client.force_login(member)

    content = client.get("/").content.decode()

    assert f'<a href="{CATALOGUE}">Library</a>' in content
