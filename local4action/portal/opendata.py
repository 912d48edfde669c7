"""Open data: downloads of the public lists (CSV, JSON, GeoJSON), the data page, IATI."""

from django.http import Http404
from django.urls import path


def _todo(request, *args, **kwargs):
    raise Http404


urlpatterns = [
    path("data/", _todo, name="data"),
    path("data/initiatives.csv", _todo, name="initiatives_csv"),
    path("data/initiatives.json", _todo, name="initiatives_json"),
    path("data/initiatives.geojson", _todo, name="initiatives_geojson"),
    path("data/iati-activities.xml", _todo, name="iati"),
]
