"""The HUB page for the public: story, SDG icons, places, results in plain words, links to
discuss and download, and a card for sharing."""

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from local4action.core.models import Goal
from local4action.core.testing import assert_queries_constant
from local4action.initiatives.models import InitiativeTranslation, Location
from local4action.monitoring import services
from local4action.monitoring.tests.factories import make_hub, make_indicator

GIF = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,"
    b"\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)


def add_deliverables(hub, editor, *, delivered, planned, dropped=0):
    today = timezone.localdate()
    for i in range(delivered):
        services.deliverable_save(
            actor=editor,
            initiative=hub,
            data={
                "title": f"Delivered {i}",
                "due_date": today - datetime.timedelta(days=10),
                "status": "delivered",
                "delivered_on": today - datetime.timedelta(days=20),
            },
        )
    for i in range(planned):
        services.deliverable_save(
            actor=editor,
            initiative=hub,
            data={"title": f"Planned {i}", "due_date": today + datetime.timedelta(days=60)},
        )
    for i in range(dropped):
        services.deliverable_save(
            actor=editor,
            initiative=hub,
            data={
                "title": f"Dropped {i}",
                "due_date": today + datetime.timedelta(days=60),
                "status": "dropped",
            },
        )


def test_results_say_how_many_deliverables_are_delivered(client, db):
    hub, editor = make_hub()
    add_deliverables(hub, editor, delivered=7, planned=2, dropped=1)

    content = client.get(hub.get_absolute_url()).content.decode()

    # The dropped deliverable counts neither way.
    assert "7 of 9 deliverables delivered." in content


def test_each_indicator_shows_its_latest_value_against_its_target(client, db):
    hub, editor = make_hub()  # started a year ago, runs two years
    indicator = make_indicator(hub, editor)
    services.measurement_add(
        actor=editor, indicator=indicator, date=timezone.localdate(), value=Decimal("45")
    )
    make_indicator(hub, editor, name="Trees planted", unit="trees")

    content = client.get(hub.get_absolute_url()).content.decode()

    assert "People trained: 45 people on" in content
    assert "against a target of 100 people" in content
    assert "45% of the way" in content
    assert "On track" in content
    assert "Trees planted: no measurement yet. The target is 100 trees" in content
    assert '<rect width="45" height="10"' in content


def test_an_indicator_far_behind_is_off_track(client, db):
    hub, editor = make_hub()
    indicator = make_indicator(hub, editor)
    services.measurement_add(
        actor=editor, indicator=indicator, date=timezone.localdate(), value=Decimal("5")
    )

    content = client.get(hub.get_absolute_url()).content.decode()

    assert "Off track" in content
    assert "5% of the way" in content


def test_no_result_yet_is_said_plainly(client, db):
    hub, _editor = make_hub()

    content = client.get(hub.get_absolute_url()).content.decode()

    assert "No result has been reported yet." in content


def test_story_in_the_visitor_language_sdg_icons_places_and_links(client, db):
    hub, _editor = make_hub(title="Budgets participatifs")
    hub.language = "fr"
    hub.save()
    InitiativeTranslation.objects.create(
        initiative=hub, language="en", title="Participatory budgets", summary="People decide."
    )
    hub.goals.set(Goal.objects.filter(number=11))
    Location.objects.create(
        initiative=hub, name="Lyon", latitude=Decimal("45.764"), longitude=Decimal("4.8357")
    )

    content = client.get(hub.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "<h1>Participatory budgets</h1>" in content
    assert "People decide." in content
    assert "Goal 11: Sustainable cities and communities" in content
    assert '<rect width="48" height="48" rx="4" fill="#FD9D24"/>' in content
    assert '<circle cx="4.83570" cy="45.76400"' in content
    assert "/map/?q=Budgets%20participatifs" in content
    assert f"/exchange/about/initiative/{hub.pk}/" in content
    assert "/data/initiatives.csv?q=" in content


def test_map_coordinates_are_not_localized(client, db):
    hub, _editor = make_hub()
    Location.objects.create(
        initiative=hub, name="Quito", latitude=Decimal("-0.1807"), longitude=Decimal("-78.4678")
    )

    content = client.get(hub.get_absolute_url() + "?lang=fr").content.decode()

    assert '<circle cx="-78.46780" cy="-0.18070"' in content


def test_open_graph_card(client, db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    hub, _editor = make_hub(title="Clean air for Quito")
    hub.summary = "Quito measures the air in every district."
    hub.save()

    content = client.get(hub.get_absolute_url()).content.decode()

    assert '<meta property="og:title" content="Clean air for Quito">' in content
    assert (
        '<meta property="og:description" content="Quito measures the air in every district.">'
        in content
    )
    assert (
        f'<meta property="og:url" content="http://testserver/initiatives/{hub.slug}/">' in content
    )
    assert '<meta property="og:type" content="article">' in content
    assert '<meta name="twitter:card" content="summary">' in content
    assert "og:image" not in content

    hub.image = SimpleUploadedFile("air.gif", GIF, content_type="image/gif")
    hub.save()
    content = client.get(hub.get_absolute_url()).content.decode()

    assert '<meta property="og:image" content="http://testserver/media/initiatives/air' in content
    assert '<meta name="twitter:card" content="summary_large_image">' in content


def test_hidden_initiative_is_404(client, db):
    draft, _editor = make_hub(status="draft")

    assert client.get(draft.get_absolute_url()).status_code == 404


def test_hub_page_query_count_does_not_grow_with_results(client, db):
    hub, editor = make_hub()

    def add_rows(n):
        add_deliverables(hub, editor, delivered=n, planned=n)
        for _ in range(n):
            indicator = make_indicator(hub, editor)
            services.measurement_add(
                actor=editor, indicator=indicator, date=timezone.localdate(), value=Decimal("30")
            )
            Location.objects.create(
                initiative=hub, name="Lyon", latitude=Decimal("45"), longitude=Decimal("4")
            )

    assert_queries_constant(client, hub.get_absolute_url(), add_rows)
