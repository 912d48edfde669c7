"""Related initiatives: the precomputed lists (scores, reasons, symmetry, visibility), the
one-query read and the page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from local4action.accounts.tests.factories import OrganizationFactory
from local4action.core.models import Goal, PolicyArea, RegionalSection, Target
from local4action.core.testing import assert_queries_constant
from local4action.initiatives.models import Initiative
from local4action.network import selectors, services, similarity
from local4action.network.models import Relation

pytestmark = pytest.mark.django_db


def _initiative(title, summary, *, status="labelled", organization=None, targets=()):
    initiative = Initiative.objects.create(
        title=title,
        summary=summary,
        slug=f"i-{Initiative.objects.count() + 1}",
        lead_organization=organization or OrganizationFactory(),
        status=status,
        labelled_at="2025-01-01T00:00Z" if status == "labelled" else None,
    )
    initiative.targets.set(Target.objects.filter(code__in=targets))
    return initiative


def _neighbours(initiative):
    return list(Relation.objects.filter(initiative=initiative).values_list("other", flat=True))


def test_a_french_summary_finds_its_spanish_and_english_neighbours_first():
    bikes = _initiative("Safe cycling network", "Protected bike lanes linking schools.")
    bici = _initiative("Carriles para bicicletas", "Carriles exclusivos y seguros para bicicletas.")
    water = _initiative("Water kiosks", "Drinking water for informal settlements.")
    for initiative in (bikes, bici, water):
        services.relations_refresh(initiative)
    velo = _initiative("Pistes cyclables", "Des pistes cyclables sécurisées vers les écoles.")
    services.relations_refresh(velo)
    assert set(_neighbours(velo)[:2]) == {bikes.pk, bici.pk}
    assert _neighbours(velo)[2] == water.pk


def test_the_initiative_enters_its_neighbours_lists_and_leaves_them_when_hidden():
    others = [_initiative(f"Bus lanes {n}", "Bus lanes and bike lanes.") for n in range(3)]
    for other in others:
        services.relations_refresh(other)
    newcomer = _initiative("Bike lanes", "Bike lanes and bus lanes.")
    services.relations_refresh(newcomer)
    for other in others:
        assert newcomer.pk in _neighbours(other)

    newcomer.status = "withdrawn"
    newcomer.save()
    services.relations_refresh(newcomer)
    assert not Relation.objects.filter(initiative=newcomer).exists()
    assert not Relation.objects.filter(other=newcomer).exists()


def test_each_list_keeps_its_best_ten(monkeypatch):
    monkeypatch.setattr(services, "NEIGHBOURS", 2)
    hub = _initiative("Compost", "Compost for every home.")
    far = [_initiative(f"Opera {n}", "An opera festival.") for n in range(2)]
    for initiative in (hub, *far):
        services.relations_refresh(initiative)
    assert Relation.objects.filter(initiative=hub).count() == 2
    close = _initiative("Composting", "Composting at every home.")
    services.relations_refresh(close)
    assert Relation.objects.filter(initiative=hub).count() == 2
    assert close.pk in _neighbours(hub)


def test_non_public_initiatives_are_never_listed():
    visible = _initiative("Water kiosks", "Drinking water for every home.")
    draft = _initiative("Water kiosks too", "Drinking water for every home.", status="draft")
    services.vector_refresh(draft)
    services.relations_refresh(visible)
    assert _neighbours(visible) == []
    assert not Relation.objects.filter(initiative=draft).exists()

    # A list made while it was public is no longer read once it is hidden, even before the
    # background refresh removes it.
    other = _initiative("Drinking water", "Drinking water for every home.")
    services.relations_refresh(other)
    assert selectors.related_to(visible)[0].other == other
    Initiative.objects.filter(pk=other.pk).update(status="withdrawn")
    assert selectors.related_to(visible) == []


def test_reasons_list_shared_targets_policy_areas_region_and_kind():
    section = RegionalSection.objects.first()
    area = PolicyArea.objects.first()
    mine = _initiative(
        "Bus lanes",
        "Bus lanes.",
        organization=OrganizationFactory(regional_section=section),
        targets=["11.2", "11.6", "3.6"],
    )
    theirs = _initiative(
        "Opera",
        "An opera festival.",
        organization=OrganizationFactory(regional_section=section),
        targets=["11.2", "11.6", "4.7"],
    )
    for initiative in (mine, theirs):
        initiative.policy_areas.add(area)
        initiative.goals.add(Goal.objects.get(number=11))
    services.vector_refresh(theirs)
    services.relations_refresh(mine)
    relation = Relation.objects.get(initiative=mine, other=theirs)
    assert relation.reasons["targets"] == ["11.2", "11.6"]
    assert relation.reasons["goals"] == [11]
    assert relation.reasons["policy_areas"] == [area.pk]
    assert relation.reasons["region"] is True
    assert relation.reasons["organization_kind"] is True
    assert relation.score > services.WEIGHTS["text"] * relation.text_score


def test_initiatives_sharing_a_target_are_candidates_even_with_unrelated_text(monkeypatch):
    monkeypatch.setattr(services, "TEXT_CANDIDATES", 1)
    mine = _initiative("Bus lanes", "Bus lanes.", targets=["11.2"])
    close_text = _initiative("Bus lanes too", "Bus lanes.")
    sharing = _initiative("Opera", "An opera festival.", targets=["11.2"])
    for initiative in (close_text, sharing):
        services.vector_refresh(initiative)
    services.relations_refresh(mine)
    assert set(_neighbours(mine)) == {close_text.pk, sharing.pk}


def test_related_to_is_one_indexed_query():
    mine = _initiative("Bus lanes", "Bus lanes.")
    for n in range(12):
        services.vector_refresh(_initiative(f"Bus lanes {n}", "Bus and bike lanes."))
    services.relations_refresh(mine)
    with CaptureQueriesContext(connection) as queries:
        relations = selectors.related_to(mine, limit=10)
        titles = [relation.other.lead_organization.name for relation in relations]
    assert len(titles) == 10
    assert len(queries) == 1


# The page ------------------------------------------------------------------------------------


def test_the_page_lists_related_initiatives_with_reasons_in_words(client):
    mine = _initiative("Bus lanes", "Bus and bike lanes for schools.", targets=["11.2", "11.6"])
    theirs = _initiative(
        "Carriles bus", "Carriles de autobús y bicicleta.", targets=["11.2", "11.6"]
    )
    services.vector_refresh(theirs)
    services.relations_refresh(mine)
    response = client.get(reverse("network:related", args=[mine.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Carriles bus" in html
    assert "Shared SDG targets: 11.2, 11.6" in html
    assert "Same kind of organization: Local government" in html
    assert "Similarity:" in html


def test_hidden_initiatives_have_no_related_page(client, org_member, organization):
    draft = _initiative("Draft", "Not yet public.", status="draft", organization=organization)
    url = reverse("network:related", args=[draft.slug])
    assert client.get(url).status_code == 404
    assert client.get(reverse("network:related", args=["no-such-initiative"])).status_code == 404
    client.force_login(org_member)  # its own team sees it
    assert client.get(url).status_code == 200


def test_the_page_query_count_does_not_grow_with_rows(client):
    mine = _initiative("Bus lanes", "Bus lanes.", targets=["11.2"])
    area = PolicyArea.objects.first()
    mine.policy_areas.add(area)
    added = []

    def add_rows(count):
        for _ in range(count):
            other = _initiative(f"Bus {len(added)}", "Bus lanes.", targets=["11.2", "11.6"])
            other.policy_areas.add(area)
            other.translations.create(language="fr", title="Voies de bus", summary="Des voies.")
            services.vector_refresh(other)
            added.append(other)
        services.relations_refresh(mine)

    assert_queries_constant(client, reverse("network:related", args=[mine.slug]), add_rows, rows=8)
    assert Relation.objects.filter(initiative=mine).count() == 10


def test_engines_never_compare_vectors_of_another_engine():
    mine = _initiative("Bus lanes", "Bus lanes.")
    other = _initiative("Bus lanes", "Bus lanes.")
    services.vector_refresh(other, similarity.TrigramEngine())
    services.relations_refresh(mine)  # the e5 engine: the trigram vector is not read
    assert _neighbours(mine) == []
