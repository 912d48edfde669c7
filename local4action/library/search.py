"""The library's search columns: search_text (titles, summaries, translations, the case study
and the files' text, each stemmed in its own language, core.search), search_head (its
start: titles, summaries, authors and translations only, for ranking) and the facet columns
(SDGs, languages, regions: what the catalogue filters and counts by)."""

from django.conf import settings
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


# A language's bit: its place in settings.LANGUAGES (append new languages at the end).
LANGUAGE_BITS = {code: 1 << place for place, (code, _name) in enumerate(settings.LANGUAGES)}


def goal_bit(number: int) -> int:
    return 1 << number


def region_key(pk: int) -> str:
    # Ids between spaces: " 5 12 " holds " 5 " and " 12 ", and " 1 " is in neither.
    return f" {pk} "


def language_bit(code: str) -> int:
    return LANGUAGE_BITS.get(code, 0)


def _spaced(pks) -> str:
    return f" {' '.join(str(pk) for pk in sorted(set(pks)))} " if pks else ""


def facet_columns(resource) -> dict:
    """goal_bits, language_bits, region_keys: its SDGs, the languages it is available in
    (written in, translated into, a file in) and its regional sections. Works on a
    migration's historical model too."""
    languages = {resource.language}
    languages |= {t.language for t in resource.translations.all()}
    languages |= {f.language for f in resource.files.all() if f.language}
    return {
        "goal_bits": sum(goal_bit(goal.number) for goal in resource.goals.all()),
        "region_keys": _spaced(list(resource.regions.values_list("pk", flat=True))),
        "language_bits": sum(language_bit(code) for code in languages),
    }


def refresh(resource: Resource) -> None:
    """Rewrite the resource's search columns and facets from what is stored now."""
    current = (
        Resource.objects.filter(pk=resource.pk)
        .select_related("case")
        .prefetch_related("translations", "files", "goals")
        .first()
    )
    if current is None:
        return
    columns = {"search_text": document_of(current), "search_head": head_of(current)}
    columns.update(facet_columns(current))
    if any(getattr(current, name) != value for name, value in columns.items()):
        Resource.objects.filter(pk=current.pk).update(**columns)
    for name, value in columns.items():
        setattr(resource, name, value)
