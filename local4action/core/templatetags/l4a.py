from django import template

register = template.Library()


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
