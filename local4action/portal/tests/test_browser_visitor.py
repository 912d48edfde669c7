"""Issue 8, end to end in a real Chromium: an anonymous visitor filters the map to SDG 11 in
Latin America, opens the HUB, reads its progress, switches to Spanish with the site's language
switcher and downloads the same results as CSV; the pages on the way pass axe. And French
searches with or without accents, in the singular or the plural, find the same HUBs."""

import csv
import datetime
import io
import pathlib
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from local4action.accounts.tests.factories import OrganizationFactory
from local4action.calls.tests.factories import make_team
from local4action.core.models import RegionalSection
from local4action.core.testing import axe_violations
from local4action.initiatives.choices import InitiativeStatus
from local4action.initiatives.tests.test_catalogue import make_initiative
from local4action.monitoring import services as monitoring
from local4action.monitoring.models import Deliverable, Measurement
from local4action.monitoring.tests.factories import make_indicator

HUB_TITLE = "Safe streets for Medellín"
HUB_TITLE_ES = "Calles seguras para Medellín"


def make_latin_american_hub():
    """A HUB on SDG 11 led by Medellín, with a place, a Spanish translation, two deliverables
    (one delivered) and an indicator with measurements; returns (hub, people in its team)."""
    today = timezone.localdate()
    organization = OrganizationFactory(
        name="City of Medellín",
        country="CO",
        regional_section=RegionalSection.objects.get(slug="latin-america"),
    )
    _organization, admin, editor = make_team(organization)
    hub = make_initiative(
        HUB_TITLE,
        organization=organization,
        summary="Neighbours redesign the streets around schools.",
        sdgs=[11, 16],
        start_date=today - datetime.timedelta(days=365),
        end_date=today + datetime.timedelta(days=365),
        locations=[{"name": "Medellín", "latitude": "6.244", "longitude": "-75.581"}],
        translations={
            "es": {
                "title": HUB_TITLE_ES,
                "summary": "Los vecinos rediseñan las calles alrededor de las escuelas.",
            }
        },
    )
    monitoring.deliverable_save(
        actor=editor,
        initiative=hub,
        data={
            "title": "Street audits around ten schools",
            "due_date": today - datetime.timedelta(days=30),
            "status": "delivered",
            "delivered_on": today - datetime.timedelta(days=35),
        },
    )
    monitoring.deliverable_save(
        actor=editor,
        initiative=hub,
        data={
            "title": "Redesigned streets opened",
            "due_date": today + datetime.timedelta(days=200),
            "status": "in_progress",
        },
    )
    indicator = make_indicator(hub, editor, name="Children walking to school")
    for days_ago, value in ((90, "20"), (10, "45")):
        monitoring.measurement_add(
            actor=editor,
            indicator=indicator,
            date=today - datetime.timedelta(days=days_ago),
            value=Decimal(value),
        )
    assert Deliverable.objects.filter(initiative=hub).count() == 2
    assert Measurement.objects.filter(indicator=indicator).count() == 2
    assert hub.is_hub
    return hub, [admin, editor]


@pytest.fixture
def world(reference_data):
    hub, team = make_latin_american_hub()
    others = [
        make_initiative(
            "Lima water for all",
            sdgs=[6],
            region="latin-america",
            country="PE",
            locations=[{"name": "Lima", "latitude": "-12.05", "longitude": "-77.04"}],
        ),
        make_initiative(
            "Lyon sustainable city",
            sdgs=[11],
            locations=[{"name": "Lyon", "latitude": "45.76", "longitude": "4.84"}],
        ),
        make_initiative(
            "Dakar learns",
            status=InitiativeStatus.ACCOMPANIED,
            sdgs=[4, 11],
            region="africa",
            country="SN",
            locations=[{"name": "Dakar", "latitude": "14.69", "longitude": "-17.44"}],
        ),
    ]
    # Would match both filters, but a draft is not public.
    make_initiative(
        "Hidden draft in Quito",
        status=InitiativeStatus.DRAFT,
        sdgs=[11],
        region="latin-america",
        country="EC",
        locations=[{"name": "Quito", "latitude": "-0.18", "longitude": "-78.47"}],
    )
    return {"hub": hub, "team": team, "others": others}


def wait_for_map(page) -> int:
    page.locator('#map[data-state="ready"]').wait_for()
    return int(page.locator("#map").get_attribute("data-markers"))


@pytest.mark.browser
def test_a_visitor_finds_a_hub_reads_its_progress_in_spanish_and_downloads_it(page, world):
    hub = world["hub"]

    # Home, then the map from the main navigation.
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Map").click()
    page.wait_for_url(re.compile(r"/map/$"))
    assert wait_for_map(page) == 4

    # Filter to SDG 11 in Latin America.
    page.locator("summary", has_text="Sustainable Development Goal").click()
    page.get_by_role("checkbox", name=re.compile(r"^11\. ")).check()
    page.locator("summary", has_text="Region").click()
    page.get_by_role("checkbox", name=re.compile(r"^Latin America")).check()
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(re.compile(r"sdg=11.*region=latin-america"))
    filtered_map = page.url

    assert wait_for_map(page) == 1
    items = page.locator(".map-list-item")
    assert items.count() == 1
    assert HUB_TITLE in items.inner_text()
    assert "Medellín, Colombia" in items.inner_text()
    assert "Hidden draft" not in page.content()

    # The HUB page, from the list.
    items.get_by_role("link", name=HUB_TITLE).click()
    page.wait_for_url(re.compile(re.escape(hub.get_absolute_url()) + "$"))
    page.get_by_role("heading", level=1, name=HUB_TITLE).wait_for()
    results = page.locator("section", has=page.locator("#results-heading"))
    assert "1 of 2 deliverables delivered." in results.inner_text()
    assert "Children walking to school: 45 people on" in results.inner_text()
    assert "45% of the way" in results.inner_text()

    # Spanish, through the language switcher in the header (a form posting to set_language).
    page.locator("form.language-switch").get_by_role("button", name="ES").click()
    page.wait_for_url(re.compile(re.escape(hub.get_absolute_url()) + "$"))
    page.get_by_role("heading", level=1, name=HUB_TITLE_ES).wait_for()
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.get_by_role("heading", name="Resultados").is_visible()
    assert "Liderada por" in page.locator("main").inner_text()
    assert "Los vecinos rediseñan las calles" in page.locator("main").inner_text()
    assert axe_violations(page) == []

    # The choice sticks (a cookie): back on the filtered map, still in Spanish; from there to
    # the catalogue with the same filters, and its CSV download.
    page.goto(filtered_map)
    assert page.locator("html").get_attribute("lang") == "es"
    page.locator('.map-filters a[href^="/initiatives/?"]').click()
    page.wait_for_url(re.compile(r"/initiatives/\?.*sdg=11.*region=latin-america"))
    assert page.locator(".catalogue-result").count() == 1
    assert HUB_TITLE_ES in page.locator(".catalogue-results").inner_text()
    with page.expect_download() as download:
        page.locator(".catalogue-downloads").get_by_role("link", name="CSV").click()
    assert download.value.url.endswith("/data/initiatives.csv?sdg=11&region=latin-america")
    text = pathlib.Path(download.value.path()).read_text(encoding="utf-8-sig")

    rows = list(csv.DictReader(io.StringIO(text)))
    assert [row["slug"] for row in rows] == [hub.slug]
    row = rows[0]
    assert row["title"] == HUB_TITLE
    assert row["hub"] == "true"
    assert row["region"] == "latin-america"
    assert row["country"] == "CO"
    assert row["goals"].split(";") == ["11", "16"]
    assert row["places"] == "Medellín"
    assert row["url"].endswith(hub.get_absolute_url())
    # Nothing about people: the team's names and addresses stay out of open data.
    for person in world["team"]:
        assert person.email not in text
        assert person.name not in text
    assert "@" not in text
    assert not {"email", "name", "contact", "created_by"} & set(rows[0])


@pytest.mark.browser
def test_the_pages_on_the_way_pass_axe(page, world):
    hub = world["hub"]

    for url in (
        "/",
        "/initiatives/?sdg=11&region=latin-america",
        hub.get_absolute_url(),
        "/sdg/11/",
    ):
        page.goto(url)
        assert axe_violations(page) == [], url
    page.goto("/map/?sdg=11&region=latin-america")
    assert wait_for_map(page) == 1
    assert axe_violations(page) == [], "/map/"


# French searches through the catalogue page ------------------------------------------------------


def found(client, q) -> set[str]:
    response = client.get("/initiatives/", {"q": q})
    assert response.status_code == 200
    return {initiative.slug for initiative in response.context["page"].object_list}


@pytest.mark.django_db
def test_french_queries_with_or_without_accents_singular_or_plural_find_the_same_hubs(client):
    """Complements initiatives/tests/test_catalogue.py: the plural in the query as well as in the
    text, words in a translation as well as in the original, and unaccented text."""
    in_translation = make_initiative(
        "Women in city councils",
        translations={"fr": {"title": "Égalité des femmes dans les villes", "summary": "Élues."}},
    )
    in_original = make_initiative(
        "Une ville pour l'egalite", language="fr", summary="Quartiers et services."
    )
    make_initiative("Eau potable pour tous", language="fr", summary="Des tuyaux et des pompes.")
    both = {in_translation.slug, in_original.slug}

    for q in ("égalité", "egalite", "EGALITÉ", "villes", "ville"):
        assert found(client, q) == both, q
    assert found(client, "égalité villes") == found(client, "egalite ville") == both
