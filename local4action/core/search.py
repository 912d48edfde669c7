"""Full-text search that behaves the same on SQLite and PostgreSQL: accent-insensitive and
stemmed in English, French and Spanish (Snowball stemmers).

A searchable model keeps a text column of stemmed, accent-free words (`document()`), written by
its services. A query word matches a document word when one of its three stems (EN, FR, ES)
equals it, so "villes", "ciudades" or "cities" each find their own language's forms. PostgreSQL
matches with its full-text engine (`simple` configuration over the prepared words, GIN-indexable)
and ranks with ts_rank; SQLite matches whole words with LIKE and ranks by the words found."""

import functools
import re
import unicodedata

import snowballstemmer
from django.db import connection
from django.db.models import (
    Case,
    ExpressionWrapper,
    FloatField,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast

LANGUAGES = {"en": "english", "fr": "french", "es": "spanish"}
WORD = re.compile(r"\w+", re.UNICODE)
MAX_QUERY_WORDS = 8
# Larger than any table: a LIMIT that only keeps PostgreSQL from inlining the match (search()).
MATCH_FENCE = 10**12


@functools.cache
def _stemmer(language: str):
    return snowballstemmer.stemmer(LANGUAGES.get(language, "english"))


def fold(text: str) -> str:
    """Lower case without accents: "Énergie" → "energie"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def words(text: str) -> list[str]:
    return [word for word in WORD.findall(fold(text)) if len(word) > 1 or word.isdigit()]


def stem(word: str, language: str) -> str:
    # Stem the accented form's folded word; Snowball works on folded words well enough for
    # matching, and both sides go through the same steps.
    return _stemmer(language).stemWord(word)


def document(*texts: str, language: str = "en") -> str:
    """The searchable form of some texts written in `language`, padded with spaces so whole
    words can be matched with LIKE."""
    stems = [stem(word, language) for text in texts for word in words(text)]
    return f" {' '.join(stems)} " if stems else ""


def query_terms(query: str) -> list[set[str]]:
    """For each query word, its possible stems in the three languages."""
    return [
        {stem(word, language) for language in LANGUAGES} for word in words(query)[:MAX_QUERY_WORDS]
    ]


def _tsquery(terms: list[set[str]]) -> str:
    def quoted(token: str) -> str:
        return "'" + token.replace("'", "''") + "'"

    return " & ".join("(" + " | ".join(quoted(t) for t in sorted(term)) + ")" for term in terms)


def matching(queryset: QuerySet, query: str, field: str = "search_text") -> QuerySet:
    """Rows whose document holds every query word, filtered in place (not ranked, no
    fence): for a query that reads the matches once with nothing to join, such as counting
    facets. An empty query returns the rows unchanged."""
    terms = query_terms(query)
    if not terms:
        return queryset
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        tsquery = SearchQuery(_tsquery(terms), config="simple", search_type="raw")
        return queryset.alias(search_vector=SearchVector(field, config="simple")).filter(
            search_vector=tsquery
        )
    return queryset.filter(_contains_all(terms, field))


def words_found_in(queryset: QuerySet, query: str, field: str) -> QuerySet:
    """Annotate `search_rank`: how many of the query's words `field` (a short stored
    document, such as titles and summaries) holds. On PostgreSQL each word is looked up
    once in the field's GIN index (`gin_index_sql(table, field)`), not in every row."""
    score = Value(0.0)
    for term in query_terms(query):
        if connection.vendor == "postgresql":
            from django.contrib.postgres.search import SearchQuery, SearchVector

            tsquery = SearchQuery(_tsquery([term]), config="simple", search_type="raw")
            holding = (
                queryset.model._base_manager.alias(found_in=SearchVector(field, config="simple"))
                .filter(found_in=tsquery)
                .values("pk")
            )
            found = Q(pk__in=holding)
        else:
            found = _contains_any(term, field)
        score = score + Case(When(found, then=Value(1.0)), default=Value(0.0))
    return queryset.annotate(search_rank=ExpressionWrapper(score, output_field=FloatField()))


def _contains_all(terms: list[set[str]], field: str) -> Q:
    condition = Q()
    for term in terms:
        condition &= _contains_any(term, field)
    return condition


def _contains_any(term: set[str], field: str) -> Q:
    matches = Q()
    for token in term:
        matches |= Q(**{f"{field}__contains": f" {token} "})
    return matches


def search(queryset: QuerySet, query: str, field: str = "search_text") -> QuerySet:
    """Rows whose document holds every query word, annotated with `search_rank` (higher is
    better). An empty query returns the rows unchanged, ranked 0."""
    terms = query_terms(query)
    if not terms:
        return queryset.annotate(search_rank=Value(0.0, output_field=FloatField()))
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        vector = SearchVector(field, config="simple")
        tsquery = SearchQuery(_tsquery(terms), config="simple", search_type="raw")
        # The match is its own subquery, fenced by a LIMIT that never cuts: PostgreSQL then
        # finds the rows in the GIN index once. Inlined, the planner joins the facets first and
        # runs to_tsvector row by row (bench/portal.py: 380 ms instead of 20 at 100,000 rows).
        matching = (
            queryset.model._base_manager.annotate(search_vector=vector)
            .filter(search_vector=tsquery)
            .order_by()
            .values("pk")[:MATCH_FENCE]
        )
        return queryset.filter(pk__in=matching).annotate(search_rank=SearchRank(vector, tsquery))
    score = Value(0, output_field=IntegerField())
    for term in terms:
        score = score + Case(When(_contains_any(term, field), then=Value(1)), default=Value(0))
    return queryset.filter(_contains_all(terms, field)).annotate(
        search_rank=Cast(score, FloatField())
    )


def gin_index_sql(table: str, column: str = "search_text") -> tuple[str, str]:
    """SQL to add (and drop) the PostgreSQL index that `search` uses; run it from a migration
    with `RunSQL` on PostgreSQL only (see `postgres_only`)."""
    name = f"{table}_{column}_fts"[:63]
    create = (
        f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
        f"USING gin (to_tsvector('simple'::regconfig, COALESCE({column}, '')))"
    )
    return create, f"DROP INDEX IF EXISTS {name}"


def postgres_only(sql: str):
    """A migration operation's function that runs SQL on PostgreSQL and does nothing elsewhere."""

    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run
