"""The library in the admin: the secretariat may work there, sees how reading each file went
(with the reason of a failure), and cannot change the lifecycle or the files from it."""

import pytest
from django.urls import reverse

from local4action.library import selectors
from local4action.library.models import ResourceFile
from local4action.library.tests.factories import make_collection, make_resource
from local4action.library.tests.test_api import add_file

pytestmark = pytest.mark.django_db


def test_the_secretariat_has_the_librarys_admin_permissions(secretariat, user):
    for codename in ("change_resource", "add_collection", "change_collectionitem"):
        assert secretariat.has_perm(f"library.{codename}")
        assert not user.has_perm(f"library.{codename}")


def test_staff_see_a_failed_extraction_and_its_reason(client, secretariat):
    resource = make_resource(title="A scanned report")
    file = add_file(resource, name="scan.pdf")
    ResourceFile.objects.filter(pk=file.pk).update(
        extraction="failed", extraction_error="PdfReadError: EOF marker not found"
    )
    client.force_login(secretariat)

    page = client.get(reverse("admin:library_resource_change", args=[resource.pk]))
    listed = client.get(reverse("admin:library_resourcefile_changelist"), {"extraction": "failed"})

    assert page.status_code == 200
    assert "PdfReadError: EOF marker not found" in page.content.decode()
    assert "scan.pdf" in listed.content.decode()


def test_the_lifecycle_and_the_files_are_read_only_in_the_admin(client, secretariat):
    resource = make_resource(title="Published guide")
    file = add_file(resource)
    client.force_login(secretariat)

    page = client.get(reverse("admin:library_resource_change", args=[resource.pk]))
    form = page.context["adminform"].form

    assert "status" not in form.fields and "published_at" not in form.fields
    assert client.get(reverse("admin:library_resourcefile_add")).status_code == 403
    response = client.post(
        reverse("admin:library_resourcefile_change", args=[file.pk]), {"name": "renamed.pdf"}
    )
    assert response.status_code == 403
    file.refresh_from_db()
    assert file.name == "guide.pdf"


def test_the_collection_page_lists_its_items(client, secretariat):
    collection = make_collection(title="Resilience modules")
    first = make_resource(title="Module 1: understanding risk")
    collection.items.create(resource=first, position=1)
    client.force_login(secretariat)

    page = client.get(reverse("admin:library_collection_change", args=[collection.pk]))

    assert page.status_code == 200
    assert page.context["inline_admin_formsets"][0].formset.queryset.get().resource == first


def _post_data(page) -> dict:
    """What the change page's form would send back as it stands."""
    data = {}
    forms = [page.context["adminform"].form]
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        data.update(
            {management.add_prefix(name): management[name].value() for name in management.fields}
        )
        forms += list(formset.forms)
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False or hasattr(value, "field"):  # empty file fields
                continue
            data[form.add_prefix(name)] = value
    return data


def test_a_correction_in_the_admin_refreshes_the_search(client, secretariat):
    resource = make_resource(title="Municipal bonds", summary="A guide.")
    client.force_login(secretariat)
    url = reverse("admin:library_resource_change", args=[resource.pk])
    data = _post_data(client.get(url))
    data["title"] = "Municipal green bonds for adaptation"

    response = client.post(url, data)

    assert response.status_code == 302, response.context and response.context["errors"]
    assert selectors.library(selectors.Library(q="adaptation")).get() == resource
