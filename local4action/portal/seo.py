"""Sitemap and robots.txt."""

from django.http import Http404
from django.urls import path


def _todo(request, *args, **kwargs):
    raise Http404


urlpatterns = [
    path("sitemap.xml", _todo, name="sitemap"),
    path("robots.txt", _todo, name="robots"),
]
