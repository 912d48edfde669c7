"""Related initiatives: the page listing them with their reasons."""

from django.http import Http404
from django.urls import path


def _todo(request, *args, **kwargs):
    raise Http404


urlpatterns = [
    path("initiatives/<slug:slug>/related/", _todo, name="related"),
]
