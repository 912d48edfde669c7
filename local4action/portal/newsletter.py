"""Newsletter: subscription with double opt-in, one-click unsubscribe, staff compose and send."""

from django.http import Http404
from django.urls import path


def _todo(request, *args, **kwargs):
    raise Http404


urlpatterns = [
    path("newsletter/", _todo, name="subscribe"),
    path("newsletter/confirm/<str:token>/", _todo, name="confirm"),
    path("newsletter/unsubscribe/<str:token>/", _todo, name="unsubscribe"),
    path("manage/newsletters/", _todo, name="newsletters"),
    path("manage/newsletters/new/", _todo, name="newsletter_create"),
    path("manage/newsletters/<int:pk>/", _todo, name="newsletter"),
]
