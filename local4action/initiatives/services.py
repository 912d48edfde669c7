"""Writes on initiatives. Initiatives are created and changed through applications (calls app)
and by the secretariat."""

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from local4action.accounts.choices import LRG_KINDS
from local4action.core.services import audit_record
from local4action.core.uploads import reencoded_if_new

from .choices import InitiativeStatus
from .models import Initiative, InitiativeTranslation, Location
from .selectors import CATALOGUE_VERSION

FIELDS = ("title", "summary", "language", "scale", "start_date", "end_date", "website", "image")
RELATIONS = ("goals", "targets", "policy_areas", "partners")


def data_changed() -> None:
    """What the public catalogue shows has changed (called by the signals)."""
    CATALOGUE_VERSION.changed()


def _unique_slug(title: str) -> str:
    base = slugify(title)[:200] or "initiative"
    slug, n = base, 1
    while Initiative.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def initiative_create_draft(*, actor, organization, title: str, language: str) -> Initiative:
    """A draft initiative led by an LRG (local or regional government, or association)."""
    if organization.kind not in LRG_KINDS:
        raise ValidationError(
            _("Only local and regional governments and their associations lead initiatives.")
        )
    initiative = Initiative(
        title=title.strip(),
        language=language,
        lead_organization=organization,
        created_by=actor,
        slug=_unique_slug(title),
    )
    initiative.full_clean()
    initiative.save()
    audit_record(actor=actor, action="initiative.create", target=initiative)
    return initiative


@transaction.atomic
def initiative_update(*, initiative: Initiative, data: dict[str, Any]) -> Initiative:
    """Apply edited fields; the caller has checked who may edit (an application draft).
    All or nothing: a refused location or relation leaves the initiative as it was."""
    for field in FIELDS:
        if field in data:
            value = data[field]
            if field == "image":
                value = reencoded_if_new(
                    value, field="image", max_bytes=settings.ATTACHMENT_MAX_BYTES
                )
            setattr(initiative, field, value)
    initiative.full_clean(exclude=["slug"])
    initiative.save()
    for relation in RELATIONS:
        if relation in data:
            getattr(initiative, relation).set(data[relation])
    if "locations" in data:
        initiative.locations.all().delete()
        for location in data["locations"]:
            row = Location(initiative=initiative, **location)
            row.full_clean(exclude=["initiative"])
            row.save()
    if "translations" in data:
        for language, texts in data["translations"].items():
            if language == initiative.language or not (texts.get("title") or "").strip():
                InitiativeTranslation.objects.filter(
                    initiative=initiative, language=language
                ).delete()
                continue
            translation = InitiativeTranslation.objects.filter(
                initiative=initiative, language=language
            ).first() or InitiativeTranslation(initiative=initiative, language=language)
            translation.title = texts["title"].strip()
            translation.summary = (texts.get("summary") or "").strip()
            # Checked as the initiative is: an over-long title is refused, not cut or a 500.
            translation.full_clean(exclude=["initiative"], validate_unique=False)
            translation.save()
    return initiative


@transaction.atomic
def initiative_set_status(*, actor, initiative: Initiative, status: str, reason: str = "") -> None:
    """Record a change of lifecycle state (a decision, completion or withdrawal)."""
    if status not in InitiativeStatus.values:
        raise ValidationError(_("Unknown status."))
    old = initiative.status
    initiative.status = status
    if status == InitiativeStatus.LABELLED and initiative.labelled_at is None:
        initiative.labelled_at = timezone.now()
    initiative.save(update_fields=["status", "labelled_at", "updated_at"])
    audit_record(
        actor=actor,
        action="initiative.status",
        target=initiative,
        changes={"status": [old, status]},
        reason=reason,
    )


@transaction.atomic
def initiative_complete(*, actor, initiative: Initiative) -> None:
    """The secretariat closes the follow-up of a HUB or accompanied initiative."""
    from local4action.accounts.permissions import is_secretariat

    if not is_secretariat(actor):
        raise PermissionDenied
    if initiative.status not in (InitiativeStatus.LABELLED, InitiativeStatus.ACCOMPANIED):
        raise ValidationError(_("Only HUBs and accompanied initiatives can be completed."))
    initiative_set_status(actor=actor, initiative=initiative, status=InitiativeStatus.COMPLETED)
