"""Event pages, agenda, calendars and the organizers' forms."""

from django.http import Http404
from django.urls import path


def _todo(request, *args, **kwargs):
    raise Http404


urlpatterns = [
    path("events/", _todo, name="list"),
    path("events/<slug:slug>/", _todo, name="detail"),
    path("events/<slug:slug>/sessions/<int:pk>/", _todo, name="session"),
]
