from django.urls import reverse
from django.utils.translation import gettext as _

from local4action.core.sdg_links import LinkSection

from .choices import Visibility
from .models import Event

LIMIT = 20


def events_section(*, goal=None, target=None) -> LinkSection | None:
    """Public events on the goal (events are linked to goals, not to targets)."""
    if goal is None:
        return None
    queryset = Event.objects.filter(published=True, visibility=Visibility.PUBLIC, goals=goal)
    rows = list(queryset.order_by("-start_at", "pk").values_list("title", "slug")[:LIMIT])
    total = len(rows) if len(rows) < LIMIT else queryset.count()
    return LinkSection(
        title=_("Events"),
        items=[(title, reverse("events:detail", args=[slug])) for title, slug in rows],
        total=total,
        more_url=reverse("events:list"),
    )
