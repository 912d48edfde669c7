from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from local4action.accounts.views import set_language
from local4action.api.api import api

# A part the platform depends on being down answers 503 with Retry-After (core/errors.py).
handler500 = "local4action.core.errors.server_error"

urlpatterns = [
    path("", include("local4action.portal.urls")),
    path("", include("local4action.core.urls")),
    path("", include("local4action.accounts.urls")),
    path("", include("local4action.initiatives.urls")),
    path("", include("local4action.calls.urls")),
    path("", include("local4action.monitoring.urls")),
    path("", include("local4action.surveys.urls")),
    path("", include("local4action.events.urls")),
    path("", include("local4action.network.urls")),
    path("", include("local4action.exchange.urls")),
    path("", include("local4action.workplan.urls")),
    path("", include("local4action.library.urls")),
    path("account/", include("allauth.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
