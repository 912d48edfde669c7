"""What people see when the platform fails. A part it depends on being down (the database,
Redis) is not a bug: the answer is 503 with Retry-After and a page that says so — or JSON for
the API — rendered without touching the database, the cache or the session."""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import get_template
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNAVAILABLE = (OperationalError, InterfaceError, RedisConnectionError, RedisTimeoutError)
RETRY_AFTER_SECONDS = 30


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
            html = get_template("503.html").render({"LANGUAGE_CODE": get_language()})
            response = HttpResponse(html, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    if api:
        return JsonResponse({"detail": _("Something went wrong")}, status=500)
    return HttpResponse(get_template("500.html").render({}), status=500)
