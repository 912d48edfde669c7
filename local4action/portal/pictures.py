"""Pictures for citizens (charts with tables and summaries) and embeddable cards."""

from django.http import Http404
from django.urls import path


def _todo(request, *args, **kwargs):
    raise Http404


urlpatterns = [
    path("pictures/", _todo, name="pictures"),
    path("embed/hubs/<slug:slug>/", _todo, name="embed_hub"),
    path("embed/charts/<slug:name>/", _todo, name="embed_chart"),
]
