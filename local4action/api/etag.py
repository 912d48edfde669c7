"""Conditional GETs for the public API: a weak ETag computed from the body, 304 Not Modified
when the client's If-None-Match holds it, and a Cache-Control that lets shared caches keep
anonymous answers for a short while but never those of a signed-in caller or a token."""

import hashlib

from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers

API_PREFIX = "/api/v1/"
# Seconds a browser or a shared cache may reuse a public answer without asking again.
PUBLIC_MAX_AGE = 60


def weak_etag(content: bytes) -> str:
    # Weak: the same data may come back byte-for-byte different once compressed by a proxy.
    return f'W/"{hashlib.sha256(content).hexdigest()[:32]}"'


def _authenticated(request) -> bool:
    if "Authorization" in request.headers:
        return True
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


class ApiConditionalGetMiddleware:
    """Only on /api/v1/ reads (GET and HEAD) that succeed with a body in memory."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.method not in ("GET", "HEAD")
            or not request.path.startswith(API_PREFIX)
            or response.status_code != 200
            or response.streaming
        ):
            return response
        patch_vary_headers(response, ["Authorization", "Cookie"])
        if not response.has_header("Cache-Control"):
            if _authenticated(request):
                patch_cache_control(response, private=True, max_age=0)
            else:
                patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
        if not response.has_header("ETag"):
            response["ETag"] = weak_etag(response.content)
        return get_conditional_response(request, etag=response["ETag"], response=response)
