"""Co-creation boards and billboard pictures."""

from django.http import Http404
from django.urls import path


def _todo(request, *args, **kwargs):
    raise Http404


urlpatterns = [
    path("events/<slug:slug>/sessions/<int:pk>/board/", _todo, name="board"),
    path("events/<slug:slug>/sessions/<int:pk>/board/ideas/", _todo, name="board_ideas"),
    path("events/<slug:slug>/sessions/<int:pk>/board/post/", _todo, name="idea_post"),
    path("events/<slug:slug>/sessions/<int:pk>/board/open/", _todo, name="board_open"),
    path("events/<slug:slug>/ideas/<int:pk>/vote/", _todo, name="idea_vote"),
    path("events/<slug:slug>/ideas/<int:pk>/unvote/", _todo, name="idea_unvote"),
    path("events/<slug:slug>/ideas/<int:pk>/merge/", _todo, name="idea_merge"),
    path("events/<slug:slug>/ideas/<int:pk>/retain/", _todo, name="idea_retain"),
    path("events/<slug:slug>/ideas/<int:pk>/billboard.svg", _todo, name="billboard_svg"),
    path("events/<slug:slug>/ideas/<int:pk>/billboard.png", _todo, name="billboard_png"),
]
