"""Embeds: a public HUB's card and the charts, framable by other websites, with copyable code."""

import datetime

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from local4action.core.models import Goal
from local4action.initiatives.models import InitiativeTranslation
from local4action.monitoring.models import Deliverable
from local4action.monitoring.tests.factories import make_hub

pytestmark = pytest.mark.django_db


def _assert_framable_and_bare(response):
    assert response.status_code == 200
    assert "X-Frame-Options" not in response.headers
    assert not response.cookies  # nothing to accept on the host site
    html = response.content.decode()
    assert "site-header" not in html and "main-nav" not in html  # no site chrome
    assert "<script" not in html
    return html


def test_hub_card_shows_title_place_goals_progress_and_link_back(client, settings):
    settings.SITE_URL = "https://portal.example.org"
    hub, _editor = make_hub(title="Bilbao, city of values")
    hub.goals.add(Goal.objects.get(number=11))
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Deliverable.objects.create(
        initiative=hub,
        title="Assembly",
        due_date=yesterday,
        status="delivered",
        delivered_on=yesterday,
    )
    Deliverable.objects.create(initiative=hub, title="Report", due_date=yesterday, status="planned")

    html = _assert_framable_and_bare(client.get(reverse("portal:embed_hub", args=[hub.slug])))

    assert "Bilbao, city of values" in html
    assert hub.lead_organization.name in html and "France" in html
    assert "11. Sustainable cities" in html
    assert "1 of 2 deliverables due delivered on time" in html
    assert f'href="https://portal.example.org{hub.get_absolute_url()}"' in html
    assert 'target="_top"' in html


def test_hub_card_speaks_the_language_the_host_asks_for(client):
    hub, _editor = make_hub(title="Participation for all")
    InitiativeTranslation.objects.create(
        initiative=hub, language="es", title="Participación para todos"
    )

    html = client.get(reverse("portal:embed_hub", args=[hub.slug]) + "?lang=es").content.decode()

    assert "Participación para todos" in html
    assert '<html lang="es">' in html


@pytest.mark.parametrize("status", ["draft", "submitted", "declined", "withdrawn"])
def test_hidden_initiatives_cannot_be_embedded(client, status):
    hub, _editor = make_hub(status=status)

    assert client.get(reverse("portal:embed_hub", args=[hub.slug])).status_code == 404


def test_unknown_hub_is_404(client):
    assert client.get(reverse("portal:embed_hub", args=["no-such-hub"])).status_code == 404


@pytest.mark.parametrize("name", ["sdg-coverage", "hubs-by-region", "indicator-progress"])
def test_each_chart_can_be_embedded(client, name):
    make_hub()

    html = _assert_framable_and_bare(client.get(reverse("portal:embed_chart", args=[name])))

    assert 'role="img"' in html and "<table" in html


def test_unknown_chart_is_404(client):
    assert client.get(reverse("portal:embed_chart", args=["pie"])).status_code == 404


def test_ordinary_pages_stay_unframable(client):
    assert client.get(reverse("portal:pictures"))["X-Frame-Options"] == "DENY"


def test_embed_code_tag_gives_a_copyable_escaped_iframe(settings):
    settings.SITE_URL = "https://portal.example.org"
    template = Template("{% load portal_embed %}{% embed_code url title height=300 %}")

    html = template.render(Context({"url": "/embed/hubs/bilbao/", "title": 'Bilbao "city" <3'}))

    assert "<textarea" in html and "readonly" in html
    assert '<label for="embed-embedhubsbilbao">' in html
    assert (
        "&lt;iframe src=&quot;https://portal.example.org/embed/hubs/bilbao/&quot; "
        "title=&quot;Bilbao &amp;quot;city&amp;quot; &amp;lt;3&quot;"
    ) in html
    assert "<iframe" not in html
