from django.urls import reverse
from django.utils.translation import gettext as _

from local4action.core.sdg_links import LinkSection

from .choices import PUBLIC_STATUSES
from .models import Initiative

LIMIT = 20


def initiatives_section(*, goal=None, target=None) -> LinkSection:
    """HUBs and accompanied initiatives working on the goal or target."""
    queryset = Initiative.objects.filter(status__in=PUBLIC_STATUSES)
    queryset = queryset.filter(goals=goal) if goal is not None else queryset.filter(targets=target)
    rows = list(queryset.order_by("-labelled_at", "title").values_list("title", "slug")[:LIMIT])
    total = len(rows) if len(rows) < LIMIT else queryset.count()
    return LinkSection(
        title=_("HUBs and initiatives"),
        items=[(title, reverse("initiatives:detail", args=[slug])) for title, slug in rows],
        total=total,
        more_url=reverse("initiatives:list"),
    )
