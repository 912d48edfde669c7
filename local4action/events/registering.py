"""Registering, invitations and sponsorship requests."""

from django.http import Http404
from django.urls import path


def _todo(request, *args, **kwargs):
    raise Http404


urlpatterns = [
    path("events/<slug:slug>/register/", _todo, name="register"),
    path("events/<slug:slug>/cancel/", _todo, name="cancel"),
    path("events/<slug:slug>/sponsorship/", _todo, name="sponsorship"),
    path("invitations/<str:token>/", _todo, name="invitation"),
    path("my/events/", _todo, name="mine"),
]
