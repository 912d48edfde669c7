"""Background work of the library: reading uploaded documents' text for the search, and
related resources."""

from django_tasks import task


@task()
def extract_file_text(file_id: int) -> str:
    """Read a stored file's text and refresh its resource's search column. Returns the
    outcome (an Extraction value, empty for a file deleted since). Running it twice gives
    the same result."""
    from .models import ResourceFile
    from .services import extract_text

    extract_text(file_id=file_id)
    outcome = ResourceFile.objects.filter(pk=file_id).values_list("extraction", flat=True)
    return outcome.first() or ""


@task()
def refresh_relations(resource_id: int) -> int:
    """Recompute a resource's related resources (and its place among theirs). Returns how
    many it has; a deleted or unpublished resource has none."""
    from .models import Resource, ResourceRelation
    from .services import relations_refresh

    resource = Resource.objects.filter(pk=resource_id).first()
    if resource is None:
        return 0
    relations_refresh(resource=resource)
    return ResourceRelation.objects.filter(resource_id=resource_id).count()
