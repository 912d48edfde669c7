"""The secretariat's dashboard of the whole portfolio: counts and charts by status, regional
section and SDG, what needs attention, and the table of every followed initiative."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _

from . import charts, permissions, selectors, services
from .filters import PortfolioFilterForm

ROWS_PER_PAGE = 50
# The first this many initiatives at risk or needing attention are listed with their reasons;
# the table, filtered by status, shows the others.
ATTENTION_LISTED = 20


def _query(request, **changes) -> str:
    """The current query string with some parameters changed; a new filter or sort goes back
    to the first page."""
    query = request.GET.copy()
    query.pop("page", None)
    for key, value in changes.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = str(value)
    return f"?{query.urlencode()}" if query else request.path


def _page(request, number: int) -> str:
    query = request.GET.copy()
    query["page"] = str(number)
    return f"?{query.urlencode()}"


def _columns(request, sort: str) -> list[dict]:
    """The portfolio table's sortable headers: their state (aria-sort) and where they lead."""
    field, descending = sort.removeprefix("-"), sort.startswith("-")
    columns = []
    for key, label in (
        ("name", _("Initiative")),
        ("region", _("Regional section")),
        ("sdg", _("SDGs")),
        ("light", _("Status")),
    ):
        current = key == field
        columns.append(
            {
                "label": label,
                "aria_sort": ("descending" if descending else "ascending") if current else "",
                "href": _query(request, sort=f"-{key}" if current and not descending else key),
            }
        )
    return columns


def _chart(*, title: str, heading: str, rows: list[tuple[str, str, int, str | None]]) -> dict:
    """One bar chart and its table: rows of (label, filter link, count, bar colour)."""
    return {
        "title": title,
        "heading": heading,
        "rows": [(label, href, n) for label, href, n, _color in rows],
        "json": charts.bar_chart(
            title=title, bars=[(label, n, color) for label, _href, n, color in rows]
        ),
    }


@login_required
def dashboard(request):
    if not permissions.can_view_portfolio(request.user):
        raise PermissionDenied
    # Lights depend on the day: judged yesterday, they are judged again in the background.
    services.statuses_refresh_enqueue()
    form = PortfolioFilterForm(request.GET or None)
    data = selectors.portfolio(
        user=request.user,
        **form.selected(),
        sort=request.GET.get("sort", ""),
        page=request.GET.get("page"),
        per_page=ROWS_PER_PAGE,
        attention_limit=ATTENTION_LISTED,
    )
    page = data.page
    figures = [
        _chart(
            title=_("Initiatives by status"),
            heading=_("Status"),
            rows=[
                (label, _query(request, light=light), n, charts.LIGHT_COLORS[light])
                for light, label, n in data.by_light
            ],
        ),
        _chart(
            title=_("Initiatives by regional section"),
            heading=_("Regional section"),
            rows=[
                (region.name, _query(request, region=region.slug), n, None)
                if region
                else (_("No regional section"), "", n, None)
                for region, n in data.by_region
            ],
        ),
        _chart(
            title=_("Initiatives by SDG"),
            heading=_("SDG"),
            rows=[
                (f"{goal.number}. {goal.short}", _query(request, sdg=goal.number), n, goal.color)
                for goal, n in data.by_sdg
            ],
        ),
    ]
    return render(
        request,
        "monitoring/dashboard.html",
        {
            "form": form,
            "portfolio": data,
            "page": page,
            "columns": _columns(request, data.sort),
            "figures": figures,
            "counts": {light: n for light, _label, n in data.by_light},
            "attention": data.attention,
            "attention_more": max(0, data.attention_total - len(data.attention)),
            "previous_href": page.has_previous() and _page(request, page.previous_page_number()),
            "next_href": page.has_next() and _page(request, page.next_page_number()),
        },
    )
