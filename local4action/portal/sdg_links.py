"""The SDG pages list the HUBs and initiatives working on a goal or target with the progress
they report. It takes the place of the initiatives app's list (same rows, plus one line each):
the portal reads monitoring, the initiatives app does not."""

from django.urls import reverse
from django.utils.translation import gettext as _

from local4action.core.sdg_links import LinkSection
from local4action.initiatives.choices import PUBLIC_STATUSES
from local4action.initiatives.models import Initiative

from .selectors import reported_progress

LIMIT = 20


def initiatives_progress_section(*, goal=None, target=None) -> LinkSection:
    """HUBs and accompanied initiatives on the goal or target, each with its progress: two
    queries (a third, the total, only when the list is cut)."""
    queryset = Initiative.objects.filter(status__in=PUBLIC_STATUSES)
    queryset = queryset.filter(goals=goal) if goal is not None else queryset.filter(targets=target)
    rows = list(
        queryset.order_by("-labelled_at", "title").values_list("pk", "title", "slug")[:LIMIT]
    )
    total = len(rows) if len(rows) < LIMIT else queryset.count()
    progress = reported_progress([pk for pk, _title, _slug in rows])
    return LinkSection(
        title=_("HUBs and initiatives, and the progress they report"),
        items=[(title, reverse("initiatives:detail", args=[slug])) for _pk, title, slug in rows],
        notes=[progress[pk].sentence for pk, _title, _slug in rows],
        total=total,
        more_url=reverse("initiatives:list"),
    )
