"""Pictures for citizens (charts with tables and summaries) and embeddable cards.

The charts are drawn on the server as SVG: no script to download, readable by screen readers
through their title and description, and each comes with its data table and a one-sentence
summary. The same pictures can be embedded in other websites (`embed_chart`), as can a HUB's
card (`embed_hub`): minimal pages without the site's chrome, allowed in frames."""

import dataclasses
from collections import Counter

from csp.decorators import csp_replace
from django.conf import settings
from django.db.models import Count, F, Q
from django.db.models.functions import ExtractYear
from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.clickjacking import xframe_options_exempt
from django_countries import countries

from local4action.core.models import LANGUAGE_CODES, Goal, RegionalSection
from local4action.initiatives.choices import PUBLIC_STATUSES, InitiativeStatus
from local4action.initiatives.models import Initiative
from local4action.monitoring.choices import IndicatorState
from local4action.monitoring.models import Indicator
from local4action.monitoring.selectors import initiative_summary
from local4action.monitoring.status import indicator_state

# A HUB is an initiative that received the label (and may since have completed).
HUB_STATUSES = (InitiativeStatus.LABELLED, InitiativeStatus.COMPLETED)
# Okabe-Ito: told apart by people with the common colour-vision deficiencies.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#56B4E9", "#E69F00", "#000000", "#F0E442")
STATE_COLORS = {
    IndicatorState.REACHED: "#1b5e20",
    IndicatorState.ON_TRACK: "#0072B2",
    IndicatorState.OFF_TRACK: "#b42318",
    IndicatorState.NO_DATA: "#6b7280",
}

# SVG geometry, in user units: each row is a label line above its bar.
WIDTH = 400
VALUE_SPACE = 40
ROW_HEIGHT = 38
BAR_HEIGHT = 14


@dataclasses.dataclass
class Segment:
    label: str
    value: int
    color: str
    x: float = 0
    width: float = 0


@dataclasses.dataclass
class Row:
    label: str
    segments: list[Segment]
    total: int = 0
    y: float = 0
    bar_y: float = 0
    value_x: float = 0


@dataclasses.dataclass
class Chart:
    """A horizontal bar chart (one segment per row, or stacked segments with a legend), its
    one-sentence summary and its data table."""

    name: str
    title: str
    summary: str
    rows: list[Row]
    table_headers: list[str]
    table_rows: list[list]
    legend: list[tuple[str, str]] = dataclasses.field(default_factory=list)
    width: int = WIDTH
    height: int = 0

    def __post_init__(self):
        top = max((row.total for row in self.rows), default=0) or 1
        scale = (WIDTH - VALUE_SPACE) / top
        for index, row in enumerate(self.rows):
            row.y = index * ROW_HEIGHT + 14
            row.bar_y = row.y + 6
            x = 0.0
            for segment in row.segments:
                segment.x = round(x, 1)
                segment.width = round(segment.value * scale, 1)
                x += segment.value * scale
            row.value_x = round(x + 4, 1)
        self.height = max(len(self.rows), 1) * ROW_HEIGHT + 4


def _hubs():
    return Initiative.objects.filter(status__in=HUB_STATUSES, labelled_at__isnull=False)


def sdg_coverage() -> Chart:
    """HUBs per goal, each bar in its goal's colour (one query)."""
    goals = Goal.objects.annotate(
        hubs=Count(
            "initiative",
            filter=Q(initiative__status__in=HUB_STATUSES, initiative__labelled_at__isnull=False),
            distinct=True,
        )
    ).order_by("number")
    rows = [
        Row(label=str(g), segments=[Segment(str(g), g.hubs, g.color)], total=g.hubs) for g in goals
    ]
    covered = [row for row in rows if row.total]
    if covered:
        most = max(covered, key=lambda row: row.total)
        summary = ngettext(
            "%(covered)s of the %(goals)s goals have at least one HUB; the most is %(goal)s, "
            "with %(n)s HUB.",
            "%(covered)s of the %(goals)s goals have at least one HUB; the most is %(goal)s, "
            "with %(n)s HUBs.",
            most.total,
        ) % {"covered": len(covered), "goals": len(rows), "goal": most.label, "n": most.total}
    else:
        summary = _("No HUB works on any goal yet.")
    return Chart(
        name="sdg-coverage",
        title=_("HUBs working on each Sustainable Development Goal"),
        summary=summary,
        rows=rows,
        table_headers=[_("Goal"), _("HUBs")],
        table_rows=[[row.label, row.total] for row in rows],
    )


def hubs_by_region() -> Chart:
    """HUBs labelled each year, stacked by regional section (two queries)."""
    counts = (
        _hubs()
        .annotate(year=ExtractYear("labelled_at"), region=F("lead_organization__regional_section"))
        .values("year", "region")
        .annotate(n=Count("pk"))
        .order_by()
    )
    found = {(row["year"], row["region"]): row["n"] for row in counts}
    sections = [(s.pk, s.name) for s in RegionalSection.objects.all()]
    if any(region is None for _year, region in found):
        sections.append((None, _("No regional section")))
    sections = [(pk, name) for pk, name in sections if any(r == pk for _y, r in found)]
    colors = {pk: PALETTE[i % len(PALETTE)] for i, (pk, _name) in enumerate(sections)}
    years = sorted({year for year, _region in found})
    rows = []
    for year in years:
        segments = [
            Segment(name, found.get((year, pk), 0), colors[pk])
            for pk, name in sections
            if found.get((year, pk))
        ]
        rows.append(Row(label=str(year), segments=segments, total=sum(s.value for s in segments)))
    total = sum(found.values())
    if total:
        by_region = Counter()
        for (_year, region), n in found.items():
            by_region[region] += n
        leader, n = by_region.most_common(1)[0]
        summary = _("%(total)s HUBs labelled since %(first)s; %(region)s leads with %(n)s.") % {
            "total": total,
            "first": years[0],
            "region": dict(sections)[leader],
            "n": n,
        }
    else:
        summary = _("No HUB has been labelled yet.")
    return Chart(
        name="hubs-by-region",
        title=_("HUBs labelled each year, by region"),
        summary=summary,
        rows=rows,
        table_headers=[_("Year"), *[name for _pk, name in sections], _("Total")],
        table_rows=[
            [year, *[found.get((year, pk), 0) for pk, _name in sections], row.total]
            for year, row in zip(years, rows, strict=True)
        ],
        legend=[(name, colors[pk]) for pk, name in sections],
    )


def indicator_progress() -> Chart:
    """Indicators of the public initiatives by state, judged as on the HUB pages (one query)."""
    values = Indicator.objects.filter(initiative__status__in=list(PUBLIC_STATUSES)).values_list(
        "baseline_value",
        "target_value",
        "baseline_date",
        "target_date",
        "latest_value",
        "latest_date",
    )
    states = Counter(
        indicator_state(
            baseline=b, target=t, baseline_date=bd, target_date=td, latest_value=v, latest_date=d
        )
        for b, t, bd, td, v, d in values
    )
    order = (
        IndicatorState.REACHED,
        IndicatorState.ON_TRACK,
        IndicatorState.OFF_TRACK,
        IndicatorState.NO_DATA,
    )
    total = sum(states.values())
    rows = [
        Row(
            label=str(state.label),
            segments=[Segment(str(state.label), states[state], STATE_COLORS[state])],
            total=states[state],
        )
        for state in order
    ]
    if total:
        summary = ngettext(
            "Of %(total)s indicator followed by the HUBs, %(reached)s reached its target, "
            "%(on)s on track, %(off)s off track and %(none)s not measured yet.",
            "Of %(total)s indicators followed by the HUBs, %(reached)s reached their target, "
            "%(on)s are on track, %(off)s off track and %(none)s not measured yet.",
            total,
        ) % {
            "total": total,
            "reached": states[IndicatorState.REACHED],
            "on": states[IndicatorState.ON_TRACK],
            "off": states[IndicatorState.OFF_TRACK],
            "none": states[IndicatorState.NO_DATA],
        }
    else:
        summary = _("No indicator is followed yet.")
    return Chart(
        name="indicator-progress",
        title=_("Progress of the indicators"),
        summary=summary,
        rows=rows,
        table_headers=[_("State"), _("Indicators"), _("Share")],
        table_rows=[
            [row.label, row.total, f"{round(100 * row.total / total) if total else 0} %"]
            for row in rows
        ],
    )


CHARTS = {
    "sdg-coverage": sdg_coverage,
    "hubs-by-region": hubs_by_region,
    "indicator-progress": indicator_progress,
}


def _embed_language(request):
    """An embedding site chooses the language with ?lang=fr; otherwise the visitor's."""
    language = request.GET.get("lang", "")
    if language not in LANGUAGE_CODES:
        language = translation.get_language()
    return translation.override(language)


def pictures(request):
    return render(
        request,
        "portal/pictures/pictures.html",
        {"charts": [build() for build in CHARTS.values()]},
    )


# Embeds are made to be framed by any site (the CSP's frame-ancestors says so too).
@xframe_options_exempt
@csp_replace({"frame-ancestors": ["*"]})
def embed_chart(request, name):
    build = CHARTS.get(name)
    if build is None:
        raise Http404
    with _embed_language(request):
        return render(
            request,
            "portal/embed/chart.html",
            {
                "chart": build(),
                "site_url": settings.SITE_URL.rstrip("/"),
                "language": translation.get_language(),
            },
        )


@xframe_options_exempt
@csp_replace({"frame-ancestors": ["*"]})
def embed_hub(request, slug):
    hub = (
        Initiative.objects.filter(slug=slug, status__in=list(PUBLIC_STATUSES))
        .select_related("lead_organization")
        .prefetch_related("goals", "translations")
        .first()
    )
    if hub is None:
        raise Http404
    with _embed_language(request):
        summary = initiative_summary(hub)
        parts = []
        if summary.deliverables_due:
            parts.append(
                ngettext(
                    "%(n)s of %(due)s deliverable due delivered on time",
                    "%(n)s of %(due)s deliverables due delivered on time",
                    summary.deliverables_due,
                )
                % {"n": summary.deliverables_on_time, "due": summary.deliverables_due}
            )
        measured = summary.indicators_measured
        if measured:
            parts.append(
                ngettext(
                    "%(n)s of %(total)s measured indicator on track",
                    "%(n)s of %(total)s measured indicators on track",
                    measured,
                )
                % {"n": summary.indicators_on_track, "total": measured}
            )
        country = hub.lead_organization.country
        return render(
            request,
            "portal/embed/hub.html",
            {
                "hub": hub,
                "translation": hub.translation(),
                "country": countries.name(country) if country else "",
                "progress": "; ".join(parts),
                "site_url": settings.SITE_URL.rstrip("/"),
                "language": translation.get_language(),
            },
        )


urlpatterns = [
    path("pictures/", pictures, name="pictures"),
    path("embed/hubs/<slug:slug>/", embed_hub, name="embed_hub"),
    path("embed/charts/<slug:name>/", embed_chart, name="embed_chart"),
]
