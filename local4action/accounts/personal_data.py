"""What the accounts app holds about a person (the user row itself is exported and anonymized
by `services.personal_data_export` and `services.account_delete`)."""

from typing import Any

from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib.admin.models import LogEntry

from local4action.core.personal_data import json_value, records

from .models import ApiToken, Membership, Organization

MODELS = (
    "accounts.Organization",
    "accounts.Membership",
    "accounts.ApiToken",
    "account.EmailAddress",
    "admin.LogEntry",
    "mfa.Authenticator",
)


def _authenticators(user):
    # Two-factor authentication is an allauth app that may be left out of INSTALLED_APPS.
    if not apps.is_installed("allauth.mfa"):
        return None
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user)


def export(user) -> dict[str, Any]:
    authenticators = _authenticators(user)
    return {
        "memberships": [
            {
                "organization": membership.organization.name,
                "role": membership.role,
                "status": membership.status,
                "created_at": json_value(membership.created_at),
            }
            for membership in Membership.objects.filter(user=user)
            .select_related("organization")
            .order_by("pk")
        ],
        "organizations_registered": records(
            Organization.objects.filter(created_by=user), exclude=("logo",)
        ),
        "api_tokens": records(ApiToken.objects.filter(user=user), exclude=("key_hash",)),
        "email_addresses": records(EmailAddress.objects.filter(user=user)),
        "admin_log": records(LogEntry.objects.filter(user=user), exclude=("change_message",)),
        # The secrets (TOTP key, recovery codes) stay out of the file.
        "two_factor_authenticators": (
            [] if authenticators is None else records(authenticators, exclude=("data",))
        ),
    }


def erase(user) -> None:
    """Memberships, API tokens, email addresses and two-factor authenticators go.
    Organizations the person registered stay (they belong to their members); the admin log
    stays, pointing at the anonymized account."""
    Membership.objects.filter(user=user).delete()
    ApiToken.objects.filter(user=user).delete()
    EmailAddress.objects.filter(user=user).delete()
    if (authenticators := _authenticators(user)) is not None:
        authenticators.delete()
