"""Every admin page the secretariat uses opens, and taxonomies are editable by the secretariat."""

import pytest
from django.contrib import admin
from django.urls import reverse

from local4action.accounts.tests.factories import UserFactory
from local4action.core.models import RegionalSection


@pytest.mark.parametrize(
    "model_admin", list(admin.site._registry.values()), ids=lambda m: m.model._meta.label
)
def test_admin_changelist_and_add_pages_open(client, db, model_admin):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    opts = model_admin.model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert client.get(changelist).status_code == 200
    add = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
    assert add.status_code in (200, 403)


def test_secretariat_edits_taxonomies_in_the_admin(client, secretariat):
    client.force_login(secretariat)
    section = RegionalSection.objects.get(slug="africa")
    url = reverse("admin:core_regionalsection_change", args=[section.pk])
    response = client.post(
        url,
        {
            "slug": "africa",
            "name_en": "Africa",
            "name_fr": "Afrique",
            "name_es": "África (UCLG Africa)",
            "position": 0,
        },
    )
    assert response.status_code == 302
    section.refresh_from_db()
    assert section.name_es == "África (UCLG Africa)"


def test_other_people_cannot_open_the_admin(client, user):
    client.force_login(user)
    assert client.get(reverse("admin:index")).status_code == 302
