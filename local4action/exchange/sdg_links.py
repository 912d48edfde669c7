from django.urls import reverse
from django.utils.translation import gettext as _

from local4action.core.sdg_links import LinkSection

from .choices import Topic


def discussions_section(*, goal=None, target=None) -> LinkSection | None:
    """A link to the discussions about the goal. Threads are for signed-in members, so the
    public goal page shows only the way in (and costs no query)."""
    if goal is None:
        return None
    return LinkSection(
        title=_("Discussions"),
        items=[
            (
                _("Discussions about this goal, and starting one"),
                reverse("exchange:topic", args=[Topic.GOAL, goal.pk]),
            )
        ],
        total=1,
    )
