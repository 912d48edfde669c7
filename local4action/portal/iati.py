"""The public initiatives as IATI 2.03 activities, for partners that publish to IATI.

The platform republishes activities led by its members, so it reports as a secondary reporter
under its own organisation identifier (settings.IATI_PUBLISHER_REF). Codes come from IATI's
codelists: ActivityStatus, ActivityDateType, OrganisationRole, OrganisationType and the
SectorVocabulary 7 (SDG goal) and 8 (SDG target). The output is validated against the official
schema (portal/data/iati/) in the tests."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from lxml import etree

from local4action.accounts.choices import OrganizationKind
from local4action.initiatives.choices import PUBLIC_STATUSES, InitiativeStatus
from local4action.initiatives.models import Initiative

# "XM-DAC-00000" is a placeholder: set IATI_PUBLISHER_REF to the publisher's registered
# IATI organisation identifier before publishing the file to the IATI Registry.
DEFAULT_PUBLISHER_REF = "XM-DAC-00000"
# OrganisationType 90 (Other) unless the publisher says otherwise (e.g. 21 for an INGO).
DEFAULT_PUBLISHER_TYPE = "90"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# The WGS 84 reference system IATI asks for in location/point/@srsName.
WGS84 = "http://www.opengis.net/def/crs/EPSG/0/4326"

ORGANISATION_TYPE = {
    OrganizationKind.LOCAL_GOVERNMENT: "11",  # Local Government
    OrganizationKind.REGIONAL_GOVERNMENT: "11",
    OrganizationKind.LRG_ASSOCIATION: "90",  # Other
    OrganizationKind.PARTNER: "90",
    OrganizationKind.SECRETARIAT: "90",
}
ROLE_ACCOUNTABLE, ROLE_IMPLEMENTING = "2", "4"
STATUS_IMPLEMENTATION, STATUS_CLOSED = "2", "4"
PLANNED_START, ACTUAL_START, PLANNED_END, ACTUAL_END = "1", "2", "3", "4"
VOCABULARY_SDG_GOAL, VOCABULARY_SDG_TARGET = "7", "8"


def publisher_ref() -> str:
    return getattr(settings, "IATI_PUBLISHER_REF", "") or DEFAULT_PUBLISHER_REF


def iati_initiatives() -> QuerySet:
    """Every public initiative with what its activity needs, in a fixed number of queries."""
    return (
        Initiative.objects.filter(status__in=list(PUBLIC_STATUSES))
        .select_related("lead_organization")
        .prefetch_related("translations", "partners", "goals", "targets", "locations")
        .order_by("slug")
    )


def _narratives(parent, texts: list[tuple[str, str]]) -> None:
    for language, text in texts:
        narrative = etree.SubElement(parent, "narrative")
        narrative.set(XML_LANG, language)
        narrative.text = text


def _organisation(parent, tag: str, organization, role: str | None = None):
    element = etree.SubElement(parent, tag)
    if role:
        element.set("role", role)
    element.set("type", ORGANISATION_TYPE.get(organization.kind, "90"))
    etree.SubElement(element, "narrative").text = organization.name
    return element


def _dates(initiative: Initiative, today: datetime.date) -> list[tuple[str, datetime.date]]:
    """Actual dates for what has happened, planned ones for what has not; the label's date
    stands in for a missing start (an activity needs at least one date)."""
    dates = []
    start = initiative.start_date
    if start is None and initiative.labelled_at:
        start = timezone.localtime(initiative.labelled_at).date()
    if start is None:
        start = timezone.localtime(initiative.created_at).date()
    dates.append((ACTUAL_START if start <= today else PLANNED_START, start))
    if initiative.end_date:
        ended = initiative.status == InitiativeStatus.COMPLETED and initiative.end_date <= today
        dates.append((ACTUAL_END if ended else PLANNED_END, initiative.end_date))
    return dates


def _coordinate(value: Decimal) -> str:
    return format(value.normalize(), "f")


def activity(initiative: Initiative, *, today: datetime.date):
    element = etree.Element("iati-activity")
    element.set(XML_LANG, initiative.language)
    element.set("last-updated-datetime", initiative.updated_at.isoformat(timespec="seconds"))
    etree.SubElement(element, "iati-identifier").text = f"{publisher_ref()}-{initiative.slug}"

    reporting = etree.SubElement(element, "reporting-org")
    reporting.set("ref", publisher_ref())
    reporting.set("type", getattr(settings, "IATI_PUBLISHER_TYPE", "") or DEFAULT_PUBLISHER_TYPE)
    reporting.set("secondary-reporter", "1")
    etree.SubElement(reporting, "narrative").text = settings.BRAND["name"]

    translations = sorted(initiative.translations.all(), key=lambda t: t.language)
    others = [t for t in translations if t.language != initiative.language]
    _narratives(
        etree.SubElement(element, "title"),
        [(initiative.language, initiative.title)] + [(t.language, t.title) for t in others],
    )
    description = etree.SubElement(element, "description")
    description.set("type", "1")  # General
    _narratives(
        description,
        [(initiative.language, initiative.summary or initiative.title)]
        + [(t.language, t.summary or t.title) for t in others],
    )

    _organisation(element, "participating-org", initiative.lead_organization, ROLE_ACCOUNTABLE)
    _organisation(element, "participating-org", initiative.lead_organization, ROLE_IMPLEMENTING)
    for partner in sorted(initiative.partners.all(), key=lambda o: o.name):
        _organisation(element, "participating-org", partner, ROLE_IMPLEMENTING)

    status = (
        STATUS_CLOSED if initiative.status == InitiativeStatus.COMPLETED else STATUS_IMPLEMENTATION
    )
    etree.SubElement(element, "activity-status").set("code", status)
    for kind, date in _dates(initiative, today):
        activity_date = etree.SubElement(element, "activity-date")
        activity_date.set("type", kind)
        activity_date.set("iso-date", date.isoformat())

    if initiative.lead_organization.country:
        country = etree.SubElement(element, "recipient-country")
        country.set("code", str(initiative.lead_organization.country))
        country.set("percentage", "100")

    for place in initiative.locations.all():
        location = etree.SubElement(element, "location")
        etree.SubElement(etree.SubElement(location, "name"), "narrative").text = place.name
        point = etree.SubElement(location, "point")
        point.set("srsName", WGS84)
        pos = etree.SubElement(point, "pos")
        pos.text = f"{_coordinate(place.latitude)} {_coordinate(place.longitude)}"

    goals = sorted(initiative.goals.all(), key=lambda g: g.number)
    targets = sorted(initiative.targets.all(), key=lambda t: t.code)
    sectors = [(VOCABULARY_SDG_GOAL, str(g.number), g.short_en) for g in goals]
    sectors += [(VOCABULARY_SDG_TARGET, t.code, "") for t in targets]
    for vocabulary, code, name in sectors:
        sector = etree.SubElement(element, "sector")
        sector.set("vocabulary", vocabulary)
        sector.set("code", code)
        # Several codes of one vocabulary share the activity equally (IATI: they sum to 100).
        same = sum(1 for v, _c, _n in sectors if v == vocabulary)
        sector.set("percentage", str(round(Decimal(100) / same, 2)))
        if name:
            etree.SubElement(sector, "narrative").text = name
    return element


def iati_document(initiatives, *, now=None) -> bytes:
    """The iati-activities document. IATI's schema asks for at least one activity; with no
    public initiative the file is the empty root element, which tells partners there is none."""
    now = now or timezone.now()
    root = etree.Element("iati-activities")
    root.set("version", "2.03")
    root.set("generated-datetime", now.replace(microsecond=0).isoformat())
    today = timezone.localtime(now).date()
    for initiative in initiatives:
        root.append(activity(initiative, today=today))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def iati(request):
    response = HttpResponse(iati_document(iati_initiatives()), content_type="application/xml")
    response["Content-Disposition"] = 'inline; filename="iati-activities.xml"'
    response["Access-Control-Allow-Origin"] = "*"
    return response
