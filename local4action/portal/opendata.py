"""Open data: downloads of the public lists (CSV, JSON, GeoJSON), the data page, IATI.

Every download takes the catalogue's parameters (?q=…&sdg=11&region=…), so "download these
results" gives exactly what the page shows. Only public initiatives, and nothing about people:
no names, no e-mail addresses — organizations and places only. Field names are stable: partners
build on them, so add fields rather than rename them."""

import csv
import dataclasses
import datetime
import json
from collections.abc import Iterator

from django.conf import settings
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from local4action.core.spreadsheets import csv_cell
from local4action.initiatives import selectors
from local4action.initiatives.models import Initiative

from .iati import iati

LICENCE_NAME = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
FILENAME = "local4action-initiatives"
# Rows read from the database at a time: a download of the whole catalogue stays small in memory.
CHUNK = 500


def _todo(request, *args, **kwargs):
    raise Http404


def attribution() -> str:
    return str(
        _("Source: %(brand)s HUBs programme, open data under %(licence)s")
        % {"brand": settings.BRAND["name"], "licence": LICENCE_NAME}
    )


@dataclasses.dataclass(frozen=True)
class Field:
    """One field of the downloads, as the data page documents it."""

    name: str
    type: Promise
    meaning: Promise
    example: str
    formats: str = "csv json geojson"

    @property
    def shown_in(self) -> str:
        names = {"csv": "CSV", "json": "JSON", "geojson": "GeoJSON"}
        return ", ".join(names[f] for f in self.formats.split())


TEXT, DATE, LIST_TEXT, LIST_NUMBERS = _("text"), _("date"), _("list of texts"), _("list of numbers")

FIELDS = [
    Field(
        "slug",
        TEXT,
        _("Stable identifier of the initiative, also its web address."),
        "bilbao-city-of-values",
    ),
    Field(
        "title", TEXT, _("Title in the initiative's original language."), "Bilbao, city of values"
    ),
    Field("language", TEXT, _("Original language of the title and summary (ISO 639-1)."), "en"),
    Field(
        "summary",
        TEXT,
        _("Summary in the original language."),
        "Values as drivers of sustainable urban development.",
        "csv json",
    ),
    Field(
        "status",
        TEXT,
        _(
            "labelled (a Local4Action HUB), accompanied (supported by the secretariat, not yet "
            "a HUB) or completed."
        ),
        "labelled",
    ),
    Field(
        "hub",
        _("true/false"),
        _("Whether the initiative received the Local4Action HUB label."),
        "true",
    ),
    Field(
        "labelled_on",
        DATE,
        _("Date the HUB label was granted (YYYY-MM-DD), empty if none."),
        "2021-06-15",
    ),
    Field(
        "start_date",
        DATE,
        _("Start of the initiative's timeline (YYYY-MM-DD)."),
        "2021-01-01",
        "csv json",
    ),
    Field(
        "end_date",
        DATE,
        _("End of the initiative's timeline (YYYY-MM-DD)."),
        "2023-12-31",
        "csv json",
    ),
    Field("scale", TEXT, _("local, regional or national_association."), "local", "csv json"),
    Field(
        "lead_organization",
        TEXT,
        _("Name of the local or regional government that leads."),
        "City of Bilbao",
    ),
    Field(
        "lead_organization_slug",
        TEXT,
        _("Stable identifier of the lead organization."),
        "bilbao",
        "csv json",
    ),
    Field(
        "organization_kind",
        TEXT,
        _("local_government, regional_government or lrg_association."),
        "local_government",
    ),
    Field("country", TEXT, _("Country of the lead organization (ISO 3166-1 alpha-2)."), "ES"),
    Field("region", TEXT, _("Regional section of the lead organization (identifier)."), "europe"),
    Field(
        "goals", LIST_NUMBERS, _("Sustainable Development Goals the initiative works on."), "11;16"
    ),
    Field("targets", LIST_TEXT, _("SDG targets the initiative works on."), "11.3;16.7", "csv json"),
    Field(
        "policy_areas", LIST_TEXT, _("Policy areas (identifiers)."), "gender-equality", "csv json"
    ),
    Field(
        "places",
        LIST_TEXT,
        _("Names of the places where the initiative acts."),
        "Bilbao",
        "csv json",
    ),
    Field(
        "website", TEXT, _("The initiative's own website."), "https://www.bilbao.eus/", "csv json"
    ),
    Field(
        "url",
        TEXT,
        _("Its page on this portal."),
        "https://example.org/initiatives/bilbao-city-of-values/",
    ),
]
CSV_FIELDS = [f.name for f in FIELDS if "csv" in f.formats]
GEOJSON_FIELDS = [f.name for f in FIELDS if "geojson" in f.formats]


def _date(value: datetime.date | datetime.datetime | None) -> str:
    if isinstance(value, datetime.datetime):
        value = timezone.localdate(value)
    return value.isoformat() if value else ""


def initiative_record(initiative: Initiative, request) -> dict:
    """The public facts of an initiative, by field name (lists stay lists)."""
    organization = initiative.lead_organization
    return {
        "slug": initiative.slug,
        "title": initiative.title,
        "language": initiative.language,
        "summary": initiative.summary,
        "status": initiative.status,
        "hub": initiative.is_hub,
        "labelled_on": _date(initiative.labelled_at) if initiative.is_hub else "",
        "start_date": _date(initiative.start_date),
        "end_date": _date(initiative.end_date),
        "scale": initiative.scale,
        "lead_organization": organization.name,
        "lead_organization_slug": organization.slug,
        "organization_kind": organization.kind,
        "country": organization.country.code or "",
        "region": organization.regional_section.slug if organization.regional_section_id else "",
        "goals": [goal.number for goal in initiative.goals.all()],
        "targets": [target.code for target in initiative.targets.all()],
        "policy_areas": [area.slug for area in initiative.policy_areas.all()],
        "places": [location.name for location in initiative.locations.all()],
        "website": initiative.website,
        "url": request.build_absolute_uri(initiative.get_absolute_url()),
    }


def _initiatives(request) -> Iterator[Initiative]:
    query = selectors.Catalogue.from_params(request.GET)
    queryset = selectors.catalogue(query).prefetch_related("targets", "policy_areas")
    return queryset.iterator(chunk_size=CHUNK)


def open_download(content: Iterator[str], content_type: str, filename: str):
    """A streamed open-data file (nothing held in memory), with its licence."""
    response = StreamingHttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Link"] = f'<{LICENCE_URL}>; rel="license"'
    return response


def _download(content: Iterator[str], content_type: str, extension: str):
    return open_download(content, content_type, f"{FILENAME}.{extension}")


class _Line:
    """A file-like object for csv.writer that hands each written line back."""

    def write(self, value: str) -> str:
        return value


def csv_lines(fields: list[str], records: Iterator[dict]) -> Iterator[str]:
    """The CSV of `records`, a line at a time: lists joined with ";", booleans as
    true/false, cells neutralized for spreadsheets."""
    writer = csv.writer(_Line())
    # A byte-order mark, so that spreadsheets open the accents right.
    yield "\ufeff" + writer.writerow(fields)
    for record in records:
        row = []
        for name in fields:
            value = record[name]
            if isinstance(value, list):
                value = ";".join(str(v) for v in value)
            elif isinstance(value, bool):
                value = "true" if value else "false"
            row.append(csv_cell(value))
        yield writer.writerow(row)


def initiatives_csv(request):
    records = (initiative_record(i, request) for i in _initiatives(request))
    return _download(csv_lines(CSV_FIELDS, records), "text/csv; charset=utf-8", "csv")


def licence_header() -> dict:
    return {
        "licence": {"name": LICENCE_NAME, "url": LICENCE_URL, "attribution": attribution()},
        "generated_at": timezone.now().isoformat(timespec="seconds"),
    }


def json_list(head: dict, key: str, items: Iterator[dict]) -> Iterator[str]:
    """`head` with `key` holding the items, written a piece at a time."""
    opening = json.dumps({**head, key: []}, ensure_ascii=False)
    yield opening[:-2]  # everything but the closing "]}"
    for index, item in enumerate(items):
        yield ("," if index else "") + json.dumps(item, ensure_ascii=False)
    yield "]}"


def initiatives_json(request):
    def records():
        for initiative in _initiatives(request):
            record = initiative_record(initiative, request)
            record["translations"] = {
                t.language: {"title": t.title, "summary": t.summary}
                for t in initiative.translations.all()
            }
            record["locations"] = [
                {"name": loc.name, "lat": float(loc.latitude), "lon": float(loc.longitude)}
                for loc in initiative.locations.all()
            ]
            yield record

    return _download(
        json_list(licence_header(), "initiatives", records()), "application/json", "json"
    )


def initiatives_geojson(request):
    """One Feature per place (RFC 7946: coordinates are [longitude, latitude])."""

    def features():
        for initiative in _initiatives(request):
            record = initiative_record(initiative, request)
            properties = {name: record[name] for name in GEOJSON_FIELDS}
            for location in initiative.locations.all():
                yield {
                    "type": "Feature",
                    "geometry": {
                        "type": "Point",
                        "coordinates": [float(location.longitude), float(location.latitude)],
                    },
                    "properties": {**properties, "place": location.name},
                }

    head = {"type": "FeatureCollection", **licence_header()}
    return _download(json_list(head, "features", features()), "application/geo+json", "geojson")


def data(request):
    downloads = [
        (
            "CSV",
            reverse("portal:initiatives_csv"),
            _("one row per initiative; lists separated by “;”; UTF-8 with a byte-order mark"),
        ),
        (
            "JSON",
            reverse("portal:initiatives_json"),
            _("a list under “initiatives”, with translations and coordinates"),
        ),
        (
            "GeoJSON",
            reverse("portal:initiatives_geojson"),
            _("one point per place, for maps (RFC 7946)"),
        ),
    ]
    return render(
        request,
        "portal/data/index.html",
        {
            "fields": FIELDS,
            "downloads": downloads,
            "licence_name": LICENCE_NAME,
            "licence_url": LICENCE_URL,
            "attribution": attribution(),
        },
    )


urlpatterns = [
    path("data/", data, name="data"),
    path("data/initiatives.csv", initiatives_csv, name="initiatives_csv"),
    path("data/initiatives.json", initiatives_json, name="initiatives_json"),
    path("data/initiatives.geojson", initiatives_geojson, name="initiatives_geojson"),
    path("data/iati-activities.xml", iati, name="iati"),
]
