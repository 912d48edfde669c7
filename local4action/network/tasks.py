"""Background work of the network: an initiative's related initiatives, computed again after it
changes."""

import logging

from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def related_refresh(initiative_id: int) -> int:
    """Embed the initiative's text (unless unchanged) and recompute its nearest neighbours,
    entering or leaving theirs. Returns how many neighbours it has; a deleted initiative has
    none. Running it twice gives the same result."""
    from local4action.initiatives.models import Initiative

    from . import services

    initiative = (
        Initiative.objects.filter(pk=initiative_id).prefetch_related("translations").first()
    )
    if initiative is None:
        return 0
    return len(services.relations_refresh(initiative))
