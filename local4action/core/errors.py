"""What people see when the platform fails. A part it depends on being down (the database,
Redis) is not a bug: the answer is 503 with Retry-After and a page that says so — or JSON for
the API — rendered without touching the database, the cache or the session."""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.http.request import RawPostDataException
from django.template.loader import get_template
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNAVAILABLE = (OperationalError, InterfaceError, RedisConnectionError, RedisTimeoutError)
RETRY_AFTER_SECONDS = 30
# Never written back into a page: passwords, and the one-time codes of two-factor log-in.
SECRET_FIELDS = ("password",)
ONE_TIME_CODE_FIELDS = {"code"}


def _typed(request) -> dict | None:
    """What a form sent, to be shown and sent again from the 503 page: what the person typed is
    never lost, whatever the browser keeps. Passwords are left out (typed again)."""
    if request.method != "POST":
        return None
    try:
        fields = [
            (name, value)
            for name, values in request.POST.lists()
            if name not in ONE_TIME_CODE_FIELDS
            and not any(word in name.lower() for word in SECRET_FIELDS)
            for value in values
        ]
    except (RawPostDataException, UnreadablePostError, MultiPartParserError):
        return None  # a body that cannot be read (again)
    shown = [
        value
        for name, value in fields
        if value.strip() and name != "csrfmiddlewaretoken" and name != "action" and len(value) > 3
    ]
    return {
        "action": request.get_full_path(),
        "fields": fields,
        "shown": shown,
        "files": bool(request.FILES),
    }


def server_error(request):
    """handler500: Django calls it while the exception is being handled."""
    error = sys.exc_info()[1]
    api = request.path.startswith("/api/")
    if isinstance(error, UNAVAILABLE):
        logger.error("Service unavailable: %s: %s", type(error).__name__, error)
        message = _(
            "The platform is briefly unavailable. Nothing you saved is lost; "
            "please try again in a minute."
        )
        if api:
            response = JsonResponse({"detail": message}, status=503)
        else:
            html = get_template("503.html").render(
                {"LANGUAGE_CODE": get_language(), "typed": _typed(request)}
            )
            response = HttpResponse(html, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    if api:
        return JsonResponse({"detail": _("Something went wrong")}, status=500)
    return HttpResponse(get_template("500.html").render({}), status=500)
