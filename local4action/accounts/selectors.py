"""Reads on organizations and memberships, filtered by what the user may see."""

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from . import permissions
from .choices import MembershipStatus, OrganizationStatus
from .models import ApiToken, Membership, Organization


def organization_list(*, user, q: str = "", kind: str = "", section: str = "") -> QuerySet:
    """Approved organizations for everyone; the secretariat also sees pending ones."""
    queryset = Organization.objects.select_related("regional_section").annotate(
        member_count=Count("memberships", filter=Q(memberships__status=MembershipStatus.ACTIVE))
    )
    if not permissions.is_secretariat(user):
        queryset = queryset.filter(status=OrganizationStatus.APPROVED)
    if q:
        queryset = queryset.filter(name__icontains=q)
    if kind:
        queryset = queryset.filter(kind=kind)
    if section:
        queryset = queryset.filter(regional_section__slug=section)
    return queryset.order_by("name")


def organization_pending_list(*, user) -> QuerySet:
    if not permissions.is_secretariat(user):
        return Organization.objects.none()
    return (
        Organization.objects.filter(status=OrganizationStatus.PENDING)
        .select_related("regional_section", "created_by")
        .order_by("created_at")
    )


def organization_get(*, user, slug: str) -> Organization:
    """The organization if the user may see it; 404 otherwise (never reveal it exists)."""
    organization = Organization.objects.select_related("regional_section").filter(slug=slug).first()
    if organization is None or not permissions.can_view_organization(user, organization):
        raise Http404
    return organization


def organization_members(*, user, organization: Organization) -> dict[str, list[Membership]]:
    """Active members for everyone who may see the organization; requests for its admins."""
    memberships = Membership.objects.filter(organization=organization).select_related("user")
    active = [m for m in memberships if m.status == MembershipStatus.ACTIVE]
    requested = (
        [m for m in memberships if m.status == MembershipStatus.REQUESTED]
        if permissions.can_manage_members(user, organization)
        else []
    )
    return {"active": active, "requested": requested}


def membership_get(*, pk: int) -> Membership:
    membership = Membership.objects.select_related("organization", "user").filter(pk=pk).first()
    if membership is None:
        raise Http404
    return membership


def memberships_for_user(*, user) -> QuerySet:
    return Membership.objects.filter(user=user).select_related("organization")


def primary_organization(user) -> Organization | None:
    """The organization a person acts for by default: their oldest active membership's."""
    if user is None or not user.is_authenticated:
        return None
    membership = (
        user.memberships.filter(status=MembershipStatus.ACTIVE)
        .select_related("organization")
        .order_by("created_at")
        .first()
    )
    return membership.organization if membership else None


def api_tokens_for_user(*, user) -> QuerySet:
    """The person's tokens that still work, newest first."""
    if not user.is_authenticated:
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).order_by("-created_at")


def api_token_get(*, user, pk: int) -> ApiToken:
    """One of the person's own tokens; 404 for anybody else's."""
    token = (
        ApiToken.objects.filter(pk=pk, user_id=user.pk).first() if user.is_authenticated else None
    )
    if token is None:
        raise Http404
    return token


def api_token_authenticate(*, raw_token: str) -> ApiToken | None:
    """The working token with this secret, with its active owner; None otherwise."""
    if not raw_token:
        return None
    return (
        ApiToken.objects.select_related("user")
        .filter(
            key_hash=ApiToken.hash_key(raw_token),
            revoked_at__isnull=True,
            user__is_active=True,
        )
        .first()
    )
