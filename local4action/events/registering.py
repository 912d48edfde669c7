"""Registering, invitations and sponsorship requests."""

from django.http import Http404
from django.urls import path


def _todo(request, *args, **kwargs):
    raise Http404


urlpatterns = [
    path("invitations/<str:token>/", _todo, name="invitation"),
]
