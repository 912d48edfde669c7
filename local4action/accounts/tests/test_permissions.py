import pytest
from django.contrib.auth.models import AnonymousUser

from local4action.accounts import permissions
from local4action.accounts.tests.factories import MembershipFactory, OrganizationFactory


@pytest.fixture
def people(organization, org_admin, org_editor, org_member, user, secretariat, reviewer):
    requested = MembershipFactory(organization=organization, status="requested").user
    return {
        "anonymous": AnonymousUser(),
        "outsider": user,
        "requested": requested,
        "member": org_member,
        "editor": org_editor,
        "admin": org_admin,
        "reviewer": reviewer,
        "secretariat": secretariat,
    }


EXPECTED = {
    # role: (edit, manage members, decide organizations, ask to join)
    "anonymous": (False, False, False, False),
    "outsider": (False, False, False, True),
    "requested": (False, False, False, False),
    "member": (False, False, False, False),
    "editor": (True, False, False, False),
    "admin": (True, True, False, False),
    "reviewer": (False, False, False, True),
    "secretariat": (True, True, True, True),
}


@pytest.mark.parametrize("role", EXPECTED)
def test_organization_permissions_by_role(people, organization, role):
    person = people[role]
    assert (
        permissions.can_edit_organization(person, organization),
        permissions.can_manage_members(person, organization),
        permissions.can_decide_organization(person),
        permissions.can_request_membership(person, organization),
    ) == EXPECTED[role]


def test_pending_organization_is_hidden_from_outsiders(user, secretariat):
    pending = OrganizationFactory(status="pending")
    creator = MembershipFactory(organization=pending, role="admin").user
    assert not permissions.can_view_organization(AnonymousUser(), pending)
    assert not permissions.can_view_organization(user, pending)
    assert permissions.can_view_organization(creator, pending)
    assert permissions.can_view_organization(secretariat, pending)
    assert not permissions.can_request_membership(user, pending)


def test_superuser_counts_as_secretariat(db):
    from local4action.accounts.tests.factories import UserFactory

    assert permissions.is_secretariat(UserFactory(is_superuser=True))
