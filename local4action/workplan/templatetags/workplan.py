"""`{% workplan_links obj %}`: the "In the work plan" box on the pages of initiatives, events
and surveys, so that their views need not know about the work plan."""

from django import template

from local4action.workplan import selectors

register = template.Library()


@register.inclusion_tag("workplan/_linked_actions.html", takes_context=True)
def workplan_links(context, obj) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    # The plan is internal: the public page costs no query at all.
    if user is None or not user.is_authenticated:
        return {"actions": []}
    return {"actions": selectors.actions_linked_to(obj, user)}
