"""`{% embed_code url title %}`: the copyable <iframe> snippet that shows one of the portal's
embeddable pages (a HUB's card, a chart) on another website."""

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.html import escape, format_html
from django.utils.text import slugify

register = template.Library()


@register.simple_tag
def embed_code(url: str, title: str, height: int = 320) -> str:
    """`url` is the embed page's path (e.g. from {% url 'portal:embed_hub' slug %})."""
    src = url if url.startswith(("http://", "https://")) else settings.SITE_URL.rstrip("/") + url
    # Escaped once more for the textarea, which then shows the snippet exactly as it must be
    # pasted, quotes in the title included.
    snippet = escape(
        format_html(
            '<iframe src="{}" title="{}" width="100%" height="{}" style="border:0" '
            'loading="lazy"></iframe>',
            src,
            title,
            int(height),
        )
    )
    return render_to_string(
        "portal/embed/code.html",
        {"code_id": "embed-" + slugify(url), "snippet": snippet},
    )
