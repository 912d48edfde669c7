"""The library's search column: titles, summaries, translations, the case study and the
files' text, each stemmed in its own language (core.search)."""

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


def document_of(resource: Resource) -> str:
    language = resource.language
    parts = [
        search.document(
            resource.title,
            strip_tags(resource.summary or ""),
            resource.authors or "",
            language=language,
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
    try:
        case = resource.case
    except GoodPractice.DoesNotExist:
        case = None
    if case is not None:
        parts.append(
            search.document(*(getattr(case, field) for field in CASE_FIELDS), language=language)
        )
    for file in resource.files.all():
        if file.text:
            parts.append(search.document(file.text, language=file.language))
    words = " ".join(part.strip() for part in parts if part.strip())
    return f" {words} " if words else ""


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
    text = document_of(current)
    if text != current.search_text:
        Resource.objects.filter(pk=current.pk).update(search_text=text)
    resource.search_text = text
