"""The organizers' participant list, decisions, exports and check-in."""

from django.http import Http404
from django.urls import path


def _todo(request, *args, **kwargs):
    raise Http404


urlpatterns = [
    path("events/<slug:slug>/participants/", _todo, name="participants"),
    path("events/<slug:slug>/participants.csv", _todo, name="participants_csv"),
    path("events/<slug:slug>/participants.xlsx", _todo, name="participants_xlsx"),
    path("events/<slug:slug>/registrations/<int:pk>/decide/", _todo, name="decide"),
    path("events/<slug:slug>/sponsorships/<int:pk>/decide/", _todo, name="sponsorship_decide"),
    path("events/<slug:slug>/invite/", _todo, name="invite"),
    path("events/<slug:slug>/check-in/", _todo, name="check_in"),
    path("events/<slug:slug>/check-in/<int:pk>/", _todo, name="check_in_toggle"),
]
