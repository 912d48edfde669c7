import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from local4action.accounts.models import Membership, Organization, User
from local4action.accounts.tests.factories import (
    PASSWORD,
    MembershipFactory,
    OrganizationFactory,
    UserFactory,
)
from local4action.core.testing import assert_queries_constant

SIGNUP = {
    "email": "maire@ville.example",
    "name": "Awa Diop",
    "password1": "Sahel-2030-Dakar",
    "password2": "Sahel-2030-Dakar",
}


def test_signup_sends_a_confirmation_in_the_visitor_language(client, db):
    response = client.post("/account/signup/", SIGNUP, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 302
    user = User.objects.get(email="maire@ville.example")
    assert (user.name, user.language) == ("Awa Diop", "fr")
    assert not EmailAddress.objects.get(user=user).verified
    [message] = mail.outbox
    assert message.subject == "[Local4Action] Confirmez votre adresse e-mail"
    assert re.search(r"/account/confirm-email/\S+/", message.body)


def test_signup_with_a_used_email_is_refused_clearly(client, user):
    response = client.post(
        "/account/signup/", {**SIGNUP, "email": user.email.upper()}, HTTP_ACCEPT_LANGUAGE="es"
    )
    assert response.status_code == 200
    assert "Ya hay registrado un usuario con esta dirección de correo electrónico." in (
        response.content.decode()
    )
    assert User.objects.count() == 1


def test_signup_with_a_weak_password_is_refused(client, db):
    response = client.post(
        "/account/signup/", {**SIGNUP, "password1": "12345678", "password2": "12345678"}
    )
    assert response.status_code == 200
    assert "too common" in response.content.decode()
    assert not User.objects.exists()


def test_expired_confirmation_link_says_so(client, db, settings):
    client.post("/account/signup/", SIGNUP)
    link = re.search(r"(/account/confirm-email/\S+/)", mail.outbox[0].body).group(1)
    settings.ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = -1
    response = client.get(link, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    assert "a expiré ou n'est pas valide" in response.content.decode()
    assert not EmailAddress.objects.get(email=SIGNUP["email"]).verified


def test_login_and_profile_show_the_user_in_their_language(client, db):
    user = UserFactory(language="es", time_zone="America/Bogota")
    response = client.post("/account/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    page = client.get(reverse("accounts:profile")).content.decode()
    assert 'lang="es"' in page
    assert "Mi perfil" in page


def test_profile_update_remembers_language_and_time_zone(client, user):
    client.force_login(user)
    response = client.post(
        reverse("accounts:profile"),
        {"name": "Ana", "language": "fr", "time_zone": "Africa/Dakar"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.language, user.time_zone) == ("fr", "Africa/Dakar")
    assert response.cookies["django_language"].value == "fr"


def test_profile_rejects_an_unknown_time_zone(client, user):
    client.force_login(user)
    response = client.post(
        reverse("accounts:profile"), {"name": "Ana", "language": "fr", "time_zone": "Mars/Base"}
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.time_zone == "UTC"


def test_language_switch_is_remembered_on_the_profile(client, user):
    client.force_login(user)
    client.post("/i18n/setlang/", {"language": "es", "next": "/"})
    user.refresh_from_db()
    assert user.language == "es"
    assert "Organizaciones" in client.get("/").content.decode()


def test_language_switch_for_visitors_uses_a_cookie(client, db):
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/sdg/"})
    assert response.status_code == 302 and response["Location"] == "/sdg/"
    assert "Objectifs de développement durable" in client.get("/sdg/").content.decode()


def test_register_organization_with_bad_input_keeps_nothing(client, user):
    user.language = "fr"
    user.save()
    client.force_login(user)
    url = reverse("accounts:organization_create")
    response = client.post(
        url,
        {
            "name": "",
            "kind": "local_government",
            "country": "FR",
            "latitude": "120",
            "longitude": "2",
        },
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Ce champ est obligatoire." in content
    assert "inférieure ou égale à 90" in content
    assert not Organization.objects.exists()


def test_register_organization_needs_both_coordinates(client, user):
    client.force_login(user)
    response = client.post(
        reverse("accounts:organization_create"),
        {"name": "Ville", "kind": "local_government", "country": "FR", "latitude": "45"},
    )
    assert response.status_code == 200
    assert "Give both latitude and longitude" in response.content.decode()
    assert not Organization.objects.exists()


def test_register_organization_rejects_a_file_that_is_not_an_image(client, user):
    client.force_login(user)
    fake = SimpleUploadedFile("logo.png", b"<script>alert(1)</script>", "image/png")
    response = client.post(
        reverse("accounts:organization_create"),
        {"name": "Ville", "kind": "local_government", "country": "FR", "logo": fake},
    )
    assert response.status_code == 200
    assert "Upload a valid image" in response.content.decode()
    assert not Organization.objects.exists()


def test_register_organization(client, user):
    client.force_login(user)
    response = client.post(
        reverse("accounts:organization_create"),
        {
            "name": "Ville de Lyon",
            "kind": "local_government",
            "country": "FR",
            "population": "522000",
            "latitude": "45.76404",
            "longitude": "4.83566",
        },
    )
    organization = Organization.objects.get()
    assert response["Location"] == organization.get_absolute_url()
    assert organization.status == "pending"
    page = client.get(organization.get_absolute_url()).content.decode()
    assert "Waiting for approval" in page


def test_pending_organization_page_is_hidden_from_others(client, user):
    pending = OrganizationFactory(status="pending")
    assert client.get(pending.get_absolute_url()).status_code == 404
    client.force_login(user)
    assert client.get(pending.get_absolute_url()).status_code == 404
    assert client.get(f"/api/v1/organizations/{pending.slug}").status_code == 404


def test_editing_from_a_stale_form_is_refused_with_a_message(client, organization, org_editor):
    client.force_login(org_editor)
    url = reverse("accounts:organization_edit", args=[organization.slug])
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k != "logo"}
    data["country"] = "FR"
    data["seen_updated_at"] = form.fields["seen_updated_at"].initial.isoformat()
    same = Organization.objects.get(pk=organization.pk)
    same.website = "https://first.example"
    same.save()
    data["website"] = "https://second.example"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Someone else saved this organization" in response.content.decode()
    organization.refresh_from_db()
    assert organization.website == "https://first.example"


def test_member_cannot_open_the_edit_page(client, organization, org_member):
    client.force_login(org_member)
    url = reverse("accounts:organization_edit", args=[organization.slug])
    assert client.get(url).status_code == 403


def test_join_then_accept_through_the_pages(client, organization, org_admin, user):
    client.force_login(user)
    client.post(reverse("accounts:organization_join", args=[organization.slug]))
    membership = Membership.objects.get(user=user)
    assert membership.status == "requested"
    client.force_login(org_admin)
    page = client.get(organization.get_absolute_url()).content.decode()
    assert "Requests to join" in page
    client.post(
        reverse("accounts:membership_action", args=[membership.pk]),
        {"action": "approve", "role": "editor"},
    )
    membership.refresh_from_db()
    assert (membership.status, membership.role) == ("active", "editor")


def test_guessing_a_membership_id_of_another_organization_changes_nothing(client, org_admin):
    stranger = MembershipFactory(status="requested")
    client.force_login(org_admin)
    response = client.post(
        reverse("accounts:membership_action", args=[stranger.pk]), {"action": "approve"}
    )
    assert response.status_code == 403
    stranger.refresh_from_db()
    assert stranger.status == "requested"


def test_secretariat_approves_from_the_organization_page(client, secretariat):
    pending = OrganizationFactory(status="pending")
    client.force_login(secretariat)
    assert pending.name in client.get(reverse("accounts:organization_pending")).content.decode()
    client.post(
        reverse("accounts:organization_decide", args=[pending.slug]),
        {"decision": "reject", "reason": ""},
    )
    pending.refresh_from_db()
    assert pending.status == "pending"
    client.post(
        reverse("accounts:organization_decide", args=[pending.slug]), {"decision": "approve"}
    )
    pending.refresh_from_db()
    assert pending.status == "approved"


def test_pending_list_is_for_the_secretariat_only(client, user):
    client.force_login(user)
    assert client.get(reverse("accounts:organization_pending")).status_code == 403


def test_organization_list_filters_and_keeps_its_query_count(client, db):
    def add(n):
        for _ in range(n):
            MembershipFactory(organization=OrganizationFactory(kind="regional_government"))

    assert_queries_constant(client, reverse("accounts:organizations"), add)
    OrganizationFactory(name="Ville de Nantes", kind="local_government")
    response = client.get(reverse("accounts:organizations"), {"q": "nantes"})
    assert list(response.context["page"]) == [Organization.objects.get(name="Ville de Nantes")]
    response = client.get(reverse("accounts:organizations"), {"kind": "local_government"})
    assert [o.name for o in response.context["page"]] == ["Ville de Nantes"]


def test_organization_page_query_count_does_not_grow_with_members(client, organization):
    assert_queries_constant(
        client,
        organization.get_absolute_url(),
        lambda n: [MembershipFactory(organization=organization) for _ in range(n)],
    )


@pytest.mark.parametrize(
    "url", ["/", "/sdg/", "/organizations/", "/account/login/", "/account/signup/"]
)
def test_public_pages_render_in_three_languages(client, db, url):
    for language, word in (
        ("en", "Organizations"),
        ("fr", "Organisations"),
        ("es", "Organizaciones"),
    ):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert f'lang="{language}"' in page and word in page
