"""Connections, offers and needs, and the network picture."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from local4action.core import actions
from local4action.core.charts import bar_chart
from local4action.core.numbers import whole_number
from local4action.core.once import once
from local4action.initiatives.models import Initiative
from local4action.initiatives.selectors import initiative_get

from . import permissions, selectors, services
from .choices import ExchangeSide
from .forms import ConnectForm, ExchangeItemForm, PictureFilterForm, errors_to_form
from .models import ExchangeItem


def _back(request, default: str) -> str:
    """Where a POST returns to: the page it came from (same site only), else `default`."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _connections_url(initiative: Initiative) -> str:
    return initiative.get_absolute_url() + "#connections"


# Connections -----------------------------------------------------------------------------------


@login_required
def connect(request, slug):
    """The source's team asks the target (the page's initiative) to connect."""
    target = initiative_get(user=request.user, slug=slug)
    sources = selectors.connection_sources(request.user, target)
    if not sources.exists():
        raise PermissionDenied
    form = ConnectForm(request.POST or None, sources=sources)
    if request.method == "POST" and form.is_valid():
        try:
            services.connection_request(
                actor=request.user,
                source=form.cleaned_data["source"],
                target=target,
                kind=form.cleaned_data["kind"],
                message=form.cleaned_data["message"],
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(
                request,
                _("Your request has been sent to the team of %(title)s.") % {"title": target.title},
            )
            return redirect(_connections_url(target))
    return render(request, "network/connect.html", {"target": target, "form": form})


@login_required
@require_POST
def decide(request, pk):
    """The target's team answers a waiting request (accept=1 or accept=0)."""
    connection = selectors.connection_get(request.user, pk)
    answer = request.POST.get("accept")
    back = _back(request, _connections_url(connection.target))
    if answer not in ("0", "1"):
        messages.error(request, _("Choose whether to accept or decline the request."))
        return redirect(back)
    accept = answer == "1"
    actions.run(
        request,
        lambda: services.connection_decide(
            actor=request.user, connection=connection, accept=accept
        ),
        _("The connection is accepted: it now shows on both pages.")
        if accept
        else _("The request is declined."),
    )
    return redirect(back)


@login_required
@require_POST
def withdraw(request, pk):
    """The source withdraws its waiting request; either side ends an accepted connection."""
    connection = selectors.connection_get(request.user, pk)
    actions.run(
        request,
        lambda: services.connection_withdraw(actor=request.user, connection=connection),
        _("The connection has been withdrawn."),
    )
    return redirect(_back(request, _connections_url(connection.source)))


# Offers and needs ------------------------------------------------------------------------------


def _acting_initiative(request, slug) -> Initiative:
    initiative = initiative_get(user=request.user, slug=slug)
    if not permissions.can_act_for_initiative(request.user, initiative):
        raise PermissionDenied
    return initiative


@login_required
@once
def items(request, slug):
    """The team lists what its initiative offers and needs, and sees the suggested matches."""
    initiative = _acting_initiative(request, slug)
    item = None
    wanted = request.POST.get("item") or request.GET.get("edit") or ""
    if wanted:
        pk = whole_number(wanted)
        if pk is None:
            raise Http404
        item = get_object_or_404(ExchangeItem, pk=pk, initiative=initiative)
    initial = (
        {
            "side": item.side,
            "category": item.category,
            "title": item.title,
            "description": item.description,
        }
        if item
        else {"side": request.GET.get("side", ExchangeSide.OFFER)}
    )
    form = ExchangeItemForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.exchange_item_save(
                actor=request.user, initiative=initiative, data=form.cleaned_data, item=item
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("Saved.") if item else _("Added to your offers and needs."))
            return redirect("network:items", slug=initiative.slug)
    mine = list(selectors.exchange_items(initiative))
    return render(
        request,
        "network/items.html",
        {
            "initiative": initiative,
            "offers": [i for i in mine if i.side == ExchangeSide.OFFER],
            "needs": [i for i in mine if i.side == ExchangeSide.NEED],
            "form": form,
            "item": item,
            "matches": selectors.matches_for(initiative),
        },
    )


@login_required
@require_POST
def item_delete(request, pk):
    item = selectors.exchange_item_get(request.user, pk)
    actions.run(
        request,
        lambda: services.exchange_item_delete(actor=request.user, item=item),
        _("Removed from your offers and needs."),
    )
    return redirect("network:items", slug=item.initiative.slug)


# The network picture ---------------------------------------------------------------------------


def _numbers(request) -> dict | None:
    """The secretariat's and partners' figures, with the monthly counts as a bar chart."""
    if not permissions.can_view_network_numbers(request.user):
        return None
    figures = selectors.numbers()
    months = [
        (date_format(row["month"], "YEAR_MONTH_FORMAT"), row["count"])
        for row in figures["per_month"]
    ]
    figures["months"] = months
    figures["chart"] = bar_chart(
        title=_("Connections accepted per month"),
        series=_("Connections"),
        bars=[(label, count, None) for label, count in months],
    )
    share = figures["cross_region_share"]
    figures["cross_region_percent"] = None if share is None else round(100 * share)
    return figures


@require_GET
def picture(request):
    """The graph of public initiatives and their connections, its table alternative (always
    there: the graph is an enhancement) and, for the secretariat and partners, the numbers."""
    form = PictureFilterForm(request.GET or None)
    filters = form.filters()
    data = selectors.graph(**filters)
    query = {
        key: value
        for key, value in (("goal", filters["goal"]), ("region", filters["section"]))
        if value
    }
    graph_url = reverse("network:graph_data")
    if query:
        graph_url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return render(
        request,
        "network/picture.html",
        {
            "form": form,
            "filtered": bool(query),
            "nodes": data["nodes"],
            "edge_count": len(data["edges"]),
            "graph_url": graph_url,
            "numbers": _numbers(request),
        },
    )


@require_GET
def graph_data(request):
    filters = PictureFilterForm(request.GET or None).filters()
    return JsonResponse(selectors.graph(**filters))


urlpatterns = [
    path("initiatives/<slug:slug>/connect/", connect, name="connect"),
    path("network/connections/<int:pk>/decide/", decide, name="decide"),
    path("network/connections/<int:pk>/withdraw/", withdraw, name="withdraw"),
    path("initiatives/<slug:slug>/offers-needs/", items, name="items"),
    path("network/items/<int:pk>/delete/", item_delete, name="item_delete"),
    path("network/", picture, name="picture"),
    path("network/graph.json", graph_data, name="graph_data"),
]
