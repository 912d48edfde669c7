"""What static/js/charts.js draws, as JSON for a figure's `data-chart` attribute; shared by
every app that draws charts (monitoring, surveys).

The figure's data table is the text alternative and is always rendered; the JSON also carries a
one-sentence summary that becomes the canvas's accessible name. The JSON goes into the
attribute through Django's autoescaping (never marked safe), so user text such as an option
label cannot leave the attribute."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.translation import gettext as _


def chart_json(data: dict) -> str:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))


def bar_chart(*, title: str, series: str, bars: list[tuple[str, int, str | None]]) -> str:
    """Counts as horizontal bars: (label, count, colour or None for the brand colour)."""
    counted = [f"{label} {count}" for label, count, _color in bars if count]
    summary = _("%(title)s: %(counts)s.") % {
        "title": title,
        "counts": ", ".join(counted) if counted else _("none"),
    }
    return chart_json(
        {
            "kind": "bars",
            "summary": summary,
            "series": series,
            "labels": [label for label, _count, _color in bars],
            "values": [count for _label, count, _color in bars],
            "colors": [color for _label, _count, color in bars],
        }
    )
