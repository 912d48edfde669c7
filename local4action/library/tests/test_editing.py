"""Writing a resource through the pages: who may, what a refusal looks like (the message, the
input kept, nothing saved), documents and links, submitting, and a HUB turned into a good
practice in one step."""

import pytest
from django.test import Client
from django.urls import reverse

from local4action.accounts.tests.factories import MembershipFactory
from local4action.core.models import AuditEvent, Goal
from local4action.library import services
from local4action.library.models import GoodPractice, Resource, ResourceFile, ResourceLink
from local4action.library.tests.factories import (
    EXE_BYTES,
    make_resource,
    pdf_bytes,
    pdf_upload,
    upload,
)
from local4action.monitoring.tests.factories import make_hub

pytestmark = pytest.mark.django_db


def details(**fields) -> dict:
    return {
        "kind": "toolkit",
        "language": "en",
        "title": "A toolkit for local budgets",
        "summary": "Step by step.",
        "licence": "cc-by-4.0",
        **fields,
    }


def draft_of(organization, editor, **fields) -> Resource:
    return services.resource_create(actor=editor, data=details(**fields), organization=organization)


# Creating ------------------------------------------------------------------------------------


def test_creating_asks_to_log_in_first(client):
    response = client.get(reverse("library:create"))

    assert response.status_code == 302 and "/account/login/" in response["Location"]


def test_a_plain_member_may_not_create(client, org_member):
    client.force_login(org_member)

    assert client.get(reverse("library:create")).status_code == 403
    assert client.post(reverse("library:create"), details()).status_code == 403
    assert not Resource.objects.exists()


def test_an_editor_creates_a_draft_for_their_organization(client, organization, org_editor):
    client.force_login(org_editor)

    response = client.post(
        reverse("library:create"),
        details(owner=organization.pk, goals=[Goal.objects.get(number=11).pk]),
    )

    resource = Resource.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("library:edit", args=[resource.slug])
    assert resource.status == "draft" and resource.owner_organization == organization
    assert list(resource.goals.values_list("number", flat=True)) == [11]


def test_a_resource_without_a_title_is_refused_with_a_message(client, organization, org_editor):
    client.force_login(org_editor)

    response = client.post(reverse("library:create"), details(owner=organization.pk, title=""))

    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not Resource.objects.exists()


def test_an_editor_may_not_write_in_the_name_of_another_organization(
    client, organization, org_editor
):
    other = MembershipFactory(role="editor").organization
    client.force_login(org_editor)

    response = client.post(reverse("library:create"), details(owner=other.pk))

    assert response.status_code == 400
    assert not Resource.objects.exists()


# Editing -------------------------------------------------------------------------------------


def test_a_stale_edit_keeps_the_input_and_saves_nothing(client, organization, org_editor):
    resource = draft_of(organization, org_editor)
    read_at = resource.version
    services.resource_update(actor=org_editor, resource=resource, data={"title": "Changed first"})
    client.force_login(org_editor)

    response = client.post(
        reverse("library:edit", args=[resource.slug]),
        details(title="My own better title", version=read_at),
    )

    content = response.content.decode()
    resource.refresh_from_db()
    assert response.status_code == 409
    assert "Someone else saved this resource" in content
    assert 'value="My own better title"' in content
    assert f'name="version" value="{resource.version}"' in content
    assert resource.title == "Changed first"


def test_an_edit_is_saved(client, organization, org_editor):
    resource = draft_of(organization, org_editor)
    client.force_login(org_editor)

    response = client.post(
        reverse("library:edit", args=[resource.slug]),
        details(title="Better title", version=resource.version, year="2024"),
    )

    resource.refresh_from_db()
    assert response.status_code == 302
    assert (resource.title, resource.year) == ("Better title", 2024)


def test_a_submitted_resource_is_no_longer_editable_by_its_team(client, organization, org_editor):
    resource = draft_of(organization, org_editor)
    services.resource_submit(actor=org_editor, resource=resource)
    client.force_login(org_editor)

    assert client.get(reverse("library:edit", args=[resource.slug])).status_code == 403
    response = client.post(
        reverse("library:edit", args=[resource.slug]), details(title="Sneaky", version=2)
    )
    assert response.status_code == 403
    resource.refresh_from_db()
    assert resource.title == "A toolkit for local budgets"


def test_someone_outside_the_team_cannot_see_the_editor(client, organization, org_editor, user):
    resource = draft_of(organization, org_editor)
    client.force_login(user)

    assert client.get(reverse("library:edit", args=[resource.slug])).status_code == 404


def test_forms_need_their_csrf_token(organization, org_editor):
    resource = draft_of(organization, org_editor)
    client = Client(enforce_csrf_checks=True)
    client.force_login(org_editor)

    response = client.post(reverse("library:submit", args=[resource.slug]))

    assert response.status_code == 403
    resource.refresh_from_db()
    assert resource.status == "draft"


def test_a_translation_is_added(client, organization, org_editor):
    resource = draft_of(organization, org_editor)
    client.force_login(org_editor)

    response = client.post(
        reverse("library:translation", args=[resource.slug]),
        {
            "translation-language": "fr",
            "translation-title": "Une boîte à outils",
            "translation-summary": "Pas à pas.",
        },
    )

    assert response.status_code == 302
    assert resource.translations.get().title == "Une boîte à outils"


# Documents and links --------------------------------------------------------------------------


def test_a_document_is_attached(client, organization, org_editor):
    resource = draft_of(organization, org_editor)
    client.force_login(org_editor)

    response = client.post(
        reverse("library:file_add", args=[resource.slug]),
        {"document-file": pdf_upload("guide.pdf", "A guide."), "document-language": "en"},
    )

    assert response.status_code == 302
    file = ResourceFile.objects.get()
    assert (file.resource, file.name, file.language) == (resource, "guide.pdf", "en")


def test_a_disguised_file_is_refused_beside_the_field(client, organization, org_editor):
    resource = draft_of(organization, org_editor)
    client.force_login(org_editor)

    response = client.post(
        reverse("library:file_add", args=[resource.slug]),
        {"document-file": upload("report.pdf", EXE_BYTES), "document-language": "en"},
    )

    content = response.content.decode()
    assert response.status_code == 400
    assert "does not match its extension" in content
    assert 'id="id_document-file_error"' in content  # beside the file field
    assert not ResourceFile.objects.exists()


def test_a_too_large_file_is_refused(client, organization, org_editor, settings):
    settings.LIBRARY_FILE_MAX_BYTES = 1000
    resource = draft_of(organization, org_editor)
    client.force_login(org_editor)

    response = client.post(
        reverse("library:file_add", args=[resource.slug]),
        {"document-file": pdf_upload("big.pdf", "Big. " * 200), "document-language": "en"},
    )

    assert response.status_code == 400
    assert "The file is too large" in response.content.decode()
    assert not ResourceFile.objects.exists()


def test_a_document_already_in_the_library_is_refused_naming_where(
    client, organization, org_editor
):
    first = draft_of(organization, org_editor, title="The first toolkit")
    services.resource_file_add(
        actor=org_editor, resource=first, uploaded=pdf_upload("a.pdf", "Same."), language="en"
    )
    second = draft_of(organization, org_editor, title="The second toolkit")
    client.force_login(org_editor)

    response = client.post(
        reverse("library:file_add", args=[second.slug]),
        {
            "document-file": upload("b.pdf", pdf_bytes("Same."), "application/pdf"),
            "document-language": "en",
        },
    )

    assert response.status_code == 400
    assert "already in the library" in response.content.decode()
    assert "The first toolkit" in response.content.decode()
    assert ResourceFile.objects.count() == 1


def test_a_document_is_removed_by_its_team_only(client, organization, org_editor, user):
    resource = draft_of(organization, org_editor)
    file = services.resource_file_add(
        actor=org_editor, resource=resource, uploaded=pdf_upload(), language="en"
    )
    url = reverse("library:file_remove", args=[file.pk])

    client.force_login(user)
    assert client.post(url).status_code == 404
    assert ResourceFile.objects.exists()
    client.force_login(org_editor)
    assert client.post(url).status_code == 302
    assert not ResourceFile.objects.exists()


def test_a_link_that_is_not_a_web_address_is_refused(client, organization, org_editor):
    resource = draft_of(organization, org_editor)
    client.force_login(org_editor)

    refused = client.post(
        reverse("library:link_add", args=[resource.slug]),
        {"link-url": "javascript:alert(1)", "link-label": "Click", "link-language": "en"},
    )
    added = client.post(
        reverse("library:link_add", args=[resource.slug]),
        {"link-url": "https://www.uclg.org/", "link-label": "UCLG", "link-language": "en"},
    )

    assert refused.status_code == 400
    assert "Enter a valid URL." in refused.content.decode()
    assert added.status_code == 302
    assert list(ResourceLink.objects.values_list("url", flat=True)) == ["https://www.uclg.org/"]


# Staff see the reading of documents ---------------------------------------------------------------


def test_staff_see_the_text_extraction_and_its_error(client, organization, org_editor, secretariat):
    resource = draft_of(organization, org_editor)
    file = services.resource_file_add(
        actor=org_editor, resource=resource, uploaded=pdf_upload(), language="en"
    )
    ResourceFile.objects.filter(pk=file.pk).update(
        extraction="failed", extraction_error="The PDF's fonts could not be read."
    )
    url = reverse("library:edit", args=[resource.slug])

    client.force_login(org_editor)
    team = client.get(url).content.decode()
    client.force_login(secretariat)
    staff = client.get(url).content.decode()

    assert "fonts could not be read" not in team
    assert "Reading failed" in staff and "fonts could not be read" in staff


# Submitting -------------------------------------------------------------------------------------


def test_an_incomplete_good_practice_is_not_submitted(client, organization, org_editor):
    resource = draft_of(organization, org_editor, kind="good_practice")
    client.force_login(org_editor)

    response = client.post(reverse("library:submit", args=[resource.slug]))

    assert response.status_code == 400
    assert "Fill in before submitting" in response.content.decode()
    resource.refresh_from_db()
    assert resource.status == "draft"


def test_a_complete_good_practice_is_submitted(client, organization, org_editor):
    resource = draft_of(organization, org_editor, kind="good_practice")
    client.force_login(org_editor)

    saved = client.post(
        reverse("library:case_study", args=[resource.slug]),
        {"context": "A city.", "what_was_done": "Workshops.", "results": "300 people came."},
    )
    submitted = client.post(reverse("library:submit", args=[resource.slug]))

    resource.refresh_from_db()
    assert saved.status_code == 302 and submitted.status_code == 302
    assert resource.case.results == "300 people came."
    assert resource.status == "submitted"
    assert AuditEvent.objects.filter(action="resource.submit").exists()


# A HUB turned into a good practice ------------------------------------------------------------


def test_the_hub_team_sees_the_button_and_visitors_do_not(client, organization):
    hub, editor = make_hub(organization=organization)
    url = hub.get_absolute_url()
    button = "Turn this HUB into a good practice"

    assert button not in client.get(url).content.decode()
    client.force_login(MembershipFactory(organization=organization, role="member").user)
    assert button not in client.get(url).content.decode()
    client.force_login(editor)
    assert button in client.get(url).content.decode()


def test_a_hub_becomes_a_draft_good_practice_once(client, organization):
    hub, editor = make_hub(organization=organization, title="Open budgets in Villeurbanne")
    client.force_login(editor)
    url = reverse("library:from_initiative", args=[hub.slug])

    first = client.post(url)
    second = client.post(url)

    practice = GoodPractice.objects.select_related("resource").get()
    assert practice.initiative == hub
    assert practice.resource.title == "Open budgets in Villeurbanne"
    assert practice.resource.status == "draft"
    edit = reverse("library:edit", args=[practice.resource.slug])
    assert first["Location"] == second["Location"] == edit + "#case-study"


def test_only_the_hub_team_turns_it_into_a_good_practice(client, organization, user):
    hub, _editor = make_hub(organization=organization)
    url = reverse("library:from_initiative", args=[hub.slug])

    assert client.post(url).status_code == 302  # to the login page
    client.force_login(user)
    assert client.post(url).status_code == 403
    assert client.get(url).status_code == 405
    assert not Resource.objects.exists()


def test_a_shared_hub_leads_to_its_good_practice(client, organization, secretariat):
    hub, editor = make_hub(organization=organization)
    resource = services.good_practice_from_initiative(actor=editor, initiative=hub)
    services.good_practice_update(
        actor=editor,
        resource=resource,
        data={"context": "C.", "what_was_done": "W.", "results": "R."},
    )
    services.resource_submit(actor=editor, resource=resource)
    client.force_login(editor)

    response = client.post(reverse("library:from_initiative", args=[hub.slug]))

    assert response["Location"] == resource.get_absolute_url()
    assert Resource.objects.count() == 1


def test_my_resources_lists_the_drafts_of_my_organizations(client, organization, org_editor):
    draft_of(organization, org_editor, title="Our own draft")
    make_resource(title="Someone else's", status="draft")
    client.force_login(org_editor)

    content = client.get(reverse("library:mine")).content.decode()

    assert "Our own draft" in content and "Someone else" not in content
    assert reverse("library:create") in content
