"""Bad input to the account and organization pages: a clear message, nothing changed, no 500."""

import pytest
from django.test import Client
from django.urls import reverse

from local4action.accounts.models import ApiToken, Membership, Organization
from local4action.accounts.tests.factories import MembershipFactory, OrganizationFactory

ORGANIZATION = {"name": "Ville", "kind": "local_government", "country": "FR"}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "x" * 151, "at most 150 characters"),
        ("language", "xx", "Select a valid choice"),
        ("time_zone", "", "This field is required"),
        ("time_zone", "Europe/Nowhere", "Select a valid choice"),
    ],
)
def test_a_bad_profile_field_is_explained_and_the_profile_unchanged(
    client, user, field, value, message
):
    # Given a person with a profile
    client.force_login(user)
    before = (user.name, user.language, user.time_zone)
    data = {"name": "Ana", "language": "fr", "time_zone": "Africa/Dakar", field: value}

    # When they save one bad field
    response = client.post(reverse("accounts:profile"), data)

    # Then the form says why and nothing was saved, not even the good fields
    assert response.status_code == 200
    assert message in response.content.decode()
    user.refresh_from_db()
    assert (user.name, user.language, user.time_zone) == before


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("population", "abc", "Enter a whole number"),
        ("population", "-1", "greater than or equal to 0"),
        ("population", str(10**20), "less than or equal to"),
        ("population", "³", "Enter a whole number"),
        ("name", "x" * 201, "at most 200 characters"),
        ("name", "   ", "This field is required"),
        ("kind", "empire", "Select a valid choice"),
        ("country", "XX", "Select a valid choice"),
        ("regional_section", "999999", "Select a valid choice"),
        ("regional_section", "abc", "Select a valid choice"),
        ("website", "javascript:alert(1)", "Enter a valid URL"),
        ("latitude", "abc", "Enter a number"),
        ("longitude", "-181", "greater than or equal to -180"),
    ],
)
def test_registering_an_organization_with_a_bad_field_keeps_nothing(
    client, user, field, value, message
):
    # Given a signed-in person
    client.force_login(user)

    # When they register an organization with one bad field
    response = client.post(reverse("accounts:organization_create"), {**ORGANIZATION, field: value})

    # Then the form shows the reason and no organization exists
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Organization.objects.exists()
    assert not Membership.objects.exists()


def test_a_bad_organization_is_explained_in_french(client, user):
    # A signed-in person reads the pages in their profile's language.
    user.language = "fr"
    user.save()
    client.force_login(user)
    response = client.post(
        reverse("accounts:organization_create"), {**ORGANIZATION, "population": "abc"}
    )
    assert "Saisissez un nombre entier." in response.content.decode()
    assert not Organization.objects.exists()


def test_registering_an_organization_without_the_csrf_token_keeps_nothing(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post(reverse("accounts:organization_create"), ORGANIZATION)
    assert response.status_code == 403
    assert not Organization.objects.exists()


def test_a_bad_edit_keeps_the_organization_as_it_was(client, organization, org_editor):
    # Given an editor of an organization
    client.force_login(org_editor)
    before = Organization.objects.values().get(pk=organization.pk)

    # When they save it with an empty name and a negative population
    url = reverse("accounts:organization_edit", args=[organization.slug])
    response = client.post(url, {**ORGANIZATION, "name": "", "population": "-5"})

    # Then nothing changed
    assert response.status_code == 200
    assert Organization.objects.values().get(pk=organization.pk) == before


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "This field is required."),
        ("   ", "This field is required."),
        ("x" * 101, "at most 100"),
    ],
)
def test_an_api_token_with_a_bad_name_is_not_created(client, user, name, message):
    client.force_login(user)
    response = client.post(reverse("accounts:api_token_create"), {"token-name": name})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ApiToken.objects.exists()


def test_revoking_someone_elses_token_is_not_found_and_keeps_it(client, user, other_user):
    # Given a token of someone else
    from local4action.accounts.services import api_token_create

    token, _secret = api_token_create(actor=other_user, name="Their script")
    client.force_login(user)

    # When its id is posted to the revoke page
    response = client.post(reverse("accounts:api_token_revoke", args=[token.pk]))

    # Then it is not found and stays usable
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


@pytest.mark.parametrize("pk", [999999, 10**20])
def test_an_unknown_token_or_membership_id_is_not_found(client, user, pk):
    client.force_login(user)
    assert client.post(f"/profile/api-tokens/{pk}/revoke/").status_code == 404
    assert client.post(f"/memberships/{pk}/", {"action": "remove"}).status_code == 404


@pytest.mark.parametrize("language", ["en", "fr"])
def test_an_unknown_membership_action_is_explained_and_changes_nothing(
    client, organization, org_admin, language
):
    # Given a request to join
    membership = MembershipFactory(organization=organization, status="requested")
    org_admin.language = language
    org_admin.save()
    client.force_login(org_admin)

    # When the admin posts an action the page does not offer
    response = client.post(
        reverse("accounts:membership_action", args=[membership.pk]),
        {"action": "promote-to-owner"},
        follow=True,
    )

    # Then the page says so in their language and the request is untouched
    expected = {"en": "Unknown action.", "fr": "Action inconnue."}[language]
    assert expected in response.content.decode()
    membership.refresh_from_db()
    assert (membership.status, membership.role) == ("requested", "member")


def test_an_unknown_role_is_refused_and_changes_nothing(client, organization, org_admin):
    membership = MembershipFactory(organization=organization, status="active", role="member")
    client.force_login(org_admin)
    response = client.post(
        reverse("accounts:membership_action", args=[membership.pk]),
        {"action": "role", "role": "emperor"},
        follow=True,
    )
    assert response.status_code == 200
    assert "emperor" not in [m.message for m in response.context["messages"]]
    assert len(list(response.context["messages"])) == 1
    membership.refresh_from_db()
    assert membership.role == "member"


@pytest.mark.parametrize(
    "query",
    ["page=-1", f"page={10**20}", "page=abc", "kind=empire", "section=abc", "q=" + "x" * 5000],
)
def test_the_organization_list_survives_odd_queries(client, db, query):
    OrganizationFactory(name="Bilbao")
    response = client.get(f"{reverse('accounts:organizations')}?{query}")
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("query", "status"),
    [("page=-1", 200), (f"page={10**20}", 200), ("page=abc", 422), ("kind=<b>", 200)],
)
def test_the_organization_api_answers_odd_queries_in_json(client, db, query, status):
    response = client.get(f"/api/v1/organizations?{query}")
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")


def test_joining_twice_keeps_one_request(client, organization, user):
    client.force_login(user)
    url = reverse("accounts:organization_join", args=[organization.slug])
    client.post(url)
    response = client.post(url, follow=True)
    assert response.status_code == 200
    assert Membership.objects.filter(user=user, organization=organization).count() == 1
