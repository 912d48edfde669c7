"""Who may see, write, review and publish library resources."""

from local4action.accounts.choices import MembershipRole, MembershipStatus, OrganizationStatus
from local4action.accounts.permissions import is_secretariat

from .choices import ResourceStatus


def can_manage_library(user) -> bool:
    """Publish, return, withdraw, curate collections, edit any resource."""
    return is_secretariat(user)


def _edits_for(user, organization) -> bool:
    return (
        organization is not None
        and user.is_authenticated
        and user.memberships.filter(
            organization=organization,
            organization__status=OrganizationStatus.APPROVED,
            status=MembershipStatus.ACTIVE,
            role__in=[MembershipRole.ADMIN, MembershipRole.EDITOR],
        ).exists()
    )


def can_submit_for(user, organization) -> bool:
    """Write and submit a resource (a good practice) in the name of an organization."""
    return can_manage_library(user) or _edits_for(user, organization)


def can_edit_resource(user, resource) -> bool:
    """Staff always; the owner organization's editors while it is a draft or returned."""
    if can_manage_library(user):
        return True
    return resource.status in (ResourceStatus.DRAFT, ResourceStatus.RETURNED) and _edits_for(
        user, resource.owner_organization
    )


def can_view_resource(user, resource) -> bool:
    if resource.status == ResourceStatus.PUBLISHED:
        return True
    return can_manage_library(user) or _edits_for(user, resource.owner_organization)
