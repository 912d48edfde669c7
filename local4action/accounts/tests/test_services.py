import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from local4action.accounts import services
from local4action.accounts.models import Membership, Organization
from local4action.accounts.tests.factories import MembershipFactory, OrganizationFactory
from local4action.core.models import AuditEvent, Notification

NEW_ORG = {
    "name": "Ville de Dakar",
    "kind": "local_government",
    "country": "SN",
    "latitude": Decimal("14.7167"),
    "longitude": Decimal("-17.4677"),
}


def _snapshot(obj):
    obj.refresh_from_db()
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def test_registering_an_organization_waits_for_approval_and_makes_the_creator_admin(
    user, secretariat, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        organization = services.organization_create(actor=user, data=NEW_ORG)
    assert organization.status == "pending"
    assert organization.slug == "ville-de-dakar"
    membership = Membership.objects.get(organization=organization)
    assert (membership.user, membership.role, membership.status) == (user, "admin", "active")
    assert AuditEvent.objects.filter(action="organization.create", actor=user).count() == 1
    assert Notification.objects.get().recipient == secretariat
    assert [m.to for m in mailoutbox] == [[secretariat.email]]


def test_two_organizations_with_the_same_name_get_distinct_addresses(user):
    first = services.organization_create(actor=user, data=NEW_ORG)
    second = services.organization_create(actor=user, data=NEW_ORG)
    assert first.slug != second.slug


def test_secretariat_registers_organizations_already_approved(secretariat):
    organization = services.organization_create(actor=secretariat, data=NEW_ORG)
    assert organization.status == "approved"


def test_invalid_organization_is_not_saved(user):
    with pytest.raises(ValidationError) as error:
        services.organization_create(actor=user, data={**NEW_ORG, "latitude": 123})
    assert "latitude" in error.value.message_dict
    assert not Organization.objects.exists()
    assert not Membership.objects.exists()
    assert not AuditEvent.objects.exists()


def test_secretariat_approves_and_the_admins_are_told(secretariat, organization, org_admin):
    organization.status = "pending"
    organization.save()
    services.organization_approve(actor=secretariat, organization=organization)
    organization.refresh_from_db()
    assert organization.status == "approved" and organization.decided_at is not None
    event = AuditEvent.objects.get(action="organization.approve")
    assert event.actor == secretariat and event.target == organization
    assert Notification.objects.get(kind="organization_approved").recipient == org_admin


@pytest.mark.parametrize("who", ["org_admin", "org_member", "user", "reviewer"])
def test_only_the_secretariat_decides(request, who, organization):
    organization.status = "pending"
    organization.save()
    actor = request.getfixturevalue(who)
    before = _snapshot(organization)
    events = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        services.organization_approve(actor=actor, organization=organization)
    with pytest.raises(PermissionDenied):
        services.organization_reject(actor=actor, organization=organization, reason="no")
    assert _snapshot(organization) == before
    assert AuditEvent.objects.count() == events


def test_rejection_needs_a_reason_and_happens_once(secretariat, organization):
    organization.status = "pending"
    organization.save()
    with pytest.raises(ValidationError):
        services.organization_reject(actor=secretariat, organization=organization, reason="  ")
    assert _snapshot(organization)["status"] == "pending"
    services.organization_reject(actor=secretariat, organization=organization, reason="Duplicate")
    assert AuditEvent.objects.get(action="organization.reject").reason == "Duplicate"
    with pytest.raises(ValidationError):
        services.organization_approve(actor=secretariat, organization=organization)
    assert _snapshot(organization)["status"] == "rejected"


def test_editors_edit_members_do_not(organization, org_editor, org_member):
    services.organization_update(
        actor=org_editor, organization=organization, data={"population": 30000}
    )
    assert _snapshot(organization)["population"] == 30000
    assert AuditEvent.objects.get(action="organization.update").changes == {
        "population": ["25000", "30000"]
    }
    with pytest.raises(PermissionDenied):
        services.organization_update(
            actor=org_member, organization=organization, data={"population": 1}
        )
    assert _snapshot(organization)["population"] == 30000


def test_a_stale_edit_does_not_overwrite_a_newer_one(organization, org_editor, org_admin):
    opened_at = _snapshot(organization)["updated_at"]
    services.organization_update(
        actor=org_admin,
        organization=organization,
        data={"website": "https://new.example"},
        seen_updated_at=opened_at,
    )
    with pytest.raises(ValidationError) as error:
        services.organization_update(
            actor=org_editor,
            organization=organization,
            data={"website": "https://old.example"},
            seen_updated_at=opened_at,
        )
    assert "Someone else saved" in error.value.messages[0]
    assert _snapshot(organization)["website"] == "https://new.example"


def test_joining_is_a_request_that_an_admin_accepts(user, organization, org_admin):
    membership = services.membership_request(actor=user, organization=organization)
    assert membership.status == "requested"
    assert Notification.objects.get(kind="membership_requested").recipient == org_admin
    services.membership_approve(actor=org_admin, membership=membership, role="editor")
    membership.refresh_from_db()
    assert (membership.status, membership.role) == ("active", "editor")
    assert Notification.objects.get(kind="membership_approved").recipient == user
    assert AuditEvent.objects.filter(action="membership.approve", actor=org_admin).exists()


def test_asking_twice_is_refused_clearly(user, organization):
    services.membership_request(actor=user, organization=organization)
    with pytest.raises(ValidationError):
        services.membership_request(actor=user, organization=organization)
    assert Membership.objects.filter(user=user).count() == 1


def test_cannot_join_an_organization_that_is_not_approved(user):
    pending = OrganizationFactory(status="pending")
    with pytest.raises(PermissionDenied):
        services.membership_request(actor=user, organization=pending)
    assert not Membership.objects.exists()


@pytest.mark.parametrize("who", ["org_member", "org_editor", "other_user"])
def test_only_admins_accept_requests(request, who, user, organization):
    membership = services.membership_request(actor=user, organization=organization)
    with pytest.raises(PermissionDenied):
        services.membership_approve(actor=request.getfixturevalue(who), membership=membership)
    assert _snapshot(membership)["status"] == "requested"


def test_the_last_admin_stays(organization, org_admin):
    membership = Membership.objects.get(user=org_admin)
    with pytest.raises(ValidationError):
        services.membership_change_role(actor=org_admin, membership=membership, role="member")
    with pytest.raises(ValidationError):
        services.membership_remove(actor=org_admin, membership=membership)
    assert _snapshot(membership)["role"] == "admin"
    second = MembershipFactory(organization=organization, role="admin")
    services.membership_remove(actor=org_admin, membership=membership)
    assert list(Membership.objects.filter(organization=organization)) == [second]


def test_members_may_leave_but_not_remove_others(organization, org_member, org_editor):
    editor_membership = Membership.objects.get(user=org_editor)
    with pytest.raises(PermissionDenied):
        services.membership_remove(actor=org_member, membership=editor_membership)
    services.membership_remove(actor=org_member, membership=Membership.objects.get(user=org_member))
    assert not Membership.objects.filter(user=org_member).exists()
    assert Membership.objects.filter(user=org_editor).exists()


def test_profile_is_edited_only_by_its_owner(user, other_user):
    services.profile_update(
        actor=user, user=user, data={"language": "fr", "time_zone": "Africa/Dakar", "name": "A"}
    )
    user.refresh_from_db()
    assert (user.language, user.time_zone) == ("fr", "Africa/Dakar")
    with pytest.raises(PermissionDenied):
        services.profile_update(actor=other_user, user=user, data={"name": "Hacked"})
    with pytest.raises(ValidationError):
        services.profile_update(actor=user, user=user, data={"time_zone": "Mars/Olympus"})
    user.refresh_from_db()
    assert (user.name, user.time_zone) == ("A", "Africa/Dakar")


def test_roles_are_granted_by_the_secretariat_only(user, other_user, secretariat):
    with pytest.raises(PermissionDenied):
        services.user_set_platform_roles(actor=user, user=other_user, roles={"reviewer"})
    services.user_set_platform_roles(actor=secretariat, user=other_user, roles={"secretariat"})
    other_user.refresh_from_db()
    assert other_user.is_staff
    assert AuditEvent.objects.get(action="user.set_roles", object_id=other_user.pk).changes == {
        "roles": [[], ["secretariat"]]
    }


def test_organization_timestamps_are_utc(organization):
    assert organization.created_at.tzinfo == datetime.UTC
