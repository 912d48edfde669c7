"""The demo library (`manage.py seed_demo`): idempotent; resources of every kind in English,
French and Spanish, PDFs whose text can be searched, two ordered collections, good practices
drawn from the demo HUBs, one waiting for review and one draft; all written through the
services (audited)."""

import io
from collections import Counter

import pytest
from django.core.management import call_command

from local4action.core.models import AuditEvent
from local4action.library import demo, selectors
from local4action.library.choices import Extraction, ResourceKind, ResourceStatus
from local4action.library.models import (
    Collection,
    CollectionItem,
    GoodPractice,
    Resource,
    ResourceFile,
    ResourceLink,
    ResourceTranslation,
)
from local4action.monitoring.demo import demo_initiatives

MODELS = (
    Resource,
    ResourceTranslation,
    GoodPractice,
    ResourceFile,
    ResourceLink,
    Collection,
    CollectionItem,
)


def _seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def _counts() -> dict:
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture
def seeded(db):
    return _seed()


def _found(q: str) -> list[str]:
    return [r.title for r in selectors.library(selectors.Library.from_params({"q": [q]}))]


def test_seed_demo_twice_adds_nothing_the_second_time(seeded):
    counts = _counts()
    audits = AuditEvent.objects.filter(action__startswith="resource.").count()

    second = _seed()

    assert _counts() == counts
    assert AuditEvent.objects.filter(action__startswith="resource.").count() == audits
    assert "Demo library: 37 resources (37 new), 35 published, 2 collections." in seeded
    assert "Demo library: 37 resources (0 new)" in second


def test_the_demo_library_is_complete_and_its_pdfs_searchable(seeded):
    resources = list(Resource.objects.prefetch_related("translations", "files", "links"))
    kinds = Counter(r.kind for r in resources)
    published = [r for r in resources if r.status == ResourceStatus.PUBLISHED]

    assert 30 <= len(resources) <= 40
    assert set(kinds) == set(ResourceKind.values) and min(kinds.values()) >= 5
    assert {r.language for r in published} == {"en", "fr", "es"}
    assert sum(1 for r in published if r.translations.all()) >= 10
    assert all(r.links.all() and not r.files.all() for r in resources if r.kind == "video")
    files = [f for r in resources for f in r.files.all()]
    assert len(files) >= 25 and {f.language for f in files} == {"en", "fr", "es"}
    assert all(f.content_type == "application/pdf" and 0 < f.size < 100_000 for f in files)
    assert {f.extraction for f in files} == {Extraction.DONE}
    # Written through the services: each publication has its audit row.
    assert AuditEvent.objects.filter(action="resource.publish").count() == len(published)

    # The PDFs are searchable by words found only inside them.
    guide = Resource.objects.get(title="Municipal green bonds: a practical guide")
    toolkit = Resource.objects.get(title="Boîte à outils : budgétiser les ODD au niveau local")

    assert demo.PDF_ONLY_WORD not in f"{guide.title} {guide.summary}".lower()
    assert demo.PDF_ONLY_WORD in guide.files.get().text.lower()
    assert _found(demo.PDF_ONLY_WORD) == [guide.title]
    # Another accent form of a word inside the French PDF.
    assert demo.PDF_ONLY_ACCENTED not in f"{toolkit.title} {toolkit.summary}"
    assert toolkit.title in _found("fiscalite")


def test_the_demo_collections_and_good_practices(seeded):
    for title, introduction, items in demo.COLLECTIONS:
        collection = Collection.objects.get(title=title)
        ordered = [
            item.resource.title
            for item in collection.items.select_related("resource").order_by("position")
        ]
        assert collection.published and collection.introduction == introduction
        assert ordered == items
        assert all(
            item.resource.status == ResourceStatus.PUBLISHED for item in collection.items.all()
        )

    # Good practices come from the demo HUBs and go through the review.
    hubs = demo_initiatives()
    drawn = GoodPractice.objects.filter(initiative__isnull=False).select_related("resource")
    by_hub = {case.initiative_id: case.resource for case in drawn}

    published = [hubs[slug].pk for slug in demo.HUB_PRACTICES]
    assert all(by_hub[pk].status == ResourceStatus.PUBLISHED for pk in published)
    assert by_hub[hubs[demo.HUB_SUBMITTED].pk].status == ResourceStatus.SUBMITTED
    for case in drawn:
        # Pre-filled from the HUB's monitoring data, then completed by its team.
        assert case.results and case.what_was_done and case.success_factors
        assert case.resource.initiatives.filter(pk=case.initiative_id).exists()
    draft = Resource.objects.get(title=demo.DRAFT[0]["title"])
    assert draft.status == ResourceStatus.DRAFT and draft.owner_organization.slug == "dschang"
    assert [r.pk for r in selectors.resources_to_review()] == [by_hub[hubs["xian"].pk].pk]
