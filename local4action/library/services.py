"""Writes of the knowledge library. Every function checks permission itself
(PermissionDenied), validates (ValidationError with a translated message, nothing saved),
records an audit event for each decision, and keeps search_text fresh."""

from .models import Collection, GoodPractice, Resource, ResourceFile, ResourceLink


class StaleResource(Exception):
    """The resource changed since the form was read (someone else saved first)."""


# Resources ----------------------------------------------------------------------------------


def resource_create(*, actor, data: dict, organization=None) -> Resource:
    """A new draft. data: kind, language, title, summary, authors, year, licence, goals,
    targets, policy_areas, regions, countries, initiatives, events, actions, threads (objects
    or ids), cover (uploaded image, optional: checked and re-encoded). A good practice also
    gets its (empty) GoodPractice case. Refuses a resource without a title."""
    raise NotImplementedError


def resource_update(
    *, actor, resource: Resource, data: dict, expected_version: int | None = None
) -> Resource:
    """Edit fields (same keys as resource_create); StaleResource when expected_version is
    given and no longer current."""
    raise NotImplementedError


def resource_translation_set(
    *, actor, resource: Resource, language: str, title: str, summary: str = ""
) -> None:
    """Add or replace the translation in `language` (empty title: removes it)."""
    raise NotImplementedError


def good_practice_update(*, actor, resource: Resource, data: dict) -> GoodPractice:
    """The case study's fields (context, what_was_done, results, success_factors,
    watch_out, replication, contact)."""
    raise NotImplementedError


def good_practice_from_initiative(*, actor, initiative) -> Resource:
    """Turn a HUB into a draft good practice in one step, for its team (editors/admins of
    the lead organization) or staff: title, summary, language, SDGs, targets, policy areas,
    region and country from the initiative; the case study pre-filled from its monitoring
    data (monitoring.selectors.public_results: deliverables delivered, indicator results
    with figures) and its story. Linked to the initiative. Returns the existing draft when
    one already exists for this initiative (no duplicates)."""
    raise NotImplementedError


def resource_file_add(*, actor, resource: Resource, uploaded, language: str) -> ResourceFile:
    """Store a document (PDF or office document, checked by content with
    core.uploads.check_upload, at most settings.LIBRARY_FILE_MAX_BYTES); refuses a file
    already in the library (same content hash) naming the resource that has it. Text
    extraction is queued (tasks.extract_file_text) once the transaction commits."""
    raise NotImplementedError


def resource_file_remove(*, actor, file: ResourceFile) -> None:
    raise NotImplementedError


def resource_link_add(
    *, actor, resource: Resource, url: str, label: str, language: str
) -> ResourceLink:
    """http(s) addresses only; a clear message for anything else."""
    raise NotImplementedError


def resource_link_remove(*, actor, link: ResourceLink) -> None:
    raise NotImplementedError


def resource_submit(*, actor, resource: Resource) -> Resource:
    """Draft or returned → submitted; the secretariat is notified. A good practice needs
    its context, what was done and results; any resource needs a summary."""
    raise NotImplementedError


def resource_publish(*, actor, resource: Resource, collection: Collection | None = None):
    """Staff: submitted (or draft of their own) → published (published_at set), optionally
    appended to a collection; the submitting team is notified."""
    raise NotImplementedError


def resource_return(*, actor, resource: Resource, note: str) -> Resource:
    """Staff: submitted → returned with a note (required) for the team."""
    raise NotImplementedError


def resource_withdraw(*, actor, resource: Resource, reason: str) -> Resource:
    """Staff: published → withdrawn (no longer public), with a reason."""
    raise NotImplementedError


def file_downloaded(*, file: ResourceFile) -> None:
    """Count one download (an F() increment: no lost count under concurrency, no personal
    data)."""
    raise NotImplementedError


def extract_text(*, file_id: int) -> None:
    """Read the text of a stored file for the search (PDF with pypdf, .docx with
    python-docx; others: not supported), save it with its outcome (done, no text, failed
    with the reason — shown to staff), and refresh the resource's search_text. Idempotent."""
    raise NotImplementedError


def relations_refresh(*, resource: Resource) -> None:
    """Recompute the resource's related resources (and theirs to it)."""
    raise NotImplementedError


# Collections --------------------------------------------------------------------------------


def collection_create(
    *, actor, title: str, introduction: str = "", language: str = "en"
) -> Collection:
    raise NotImplementedError


def collection_update(*, actor, collection: Collection, data: dict) -> Collection:
    """title, introduction, language, published."""
    raise NotImplementedError


def collection_set_items(*, actor, collection: Collection, resource_ids: list[int]) -> None:
    """The collection's resources in this order (replaces the list)."""
    raise NotImplementedError


def collection_add(*, actor, collection: Collection, resource: Resource) -> None:
    """Append at the end; nothing when already in it."""
    raise NotImplementedError
