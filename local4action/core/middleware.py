"""NUL characters, which PostgreSQL text cannot hold (a 500 there, not on SQLite). No address
of ours holds one: not found. In the query string they are dropped, as the API drops them from
bodies (api.api.ObjectBodyParser), so both engines behave the same."""

from django.http import Http404, JsonResponse

NUL = "\x00"


def without_nul(text: str) -> str:
    return text.replace(NUL, "")


class NulCharacterMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if NUL in request.path:
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": "Not found."}, status=404)
            raise Http404
        if NUL in request.META.get("QUERY_STRING", "") or any(
            NUL in key or NUL in value for key, value in request.GET.items()
        ):
            cleaned = request.GET.copy()
            for key in list(cleaned):
                values = [without_nul(value) for value in cleaned.getlist(key)]
                del cleaned[key]
                cleaned.setlist(without_nul(key), values)
            cleaned._mutable = False
            request.GET = cleaned
        return self.get_response(request)
