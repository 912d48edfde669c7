"""Rate limits on what people do (posting, registering…), counted in the shared cache — Redis
in production — so that every app process sees the same count. Log-in and sign-up limits are
django-allauth's (ACCOUNT_RATE_LIMITS), the API's django-ninja's throttling; both use the same
cache."""

from django.core.cache import cache
from django.utils import timezone


def within_limit(scope: str, who, *, limit: int, seconds: int = 60) -> bool:
    """Count one action of `who` in `scope` in the current window of `seconds`; False once
    more than `limit` were counted in it."""
    window = int(timezone.now().timestamp() // seconds)
    key = f"ratelimit:{scope}:{who}:{window}"
    try:
        count = cache.incr(key)  # one round trip to Redis in the usual case
    except ValueError:  # the window's first action
        if cache.add(key, 1, timeout=seconds + 30):
            count = 1
        else:  # someone else's came first
            count = cache.incr(key)
    return count <= limit
