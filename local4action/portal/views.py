from django.shortcuts import render
from django.urls import path

from local4action.calls.selectors import open_call
from local4action.core.pagecache import public_page
from local4action.core.selectors import goal_list
from local4action.core.versions import public_version

from .selectors import goal_coverage, key_numbers, latest_hubs, upcoming_public_events


@public_page(public_version)
def home(request):
    """What the programme is, the latest HUBs, the next events and the numbers. Server-rendered
    only, with no chart or map library: the page must stay light on a slow connection."""
    return render(
        request,
        "portal/home.html",
        {
            "numbers": key_numbers(),
            "goals": goal_list(),
            "hubs": latest_hubs(),
            "events": upcoming_public_events(),
            "open_call": open_call(),
        },
    )


@public_page(public_version)
def coverage(request):
    """The network's coverage of the 17 goals: a picture, its data table and one sentence."""
    return render(request, "portal/coverage.html", {"coverage": goal_coverage()})


urlpatterns = [
    path("", home, name="home"),
    path("sdg/coverage/", coverage, name="coverage"),
]
