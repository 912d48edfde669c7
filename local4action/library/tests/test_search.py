"""Searching the library: accent-insensitive and stemmed in English, French and Spanish, over
titles, summaries, translations and the files' text; drafts are never found."""

import pytest

from local4action.library import selectors
from local4action.library.choices import ResourceStatus
from local4action.library.selectors import Library

from .test_selectors import make_resource

pytestmark = pytest.mark.django_db


def titles(q: str, **facets) -> set[str]:
    return {resource.title for resource in selectors.library(Library(q=q, **facets))}


@pytest.fixture
def shelf():
    return {
        "en": make_resource(
            "Cities and their libraries", summary="How a city opens its library to everyone."
        ),
        "fr": make_resource(
            "Égalité des femmes dans les villes",
            language="fr",
            summary="Une ville plus juste : l'énergie des élues.",
        ),
        "es": make_resource(
            "Ciudades y energía", language="es", summary="La transición energética de una ciudad."
        ),
        "pdf": make_resource(
            "A report",
            summary="Nothing searched here.",
            files=[("fr", "Le rapport décrit la gestion des déchets ménagers à Dakar.")],
        ),
        "translated": make_resource(
            "Housing guide",
            translations=[("es", "Guía de viviendas asequibles", "Barrios y viviendas.")],
        ),
    }


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        # English: plural and singular both ways.
        ("city", {"Cities and their libraries"}),
        ("cities", {"Cities and their libraries"}),
        ("library", {"Cities and their libraries"}),
        # French: accents or none, plural or singular.
        ("égalité", {"Égalité des femmes dans les villes"}),
        ("egalite", {"Égalité des femmes dans les villes"}),
        ("EGALITÉS", {"Égalité des femmes dans les villes"}),
        ("ville", {"Égalité des femmes dans les villes"}),
        ("femme", {"Égalité des femmes dans les villes"}),
        ("élue", {"Égalité des femmes dans les villes"}),
        # Spanish.
        ("ciudad", {"Ciudades y energía"}),
        ("ciudades", {"Ciudades y energía"}),
        ("energia", {"Ciudades y energía"}),
        ("energías", {"Ciudades y energía"}),
        # A French form also has a Spanish stem: both languages' documents.
        ("énergies", {"Ciudades y energía", "Égalité des femmes dans les villes"}),
        # The text of a file, in another accent form and number.
        ("dechet", {"A report"}),
        ("déchet DAKAR", {"A report"}),
        # A translation.
        ("vivienda", {"Housing guide"}),
        ("guia asequible", {"Housing guide"}),
        # Every word must be there.
        ("ciudad dakar", set()),
        ("nothing-at-all", set()),
    ],
)
def test_words_are_found_in_any_accent_form_and_number(shelf, q, expected):
    assert titles(q) == expected


def test_a_draft_is_never_found(shelf):
    for status in (ResourceStatus.DRAFT, ResourceStatus.SUBMITTED, ResourceStatus.WITHDRAWN):
        make_resource(f"Cities draft {status}", status=status, files=[("en", "cities")])

    assert titles("cities") == {"Cities and their libraries"}
    assert titles("") == {resource.title for resource in shelf.values()}


def test_search_and_facets_together(shelf):
    make_resource("Cities of Europe", regions=["europe"], sdgs=[11])

    assert titles("city", region=["europe"]) == {"Cities of Europe"}
    assert titles("city", sdg=[11], language=["en"]) == {"Cities of Europe"}
    assert titles("ciudad", language=["en"]) == set()


def test_results_carry_a_rank_and_sort_by_title_on_request(shelf):
    make_resource("Another city")
    results = list(selectors.library(Library(q="city")))
    assert all(resource.search_rank > 0 for resource in results)

    by_title = [r.title for r in selectors.library(Library(q="city", sort="title"))]
    assert by_title == ["Another city", "Cities and their libraries"]


def test_punctuation_and_symbols_alone_match_everything_published(shelf):
    # No word in the query: nothing to search, the whole (published) library.
    assert len(titles("%% & {}")) == len(shelf)


def test_a_title_or_summary_match_ranks_before_a_match_in_a_file_only():
    in_title = make_resource("Drought plans", year=2015)
    in_file = make_resource(
        "A newer report",
        year=2024,
        summary="Nothing here. " + "Filler words. " * 120,
        files=[("en", "Drought and heat.")],
    )

    ranked = list(selectors.library(Library(q="droughts")))

    assert ranked == [in_title, in_file]
    assert ranked[0].search_rank > ranked[1].search_rank
    newest = list(selectors.library(Library(q="droughts", sort="newest")))
    assert newest == [in_file, in_title]
