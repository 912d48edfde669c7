from django import template
from django.utils.safestring import mark_safe

from local4action.core.richtext import sanitize

register = template.Library()


@register.filter
def richtext(html):
    """Staff-typed rich text, cleaned again when shown: text saved by a path that skipped the
    services (the admin site, a shell) cannot carry a script into the page."""
    return mark_safe(sanitize(html))


@register.filter
def get_item(mapping, key):
    """`{{ answers|get_item:question.key }}`: look a key up in a dict."""
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def number(value):
    """A stored decimal without its trailing zeros: 12.5000 → 12.5, 40.0000 → 40."""
    if value is None or value == "":
        return ""
    from decimal import Decimal

    text = format(Decimal(value).normalize(), "f")
    return text
