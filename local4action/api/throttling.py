"""The API's rate limits: per network address for people without a token, per person with
one, counted in the shared cache (core.ratelimit) so that every app process sees the same
count. Over the limit: 429 with Retry-After."""

from django.conf import settings
from django.utils import timezone
from ninja.throttling import BaseThrottle

from local4action.core.ratelimit import within_limit

WINDOW_SECONDS = 60


class ApiThrottle(BaseThrottle):
    def allow_request(self, request) -> bool:
        user = getattr(request, "auth", None)
        if user is not None and user.is_authenticated:
            scope, who, limit = "api-person", user.pk, settings.API_REQUESTS_PER_MINUTE_PERSON
        else:
            scope, who, limit = (
                "api-address",
                self.get_ident(request),
                settings.API_REQUESTS_PER_MINUTE,
            )
        return within_limit(scope, who, limit=limit, seconds=WINDOW_SECONDS)

    def wait(self) -> float:
        """Until the current counting window ends."""
        return WINDOW_SECONDS - timezone.now().timestamp() % WINDOW_SECONDS
