"""The map in a real Chromium: markers drawn, filters applied, a popup leads to the HUB page;
accessible; still useful without JavaScript."""

import re

import pytest

from local4action.core.testing import axe_violations

from .test_map import make_initiative

pytestmark = pytest.mark.browser


@pytest.fixture
def world(reference_data):
    make_initiative(
        "Bogotá green streets",
        sdgs=[11, 13],
        region="latin-america",
        country="CO",
        places=[("Bogotá", "4.71", "-74.07")],
    )
    make_initiative(
        "Lima water for all",
        status="accompanied",
        sdgs=[6],
        region="latin-america",
        country="PE",
        places=[("Lima", "-12.05", "-77.04")],
    )
    make_initiative("Lyon sustainable city", sdgs=[11])
    make_initiative("Lyon twin project", sdgs=[3], places=[("Villeurbanne", "45.77", "4.88")])
    make_initiative("Hidden draft", status="draft", sdgs=[11], places=[("Paris", "48.85", "2.35")])


def wait_for_map(page):
    page.locator('#map[data-state="ready"]').wait_for()
    return int(page.locator("#map").get_attribute("data-markers"))


def test_filter_to_sdg_11_in_latin_america_and_open_the_hub(page, world):
    page.goto("/map/")

    assert wait_for_map(page) == 4
    drawn = page.locator(".leaflet-marker-icon.map-marker, .leaflet-marker-icon.map-cluster")
    assert drawn.count() >= 1
    assert "Hidden draft" not in page.content()

    page.locator("summary", has_text="Sustainable Development Goal").click()
    page.get_by_role("checkbox", name=re.compile(r"^11\. ")).check()
    page.locator("summary", has_text="Region").click()
    page.get_by_role("checkbox", name=re.compile(r"^Latin America")).check()
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(re.compile(r"sdg=11.*region=latin-america"))

    assert wait_for_map(page) == 1
    list_items = page.locator(".map-list-item")
    assert list_items.count() == 1
    assert "Bogotá, Colombia" in list_items.inner_text()

    page.locator(".leaflet-marker-icon.map-marker").click()
    link = page.locator(".leaflet-popup a.map-popup-link")
    assert link.inner_text() == "Bogotá green streets"
    assert "Bogotá, Colombia" in page.locator(".leaflet-popup").inner_text()
    assert "SDG 11" in page.locator(".leaflet-popup").inner_text()
    link.click()
    page.wait_for_url(re.compile(r"/initiatives/map-initiative-\d+/$"))
    page.get_by_role("heading", name="Bogotá green streets").first.wait_for()


def test_map_page_is_accessible(page, world):
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto("/map/")
    wait_for_map(page)
    page.locator("summary", has_text="Sustainable Development Goal").click()

    assert axe_violations(page) == []


def test_map_page_without_javascript_lists_the_results(new_page, world):
    page = new_page(java_script_enabled=False)
    page.goto("/map/?sdg=11")

    assert not page.locator("[data-map-section]").is_visible()
    items = page.locator(".map-list-item")
    assert items.count() == 2
    text = page.locator(".map-list").inner_text()
    assert "Bogotá green streets" in text and "Bogotá, Colombia" in text
    assert "Lyon sustainable city" in text and "Lyon, France" in text
    # The filters work as a plain form.
    page.locator("summary", has_text="Region").click()
    page.get_by_role("checkbox", name=re.compile(r"^Latin America")).check()
    page.get_by_role("button", name="Show").click()
    assert page.locator(".map-list-item").count() == 1


def test_a_map_of_many_results_loads_each_popup_when_opened(page, world, settings):
    settings.MAP_DETAILS_LIMIT = 0  # As with the whole world at 100,000 initiatives.
    page.goto("/map/?sdg=11&region=latin-america")
    assert wait_for_map(page) == 1

    marker = page.locator(".leaflet-marker-icon.map-marker")
    assert marker.get_attribute("title") == "Labelled HUB, Bogotá"
    marker.click()

    link = page.locator(".leaflet-popup a.map-popup-link")
    assert link.inner_text() == "Bogotá green streets"
    assert "Bogotá, Colombia" in page.locator(".leaflet-popup").inner_text()
    assert "SDG 11" in page.locator(".leaflet-popup").inner_text()
    assert axe_violations(page) == []
