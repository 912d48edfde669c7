"""Event pages, agenda, calendars and the organizers' forms."""

from django.http import Http404
from django.urls import path


def _todo(request, *args, **kwargs):
    raise Http404


urlpatterns = [
    path("events/", _todo, name="list"),
    path("events/<slug:slug>/", _todo, name="detail"),
    path("events/<slug:slug>/agenda/", _todo, name="agenda"),
    path("events/<slug:slug>/calendar.ics", _todo, name="event_ics"),
    path("events/<slug:slug>/sessions/<int:pk>/", _todo, name="session"),
    path("events/<slug:slug>/sessions/<int:pk>/calendar.ics", _todo, name="session_ics"),
    path("manage/events/new/", _todo, name="create"),
    path("events/<slug:slug>/edit/", _todo, name="edit"),
    path("events/<slug:slug>/publish/", _todo, name="publish"),
    path("events/<slug:slug>/sessions/new/", _todo, name="session_add"),
    path("events/<slug:slug>/sessions/<int:pk>/edit/", _todo, name="session_edit"),
    path("events/<slug:slug>/sessions/<int:pk>/delete/", _todo, name="session_delete"),
    path("events/<slug:slug>/summary/", _todo, name="summary"),
    path("events/<slug:slug>/feedback/", _todo, name="feedback"),
]
