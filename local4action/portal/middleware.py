"""`?lang=xx` shows one page in one language, so that each language version has its own URL
for search engines (hreflang) and for sharing. The value is checked against LANGUAGES; any
other value is ignored and the usual choice (cookie, profile, browser) stands."""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode

PARAMETER = "lang"


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


class LanguageParameterMiddleware:
    """After LocaleMiddleware and the signed-in person's preferences: an explicit `?lang=`
    wins for this request only (nothing is stored)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        value = request.GET.get(PARAMETER, "")
        language = value if value in language_codes() else ""
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        request.url_language = language
        request.canonical_url = page_url(request, language)
        request.language_alternates = [
            (code, page_url(request, code)) for code in language_codes()
        ] + [("x-default", page_url(request, ""))]
        response = self.get_response(request)
        if PARAMETER in request.GET:
            patch_vary_headers(response, ["Accept-Language", "Cookie"])
        return response


def page_url(request, language: str) -> str:
    """The absolute address of the page without its query, in one language ("" for the
    default negotiation)."""
    query = f"?{urlencode({PARAMETER: language})}" if language else ""
    return request.build_absolute_uri(request.path) + query
