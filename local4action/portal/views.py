from django.shortcuts import render

from local4action.core.selectors import goal_list

from .selectors import key_numbers


def home(request):
    return render(request, "portal/home.html", {"numbers": key_numbers(), "goals": goal_list()})
