"""Citing a resource: the plain-text reference and the BibTeX entry, with tricky titles."""

import re

import pytest

from local4action.accounts.tests.factories import OrganizationFactory
from local4action.library import selectors
from local4action.library.choices import Licence, ResourceKind
from local4action.library.citation import author_names, bibtex_escape

from .test_selectors import make_resource

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(settings):
    settings.SITE_URL = "https://local4action.example/"


def fields(entry: str) -> dict[str, str]:
    return dict(re.findall(r"^  (\w+) = \{(.*)\},?$", entry, re.MULTILINE))


def test_plain_text_reads_authors_year_title_organization_url_licence(site):
    uclg = OrganizationFactory(name="United Cities and Local Governments")
    resource = make_resource(
        "Localizing the SDGs: a guide",
        authors="Ana García; John Smith",
        year=2023,
        licence=Licence.CC_BY_SA,
    )
    resource.organizations.add(uclg)

    assert selectors.citation_text(resource) == (
        "Ana García, John Smith (2023). Localizing the SDGs: a guide. "
        "United Cities and Local Governments. "
        f"https://local4action.example/library/{resource.slug}/, CC BY-SA 4.0"
    )


def test_plain_text_without_authors_or_year_names_the_organization_once(site):
    owner = OrganizationFactory(name="Ville de Lyon")
    resource = make_resource(
        "Égalité femmes-hommes.",
        language="fr",
        year=None,
        owner_organization=owner,
        licence=Licence.ALL_RIGHTS,
    )

    text = selectors.citation_text(resource)

    assert text.startswith("Ville de Lyon (n.d.). Égalité femmes-hommes. https://")
    assert text.count("Ville de Lyon") == 1
    assert text.endswith(", All rights reserved")


@pytest.mark.parametrize(
    ("written", "names"),
    [
        ("Ana García; John Smith", ["Ana García", "John Smith"]),
        ("Ana García, John Smith", ["Ana García", "John Smith"]),
        ("García, Ana", ["García, Ana"]),
        ("García, Ana and Smith, John", ["García, Ana", "Smith, John"]),
        ("Ana García, Jean Dupont et Lucía Pérez", ["Ana García", "Jean Dupont", "Lucía Pérez"]),
        ("  ", []),
    ],
)
def test_author_names(written, names):
    assert author_names(written) == names


def test_bibtex_escapes_special_characters_and_keeps_accents(site):
    resource = make_resource(
        "Finance & budgets: 100% {local} — l'été à Montréal, C$ #1 under_score ~ ^ \\",
        kind=ResourceKind.TOOLKIT,
        authors="Lucía Pérez; O'Brien, Seán",
        year=2024,
    )

    entry = selectors.citation_bibtex(resource)

    assert entry.startswith("@misc{perez2024finance,\n")
    assert entry.endswith("}\n")
    found = fields(entry)
    assert found["title"] == (
        r"{Finance \& budgets: 100\% \{local\} — l'été à Montréal, C\$ \#1 under\_score "
        r"\textasciitilde{} \textasciicircum{} \textbackslash{}}"
    )
    assert found["author"] == "Lucía Pérez and O'Brien, Seán"
    assert found["year"] == "2024"
    assert found["url"] == f"https://local4action.example/library/{resource.slug}/"
    assert found["note"] == "CC BY 4.0"
    assert found["language"] == "english"
    # Braces balance, so BibTeX reads the entry to its end.
    assert entry.replace("\\{", "").count("{") == entry.replace("\\}", "").count("}")


def test_reports_are_techreports_issued_by_their_organizations(site):
    resource = make_resource(
        "La financiación de los gobiernos locales",
        kind=ResourceKind.POLICY_PAPER,
        language="es",
        year=2022,
    )
    resource.organizations.add(OrganizationFactory(name="Ayuntamiento de Bogotá & Co"))

    entry = selectors.citation_bibtex(resource)

    # No person: the organization is the author, braced as one name; the key skips "La".
    assert entry.startswith("@techreport{ayuntamiento2022financiacion,\n")
    found = fields(entry)
    assert found["author"] == "{Ayuntamiento de Bogotá \\& Co}"
    assert found["institution"] == "Ayuntamiento de Bogotá \\& Co"
    assert found["type"] == "Policy paper"
    assert found["language"] == "spanish"
    assert "organization" not in found


def test_bibtex_of_a_bare_resource_is_still_a_valid_entry(site):
    resource = make_resource("¿Qué hacer?", kind=ResourceKind.VIDEO, year=None)

    entry = selectors.citation_bibtex(resource)

    assert entry.startswith("@misc{local4actionque,\n")
    assert "year" not in fields(entry)
    assert "author" not in fields(entry)


def test_bibtex_escape_is_one_pass():
    # A backslash's replacement is not escaped again.
    assert bibtex_escape("a\\b{c}") == r"a\textbackslash{}b\{c\}"
    assert bibtex_escape("  two\n lines ") == "two lines"
