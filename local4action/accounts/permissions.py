"""Who may do what with users and organizations. Pure predicates, shared by views, API,
templates and services."""

from .choices import MembershipRole, MembershipStatus, OrganizationStatus, PlatformRole
from .models import Membership, Organization


def platform_roles(user) -> frozenset[str]:
    """The user's platform roles, read once per user object."""
    if user is None or not user.is_authenticated:
        return frozenset()
    roles = getattr(user, "_platform_roles", None)
    if roles is None:
        names = set(user.groups.filter(name__in=PlatformRole.values).values_list("name", flat=True))
        if user.is_superuser:
            names.add(PlatformRole.SECRETARIAT)
        roles = frozenset(names)
        user._platform_roles = roles
    return roles


def is_secretariat(user) -> bool:
    return PlatformRole.SECRETARIAT in platform_roles(user)


def is_reviewer(user) -> bool:
    return PlatformRole.REVIEWER in platform_roles(user)


def is_partner(user) -> bool:
    return PlatformRole.PARTNER in platform_roles(user)


def membership_of(user, organization: Organization) -> Membership | None:
    """The user's membership of the organization (active or requested), if any."""
    if user is None or not user.is_authenticated:
        return None
    cache = getattr(user, "_memberships", None)
    if cache is None:
        cache = {m.organization_id: m for m in Membership.objects.filter(user=user)}
        user._memberships = cache
    return cache.get(organization.pk)


def _active_role(user, organization) -> str | None:
    membership = membership_of(user, organization)
    if membership is None or membership.status != MembershipStatus.ACTIVE:
        return None
    return membership.role


def can_view_organization(user, organization: Organization) -> bool:
    if organization.status == OrganizationStatus.APPROVED:
        return True
    return is_secretariat(user) or membership_of(user, organization) is not None


def can_edit_organization(user, organization: Organization) -> bool:
    return is_secretariat(user) or _active_role(user, organization) in (
        MembershipRole.EDITOR,
        MembershipRole.ADMIN,
    )


def can_manage_members(user, organization: Organization) -> bool:
    return is_secretariat(user) or _active_role(user, organization) == MembershipRole.ADMIN


def can_decide_organization(user) -> bool:
    return is_secretariat(user)


def can_create_organization(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def can_request_membership(user, organization: Organization) -> bool:
    return (
        user is not None
        and user.is_authenticated
        and organization.status == OrganizationStatus.APPROVED
        and membership_of(user, organization) is None
    )


def can_set_platform_roles(user) -> bool:
    return is_secretariat(user)
