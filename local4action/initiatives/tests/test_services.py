"""The rules on initiatives: who leads them, what is saved, and who closes them."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from local4action.accounts.tests.factories import MembershipFactory, OrganizationFactory
from local4action.core.models import AuditEvent, Goal
from local4action.initiatives import selectors, services
from local4action.initiatives.models import Initiative, InitiativeTranslation, Location


def _snapshot(obj) -> dict:
    obj.refresh_from_db()
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


@pytest.fixture
def initiative(organization, org_editor):
    return services.initiative_create_draft(
        actor=org_editor, organization=organization, title="Bilbao, city of values", language="es"
    )


def _in_status(initiative, status, actor=None):
    services.initiative_set_status(actor=actor, initiative=initiative, status=status)
    return initiative


# Creating ------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["local_government", "regional_government", "lrg_association"])
def test_a_local_or_regional_government_leads_a_draft_initiative(org_editor, kind):
    organization = OrganizationFactory(kind=kind)
    initiative = services.initiative_create_draft(
        actor=org_editor, organization=organization, title=" Participation for all ", language="en"
    )
    initiative.refresh_from_db()
    assert (initiative.title, initiative.status, initiative.language) == (
        "Participation for all",
        "draft",
        "en",
    )
    assert (initiative.lead_organization, initiative.created_by) == (organization, org_editor)
    assert initiative.slug == "participation-for-all"
    event = AuditEvent.objects.get(action="initiative.create")
    assert (event.actor, event.target) == (org_editor, initiative)


@pytest.mark.parametrize("kind", ["partner", "secretariat"])
def test_only_local_and_regional_governments_lead_initiatives(org_editor, kind):
    organization = OrganizationFactory(kind=kind)
    with pytest.raises(ValidationError) as error:
        services.initiative_create_draft(
            actor=org_editor, organization=organization, title="Funded action", language="en"
        )
    assert "local and regional governments" in error.value.messages[0]
    assert not Initiative.objects.exists()
    assert not AuditEvent.objects.exists()


def test_two_initiatives_with_the_same_title_get_distinct_addresses(organization, org_editor):
    first = services.initiative_create_draft(
        actor=org_editor, organization=organization, title="Youth dialogue", language="en"
    )
    second = services.initiative_create_draft(
        actor=org_editor, organization=organization, title="Youth dialogue", language="en"
    )
    assert (first.slug, second.slug) == ("youth-dialogue", "youth-dialogue-2")


def test_an_initiative_needs_a_title(organization, org_editor):
    with pytest.raises(ValidationError):
        services.initiative_create_draft(
            actor=org_editor, organization=organization, title="   ", language="en"
        )
    assert not Initiative.objects.exists()


# Updating ------------------------------------------------------------------------------------


def test_updating_saves_fields_and_relations(initiative):
    partner = OrganizationFactory(kind="partner")
    goals = list(Goal.objects.filter(number__in=[11, 16]))
    services.initiative_update(
        initiative=initiative,
        data={
            "summary": "Tres foros en línea.",
            "scale": "local",
            "start_date": datetime.date(2021, 1, 1),
            "end_date": datetime.date(2023, 12, 31),
            "goals": goals,
            "partners": [partner],
            "status": "labelled",  # not an editable field: ignored
        },
    )
    state = _snapshot(initiative)
    assert (state["summary"], state["scale"], state["status"]) == (
        "Tres foros en línea.",
        "local",
        "draft",
    )
    assert list(initiative.goals.order_by("number")) == goals
    assert list(initiative.partners.all()) == [partner]


def test_an_invalid_update_is_refused(initiative):
    before = _snapshot(initiative)
    with pytest.raises(ValidationError) as error:
        services.initiative_update(
            initiative=initiative,
            data={"website": "not a web address", "scale": "galactic"},
        )
    assert {"website", "scale"} <= set(error.value.message_dict)
    assert _snapshot(initiative) == before


def test_translations_are_saved_updated_and_removed_when_emptied(initiative):
    services.initiative_update(
        initiative=initiative,
        data={
            "translations": {
                "en": {"title": " Bilbao, city of values ", "summary": "Three online forums."},
                "fr": {"title": "Bilbao, ville de valeurs", "summary": ""},
            }
        },
    )
    assert {t.language: (t.title, t.summary) for t in initiative.translations.all()} == {
        "en": ("Bilbao, city of values", "Three online forums."),
        "fr": ("Bilbao, ville de valeurs", ""),
    }
    services.initiative_update(
        initiative=initiative,
        data={
            "translations": {
                "en": {"title": "Bilbao, a city of values", "summary": "Three forums."},
                "fr": {"title": "  ", "summary": "Un résumé sans titre"},
            }
        },
    )
    assert {t.language: (t.title, t.summary) for t in initiative.translations.all()} == {
        "en": ("Bilbao, a city of values", "Three forums."),
    }


def test_no_translation_into_the_original_language(initiative):
    services.initiative_update(
        initiative=initiative,
        data={"translations": {"es": {"title": "Bilbao, ciudad de valores", "summary": ""}}},
    )
    assert not InitiativeTranslation.objects.exists()


def test_locations_are_replaced_and_checked(initiative):
    services.initiative_update(
        initiative=initiative,
        data={"locations": [{"name": "Bilbao", "latitude": "43.26271", "longitude": "-2.92528"}]},
    )
    services.initiative_update(
        initiative=initiative,
        data={
            "locations": [
                {"name": "Bilbao", "latitude": Decimal("43.26"), "longitude": Decimal("-2.93")},
                {"name": "Getxo", "latitude": Decimal("43.35"), "longitude": Decimal("-3.01")},
            ]
        },
    )
    assert sorted(Location.objects.values_list("name", flat=True)) == ["Bilbao", "Getxo"]


def test_a_refused_update_keeps_the_previous_locations_and_fields(initiative):
    services.initiative_update(
        initiative=initiative,
        data={"locations": [{"name": "Bilbao", "latitude": "43.26", "longitude": "-2.93"}]},
    )
    before = _snapshot(initiative)
    with pytest.raises(ValidationError):
        services.initiative_update(
            initiative=initiative,
            data={
                "summary": "Changed",
                "locations": [
                    {"name": "Getxo", "latitude": "43.35", "longitude": "-3.01"},
                    {"name": "Nowhere", "latitude": 95, "longitude": 0},
                ],
            },
        )
    assert _snapshot(initiative) == before
    assert list(Location.objects.values_list("name", flat=True)) == ["Bilbao"]


# Status --------------------------------------------------------------------------------------


def test_granting_the_label_records_its_date_once(initiative, secretariat):
    _in_status(initiative, "labelled", secretariat)
    labelled_at = _snapshot(initiative)["labelled_at"]
    assert labelled_at is not None
    _in_status(initiative, "completed", secretariat)
    _in_status(initiative, "labelled", secretariat)
    assert _snapshot(initiative)["labelled_at"] == labelled_at
    first = AuditEvent.objects.filter(action="initiative.status").order_by("id").first()
    assert first.changes == {"status": ["draft", "labelled"]}


def test_an_unknown_status_is_refused(initiative, secretariat):
    before, events = _snapshot(initiative), AuditEvent.objects.count()
    with pytest.raises(ValidationError):
        services.initiative_set_status(actor=secretariat, initiative=initiative, status="famous")
    assert _snapshot(initiative) == before
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("status", ["labelled", "accompanied"])
def test_the_secretariat_completes_a_hub_or_an_accompanied_initiative(
    initiative, secretariat, status
):
    _in_status(initiative, status)
    services.initiative_complete(actor=secretariat, initiative=initiative)
    assert _snapshot(initiative)["status"] == "completed"
    event = AuditEvent.objects.filter(action="initiative.status").first()
    assert (event.actor, event.changes) == (secretariat, {"status": [status, "completed"]})


@pytest.mark.parametrize("who", ["org_admin", "org_editor", "user", "reviewer"])
def test_only_the_secretariat_completes(request, initiative, who):
    _in_status(initiative, "labelled")
    actor = request.getfixturevalue(who)
    before, events = _snapshot(initiative), AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        services.initiative_complete(actor=actor, initiative=initiative)
    assert _snapshot(initiative) == before
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("status", ["draft", "submitted", "declined", "withdrawn", "completed"])
def test_only_hubs_and_accompanied_initiatives_are_completed(initiative, secretariat, status):
    _in_status(initiative, status)
    before, events = _snapshot(initiative), AuditEvent.objects.count()
    with pytest.raises(ValidationError):
        services.initiative_complete(actor=secretariat, initiative=initiative)
    assert _snapshot(initiative) == before
    assert AuditEvent.objects.count() == events


# Reading -------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["draft", "submitted", "declined", "withdrawn"])
def test_an_initiative_that_is_not_public_is_hidden_from_outsiders(initiative, user, status):
    _in_status(initiative, status)
    outsider_admin = MembershipFactory(role="admin").user
    requested = MembershipFactory(
        organization=initiative.lead_organization, status="requested"
    ).user
    for person in (AnonymousUser(), user, outsider_admin, requested):
        with pytest.raises(Http404):
            selectors.initiative_get(user=person, slug=initiative.slug)


@pytest.mark.parametrize("who", ["org_member", "org_editor", "org_admin", "secretariat"])
def test_the_team_and_the_secretariat_see_a_draft(request, initiative, who):
    person = request.getfixturevalue(who)
    assert selectors.initiative_get(user=person, slug=initiative.slug) == initiative


@pytest.mark.parametrize("status", ["labelled", "accompanied", "completed"])
def test_hubs_and_accompanied_initiatives_are_public(initiative, status):
    _in_status(initiative, status)
    assert selectors.initiative_get(user=AnonymousUser(), slug=initiative.slug) == initiative


def test_an_unknown_address_is_not_found(user):
    with pytest.raises(Http404):
        selectors.initiative_get(user=user, slug="no-such-initiative")
