"""Who a response belongs to, without keeping who answered an anonymous survey."""

import hashlib
import hmac

from django.conf import settings

from .choices import OnePer


def uniqueness_key(survey, *, user=None, organization=None, token=None) -> str | None:
    """One response per key and survey. For anonymous surveys the key is a keyed hash: the
    database can refuse a second response without storing who gave the first."""
    if survey.one_per == OnePer.ORGANIZATION:
        if organization is None:
            return None
        raw = f"org:{organization.pk}"
    elif user is not None and user.is_authenticated:
        raw = f"user:{user.pk}"
    else:
        return f"token:{token}"
    if not survey.anonymous:
        return raw
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"{survey.pk}:{raw}".encode(), hashlib.sha256
    ).hexdigest()
    return f"h:{digest[:64]}"
