"""Reports and the staff's moderation: hide, block, lock."""

from django.http import Http404
from django.urls import path


def _todo(request, *args, **kwargs):
    raise Http404


urlpatterns = [
    path("exchange/posts/<int:pk>/report/", _todo, name="report"),
    path("manage/exchange/", _todo, name="moderation"),
    path("exchange/posts/<int:pk>/hide/", _todo, name="hide"),
    path("exchange/posts/<int:pk>/unhide/", _todo, name="unhide"),
    path("manage/exchange/reports/<int:pk>/dismiss/", _todo, name="dismiss"),
    path("manage/exchange/people/<int:pk>/block/", _todo, name="block"),
    path("manage/exchange/people/<int:pk>/unblock/", _todo, name="unblock"),
    path("exchange/threads/<int:pk>/lock/", _todo, name="lock"),
]
