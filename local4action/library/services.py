"""Writes of the knowledge library. Every function checks permission itself
(PermissionDenied), validates (ValidationError with a translated message, nothing saved),
records an audit event for each decision, and keeps search_text fresh."""

import hashlib
import logging
import os
import zipfile

import numpy as np
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.utils import timezone, translation
from django.utils.html import strip_tags
from django.utils.text import slugify
from django.utils.translation import gettext as _

from local4action.accounts.choices import MembershipRole, MembershipStatus, PlatformRole
from local4action.accounts.models import User
from local4action.core import search as core_search
from local4action.core.services import audit_record, notify
from local4action.core.uploads import check_upload, reencoded_image

from . import permissions, search
from .choices import Extraction, ResourceKind, ResourceStatus
from .models import (
    Collection,
    CollectionItem,
    GoodPractice,
    Resource,
    ResourceFile,
    ResourceLink,
    ResourceRelation,
    ResourceTranslation,
)

logger = logging.getLogger(__name__)

FIELDS = ("kind", "language", "title", "summary", "authors", "year", "licence", "countries")
RELATIONS = (
    "organizations",
    "goals",
    "targets",
    "policy_areas",
    "regions",
    "initiatives",
    "events",
    "actions",
    "threads",
)
# The work plan and the exchange space are internal: only staff link them.
STAFF_RELATIONS = ("actions", "threads")
# What moves a published resource among the others (relations_refresh).
RELATED_FIELDS = {"kind", "language", "title", "summary", "goals", "targets", "policy_areas"}
CASE_FIELDS = (
    "context",
    "what_was_done",
    "results",
    "success_factors",
    "watch_out",
    "replication",
    "contact",
)
YEAR_MIN, YEAR_MAX = 1950, 2100

# A huge document must not blow up the database or the search column.
TEXT_MAX_CHARS = 1_000_000
PDF_MAX_PAGES = 2000
HASH_CHUNK = 1024 * 1024
OFFICE_ZIP = {"docx", "xlsx", "pptx", "odt", "ods", "odp"}

COVER_MAX_PIXELS = 1600

RELATED = 5
CANDIDATES = 100
VECTOR_SECONDS = 60 * 60 * 24 * 30


class StaleResource(Exception):
    """The resource changed since the form was read (someone else saved first)."""


def _require(condition: bool) -> None:
    if not condition:
        raise PermissionDenied


def _staff():
    return User.objects.filter(is_active=True, groups__name=PlatformRole.SECRETARIAT).distinct()


def _team(organization):
    if organization is None:
        return User.objects.none()
    return User.objects.filter(
        is_active=True,
        memberships__organization=organization,
        memberships__status=MembershipStatus.ACTIVE,
        memberships__role__in=[MembershipRole.EDITOR, MembershipRole.ADMIN],
    ).distinct()


def _unique_slug(model, title: str, fallback: str) -> str:
    base = slugify(title)[:200] or fallback
    slug, n = base, 1
    while model.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _on_commit(task, *args) -> None:
    """Queue a background task once the transaction commits; a queue that is down leaves the
    write standing (the derived data is stale until the next change)."""

    def enqueue():
        try:
            task.enqueue(*args)
        except Exception:
            logger.exception("Library task %s%s could not run", task.name, args)

    transaction.on_commit(enqueue)


def _queue_relations(resource: Resource) -> None:
    from .tasks import refresh_relations

    _on_commit(refresh_relations, resource.pk)


# Resources ----------------------------------------------------------------------------------


def _related_values(name: str, values) -> list[int]:
    """Primary keys of the related objects (objects or ids); unknown ids are refused rather
    than left to fail at commit."""
    model = Resource._meta.get_field(name).related_model
    ids = {getattr(value, "pk", value) for value in values or []}
    try:
        ids = {int(pk) for pk in ids}
    except (TypeError, ValueError):
        raise ValidationError({name: [_("Choose among the proposed values.")]}) from None
    if model.objects.filter(pk__in=ids).count() != len(ids):
        raise ValidationError({name: [_("Some of the chosen values no longer exist.")]})
    return sorted(ids)


def _check_texts(resource: Resource) -> None:
    errors = {}
    if not resource.title:
        errors["title"] = [_("Give the resource a title.")]
    if resource.year is not None and not YEAR_MIN <= resource.year <= YEAR_MAX:
        errors["year"] = [
            _("Give a year between %(min)s and %(max)s.") % {"min": YEAR_MIN, "max": YEAR_MAX}
        ]
    if errors:
        raise ValidationError(errors)


def _cover(uploaded) -> ContentFile:
    """The cover picture, checked and re-encoded (core.uploads), at most COVER_MAX_PIXELS
    wide or high."""
    try:
        return reencoded_image(
            uploaded, max_bytes=settings.ATTACHMENT_MAX_BYTES, max_side=COVER_MAX_PIXELS
        )
    except ValidationError as error:
        raise ValidationError({"cover": error.messages}) from None


def _apply(actor, resource: Resource, data: dict) -> dict:
    """Set the resource's fields from data (validated, not saved); returns the relations to
    set once it is saved, and the changed simple fields."""
    changes = {}
    for field in FIELDS:
        if field not in data:
            continue
        value = data[field]
        if field in ("title", "summary", "authors"):
            value = (value or "").strip()
        elif field == "countries":
            value = list(value or [])
        elif field == "year" and value in ("", None):
            value = None
        elif field == "year":
            try:
                value = int(value)
            except (TypeError, ValueError):
                raise ValidationError({"year": [_("Give the year as a number.")]}) from None
        old = getattr(resource, field)
        if field == "countries":
            old = [str(c) for c in old or []]
        if old != value:
            changes[field] = [str(old), str(value)]
        setattr(resource, field, value)
    _check_texts(resource)
    if "cover" in data:
        if data["cover"]:
            resource.cover = _cover(data["cover"])
            changes["cover"] = ["", resource.cover.name]
        elif resource.cover:
            changes["cover"] = [resource.cover.name, ""]
            resource.cover = ""
    try:
        resource.full_clean(exclude=["slug", "cover", "created_by", "owner_organization"])
    except ValidationError as error:
        raise ValidationError(error.message_dict) from None
    relations = {}
    for name in RELATIONS:
        if name not in data:
            continue
        if name in STAFF_RELATIONS and not permissions.can_manage_library(actor):
            continue
        relations[name] = _related_values(name, data[name])
    return {"relations": relations, "changes": changes}


def _set_relations(resource: Resource, relations: dict) -> list[str]:
    changed = []
    for name, ids in relations.items():
        manager = getattr(resource, name)
        if sorted(manager.values_list("pk", flat=True)) != ids:
            manager.set(ids)
            changed.append(name)
    return changed


@transaction.atomic
def resource_create(*, actor, data: dict, organization=None) -> Resource:
    """A new draft. data: kind, language, title, summary, authors, year, licence, goals,
    targets, policy_areas, regions, countries, initiatives, events, actions, threads (objects
    or ids), cover (uploaded image, optional: checked and re-encoded). A good practice also
    gets its (empty) GoodPractice case. Refuses a resource without a title."""
    if organization is not None:
        _require(permissions.can_submit_for(actor, organization))
    else:
        _require(permissions.can_manage_library(actor))
    resource = Resource(
        owner_organization=organization, created_by=actor, status=ResourceStatus.DRAFT
    )
    applied = _apply(actor, resource, {"kind": ResourceKind.PUBLICATION, **data})
    resource.slug = _unique_slug(Resource, resource.title, "resource")
    resource.save()
    _set_relations(resource, applied["relations"])
    if resource.kind == ResourceKind.GOOD_PRACTICE:
        GoodPractice.objects.create(resource=resource)
    search.refresh(resource)
    audit_record(actor=actor, action="resource.create", target=resource)
    return resource


@transaction.atomic
def resource_update(
    *, actor, resource: Resource, data: dict, expected_version: int | None = None
) -> Resource:
    """Edit fields (same keys as resource_create); StaleResource when expected_version is
    given and no longer current."""
    current = (
        # of=self: PostgreSQL does not lock the nullable side of an outer join.
        Resource.objects.select_for_update(of=("self",))
        .select_related("owner_organization")
        .get(pk=resource.pk)
    )
    _require(permissions.can_edit_resource(actor, current))
    if expected_version is not None and current.version != expected_version:
        raise StaleResource
    applied = _apply(actor, current, data)
    current.version += 1
    current.save()
    changed = set(applied["changes"]) | set(_set_relations(current, applied["relations"]))
    if current.kind == ResourceKind.GOOD_PRACTICE:
        GoodPractice.objects.get_or_create(resource=current)
    search.refresh(current)
    if changed:
        audit_record(
            actor=actor,
            action="resource.update",
            target=current,
            changes={name: applied["changes"].get(name, "changed") for name in sorted(changed)},
        )
    if current.status == ResourceStatus.PUBLISHED and changed & RELATED_FIELDS:
        _queue_relations(current)
    return current


@transaction.atomic
def resource_translation_set(
    *, actor, resource: Resource, language: str, title: str, summary: str = ""
) -> None:
    """Add or replace the translation in `language` (empty title: removes it)."""
    _require(permissions.can_edit_resource(actor, resource))
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": [_("Choose one of the platform's languages.")]})
    if language == resource.language:
        raise ValidationError(
            {"language": [_("This is the resource's original language: edit the resource.")]}
        )
    title, summary = (title or "").strip(), (summary or "").strip()
    if not title:
        if summary:
            raise ValidationError({"title": [_("A translation needs its title.")]})
        deleted, _rows = ResourceTranslation.objects.filter(
            resource=resource, language=language
        ).delete()
        if deleted:
            audit_record(
                actor=actor,
                action="resource.translation_remove",
                target=resource,
                changes={"language": language},
            )
        return
    if len(title) > 300:
        raise ValidationError({"title": [_("Keep the title under 300 characters.")]})
    # The search column follows through signals (a translation may also come from the admin).
    ResourceTranslation.objects.update_or_create(
        resource=resource, language=language, defaults={"title": title, "summary": summary}
    )
    audit_record(
        actor=actor,
        action="resource.translation_set",
        target=resource,
        changes={"language": language},
    )
    if resource.status == ResourceStatus.PUBLISHED:
        _queue_relations(resource)


@transaction.atomic
def good_practice_update(*, actor, resource: Resource, data: dict) -> GoodPractice:
    """The case study's fields (context, what_was_done, results, success_factors,
    watch_out, replication, contact)."""
    _require(permissions.can_edit_resource(actor, resource))
    if resource.kind != ResourceKind.GOOD_PRACTICE:
        raise ValidationError(_("Only a good practice has a case study."))
    case, _created = GoodPractice.objects.select_for_update().get_or_create(resource=resource)
    changed = []
    for field in CASE_FIELDS:
        if field in data:
            value = (data[field] or "").strip()
            if getattr(case, field) != value:
                changed.append(field)
            setattr(case, field, value)
    try:
        case.full_clean(exclude=["resource", "initiative"])
    except ValidationError as error:
        raise ValidationError(error.message_dict) from None
    case.save()  # signals refresh the search column
    if changed:
        audit_record(
            actor=actor, action="resource.case_update", target=resource, changes={"fields": changed}
        )
    return case


def _results_text(initiative) -> str:
    from local4action.monitoring.selectors import public_results

    results = public_results(initiative)
    lines = []
    if results.deliverables_total:
        lines.append(results.deliverables_sentence)
    lines += [indicator.sentence for indicator in results.indicators]
    return "\n".join(lines)


def _done_text(initiative) -> str:
    from local4action.monitoring.choices import DeliverableStatus
    from local4action.monitoring.models import Deliverable

    titles = Deliverable.objects.filter(
        initiative=initiative, status=DeliverableStatus.DELIVERED
    ).values_list("title", flat=True)
    return "\n".join(f"- {title}" for title in titles)


@transaction.atomic
def good_practice_from_initiative(*, actor, initiative) -> Resource:
    """Turn a HUB into a draft good practice in one step, for its team (editors/admins of
    the lead organization) or staff: title, summary, language, SDGs, targets, policy areas,
    region and country from the initiative; the case study pre-filled from its monitoring
    data (monitoring.selectors.public_results: deliverables delivered, indicator results
    with figures) and its story. Linked to the initiative. Returns the existing draft when
    one already exists for this initiative (no duplicates)."""
    from local4action.initiatives.choices import PUBLIC_STATUSES
    from local4action.initiatives.models import Initiative

    # Locked: two clicks at once make one good practice.
    initiative = (
        Initiative.objects.select_for_update()
        .select_related("lead_organization")
        .get(pk=initiative.pk)
    )
    organization = initiative.lead_organization
    _require(permissions.can_submit_for(actor, organization))
    existing = (
        GoodPractice.objects.filter(initiative=initiative)
        .exclude(resource__status=ResourceStatus.WITHDRAWN)
        .select_related("resource")
        .order_by("pk")
        .first()
    )
    if existing is not None:
        return existing.resource
    if initiative.status not in PUBLIC_STATUSES:
        raise ValidationError(
            _("Only a HUB or an accompanied initiative can be shared as a good practice.")
        )
    story = strip_tags(initiative.summary or "").strip()
    resource = resource_create(
        actor=actor,
        organization=organization,
        data={
            "kind": ResourceKind.GOOD_PRACTICE,
            "language": initiative.language,
            "title": initiative.title,
            "summary": story,
            "year": timezone.localdate().year,
            "goals": list(initiative.goals.all()),
            "targets": list(initiative.targets.all()),
            "policy_areas": list(initiative.policy_areas.all()),
            "regions": [s for s in [organization.regional_section_id] if s],
            "countries": [str(organization.country)] if organization.country else [],
            "initiatives": [initiative.pk],
            "organizations": [organization.pk],
        },
    )
    for item in initiative.translations.all():
        if item.language != resource.language and item.title.strip():
            ResourceTranslation.objects.create(
                resource=resource,
                language=item.language,
                title=item.title.strip()[:300],
                summary=strip_tags(item.summary or "").strip(),
            )
    # The figures read in the initiative's language, as the rest of the case study.
    with translation.override(initiative.language):
        results = _results_text(initiative)
    contact = organization.name
    if organization.website:
        contact = f"{contact} – {organization.website}"
    case = resource.case
    case.initiative = initiative
    case.context = story
    case.what_was_done = _done_text(initiative)
    case.results = results
    case.contact = contact[:300]
    case.save()
    audit_record(
        actor=actor,
        action="resource.from_initiative",
        target=resource,
        changes={"initiative": initiative.pk},
    )
    return resource


# Files and links ----------------------------------------------------------------------------


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in (name or "") else ""


def _check_office(uploaded, extension: str) -> None:
    """An office document is a zip with its manifest; a plain zip renamed is refused."""
    manifest = "[Content_Types].xml" if extension in ("docx", "xlsx", "pptx") else "mimetype"
    try:
        uploaded.seek(0)
        with zipfile.ZipFile(uploaded) as archive:
            ok = manifest in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        ok = False
    uploaded.seek(0)
    if not ok:
        raise ValidationError(
            {"file": [_("“%(name)s” is not a valid office document.") % {"name": uploaded.name}]}
        )


def _check_pdf(uploaded) -> None:
    """A PDF that pypdf cannot open at all is refused now; one that opens without text is kept
    (its extraction says so)."""
    import pypdf

    uploaded.seek(0)
    try:
        reader = pypdf.PdfReader(uploaded)
        if reader.is_encrypted and not reader.decrypt(""):
            raise ValidationError(
                {
                    "file": [
                        _("“%(name)s” is protected by a password; send a version readers can open.")
                        % {"name": uploaded.name}
                    ]
                }
            )
        if len(reader.pages) == 0:
            raise ValueError("no page")
    except ValidationError:
        raise
    except Exception:
        raise ValidationError(
            {
                "file": [
                    _("“%(name)s” is damaged or is not a PDF that can be opened; it was not kept.")
                    % {"name": uploaded.name}
                ]
            }
        ) from None
    finally:
        uploaded.seek(0)


def _sha256(uploaded) -> str:
    digest = hashlib.sha256()
    uploaded.seek(0)
    for chunk in uploaded.chunks(HASH_CHUNK):
        digest.update(chunk)
    uploaded.seek(0)
    return digest.hexdigest()


def _duplicate(digest: str) -> ValidationError:
    holder = ResourceFile.objects.filter(sha256=digest).select_related("resource").first()
    title = holder.resource.title if holder else "?"
    return ValidationError(
        {"file": [_("This document is already in the library, in “%(title)s”.") % {"title": title}]}
    )


@transaction.atomic
def resource_file_add(*, actor, resource: Resource, uploaded, language: str) -> ResourceFile:
    """Store a document (PDF or office document, checked by content with
    core.uploads.check_upload, at most settings.LIBRARY_FILE_MAX_BYTES); refuses a file
    already in the library (same content hash) naming the resource that has it. Text
    extraction is queued (tasks.extract_file_text) once the transaction commits."""
    _require(permissions.can_edit_resource(actor, resource))
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": [_("Choose one of the platform's languages.")]})
    try:
        # Checks the size first (from the upload's size, nothing read), then name and content.
        content_type = check_upload(uploaded, max_bytes=settings.LIBRARY_FILE_MAX_BYTES)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from None
    extension = _extension(uploaded.name)
    if extension in OFFICE_ZIP:
        _check_office(uploaded, extension)
    elif extension == "pdf":
        _check_pdf(uploaded)
    digest = _sha256(uploaded)
    if ResourceFile.objects.filter(sha256=digest).exists():
        raise _duplicate(digest)
    name = os.path.basename(uploaded.name)[:255]
    stored = ResourceFile(
        resource=resource,
        language=language,
        file=uploaded,
        name=name,
        content_type=content_type,
        size=uploaded.size,
        sha256=digest,
        extraction=Extraction.PENDING,
    )
    try:
        with transaction.atomic():
            stored.save()
            audit_record(
                actor=actor,
                action="resource.file_add",
                target=resource,
                changes={"file": name, "size": uploaded.size},
            )
    except IntegrityError:
        # The same document sent twice at once: the other one won.
        if stored.file:
            stored.file.delete(save=False)
        raise _duplicate(digest) from None
    from .tasks import extract_file_text

    _on_commit(extract_file_text, stored.pk)
    return stored


@transaction.atomic
def resource_file_remove(*, actor, file: ResourceFile) -> None:
    resource = file.resource
    _require(permissions.can_edit_resource(actor, resource))
    audit_record(
        actor=actor, action="resource.file_remove", target=resource, changes={"file": file.name}
    )
    stored = file.file
    file.delete()
    search.refresh(resource)
    # The document goes from the disk only once its row is surely gone.
    transaction.on_commit(lambda: stored.storage.delete(stored.name))


@transaction.atomic
def resource_link_add(
    *, actor, resource: Resource, url: str, label: str, language: str
) -> ResourceLink:
    """http(s) addresses only; a clear message for anything else."""
    _require(permissions.can_edit_resource(actor, resource))
    url, label = (url or "").strip(), (label or "").strip()
    errors = {}
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        errors["url"] = [
            _("Give a full web address starting with http:// or https:// (%(url)s is not one).")
            % {"url": url[:100] or "—"}
        ]
    if len(url) > 500:
        errors["url"] = [_("Keep the address under 500 characters.")]
    if not label:
        errors["label"] = [_("Say what the link leads to.")]
    if language not in dict(settings.LANGUAGES):
        errors["language"] = [_("Choose one of the platform's languages.")]
    if errors:
        raise ValidationError(errors)
    link = ResourceLink(resource=resource, url=url, label=label[:200], language=language)
    link.save()
    audit_record(actor=actor, action="resource.link_add", target=resource, changes={"url": url})
    return link


@transaction.atomic
def resource_link_remove(*, actor, link: ResourceLink) -> None:
    _require(permissions.can_edit_resource(actor, link.resource))
    audit_record(
        actor=actor, action="resource.link_remove", target=link.resource, changes={"url": link.url}
    )
    link.delete()


# Review and publication ---------------------------------------------------------------------


def _locked(resource: Resource) -> Resource:
    return (
        # of=self: PostgreSQL does not lock the nullable side of an outer join.
        Resource.objects.select_for_update(of=("self",))
        .select_related("owner_organization")
        .get(pk=resource.pk)
    )


def _missing(resource: Resource) -> list[str]:
    missing = []
    if not resource.summary.strip():
        missing.append(_("summary"))
    if resource.kind == ResourceKind.GOOD_PRACTICE:
        case = GoodPractice.objects.filter(resource=resource).first()
        for field, label in (
            ("context", _("context")),
            ("what_was_done", _("what was done")),
            ("results", _("results")),
        ):
            if case is None or not getattr(case, field).strip():
                missing.append(label)
    return missing


def _require_complete(resource: Resource) -> None:
    missing = _missing(resource)
    if missing:
        raise ValidationError(
            _("Fill in before submitting: %(fields)s.") % {"fields": ", ".join(missing)}
        )


def _context(resource: Resource, **extra) -> dict:
    organization = resource.owner_organization
    return {
        "title": resource.title,
        "organization": organization.name if organization else "",
        **extra,
    }


@transaction.atomic
def resource_submit(*, actor, resource: Resource) -> Resource:
    """Draft or returned → submitted; the secretariat is notified. A good practice needs
    its context, what was done and results; any resource needs a summary."""
    current = _locked(resource)
    _require(permissions.can_edit_resource(actor, current))
    if current.status not in (ResourceStatus.DRAFT, ResourceStatus.RETURNED):
        raise ValidationError(_("Only a draft or a returned resource can be submitted."))
    _require_complete(current)
    old = current.status
    current.status = ResourceStatus.SUBMITTED
    current.submitted_at = timezone.now()
    current.save(update_fields=["status", "submitted_at", "updated_at"])
    audit_record(
        actor=actor,
        action="resource.submit",
        target=current,
        changes={"status": [old, current.status]},
    )
    notify(
        recipients=_staff(),
        kind="library_submitted",
        context=_context(current),
        url=current.get_absolute_url(),
    )
    return current


def _collection_append(actor, collection: Collection, resource: Resource) -> bool:
    collection = Collection.objects.select_for_update().get(pk=collection.pk)
    if CollectionItem.objects.filter(collection=collection, resource=resource).exists():
        return False
    last = CollectionItem.objects.filter(collection=collection).aggregate(last=Max("position"))
    CollectionItem.objects.create(
        collection=collection, resource=resource, position=(last["last"] or 0) + 1
    )
    audit_record(
        actor=actor, action="collection.add", target=collection, changes={"resource": resource.pk}
    )
    return True


@transaction.atomic
def resource_publish(*, actor, resource: Resource, collection: Collection | None = None):
    """Staff: submitted (or draft of their own) → published (published_at set), optionally
    appended to a collection; the submitting team is notified."""
    _require(permissions.can_manage_library(actor))
    current = _locked(resource)
    own_draft = current.status == ResourceStatus.DRAFT and (
        current.owner_organization_id is None or current.created_by_id == actor.pk
    )
    if current.status != ResourceStatus.SUBMITTED and not own_draft:
        raise ValidationError(_("Only a submitted resource (or your own draft) can be published."))
    _require_complete(current)
    old = current.status
    current.status = ResourceStatus.PUBLISHED
    current.published_at = timezone.now()
    current.review_note = ""
    current.save(update_fields=["status", "published_at", "review_note", "updated_at"])
    audit_record(
        actor=actor,
        action="resource.publish",
        target=current,
        changes={"status": [old, current.status]},
    )
    if collection is not None:
        _collection_append(actor, collection, current)
    notify(
        recipients=_team(current.owner_organization),
        kind="library_published",
        context=_context(current),
        url=current.get_absolute_url(),
    )
    _queue_relations(current)
    return current


@transaction.atomic
def resource_return(*, actor, resource: Resource, note: str) -> Resource:
    """Staff: submitted → returned with a note (required) for the team."""
    _require(permissions.can_manage_library(actor))
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": [_("Tell the team what to change.")]})
    current = _locked(resource)
    if current.status != ResourceStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted resource can be returned."))
    current.status = ResourceStatus.RETURNED
    current.review_note = note
    current.save(update_fields=["status", "review_note", "updated_at"])
    audit_record(
        actor=actor,
        action="resource.return",
        target=current,
        changes={"status": [ResourceStatus.SUBMITTED, current.status]},
        reason=note,
    )
    notify(
        recipients=_team(current.owner_organization),
        kind="library_returned",
        context=_context(current, note=note),
        url=current.get_absolute_url(),
    )
    return current


@transaction.atomic
def resource_withdraw(*, actor, resource: Resource, reason: str) -> Resource:
    """Staff: published → withdrawn (no longer public), with a reason."""
    _require(permissions.can_manage_library(actor))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why the resource is withdrawn.")]})
    current = _locked(resource)
    if current.status != ResourceStatus.PUBLISHED:
        raise ValidationError(_("Only a published resource can be withdrawn."))
    current.status = ResourceStatus.WITHDRAWN
    current.review_note = reason
    current.save(update_fields=["status", "review_note", "updated_at"])
    audit_record(
        actor=actor,
        action="resource.withdraw",
        target=current,
        changes={"status": [ResourceStatus.PUBLISHED, current.status]},
        reason=reason,
    )
    notify(
        recipients=_team(current.owner_organization),
        kind="library_withdrawn",
        context=_context(current, reason=reason),
        url=current.get_absolute_url(),
    )
    # No longer anyone's neighbour, at once (the refresh also runs in the background).
    ResourceRelation.objects.filter(Q(resource=current) | Q(other=current)).delete()
    return current


def file_downloaded(*, file: ResourceFile) -> None:
    """Count one download (an F() increment: no lost count under concurrency, no personal
    data)."""
    ResourceFile.objects.filter(pk=file.pk).update(downloads=F("downloads") + 1)


# Text extraction ----------------------------------------------------------------------------


def _clean_text(text: str) -> str:
    # PostgreSQL refuses NUL characters in text.
    return " ".join(text.replace("\x00", " ").split())


def _pdf_text(handle) -> str:
    import pypdf

    reader = pypdf.PdfReader(handle)
    if reader.is_encrypted:
        reader.decrypt("")
    parts, size = [], 0
    for number, page in enumerate(reader.pages):
        if number >= PDF_MAX_PAGES or size >= TEXT_MAX_CHARS:
            break
        text = _clean_text(page.extract_text() or "")
        if text:
            parts.append(text)
            size += len(text) + 1
    return "\n".join(parts)


def _docx_text(handle) -> str:
    import docx

    document = docx.Document(handle)
    parts, size = [], 0
    paragraphs = list(document.paragraphs)
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                paragraphs.extend(cell.paragraphs)
    for paragraph in paragraphs:
        if size >= TEXT_MAX_CHARS:
            break
        text = _clean_text(paragraph.text or "")
        if text:
            parts.append(text)
            size += len(text) + 1
    return "\n".join(parts)


READERS = {"pdf": _pdf_text, "docx": _docx_text}


def extract_text(*, file_id: int) -> None:
    """Read the text of a stored file for the search (PDF with pypdf, .docx with
    python-docx; others: not supported), save it with its outcome (done, no text, failed
    with the reason — shown to staff), and refresh the resource's search_text. Idempotent."""
    stored = ResourceFile.objects.select_related("resource").filter(pk=file_id).first()
    if stored is None:
        return
    reader = READERS.get(_extension(stored.name))
    text, error = "", ""
    if reader is None:
        outcome = Extraction.NOT_SUPPORTED
    else:
        try:
            with stored.file.open("rb") as handle:
                text = reader(handle)[:TEXT_MAX_CHARS]
            outcome = Extraction.DONE if text.strip() else Extraction.NO_TEXT
        except Exception as exc:  # whatever a broken document raises: kept for staff to see
            logger.warning("Text of library file %s could not be read: %s", file_id, exc)
            outcome = Extraction.FAILED
            error = f"{type(exc).__name__}: {exc}"[:500]
            text = ""
    with transaction.atomic():
        updated = ResourceFile.objects.filter(pk=file_id).update(
            text=text, extraction=outcome, extraction_error=error
        )
        if updated:
            search.refresh(stored.resource)


# Related resources --------------------------------------------------------------------------


def resource_text(resource: Resource) -> str:
    """Title and summary in every language the resource has (what relatedness compares)."""
    parts = [resource.title, strip_tags(resource.summary or "")]
    for item in resource.translations.all():
        parts += [item.title, strip_tags(item.summary or "")]
    return "\n".join(part.strip() for part in parts if part and part.strip())


def _vectors(engine, texts: dict[int, str]) -> dict[int, np.ndarray]:
    """Vectors of some texts, the ones already embedded read from the cache (keyed by the
    text's hash, so an edit is embedded again) and the others embedded in one batch."""
    from local4action.network import similarity

    keys = {
        pk: f"library:vector:{engine.name}:{hashlib.sha256(text.encode()).hexdigest()}"
        for pk, text in texts.items()
    }
    cached = cache.get_many(list(keys.values()))
    missing = [pk for pk in texts if keys[pk] not in cached]
    fresh = {}
    if missing:
        embedded = engine.embed([texts[pk] for pk in missing])
        for pk, vector in zip(missing, embedded, strict=True):
            fresh[keys[pk]] = similarity.to_bytes(vector)
        cache.set_many(fresh, VECTOR_SECONDS)
    data = {**cached, **fresh}
    return {pk: similarity.from_bytes(data[keys[pk]]) for pk in texts}


def _features(ids: list[int]) -> dict[int, dict]:
    features = {pk: {"targets": set(), "goals": set(), "policy_areas": set()} for pk in ids}
    for pk, code in Resource.targets.through.objects.filter(resource_id__in=ids).values_list(
        "resource_id", "target__code"
    ):
        features[pk]["targets"].add(code)
    for pk, number in Resource.goals.through.objects.filter(resource_id__in=ids).values_list(
        "resource_id", "goal__number"
    ):
        features[pk]["goals"].add(number)
    for pk, area in Resource.policy_areas.through.objects.filter(resource_id__in=ids).values_list(
        "resource_id", "policyarea_id"
    ):
        features[pk]["policy_areas"].add(area)
    return features


def _candidates(resource: Resource) -> list[int]:
    """At most CANDIDATES published resources worth comparing closely: those sharing an SDG
    or a policy area, those whose words match the longest words of the title, then the
    newest of the same kind. (Stored vectors would let every resource be compared; the
    cache in _vectors keeps this affordable meanwhile.)"""
    published = Resource.objects.filter(status=ResourceStatus.PUBLISHED).exclude(pk=resource.pk)
    found: dict[int, None] = {}

    def take(ids):
        for pk in ids:
            if len(found) >= CANDIDATES:
                return
            found.setdefault(pk, None)

    sharing = Q(
        pk__in=Resource.goals.through.objects.filter(
            goal_id__in=resource.goals.values("pk")
        ).values("resource_id")
    ) | Q(
        pk__in=Resource.policy_areas.through.objects.filter(
            policyarea_id__in=resource.policy_areas.values("pk")
        ).values("resource_id")
    )
    take(
        published.filter(sharing)
        .order_by("-published_at")
        .values_list("pk", flat=True)[:CANDIDATES]
    )
    title_words = sorted(
        {w for w in core_search.words(resource.title) if len(w) >= 5}, key=len, reverse=True
    )
    for word in title_words[:4]:
        take(
            core_search.search(published, word)
            .order_by("-search_rank", "-published_at")
            .values_list("pk", flat=True)[:25]
        )
    take(
        published.filter(kind=resource.kind)
        .order_by("-published_at")
        .values_list("pk", flat=True)[:CANDIDATES]
    )
    return list(found)


@transaction.atomic
def relations_refresh(*, resource: Resource, engine=None) -> None:
    """Recompute the resource's related resources (and theirs to it)."""
    from local4action.network import similarity
    from local4action.network.services import relation_between

    current = Resource.objects.filter(pk=resource.pk).prefetch_related("translations").first()
    ResourceRelation.objects.filter(resource=resource).delete()
    ResourceRelation.objects.filter(other=resource).delete()
    if current is None or current.status != ResourceStatus.PUBLISHED:
        return
    candidates = _candidates(current)
    if not candidates:
        return
    engine = engine or similarity.engine()
    others = Resource.objects.filter(pk__in=candidates).prefetch_related("translations")
    texts = {current.pk: resource_text(current)} | {r.pk: resource_text(r) for r in others}
    vectors = _vectors(engine, texts)
    features = _features(list(texts))
    mine = features[current.pk]
    scored = []
    for pk in texts:
        if pk == current.pk:
            continue
        text = similarity.rescaled(float(vectors[pk] @ vectors[current.pk]), engine.floor)
        score, _reasons = relation_between(mine, features[pk], text)
        if score > 0:
            scored.append((score, pk))
    scored.sort(key=lambda item: (-item[0], item[1]))
    ResourceRelation.objects.bulk_create(
        ResourceRelation(resource=current, other_id=pk, score=score)
        for score, pk in scored[:RELATED]
    )
    _place_among_theirs(current, scored[: RELATED * 5])


def _place_among_theirs(resource: Resource, scored: list[tuple[float, int]]) -> None:
    """Relatedness is symmetric: the resource enters the lists of the others it is close to,
    each list keeping its best RELATED."""
    lists: dict[int, list[float]] = {pk: [] for _score, pk in scored}
    for pk, score in ResourceRelation.objects.filter(resource_id__in=list(lists)).values_list(
        "resource_id", "score"
    ):
        lists[pk].append(score)
    new = []
    for score, pk in scored:
        theirs = sorted(lists[pk], reverse=True)
        if len(theirs) < RELATED or score > theirs[RELATED - 1]:
            new.append(ResourceRelation(resource_id=pk, other=resource, score=score))
    ResourceRelation.objects.bulk_create(new)
    for relation in new:
        extra = ResourceRelation.objects.filter(resource_id=relation.resource_id).order_by(
            "-score", "other_id"
        )[RELATED:]
        ResourceRelation.objects.filter(pk__in=list(extra.values_list("pk", flat=True))).delete()


# Collections --------------------------------------------------------------------------------


def _collection_clean(collection: Collection) -> None:
    collection.title = (collection.title or "").strip()
    collection.introduction = (collection.introduction or "").strip()
    if not collection.title:
        raise ValidationError({"title": [_("Give the collection a title.")]})
    try:
        collection.full_clean()
    except ValidationError as error:
        raise ValidationError(error.message_dict) from None


@transaction.atomic
def collection_create(
    *, actor, title: str, introduction: str = "", language: str = "en"
) -> Collection:
    _require(permissions.can_manage_library(actor))
    collection = Collection(
        title=(title or "").strip(), introduction=introduction or "", language=language
    )
    collection.slug = _unique_slug(Collection, collection.title, "collection")
    _collection_clean(collection)
    collection.save()
    audit_record(actor=actor, action="collection.create", target=collection)
    return collection


@transaction.atomic
def collection_update(*, actor, collection: Collection, data: dict) -> Collection:
    """title, introduction, language, published."""
    _require(permissions.can_manage_library(actor))
    current = Collection.objects.select_for_update().get(pk=collection.pk)
    changes = {}
    for field in ("title", "introduction", "language", "published"):
        if field in data:
            value = bool(data[field]) if field == "published" else data[field]
            if getattr(current, field) != value:
                changes[field] = [str(getattr(current, field)), str(value)]
            setattr(current, field, value)
    _collection_clean(current)
    current.save()
    if changes:
        audit_record(actor=actor, action="collection.update", target=current, changes=changes)
    return current


@transaction.atomic
def collection_set_items(*, actor, collection: Collection, resource_ids: list[int]) -> None:
    """The collection's resources in this order (replaces the list)."""
    _require(permissions.can_manage_library(actor))
    collection = Collection.objects.select_for_update().get(pk=collection.pk)
    try:
        ids = [int(pk) for pk in resource_ids]
    except (TypeError, ValueError):
        raise ValidationError(_("Choose resources of the library.")) from None
    if len(set(ids)) != len(ids):
        raise ValidationError(_("A resource can appear only once in a collection."))
    if Resource.objects.filter(pk__in=ids).count() != len(ids):
        raise ValidationError(_("Some of the chosen resources no longer exist."))
    before = list(
        CollectionItem.objects.filter(collection=collection).values_list("resource_id", flat=True)
    )
    if before == ids:
        return
    CollectionItem.objects.filter(collection=collection).delete()
    CollectionItem.objects.bulk_create(
        CollectionItem(collection=collection, resource_id=pk, position=position)
        for position, pk in enumerate(ids, start=1)
    )
    audit_record(
        actor=actor, action="collection.items", target=collection, changes={"resources": ids}
    )


@transaction.atomic
def collection_add(*, actor, collection: Collection, resource: Resource) -> None:
    """Append at the end; nothing when already in it."""
    _require(permissions.can_manage_library(actor))
    _collection_append(actor, collection, resource)
