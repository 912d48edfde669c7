"""Keep the catalogue's search column in step with titles, summaries and translations, however
they are saved (services, admin, imports)."""

from django.db.models.signals import post_delete, post_save

from . import search
from .models import Initiative, InitiativeTranslation


def initiative_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        search.refresh(instance)


def translation_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    initiative = Initiative.objects.filter(pk=instance.initiative_id).first()
    if initiative is not None:
        search.refresh(initiative)


def connect() -> None:
    post_save.connect(initiative_saved, sender=Initiative, dispatch_uid="initiatives.search")
    post_save.connect(
        translation_changed, sender=InitiativeTranslation, dispatch_uid="initiatives.search.t"
    )
    post_delete.connect(
        translation_changed, sender=InitiativeTranslation, dispatch_uid="initiatives.search.d"
    )
