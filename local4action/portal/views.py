from django.shortcuts import render
from django.urls import path

from local4action.calls.selectors import open_call
from local4action.core.selectors import goal_list
from local4action.initiatives.selectors import public_initiative_list

from .selectors import key_numbers


def home(request):
    return render(
        request,
        "portal/home.html",
        {
            "numbers": key_numbers(),
            "goals": goal_list(),
            "hubs": public_initiative_list()[:6],
            "open_call": open_call(),
        },
    )


urlpatterns = [path("", home, name="home")]
