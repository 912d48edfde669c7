"""Who is calling the API: a personal token (`Authorization: Bearer …`) or, for the web app's
own pages, the Django session (with its CSRF check on writes)."""

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, django_auth
from ninja.utils import check_csrf

from local4action.accounts import selectors, services

BEARER = "bearer"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")


class ApiTokenAuth(HttpBearer):
    """A personal API token, looked up by the hash of the secret."""

    def authenticate(self, request: HttpRequest, token: str):
        found = selectors.api_token_authenticate(raw_token=token.strip())
        if found is None:
            # A token was sent and it is wrong, revoked or its owner is inactive: say so
            # (401) rather than falling back to the session and its CSRF check (403).
            raise AuthenticationError
        services.api_token_mark_used(token=found)
        request.user = found.user
        return found.user


api_token_auth = ApiTokenAuth()
# For the endpoints that need someone: a token first, else the signed-in browser session.
AUTHENTICATED = [api_token_auth, django_auth]


def _bearer_token(request: HttpRequest) -> str | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token if scheme.lower() == BEARER else None


class OptionalAuth:
    """The default of every endpoint: public data needs nobody, but the caller is known so
    that those who may see more (a team, the secretariat) do. A token that is sent but does
    not work is refused (401), never silently ignored.

    Not an `AuthBase`: the OpenAPI document then rightly says these endpoints need no
    security."""

    def __call__(self, request: HttpRequest):
        token = _bearer_token(request)
        if token is not None:
            return api_token_auth.authenticate(request, token)
        # The session counts on writes only with its CSRF token, as everywhere else.
        if request.method in SAFE_METHODS or check_csrf(request) is None:
            return request.user
        return AnonymousUser()  # truthy: ninja lets the request through, as nobody


optional_auth = OptionalAuth()


def request_user(request: HttpRequest):
    """The caller on public endpoints: the token's owner, the session's user, or anonymous."""
    return getattr(request, "auth", None) or request.user
