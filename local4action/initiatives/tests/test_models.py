"""What the database itself refuses, whatever code writes to it."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from local4action.initiatives.models import Initiative, InitiativeTranslation, Location


@pytest.fixture
def initiative(organization):
    return Initiative.objects.create(
        slug="participation-for-all", title="Participation for all", lead_organization=organization
    )


def _refused_by_the_database(create) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_a_valid_initiative_is_saved(initiative):
    initiative.full_clean()
    assert (initiative.status, initiative.labelled_at, initiative.is_public) == (
        "draft",
        None,
        False,
    )


def test_an_end_before_the_start_is_refused(organization, initiative):
    dates = {"start_date": datetime.date(2027, 6, 1), "end_date": datetime.date(2027, 5, 31)}
    _refused_by_the_database(
        lambda: Initiative.objects.create(
            slug="backwards", title="Backwards", lead_organization=organization, **dates
        )
    )
    _refused_by_the_database(lambda: Initiative.objects.filter(pk=initiative.pk).update(**dates))
    with pytest.raises(ValidationError):
        Initiative(
            slug="backwards", title="Backwards", lead_organization=organization, **dates
        ).full_clean()
    assert not Initiative.objects.filter(slug="backwards").exists()
    initiative.refresh_from_db()
    assert (initiative.start_date, initiative.end_date) == (None, None)


def test_a_single_day_initiative_and_open_dates_are_allowed(organization):
    day = datetime.date(2027, 6, 1)
    Initiative.objects.create(
        slug="one-day",
        title="One day",
        lead_organization=organization,
        start_date=day,
        end_date=day,
    )
    Initiative.objects.create(
        slug="open-ended", title="Open ended", lead_organization=organization, start_date=day
    )
    assert Initiative.objects.count() == 2


def test_a_labelled_initiative_without_its_label_date_is_refused(organization, initiative):
    _refused_by_the_database(
        lambda: Initiative.objects.create(
            slug="hub", title="A HUB", lead_organization=organization, status="labelled"
        )
    )
    _refused_by_the_database(
        lambda: Initiative.objects.filter(pk=initiative.pk).update(status="labelled")
    )
    assert _status(initiative) == "draft"
    Initiative.objects.filter(pk=initiative.pk).update(
        status="labelled", labelled_at=timezone.now()
    )
    assert _status(initiative) == "labelled"


def _status(initiative) -> str:
    initiative.refresh_from_db()
    return initiative.status


def test_an_empty_title_is_refused(organization, initiative):
    _refused_by_the_database(
        lambda: Initiative.objects.create(slug="untitled", title="", lead_organization=organization)
    )
    _refused_by_the_database(lambda: Initiative.objects.filter(pk=initiative.pk).update(title=""))
    with pytest.raises(ValidationError) as error:
        Initiative(slug="untitled", title="", lead_organization=organization).full_clean()
    assert "title" in error.value.message_dict
    initiative.refresh_from_db()
    assert initiative.title == "Participation for all"


def test_an_unknown_status_is_refused(initiative):
    _refused_by_the_database(
        lambda: Initiative.objects.filter(pk=initiative.pk).update(status="famous")
    )
    assert _status(initiative) == "draft"


@pytest.mark.parametrize(
    "latitude,longitude",
    [("90.00001", "0"), ("-90.5", "0"), ("0", "180.5"), ("0", "-181"), ("91", "-200")],
)
def test_a_location_outside_the_globe_is_refused(initiative, latitude, longitude):
    _refused_by_the_database(
        lambda: Location.objects.create(
            initiative=initiative,
            name="Nowhere",
            latitude=Decimal(latitude),
            longitude=Decimal(longitude),
        )
    )
    with pytest.raises(ValidationError):
        Location(
            initiative=initiative,
            name="Nowhere",
            latitude=Decimal(latitude),
            longitude=Decimal(longitude),
        ).full_clean()
    assert not Location.objects.exists()


@pytest.mark.parametrize(
    "latitude,longitude", [("90", "180"), ("-90", "-180"), ("43.26271", "-2.92528")]
)
def test_a_location_on_the_globe_is_saved(initiative, latitude, longitude):
    location = Location(
        initiative=initiative, name="Somewhere", latitude=latitude, longitude=longitude
    )
    location.full_clean()
    location.save()
    location.refresh_from_db()
    assert (location.latitude, location.longitude) == (Decimal(latitude), Decimal(longitude))


def test_one_translation_per_language(initiative):
    InitiativeTranslation.objects.create(
        initiative=initiative, language="fr", title="Participation pour tous"
    )
    _refused_by_the_database(
        lambda: InitiativeTranslation.objects.create(
            initiative=initiative, language="fr", title="La participation pour tous"
        )
    )
    assert initiative.translations.count() == 1
