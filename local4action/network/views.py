"""Connections, offers and needs, and the network picture."""

from django.http import Http404
from django.urls import path


def _todo(request, *args, **kwargs):
    raise Http404


urlpatterns = [
    path("initiatives/<slug:slug>/connect/", _todo, name="connect"),
    path("network/connections/<int:pk>/decide/", _todo, name="decide"),
    path("network/connections/<int:pk>/withdraw/", _todo, name="withdraw"),
    path("initiatives/<slug:slug>/offers-needs/", _todo, name="items"),
    path("network/items/<int:pk>/delete/", _todo, name="item_delete"),
    path("network/", _todo, name="picture"),
    path("network/graph.json", _todo, name="graph_data"),
]
