"""Every write on users, organizations and memberships."""

import secrets
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from local4action.core.services import audit_record, notify
from local4action.core.uploads import reencoded_if_new

from . import permissions
from .choices import MembershipRole, MembershipStatus, OrganizationStatus, PlatformRole
from .models import ApiToken, Membership, Organization, User

ORGANIZATION_FIELDS = (
    "name",
    "kind",
    "country",
    "regional_section",
    "population",
    "latitude",
    "longitude",
    "website",
    "logo",
)
PROFILE_FIELDS = ("name", "language", "time_zone")
# A forgotten script should not be able to mint tokens without end.
API_TOKENS_MAX_ACTIVE = 20
# Recording every API call would write on every read; once a minute is precise enough.
API_TOKEN_USE_PRECISION = timedelta(minutes=1)


def _secretariat_users():
    return User.objects.filter(is_active=True, groups__name=PlatformRole.SECRETARIAT).distinct()


def _organization_admins(organization: Organization):
    return User.objects.filter(
        memberships__organization=organization,
        memberships__role=MembershipRole.ADMIN,
        memberships__status=MembershipStatus.ACTIVE,
        is_active=True,
    )


def _unique_slug(name: str) -> str:
    base = slugify(name)[:200] or "organization"
    slug, n = base, 1
    while Organization.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _logo_reencoded(data: dict[str, Any]) -> dict[str, Any]:
    if "logo" not in data:
        return data
    logo = reencoded_if_new(data["logo"], field="logo", max_bytes=settings.ATTACHMENT_MAX_BYTES)
    return {**data, "logo": logo}


@transaction.atomic
def organization_create(*, actor: User, data: dict[str, Any]) -> Organization:
    """Any signed-in user may register an organization; it waits for the secretariat's
    approval (unless the secretariat registers it) and its creator becomes its admin."""
    if not permissions.can_create_organization(actor):
        raise PermissionDenied
    data = _logo_reencoded(data)
    organization = Organization(
        created_by=actor, **{k: v for k, v in data.items() if k in ORGANIZATION_FIELDS}
    )
    if permissions.is_secretariat(actor):
        organization.status = OrganizationStatus.APPROVED
        organization.decided_at = timezone.now()
    organization.slug = _unique_slug(organization.name)
    organization.full_clean()
    try:
        with transaction.atomic():
            organization.save()
    except IntegrityError:
        # Someone took the same address at the same moment: take the next one.
        organization.slug = _unique_slug(organization.name)
        organization.save()
    Membership.objects.create(
        user=actor,
        organization=organization,
        role=MembershipRole.ADMIN,
        status=MembershipStatus.ACTIVE,
    )
    audit_record(actor=actor, action="organization.create", target=organization)
    if organization.status == OrganizationStatus.PENDING:
        notify(
            recipients=_secretariat_users(),
            kind="organization_submitted",
            context={"organization": organization.name},
            url=organization.get_absolute_url(),
        )
    return organization


@transaction.atomic
def organization_update(
    *,
    actor: User,
    organization: Organization,
    data: dict[str, Any],
    seen_updated_at: datetime | None = None,
) -> Organization:
    """Editors and admins of the organization, and the secretariat, may edit it. An edit made
    from a stale form (someone saved in between) is refused rather than silently overwriting."""
    if not permissions.can_edit_organization(actor, organization):
        raise PermissionDenied
    current = Organization.objects.select_for_update().get(pk=organization.pk)
    if seen_updated_at is not None and current.updated_at != seen_updated_at:
        raise ValidationError(
            _(
                "Someone else saved this organization after you opened it. "
                "Reload the page to see their changes, then make yours again."
            )
        )
    data = _logo_reencoded(data)
    changes = {}
    for field, value in data.items():
        if field not in ORGANIZATION_FIELDS:
            continue
        old = getattr(current, field)
        if old != value:
            changes[field] = [str(old), str(value)]
            setattr(current, field, value)
    current.full_clean()
    current.save()
    if changes:
        audit_record(actor=actor, action="organization.update", target=current, changes=changes)
    return current


def _decide(*, actor, organization, status, action, kind, reason="") -> Organization:
    if not permissions.can_decide_organization(actor):
        raise PermissionDenied
    current = Organization.objects.select_for_update().get(pk=organization.pk)
    if current.status != OrganizationStatus.PENDING:
        raise ValidationError(_("This organization has already been decided."))
    current.status = status
    current.decided_at = timezone.now()
    current.save(update_fields=["status", "decided_at", "updated_at"])
    audit_record(actor=actor, action=action, target=current, reason=reason)
    notify(
        recipients=_organization_admins(current),
        kind=kind,
        context={"organization": current.name, "reason": reason},
        url=current.get_absolute_url(),
    )
    return current


@transaction.atomic
def organization_approve(*, actor: User, organization: Organization) -> Organization:
    """Only the secretariat approves a new organization, once."""
    return _decide(
        actor=actor,
        organization=organization,
        status=OrganizationStatus.APPROVED,
        action="organization.approve",
        kind="organization_approved",
    )


@transaction.atomic
def organization_reject(*, actor: User, organization: Organization, reason: str) -> Organization:
    """Only the secretariat rejects a new organization, and must say why."""
    if not reason.strip():
        raise ValidationError(_("Say why the organization is rejected."))
    return _decide(
        actor=actor,
        organization=organization,
        status=OrganizationStatus.REJECTED,
        action="organization.reject",
        kind="organization_rejected",
        reason=reason.strip(),
    )


@transaction.atomic
def membership_request(*, actor: User, organization: Organization) -> Membership:
    """A signed-in user asks to join an approved organization; its admins decide."""
    if not permissions.can_request_membership(actor, organization):
        if permissions.membership_of(actor, organization) is not None:
            raise ValidationError(_("You have already joined or asked to join this organization."))
        raise PermissionDenied
    try:
        with transaction.atomic():
            membership = Membership.objects.create(user=actor, organization=organization)
    except IntegrityError as error:
        raise ValidationError(
            _("You have already joined or asked to join this organization.")
        ) from error
    audit_record(actor=actor, action="membership.request", target=membership)
    notify(
        recipients=_organization_admins(organization),
        kind="membership_requested",
        context={"organization": organization.name, "user": str(actor)},
        url=organization.get_absolute_url(),
    )
    return membership


def _locked_membership(membership: Membership) -> Membership:
    return (
        Membership.objects.select_for_update()
        .select_related("organization", "user")
        .get(pk=membership.pk)
    )


@transaction.atomic
def membership_approve(
    *, actor: User, membership: Membership, role: str = MembershipRole.MEMBER
) -> Membership:
    """Admins of the organization (or the secretariat) accept a request to join."""
    current = _locked_membership(membership)
    if not permissions.can_manage_members(actor, current.organization):
        raise PermissionDenied
    if current.status != MembershipStatus.REQUESTED:
        raise ValidationError(_("This request has already been answered."))
    if role not in MembershipRole.values:
        raise ValidationError(_("Choose a valid role."))
    current.status = MembershipStatus.ACTIVE
    current.role = role
    current.save(update_fields=["status", "role", "updated_at"])
    audit_record(actor=actor, action="membership.approve", target=current, changes={"role": role})
    notify(
        recipients=[current.user],
        kind="membership_approved",
        context={"organization": current.organization.name},
        url=current.organization.get_absolute_url(),
    )
    return current


def _keeps_an_admin(membership: Membership) -> bool:
    return (
        Membership.objects.filter(
            organization=membership.organization,
            role=MembershipRole.ADMIN,
            status=MembershipStatus.ACTIVE,
        )
        .exclude(pk=membership.pk)
        .exists()
    )


@transaction.atomic
def membership_change_role(*, actor: User, membership: Membership, role: str) -> Membership:
    """Admins change roles; an organization always keeps at least one admin."""
    current = _locked_membership(membership)
    if not permissions.can_manage_members(actor, current.organization):
        raise PermissionDenied
    if role not in MembershipRole.values:
        raise ValidationError(_("Choose a valid role."))
    if current.role == MembershipRole.ADMIN and role != MembershipRole.ADMIN:
        if not _keeps_an_admin(current):
            raise ValidationError(_("An organization needs at least one administrator."))
    old = current.role
    current.role = role
    current.save(update_fields=["role", "updated_at"])
    audit_record(
        actor=actor, action="membership.change_role", target=current, changes={"role": [old, role]}
    )
    return current


@transaction.atomic
def membership_remove(*, actor: User, membership: Membership) -> None:
    """A member may leave; admins may remove members or decline requests. The last admin
    cannot leave."""
    current = _locked_membership(membership)
    if current.user_id != actor.pk and not permissions.can_manage_members(
        actor, current.organization
    ):
        raise PermissionDenied
    if (
        current.role == MembershipRole.ADMIN
        and current.status == MembershipStatus.ACTIVE
        and not _keeps_an_admin(current)
    ):
        raise ValidationError(_("An organization needs at least one administrator."))
    action = (
        "membership.decline"
        if current.status == MembershipStatus.REQUESTED
        else ("membership.remove")
    )
    audit_record(actor=actor, action=action, target=current)
    current.delete()


@transaction.atomic
def profile_update(*, actor: User, user: User, data: dict[str, Any]) -> User:
    """People edit their own profile."""
    if actor.pk != user.pk:
        raise PermissionDenied
    current = User.objects.select_for_update().get(pk=user.pk)
    for field in PROFILE_FIELDS:
        if field in data:
            setattr(current, field, data[field])
    current.full_clean(exclude=["password"])
    current.save(update_fields=[*PROFILE_FIELDS])
    return current


@transaction.atomic
def user_set_platform_roles(*, actor: User | None, user: User, roles: set[str]) -> User:
    """The secretariat grants platform roles. Secretariat staff also get the admin site.
    `actor=None` is for set-up commands run by an operator."""
    if actor is not None and not permissions.can_set_platform_roles(actor):
        raise PermissionDenied
    unknown = set(roles) - set(PlatformRole.values)
    if unknown:
        raise ValidationError(_("Unknown role."))
    groups = {g.name: g for g in Group.objects.filter(name__in=PlatformRole.values)}
    before = sorted(user.groups.filter(name__in=PlatformRole.values).values_list("name", flat=True))
    if before == sorted(roles):
        return user
    user.groups.remove(*[g for name, g in groups.items() if name not in roles])
    user.groups.add(*[groups[name] for name in roles])
    user.is_staff = user.is_superuser or PlatformRole.SECRETARIAT in roles
    user.save(update_fields=["is_staff"])
    user.__dict__.pop("_platform_roles", None)
    audit_record(
        actor=actor,
        action="user.set_roles",
        target=user,
        changes={"roles": [before, sorted(roles)]},
    )
    return user


@transaction.atomic
def api_token_create(*, actor: User, name: str) -> tuple[ApiToken, str]:
    """A signed-in person creates a personal API token. The secret is returned once and never
    stored: only its SHA-256 hash is kept, with its first characters to tell tokens apart."""
    if not (actor.is_authenticated and actor.is_active):
        raise PermissionDenied
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name.")})
    # Lock the person's row so two requests at once cannot both pass the limit.
    User.objects.select_for_update().filter(pk=actor.pk).first()
    if (
        ApiToken.objects.filter(user=actor, revoked_at__isnull=True).count()
        >= API_TOKENS_MAX_ACTIVE
    ):
        raise ValidationError(
            _("You already have %(n)s active tokens. Revoke one before creating another.")
            % {"n": API_TOKENS_MAX_ACTIVE}
        )
    raw = secrets.token_urlsafe(32)
    token = ApiToken(user=actor, name=name, key_hash=ApiToken.hash_key(raw), prefix=raw[:8])
    token.full_clean()
    token.save()
    audit_record(
        actor=actor,
        action="api_token.create",
        target=token,
        changes={"name": token.name, "prefix": token.prefix},
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    """Only its owner revokes a token; a revoked token stops working at once, for good."""
    current = ApiToken.objects.select_for_update().get(pk=token.pk)
    if not actor.is_authenticated or current.user_id != actor.pk:
        raise PermissionDenied
    if current.revoked_at is not None:
        raise ValidationError(_("This token has already been revoked."))
    current.revoked_at = timezone.now()
    current.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor,
        action="api_token.revoke",
        target=current,
        changes={"name": current.name, "prefix": current.prefix},
    )
    return current


def api_token_mark_used(*, token: ApiToken, now: datetime | None = None) -> None:
    """Remember when a token was last used, at most once a minute."""
    now = now or timezone.now()
    threshold = now - API_TOKEN_USE_PRECISION
    if token.last_used_at is not None and token.last_used_at > threshold:
        return
    # The condition is repeated in the UPDATE so that parallel requests write only once.
    ApiToken.objects.filter(pk=token.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lte=threshold)
    ).update(last_used_at=now)
    token.last_used_at = now


# Personal data: download and account deletion (issue 11, "Privacy").

ANONYMIZED_NAME = "Former member"


def _json_date(value):
    from local4action.core.personal_data import json_value

    return json_value(value)


def personal_data_export(*, actor: User, user: User) -> dict[str, Any]:
    """Everything the platform holds about a person, as JSON-able data. Only the person
    themself or staff may have it."""
    from local4action.core import personal_data

    if not actor.is_authenticated or (actor.pk != user.pk and not actor.is_staff):
        raise PermissionDenied
    memberships = Membership.objects.filter(user=user).select_related("organization")
    return {
        "format": "local4action-personal-data/1",
        "exported_at": _json_date(timezone.now()),
        "account": {
            "id": user.pk,
            "email": user.email,
            "name": user.name,
            "language": user.language,
            "time_zone": user.time_zone,
            "date_joined": _json_date(user.date_joined),
            "last_login": _json_date(user.last_login),
            "is_active": user.is_active,
            "platform_roles": sorted(user.groups.values_list("name", flat=True)),
            "memberships": [
                {
                    "organization": m.organization.name,
                    "organization_slug": m.organization.slug,
                    "role": m.role,
                    "status": m.status,
                    "since": _json_date(m.created_at),
                }
                for m in memberships.order_by("pk")
            ],
        },
        "apps": personal_data.export_all(user),
    }


def _organizations_left_without_admin(user: User) -> list[Organization]:
    """Organizations where the person is the only active admin and that have other members."""
    stranded = []
    for membership in Membership.objects.filter(
        user=user, role=MembershipRole.ADMIN, status=MembershipStatus.ACTIVE
    ).select_related("organization"):
        others = Membership.objects.filter(organization=membership.organization).exclude(user=user)
        if others.exists() and not _keeps_an_admin(membership):
            stranded.append(membership.organization)
    return stranded


def _delete_sessions(user: User) -> None:
    from importlib import import_module

    from django.conf import settings
    from django.contrib.sessions.models import Session

    # Sessions are not indexed by user: decode the live ones. Deleting through the engine's
    # store also drops the cached copy (cached_db sessions).
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            store(session_key=session.session_key).delete()


@transaction.atomic
def account_delete(*, actor: User, user: User, password: str) -> None:
    """A person deletes their own account, confirming with their password. What need not stay
    is deleted; what must stay (reviews, audit events, posts, submitted survey answers, past
    registrations as counts) is kept, detached from the person: every app's `erase` runs, then
    the account itself is anonymized and disabled. The last admin of an organization with other
    members must hand over first."""
    from allauth.account.models import EmailAddress

    from local4action.core import personal_data

    if not actor.is_authenticated or actor.pk != user.pk:
        raise PermissionDenied
    current = User.objects.select_for_update().get(pk=user.pk)
    if not current.is_active or not current.check_password(password):
        raise ValidationError(_("The password is not correct."), code="password")
    stranded = _organizations_left_without_admin(current)
    if stranded:
        raise ValidationError(
            _(
                "You are the only administrator of %(organizations)s. Make another member "
                "an administrator before you delete your account."
            )
            % {"organizations": ", ".join(o.name for o in stranded)},
            code="last_admin",
        )
    personal_data.erase_all(current)
    current.email = f"deleted-{current.pk}@invalid.example"
    current.name = ANONYMIZED_NAME
    current.time_zone = "UTC"
    current.last_login = None
    current.set_unusable_password()
    current.is_active = False
    current.is_staff = False
    current.is_superuser = False
    current.save()
    current.groups.clear()
    current.user_permissions.clear()
    EmailAddress.objects.filter(user=current).delete()
    _delete_sessions(current)
    audit_record(actor=current, action="account.delete", target=current)
