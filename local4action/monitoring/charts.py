"""What static/js/charts.js draws, as JSON for a figure's data-chart attribute.

The figure's data table is the text alternative and is always rendered; the JSON also carries a
one-sentence summary that becomes the canvas's accessible name. The JSON goes into the
attribute through Django's autoescaping (never marked safe), so user text such as an indicator
name cannot leave the attribute."""

import datetime
from collections.abc import Iterable

from django.template.defaultfilters import floatformat
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from local4action.core import charts as core_charts

from .choices import DeliverableState, Light
from .models import Deliverable, Indicator

# The same colours as the traffic lights in app.css.
LIGHT_COLORS = {Light.RED: "#a61b1b", Light.AMBER: "#b45309", Light.GREEN: "#116530"}
# Colour and point shape per deliverable state: the shape tells the states apart without colour.
STATE_STYLES = {
    DeliverableState.LATE: ("#a61b1b", "triangle"),
    DeliverableState.DELIVERED_LATE: ("#b45309", "rectRot"),
    DeliverableState.DELIVERED: ("#116530", "circle"),
    DeliverableState.IN_PROGRESS: ("#0b5394", "rect"),
    DeliverableState.PLANNED: ("#52606d", "crossRot"),
    DeliverableState.DROPPED: ("#52606d", "line"),
}


_json = core_charts.chart_json


def _number(value) -> str:
    return floatformat(value, "-2")


def _date(value: datetime.date) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def indicator_chart(indicator: Indicator) -> str:
    """The measured totals (no breakdown) against the straight path from baseline to target.
    Reads the measurements already prefetched on the indicator."""
    totals = sorted(
        (m for m in indicator.measurements.all() if not m.disaggregation),
        key=lambda m: (m.date, m.pk),
    )
    values = {
        "name": indicator.name,
        "unit": indicator.unit,
        "baseline": _number(indicator.baseline_value),
        "start": _date(indicator.baseline_date),
        "target": _number(indicator.target_value),
        "end": _date(indicator.target_date),
    }
    path = _("straight path from %(baseline)s on %(start)s to the target %(target)s on %(end)s")
    if totals:
        summary = ngettext(
            "%(name)s (%(unit)s): %(count)s measured value, %(latest)s on %(last)s; %(path)s.",
            "%(name)s (%(unit)s): %(count)s measured values from %(first)s to %(last)s, "
            "latest %(latest)s; %(path)s.",
            len(totals),
        ) % {
            **values,
            "count": len(totals),
            "first": _date(totals[0].date),
            "last": _date(totals[-1].date),
            "latest": _number(totals[-1].value),
            "path": path % values,
        }
    else:
        summary = _("%(name)s (%(unit)s): no measurement yet; %(path)s.") % {
            **values,
            "path": path % values,
        }
    return _json(
        {
            "kind": "indicator",
            "summary": summary,
            "unit": indicator.unit,
            "labels": {
                "measured": _("Measured"),
                "path": _("Straight path from baseline to target"),
            },
            "measured": [[m.date, float(m.value)] for m in totals],
            "path": [
                [indicator.baseline_date, float(indicator.baseline_value)],
                [indicator.target_date, float(indicator.target_value)],
            ],
        }
    )


def timeline_chart(deliverables: Iterable[Deliverable], today: datetime.date | None = None) -> str:
    """Each deliverable at its due date, shaped and coloured by its state, and today's date."""
    today = today or timezone.localdate()
    items = [(d, d.state(today)) for d in deliverables]
    counts = {state: sum(1 for _d, s in items if s == state) for state in DeliverableState}
    summary = _("%(count)s deliverables from %(first)s to %(last)s: %(states)s.") % {
        "count": len(items),
        "first": _date(min((d.due_date for d, _s in items), default=today)),
        "last": _date(max((d.due_date for d, _s in items), default=today)),
        "states": ", ".join(
            f"{DeliverableState(state).label} {n}" for state, n in counts.items() if n
        ),
    }
    return _json(
        {
            "kind": "timeline",
            "summary": summary,
            "today": today,
            "labels": {"today": _("Today"), "due": _("Due date")},
            "states": [
                {
                    "key": state.value,
                    "label": state.label,
                    "color": STATE_STYLES[state][0],
                    "shape": STATE_STYLES[state][1],
                }
                for state in DeliverableState
                if counts[state]
            ],
            # Two deliverables may share a title: the row label carries the due date too.
            "items": [
                {"label": f"{d.title} ({_date(d.due_date)})", "due": d.due_date, "state": state}
                for d, state in items
            ],
        }
    )


def bar_chart(*, title: str, bars: list[tuple[str, int, str | None]]) -> str:
    """Counts of initiatives as horizontal bars (the shared chart of core.charts)."""
    return core_charts.bar_chart(title=title, series=_("Initiatives"), bars=bars)
