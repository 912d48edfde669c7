"""The database itself refuses invalid organizations and memberships."""

import pytest
from django.db import IntegrityError, transaction

from local4action.accounts.models import Membership, Organization
from local4action.accounts.tests.factories import MembershipFactory, OrganizationFactory


@pytest.mark.parametrize(
    "fields",
    [
        {"name": ""},
        {"latitude": 91, "longitude": 0},
        {"latitude": -91, "longitude": 0},
        {"latitude": 0, "longitude": 181},
        {"latitude": 10, "longitude": None},
        {"kind": "planet"},
        {"status": "maybe"},
    ],
)
def test_invalid_organization_rows_are_refused(db, fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        OrganizationFactory(**fields)
    assert Organization.objects.count() == 0


def test_one_membership_per_person_and_organization(db):
    membership = MembershipFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=membership.user, organization=membership.organization)


def test_email_is_unique_whatever_its_case(db):
    from local4action.accounts.models import User

    User.objects.create_user("Ana@Example.org", "x")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(email="ANA@example.org")
