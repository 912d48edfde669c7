"""Whole public pages kept in the shared cache for anonymous visitors.

Django's cache_page keys on the address and the Vary headers only; these pages also change
when their data change, so the key carries a data version given by the page's app (e.g.
initiatives.selectors.data_version), and the language. Only requests that carry nothing
personal are served from or written to the cache: GET or HEAD, no session or messages
cookie, no Authorization header. A response that set a cookie or used a CSRF token (a form
that posts) is never stored, so no visitor ever gets another's token or data."""

import hashlib
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.translation import get_language

CACHE_SECONDS = 300
KEPT_HEADERS = ("Content-Type", "Content-Language", "Vary", "Cache-Control", "Link")


def anonymous_request(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and "Authorization" not in request.headers
    )


def storable_response(request, response) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        # The page holds a CSRF token, or the view wrote to the session: personal.
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not getattr(getattr(request, "session", None), "modified", False)
    )


def public_page(version: Callable[[], str], seconds: int = CACHE_SECONDS):
    """Serve the view's answer from the cache for anonymous visitors, per address, language
    and data version; everybody else gets the view itself."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not anonymous_request(request):
                return view(request, *args, **kwargs)
            signature = repr((version(), get_language(), request.get_full_path()))
            key = "page:" + hashlib.sha256(signature.encode()).hexdigest()
            kept = cache.get(key)
            if kept is not None:
                content, headers = kept
                response = HttpResponse(content)
                for name, value in headers.items():
                    response[name] = value
                return response
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            if storable_response(request, response):
                headers = {name: response[name] for name in KEPT_HEADERS if name in response}
                cache.set(key, (response.content, headers), seconds)
            return response

        return wrapped

    return decorator
