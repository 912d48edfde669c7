from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from local4action.accounts.permissions import is_secretariat
from local4action.calls import selectors
from local4action.calls.models import Call
from local4action.calls.tests.factories import (
    make_draft,
    make_review,
    make_reviewer,
    make_submitted,
    make_team,
)
from local4action.core.testing import count_queries


@pytest.fixture
def add_reviewed(call, secretariat):
    """add_reviewed(n): n more submitted applications, each with three submitted reviews."""
    reviewers = [make_reviewer() for _ in range(3)]
    created = []

    def add(n):
        for _ in range(n):
            organization, _, editor = make_team()
            application = make_submitted(
                call,
                editor=editor,
                organization=organization,
                title=f"Initiative {len(created) + 1}",
            )
            for position, reviewer in enumerate(reviewers):
                make_review(
                    application,
                    staff=secretariat,
                    reviewer=reviewer,
                    scores=[(len(created) + position) % 6] * 6,
                )
            created.append(application)
        return created

    return add


def _ranking_queries(secretariat, call) -> int:
    call = Call.objects.get(pk=call.pk)  # criteria not prefetched: count them too
    with CaptureQueriesContext(connection) as queries:
        selectors.call_ranking(user=secretariat, call=call)
    return len(queries)


def test_the_ranking_selector_runs_a_fixed_number_of_queries(
    secretariat, call, add_reviewed, django_assert_num_queries
):
    is_secretariat(secretariat)  # roles are read once per user object
    add_reviewed(3)
    few = _ranking_queries(secretariat, call)
    add_reviewed(12)
    call = Call.objects.get(pk=call.pk)

    # Criteria, applications, reviews, scores.
    with django_assert_num_queries(4):
        criteria, rows = selectors.call_ranking(user=secretariat, call=call)

    assert few == 4
    assert len(rows) == 15 and all(row.reviews == 3 for row in rows)


def test_the_ranking_page_runs_a_fixed_number_of_queries(client, secretariat, call, add_reviewed):
    client.force_login(secretariat)
    url = reverse("calls:ranking", args=[call.slug])
    add_reviewed(3)
    few = count_queries(client, url)
    applications = add_reviewed(12)

    many = count_queries(client, url)

    assert many == few, f"{few} queries with 3 applications, {many} with 15"
    content = client.get(url).content.decode()
    assert all(a.initiative.title in content for a in applications)


def test_the_ranking_orders_by_weighted_score_with_spread_and_flags(call, secretariat):
    strong = make_submitted(call, title="Bilbao, city of values")
    make_review(strong, staff=secretariat, scores=[5, 4, 4, 3, 5, 4])
    make_review(strong, staff=secretariat, scores=[3, 3, 4, 2, 3, 3], recommendation="accompanied")
    split = make_submitted(call, title="Venice City Solutions 2030")
    make_review(split, staff=secretariat, scores=[0, 1, 2, 2, 2, 2], recommendation="declined")
    make_review(split, staff=secretariat, scores=[3, 2, 2, 2, 2, 2])
    unreviewed = make_submitted(call, title="Participation for all")
    make_draft(call, title="Not submitted yet")

    criteria, rows = selectors.call_ranking(user=secretariat, call=call)

    assert [r.application for r in rows] == [strong, split, unreviewed]
    first, second, third = rows
    assert (first.weighted, first.spread) == (Decimal("3.58"), Decimal("1.17"))
    assert [first.criterion_means[c.pk] for c in criteria] == [
        Decimal(v) for v in ("4.00", "3.50", "4.00", "2.50", "4.00", "3.50")
    ]
    assert first.below_minimum == [] and not first.disagreement
    assert (second.weighted, second.spread) == (Decimal("1.83"), Decimal("0.67"))
    assert second.below_minimum == [criteria[0].label, criteria[1].label]
    assert second.disagreement  # a decline beside a label
    assert third.weighted is None and third.reviews == 0 and not third.disagreement


@pytest.mark.parametrize("person", ["user", "reviewer"])
def test_only_the_secretariat_sees_the_ranking_page(client, call, person, request):
    client.force_login(request.getfixturevalue(person))

    assert client.get(reverse("calls:ranking", args=[call.slug])).status_code == 403
