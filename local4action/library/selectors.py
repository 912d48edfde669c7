"""Reads of the knowledge library: the searchable catalogue with facets, a resource's page,
related resources, collections. A fixed number of queries per page."""

import dataclasses

from django.db.models import QuerySet

from .models import Collection, Resource


@dataclasses.dataclass
class Library:
    """The catalogue's parameters, read from a query string (as initiatives.Catalogue):
    q, kind, sdg, region, language, year (repeatable facets), sort (relevance, newest,
    title), page. Unknown values are left aside."""

    q: str = ""
    kind: list[str] = dataclasses.field(default_factory=list)
    sdg: list[int] = dataclasses.field(default_factory=list)
    region: list[str] = dataclasses.field(default_factory=list)
    language: list[str] = dataclasses.field(default_factory=list)
    year: list[int] = dataclasses.field(default_factory=list)
    sort: str = "relevance"

    @classmethod
    def from_params(cls, params) -> "Library":
        raise NotImplementedError

    def as_params(self) -> list[tuple[str, str]]:
        raise NotImplementedError


def library(query: Library) -> QuerySet:
    """Published resources matching the query, searched (titles, summaries, translations,
    case studies and files' text; accent-insensitive, stemmed EN/FR/ES) and sorted."""
    raise NotImplementedError


def library_facets(query: Library) -> dict[str, list[dict]]:
    """For kind, sdg, region, language, year: [{"value", "label", "count", "selected"}]."""
    raise NotImplementedError


def resource_get(*, user, slug: str) -> Resource:
    """Http404 when the user may not see it."""
    raise NotImplementedError


def resource_languages(resource: Resource) -> list[str]:
    """The languages the resource is available in (original, translations, files)."""
    raise NotImplementedError


def related_resources(resource: Resource, limit: int = 5) -> list[Resource]:
    raise NotImplementedError


def resources_for_goal(goal, limit: int = 10) -> QuerySet:
    raise NotImplementedError


def resources_for_initiative(initiative) -> QuerySet:
    raise NotImplementedError


def resources_to_review() -> QuerySet:
    raise NotImplementedError


def resources_of(user) -> QuerySet:
    """Resources of the user's organizations (drafts included), for their editors."""
    raise NotImplementedError


def collections_public() -> QuerySet:
    raise NotImplementedError


def collection_get(*, user, slug: str) -> Collection:
    raise NotImplementedError


def citation_text(resource: Resource) -> str:
    raise NotImplementedError


def citation_bibtex(resource: Resource) -> str:
    raise NotImplementedError
