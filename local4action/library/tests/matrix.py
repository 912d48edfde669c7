"""Objects for the permission matrix's library rows (see core/tests/test_permission_matrix.py).

A's resources in each state that matters (published; a draft good practice drawn from A's HUB;
submitted; withdrawn), a document and a link on some of them, and two collections (published,
holding A's published resource and A's draft; unpublished)."""

import hashlib
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone

# The review page's decision: the (empty) return form is then what answers.
PAGE_DATA = {"library:review": {"decision": "return"}}


def _may_write_documents() -> bool:
    """The world is built before the tests' private media folder is set: never write the
    documents into the project's own folder (the rows stay, without their file)."""
    root = Path(settings.PRIVATE_MEDIA_ROOT).resolve()
    return not root.is_relative_to(Path(settings.BASE_DIR).resolve())


def _document(resource, name: str):
    from local4action.library.choices import Extraction
    from local4action.library.models import ResourceFile

    content = f"%PDF-1.4\n% permission matrix: {name}\n".encode()
    document = ResourceFile(
        resource=resource,
        language="en",
        name=name,
        content_type="application/pdf",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        extraction=Extraction.NOT_SUPPORTED,
    )
    if _may_write_documents():
        document.file.save(name, ContentFile(content), save=False)
    else:
        document.file.name = f"library/files/{name}"
    document.save()
    return document


def _link(resource):
    from local4action.library.models import ResourceLink

    return ResourceLink.objects.create(
        resource=resource, url="https://example.org/matrix", label="Matrix", language="en"
    )


def objects(world) -> dict:
    from local4action.library import services
    from local4action.library.models import CollectionItem
    from local4action.library.tests.factories import make_collection, make_resource

    org_a = world["org_a"]
    published = make_resource(
        slug="library-matrix-published", title="A's published resource", owner_organization=org_a
    )
    # What A's HUB team gets from "share as a good practice": a draft owned by A.
    draft = services.good_practice_from_initiative(
        actor=world["hub_editor"], initiative=world["hub"]
    )
    submitted = make_resource(
        slug="library-matrix-submitted",
        kind="good_practice",
        status="submitted",
        submitted_at=timezone.now(),
        title="A's submitted good practice",
        owner_organization=org_a,
    )
    withdrawn = make_resource(
        slug="library-matrix-withdrawn",
        status="withdrawn",
        title="A's withdrawn resource",
        owner_organization=org_a,
        published_at=timezone.now(),
    )
    collection = make_collection(slug="library-matrix-collection", published=True)
    CollectionItem.objects.create(collection=collection, resource=published, position=1)
    CollectionItem.objects.create(collection=collection, resource=draft, position=2)
    hidden = make_collection(slug="library-matrix-hidden", published=False)
    return {
        "library_published": {"slug": published.slug},
        "library_draft": {"slug": draft.slug},
        "library_submitted": {"slug": submitted.slug},
        "library_withdrawn": {"slug": withdrawn.slug},
        "library_published_file": {"pk": _document(published, "published.pdf").pk},
        "library_draft_file": {"pk": _document(draft, "draft.pdf").pk},
        "library_submitted_file": {"pk": _document(submitted, "submitted.pdf").pk},
        "library_withdrawn_file": {"pk": _document(withdrawn, "withdrawn.pdf").pk},
        "library_published_link": {"pk": _link(published).pk},
        "library_draft_link": {"pk": _link(draft).pk},
        "library_collection": {"slug": collection.slug},
        "library_hidden_collection": {"slug": hidden.slug},
    }
