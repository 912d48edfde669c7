from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from local4action.core.catalogues import facet_context, query_string
from local4action.core.numbers import page_beyond_end
from local4action.core.pagecache import public_page
from local4action.core.versions import public_version
from local4action.events.selectors import events_of_initiative
from local4action.monitoring.permissions import can_view_monitoring
from local4action.monitoring.selectors import public_results
from local4action.network.selectors import initiative_panel

from . import selectors
from .permissions import can_act_for_initiative

CATALOGUE_PAGE_SIZE = 20
FACET_NAMES = {
    "sdg": _("Sustainable Development Goal"),
    "region": _("Region"),
    "country": _("Country"),
    "kind": _("Kind of organization"),
    "area": _("Policy area"),
    "status": _("Status"),
    "year": _("Year labelled"),
}


@public_page(selectors.data_version)
def initiative_list(request):
    """The catalogue: search, facets, sort and pages, all held in the address so that a result
    page can be shared; the map, the downloads and the API read the same parameters."""
    query = selectors.Catalogue.from_params(request.GET)
    params = query.as_params()
    paginator = Paginator(selectors.catalogue(query), CATALOGUE_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    asked = request.GET.get("page", "")
    beyond_end = page_beyond_end(asked, paginator.num_pages)
    facets = selectors.facets(query)
    groups, active = facet_context(params, facets, FACET_NAMES, "initiatives:list")
    download = urlencode(params)
    return render(
        request,
        "initiatives/initiative_list.html",
        {
            "query": query,
            "page": page,
            "beyond_end": beyond_end,
            "shortened": len(" ".join(request.GET.get("q", "").split())) > selectors.QUERY_MAX,
            "facet_groups": groups,
            "active_filters": active,
            "sorts": [
                ("relevance", _("Relevance")),
                ("newest", _("Newest label first")),
                ("title", _("Title")),
            ],
            "page_base": query_string(params) + ("&" if params else ""),
            "download_params": "?" + download if download else "",
        },
    )


@public_page(public_version)
def initiative_detail(request, slug):
    """The HUB page: its story, SDGs, places, results in plain words, network and events. No
    map or chart library at first load (the map is a server-drawn picture, the bars SVG)."""
    initiative = selectors.initiative_get(user=request.user, slug=slug)
    return render(
        request,
        "initiatives/initiative_detail.html",
        {
            "initiative": initiative,
            "translation": initiative.translation(),
            "can_view_monitoring": can_view_monitoring(request.user, initiative),
            "can_act": can_act_for_initiative(request.user, initiative),
            "events": events_of_initiative(request.user, initiative),
            "network": initiative_panel(request.user, initiative),
            "results": public_results(initiative),
            "image_url": request.build_absolute_uri(initiative.image.url)
            if initiative.image
            else "",
        },
    )
