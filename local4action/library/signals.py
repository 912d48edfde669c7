"""Keep a resource's search columns and facets in step with its translations, case study,
files, SDGs and regions, and the library's data version (the key of cached facets and
pages) in step with everything the public library shows, however they are saved (services,
admin, demo data). The services that write the resource's own fields refresh it after."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from . import search, selectors
from .models import (
    Collection,
    CollectionItem,
    GoodPractice,
    Resource,
    ResourceFile,
    ResourceLink,
    ResourceTranslation,
)


def part_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    resource = Resource.objects.filter(pk=instance.resource_id).first()
    if resource is not None:
        search.refresh(resource)


def links_changed(sender, instance, action, reverse, pk_set=None, **kwargs):
    if not action.startswith("post_"):
        return
    if not reverse:
        search.refresh(instance)
        return
    # From the goal's or the region's side: every resource it was (un)linked to.
    for resource in Resource.objects.filter(pk__in=pk_set or ()):
        search.refresh(resource)


def shown_data_changed(sender, raw=False, action=None, **kwargs):
    if raw or (action is not None and not action.startswith("post_")):
        return
    selectors.data_changed()


def connect() -> None:
    for model in (ResourceTranslation, GoodPractice, ResourceFile):
        name = model.__name__.lower()
        post_save.connect(part_changed, sender=model, dispatch_uid=f"library.search.{name}.s")
        post_delete.connect(part_changed, sender=model, dispatch_uid=f"library.search.{name}.d")
    shown = (
        Resource,
        ResourceTranslation,
        GoodPractice,
        ResourceFile,
        ResourceLink,
        Collection,
        CollectionItem,
    )
    for model in shown:
        name = model.__name__.lower()
        post_save.connect(shown_data_changed, sender=model, dispatch_uid=f"library.v.{name}.s")
        post_delete.connect(shown_data_changed, sender=model, dispatch_uid=f"library.v.{name}.d")
    for field in ("goals", "targets", "policy_areas", "regions", "organizations"):
        m2m_changed.connect(
            shown_data_changed,
            sender=getattr(Resource, field).through,
            dispatch_uid=f"library.v.{field}",
        )
    for field in ("goals", "regions"):
        m2m_changed.connect(
            links_changed,
            sender=getattr(Resource, field).through,
            dispatch_uid=f"library.search.{field}",
        )
