"""Co-creation boards and billboard pictures."""

from django.http import Http404
from django.urls import path


def _todo(request, *args, **kwargs):
    raise Http404


urlpatterns = [
    path("events/<slug:slug>/sessions/<int:pk>/board/", _todo, name="board"),
]
