"""Whole public pages kept in the shared cache for anonymous visitors.

Django's cache_page keys on the address and the Vary headers only; these pages also change
when their data change, so the key carries a data version given by the page's app (e.g.
initiatives.selectors.data_version), and the language. Only requests that carry nothing
personal are served from or written to the cache: GET or HEAD, no session or messages
cookie, no Authorization header. A response that set a cookie or used a CSRF token (a form
that posts) is never stored, so no visitor ever gets another's token or data."""

import gzip
import hashlib
import re
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

CACHE_SECONDS = 300
KEPT_HEADERS = ("Content-Type", "Content-Language", "Vary", "Cache-Control", "Link")
ACCEPTS_GZIP = re.compile(r"\bgzip\b")  # as django.middleware.gzip reads it


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
            key = "page2:" + hashlib.sha256(signature.encode()).hexdigest()  # 2: with gzip
            kept = cache.get(key)
            if kept is not None:
                return _from_cache(request, *kept)
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            if storable_response(request, response):
                headers = {name: response[name] for name in KEPT_HEADERS if name in response}
                # Compressed once here, not by GZipMiddleware for every visitor.
                compressed = gzip.compress(response.content, compresslevel=6, mtime=0)
                cache.set(key, (response.content, compressed, headers), seconds)
            return response

        return wrapped

    return decorator


def _from_cache(request, content: bytes, compressed: bytes, headers: dict) -> HttpResponse:
    if ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")):
        response = HttpResponse(compressed)
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(content)
    for name, value in headers.items():
        response[name] = value
    patch_vary_headers(response, ("Accept-Encoding",))
    return response
