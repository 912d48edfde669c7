from django.urls import reverse
from django.utils.translation import gettext as _

from local4action.core.sdg_links import LinkSection

from .choices import ResourceStatus
from .models import Resource

LIMIT = 20


def resources_section(*, goal=None, target=None) -> LinkSection:
    """Published library resources on the goal or target."""
    queryset = Resource.objects.filter(status=ResourceStatus.PUBLISHED)
    queryset = queryset.filter(goals=goal) if goal is not None else queryset.filter(targets=target)
    rows = list(queryset.order_by("-published_at", "-pk").values_list("title", "slug")[:LIMIT])
    total = len(rows) if len(rows) < LIMIT else queryset.count()
    more_url = reverse("library:catalogue")
    if goal is not None:
        more_url += f"?sdg={goal.number}"
    return LinkSection(
        title=_("Library resources"),
        items=[(title, reverse("library:resource", args=[slug])) for title, slug in rows],
        total=total,
        more_url=more_url,
    )
