"""The map of HUBs and accompanied initiatives, and its data.

The page and its points take the catalogue's parameters (`Catalogue.from_params`), so one
query string gives the same initiatives on the catalogue, the map, its list and the API."""

import gzip
import hashlib
import json
import math
import time
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import FloatField, Q
from django.db.models.functions import Cast
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import condition
from django_countries import countries

from local4action.core.numbers import whole_number
from local4action.core.pagecache import ACCEPTS_GZIP, public_page
from local4action.core.versions import VERSION_SECONDS
from local4action.initiatives.choices import PUBLIC_STATUSES, InitiativeStatus
from local4action.initiatives.models import Initiative, InitiativeTranslation, Location
from local4action.initiatives.selectors import Catalogue, catalogue, data_version, facets

LIST_PAGE_SIZE = 50
CACHE_SECONDS = 300
BUILD_WAIT_SECONDS = 30
MAP_FACETS = ("sdg", "region", "area", "status")
# Points name their status by position in this tuple (0, 1, 2): short, and the legend says it.
STATUS_CODES = tuple(str(status) for status in PUBLIC_STATUSES)
SLUG_MARK = "__slug__"
ID_MARK = "__id__"


class BadBox(ValueError):
    """A bounding box the map data cannot use; the message says why, for the visitor."""


def parse_bbox(value: str) -> tuple[float, float, float, float] | None:
    """`south,west,north,east` in degrees, or None when absent. North must not be below south;
    a west edge east of the east edge means the box crosses the antimeridian (180°)."""
    if not value.strip():
        return None
    parts = value.split(",")
    if len(parts) != 4:
        raise BadBox(_("The bounding box needs four numbers: south,west,north,east."))
    try:
        south, west, north, east = (float(part) for part in parts)
    except ValueError:
        raise BadBox(_("The bounding box needs four numbers: south,west,north,east.")) from None
    if not all(math.isfinite(number) for number in (south, west, north, east)):
        raise BadBox(_("The bounding box needs four numbers: south,west,north,east."))
    if not (-90 <= south <= 90 and -90 <= north <= 90):
        raise BadBox(_("Latitudes (south, north) must be between -90 and 90."))
    if not (-180 <= west <= 180 and -180 <= east <= 180):
        raise BadBox(_("Longitudes (west, east) must be between -180 and 180."))
    if south > north:
        raise BadBox(_("The south edge is north of the north edge: the corners seem swapped."))
    return south, west, north, east


def _rows(queryset) -> list[tuple]:
    """The queryset's rows straight from the database cursor: at 100,000 rows, Django's
    per-value converters would cost more than the query."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def map_data(query: Catalogue, bbox: tuple[float, float, float, float] | None = None) -> dict:
    """The places of the catalogue's results, compact: four queries whatever the number of
    initiatives, plain rows (no model instances), each initiative's details sent once."""
    results = catalogue(query).prefetch_related(None).select_related(None).order_by()
    ids = results.values("pk")
    locations = Location.objects.filter(initiative_id__in=ids).order_by()
    if bbox:
        south, west, north, east = bbox
        locations = locations.filter(latitude__gte=south, latitude__lte=north)
        if west <= east:
            locations = locations.filter(longitude__gte=west, longitude__lte=east)
        else:  # Across the antimeridian: from west to 180, then from -180 to east.
            locations = locations.filter(Q(longitude__gte=west) | Q(longitude__lte=east))
    # Decimal(8, 5) as a double: its shortest repr is the stored decimal, no rounding needed.
    places = _rows(
        locations.annotate(
            lat=Cast("latitude", FloatField()), lon=Cast("longitude", FloatField())
        ).values_list("lat", "lon", "initiative_id", "name")
    )
    status_code = {status: code for code, status in enumerate(STATUS_CODES)}
    statuses_of = dict(_rows(results.values_list("pk", "status")))
    points = [
        (lat, lon, pk, status_code[statuses_of[pk]], name)
        for lat, lon, pk, name in places
        if pk in statuses_of
    ]
    shown = {point[2] for point in points}
    if len(shown) > settings.MAP_DETAILS_LIMIT:
        # Many results (the whole world): places only; each popup asks for its initiative
        # (map_initiative). Titles, slugs and goals would make the answer four times larger.
        initiatives = None
    else:
        initiatives = _details(results.filter(pk__in=shown)) if shown else {}
    statuses = dict(InitiativeStatus.choices)
    used_countries = {value[2] for value in (initiatives or {}).values() if value[2]}
    return {
        "statuses": [[code, str(statuses[code])] for code in STATUS_CODES],
        "link": reverse("initiatives:detail", args=[SLUG_MARK]),
        "slug_mark": SLUG_MARK,
        "details": reverse("portal:map_initiative", args=[ID_MARK]),
        "id_mark": ID_MARK,
        "countries": {code: str(countries.name(code)) for code in sorted(used_countries)},
        "count": len(points),
        "points": points,
        "initiatives": initiatives,
    }


def _details(results) -> dict[str, tuple]:
    """[title in the visitor's language, slug, country code, SDG numbers] per initiative of
    `results`, in three queries; JSON keys are strings (String(id) in JS)."""
    rows = _rows(results.values_list("pk", "title", "slug", "lead_organization__country"))
    titles = {pk: title for pk, title, _slug, _country in rows}
    if not rows:
        return {}
    ids = results.values("pk")
    language = (get_language() or "en")[:2]
    translated = InitiativeTranslation.objects.filter(
        initiative_id__in=ids, language=language
    ).exclude(initiative__language=language)
    for pk, title in _rows(translated.order_by().values_list("initiative_id", "title")):
        titles[pk] = title
    goals: dict[int, list[int]] = {}
    through = Initiative.goals.through.objects.filter(initiative_id__in=ids)
    for pk, number in _rows(
        through.values_list("initiative_id", "goal__number").order_by("goal__number")
    ):
        goals.setdefault(pk, []).append(number)
    return {
        str(pk): (titles[pk], slug, country or "", goals.get(pk, ()))
        for pk, _title, slug, country in rows
    }


def map_initiative(request, key: str):
    """One public initiative's popup on a map of many: [title, slug, country code, SDG
    numbers] and the country's name, in the visitor's language."""
    pk = whole_number(key)
    if pk is None:
        raise Http404
    public = Initiative.objects.filter(status__in=PUBLIC_STATUSES, pk=pk)
    found = _details(public)
    if not found:
        raise Http404
    value = found[key]
    response = JsonResponse(
        {"initiative": value, "country": str(countries.name(value[2])) if value[2] else ""}
    )
    patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
    return response


def _compressed(data: dict) -> bytes:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # JSON only, no secret in it: no BREACH concern. mtime=0: the same data, same bytes.
    return gzip.compress(body.encode(), compresslevel=6, mtime=0)


def _kept_or_built(key: str, build) -> bytes:
    """The cached answer, or one built now. When the cache has just been emptied (data
    changed), one request builds the whole world's answer (seconds at 100,000 initiatives)
    while the others wait for it, rather than all building it at once."""
    kept = cache.get(key)
    if kept is not None:
        return kept
    busy = key + ":busy"
    if cache.add(busy, 1, BUILD_WAIT_SECONDS):
        try:
            kept = build()
            # The key holds the data's version: kept as long as the version itself (a day with
            # Redis), not rebuilt every five minutes (seconds of waiting for the whole world).
            cache.set(key, kept, VERSION_SECONDS)
        finally:
            cache.delete(busy)
        return kept
    deadline = time.monotonic() + BUILD_WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(0.1)
        kept = cache.get(key)
        if kept is not None:
            return kept
    return build()  # The builder failed or is very late: answer anyway.


def _points_signature(request) -> str:
    """What the answer depends on: parameters, language and the data's version (read once
    per request: the ETag and the cache key share it)."""
    if not hasattr(request, "points_signature"):
        query = Catalogue.from_params(request.GET)
        bbox = request.GET.get("bbox", "")
        request.points_query = query
        request.points_signature = hashlib.sha256(
            repr((get_language(), query.as_params(), bbox, data_version())).encode()
        ).hexdigest()
    return request.points_signature


def _points_etag(request) -> str:
    return _points_signature(request)[:32]


@condition(etag_func=_points_etag)
def map_points(request):
    """The map's data for the catalogue's parameters, optionally within `bbox`. The whole
    world is one answer, kept compressed in the cache until the data change (or five
    minutes): compressing 100,000 points anew for each visitor would cost more than reading
    them. A browser that has it already gets 304 (ETag)."""
    try:
        bbox = parse_bbox(request.GET.get("bbox", ""))
    except BadBox as error:
        return JsonResponse({"error": str(error)}, status=400)
    key = "portal:map_points:" + _points_signature(request)
    compressed = _kept_or_built(key, lambda: _compressed(map_data(request.points_query, bbox)))
    if ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")):
        response = HttpResponse(compressed, content_type="application/json")
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(gzip.decompress(compressed), content_type="application/json")
    patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    # Titles and labels follow the visitor's language (header or language cookie).
    patch_vary_headers(response, ("Accept-Language", "Cookie", "Accept-Encoding"))
    return response


@public_page(data_version)
def map_page(request):
    """Filters, the map (drawn in the browser from map_points) and the same results as a list,
    rendered here so it works without JavaScript and with a screen reader."""
    query = Catalogue.from_params(request.GET)
    params = query.as_params()
    page = Paginator(catalogue(query), LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    counts = facets(query)
    labels = {
        "sdg": _("Sustainable Development Goal"),
        "region": _("Region"),
        "area": _("Policy area"),
        "status": _("Status"),
    }
    kept = [(name, value) for name, value in params if name not in MAP_FACETS]
    return render(
        request,
        "portal/map/map.html",
        {
            "query": query,
            "page": page,
            "facets": [(name, labels[name], counts[name]) for name in MAP_FACETS],
            "kept_params": kept,
            "query_string": urlencode(params),
            "filtered": any(name in MAP_FACETS for name, _value in params),
            "points_url": reverse("portal:map_points"),
            "strings": {
                "sdg": _("SDG %(number)s"),
                "cluster": _("%(count)s initiatives in this area: zoom in"),
                "open": _("Open the page"),
                "loading": _("Loading…"),
                "unavailable": _("This initiative could not be loaded. Try again later."),
            },
            "tiles": {
                "url": settings.MAP_TILES_URL,
                "attribution": settings.MAP_TILES_ATTRIBUTION,
            },
        },
    )


urlpatterns = [
    path("map/", map_page, name="map"),
    path("map/points.json", map_points, name="map_points"),
    path("map/initiatives/<str:key>.json", map_initiative, name="map_initiative"),
]
