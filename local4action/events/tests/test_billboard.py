"""Billboard pictures of retained ideas: well-formed SVG with the escaped message, the city and
the SDG colours; a PNG of the right size; downloads only for retained ideas of visible events."""

import io
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from PIL import Image

from local4action.accounts.tests.factories import UserFactory
from local4action.core.models import Goal
from local4action.events import billboard
from local4action.events.tests.factories import make_event, make_idea, make_session

SVG = "{http://www.w3.org/2000/svg}"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def event(organization):
    event = make_event(organizers=[organization], title="Cities & the 2030 Agenda")
    event.goals.set(Goal.objects.filter(number__in=[11, 13]))
    return event


@pytest.fixture
def session(event):
    return make_session(event, kind="co_creation", board_open=True, billboards=True)


@pytest.fixture
def idea(session):
    return make_idea(
        session,
        UserFactory(),
        'Walk & cycle: "streets" <for> people, not cars',
        city="Saint-Étienne & Co",
        status="retained",
    )


def url(name, idea):
    return reverse(f"events:{name}", args=[idea.session.event.slug, idea.pk])


def texts(svg: str) -> str:
    root = ET.fromstring(svg.encode())
    return " ".join("".join(node.itertext()) for node in root.iter(f"{SVG}text"))


def test_svg_is_well_formed_with_the_escaped_text_the_city_and_the_goal_colours(idea, event):
    svg = billboard.billboard_svg(idea, event.goals.all())
    root = ET.fromstring(svg.encode())
    assert root.tag == f"{SVG}svg"
    assert (root.get("width"), root.get("height")) == ("1200", "628")
    assert "&lt;for&gt;" in svg and "Walk &amp; cycle" in svg
    shown = " ".join(texts(svg).split())
    assert 'Walk & cycle: "streets" <for> people, not cars' in shown
    assert "Saint-Étienne & Co" in shown
    assert "Cities & the 2030 Agenda" in shown
    fills = {rect.get("fill") for rect in root.iter(f"{SVG}rect")}
    colours = set(event.goals.values_list("color", flat=True))
    assert len(colours) == 2 and colours <= fills
    assert "DejaVu Sans" in svg


def test_long_ideas_are_wrapped_inside_the_picture(session):
    long = make_idea(session, UserFactory(), " ".join(["solidarity"] * 25)[:280], city="Lyon")
    svg = billboard.billboard_svg(long, [])
    root = ET.fromstring(svg.encode())
    lines = list(root.iter(f"{SVG}tspan"))
    assert len(lines) > 3
    assert all(len(line.text) <= 60 for line in lines)
    assert all(float(line.get("y")) < 628 - 140 for line in lines)


def test_an_event_without_goals_gets_sdg_colours_anyway(idea):
    svg = billboard.billboard_svg(idea, [])
    root = ET.fromstring(svg.encode())
    fills = {rect.get("fill") for rect in root.iter(f"{SVG}rect")}
    assert set(billboard.FALLBACK_COLOURS) <= fills


def test_png_has_the_signature_and_the_size(idea, event):
    png = billboard.billboard_png(idea, event.goals.all())
    assert png.startswith(PNG_SIGNATURE)
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    assert image.size == (1200, 628)
    # The SDG 11 colour of the top band is painted.
    colour = Goal.objects.get(number=11).color.lstrip("#")
    expected = tuple(int(colour[i : i + 2], 16) for i in (0, 2, 4))
    assert image.convert("RGB").getpixel((10, 10)) == expected


def test_anyone_who_sees_the_event_downloads_a_retained_billboard(client, idea):
    response = client.get(url("billboard_png", idea))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response.content.startswith(PNG_SIGNATURE)
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f'filename="billboard-saint-etienne-co-{idea.pk}.png"' in disposition
    assert "max-age=300" in response["Cache-Control"]

    response = client.get(url("billboard_svg", idea))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    ET.fromstring(response.content)
    assert response["Content-Disposition"].endswith('.svg"')


def test_ideas_not_retained_have_no_billboard(client, session):
    idea = make_idea(session, UserFactory(), "Still open")
    assert client.get(url("billboard_png", idea)).status_code == 404
    assert client.get(url("billboard_svg", idea)).status_code == 404


def test_billboards_of_hidden_events_are_not_found(client, organization, user):
    hidden = make_event(organizers=[organization], published=False)
    session = make_session(hidden, kind="co_creation", billboards=True)
    idea = make_idea(session, UserFactory(), "Secret", status="retained")
    client.force_login(user)
    assert client.get(url("billboard_png", idea)).status_code == 404
    assert client.get(url("billboard_svg", idea)).status_code == 404


def test_an_idea_of_another_event_is_not_found_under_this_one(client, idea, organization):
    other = make_event(organizers=[organization])
    wrong = reverse("events:billboard_png", args=[other.slug, idea.pk])
    assert client.get(wrong).status_code == 404
