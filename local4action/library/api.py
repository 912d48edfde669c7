"""The knowledge library under /api/v1/: published resources (with the library page's search
and filters), one resource with its translations, files, links, case study and citation, and the
curated collections.

Nothing personal is given: authors as they were written on the resource, organizations by
name, never an email or a case study's contact. A resource that is not published exists only
for its team and the secretariat (with a token); to anybody else it is 404."""

import datetime
from typing import Literal

from django.db.models import prefetch_related_objects
from django.urls import reverse
from ninja import Field, Query, Router, Schema
from ninja.decorators import decorate_view

from local4action.accounts.api import OrganizationRef
from local4action.api.auth import request_user
from local4action.core.catalogues import api_page
from local4action.core.pagecache import public_page
from local4action.initiatives.choices import PUBLIC_STATUSES

from . import selectors
from .choices import Licence, ResourceKind, ResourceStatus

router = Router(tags=["Library"])
# OpenAPI names each schema by its class name, and a class of the same name in another app
# silently replaces it: hence `Resource…`/`Collection…` everywhere here.

PAGE_SIZE = 50
# What every listed resource shows, fetched once per page whatever the number of rows.
LIST_PREFETCH = ("translations", "organizations", "goals", "targets", "regions", "policy_areas")


def _absolute(context, path: str) -> str:
    return context["request"].build_absolute_uri(path)


def _download_path(file) -> str:
    # The download view counts the download before it serves the private file.
    return reverse("library:file_download", args=[file.pk])


# Schemas -------------------------------------------------------------------------------------


class ResourceTranslationOut(Schema):
    title: str
    summary: str


class ResourceOut(Schema):
    slug: str
    kind: str = Field(description=f"One of: {', '.join(ResourceKind.values)}.")
    title: str = Field(description="In the original language.")
    summary: str = Field(description="In the original language.")
    language: str = Field(description="The original language.")
    translations: dict[str, ResourceTranslationOut] = Field(
        description="Title and summary in other languages, by language code."
    )
    authors: str = Field(description="As written on the resource.")
    organizations: list[OrganizationRef]
    year: int | None
    licence: str = Field(description=f"One of: {', '.join(Licence.values)}.")
    goals: list[int] = Field(description="SDG numbers, 1 to 17.")
    targets: list[str] = Field(description="SDG target codes.")
    policy_areas: list[str]
    regions: list[str] = Field(description="Regional sections, by identifier.")
    countries: list[str] = Field(description="ISO 3166-1 codes.")
    published_at: datetime.datetime | None
    url: str

    # Read through .all() so the list's prefetches serve every row.
    @staticmethod
    def resolve_translations(obj) -> dict:
        return {
            t.language: {"title": t.title, "summary": t.summary} for t in obj.translations.all()
        }

    @staticmethod
    def resolve_organizations(obj) -> list:
        return list(obj.organizations.all())

    @staticmethod
    def resolve_goals(obj) -> list[int]:
        return [goal.number for goal in obj.goals.all()]

    @staticmethod
    def resolve_targets(obj) -> list[str]:
        return [target.code for target in obj.targets.all()]

    @staticmethod
    def resolve_policy_areas(obj) -> list[str]:
        return [area.slug for area in obj.policy_areas.all()]

    @staticmethod
    def resolve_regions(obj) -> list[str]:
        return [region.slug for region in obj.regions.all()]

    @staticmethod
    def resolve_countries(obj) -> list[str]:
        return [country.code for country in obj.countries]

    @staticmethod
    def resolve_url(obj, context) -> str:
        return _absolute(context, obj.get_absolute_url())


class ResourceFileOut(Schema):
    name: str
    language: str
    size: int = Field(description="In bytes.")
    content_type: str
    url: str = Field(description="Where to download it (each download is counted, anonymously).")

    @staticmethod
    def resolve_url(obj, context) -> str:
        return _absolute(context, _download_path(obj))


class ResourceLinkOut(Schema):
    label: str
    url: str
    language: str


class ResourceCaseOut(Schema):
    """The good practice's case study (its contact is on the web page only)."""

    initiative: str | None = Field(description="The slug of the HUB it was drawn from.")
    context: str
    what_was_done: str
    results: str
    success_factors: str
    watch_out: str
    replication: str

    @staticmethod
    def resolve_initiative(obj) -> str | None:
        initiative = obj.initiative
        if initiative is None or initiative.status not in PUBLIC_STATUSES:
            return None
        return initiative.slug


class ResourceCitationOut(Schema):
    text: str
    bibtex: str


class ResourceDetailOut(ResourceOut):
    status: str = Field(
        description=f"`{ResourceStatus.PUBLISHED}` for everybody; the team and the secretariat "
        "also see their others."
    )
    languages: list[str] = Field(
        description="Every language it is available in: original, translations and files."
    )
    files: list[ResourceFileOut]
    links: list[ResourceLinkOut] = Field(description="Web pages and videos.")
    case_study: ResourceCaseOut | None = Field(description="Good practices only.")
    initiatives: list[str] = Field(description="Slugs of the public HUBs it is linked to.")
    related: list[str] = Field(description="Slugs of related published resources.")
    citation: ResourceCitationOut

    # The view sets `languages`, `related` and `citation` on the resource.
    @staticmethod
    def resolve_files(obj) -> list:
        return list(obj.files.all())

    @staticmethod
    def resolve_links(obj) -> list:
        return list(obj.links.all())

    @staticmethod
    def resolve_case_study(obj):
        if obj.kind != ResourceKind.GOOD_PRACTICE:
            return None
        return getattr(obj, "case", None)

    @staticmethod
    def resolve_initiatives(obj) -> list[str]:
        # resource_get prefetched the public ones only.
        return [initiative.slug for initiative in obj.initiatives.all()]


class ResourcePage(Schema):
    count: int
    page: int
    pages: int
    results: list[ResourceOut]


class CollectionOut(Schema):
    slug: str
    title: str
    introduction: str
    language: str
    resource_count: int = Field(description="How many published resources it holds.")
    url: str

    @staticmethod
    def resolve_url(obj, context) -> str:
        return _absolute(context, obj.get_absolute_url())


class CollectionDetailOut(CollectionOut):
    resources: list[ResourceOut] = Field(description="In the curators' order.")

    @staticmethod
    def resolve_resources(obj) -> list:
        # collection_get prefetched the items in order, with the resources the caller may see.
        return [item.resource for item in obj.items.all()]


class ResourceFilters(Schema):
    """The library page's parameters: facets are repeatable (`?sdg=11&sdg=5`); values that
    are unknown are left aside, as on the page."""

    q: str = Field(
        "",
        description="Words to search in titles, summaries, case studies and the text of the "
        "files, in any language.",
    )
    kind: list[str] = Field([], description=f"Kinds: {', '.join(ResourceKind.values)}.")
    sdg: list[str] = Field([], description="Goal numbers, 1 to 17.")
    region: list[str] = Field([], description="Regional sections, by identifier.")
    language: list[str] = Field([], description="Languages it is available in.")
    year: list[str] = Field([], description="Years of publication.")
    sort: Literal["relevance", "newest", "title"] = "relevance"
    page: int = Field(1, description="Beyond the last page, the last page is returned.")


# Endpoints -----------------------------------------------------------------------------------


@router.get(
    "/resources",
    response=ResourcePage,
    summary="Published resources of the knowledge library",
    description=(
        "Good practices, publications, toolkits, training modules, policy papers and videos. "
        "The parameters are those of the library page: `q` searches titles, summaries, case "
        "studies and the text of the documents (accent-insensitive, stemmed in English, "
        "French and Spanish); `kind`, `sdg`, `region`, `language` and `year` filter and may "
        "be repeated. 50 per page."
    ),
)
@decorate_view(public_page(selectors.data_version))
def resources(request, filters: Query[ResourceFilters]):
    # Read as the library page reads them, so both give the same results in the same order;
    # the schema above documents them.
    query = selectors.Library.from_params(request.GET)
    queryset = selectors.library(query).prefetch_related(*LIST_PREFETCH)
    return api_page(queryset, filters.page, PAGE_SIZE)


@router.get(
    "/resources/{slug}",
    response=ResourceDetailOut,
    summary="One resource",
    description="With its translations, files, links, case study, related resources and "
    "citation. Drafts, resources under review and withdrawn ones are visible only to their "
    "team and the secretariat (with a token); to anybody else they do not exist (404).",
)
def resource(request, slug: str):
    found = selectors.resource_get(user=request_user(request), slug=slug)
    found.languages = selectors.resource_languages(found)
    found.related = [other.slug for other in selectors.related_resources(found)]
    found.citation = {
        "text": selectors.citation_text(found),
        "bibtex": selectors.citation_bibtex(found),
    }
    return found


@router.get(
    "/collections",
    response=list[CollectionOut],
    summary="Collections of resources",
    description="Published collections curated by the secretariat.",
)
def collections(request):
    return list(selectors.collections_public())


@router.get(
    "/collections/{slug}",
    response=CollectionDetailOut,
    summary="One collection",
    description="Its introduction and its published resources, in the curators' order (the "
    "secretariat, with a token, also sees unpublished collections and resources).",
)
def collection(request, slug: str):
    found = selectors.collection_get(user=request_user(request), slug=slug)
    resources = [item.resource for item in found.items.all()]
    prefetch_related_objects(resources, *LIST_PREFETCH)
    found.resource_count = len(resources)
    return found
