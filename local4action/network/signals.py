"""When an initiative's text, SDG targets and goals, policy areas or status change, its related
initiatives are computed again in the background, once per transaction and only after it
commits. The domain write itself does not know about it: this is a derived index, kept fresh the
way a search index is, hence a signal rather than a call in every service that edits initiatives."""

import logging

from django.db.models.signals import m2m_changed, post_delete, post_save

from local4action.core.oncommit import once_on_commit
from local4action.initiatives.models import Initiative, InitiativeTranslation

logger = logging.getLogger(__name__)

# The fields whose change can move an initiative among the others.
WATCHED_FIELDS = {"title", "summary", "status", "lead_organization", "lead_organization_id"}


def _enqueue(initiative_id: int) -> None:
    from .tasks import related_refresh

    try:
        related_refresh.enqueue(initiative_id)
    except Exception:
        # The queue is down or the task failed inline: the save stands, the list is stale
        # until the next change or `manage.py compute_related`.
        logger.exception("Related initiatives of %s could not be refreshed", initiative_id)


def _enqueue_all(initiative_ids: list[int]) -> None:
    for pk in initiative_ids:
        _enqueue(pk)


def schedule(initiative_id: int) -> None:
    """Refresh the initiative's related initiatives after the current transaction commits
    (at once outside a transaction); several changes in one transaction make one refresh."""
    once_on_commit(_enqueue_all, initiative_id)


def initiative_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw:  # fixtures: the command `compute_related` does it afterwards
        return
    if update_fields is not None and not WATCHED_FIELDS & set(update_fields):
        return
    schedule(instance.pk)


def translation_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    schedule(instance.initiative_id)


def relations_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        schedule(instance.pk)
    elif pk_set:
        for pk in pk_set:
            schedule(pk)
    # A target (or goal, area) cleared of all its initiatives from its side: no ids are given;
    # rare enough (reference data) to leave to `manage.py compute_related`.


def connect() -> None:
    post_save.connect(initiative_saved, sender=Initiative, dispatch_uid="network.initiative")
    post_save.connect(
        translation_changed, sender=InitiativeTranslation, dispatch_uid="network.translation"
    )
    post_delete.connect(
        translation_changed,
        sender=InitiativeTranslation,
        dispatch_uid="network.translation_deleted",
    )
    for field in ("targets", "goals", "policy_areas"):
        m2m_changed.connect(
            relations_changed,
            sender=getattr(Initiative, field).through,
            dispatch_uid=f"network.{field}",
        )
