"""The library's search columns: search_text (titles, summaries, translations, the case study
and the files' text, each stemmed in its own language, core.search) and search_head (its
start: titles, summaries, authors and translations only, for ranking)."""

from django.utils.html import strip_tags

from local4action.core import search

from .models import GoodPractice, Resource

CASE_FIELDS = (
    "context",
    "what_was_done",
    "results",
    "success_factors",
    "watch_out",
    "replication",
)


def _head_parts(resource) -> list[str]:
    parts = [
        search.document(
            resource.title,
            strip_tags(resource.summary or ""),
            resource.authors or "",
            language=resource.language,
        )
    ]
    for translation in resource.translations.all():
        parts.append(
            search.document(
                translation.title,
                strip_tags(translation.summary or ""),
                language=translation.language,
            )
        )
    return parts


def _joined(parts: list[str]) -> str:
    words = " ".join(part.strip() for part in parts if part.strip())
    return f" {words} " if words else ""


def head_of(resource) -> str:
    """The words of the title, summary, authors and translations: the start of document_of,
    stored apart (search_head) for ranking. Works on a migration's historical model too."""
    return _joined(_head_parts(resource))


def document_of(resource: Resource) -> str:
    parts = _head_parts(resource)
    try:
        case = resource.case
    except GoodPractice.DoesNotExist:
        case = None
    if case is not None:
        parts.append(
            search.document(
                *(getattr(case, field) for field in CASE_FIELDS), language=resource.language
            )
        )
    for file in resource.files.all():
        if file.text:
            parts.append(search.document(file.text, language=file.language))
    return _joined(parts)


def refresh(resource: Resource) -> None:
    """Rewrite the resource's search column from what is stored now."""
    current = (
        Resource.objects.filter(pk=resource.pk)
        .select_related("case")
        .prefetch_related("translations", "files")
        .first()
    )
    if current is None:
        return
    text, head = document_of(current), head_of(current)
    if (text, head) != (current.search_text, current.search_head):
        Resource.objects.filter(pk=current.pk).update(search_text=text, search_head=head)
    resource.search_text, resource.search_head = text, head
