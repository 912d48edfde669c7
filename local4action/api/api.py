"""The REST API under /api/v1/: each app contributes a django-ninja router."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, Throttled
from ninja.parser import Parser

from local4action.accounts.api import router as accounts_router
from local4action.api.auth import optional_auth
from local4action.api.openapi import add_error_responses
from local4action.api.throttling import ApiThrottle
from local4action.calls.api import router as calls_router
from local4action.core.api import router as core_router
from local4action.core.middleware import without_nul
from local4action.events.api import router as events_router
from local4action.exchange.api import router as exchange_router
from local4action.initiatives.api import router as initiatives_router
from local4action.library.api import router as library_router
from local4action.monitoring.api import router as monitoring_router
from local4action.network.api import router as network_router
from local4action.surveys.api import router as surveys_router
from local4action.workplan.api import router as workplan_router


class ObjectBodyParser(Parser):
    """Our operations take a JSON object (one takes a list of them): `null`, `[]`, a bare string
    or a number is refused (400) rather than read as "nothing sent", which blanked optional
    fields. NUL characters, which PostgreSQL text cannot hold, are dropped from every text."""

    def parse_body(self, request):
        data = super().parse_body(request)
        if not (isinstance(data, dict) or (isinstance(data, list) and data)):
            raise ValueError("The body must be a JSON object, or a list of them.")
        return _without_nul(data)


def _without_nul(value):
    if isinstance(value, str):
        return without_nul(value)
    if isinstance(value, dict):
        return {without_nul(key): _without_nul(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_without_nul(item) for item in value]
    return value


class Local4ActionAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs):
        # The exception handlers below answer for every operation: the document says so.
        return add_error_responses(super().get_openapi_schema(**kwargs))


api = Local4ActionAPI(
    title="Local4Action API",
    version="1",
    description=(
        "Public data of the Local4Action HUBs programme. Reading public data needs no token; "
        "private data and every write need a personal token, created on your profile page and "
        "sent as `Authorization: Bearer <token>`."
    ),
    urls_namespace="api",
    # Public endpoints need no token; those for private data and writes say `AUTHENTICATED`.
    auth=optional_auth,
    # Swagger UI's assets come from django-ninja's static files; no online validator badge,
    # which would send the address of our OpenAPI document to a third party.
    docs=Swagger(settings={"validatorUrl": None}),
    # Rate limits in the shared cache (api/throttling.py): 429 with Retry-After past them.
    throttle=[ApiThrottle()],
    parser=ObjectBodyParser(),
)
api.add_router("", core_router)
api.add_router("", accounts_router)
api.add_router("", initiatives_router)
api.add_router("", calls_router)
api.add_router("", monitoring_router)
api.add_router("", surveys_router)
api.add_router("", events_router)
api.add_router("", network_router)
api.add_router("", exchange_router)
api.add_router("", workplan_router)
api.add_router("", library_router)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(RequestDataTooBig)
def too_big(request, exc):
    """A body over DATA_UPLOAD_MAX_MEMORY_SIZE (a 5 MB message…): a clear answer, not a page."""
    return api.create_response(
        request,
        {
            "detail": [
                _("The request is too large: send less than %(size)s MB.")
                % {"size": settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)}
            ]
        },
        status=413,
    )


@api.exception_handler(AuthenticationError)
def unauthorized(request, exc):
    response = api.create_response(
        request, {"detail": _("Authentication required: send a valid API token.")}, status=401
    )
    response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    return api.create_response(
        request, {"detail": str(exc) or _("You are not allowed to do this.")}, status=403
    )


@api.exception_handler(ValidationError)
def invalid(request, exc):
    """The service's own messages, translated, as a list; per field too when it said which."""
    body: dict = {"detail": exc.messages}
    if hasattr(exc, "error_dict"):
        body["fields"] = exc.message_dict
    return api.create_response(request, body, status=400)


@api.exception_handler(Throttled)
def throttled(request, exc):
    response = api.create_response(
        request, {"detail": _("Too many requests: wait a minute, then try again.")}, status=429
    )
    if exc.wait is not None:
        response["Retry-After"] = str(int(exc.wait) + 1)
    return response
