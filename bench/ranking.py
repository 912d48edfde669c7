"""Benchmark: render a call's ranking page, and its CSV and XLSX exports, on a large call.

    .venv/bin/python bench/ranking.py [--applications 500] [--reviews-per-application 3]

Uses DATABASE_URL when set (its database is dropped and created again, so its name must
contain "bench"), else a throwaway SQLite file under /tmp. Not a test: pytest never collects it.
"""

import argparse
import random
import statistics
import time
from pathlib import Path

from common import database_version, django_setup, fresh_database  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE = Path("/tmp/local4action-bench-ranking.sqlite3")
RENDERS = 5
SEED = 2030


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--applications", type=int, default=500)
    parser.add_argument("--reviews-per-application", type=int, default=3)
    args = parser.parse_args()

    url = fresh_database(DEFAULT_SQLITE)
    django_setup()

    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()  # the test client's host, e-mails kept in memory
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrated = time.perf_counter()
    call, staff, counts = populate(args.applications, args.reviews_per_application)
    populated = time.perf_counter()

    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(staff)

    def fetch(name):
        with CaptureQueriesContext(connection) as queries:
            begin = time.perf_counter()
            response = client.get(reverse(name, args=[call.slug]))
            elapsed = (time.perf_counter() - begin) * 1000
        assert response.status_code == 200, (name, response.status_code)
        return elapsed, len(queries), len(response.content)

    renders = [fetch("calls:ranking") for _ in range(RENDERS)]
    exports = {name: fetch(f"calls:{name}") for name in ("export_csv", "export_xlsx")}

    print(f"database            {database_version(connection)} ({url})")
    print(f"applications        {counts['applications']}")
    print(f"reviews             {counts['reviews']}")
    print(f"scores              {counts['scores']}")
    print(
        f"set-up              migrate {migrated - started:.1f} s, data {populated - migrated:.1f} s"
    )
    print(f"ranking queries     {[q for _, q, _ in renders]} (per render)")
    times = [t for t, _, _ in renders]
    print(
        f"ranking render      min {min(times):.0f} ms, median {statistics.median(times):.0f} ms "
        f"({RENDERS} renders: {', '.join(f'{t:.0f}' for t in times)} ms; "
        f"{renders[0][2] / 1024:.0f} KiB)"
    )
    for name, (elapsed, queries, size) in exports.items():
        print(f"{name:<19} {elapsed:.0f} ms, {queries} queries, {size / 1024:.0f} KiB")


def populate(n_applications: int, reviews_per_application: int):
    """One call, N approved organizations with one submitted application each, and the
    reviews, written in bulk: the services would take minutes for this much."""
    import datetime

    from django.utils import timezone

    from local4action.accounts.choices import OrganizationKind, OrganizationStatus, PlatformRole
    from local4action.accounts.models import Organization, User
    from local4action.accounts.services import user_set_platform_roles
    from local4action.calls import services
    from local4action.calls.choices import (
        ApplicationStatus,
        CallStatus,
        Recommendation,
        ReviewStatus,
    )
    from local4action.calls.models import Application, Review, Score
    from local4action.initiatives.choices import InitiativeStatus
    from local4action.initiatives.models import Initiative

    rng = random.Random(SEED)
    now = timezone.now()
    staff = User.objects.create_user("secretariat@bench.example", name="Bench Secretariat")
    user_set_platform_roles(actor=None, user=staff, roles={PlatformRole.SECRETARIAT})
    call = services.call_create(
        actor=staff,
        data={
            "title": "Local4Action HUBs benchmark",
            "time_zone": "Europe/Madrid",
            "opens_at": now - datetime.timedelta(days=40),
            "closes_at": now + datetime.timedelta(days=20),
            "eligible_kinds": [OrganizationKind.LOCAL_GOVERNMENT],
            "support_offered": ["seed_funding", "expertise"],
            "reviewers_per_application": reviews_per_application,
        },
    )
    call = services.call_set_status(actor=staff, call=call, status=CallStatus.OPEN)
    criteria = list(call.criteria.all())

    # Enough reviewers that each application gets distinct ones.
    n_reviewers = max(reviews_per_application, 30)
    reviewers = User.objects.bulk_create(
        User(email=f"reviewer{i}@bench.example", name=f"Reviewer {i}", password="!")
        for i in range(n_reviewers)
    )
    reviewer_group = staff.groups.model.objects.get(name=PlatformRole.REVIEWER)
    User.groups.through.objects.bulk_create(
        User.groups.through(user_id=r.pk, group_id=reviewer_group.pk) for r in reviewers
    )
    countries = ["FR", "ES", "CA", "BR", "MA", "SN", "IT", "PT", "CN", "MX"]
    organizations = Organization.objects.bulk_create(
        (
            Organization(
                name=f"Municipalité numéro {i}",
                slug=f"bench-municipality-{i}",
                kind=OrganizationKind.LOCAL_GOVERNMENT,
                country=countries[i % len(countries)],
                status=OrganizationStatus.APPROVED,
            )
            for i in range(n_applications)
        ),
        batch_size=1000,
    )
    initiatives = Initiative.objects.bulk_create(
        (
            Initiative(
                slug=f"bench-initiative-{i}",
                title=f"Initiative {i}: participación ciudadana",
                summary="Participatory budgeting with under-represented groups.",
                lead_organization=organization,
                status=InitiativeStatus.SUBMITTED,
            )
            for i, organization in enumerate(organizations)
        ),
        batch_size=1000,
    )
    applications = Application.objects.bulk_create(
        (
            Application(
                call=call,
                initiative=initiative,
                status=ApplicationStatus.SUBMITTED,
                support_requested=["seed_funding"],
                submitted_at=now - datetime.timedelta(minutes=i),
            )
            for i, initiative in enumerate(initiatives)
        ),
        batch_size=1000,
    )
    recommendations = Recommendation.values
    reviews = Review.objects.bulk_create(
        (
            Review(
                application=application,
                reviewer=reviewers[(i + j) % n_reviewers],
                assigned_by=staff,
                status=ReviewStatus.SUBMITTED,
                recommendation=rng.choice(recommendations),
                comment="Benchmark review.",
                submitted_at=now,
            )
            for i, application in enumerate(applications)
            for j in range(reviews_per_application)
        ),
        batch_size=1000,
    )
    scores = Score.objects.bulk_create(
        (
            Score(review=review, criterion=criterion, score=rng.randint(0, 5))
            for review in reviews
            for criterion in criteria
        ),
        batch_size=1000,
    )
    call = services.call_set_status(actor=staff, call=call, status=CallStatus.CLOSED)
    counts = {"applications": len(applications), "reviews": len(reviews), "scores": len(scores)}
    return call, staff, counts


if __name__ == "__main__":
    main()
