"""Threads, messages, replies, reactions, follows, attachments and email preferences."""

from django.http import Http404
from django.urls import path


def _todo(request, *args, **kwargs):
    raise Http404


urlpatterns = [
    path("exchange/", _todo, name="index"),
    path("exchange/about/<str:topic>/<int:about>/", _todo, name="topic"),
    path("exchange/new/<str:topic>/<int:about>/", _todo, name="thread_create"),
    path("exchange/threads/<int:pk>/", _todo, name="thread"),
    path("exchange/threads/<int:pk>/reply/", _todo, name="reply"),
    path("exchange/threads/<int:pk>/follow/", _todo, name="follow"),
    path("exchange/posts/<int:pk>/edit/", _todo, name="post_edit"),
    path("exchange/posts/<int:pk>/delete/", _todo, name="post_delete"),
    path("exchange/posts/<int:pk>/react/", _todo, name="react"),
    path("exchange/attachments/<int:pk>/", _todo, name="attachment"),
    path("exchange/preferences/", _todo, name="preferences"),
]
