"""The IATI export: public initiatives as IATI 2.03 activities, valid against the schema."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from lxml import etree

from local4action.accounts.tests.factories import OrganizationFactory
from local4action.core.models import Goal, Target
from local4action.initiatives.models import InitiativeTranslation, Location
from local4action.monitoring.tests.factories import make_hub

SCHEMA_DIR = Path(__file__).resolve().parents[1] / "data" / "iati"
XML = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.fixture(scope="module")
def schema():
    return etree.XMLSchema(etree.parse(str(SCHEMA_DIR / "iati-activities-schema.xsd")))


def _hub_with_everything(title="Bilbao, city of values"):
    hub, _editor = make_hub(title=title)
    hub.partners.add(OrganizationFactory(name="Partner town", kind="partner"))
    hub.goals.add(Goal.objects.get(number=11), Goal.objects.get(number=16))
    hub.targets.add(Target.objects.get(code="11.3"))
    InitiativeTranslation.objects.create(
        initiative=hub, language="fr", title="Bilbao, ville des valeurs", summary="Un HUB."
    )
    InitiativeTranslation.objects.create(
        initiative=hub, language="es", title="Bilbao, ciudad de valores", summary="Un HUB."
    )
    Location.objects.create(
        initiative=hub, name="Bilbao", latitude=Decimal("43.26271"), longitude=Decimal("-2.92528")
    )
    return hub


def _get(client):
    response = client.get(reverse("portal:iati"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return etree.fromstring(response.content)


@pytest.mark.django_db
def test_export_is_valid_iati_203(client, schema):
    _hub_with_everything()
    make_hub(title="A second HUB, with little data")

    root = _get(client)

    schema.assertValid(root)  # raises with the schema's own message when invalid
    assert root.get("version") == "2.03"
    assert root.get("generated-datetime")
    assert len(root.findall("iati-activity")) == 2


@pytest.mark.django_db
def test_activity_carries_titles_in_each_language_orgs_dates_sectors_and_place(client, schema):
    hub = _hub_with_everything()

    root = _get(client)

    activity = root.find("iati-activity")
    assert activity.findtext("iati-identifier") == f"XM-DAC-00000-{hub.slug}"
    assert activity.find("reporting-org").get("secondary-reporter") == "1"
    titles = {n.get(XML): n.text for n in activity.find("title").findall("narrative")}
    assert titles == {
        "en": "Bilbao, city of values",
        "fr": "Bilbao, ville des valeurs",
        "es": "Bilbao, ciudad de valores",
    }
    orgs = [(o.get("role"), o.findtext("narrative")) for o in activity.findall("participating-org")]
    assert ("4", "Partner town") in orgs
    assert ("2", hub.lead_organization.name) in orgs
    assert activity.find("activity-status").get("code") == "2"
    dates = {d.get("type"): d.get("iso-date") for d in activity.findall("activity-date")}
    assert dates == {"2": hub.start_date.isoformat(), "3": hub.end_date.isoformat()}
    assert activity.find("recipient-country").get("code") == "FR"
    sectors = {(s.get("vocabulary"), s.get("code")) for s in activity.findall("sector")}
    assert sectors == {("7", "11"), ("7", "16"), ("8", "11.3")}
    assert activity.findtext("location/point/pos") == "43.26271 -2.92528"
    schema.assertValid(root)


@pytest.mark.django_db
def test_completed_initiative_is_closed_with_actual_end(client, schema):
    hub, _editor = make_hub(started_days_ago=800)
    hub.status = "completed"
    hub.save()

    activity = _get(client).find("iati-activity")

    assert activity.find("activity-status").get("code") == "4"
    dates = {d.get("type") for d in activity.findall("activity-date")}
    assert dates == {"2", "4"}


@pytest.mark.django_db
def test_only_public_initiatives_are_exported(client):
    make_hub(title="Public HUB")
    make_hub(title="Still a draft", status="draft")
    make_hub(title="Declined", status="declined")

    root = _get(client)

    titles = [a.findtext("title/narrative") for a in root.findall("iati-activity")]
    assert titles == ["Public HUB"]


@pytest.mark.django_db
def test_publisher_prefix_comes_from_settings(client, settings, schema):
    settings.IATI_PUBLISHER_REF = "XI-IATI-L4A"
    hub, _editor = make_hub()

    root = _get(client)

    activity = root.find("iati-activity")
    assert activity.findtext("iati-identifier") == f"XI-IATI-L4A-{hub.slug}"
    assert activity.find("reporting-org").get("ref") == "XI-IATI-L4A"
    schema.assertValid(root)


@pytest.mark.django_db
def test_schema_rejects_a_broken_activity(client, schema):
    """The check bites: an activity without its required reporting-org is refused."""
    _hub_with_everything()
    root = _get(client)
    activity = root.find("iati-activity")
    activity.remove(activity.find("reporting-org"))

    assert not schema.validate(root)


@pytest.mark.django_db
def test_export_queries_do_not_grow_with_initiatives(client, django_assert_max_num_queries):
    for n in range(3):
        _hub_with_everything(title=f"HUB {n}")
    with django_assert_max_num_queries(8):
        client.get(reverse("portal:iati"))


def test_planned_start_for_future_initiative():
    from local4action.initiatives.models import Initiative
    from local4action.portal.iati import _dates

    today = datetime.date(2026, 1, 1)
    initiative = Initiative(
        status="accompanied", start_date=datetime.date(2026, 6, 1), end_date=None, language="en"
    )

    assert _dates(initiative, today) == [("1", datetime.date(2026, 6, 1))]
