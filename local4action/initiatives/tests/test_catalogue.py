"""The catalogue page: search, facets with counts, sort, pages, shareable addresses, bad input."""

import datetime
import pathlib
import re
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.utils import timezone, translation

from local4action.accounts.choices import OrganizationKind
from local4action.accounts.tests.factories import OrganizationFactory
from local4action.core.models import Goal, PolicyArea, RegionalSection
from local4action.core.testing import assert_queries_constant, axe_violations
from local4action.initiatives import services
from local4action.initiatives.choices import InitiativeStatus
from local4action.initiatives.models import Initiative

pytestmark = pytest.mark.django_db

URL = "/initiatives/"


def make_initiative(
    title,
    *,
    status=InitiativeStatus.LABELLED,
    summary="",
    sdgs=(),
    region="europe",
    country="FR",
    kind=OrganizationKind.LOCAL_GOVERNMENT,
    areas=(),
    year=None,
    organization=None,
    **data,
):
    """A public (by default labelled) initiative, made through the services as staff would."""
    organization = organization or OrganizationFactory(
        country=country, kind=kind, regional_section=RegionalSection.objects.get(slug=region)
    )
    initiative = services.initiative_create_draft(
        actor=None, organization=organization, title=title, language="en"
    )
    services.initiative_update(
        initiative=initiative,
        data={
            "summary": summary or f"What {title} does.",
            "goals": list(Goal.objects.filter(number__in=sdgs)),
            "policy_areas": list(PolicyArea.objects.filter(slug__in=areas)),
            **data,
        },
    )
    if status != InitiativeStatus.DRAFT:
        services.initiative_set_status(actor=None, initiative=initiative, status=status)
    if year:
        labelled_at = timezone.make_aware(datetime.datetime(year, 6, 1))
        Initiative.objects.filter(pk=initiative.pk).update(labelled_at=labelled_at)
    initiative.refresh_from_db()
    return initiative


def shown(response) -> list[str]:
    assert response.status_code == 200
    return [i.slug for i in response.context["page"].object_list]


def facet(response, name) -> dict[str, int]:
    groups = {g["name"]: g["values"] for g in response.context["facet_groups"]}
    return {v["value"]: v["count"] for v in groups.get(name, [])}


# Search and facets -------------------------------------------------------------------------------


def test_the_catalogue_lists_public_initiatives_only(client):
    hub = make_initiative("Bilbao, city of values")
    accompanied = make_initiative("Participation for all", status=InitiativeStatus.ACCOMPANIED)
    make_initiative("A draft", status=InitiativeStatus.DRAFT)
    make_initiative("Not this time", status=InitiativeStatus.DECLINED)

    response = client.get(URL)

    assert set(shown(response)) == {hub.slug, accompanied.slug}
    assert "A draft" not in response.content.decode()


def test_search_finds_words_in_any_language_without_accents(client):
    equality = make_initiative("Égalité des femmes dans les villes", summary="Élues locales.")
    make_initiative("Clean water", summary="Pipes and pumps.")

    for q in ("égalité", "egalite", "ville"):
        assert shown(client.get(URL, {"q": q})) == [equality.slug], q


def test_facets_filter_and_count_what_each_value_would_give(client):
    latin = make_initiative("Bogotá cares", sdgs=[5, 11], region="latin-america", country="CO")
    make_initiative("Lyon moves", sdgs=[11], region="europe", country="FR")
    make_initiative("Dakar learns", sdgs=[4], region="africa", country="SN")

    response = client.get(URL, {"sdg": "11", "region": "latin-america"})

    assert shown(response) == [latin.slug]
    # Each facet counts with the other facets applied, its own left aside.
    assert facet(response, "region") == {"latin-america": 1, "europe": 1}
    assert facet(response, "sdg") == {"5": 1, "11": 1}
    assert facet(response, "country") == {"CO": 1}


def test_facets_are_repeatable_and_combine_as_or_within_a_facet(client):
    five = make_initiative("Women lead", sdgs=[5])
    four = make_initiative("Schools", sdgs=[4])
    make_initiative("Water", sdgs=[6])

    assert set(shown(client.get(URL + "?sdg=5&sdg=4"))) == {five.slug, four.slug}


@pytest.mark.parametrize(
    ("name", "matching", "other"),
    [
        ("country", {"country": "CO"}, {"country": "FR"}),
        ("kind", {"kind": OrganizationKind.REGIONAL_GOVERNMENT}, {}),
        ("status", {"status": InitiativeStatus.ACCOMPANIED}, {}),
        ("year", {"year": 2022}, {"year": 2024}),
    ],
)
def test_each_facet_filters(client, name, matching, other):
    wanted = make_initiative("Wanted", **matching)
    make_initiative("Other", **other)
    value = {
        "country": "CO",
        "kind": OrganizationKind.REGIONAL_GOVERNMENT,
        "status": InitiativeStatus.ACCOMPANIED,
        "year": "2022",
    }[name]

    response = client.get(URL, {name: value})

    assert shown(response) == [wanted.slug]
    assert facet(response, name)[str(value)] == 1


def test_policy_area_facet_filters(client):
    area = PolicyArea.objects.order_by("pk").first()
    wanted = make_initiative("Wanted", areas=[area.slug])
    make_initiative("Other")

    assert shown(client.get(URL, {"area": area.slug})) == [wanted.slug]


def test_the_page_shows_each_results_facts_in_the_visitors_language(client):
    organization = OrganizationFactory(name="City of Bilbao", country="ES")
    make_initiative(
        "Bilbao, city of values",
        organization=organization,
        sdgs=[11, 16],
        translations={"es": {"title": "Bilbao, ciudad de valores", "summary": "Valores."}},
    )

    english = client.get(URL).content.decode()
    with translation.override("es"):
        spanish = client.get(URL, HTTP_ACCEPT_LANGUAGE="es").content.decode()

    assert "Bilbao, city of values" in english
    for fact in ("City of Bilbao", "Spain", "SDG 11", "SDG 16", "Local4Action HUB"):
        assert fact in english, fact
    assert "Bilbao, ciudad de valores" in spanish


# Sort, pages and the shareable address ------------------------------------------------------------


def test_sort_by_title_and_by_newest(client):
    old = make_initiative("Zebra crossings", year=2021)
    new = make_initiative("Avenues", year=2024)
    middle = make_initiative("Markets", year=2023)

    assert shown(client.get(URL, {"sort": "title"})) == [new.slug, middle.slug, old.slug]
    assert shown(client.get(URL, {"sort": "newest"})) == [new.slug, middle.slug, old.slug]
    assert shown(client.get(URL, {"sort": "newest", "q": "crossings"})) == [old.slug]


def test_results_come_twenty_a_page_and_pages_keep_the_query(client):
    for number in range(23):
        make_initiative(f"Market {number:02}", sdgs=[11])

    first = client.get(URL, {"sdg": "11", "sort": "title"})
    second = client.get(URL, {"sdg": "11", "sort": "title", "page": "2"})

    assert len(shown(first)) == 20 and len(shown(second)) == 3
    assert not set(shown(first)) & set(shown(second))
    assert "23 initiatives found" in first.content.decode()
    assert 'href="?sdg=11&amp;sort=title&amp;page=2"' in first.content.decode()


def test_a_page_beyond_the_end_shows_the_last_page_and_says_so(client):
    hub = make_initiative("Only one")

    response = client.get(URL, {"page": "99999"})

    assert shown(response) == [hub.slug]
    assert "this is the last one" in response.content.decode()


def test_remove_filter_links_drop_one_filter_and_keep_the_rest(client):
    make_initiative("Bogotá cares", sdgs=[11], region="latin-america", country="CO")

    response = client.get(URL, {"sdg": "11", "region": "latin-america", "q": "cares"})

    links = {f["label"]: f["url"] for f in response.context["active_filters"]}
    sdg_label = next(label for label in links if label.startswith("11."))
    assert dict(parse_qsl(urlsplit(links[sdg_label]).query)) == {
        "q": "cares",
        "region": "latin-america",
    }
    assert dict(parse_qsl(urlsplit(links["cares"]).query)) == {
        "sdg": "11",
        "region": "latin-america",
    }
    assert "remove this filter" in response.content.decode()


def test_download_links_carry_the_same_query(client):
    make_initiative("Bogotá cares", sdgs=[11], region="latin-america")

    html = client.get(URL, {"sdg": "11", "region": "latin-america"}).content.decode()

    for path in ("initiatives.csv", "initiatives.json", "initiatives.geojson"):
        assert f"/data/{path}?sdg=11&amp;region=latin-america" in html, path


def test_the_form_holds_the_current_state(client):
    make_initiative("Bogotá cares", sdgs=[11])

    html = client.get(URL, {"sdg": "11", "q": "cares", "sort": "title"}).content.decode()

    assert 'name="q" value="cares"' in html
    assert 'name="sdg" value="11" checked' in html
    assert '<option value="title" selected>' in html


# Bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {"q": ""},
        {"q": "   "},
        {"q": "x" * 2000},
        {"q": "'; DROP TABLE initiatives_initiative; --"},
        {"q": '" OR 1=1 --'},
        {"q": "<script>alert(1)</script>"},
        {"q": "% _ \\ ' \" & | ! : * ( )"},
        {"sdg": "99", "region": "atlantis", "country": "ZZ", "status": "draft"},
        {"sdg": "abc", "year": "-1", "kind": "<b>", "area": "nowhere", "sort": "random"},
        {"page": "99999"},
        {"page": "-3"},
        {"page": "abc"},
    ],
)
def test_bad_input_gives_sensible_results_and_never_an_error(client, params):
    hub = make_initiative("Bilbao, city of values")
    make_initiative("A draft", status=InitiativeStatus.DRAFT)

    response = client.get(URL, params)

    assert response.status_code == 200
    assert set(shown(response)) <= {hub.slug}
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_unknown_facet_values_are_ignored(client):
    hub = make_initiative("Bilbao, city of values")
    make_initiative("A draft", status=InitiativeStatus.DRAFT)

    response = client.get(URL, {"sdg": "99", "region": "atlantis", "status": "draft"})

    assert shown(response) == [hub.slug]
    assert response.context["active_filters"] == []


def test_a_long_query_is_cut_and_the_visitor_told(client):
    make_initiative("Bilbao, city of values")

    response = client.get(URL, {"q": "values " * 300})

    assert response.status_code == 200
    assert len(response.context["query"].q) == 200
    assert "shortened" in response.content.decode()


def test_the_query_count_does_not_grow_with_the_results(client):
    def add(n):
        for _ in range(n):
            make_initiative(
                "HUB",
                sdgs=[5, 11],
                translations={"fr": {"title": "Pôle", "summary": "Oui."}},
                locations=[{"name": "Somewhere", "latitude": "1", "longitude": "2"}],
            )

    assert_queries_constant(client, URL + "?sdg=11&q=hub", add)


# In a real browser -----------------------------------------------------------------------------


@pytest.fixture
def browsable(reference_data):
    make_initiative("Bogotá green streets", sdgs=[11, 13], region="latin-america", country="CO")
    make_initiative("Lima water for all", sdgs=[6], region="latin-america", country="PE")
    make_initiative("Lyon sustainable city", sdgs=[11])


@pytest.mark.browser
def test_a_visitor_filters_searches_and_downloads_the_results(page, browsable):
    page.goto(URL)
    page.locator("summary", has_text="Sustainable Development Goal").click()
    page.get_by_role("checkbox", name=re.compile(r"^11\. ")).check()
    page.locator("summary", has_text="Region").click()
    page.get_by_role("checkbox", name=re.compile(r"^Latin America")).check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"sdg=11.*region=latin-america"))

    assert page.locator(".catalogue-result").count() == 1
    assert "Bogotá green streets" in page.locator(".catalogue-results").inner_text()
    assert axe_violations(page) == []

    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    text = pathlib.Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert "Bogotá green streets" in text and "Lima" not in text


@pytest.mark.browser
def test_the_catalogue_fits_a_phone(new_page, browsable):
    phone = new_page(viewport={"width": 360, "height": 740})
    phone.goto(URL + "?q=city")

    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert axe_violations(phone) == []
