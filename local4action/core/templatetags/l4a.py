from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """`{{ answers|get_item:question.key }}`: look a key up in a dict."""
    return mapping.get(key) if hasattr(mapping, "get") else None
