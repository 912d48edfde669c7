from django.core.paginator import Paginator
from django.shortcuts import render

from local4action.events.selectors import events_of_initiative
from local4action.monitoring.permissions import can_view_monitoring
from local4action.network.selectors import initiative_panel

from . import selectors
from .choices import InitiativeStatus


def initiative_list(request):
    status = request.GET.get("status", "")
    initiatives = selectors.public_initiative_list(status=status)
    page = Paginator(initiatives, 24).get_page(request.GET.get("page"))
    return render(
        request,
        "initiatives/initiative_list.html",
        {
            "page": page,
            "status": status,
            "statuses": [
                (s.value, s.label)
                for s in (InitiativeStatus.LABELLED, InitiativeStatus.ACCOMPANIED)
            ],
        },
    )


def initiative_detail(request, slug):
    initiative = selectors.initiative_get(user=request.user, slug=slug)
    return render(
        request,
        "initiatives/initiative_detail.html",
        {
            "initiative": initiative,
            "translation": initiative.translation(),
            "can_view_monitoring": can_view_monitoring(request.user, initiative),
            "events": events_of_initiative(request.user, initiative),
            "network": initiative_panel(request.user, initiative),
        },
    )
