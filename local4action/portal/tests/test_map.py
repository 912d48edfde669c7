"""The map page and its points: the catalogue's filters, public initiatives only, bbox checks."""

import itertools
import threading
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import timezone

from local4action.accounts.tests.factories import OrganizationFactory, UserFactory
from local4action.core.models import Goal, PolicyArea, RegionalSection
from local4action.core.testing import assert_queries_constant, count_queries
from local4action.initiatives.models import Initiative, InitiativeTranslation, Location

pytestmark = pytest.mark.django_db

_numbers = itertools.count(1)


def make_initiative(
    title,
    *,
    status="labelled",
    sdgs=(),
    region="europe",
    country="FR",
    places=(("Lyon", "45.76", "4.83"),),
    areas=(),
    created_by=None,
):
    """A public (by default labelled) initiative led from `country` in `region`, at `places`."""
    number = next(_numbers)
    organization = OrganizationFactory(
        country=country, regional_section=RegionalSection.objects.get(slug=region)
    )
    initiative = Initiative.objects.create(
        title=title,
        slug=f"map-initiative-{number}",
        summary="Local action.",
        lead_organization=organization,
        status=status,
        labelled_at=timezone.now() if status in ("labelled", "completed") else None,
        created_by=created_by,
    )
    initiative.goals.set(Goal.objects.filter(number__in=sdgs))
    initiative.policy_areas.set(PolicyArea.objects.filter(slug__in=areas))
    for name, latitude, longitude in places:
        Location.objects.create(
            initiative=initiative,
            name=name,
            latitude=Decimal(latitude),
            longitude=Decimal(longitude),
        )
    return initiative


def points(client, query=""):
    response = client.get(f"/map/points.json{query}")
    assert response.status_code == 200, response.content
    return response.json()


def titles(data):
    return sorted(data["initiatives"][str(point[2])][0] for point in data["points"])


@pytest.fixture
def world():
    return {
        "bogota": make_initiative(
            "Bogotá green streets",
            sdgs=[11, 13],
            region="latin-america",
            country="CO",
            places=[("Bogotá", "4.71", "-74.07")],
        ),
        "lima": make_initiative(
            "Lima water for all",
            status="accompanied",
            sdgs=[6],
            region="latin-america",
            country="PE",
            places=[("Lima", "-12.05", "-77.04")],
        ),
        "lyon": make_initiative("Lyon sustainable city", sdgs=[11], areas=["health"]),
    }


def test_filters_apply_to_points_and_list(client, world):
    query = "?sdg=11&region=latin-america"

    data = points(client, query)
    page = client.get(f"/map/{query}").content.decode()

    assert titles(data) == ["Bogotá green streets"]
    assert "Bogotá green streets" in page
    assert "Lima water for all" not in page
    assert "Lyon sustainable city" not in page
    assert titles(points(client)) == [
        "Bogotá green streets",
        "Lima water for all",
        "Lyon sustainable city",
    ]
    assert titles(points(client, "?area=health")) == ["Lyon sustainable city"]
    assert titles(points(client, "?status=accompanied")) == ["Lima water for all"]


def test_page_lists_each_result_with_its_place_and_keeps_filters_checked(client, world):
    response = client.get("/map/?sdg=11&region=latin-america")

    page = response.content.decode()
    assert response.status_code == 200
    assert "Bogotá, Colombia" in page
    assert 'name="sdg" value="11" checked' in page
    assert 'name="region" value="latin-america" checked' in page
    # The map's data address carries the same filters.
    assert 'data-points-url="/map/points.json?sdg=11&amp;region=latin-america"' in page
    assert "1 initiative matches." in page


def test_only_public_initiatives_are_shown(client, world):
    for status in ("draft", "submitted", "declined", "withdrawn"):
        make_initiative(f"Hidden {status}", status=status, sdgs=[11])

    data = points(client, "?status=draft&status=submitted")
    page = client.get("/map/").content.decode()

    assert not any(title.startswith("Hidden") for title in titles(points(client)))
    assert titles(data) == titles(points(client))  # unknown statuses are ignored
    assert "Hidden" not in page


def test_points_are_compact_with_what_a_popup_needs(client, world):
    data = points(client, "?sdg=13")

    [point] = data["points"]
    assert point == [4.71, -74.07, world["bogota"].pk, 0, "Bogotá"]
    title, slug, country, goals = data["initiatives"][str(world["bogota"].pk)]
    assert (title, country, goals) == ("Bogotá green streets", "CO", [11, 13])
    assert data["link"].replace(data["slug_mark"], slug) == world["bogota"].get_absolute_url()
    assert data["countries"] == {"CO": "Colombia"}
    assert [code for code, _label in data["statuses"]] == ["labelled", "accompanied", "completed"]
    assert data["count"] == 1


def test_one_point_per_place(client):
    initiative = make_initiative(
        "Two cities", places=[("Lyon", "45.76", "4.83"), ("Grenoble", "45.19", "5.72")]
    )

    data = points(client)

    assert sorted(point[4] for point in data["points"]) == ["Grenoble", "Lyon"]
    assert list(data["initiatives"]) == [str(initiative.pk)]


def test_points_follow_the_visitors_language(client, world):
    InitiativeTranslation.objects.create(
        initiative=world["lyon"], language="es", title="Lyon ciudad sostenible"
    )

    data = points(client, "?area=health")
    spanish = client.get("/map/points.json?area=health", HTTP_ACCEPT_LANGUAGE="es")

    assert titles(data) == ["Lyon sustainable city"]
    assert titles(spanish.json()) == ["Lyon ciudad sostenible"]
    assert "Accept-Language" in spanish.headers["Vary"]


def test_no_personal_data_in_points(client):
    person = UserFactory(name="Jeanne Secret", email="jeanne.secret@example.org")
    make_initiative("Lyon open budget", created_by=person)

    body = client.get("/map/points.json").content.decode()

    assert "Lyon open budget" in body
    assert "Secret" not in body
    assert "example.org" not in body


def test_points_are_cacheable_for_five_minutes(client, world):
    response = client.get("/map/points.json")

    cache_control = {part.strip() for part in response.headers["Cache-Control"].split(",")}
    assert cache_control == {"public", "max-age=300"}
    assert response.headers["Content-Type"] == "application/json"


def test_bbox_limits_the_points(client, world):
    south_america = points(client, "?bbox=-20,-80,10,-60")
    europe = points(client, "?bbox=40,0,50,10&sdg=11")

    assert titles(south_america) == ["Bogotá green streets", "Lima water for all"]
    assert titles(europe) == ["Lyon sustainable city"]


def test_bbox_across_the_antimeridian(client):
    make_initiative("Suva coast", places=[("Suva", "-18.14", "178.44")])
    make_initiative("Apia villages", places=[("Apia", "-13.83", "-171.76")])
    make_initiative("Sydney streets", places=[("Sydney", "-33.87", "151.21")])

    data = points(client, "?bbox=-30,170,0,-160")

    assert titles(data) == ["Apia villages", "Suva coast"]


@pytest.mark.parametrize(
    ("bbox", "message"),
    [
        ("10,0,-10,20", "swapped"),
        ("a,b,c,d", "four numbers"),
        ("1,2,3", "four numbers"),
        ("1,2,3,4,5", "four numbers"),
        ("nan,0,1,1", "four numbers"),
        ("0,-inf,1,1", "four numbers"),
        ("1e999,0,1,1", "four numbers"),
        ("-95,0,10,10", "Latitudes"),
        ("0,-200,10,10", "Longitudes"),
        ("0,0,10,190", "Longitudes"),
        (",,,", "four numbers"),
    ],
)
def test_bad_bbox_is_a_clear_400(client, world, bbox, message):
    response = client.get("/map/points.json", {"bbox": bbox})

    assert response.status_code == 400
    assert message in response.json()["error"]


def test_unknown_filter_values_are_ignored(client, world):
    data = points(client, "?sdg=99&sdg=abc&region=nowhere&status=draft&area=%3Cscript%3E")
    page = client.get("/map/?sdg=99&region=nowhere&page=999&q=" + "x" * 2000)

    assert len(titles(data)) == 3
    assert page.status_code == 200


def test_empty_results(client):
    data = points(client)
    page = client.get("/map/?sdg=11").content.decode()

    assert data["points"] == [] and data["initiatives"] == {}
    assert "No HUB or initiative matches these filters." in page


def test_the_list_is_paginated_and_keeps_the_filters(client):
    for number in range(52):
        make_initiative(f"Initiative {number:02}", sdgs=[11])

    first = client.get("/map/?sdg=11").content.decode()
    second = client.get("/map/?sdg=11&page=2").content.decode()

    assert "Page 1 of 2" in first
    assert 'href="?sdg=11&amp;page=2#map-list-heading"' in first
    assert second.count('class="map-list-item"') == 2
    assert len(points(client, "?sdg=11")["points"]) == 52  # the map shows every result


def test_points_query_count_does_not_grow(client):
    def add(rows):
        for _ in range(rows):
            make_initiative("Many", sdgs=[11, 5], places=[("A", "1", "1"), ("B", "2", "2")])

    assert_queries_constant(client, "/map/points.json?sdg=11", add)


def test_page_query_count_does_not_grow(client):
    def add(rows):
        for _ in range(rows):
            make_initiative("Many", sdgs=[11, 5], places=[("A", "1", "1"), ("B", "2", "2")])

    assert_queries_constant(client, "/map/?sdg=11", add)
    assert count_queries(client, "/map/points.json") <= 8


def test_tiles_only_when_configured(client, settings):
    settings.MAP_TILES_URL = ""
    plain = client.get("/map/").content.decode()
    cache.clear()  # A changed setting means a restart; the page cache does not know of it.
    settings.MAP_TILES_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    settings.MAP_TILES_ATTRIBUTION = "© Example contributors"
    tiled = client.get("/map/").content.decode()

    assert '"url": ""' in plain
    assert "map-plain" in plain
    assert "https://tiles.example.org/{z}/{x}/{y}.png" in tiled
    assert "\\u00a9 Example contributors" in tiled
    assert "map-plain" not in tiled


def test_points_are_cached_until_the_data_change(client, world):
    first = count_queries(client, "/map/points.json?sdg=11")
    again = count_queries(client, "/map/points.json?sdg=11")
    make_initiative("Quito bike lanes", sdgs=[11], places=[("Quito", "-0.18", "-78.47")])

    data = points(client, "?sdg=11")

    assert again < first  # only the cheap check that nothing changed
    assert "Quito bike lanes" in titles(data)


def test_points_are_compressed_for_clients_that_accept_gzip(client, db):
    # Django compresses bodies of 200 bytes and more: a few places make sure of it.
    for number in range(5):
        make_initiative(f"Bike lanes {number}", sdgs=[11], places=[("Quito", "-0.18", "-78.47")])

    response = client.get("/map/points.json", HTTP_ACCEPT_ENCODING="gzip")

    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]


def test_points_carry_an_etag_that_changes_with_the_data(client, db):
    make_initiative("Bike lanes", sdgs=[11], places=[("Quito", "-0.18", "-78.47")])
    first = client.get("/map/points.json")
    etag = first["ETag"]

    unchanged = client.get("/map/points.json", HTTP_IF_NONE_MATCH=etag)
    make_initiative("Rain gardens", sdgs=[11])
    changed = client.get("/map/points.json", HTTP_IF_NONE_MATCH=etag)

    assert unchanged.status_code == 304
    assert changed.status_code == 200
    assert "Rain gardens" in titles(changed.json())


def test_a_request_waits_for_the_answer_another_is_building(db):
    """After a change, the first request builds the whole world's data; the others wait for
    it rather than all building it at once."""
    from local4action.portal import maps

    cache.add("points-key:busy", 1, 30)
    built = []
    timer = threading.Timer(0.3, lambda: cache.set("points-key", b"built by another"))
    timer.start()

    answer = maps._kept_or_built("points-key", lambda: built.append(1) or b"built here")

    timer.join()
    assert answer == b"built by another"
    assert built == []


def test_many_results_carry_places_only_and_each_popup_asks_for_its_initiative(
    client, db, settings
):
    settings.MAP_DETAILS_LIMIT = 1
    quito = make_initiative("Quito bike lanes", sdgs=[11], places=[("Quito", "-0.18", "-78.47")])
    make_initiative("Lyon gardens", sdgs=[11])

    data = client.get("/map/points.json").json()
    details = client.get(data["details"].replace(data["id_mark"], str(quito.pk)))

    assert data["initiatives"] is None
    assert data["count"] == 2
    assert details.status_code == 200
    assert details.json() == {
        "initiative": ["Quito bike lanes", quito.slug, "FR", [11]],
        "country": "France",
    }


def test_a_popup_never_shows_an_unpublished_initiative(client, db):
    draft = make_initiative("Hidden draft", status="draft")

    assert client.get(f"/map/initiatives/{draft.pk}.json").status_code == 404
    assert client.get("/map/initiatives/abc.json").status_code == 404
    assert client.get("/map/initiatives/99999999999999999999.json").status_code == 404
