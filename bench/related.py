"""Benchmark: "related to X" (the selector and the page) with 100,000 public initiatives.

    .venv/bin/python bench/related.py [--initiatives 100000] [--lookups 500]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_related .venv/bin/python bench/related.py

N public initiatives led by N/5 organizations, each with a stored vector and its 10 precomputed
Relation rows, all inserted in bulk. The vectors are random unit vectors of the engine's size
(running the embedder 100,000 times would take a quarter of an hour and measure nothing the
reads depend on); the relations are 10 random others with decreasing scores. Then: the
selector `related_to(X)` and the related page (test Client) for L random X, and one background
`relations_refresh` (which embeds X's real text and reads every vector). Uses DATABASE_URL when
set (its database is dropped and created again, so its name must contain "bench"), else a
throwaway SQLite file under /tmp. Not a test: pytest never collects it.
"""

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import database_version, django_setup, fresh_database  # noqa: E402 — shared by the benches

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE = Path("/tmp/local4action-bench-related.sqlite3")
SEED = 2030
BATCH = 5000
COUNTRIES = ["FR", "ES", "CA", "BR", "MA", "SN", "IT", "PT", "CN", "MX", "KE", "IN", "AR", "TN"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--initiatives", type=int, default=100_000)
    parser.add_argument("--lookups", type=int, default=500)
    args = parser.parse_args()

    url = fresh_database(DEFAULT_SQLITE)
    django_setup()

    from django.core.management import call_command
    from django.db import connection
    from django.db.models.signals import post_save
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.urls import reverse

    from local4action.initiatives.models import Initiative
    from local4action.network import selectors, services

    setup_test_environment()
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrated = time.perf_counter()
    # Bulk inserts send no post_save; disconnect anyway so that nothing is computed on the way.
    post_save.disconnect(dispatch_uid="network.initiative", sender=Initiative)
    ids, counts = populate(args.initiatives)
    populated = time.perf_counter()

    rng = random.Random(SEED)
    sample = rng.sample(ids, min(args.lookups, len(ids)))
    initiatives = {i.pk: i for i in Initiative.objects.filter(pk__in=sample)}

    def percentiles(times):
        times = sorted(times)
        return statistics.median(times), times[int(len(times) * 0.95) - 1], max(times)

    selector_times, selector_queries = [], set()
    for pk in sample:
        with CaptureQueriesContext(connection) as queries:
            begin = time.perf_counter()
            relations = selectors.related_to(initiatives[pk], limit=10)
            [relation.other.lead_organization.name for relation in relations]
            selector_times.append((time.perf_counter() - begin) * 1000)
        selector_queries.add(len(queries))
        assert len(relations) == 10

    client = Client()
    page_times, page_queries = [], set()
    for pk in sample:
        page_url = reverse("network:related", args=[initiatives[pk].slug])
        with CaptureQueriesContext(connection) as queries:
            begin = time.perf_counter()
            response = client.get(page_url)
            page_times.append((time.perf_counter() - begin) * 1000)
        assert response.status_code == 200
        page_queries.add(len(queries))

    with CaptureQueriesContext(connection) as queries:
        selectors.related_to(initiatives[sample[0]])
    sql = queries.captured_queries[0]["sql"]
    with connection.cursor() as cursor:
        explain = "EXPLAIN ANALYZE " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
        cursor.execute(explain + sql)
        plan = [" ".join(str(c) for c in row) for row in cursor.fetchall()]

    refresh_times, refresh_queries = [], []
    for pk in sample[:3]:
        initiative = Initiative.objects.prefetch_related("translations").get(pk=pk)
        with CaptureQueriesContext(connection) as queries:
            begin = time.perf_counter()
            services.relations_refresh(initiative)
            refresh_times.append(time.perf_counter() - begin)
        refresh_queries.append(len(queries))

    print(f"database             {database_version(connection)} ({url})")
    for name, value in counts.items():
        print(f"{name:<20} {value:,}")
    print(
        f"set-up               migrate {migrated - started:.1f} s, "
        f"data {populated - migrated:.1f} s"
    )
    p50, p95, worst = percentiles(selector_times)
    print(
        f"related_to(X)        {len(sample)} lookups: p50 {p50:.2f} ms, p95 {p95:.2f} ms, "
        f"max {worst:.1f} ms; queries {sorted(selector_queries)}"
    )
    p50, p95, worst = percentiles(page_times)
    print(
        f"related page         {len(sample)} GETs: p50 {p50:.1f} ms, p95 {p95:.1f} ms, "
        f"max {worst:.1f} ms; queries {sorted(page_queries)}"
    )
    print(
        f"relations_refresh    {', '.join(f'{t:.2f} s' for t in refresh_times)} "
        f"({', '.join(map(str, refresh_queries))} queries)"
    )
    print("plan of related_to:")
    for line in plan:
        print(f"  {line}")


def populate(n: int):
    """Organizations, public initiatives, their vectors and 10 relations each; in bulk."""
    import numpy as np
    from django.db import connection, transaction
    from django.utils import timezone

    from local4action.accounts.choices import OrganizationKind, OrganizationStatus
    from local4action.accounts.models import Organization
    from local4action.core.models import RegionalSection
    from local4action.initiatives.models import Initiative
    from local4action.network import similarity
    from local4action.network.models import InitiativeVector, Relation

    rng = random.Random(SEED)
    vectors = np.random.default_rng(SEED)
    engine = similarity.engine()
    now = timezone.now()
    sections = list(RegionalSection.objects.all())
    kinds = [OrganizationKind.LOCAL_GOVERNMENT] * 6 + [
        OrganizationKind.REGIONAL_GOVERNMENT,
        OrganizationKind.LRG_ASSOCIATION,
    ]
    n_organizations = max(1, n // 5)
    with transaction.atomic():
        organizations = Organization.objects.bulk_create(
            (
                Organization(
                    name=f"Municipalité {i}",
                    slug=f"bench-municipality-{i}",
                    kind=kinds[i % len(kinds)],
                    country=COUNTRIES[i % len(COUNTRIES)],
                    regional_section=sections[i % len(sections)],
                    status=OrganizationStatus.APPROVED,
                )
                for i in range(n_organizations)
            ),
            batch_size=BATCH,
        )
        topics = ["water", "mobility", "waste", "housing", "culture", "food", "data"]
        Initiative.objects.bulk_create(
            (
                Initiative(
                    title=f"Initiative {i}: {rng.choice(topics)} and {rng.choice(topics)}",
                    summary=f"A local initiative on {rng.choice(topics)}.",
                    slug=f"bench-initiative-{i}",
                    lead_organization=organizations[i % n_organizations],
                    status="labelled" if i % 3 else "accompanied",
                    labelled_at=now if i % 3 else None,
                )
                for i in range(n)
            ),
            batch_size=BATCH,
        )
        ids = list(Initiative.objects.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), BATCH):
            chunk = ids[start : start + BATCH]
            matrix = vectors.standard_normal((len(chunk), engine.dimensions)).astype(np.float32)
            matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
            InitiativeVector.objects.bulk_create(
                InitiativeVector(
                    initiative_id=pk,
                    engine=engine.name,
                    data=similarity.to_bytes(row),
                    text_hash="",
                )
                for pk, row in zip(chunk, matrix, strict=True)
            )
        for start in range(0, len(ids), BATCH // 10):
            relations = []
            for pk in ids[start : start + BATCH // 10]:
                others = rng.sample(ids, 11)
                others = [other for other in others if other != pk][:10]
                for rank, other in enumerate(others):
                    score = round(0.9 - rank * 0.05 - rng.random() * 0.01, 4)
                    relations.append(
                        Relation(
                            initiative_id=pk,
                            other_id=other,
                            score=score,
                            text_score=score,
                            reasons={"text": score, "region": rank % 2 == 0},
                        )
                    )
            Relation.objects.bulk_create(relations)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    counts = {
        "organizations": len(organizations),
        "initiatives": len(ids),
        "vectors": InitiativeVector.objects.count(),
        "relations": Relation.objects.count(),
    }
    return ids, counts


if __name__ == "__main__":
    main()
