"""The catalogue's search column: each text stemmed in its own language."""

from django.utils.html import strip_tags

from local4action.core import search

from .models import Initiative


def document_of(initiative: Initiative) -> str:
    parts = [
        search.document(
            initiative.title, strip_tags(initiative.summary or ""), language=initiative.language
        )
    ]
    for translation in initiative.translations.all():
        parts.append(
            search.document(
                translation.title,
                strip_tags(translation.summary or ""),
                language=translation.language,
            )
        )
    words = " ".join(part.strip() for part in parts if part.strip())
    return f" {words} " if words else ""


def refresh(initiative: Initiative) -> None:
    text = document_of(initiative)
    if text != initiative.search_text:
        Initiative.objects.filter(pk=initiative.pk).update(search_text=text)
        initiative.search_text = text
