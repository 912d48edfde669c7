"""The library's reads: the catalogue's parameters, filters and facets, what visitors never see,
related resources, the lists of a HUB, an SDG, a team and the secretariat, collections."""

import datetime
import hashlib
import itertools

import pytest
from django.core.cache import cache
from django.db import connection
from django.http import Http404, QueryDict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from local4action.accounts.tests.factories import MembershipFactory, OrganizationFactory
from local4action.core.models import Goal, RegionalSection
from local4action.core.sdg_links import sections_for
from local4action.library import search as library_search
from local4action.library import selectors
from local4action.library.choices import ResourceKind, ResourceStatus
from local4action.library.models import (
    Collection,
    CollectionItem,
    GoodPractice,
    Resource,
    ResourceFile,
    ResourceRelation,
    ResourceTranslation,
)
from local4action.library.selectors import Library

pytestmark = pytest.mark.django_db

_serial = itertools.count(1)
NOW = timezone.now()


def make_resource(
    title,
    *,
    status=ResourceStatus.PUBLISHED,
    kind=ResourceKind.PUBLICATION,
    language="en",
    summary="",
    year=2024,
    sdgs=(),
    regions=(),
    translations=(),
    files=(),
    **fields,
):
    """A resource written straight to the database, its search column then refreshed as the
    services do. translations: (language, title, summary); files: (language, text)."""
    n = next(_serial)
    published = status == ResourceStatus.PUBLISHED
    resource = Resource.objects.create(
        slug=f"resource-{n}",
        title=title,
        summary=summary,
        kind=kind,
        language=language,
        year=year,
        status=status,
        published_at=NOW - datetime.timedelta(days=n) if published else None,
        **fields,
    )
    resource.goals.set(Goal.objects.filter(number__in=sdgs))
    resource.regions.set(RegionalSection.objects.filter(slug__in=regions))
    for code, text, about in translations:
        ResourceTranslation.objects.create(
            resource=resource, language=code, title=text, summary=about
        )
    for code, text in files:
        digest = hashlib.sha256(f"{n}-{code}-{text}".encode()).hexdigest()
        ResourceFile.objects.create(
            resource=resource,
            language=code,
            file=f"library/files/{digest}.pdf",
            name=f"{digest[:8]}.pdf",
            content_type="application/pdf",
            size=1000,
            sha256=digest,
            text=text,
        )
    library_search.refresh(resource)
    resource.refresh_from_db()
    return resource


def found(query: Library) -> list[str]:
    return [resource.title for resource in selectors.library(query)]


def counts(facets, name) -> dict[str, int]:
    return {row["value"]: row["count"] for row in facets[name]}


# Parameters --------------------------------------------------------------------------------


def test_parameters_leave_unknown_values_aside_and_cut_the_text():
    params = QueryDict(mutable=True)
    params.setlist("kind", ["toolkit", "poem", "video"])
    params.setlist("sdg", ["11", "18", "x", "5", "11"])
    params.setlist("region", ["europe", "atlantis"])
    params.setlist("language", ["fr", "de"])
    params.setlist("year", ["2020", "1800", "abc"])
    params["q"] = "  water    " + "x" * 500
    params["sort"] = "random"

    query = Library.from_params(params)

    assert query.kind == ["toolkit", "video"]
    assert query.sdg == [5, 11]
    assert query.region == ["europe"]
    assert query.language == ["fr"]
    assert query.year == [2020]
    assert query.q.startswith("water x") and len(query.q) == 200
    assert query.sort == "relevance"


def test_parameters_round_trip_and_read_a_plain_dict():
    query = Library.from_params({"q": "eau", "kind": ["toolkit"], "sdg": "6", "sort": "title"})

    assert query == Library(q="eau", kind=["toolkit"], sdg=[6], sort="title")
    pairs = query.as_params()
    assert pairs == [("q", "eau"), ("kind", "toolkit"), ("sdg", "6"), ("sort", "title")]
    again = QueryDict(mutable=True)
    for name, value in pairs:
        again.appendlist(name, value)
    assert Library.from_params(again) == query


# The catalogue -----------------------------------------------------------------------------


def test_only_published_resources_are_listed_and_found():
    make_resource("Published guide on water")
    for status in (
        ResourceStatus.DRAFT,
        ResourceStatus.SUBMITTED,
        ResourceStatus.RETURNED,
        ResourceStatus.WITHDRAWN,
    ):
        make_resource(f"Water {status}", status=status)

    assert found(Library()) == ["Published guide on water"]
    assert found(Library(q="water")) == ["Published guide on water"]
    facets = selectors.library_facets(Library(q="water"))
    assert counts(facets, "kind") == {"publication": 1}
    assert counts(facets, "language") == {"en": 1}


def test_facet_filters_combine():
    make_resource("Toolkit A", kind=ResourceKind.TOOLKIT, sdgs=[11], regions=["europe"], year=2021)
    make_resource("Toolkit B", kind=ResourceKind.TOOLKIT, sdgs=[5], regions=["africa"], year=2022)
    make_resource("Video C", kind=ResourceKind.VIDEO, sdgs=[11, 5], regions=["europe"], year=2022)

    assert found(Library(kind=["toolkit"], sort="title")) == ["Toolkit A", "Toolkit B"]
    assert found(Library(sdg=[11], sort="title")) == ["Toolkit A", "Video C"]
    assert found(Library(sdg=[11, 5], sort="title")) == ["Toolkit A", "Toolkit B", "Video C"]
    assert found(Library(region=["europe"], year=[2022])) == ["Video C"]
    assert found(Library(kind=["toolkit"], sdg=[5])) == ["Toolkit B"]


def test_language_filter_takes_translations_and_files():
    make_resource("English only")
    make_resource("Translated", translations=[("fr", "Traduit", "")])
    make_resource("With a Spanish file", files=[("es", "documento")])
    make_resource("Escrito en español", language="es")

    assert found(Library(language=["fr"])) == ["Translated"]
    assert sorted(found(Library(language=["es"]))) == ["Escrito en español", "With a Spanish file"]
    assert len(found(Library(language=["en"]))) == 3


def test_facets_column_follows_links_translations_and_files_however_they_change():
    resource = make_resource("Plain")
    europe = RegionalSection.objects.get(slug="europe")

    resource.goals.add(Goal.objects.get(number=6))  # no service: the signals refresh it
    europe.resource_set.add(resource)  # from the region's side
    ResourceTranslation.objects.create(resource=resource, language="es", title="Llano")
    assert found(Library(sdg=[6], region=["europe"], language=["es"])) == ["Plain"]

    Goal.objects.get(number=6).resource_set.remove(resource)  # from the goal's side
    ResourceTranslation.objects.filter(resource=resource).delete()
    assert found(Library(sdg=[6])) == []
    assert found(Library(language=["es"])) == []

    # A region's slug renamed by the secretariat: still found under its new slug.
    RegionalSection.objects.filter(pk=europe.pk).update(slug="europa")
    assert found(Library(region=["europa"])) == ["Plain"]


def test_sorts():
    make_resource("Beta", year=2019)
    make_resource("alpha", year=None)
    make_resource("Gamma", year=2023)

    assert found(Library(sort="newest")) == ["Gamma", "Beta", "alpha"]
    assert found(Library(sort="title"))[-1] in ("alpha", "Gamma")  # collation decides case
    assert sorted(found(Library(sort="title")), key=str.lower) == ["alpha", "Beta", "Gamma"]


def test_facets_count_exactly_and_leave_their_own_selection_aside():
    make_resource(
        "One",
        kind=ResourceKind.TOOLKIT,
        sdgs=[11, 5],
        regions=["europe", "africa"],
        year=2021,
        # English original, an English file too, a French translation and a Spanish file:
        # counted once per language.
        translations=[("fr", "Un", "")],
        files=[("en", "text"), ("es", "texto"), ("es", "más")],
    )
    make_resource("Two", kind=ResourceKind.TOOLKIT, sdgs=[11], regions=["europe"], year=2022)
    make_resource("Three", kind=ResourceKind.VIDEO, language="fr", sdgs=[6], year=2022)
    make_resource("Four", kind=ResourceKind.VIDEO, status=ResourceStatus.DRAFT, sdgs=[11])

    facets = selectors.library_facets(Library())
    assert counts(facets, "kind") == {"toolkit": 2, "video": 1}
    assert counts(facets, "sdg") == {"5": 1, "6": 1, "11": 2}
    assert counts(facets, "region") == {"africa": 1, "europe": 2}
    assert counts(facets, "language") == {"en": 2, "fr": 2, "es": 1}
    assert counts(facets, "year") == {"2022": 2, "2021": 1}
    assert [row["value"] for row in facets["year"]] == ["2022", "2021"]
    assert facets["sdg"][0]["label"].startswith("5.")

    chosen = selectors.library_facets(Library(kind=["video"], sdg=[11]))
    # The kind facet ignores the chosen kind (so one can widen it), not the chosen SDG.
    assert counts(chosen, "kind") == {"toolkit": 2, "video": 0}  # kept: it is selected
    assert [row for row in chosen["kind"] if row["value"] == "video"] == [
        {"value": "video", "label": "Video", "count": 0, "selected": True}
    ]
    # The SDG facet ignores the chosen SDG, not the chosen kind.
    assert counts(chosen, "sdg") == {"6": 1, "11": 0}
    assert counts(chosen, "language") == {}


def test_facets_follow_the_words_searched():
    make_resource("Water in cities", kind=ResourceKind.TOOLKIT, language="en")
    make_resource("L'eau des villes", kind=ResourceKind.VIDEO, language="fr")
    make_resource("Housing", kind=ResourceKind.VIDEO)

    facets = selectors.library_facets(Library(q="water"))

    assert counts(facets, "kind") == {"toolkit": 1}
    assert counts(facets, "language") == {"en": 1}


def test_facets_are_cached_until_the_data_change():
    resource = make_resource("One", kind=ResourceKind.TOOLKIT)
    assert counts(selectors.library_facets(Library()), "kind") == {"toolkit": 1}
    Resource.objects.update(kind=ResourceKind.VIDEO)  # no signal: the cache still holds
    library_search.refresh(resource)

    assert counts(selectors.library_facets(Library()), "kind") == {"toolkit": 1}
    selectors.data_changed()
    assert counts(selectors.library_facets(Library()), "kind") == {"video": 1}


def test_data_version_without_the_cache_follows_the_rows():
    first = selectors.data_version()
    cache.clear()
    make_resource("One")
    cache.clear()
    assert selectors.data_version() != first


def _page_and_facets(query: Library) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        resources = selectors.library(query)
        page = list(resources[:20])
        resources.count()
        for resource in page:
            selectors.resource_languages(resource)
            [goal.number for goal in resource.goals.all()]
            str(resource.owner_organization)
        selectors.library_facets(query)
    return len(queries)


@pytest.mark.parametrize(
    "query",
    [Library(), Library(q="water cities", sdg=[11], language=["fr"], region=["europe"])],
    ids=["all", "searched"],
)
def test_page_and_facets_take_a_fixed_number_of_queries(query):
    def add(n):
        organization = OrganizationFactory()
        for i in range(n):
            make_resource(
                f"Water for cities {i}",
                summary="Eau des villes",
                sdgs=[11, 5],
                regions=["europe"],
                translations=[("fr", f"L'eau des villes {i}", "")],
                files=[("fr", f"eau {i}"), ("es", f"agua {i}")],
                owner_organization=organization,
            )

    add(2)
    few = _page_and_facets(query)
    add(10)
    assert _page_and_facets(query) == few


# A resource's page -------------------------------------------------------------------------


def test_resource_get_hides_unpublished_resources_from_others(
    client, organization, org_editor, other_user, secretariat
):
    draft = make_resource("Draft", status=ResourceStatus.DRAFT, owner_organization=organization)
    anonymous = client.get("/").wsgi_request.user

    for user in (anonymous, other_user):
        with pytest.raises(Http404):
            selectors.resource_get(user=user, slug=draft.slug)
    with pytest.raises(Http404):
        selectors.resource_get(user=secretariat, slug="no-such-thing")
    assert selectors.resource_get(user=org_editor, slug=draft.slug) == draft
    assert selectors.resource_get(user=secretariat, slug=draft.slug) == draft
    published = make_resource("Out")
    assert selectors.resource_get(user=anonymous, slug=published.slug) == published


def test_resource_languages_original_first_then_the_site_order():
    resource = make_resource(
        "Guía",
        language="es",
        translations=[("fr", "Guide", "")],
        files=[("en", "text"), ("es", "texto")],
    )
    assert selectors.resource_languages(resource) == ["es", "en", "fr"]
    assert selectors.resource_languages(make_resource("Only")) == ["en"]


def test_related_resources_are_published_others_best_first_in_one_query(
    django_assert_num_queries,
):
    resource = make_resource("Centre")
    near, far = make_resource("Near"), make_resource("Far")
    hidden = make_resource("Hidden", status=ResourceStatus.WITHDRAWN)
    for other, score in ((far, 0.2), (near, 0.9), (hidden, 0.95)):
        ResourceRelation.objects.create(resource=resource, other=other, score=score)

    with django_assert_num_queries(1):
        related = selectors.related_resources(resource)
        titles = [other.title for other in related]
    assert titles == ["Near", "Far"]
    assert [r.title for r in selectors.related_resources(resource, limit=1)] == ["Near"]


# Lists -------------------------------------------------------------------------------------


def test_resources_for_goal_and_initiative_are_published_only():
    from local4action.initiatives.models import Initiative

    on_cities = make_resource("On cities", sdgs=[11])
    make_resource("Draft on cities", sdgs=[11], status=ResourceStatus.DRAFT)
    make_resource("On gender", sdgs=[5])
    goal = Goal.objects.get(number=11)
    assert list(selectors.resources_for_goal(goal)) == [on_cities]

    initiative = Initiative.objects.create(
        slug="hub", title="HUB", lead_organization=OrganizationFactory()
    )
    linked = make_resource("Linked")
    linked.initiatives.add(initiative)
    practice = make_resource("Practice", kind=ResourceKind.GOOD_PRACTICE)
    GoodPractice.objects.create(resource=practice, initiative=initiative)
    draft = make_resource("Linked draft", status=ResourceStatus.DRAFT)
    draft.initiatives.add(initiative)

    assert set(selectors.resources_for_initiative(initiative)) == {linked, practice}


def test_sdg_page_lists_published_resources(client):
    make_resource("On cities", sdgs=[11])
    make_resource("Hidden draft", sdgs=[11], status=ResourceStatus.DRAFT)

    sections = sections_for(goal=Goal.objects.get(number=11))
    library = [s for s in sections if s.title == "Library resources"]
    assert len(library) == 1
    assert [label for label, _url in library[0].items] == ["On cities"]
    assert library[0].total == 1
    assert library[0].more_url.endswith("?sdg=11")


def test_resources_to_review_are_submitted_oldest_first():
    later = make_resource("Later", status=ResourceStatus.SUBMITTED, submitted_at=NOW)
    earlier = make_resource(
        "Earlier",
        status=ResourceStatus.SUBMITTED,
        submitted_at=NOW - datetime.timedelta(days=3),
    )
    make_resource("Draft", status=ResourceStatus.DRAFT)
    assert list(selectors.resources_to_review()) == [earlier, later]


def test_resources_of_an_editor_are_their_organizations_own(
    client, organization, org_editor, org_member, other_user
):
    mine = make_resource("Mine", status=ResourceStatus.DRAFT, owner_organization=organization)
    published = make_resource("Ours too", owner_organization=organization)
    make_resource("Theirs", status=ResourceStatus.DRAFT, owner_organization=OrganizationFactory())
    anonymous = client.get("/").wsgi_request.user

    assert set(selectors.resources_of(org_editor)) == {mine, published}
    assert list(selectors.resources_of(org_member)) == []
    assert list(selectors.resources_of(other_user)) == []
    assert list(selectors.resources_of(anonymous)) == []
    MembershipFactory(organization=organization, user=other_user, role="admin")
    assert set(selectors.resources_of(other_user)) == {mine, published}


# Collections -------------------------------------------------------------------------------


def _collection(title, resources, *, published=True):
    collection = Collection.objects.create(slug=title.lower(), title=title, published=published)
    for position, resource in enumerate(resources, start=1):
        CollectionItem.objects.create(collection=collection, resource=resource, position=position)
    return collection


def test_collections_public_count_their_published_resources():
    one, two = make_resource("One"), make_resource("Two")
    draft = make_resource("Draft", status=ResourceStatus.DRAFT)
    _collection("Finance", [two, draft, one])
    _collection("Empty", [])
    _collection("Hidden", [one], published=False)

    assert [(c.title, c.resource_count) for c in selectors.collections_public()] == [
        ("Empty", 0),
        ("Finance", 2),
    ]


def test_collection_get_keeps_the_order_and_hides_drafts_from_the_public(client, secretariat):
    one, two = make_resource("One"), make_resource("Two")
    draft = make_resource("Draft", status=ResourceStatus.DRAFT)
    _collection("Finance", [two, draft, one])
    _collection("Hidden", [one], published=False)
    anonymous = client.get("/").wsgi_request.user

    shown = selectors.collection_get(user=anonymous, slug="finance")
    assert [item.resource.title for item in shown.items.all()] == ["Two", "One"]
    staff = selectors.collection_get(user=secretariat, slug="finance")
    assert [item.resource.title for item in staff.items.all()] == ["Two", "Draft", "One"]
    with pytest.raises(Http404):
        selectors.collection_get(user=anonymous, slug="hidden")
    assert selectors.collection_get(user=secretariat, slug="hidden").title == "Hidden"
