import datetime
import io
import random

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils.html import strip_tags

from local4action.accounts.models import Organization, User
from local4action.accounts.tests.factories import OrganizationFactory
from local4action.core import search
from local4action.events.models import Event, Registration
from local4action.exchange.models import Post, Thread
from local4action.initiatives import search as initiative_search
from local4action.initiatives.choices import PUBLIC_STATUSES
from local4action.initiatives.models import Initiative, InitiativeTranslation, Location
from local4action.initiatives.selectors import Catalogue, catalogue
from local4action.monitoring.models import Indicator, Measurement
from local4action.monitoring.services import refresh_latest
from local4action.portal import scale
from local4action.surveys.models import Answer, Response, Survey
from local4action.workplan.models import Action, Section, WorkPlan

N = 200
MODELS = {
    "initiatives": Initiative,
    "organizations": Organization,
    "indicators": Indicator,
    "measurements": Measurement,
    "events": Event,
    "registrations": Registration,
    "surveys": Survey,
    "responses": Response,
    "threads": Thread,
    "posts": Post,
    "actions": Action,
}


def table_counts() -> dict[str, int]:
    return {name: model.objects.count() for name, model in MODELS.items()}


@pytest.fixture
def seeded(db):
    before = table_counts()
    out = io.StringIO()
    call_command("seed_scale", initiatives=N, verbosity=0, stdout=out)
    return before, out.getvalue()


def test_seed_scale_writes_the_expected_volumes_and_prints_them(seeded):
    before, output = seeded
    expected = scale.expected_counts(N)
    after = table_counts()

    assert {name: after[name] - before[name] for name in MODELS} == expected
    assert expected == {
        "initiatives": 200,
        "organizations": 100,
        "indicators": 2000,
        "measurements": 20000,
        "events": 2,
        "registrations": 100,
        "surveys": 1,
        "responses": 100,
        "threads": 4,
        "posts": 20,
        "actions": 400,
    }
    line = output.strip().splitlines()[-1]
    printed = dict(pair.split("=") for pair in line.split())
    assert list(printed) == [*expected, "seconds"]
    assert {name: int(printed[name]) for name in expected} == expected
    assert float(printed["seconds"]) >= 0
    # Organizations are approved local (and regional) governments with coordinates.
    assert set(Organization.objects.values_list("status", flat=True)) == {"approved"}
    assert set(Organization.objects.values_list("kind", flat=True)) == {
        "local_government",
        "regional_government",
    }
    assert not Organization.objects.filter(latitude__isnull=True).exists()
    assert Organization.objects.values("country").distinct().count() > 10
    # Links, places, people, answers and the work plan's outline came with them.
    assert Initiative.goals.through.objects.count() >= N
    assert Initiative.policy_areas.through.objects.count() >= N
    assert Location.objects.count() >= N
    assert InitiativeTranslation.objects.exists()
    assert User.objects.filter(email__endswith="@scale.local4action.test").count() == (
        scale.people_count(N)
    )
    assert not any(
        user.has_usable_password()
        for user in User.objects.filter(email__endswith="@scale.local4action.test")
    )
    assert Answer.objects.count() >= Response.objects.filter(status="submitted").count() * 3
    assert WorkPlan.objects.count() == 1
    assert Section.objects.filter(depth=2).count() == 12
    assert Section.objects.filter(depth=3).count() == 36


def test_seeded_rows_hold_every_check_constraint(seeded):
    # The database would have refused them; checked here once more row by row in Python.
    for model in (*MODELS.values(), Location, InitiativeTranslation, Section, Answer):
        for row in model.objects.order_by("pk")[:300]:
            row.validate_constraints()


def test_derived_columns_equal_what_the_app_computes(seeded):
    for initiative in Initiative.objects.prefetch_related("translations"):
        assert initiative.search_text == initiative_search.document_of(initiative)
    for indicator in Indicator.objects.order_by("?")[:100]:
        stored = (indicator.latest_value, indicator.latest_date)
        assert stored[0] is not None
        refresh_latest(indicator)
        assert (indicator.latest_value, indicator.latest_date) == stored
    for thread in Thread.objects.prefetch_related("posts"):
        posts = list(thread.posts.all())
        assert thread.posts_count == len(posts)
        assert thread.last_post_at == max(post.created_at for post in posts)
        assert thread.search_text == search.document(thread.title, language=thread.language)
        for post in posts:
            assert post.search_text == search.document(
                strip_tags(post.body).strip(), language=post.language
            )
            assert post.parent is None or post.parent.parent_id is None
    assert scale.check_sample(2030) > 0


def test_the_catalogue_search_finds_a_seeded_initiative_by_a_word_of_its_title(seeded):
    initiative = Initiative.objects.filter(status__in=PUBLIC_STATUSES).order_by("pk").first()
    word = max(search.words(initiative.title), key=len)

    found = catalogue(Catalogue(q=word))

    assert initiative in found
    assert found.count() < Initiative.objects.count()


def test_the_same_seed_plans_the_same_data_and_another_seed_other_data(db):
    homes = [row["city"] for row in scale.plan_organizations(2030, 50)]

    def titles(seed):
        return [
            plan.title
            for _i, _owner, plan in scale.plan_initiatives(
                seed, 300, homes=homes, goal_numbers=list(range(1, 18)), area_count=12
            )
        ]

    assert scale.plan_organizations(2030, 50) == scale.plan_organizations(2030, 50)
    assert titles(2030) == titles(2030)
    assert titles(2030) != titles(2031)
    assert len(set(titles(2030))) > 250


def test_spread_varies_around_the_mean_and_keeps_the_total():
    rng = random.Random(1)
    for count in (1, 2, 7, 100):
        numbers = scale.spread(rng, count, 10, 6)
        assert sum(numbers) == 10 * count
        assert all(4 <= n <= 16 for n in numbers)


def test_seed_scale_refuses_a_database_that_holds_initiatives(db):
    Initiative.objects.create(
        slug="existing", title="Existing", lead_organization=OrganizationFactory()
    )
    before = table_counts()
    users = User.objects.count()

    with pytest.raises(
        CommandError, match=r"not empty: it holds 1 initiative\(s\).*empty database"
    ):
        call_command("seed_scale", initiatives=20, verbosity=0, stdout=io.StringIO())

    assert table_counts() == before
    assert User.objects.count() == users


def test_seed_scale_refuses_nonsense_sizes(db):
    with pytest.raises(CommandError, match="at least 1"):
        call_command("seed_scale", initiatives=0, verbosity=0, stdout=io.StringIO())
    assert table_counts() == dict.fromkeys(MODELS, 0)


def test_copy_writes_the_same_measurements_as_bulk_create_and_needs_postgresql(db):
    if connection.vendor != "postgresql":
        with pytest.raises(CommandError, match="needs PostgreSQL"):
            call_command("seed_scale", initiatives=20, copy=True, stdout=io.StringIO())
        assert table_counts() == dict.fromkeys(MODELS, 0)
        return
    organization = OrganizationFactory()
    ids = [
        Initiative.objects.create(
            slug=f"i-{k}", title=f"Initiative {k}", lead_organization=organization
        ).pk
        for k in range(6)
    ]
    today = datetime.date(2030, 1, 1)

    def written(copy):
        first = Indicator.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        total = scale.seed_monitoring(
            seed=7, initiatives=ids, today=today, batch=20, progress=False, copy=copy
        )
        rows = Measurement.objects.filter(indicator__pk__gt=first).order_by("indicator", "date")
        fields = ("date", "value", "source", "note", "disaggregation", "created_by")
        return total, [tuple(getattr(row, name) for name in fields) for row in rows]

    by_bulk_create, by_copy = written(False), written(True)

    assert by_copy == by_bulk_create
    assert by_copy[0] == 60 * 10 == len(by_copy[1])
    for indicator in Indicator.objects.all():
        stored = (indicator.latest_value, indicator.latest_date)
        refresh_latest(indicator)
        assert (indicator.latest_value, indicator.latest_date) == stored
