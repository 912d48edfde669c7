"""The map of HUBs and accompanied initiatives, and its data."""

from django.http import Http404
from django.urls import path


def _todo(request, *args, **kwargs):
    raise Http404


urlpatterns = [
    path("map/", _todo, name="map"),
    path("map/points.json", _todo, name="map_points"),
]
