import dataclasses
import hashlib

from django.core.cache import cache
from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.http import Http404
from django.utils.translation import get_language
from django_countries import countries

from local4action.accounts.choices import OrganizationKind
from local4action.core import search
from local4action.core.catalogues import numbers_between
from local4action.core.models import Goal, PolicyArea, RegionalSection
from local4action.core.versions import DataVersion

from .choices import PUBLIC_STATUSES, InitiativeStatus
from .models import Initiative, InitiativeTranslation
from .permissions import can_view_initiative


def _with_details(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("lead_organization__regional_section").prefetch_related(
        "goals", "translations", "locations", "policy_areas", "partners", Prefetch("targets")
    )


def public_initiative_list(*, status: str = "", q: str = "") -> QuerySet:
    """Labelled HUBs and accompanied initiatives, newest label first; `q` matches the title
    in its original language or in a translation."""
    statuses = [status] if status in PUBLIC_STATUSES else list(PUBLIC_STATUSES)
    queryset = Initiative.objects.filter(status__in=statuses)
    if q.strip():
        matching = InitiativeTranslation.objects.filter(title__icontains=q.strip())
        queryset = queryset.filter(
            Q(title__icontains=q.strip()) | Q(pk__in=matching.values("initiative_id"))
        )
    return (
        queryset.select_related("lead_organization")
        .prefetch_related("goals", "translations", "targets", "policy_areas", "locations")
        .order_by("-labelled_at", "title")
    )


def initiative_get(*, user, slug: str) -> Initiative:
    """Public initiatives for everyone; drafts only for their team and the secretariat."""
    initiative = _with_details(Initiative.objects.filter(slug=slug)).first()
    if initiative is None or not can_view_initiative(user, initiative):
        raise Http404
    return initiative


# The catalogue: one set of parameters for the page, the map and the API --------------------------

QUERY_MAX = 200
SORTS = ("relevance", "newest", "title")


@dataclasses.dataclass
class Catalogue:
    """What a visitor asked the catalogue for, cleaned: unknown facet values are dropped,
    the text is cut to QUERY_MAX characters."""

    q: str = ""
    sdg: list[int] = dataclasses.field(default_factory=list)
    region: list[str] = dataclasses.field(default_factory=list)
    country: list[str] = dataclasses.field(default_factory=list)
    status: list[str] = dataclasses.field(default_factory=list)
    kind: list[str] = dataclasses.field(default_factory=list)
    area: list[str] = dataclasses.field(default_factory=list)
    year: list[int] = dataclasses.field(default_factory=list)
    sort: str = "relevance"

    @classmethod
    def from_params(cls, params) -> "Catalogue":
        """From a QueryDict (or a dict of lists): repeatable facets, as in ?sdg=11&sdg=5."""

        def values(name):
            if hasattr(params, "getlist"):
                return [str(v) for v in params.getlist(name)]
            value = params.get(name) or []
            return [str(v) for v in (value if isinstance(value, (list, tuple)) else [value])]

        def numbers(name, low, high):
            return numbers_between(values(name), low, high)

        regions = set(RegionalSection.objects.values_list("slug", flat=True))
        areas = set(PolicyArea.objects.values_list("slug", flat=True))
        q = values("q")
        sort = (values("sort") or ["relevance"])[0]
        return cls(
            q=" ".join((q[0] if q else "").split())[:QUERY_MAX],
            sdg=numbers("sdg", 1, 17),
            region=sorted({v for v in values("region") if v in regions}),
            country=sorted({v.upper() for v in values("country") if v.upper() in dict(countries)}),
            status=sorted({v for v in values("status") if v in PUBLIC_STATUSES}),
            kind=sorted({v for v in values("kind") if v in OrganizationKind.values}),
            area=sorted({v for v in values("area") if v in areas}),
            year=numbers("year", 2000, 2100),
            sort=sort if sort in SORTS else "relevance",
        )

    def as_params(self) -> list[tuple[str, str]]:
        """The query string's pairs, so a result page can be shared or paged."""
        pairs = [("q", self.q)] if self.q else []
        for name in ("sdg", "region", "country", "status", "kind", "area", "year"):
            pairs += [(name, str(value)) for value in getattr(self, name)]
        if self.sort != "relevance":
            pairs.append(("sort", self.sort))
        return pairs


def _filtered(query: Catalogue, *, skip: str = "") -> QuerySet:
    """Public initiatives matching every facet but `skip` (facet counts use all the others)."""
    initiatives = Initiative.objects.filter(status__in=list(PUBLIC_STATUSES))
    if query.status and skip != "status":
        initiatives = initiatives.filter(status__in=query.status)
    if query.sdg and skip != "sdg":
        through = Initiative.goals.through.objects.filter(goal__number__in=query.sdg)
        initiatives = initiatives.filter(pk__in=through.values("initiative_id"))
    if query.area and skip != "area":
        through = Initiative.policy_areas.through.objects.filter(policyarea__slug__in=query.area)
        initiatives = initiatives.filter(pk__in=through.values("initiative_id"))
    if query.region and skip != "region":
        initiatives = initiatives.filter(lead_organization__regional_section__slug__in=query.region)
    if query.country and skip != "country":
        initiatives = initiatives.filter(lead_organization__country__in=query.country)
    if query.kind and skip != "kind":
        initiatives = initiatives.filter(lead_organization__kind__in=query.kind)
    if query.year and skip != "year":
        initiatives = initiatives.filter(labelled_at__year__in=query.year)
    if query.q:
        initiatives = search.search(initiatives, query.q)
    return initiatives


def catalogue(query: Catalogue) -> QuerySet:
    """The catalogue's results: searched (accent-insensitive, stemmed), filtered, sorted."""
    initiatives = _filtered(query)
    if query.sort == "title":
        order = ["title", "pk"]
    elif query.sort == "newest" or not query.q:
        order = ["-labelled_at", "-pk"]
    else:
        order = ["-search_rank", "-labelled_at", "-pk"]
    return (
        initiatives.select_related("lead_organization__regional_section")
        .prefetch_related("goals", "translations", "locations")
        .order_by(*order)
    )


FACETS_CACHE_SECONDS = 300


def _aggregate_version() -> str:
    found = Initiative.objects.aggregate(changed=Max("updated_at"), count=Count("pk"))
    return f"{found['changed']}|{found['count']}"


# Changes whenever the public catalogue's data change (services.data_changed, called by the
# signals): the key of facets, catalogue pages and map data.
CATALOGUE_VERSION = DataVersion("initiatives:data_version", _aggregate_version)
data_version = CATALOGUE_VERSION.get


def facets(query: Catalogue) -> dict[str, list[dict]]:
    """For each facet, its values with the number of results each would give, the facet's
    own selection left aside (so one can widen it): a fixed number of queries. Kept in the
    cache per parameters and language for five minutes or until an initiative changes: at
    100,000 initiatives the seven counts take some 400 ms (bench/portal.py)."""
    signature = repr((get_language(), query.as_params(), data_version()))
    key = "initiatives:facets:" + hashlib.sha256(signature.encode()).hexdigest()
    counted = cache.get(key)
    if counted is None:
        counted = _facets(query)
        cache.set(key, counted, FACETS_CACHE_SECONDS)
    return counted


def _facets(query: Catalogue) -> dict[str, list[dict]]:
    def rows(name, queryset, key, label):
        selected = {str(v) for v in getattr(query, name)}
        counts = queryset.values(key).annotate(n=Count("pk", distinct=True)).order_by()
        found = {str(row[key]): row["n"] for row in counts if row[key] is not None}
        return [
            {
                "value": value,
                "label": text,
                "count": found.get(value, 0),
                "selected": value in selected,
            }
            for value, text in label(found)
            if found.get(value) or value in selected
        ]

    goals = {str(g.number): str(g) for g in Goal.objects.all()}
    sections = {s.slug: s.name for s in RegionalSection.objects.all()}
    areas = {a.slug: a.name for a in PolicyArea.objects.all()}
    statuses = dict(InitiativeStatus.choices)
    kinds = dict(OrganizationKind.choices)
    names = dict(countries)
    return {
        "sdg": rows(
            "sdg",
            _filtered(query, skip="sdg"),
            "goals__number",
            lambda f: [(k, goals[k]) for k in goals],
        ),
        "region": rows(
            "region",
            _filtered(query, skip="region"),
            "lead_organization__regional_section__slug",
            lambda f: list(sections.items()),
        ),
        "country": rows(
            "country",
            _filtered(query, skip="country"),
            "lead_organization__country",
            lambda f: sorted(((c, str(names.get(c, c))) for c in f), key=lambda pair: pair[1]),
        ),
        "kind": rows(
            "kind",
            _filtered(query, skip="kind"),
            "lead_organization__kind",
            lambda f: [(k, str(v)) for k, v in kinds.items()],
        ),
        "area": rows(
            "area",
            _filtered(query, skip="area"),
            "policy_areas__slug",
            lambda f: list(areas.items()),
        ),
        "status": rows(
            "status",
            _filtered(query, skip="status"),
            "status",
            lambda f: [(str(s), str(statuses[s])) for s in PUBLIC_STATUSES],
        ),
        "year": rows(
            "year",
            _filtered(query, skip="year").annotate(label_year=ExtractYear("labelled_at")),
            "label_year",
            lambda f: sorted(((y, y) for y in f), reverse=True),
        ),
    }
