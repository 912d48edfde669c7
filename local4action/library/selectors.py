"""Reads of the knowledge library: the searchable catalogue with facets, a resource's page,
related resources, collections. A fixed number of queries per page."""

import dataclasses
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    Max,
    Prefetch,
    Q,
    QuerySet,
)
from django.db.models.lookups import GreaterThan
from django.http import Http404
from django.utils.translation import get_language

from local4action.accounts.choices import MembershipRole, MembershipStatus, OrganizationStatus
from local4action.accounts.models import Membership
from local4action.core import search
from local4action.core.catalogues import numbers_between
from local4action.core.models import Goal, RegionalSection
from local4action.core.versions import DataVersion
from local4action.initiatives.selectors import QUERY_MAX, SORTS

from . import search as library_search
from .choices import ResourceKind, ResourceStatus
from .citation import citation_bibtex, citation_text  # noqa: F401 — part of the contract
from .models import (
    Collection,
    CollectionItem,
    Resource,
    ResourceFile,
    ResourceRelation,
)
from .permissions import can_manage_library, can_view_resource

YEAR_RANGE = (1950, 2100)  # as the model's constraint


def _published() -> QuerySet:
    return Resource.objects.filter(status=ResourceStatus.PUBLISHED)


def _files_without_text() -> Prefetch:
    # A file's extracted text can weigh megabytes: lists and pages never show it.
    return Prefetch("files", queryset=ResourceFile.objects.defer("text"))


def _for_lists(queryset: QuerySet) -> QuerySet:
    return (
        queryset.defer("search_text", "search_head")
        .select_related("owner_organization")
        .prefetch_related("goals", "translations", _files_without_text())
    )


# The catalogue ------------------------------------------------------------------------------


def _param_values(params, name: str) -> list[str]:
    if hasattr(params, "getlist"):
        return [str(v) for v in params.getlist(name)]
    value = params.get(name) or []
    return [str(v) for v in (value if isinstance(value, (list, tuple)) else [value])]


def _param_numbers(params, name: str, low: int, high: int) -> list[int]:
    return numbers_between(_param_values(params, name), low, high)


@dataclasses.dataclass
class Library:
    """The catalogue's parameters, read from a query string (as initiatives.Catalogue):
    q, kind, sdg, region, language, year (repeatable facets), sort (relevance, newest,
    title), page. Unknown values are left aside."""

    q: str = ""
    kind: list[str] = dataclasses.field(default_factory=list)
    sdg: list[int] = dataclasses.field(default_factory=list)
    region: list[str] = dataclasses.field(default_factory=list)
    language: list[str] = dataclasses.field(default_factory=list)
    year: list[int] = dataclasses.field(default_factory=list)
    sort: str = "relevance"

    FACETS = ("kind", "sdg", "region", "language", "year")

    @classmethod
    def from_params(cls, params) -> "Library":
        """From a QueryDict (or a dict of lists): repeatable facets, as in ?sdg=11&sdg=5.
        The text is cut to initiatives' QUERY_MAX characters; one query (the regions)."""
        regions = set(RegionalSection.objects.values_list("slug", flat=True))
        languages = {code for code, _name in settings.LANGUAGES}
        q = _param_values(params, "q")
        sort = (_param_values(params, "sort") or ["relevance"])[0]
        return cls(
            q=" ".join((q[0] if q else "").split())[:QUERY_MAX],
            kind=sorted({v for v in _param_values(params, "kind") if v in ResourceKind.values}),
            sdg=_param_numbers(params, "sdg", 1, 17),
            region=sorted({v for v in _param_values(params, "region") if v in regions}),
            language=sorted({v for v in _param_values(params, "language") if v in languages}),
            year=_param_numbers(params, "year", *YEAR_RANGE),
            sort=sort if sort in SORTS else "relevance",
        )

    def as_params(self) -> list[tuple[str, str]]:
        """The query string's pairs, so a result page can be shared or paged."""
        pairs = [("q", self.q)] if self.q else []
        for name in self.FACETS:
            pairs += [(name, str(value)) for value in getattr(self, name)]
        if self.sort != "relevance":
            pairs.append(("sort", self.sort))
        return pairs


def _has_bit(column: str, bits: int) -> Q:
    return Q(GreaterThan(F(column).bitand(bits), 0))


BIT_COLUMNS = {"sdg": "goal_bits", "language": "language_bits"}


def _bit(name: str, value) -> int:
    return {"sdg": library_search.goal_bit, "language": library_search.language_bit}[name](value)


def _value_condition(name: str, value) -> Q:
    """Resources having one value of a facet: kind and year are columns; SDGs and languages
    (written in, translated into or a file in) bits of the row, regions (by pk) its keys."""
    if name in BIT_COLUMNS:
        return _has_bit(BIT_COLUMNS[name], _bit(name, value))
    if name == "region":
        return Q(region_keys__contains=library_search.region_key(value))
    return Q(**{name: value})


def _condition(query: Library, name: str) -> Q | None:
    """The filter of one facet's selection (any of its selected values), or None if nothing
    is selected in it. Read from the row alone: no facet needs a join."""
    values = getattr(query, name)
    if not values:
        return None
    if name == "kind":
        return Q(kind__in=values)
    if name == "year":
        return Q(year__in=values)
    if name == "region":
        pks = RegionalSection.objects.filter(slug__in=values).values_list("pk", flat=True)
        condition = Q(pk__in=[])  # no section of these names: nothing
        for pk in pks:
            condition |= _value_condition("region", pk)
        return condition
    return _has_bit(BIT_COLUMNS[name], sum({_bit(name, value) for value in values}))


def _filtered(query: Library, *, skip: str = "") -> QuerySet:
    """Published resources matching every facet but `skip` (facet counts use all the others),
    and the words."""
    resources = _published()
    for name in Library.FACETS:
        condition = _condition(query, name) if name != skip else None
        if condition is not None:
            resources = resources.filter(condition)
    if query.q:
        # Ranked by the words found in search_head (titles, summaries, authors,
        # translations): a resource whose title or summary says it comes before one whose
        # attached file does. Not ts_rank, which parses every matching document again
        # (11 s for a common word at 20,000 resources with their files' text).
        resources = search.words_found_in(
            search.matching(resources, query.q), query.q, "search_head"
        )
    return resources


def library(query: Library) -> QuerySet:
    """Published resources matching the query, searched (titles, summaries, translations,
    case studies and files' text; accent-insensitive, stemmed EN/FR/ES) and sorted."""
    resources = _filtered(query)
    newest = [F("year").desc(nulls_last=True), "-published_at", "-pk"]
    if query.sort == "title":
        order = ["title", "pk"]
    elif query.sort == "newest" or not query.q:
        order = newest
    else:
        order = ["-search_rank", *newest]
    return _for_lists(resources).order_by(*order)


# Facets, cached per parameters, language and data version --------------------------------------

FACETS_CACHE_SECONDS = 300


def _aggregate_version() -> str:
    found = Resource.objects.aggregate(changed=Max("updated_at"), count=Count("pk"))
    return f"{found['changed']}|{found['count']}"


# Changes whenever what the public library shows changes (data_changed, called by the
# signals): the key of cached facets and pages.
LIBRARY_VERSION = DataVersion("library:data_version", _aggregate_version)
data_version = LIBRARY_VERSION.get
data_changed = LIBRARY_VERSION.changed


def library_facets(query: Library) -> dict[str, list[dict]]:
    """For kind, sdg, region, language, year: [{"value", "label", "count", "selected"}].
    Each facet's counts leave its own selection aside (so one can widen it); values without
    results are left out unless selected. Counted by the database in one query (plus the
    goals and sections), whatever the rows, then cached."""
    signature = repr((get_language(), query.as_params(), data_version()))
    key = "library:facets:" + hashlib.sha256(signature.encode()).hexdigest()
    counted = cache.get(key)
    if counted is None:
        counted = _facets(query)
        cache.set(key, counted, FACETS_CACHE_SECONDS)
    return counted


def library_count(facets: dict[str, list[dict]]) -> int:
    """How many resources match a query, read from its facet counts (no COUNT of its own):
    each resource has one kind, so the kinds' counts (the selected ones if any) add up."""
    kinds = facets["kind"]
    selected = [row for row in kinds if row["selected"]]
    return sum(row["count"] for row in selected or kinds)


def _facet_counts(query: Library, sections: list) -> dict[str, dict[str, int]]:
    """For each facet, its values' counts among the resources matching the words and every
    other facet's selection. One query over the matches, grouped by year (each resource
    has one): per year, its own count and each other value's, summed here. The ~40 counts
    are written as SQL here: compiled by the ORM they cost more time than the database's
    work (bench/library.py)."""
    passes = {}
    for name in Library.FACETS:
        condition = _condition(query, name)
        if condition is not None:
            passes[f"passes_{name}"] = ExpressionWrapper(condition, output_field=BooleanField())
    matches = search.matching(_published(), query.q).order_by().annotate(**passes)
    columns = ["year", "kind", "region_keys", *BIT_COLUMNS.values(), *passes]
    inner, params = matches.values(*columns).query.sql_with_params()

    def counted_if(test: str, name: str) -> str:
        tests = [test] + [f"m.{other}" for other in passes if other != f"passes_{name}"]
        return f"COUNT(*) FILTER (WHERE {' AND '.join(tests)})"

    values = {
        "kind": list(ResourceKind.values),
        "sdg": list(range(1, 18)),
        "region": [section.pk for section in sections],
        "language": [code for code, _name in settings.LANGUAGES],
    }
    counted, outer, outer_params = [], [counted_if("1 = 1", "year")], []
    for name, choices in values.items():
        for value in choices:
            if name == "kind":
                test = "m.kind = %s"
                outer_params.append(value)
            elif name == "region":
                test = "m.region_keys LIKE %s"
                outer_params.append(f"%{library_search.region_key(value)}%")
            else:
                test = f"(m.{BIT_COLUMNS[name]} & {int(_bit(name, value))}) <> 0"
            outer.append(counted_if(test, name))
            counted.append((name, str(value)))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT m.year, {', '.join(outer)} FROM ({inner}) AS m GROUP BY m.year",
            (*outer_params, *params),
        )
        rows = cursor.fetchall()
    counts: dict[str, dict[str, int]] = {name: {} for name in Library.FACETS}
    for year, in_year, *found in rows:
        if year is not None and in_year:
            counts["year"][str(year)] = in_year
        for (name, value), count in zip(counted, found, strict=True):
            if count:
                counts[name][value] = counts[name].get(value, 0) + count
    return counts


def _facets(query: Library) -> dict[str, list[dict]]:
    def rows(name, labels):
        found = counts[name]
        selected = {str(v) for v in getattr(query, name)}
        return [
            {
                "value": value,
                "label": label,
                "count": found.get(value, 0),
                "selected": value in selected,
            }
            for value, label in labels
            if found.get(value) or value in selected
        ]

    sections = list(RegionalSection.objects.all())
    counts = _facet_counts(query, sections)
    # Regions are counted by pk (a slug may be renamed) and shown by slug.
    counts["region"] = {
        section.slug: counts["region"].get(str(section.pk), 0) for section in sections
    }
    years = set(counts["year"]) | {str(y) for y in query.year}
    return {
        "kind": rows("kind", [(k, str(label)) for k, label in ResourceKind.choices]),
        "sdg": rows("sdg", [(str(g.number), str(g)) for g in Goal.objects.all()]),
        "region": rows("region", [(s.slug, s.name) for s in sections]),
        "language": rows("language", [(code, str(name)) for code, name in settings.LANGUAGES]),
        "year": rows("year", [(y, y) for y in sorted(years, key=int, reverse=True)]),
    }


# A resource and its neighbours -------------------------------------------------------------------


def resource_get(*, user, slug: str) -> Resource:
    """Http404 when the user may not see it. Its links to HUBs, events, work plan actions and
    threads hold only those the user may see."""
    from local4action.events.models import Event
    from local4action.events.selectors import events_visible
    from local4action.exchange.models import Thread
    from local4action.exchange.selectors import threads_visible
    from local4action.initiatives.choices import PUBLIC_STATUSES
    from local4action.initiatives.models import Initiative
    from local4action.workplan.models import Action
    from local4action.workplan.selectors import plans_for

    resource = (
        Resource.objects.filter(slug=slug)
        .defer("search_text")
        .select_related("owner_organization", "case__initiative")
        .prefetch_related(
            "translations",
            _files_without_text(),
            "links",
            "goals",
            "targets__goal",
            "policy_areas",
            "regions",
            "organizations",
            Prefetch("initiatives", Initiative.objects.filter(status__in=PUBLIC_STATUSES)),
            # The visibility rules return distinct rows: used as subqueries.
            Prefetch("events", Event.objects.filter(pk__in=events_visible(user).values("pk"))),
            Prefetch("actions", Action.objects.filter(plan__in=plans_for(user))),
            Prefetch("threads", Thread.objects.filter(pk__in=threads_visible(user).values("pk"))),
        )
        .first()
    )
    if resource is None or not can_view_resource(user, resource):
        raise Http404
    return resource


def resource_languages(resource: Resource) -> list[str]:
    """The languages the resource is available in (original, translations, files): the
    original first, then the others in the site's order. Uses prefetched rows when there."""
    found = {resource.language}
    found |= {t.language for t in resource.translations.all()}
    found |= {f.language for f in resource.files.all()}
    others = [code for code, _name in settings.LANGUAGES if code in found - {resource.language}]
    return [resource.language, *others]


def related_resources(resource: Resource, limit: int = 5) -> list[Resource]:
    """The nearest published resources (ResourceRelation), best first; one query."""
    relations = (
        ResourceRelation.objects.filter(resource=resource, other__status=ResourceStatus.PUBLISHED)
        .select_related("other")
        .defer("other__search_text")
        .order_by("-score", "other_id")[:limit]
    )
    return [relation.other for relation in relations]


def resources_for_goal(goal, limit: int = 10) -> QuerySet:
    """Published resources on the SDG, newest first."""
    return (
        _published()
        .filter(goals=goal)
        .defer("search_text")
        .order_by("-published_at", "-pk")[:limit]
    )


def resources_for_initiative(initiative) -> QuerySet:
    """Published resources linked to the HUB, or good practices drawn from it."""
    linked = Resource.initiatives.through.objects.filter(initiative=initiative)
    return _for_lists(
        _published().filter(Q(pk__in=linked.values("resource_id")) | Q(case__initiative=initiative))
    ).order_by("-published_at", "-pk")


def resources_to_review() -> QuerySet:
    """Submitted resources, the longest waiting first."""
    return _for_lists(Resource.objects.filter(status=ResourceStatus.SUBMITTED)).order_by(
        "submitted_at", "pk"
    )


def resources_of(user) -> QuerySet:
    """Resources of the user's organizations (drafts included), for their editors."""
    if not user.is_authenticated:
        return Resource.objects.none()
    editing = Membership.objects.filter(
        user=user,
        status=MembershipStatus.ACTIVE,
        role__in=[MembershipRole.ADMIN, MembershipRole.EDITOR],
        organization__status=OrganizationStatus.APPROVED,
    )
    return _for_lists(
        Resource.objects.filter(owner_organization__in=editing.values("organization_id"))
    ).order_by("-updated_at", "-pk")


# Collections -------------------------------------------------------------------------------


def collections_public() -> QuerySet:
    """Published collections by title, each with `resource_count` (its published resources)."""
    published = Q(items__resource__status=ResourceStatus.PUBLISHED)
    return (
        Collection.objects.filter(published=True)
        .annotate(resource_count=Count("items", filter=published))
        .order_by("title", "pk")
    )


def collection_get(*, user, slug: str) -> Collection:
    """Http404 unless published or the user manages the library. `collection.items.all()`:
    its items in order with their resource; only published resources for those who do not
    manage the library."""
    manager = can_manage_library(user)
    items = CollectionItem.objects.select_related("resource__owner_organization").defer(
        "resource__search_text"
    )
    if not manager:
        items = items.filter(resource__status=ResourceStatus.PUBLISHED)
    collection = (
        Collection.objects.filter(slug=slug)
        .prefetch_related(
            Prefetch("items", items.order_by("position")),
            "items__resource__translations",
            Prefetch("items__resource__files", ResourceFile.objects.defer("text")),
        )
        .first()
    )
    if collection is None or not (collection.published or manager):
        raise Http404
    return collection
