"""The library's public pages: the catalogue (search, facets, downloads, collections), a
resource's page, a file's download and a collection's page."""

from urllib.parse import urlencode

from django.db.models import prefetch_related_objects
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from local4action.core.catalogues import CountedPaginator, facet_context, query_string
from local4action.core.numbers import page_beyond_end
from local4action.core.pagecache import public_page
from local4action.portal import opendata
from local4action.workplan.permissions import can_view_workplans

from . import selectors, services
from .choices import ResourceStatus
from .models import Resource, ResourceFile
from .permissions import can_edit_resource, can_manage_library, can_view_resource

CATALOGUE_PAGE_SIZE = 20
FACET_NAMES = {
    "kind": _("Kind of resource"),
    "sdg": _("Sustainable Development Goal"),
    "region": _("Region"),
    "language": _("Language"),
    "year": _("Year"),
}
SORTS = [("relevance", _("Relevance")), ("newest", _("Newest first")), ("title", _("Title"))]
FILENAME = "local4action-library"


# The catalogue ------------------------------------------------------------------------------


@public_page(selectors.data_version)
def catalogue(request):
    """Search, facets, sort and pages held in the address (as the catalogue of initiatives),
    so that a result page can be shared and downloaded as it is."""
    query = selectors.Library.from_params(request.GET)
    params = query.as_params()
    facets = selectors.library_facets(query)
    paginator = CountedPaginator(
        selectors.library(query), CATALOGUE_PAGE_SIZE, count=selectors.library_count(facets)
    )
    page = paginator.get_page(request.GET.get("page"))
    asked = request.GET.get("page", "")
    groups, active = facet_context(params, facets, FACET_NAMES, "library:catalogue")
    download = urlencode(params)
    return render(
        request,
        "library/catalogue.html",
        {
            "query": query,
            "page": page,
            "beyond_end": page_beyond_end(asked, paginator.num_pages),
            "facet_groups": groups,
            "active_filters": active,
            "sorts": SORTS,
            "page_base": query_string(params) + ("&" if params else ""),
            "download_params": "?" + download if download else "",
            "collections": selectors.collections_public(),
            "can_manage": can_manage_library(request.user),
        },
    )


# Downloads of the catalogue: the same parameters, the public facts only (no contact, no
# person who wrote or reviewed it in the platform).

CSV_FIELDS = [
    "slug",
    "kind",
    "title",
    "language",
    "summary",
    "authors",
    "organizations",
    "year",
    "licence",
    "goals",
    "targets",
    "policy_areas",
    "regions",
    "countries",
    "published_on",
    "url",
]


def resource_record(resource: Resource, request) -> dict:
    return {
        "slug": resource.slug,
        "kind": resource.kind,
        "title": resource.title,
        "language": resource.language,
        "summary": resource.summary,
        "authors": resource.authors,
        "organizations": [o.name for o in resource.organizations.all()],
        "year": resource.year,
        "licence": resource.licence,
        "goals": [goal.number for goal in resource.goals.all()],
        "targets": [target.code for target in resource.targets.all()],
        "policy_areas": [area.slug for area in resource.policy_areas.all()],
        "regions": [region.slug for region in resource.regions.all()],
        "countries": [country.code for country in resource.countries],
        "published_on": timezone.localdate(resource.published_at).isoformat()
        if resource.published_at
        else "",
        "url": request.build_absolute_uri(resource.get_absolute_url()),
    }


def _resources(request):
    query = selectors.Library.from_params(request.GET)
    return (
        selectors.library(query)
        .prefetch_related(
            "organizations", "goals", "targets", "policy_areas", "regions", "translations"
        )
        .iterator(chunk_size=opendata.CHUNK)
    )


def resources_csv(request):
    records = (resource_record(r, request) for r in _resources(request))
    return opendata.open_download(
        opendata.csv_lines(CSV_FIELDS, records), "text/csv; charset=utf-8", f"{FILENAME}.csv"
    )


def resources_json(request):
    def records():
        for resource in _resources(request):
            record = resource_record(resource, request)
            record["translations"] = {
                t.language: {"title": t.title, "summary": t.summary}
                for t in resource.translations.all()
            }
            yield record

    content = opendata.json_list(opendata.licence_header(), "resources", records())
    return opendata.open_download(content, "application/json", f"{FILENAME}.json")


# A resource ---------------------------------------------------------------------------------


def _reading_language(request, resource: Resource, languages: list[str]) -> str:
    """The language asked with ?lang=, else the reader's, when the resource has it; else the
    original."""
    for wanted in (request.GET.get("lang", ""), (get_language() or "")[:2]):
        if wanted in languages:
            return wanted
    return resource.language


def _case(resource: Resource):
    try:
        return resource.case
    except Resource.case.RelatedObjectDoesNotExist:
        return None


def resource_detail(request, slug):
    """Light to read on a phone: the text in the chosen language, the documents, the case
    study of a good practice, where it comes from, how to cite it."""
    resource = selectors.resource_get(user=request.user, slug=slug)
    user = request.user
    languages = selectors.resource_languages(resource)
    language = _reading_language(request, resource, languages)
    title, summary = resource.title, resource.summary
    if language != resource.language:
        for translation in resource.translations.all():
            if translation.language == language:
                title, summary = translation.title, translation.summary
    names = dict(Resource._meta.get_field("language").choices)
    return render(
        request,
        "library/resource_detail.html",
        {
            "resource": resource,
            "title": title,
            "summary": summary,
            "reading_language": language,
            "reading_languages": [(code, names.get(code, code)) for code in languages],
            "case": _case(resource) if resource.kind == "good_practice" else None,
            "related": selectors.related_resources(resource),
            # resource_get keeps only the events, threads and actions the user may see.
            "threads": resource.threads.all(),
            "actions": list(resource.actions.all()) if can_view_workplans(user) else [],
            "citation": selectors.citation_text(resource),
            "bibtex": selectors.citation_bibtex(resource),
            "can_edit": can_edit_resource(user, resource),
            "can_manage": can_manage_library(user),
            "is_published": resource.status == ResourceStatus.PUBLISHED,
            "image_url": request.build_absolute_uri(resource.cover.url) if resource.cover else "",
        },
    )


def file_download(request, pk):
    """The document, as an attachment (never shown inline: nothing in it runs in the site's
    pages); a download of a published resource is counted, without anything about who."""
    file = get_object_or_404(ResourceFile.objects.select_related("resource"), pk=pk)
    if not can_view_resource(request.user, file.resource):
        raise Http404
    try:
        handle = file.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    if file.resource.status == ResourceStatus.PUBLISHED:
        services.file_downloaded(file=file)
    response = FileResponse(
        handle, as_attachment=True, filename=file.name, content_type=file.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# Collections --------------------------------------------------------------------------------


def collection_detail(request, slug):
    collection = selectors.collection_get(user=request.user, slug=slug)
    manage = can_manage_library(request.user)
    items = list(collection.items.all())
    # The cards show the goals: one query for all of them.
    prefetch_related_objects([item.resource for item in items], "goals")
    return render(
        request,
        "library/collection_detail.html",
        {"collection": collection, "items": items, "can_manage": manage},
    )


urlpatterns = [
    path("library/", catalogue, name="catalogue"),
    path("library/resources.csv", resources_csv, name="resources_csv"),
    path("library/resources.json", resources_json, name="resources_json"),
    path("library/files/<int:pk>/download/", file_download, name="file_download"),
    path("library/collections/<slug:slug>/", collection_detail, name="collection"),
    path("library/<slug:slug>/", resource_detail, name="resource"),
]
