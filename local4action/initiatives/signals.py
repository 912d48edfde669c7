"""Keep the catalogue's search column in step with titles, summaries and translations, and its
data version (the key of cached pages, facets and map data) in step with everything the
catalogue shows, however they are saved (services, admin, imports)."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from local4action.accounts.models import Organization

from . import search, services
from .models import Initiative, InitiativeTranslation, Location


def initiative_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        search.refresh(instance)
        services.data_changed()


def translation_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    initiative = Initiative.objects.filter(pk=instance.initiative_id).first()
    if initiative is not None:
        search.refresh(initiative)
    services.data_changed()


def shown_data_changed(sender, raw=False, action=None, **kwargs):
    """Places, SDGs, targets, areas, partners and lead organizations appear in the catalogue."""
    if raw or (action is not None and not action.startswith("post_")):
        return
    services.data_changed()


def connect() -> None:
    post_save.connect(initiative_saved, sender=Initiative, dispatch_uid="initiatives.search")
    post_save.connect(
        translation_changed, sender=InitiativeTranslation, dispatch_uid="initiatives.search.t"
    )
    post_delete.connect(
        translation_changed, sender=InitiativeTranslation, dispatch_uid="initiatives.search.d"
    )
    post_delete.connect(
        shown_data_changed, sender=Initiative, dispatch_uid="initiatives.version.delete"
    )
    for model in (Location, Organization):
        name = model.__name__.lower()
        post_save.connect(shown_data_changed, sender=model, dispatch_uid=f"version.{name}.s")
        post_delete.connect(shown_data_changed, sender=model, dispatch_uid=f"version.{name}.d")
    for field in ("goals", "targets", "policy_areas", "partners"):
        m2m_changed.connect(
            shown_data_changed,
            sender=getattr(Initiative, field).through,
            dispatch_uid=f"initiatives.version.{field}",
        )
