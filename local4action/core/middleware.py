"""Requests carrying a NUL character, which PostgreSQL text cannot hold: refused before any
view puts them into a query (a 500 otherwise), and on SQLite alike so both behave the same."""

from django.core.exceptions import SuspiciousOperation
from django.http import Http404, JsonResponse

NUL = "\x00"


class NulCharacterMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        in_path = NUL in request.path  # no address of ours holds one: not found
        in_query = any(NUL in key or NUL in value for key, value in request.GET.items())
        if not (in_path or in_query):
            return self.get_response(request)
        if request.path.startswith("/api/"):
            if in_path:
                return JsonResponse({"detail": "Not found."}, status=404)
            return JsonResponse({"detail": "A query parameter holds a NUL character."}, status=400)
        if in_path:
            raise Http404
        raise SuspiciousOperation("A NUL character in the query string.")  # 400
