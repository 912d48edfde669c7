"""The library's writes: who may do what, what is refused (and left unsaved), the review
flow with its audit trail and notifications, good practices from HUBs, collections and
related resources."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from PIL import Image

from local4action.accounts.tests.factories import MembershipFactory, UserFactory
from local4action.core.models import AuditEvent, Goal, Notification, PolicyArea
from local4action.library import services
from local4action.library.models import (
    Collection,
    CollectionItem,
    GoodPractice,
    Resource,
    ResourceFile,
    ResourceLink,
    ResourceRelation,
)
from local4action.library.tests.factories import (
    make_collection,
    make_resource,
    pdf_upload,
    png_bytes,
    upload,
)
from local4action.monitoring import services as monitoring
from local4action.monitoring.tests.factories import make_hub, make_indicator
from local4action.network import similarity

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _trigram_engine(monkeypatch):
    # Relatedness is tested for its rules, not for e5's quality (network tests do that).
    engine = similarity.TrigramEngine()
    monkeypatch.setattr(similarity, "engine", lambda: engine)


def audits(action):
    return list(AuditEvent.objects.filter(action=action).values_list("object_id", flat=True))


def draft_data(**fields):
    return {
        "kind": "publication",
        "language": "en",
        "title": "Localizing finance",
        "summary": "How intermediary cities fund the SDGs.",
        **fields,
    }


def make_draft(editor, organization, **fields):
    return services.resource_create(
        actor=editor, organization=organization, data=draft_data(**fields)
    )


# Creating and editing --------------------------------------------------------------------


def test_an_editor_creates_a_draft_for_their_organization(org_editor, organization):
    goal = Goal.objects.get(number=11)
    resource = make_draft(org_editor, organization, goals=[goal.pk], year=2024)
    assert resource.status == "draft"
    assert resource.owner_organization == organization
    assert list(resource.goals.all()) == [goal]
    assert resource.slug == "localizing-finance"
    assert " financ " in resource.search_text
    assert audits("resource.create") == [str(resource.pk)]


def test_same_title_gets_another_address(org_editor, organization):
    first = make_draft(org_editor, organization)
    second = make_draft(org_editor, organization)
    assert first.slug != second.slug


def test_a_good_practice_gets_its_case_study(org_editor, organization):
    resource = make_draft(org_editor, organization, kind="good_practice")
    assert GoodPractice.objects.filter(resource=resource).exists()


@pytest.mark.parametrize("role", ["member", None])
def test_who_does_not_edit_for_the_organization_cannot_create(organization, role):
    person = UserFactory()
    if role:
        MembershipFactory(user=person, organization=organization, role=role)
    with pytest.raises(PermissionDenied):
        make_draft(person, organization)
    assert not Resource.objects.exists()


def test_only_staff_create_without_an_organization(org_editor, secretariat):
    with pytest.raises(PermissionDenied):
        services.resource_create(actor=org_editor, data=draft_data())
    assert not Resource.objects.exists()
    resource = services.resource_create(actor=secretariat, data=draft_data())
    assert resource.owner_organization is None


@pytest.mark.parametrize("title", ["", "   ", None])
def test_a_resource_needs_a_title(org_editor, organization, title):
    with pytest.raises(ValidationError) as error:
        make_draft(org_editor, organization, title=title)
    assert "Give the resource a title." in error.value.message_dict["title"]
    assert not Resource.objects.exists()
    assert not AuditEvent.objects.filter(action="resource.create").exists()


@pytest.mark.parametrize("year", [1949, 2101, 0, -5])
def test_a_year_outside_1950_2100_is_refused(org_editor, organization, year):
    with pytest.raises(ValidationError) as error:
        make_draft(org_editor, organization, year=year)
    assert "between 1950 and 2100" in error.value.message_dict["year"][0]
    assert not Resource.objects.exists()


@pytest.mark.parametrize("year", [1950, 2100, None, ""])
def test_years_within_bounds_or_none_are_kept(org_editor, organization, year):
    resource = make_draft(org_editor, organization, year=year)
    assert resource.year == (year or None)


def test_an_unknown_kind_or_related_id_is_refused(org_editor, organization):
    with pytest.raises(ValidationError):
        make_draft(org_editor, organization, kind="novel")
    with pytest.raises(ValidationError) as error:
        make_draft(org_editor, organization, goals=[999])
    assert "goals" in error.value.message_dict
    assert not Resource.objects.exists()


def test_an_editor_cannot_link_internal_actions_or_threads(org_editor, organization):
    # Silently left aside (the form does not offer them), never an error page.
    resource = make_draft(org_editor, organization, threads=[12345])
    assert not resource.threads.exists()


def test_the_cover_is_re_encoded(org_editor, organization):
    cover = upload("cover.png", png_bytes(size=(3000, 1000)), "image/png")
    resource = make_draft(org_editor, organization, cover=cover)
    assert resource.cover.name.endswith(".jpg")
    with Image.open(resource.cover.path) as image:
        assert image.format == "JPEG"
        assert max(image.size) == services.COVER_MAX_PIXELS


@pytest.mark.parametrize(
    "name, content",
    [
        ("cover.png", b"%PDF-1.7\n" + b"x" * 100),  # a PDF in disguise
        ("cover.png", b"\x89PNG\r\n\x1a\n" + b"garbage" * 20),  # a broken picture
        ("cover.pdf", b"%PDF-1.7\n" + b"x" * 100),  # not a picture at all
    ],
)
def test_a_bad_cover_is_refused(org_editor, organization, name, content):
    with pytest.raises(ValidationError) as error:
        make_draft(org_editor, organization, cover=upload(name, content))
    assert "cover" in error.value.message_dict
    assert not Resource.objects.exists()


def test_an_update_bumps_the_version_and_refreshes_the_search(org_editor, organization):
    resource = make_draft(org_editor, organization)
    services.resource_update(
        actor=org_editor,
        resource=resource,
        data={"title": "Resilient water systems"},
        expected_version=1,
    )
    resource.refresh_from_db()
    assert resource.version == 2
    assert " water " in resource.search_text
    assert " financ " not in resource.search_text
    event = AuditEvent.objects.get(action="resource.update")
    assert event.changes["title"] == ["Localizing finance", "Resilient water systems"]


def test_a_stale_form_cannot_overwrite_a_newer_edit(org_editor, organization):
    resource = make_draft(org_editor, organization)
    services.resource_update(actor=org_editor, resource=resource, data={"title": "First"})
    with pytest.raises(services.StaleResource):
        services.resource_update(
            actor=org_editor, resource=resource, data={"title": "Second"}, expected_version=1
        )
    resource.refresh_from_db()
    assert (resource.title, resource.version) == ("First", 2)


def test_an_invalid_update_saves_nothing(org_editor, organization):
    resource = make_draft(org_editor, organization)
    with pytest.raises(ValidationError):
        services.resource_update(
            actor=org_editor, resource=resource, data={"title": "Kept?", "year": 1800}
        )
    resource.refresh_from_db()
    assert (resource.title, resource.year, resource.version) == ("Localizing finance", None, 1)


def test_the_team_cannot_edit_once_submitted(org_editor, organization):
    resource = make_draft(org_editor, organization)
    services.resource_submit(actor=org_editor, resource=resource)
    with pytest.raises(PermissionDenied):
        services.resource_update(actor=org_editor, resource=resource, data={"title": "Changed"})
    resource.refresh_from_db()
    assert resource.title == "Localizing finance"


def test_translations_are_added_replaced_and_removed(org_editor, organization):
    resource = make_draft(org_editor, organization)
    services.resource_translation_set(
        actor=org_editor, resource=resource, language="fr", title="Financer les villes"
    )
    resource.refresh_from_db()
    assert " vill " in resource.search_text
    services.resource_translation_set(
        actor=org_editor, resource=resource, language="fr", title="Budgets municipaux"
    )
    assert resource.translations.get().title == "Budgets municipaux"
    services.resource_translation_set(actor=org_editor, resource=resource, language="fr", title="")
    resource.refresh_from_db()
    assert not resource.translations.exists()
    assert " municipal " not in resource.search_text


def test_a_translation_in_the_original_language_is_refused(org_editor, organization):
    resource = make_draft(org_editor, organization)
    with pytest.raises(ValidationError):
        services.resource_translation_set(
            actor=org_editor, resource=resource, language="en", title="Twice"
        )
    with pytest.raises(ValidationError):
        services.resource_translation_set(
            actor=org_editor, resource=resource, language="fr", title=" ", summary="Sans titre"
        )
    assert not resource.translations.exists()


def test_the_case_study_is_searchable(org_editor, organization):
    resource = make_draft(org_editor, organization, kind="good_practice")
    services.good_practice_update(
        actor=org_editor, resource=resource, data={"context": "Droughts hit the orchards."}
    )
    resource.refresh_from_db()
    assert " orchard " in resource.search_text


def test_a_publication_has_no_case_study(org_editor, organization):
    resource = make_draft(org_editor, organization)
    with pytest.raises(ValidationError):
        services.good_practice_update(actor=org_editor, resource=resource, data={"context": "x"})


# Links ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "ftp://files.example.org/report.pdf",
        "www.example.org",
        "not a web address",
        "",
        "https://" + "a" * 600 + ".org",
    ],
)
def test_a_link_must_be_an_http_address(org_editor, organization, url):
    resource = make_draft(org_editor, organization)
    with pytest.raises(ValidationError) as error:
        services.resource_link_add(
            actor=org_editor, resource=resource, url=url, label="Report", language="en"
        )
    assert "url" in error.value.message_dict
    assert not ResourceLink.objects.exists()


def test_a_link_is_added_and_removed(org_editor, organization):
    resource = make_draft(org_editor, organization)
    link = services.resource_link_add(
        actor=org_editor,
        resource=resource,
        url=" https://example.org/report ",
        label="Report",
        language="en",
    )
    assert link.url == "https://example.org/report"
    services.resource_link_remove(actor=org_editor, link=link)
    assert not ResourceLink.objects.exists()
    assert audits("resource.link_add") == audits("resource.link_remove") == [str(resource.pk)]


def test_a_stranger_cannot_add_a_link(org_editor, organization, other_user):
    resource = make_draft(org_editor, organization)
    with pytest.raises(PermissionDenied):
        services.resource_link_add(
            actor=other_user, resource=resource, url="https://example.org", label="x", language="en"
        )
    assert not ResourceLink.objects.exists()


# Review and publication ------------------------------------------------------------------------


def test_submit_needs_a_summary(org_editor, organization):
    resource = make_draft(org_editor, organization, summary="  ")
    with pytest.raises(ValidationError) as error:
        services.resource_submit(actor=org_editor, resource=resource)
    assert "summary" in error.value.messages[0]
    resource.refresh_from_db()
    assert resource.status == "draft"


def test_a_good_practice_needs_its_case_before_submitting(org_editor, organization):
    resource = make_draft(org_editor, organization, kind="good_practice")
    with pytest.raises(ValidationError) as error:
        services.resource_submit(actor=org_editor, resource=resource)
    assert "context, what was done, results" in error.value.messages[0]
    services.good_practice_update(
        actor=org_editor,
        resource=resource,
        data={"context": "c", "what_was_done": "w", "results": "r"},
    )
    assert services.resource_submit(actor=org_editor, resource=resource).status == "submitted"


def test_submit_notifies_the_secretariat(org_editor, organization, secretariat):
    resource = make_draft(org_editor, organization)
    services.resource_submit(actor=org_editor, resource=resource)
    resource.refresh_from_db()
    assert resource.status == "submitted" and resource.submitted_at
    notification = Notification.objects.get(kind="library_submitted")
    assert notification.recipient == secretariat
    assert notification.context["title"] == "Localizing finance"
    assert audits("resource.submit") == [str(resource.pk)]


def test_submit_twice_is_refused(org_editor, organization):
    resource = make_draft(org_editor, organization)
    services.resource_submit(actor=org_editor, resource=resource)
    with pytest.raises((ValidationError, PermissionDenied)):
        services.resource_submit(actor=org_editor, resource=resource)


def test_staff_publish_into_a_collection_and_the_team_hears_of_it(
    org_editor, organization, secretariat, django_capture_on_commit_callbacks
):
    resource = make_draft(org_editor, organization)
    services.resource_submit(actor=org_editor, resource=resource)
    collection = make_collection()
    with django_capture_on_commit_callbacks(execute=True):
        services.resource_publish(actor=secretariat, resource=resource, collection=collection)
    resource.refresh_from_db()
    assert resource.status == "published" and resource.published_at
    assert list(collection.resources.all()) == [resource]
    notification = Notification.objects.get(kind="library_published")
    assert notification.recipient == org_editor
    assert audits("resource.publish") == [str(resource.pk)]
    assert audits("collection.add") == [str(collection.pk)]


def test_the_team_cannot_publish(org_editor, organization):
    resource = make_draft(org_editor, organization)
    services.resource_submit(actor=org_editor, resource=resource)
    with pytest.raises(PermissionDenied):
        services.resource_publish(actor=org_editor, resource=resource)
    resource.refresh_from_db()
    assert resource.status == "submitted" and resource.published_at is None


def test_staff_publish_their_own_draft_but_not_a_teams(org_editor, organization, secretariat):
    own = services.resource_create(actor=secretariat, data=draft_data())
    assert services.resource_publish(actor=secretariat, resource=own).status == "published"
    teams = make_draft(org_editor, organization)
    with pytest.raises(ValidationError):
        services.resource_publish(actor=secretariat, resource=teams)
    teams.refresh_from_db()
    assert teams.status == "draft"


def test_return_needs_a_note_and_tells_the_team(org_editor, organization, secretariat):
    resource = make_draft(org_editor, organization)
    services.resource_submit(actor=org_editor, resource=resource)
    with pytest.raises(ValidationError):
        services.resource_return(actor=secretariat, resource=resource, note="  ")
    resource.refresh_from_db()
    assert resource.status == "submitted"
    services.resource_return(actor=secretariat, resource=resource, note="Add the figures.")
    resource.refresh_from_db()
    assert (resource.status, resource.review_note) == ("returned", "Add the figures.")
    notification = Notification.objects.get(kind="library_returned")
    assert notification.recipient == org_editor
    assert notification.context["note"] == "Add the figures."
    assert AuditEvent.objects.get(action="resource.return").reason == "Add the figures."
    # Returned: the team edits and submits again.
    services.resource_update(actor=org_editor, resource=resource, data={"summary": "Figures."})
    assert services.resource_submit(actor=org_editor, resource=resource).status == "submitted"


def test_the_team_cannot_return(org_editor, organization):
    resource = make_draft(org_editor, organization)
    services.resource_submit(actor=org_editor, resource=resource)
    with pytest.raises(PermissionDenied):
        services.resource_return(actor=org_editor, resource=resource, note="No")
    resource.refresh_from_db()
    assert resource.status == "submitted"


def test_withdraw_needs_a_reason_and_a_published_resource(secretariat):
    resource = make_resource()
    draft = make_resource(status="draft")
    with pytest.raises(ValidationError):
        services.resource_withdraw(actor=secretariat, resource=resource, reason="")
    with pytest.raises(ValidationError):
        services.resource_withdraw(actor=secretariat, resource=draft, reason="Outdated")
    services.resource_withdraw(actor=secretariat, resource=resource, reason="Outdated")
    resource.refresh_from_db()
    assert resource.status == "withdrawn"
    assert AuditEvent.objects.get(action="resource.withdraw").reason == "Outdated"


def test_only_staff_withdraw(org_editor):
    resource = make_resource()
    with pytest.raises(PermissionDenied):
        services.resource_withdraw(actor=org_editor, resource=resource, reason="Mine")
    resource.refresh_from_db()
    assert resource.status == "published"


def test_downloads_are_counted_with_an_increment(org_editor, organization):
    resource = make_draft(org_editor, organization)
    stored = services.resource_file_add(
        actor=org_editor, resource=resource, uploaded=pdf_upload(), language="en"
    )
    services.file_downloaded(file=stored)
    services.file_downloaded(file=stored)  # a stale object: the count is still right
    assert ResourceFile.objects.get(pk=stored.pk).downloads == 2


# Good practice from a HUB ----------------------------------------------------------------------


@pytest.fixture
def hub_with_results():
    hub, editor = make_hub(title="Participatory budgets in Villa Nueva")
    hub.summary = "<p>Neighbourhoods decide a share of the budget.</p>"
    hub.language = "es"
    hub.save()
    hub.goals.set([Goal.objects.get(number=16)])
    hub.policy_areas.set(PolicyArea.objects.all()[:1])
    indicator = make_indicator(hub, editor, name="Assemblies held", unit="assemblies")
    monitoring.measurement_add(
        actor=editor,
        indicator=indicator,
        date=hub.start_date + datetime.timedelta(days=30),
        value=Decimal("40"),
    )
    monitoring.deliverable_save(
        actor=editor,
        initiative=hub,
        data={
            "title": "Citizen assembly handbook",
            "due_date": hub.start_date + datetime.timedelta(days=60),
            "status": "delivered",
            "delivered_on": hub.start_date + datetime.timedelta(days=50),
        },
    )
    return hub, editor


def test_a_hub_becomes_a_good_practice_prefilled(hub_with_results):
    hub, editor = hub_with_results
    resource = services.good_practice_from_initiative(actor=editor, initiative=hub)
    assert (resource.kind, resource.status, resource.language) == ("good_practice", "draft", "es")
    assert resource.title == hub.title
    assert resource.summary == "Neighbourhoods decide a share of the budget."
    assert resource.owner_organization == hub.lead_organization
    assert list(resource.initiatives.all()) == [hub]
    assert list(resource.goals.values_list("number", flat=True)) == [16]
    assert resource.policy_areas.count() == 1
    assert resource.countries == [hub.lead_organization.country]
    case = resource.case
    assert case.initiative == hub
    assert "Citizen assembly handbook" in case.what_was_done
    # Figures in plain language, in the HUB's language.
    assert "Assemblies held" in case.results and "40" in case.results
    assert "1 de 1" in case.results or "1 of 1" in case.results
    assert case.context == resource.summary
    assert hub.lead_organization.name in case.contact
    assert audits("resource.from_initiative") == [str(resource.pk)]


def test_turning_a_hub_twice_returns_the_same_draft(hub_with_results, secretariat):
    hub, editor = hub_with_results
    first = services.good_practice_from_initiative(actor=editor, initiative=hub)
    again = services.good_practice_from_initiative(actor=editor, initiative=hub)
    assert again == first
    services.resource_submit(actor=editor, resource=first)
    services.resource_publish(actor=secretariat, resource=first)
    assert services.good_practice_from_initiative(actor=editor, initiative=hub) == first
    services.resource_withdraw(actor=secretariat, resource=first, reason="Rewritten")
    fresh = services.good_practice_from_initiative(actor=editor, initiative=hub)
    assert fresh != first
    assert Resource.objects.count() == 2


def test_only_the_hubs_team_or_staff_turn_it(hub_with_results, other_user, secretariat):
    hub, _editor = hub_with_results
    with pytest.raises(PermissionDenied):
        services.good_practice_from_initiative(actor=other_user, initiative=hub)
    assert not Resource.objects.exists()
    assert services.good_practice_from_initiative(actor=secretariat, initiative=hub)


def test_a_draft_initiative_is_not_a_good_practice():
    hub, editor = make_hub(status="draft")
    with pytest.raises(ValidationError):
        services.good_practice_from_initiative(actor=editor, initiative=hub)
    assert not Resource.objects.exists()


# Collections -----------------------------------------------------------------------------------


def test_staff_curate_a_collection(secretariat):
    collection = services.collection_create(
        actor=secretariat, title="Localizing finance", introduction="Where the money is."
    )
    a, b, c = make_resource(), make_resource(), make_resource()
    services.collection_set_items(
        actor=secretariat, collection=collection, resource_ids=[c.pk, a.pk]
    )
    services.collection_add(actor=secretariat, collection=collection, resource=b)
    services.collection_add(actor=secretariat, collection=collection, resource=a)  # already in
    items = CollectionItem.objects.filter(collection=collection)
    assert list(items.values_list("resource_id", "position")) == [(c.pk, 1), (a.pk, 2), (b.pk, 3)]
    services.collection_set_items(actor=secretariat, collection=collection, resource_ids=[b.pk])
    assert list(collection.resources.all()) == [b]
    services.collection_update(actor=secretariat, collection=collection, data={"published": True})
    collection.refresh_from_db()
    assert collection.published
    assert audits("collection.create") == [str(collection.pk)]
    assert len(audits("collection.items")) == 2
    assert len(audits("collection.add")) == 1
    assert audits("collection.update") == [str(collection.pk)]


def test_a_collection_needs_a_title(secretariat):
    with pytest.raises(ValidationError):
        services.collection_create(actor=secretariat, title="  ")
    collection = make_collection(title="Kept")
    with pytest.raises(ValidationError):
        services.collection_update(actor=secretariat, collection=collection, data={"title": ""})
    collection.refresh_from_db()
    assert collection.title == "Kept"
    assert Collection.objects.count() == 1


def test_collection_items_are_checked(secretariat):
    collection = make_collection()
    resource = make_resource()
    services.collection_set_items(
        actor=secretariat, collection=collection, resource_ids=[resource.pk]
    )
    for ids in ([resource.pk, resource.pk], [resource.pk, 987654], ["x"]):
        with pytest.raises(ValidationError):
            services.collection_set_items(
                actor=secretariat, collection=collection, resource_ids=ids
            )
    assert list(collection.resources.all()) == [resource]


def test_only_staff_touch_collections(org_editor):
    collection = make_collection()
    resource = make_resource()
    with pytest.raises(PermissionDenied):
        services.collection_create(actor=org_editor, title="Mine")
    with pytest.raises(PermissionDenied):
        services.collection_add(actor=org_editor, collection=collection, resource=resource)
    with pytest.raises(PermissionDenied):
        services.collection_update(actor=org_editor, collection=collection, data={"title": "x"})
    assert not CollectionItem.objects.exists()
    assert Collection.objects.get().title == collection.title


# Related resources -----------------------------------------------------------------------------


def relations_of(resource):
    return list(ResourceRelation.objects.filter(resource=resource).values_list("other", flat=True))


def test_related_resources_are_the_closest_ones_both_ways():
    water = Goal.objects.get(number=6)
    mine = make_resource(title="Rainwater harvesting in schools", goals=[water])
    close = make_resource(title="Rainwater harvesting for markets", goals=[water])
    far = make_resource(title="Feminist municipal leadership", summary="Leadership school.")
    services.relations_refresh(resource=mine)
    related = relations_of(mine)
    assert related[0] == close.pk
    assert set(related) <= {close.pk, far.pk}
    # The reverse pair: the close one now lists it too.
    assert mine.pk in relations_of(close)
    scores = dict(ResourceRelation.objects.filter(resource=mine).values_list("other", "score"))
    assert scores[close.pk] > scores.get(far.pk, 0)


def test_related_resources_are_refreshed_in_place():
    mine = make_resource(title="Rainwater harvesting in schools")
    make_resource(title="Rainwater harvesting for markets")
    services.relations_refresh(resource=mine)
    before = list(ResourceRelation.objects.values_list("resource", "other", "score"))
    services.relations_refresh(resource=mine)
    assert list(ResourceRelation.objects.values_list("resource", "other", "score")) == before


def test_each_keeps_at_most_five_related():
    resources = [make_resource(title=f"Rainwater harvesting guide {n}") for n in range(8)]
    for resource in resources:
        services.relations_refresh(resource=resource)
    for resource in resources:
        assert len(relations_of(resource)) <= services.RELATED
    assert len(relations_of(resources[0])) == services.RELATED


def test_unpublished_resources_have_no_relations(secretariat):
    mine = make_resource(title="Rainwater harvesting in schools")
    other = make_resource(title="Rainwater harvesting for markets")
    draft = make_resource(title="Rainwater harvesting draft", status="draft")
    services.relations_refresh(resource=mine)
    assert draft.pk not in relations_of(mine)
    services.relations_refresh(resource=draft)
    assert relations_of(draft) == []
    services.resource_withdraw(actor=secretariat, resource=other, reason="Outdated")
    assert other.pk not in relations_of(mine)
    assert relations_of(other) == []


def test_publishing_queues_the_relations(
    org_editor, organization, secretariat, django_capture_on_commit_callbacks
):
    make_resource(title="Localizing finance in small towns")
    resource = make_draft(org_editor, organization)
    services.resource_submit(actor=org_editor, resource=resource)
    with django_capture_on_commit_callbacks(execute=True):
        services.resource_publish(actor=secretariat, resource=resource)
    assert relations_of(resource)


def test_editing_a_published_resource_queues_the_relations(
    secretariat, django_capture_on_commit_callbacks
):
    mine = make_resource(title="Feminist municipal leadership")
    other = make_resource(title="Rainwater harvesting for markets")
    with django_capture_on_commit_callbacks(execute=True):
        services.resource_update(
            actor=secretariat, resource=mine, data={"title": "Rainwater harvesting in schools"}
        )
    assert relations_of(mine) == [other.pk]
