"""The organizers' participant list, decisions, exports and check-in."""

from django.http import Http404
from django.urls import path


def _todo(request, *args, **kwargs):
    raise Http404


urlpatterns = [
    path("events/<slug:slug>/participants/", _todo, name="participants"),
]
