"""`{% indicator_chart indicator as chart %}` then `<figure data-chart="{{ chart }}">`: the JSON
is a plain string, so autoescaping keeps user text inside the attribute."""

from django import template

from .. import charts

register = template.Library()


@register.simple_tag
def indicator_chart(indicator) -> str:
    return charts.indicator_chart(indicator)


@register.simple_tag
def deliverable_timeline(deliverables) -> str:
    return charts.timeline_chart(deliverables)
