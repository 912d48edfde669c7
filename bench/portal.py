"""Benchmark: the public catalogue and the map data with 100,000 initiatives, served by gunicorn
(the production setup) to 16 concurrent clients.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_portal .venv/bin/python bench/portal.py
    .venv/bin/python bench/portal.py --initiatives 5000 --seconds 5          # quick, SQLite

Builds a fresh database (its name must contain "bench": it is dropped and created again) with
N public initiatives in bulk: titles and summaries in English, French and Spanish from word
lists, some translated, N/5 organizations over countries and the regional sections, SDGs,
targets, policy areas and places, and the `search_text` column computed as the signals would.
Then starts gunicorn (DEBUG off, static files through whitenoise, its own Redis when
`redis-server` is installed) and loads it with `wrk` (else Python threads, bench/loadgen.py):
the catalogue page and the API list searched and filtered, the map data for the whole world,
and robots.txt as the floor. Prints PASS/FAIL for the issue's targets, and the plans of the
catalogue's queries. `--reuse` keeps the database of a previous run. Not a test.
"""

import argparse
import datetime
import json
import random
import statistics
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
import loadgen  # noqa: E402 — shared by the benches
import server  # noqa: E402
from common import bench_database, database_version, django_setup  # noqa: E402
from server import HOST, get, production_server  # noqa: E402

# The word lists of seed_scale (portal/words.py): the same cities, concepts and patterns.
from local4action.portal.words import (  # noqa: E402, F401 — bench/library.py reads them here
    ADJECTIVES,
    CITIES,
    LANGUAGE_INDEX,
    SUMMARIES,
    TITLES,
    TOPICS,
)

DEFAULT_SQLITE = Path("/tmp/local4action-bench-portal.sqlite3")
SEED = 2030
BATCH = 5000
TARGETS = {"catalogue": 100.0, "map": 200.0}  # p95, ms

# The searched words (rotating) and regions of the load: common and rare concepts, three
# languages, a plural and words without their accents.
QUERIES = [
    "water",
    "eau",
    "agua",
    "mobilité",
    "mobilite",
    "vivienda",
    "housing",
    "égalité",
    "egalite",
    "villes vertes",
    "salud",
    "energy",
    "forêt",
    "bicicleta",
    "recycling",
    "jardins",
    "inundación",
    "youth",
    "heritage",
    "sequia",
]
REGIONS = ["latin-america", "europe", "africa", "asia-pacific", "north-america", "mewa"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--initiatives", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=20, help="of load per scenario")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=2, help="threads per worker (gthread)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--reuse", action="store_true", help="keep the previous run's data")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    args = parser.parse_args()

    url = bench_database(DEFAULT_SQLITE, args.reuse)
    django_setup()

    from django.core.management import call_command
    from django.db import connection

    from local4action.initiatives.models import Initiative

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrated = time.perf_counter()
    if not (args.reuse and Initiative.objects.exists()):
        populate(args.initiatives)
    populated = time.perf_counter()
    counts = check_data()
    print(f"database             {database_version(connection)} ({url})")
    for name, value in counts.items():
        print(f"{name:<20} {value:,}")
    print(
        f"set-up               migrate {migrated - started:.1f} s, "
        f"data {populated - migrated:.1f} s"
    )
    connection.close()

    scenarios = build_scenarios()
    results = {}
    with production_server(args) as port:
        results["cold"] = cold_map(port)
        for name, paths in scenarios.items():
            sizes = [len(get(port, path)) for path in paths[:5]]  # also warms every worker
            for path in paths:
                get(port, path)
            outcome = loadgen.run(HOST, port, paths, clients=args.clients, seconds=args.seconds)
            outcome["size"] = statistics.median(sizes)
            results[name] = outcome
            print_scenario(name, outcome)
    print_cold(results["cold"])
    verdicts = []
    for name, outcome in results.items():
        target = TARGETS.get(name.split()[0])
        if target and name != "cold":
            verdict = "PASS" if outcome["p95"] <= target and not outcome["errors"] else "FAIL"
            verdicts.append(verdict)
            print(f"{verdict}  {name}: p95 {outcome['p95']:.1f} ms (target {target:.0f} ms)")
    explain_catalogue()
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"counts": counts, "results": results}, indent=2))
    sys.exit(0 if all(v == "PASS" for v in verdicts) else 1)


# Data ----------------------------------------------------------------------------------------


def populate(n: int) -> None:
    """Organizations, public initiatives, their links, places and search column; in bulk."""
    from django.db import connection, transaction
    from django.utils import timezone

    from local4action.accounts.choices import OrganizationKind, OrganizationStatus
    from local4action.accounts.models import Organization
    from local4action.core import search
    from local4action.core.models import Goal, PolicyArea, RegionalSection, Target
    from local4action.initiatives.models import Initiative, InitiativeTranslation, Location

    rng = random.Random(SEED)
    sections = {s.slug: s for s in RegionalSection.objects.all()}
    goals = {g.number: g.pk for g in Goal.objects.all()}
    targets: dict[int, list[int]] = {}
    for pk, number in Target.objects.values_list("pk", "goal__number"):
        targets.setdefault(number, []).append(pk)
    areas = list(PolicyArea.objects.values_list("pk", flat=True))
    kinds = [OrganizationKind.LOCAL_GOVERNMENT] * 6 + [
        OrganizationKind.REGIONAL_GOVERNMENT,
        OrganizationKind.LRG_ASSOCIATION,
    ]
    # A few concepts are common, most are rarer (Zipf-like), so a word finds a few hundred to
    # a few thousand initiatives.
    weights = [1 / (rank + 1) ** 0.7 for rank in range(len(TOPICS))]
    stems: dict[tuple[str, str], str] = {}

    def document(title: str, summary: str, language: str) -> str:
        # core.search.document with its stems remembered (same words, same stemmer).
        out = []
        for word in search.words(title) + search.words(summary):
            key = (word, language)
            if key not in stems:
                stems[key] = search.stem(word, language)
            out.append(stems[key])
        return f" {' '.join(out)} " if out else ""

    def texts(language: str, city: str, concepts: list[int], adjective: int, years: int, size):
        index = LANGUAGE_INDEX[language]
        a, b, c = (TOPICS[k][index] for k in concepts)
        title = rng.choice(TITLES[language]).format(
            adj=ADJECTIVES[adjective][index], a=a, b=b, city=city
        )
        title = title[0].upper() + title[1:]
        summary = SUMMARIES[language].format(city=city, a=a, b=b, c=c, years=years, n=size)
        return title, summary

    now = timezone.now()
    n_organizations = max(1, n // 5)
    with transaction.atomic():
        homes = []
        organizations = []
        for i in range(n_organizations):
            city = CITIES[i % len(CITIES)]
            # Most organizations sit in their continent's section; some in the thematic ones.
            section = rng.choices(
                [city[2], "metropolitan", "forum-of-regions"], weights=[85, 10, 5]
            )[0]
            homes.append(city)
            organizations.append(
                Organization(
                    name=f"{city[0]} {i}",
                    slug=f"bench-organization-{i}",
                    kind=kinds[i % len(kinds)],
                    country=city[1],
                    regional_section=sections[section],
                    latitude=city[3],
                    longitude=city[4],
                    status=OrganizationStatus.APPROVED,
                )
            )
        organizations = Organization.objects.bulk_create(organizations, batch_size=BATCH)

        goal_numbers = list(goals)
        goal_weights = [5 if number == 11 else 1 for number in goal_numbers]
        for start in range(0, n, BATCH):
            rows, extras = [], []
            for i in range(start, min(n, start + BATCH)):
                owner = rng.randrange(n_organizations)
                city = homes[owner]
                language = rng.choices(["en", "fr", "es"], weights=[50, 25, 25])[0]
                concepts = rng.choices(range(len(TOPICS)), weights=weights, k=3)
                adjective = rng.randrange(len(ADJECTIVES))
                years, size = rng.randint(2, 5), rng.randrange(50, 5000, 10)
                title, summary = texts(language, city[0], concepts, adjective, years, size)
                translations = []
                if rng.random() < 0.3:
                    other = rng.choice([x for x in ("en", "fr", "es") if x != language])
                    translations.append(
                        (other, *texts(other, city[0], concepts, adjective, years, size))
                    )
                roll = rng.random()
                status = "labelled" if roll < 0.55 else "completed" if roll < 0.6 else "accompanied"
                labelled_at = None
                if status != "accompanied":
                    labelled_at = now - datetime.timedelta(days=rng.randrange(30, 8 * 365))
                search_text = " ".join(
                    part.strip()
                    for part in [document(title, summary, language)]
                    + [document(t, s, lang) for lang, t, s in translations]
                    if part.strip()
                )
                rows.append(
                    Initiative(
                        slug=f"bench-initiative-{i}",
                        title=title,
                        summary=summary,
                        language=language,
                        lead_organization=organizations[owner],
                        status=status,
                        labelled_at=labelled_at,
                        search_text=f" {search_text} " if search_text else "",
                    )
                )
                chosen = set()
                while len(chosen) < rng.choice((1, 1, 2, 2, 3)):
                    chosen.add(rng.choices(goal_numbers, weights=goal_weights)[0])
                places = [
                    (
                        city[0] if k == 0 else f"{city[0]} ({k + 1})",
                        round(city[3] + rng.gauss(0, 0.6), 5),
                        round(city[4] + rng.gauss(0, 0.6), 5),
                    )
                    for k in range(rng.choice((1, 1, 1, 2)))
                ]
                extras.append(
                    (translations, sorted(chosen), rng.sample(areas, rng.choice((1, 2))), places)
                )
            created = Initiative.objects.bulk_create(rows)
            goal_links, target_links, area_links, locations, translated = [], [], [], [], []
            for initiative, (translations, numbers, chosen_areas, places) in zip(
                created, extras, strict=True
            ):
                pk = initiative.pk
                for language, title, summary in translations:
                    translated.append(
                        InitiativeTranslation(
                            initiative_id=pk, language=language, title=title, summary=summary
                        )
                    )
                for number in numbers:
                    goal_links.append(
                        Initiative.goals.through(initiative_id=pk, goal_id=goals[number])
                    )
                    if targets.get(number):
                        target_links.append(
                            Initiative.targets.through(
                                initiative_id=pk, target_id=rng.choice(targets[number])
                            )
                        )
                for area in chosen_areas:
                    area_links.append(
                        Initiative.policy_areas.through(initiative_id=pk, policyarea_id=area)
                    )
                for name, lat, lon in places:
                    locations.append(
                        Location(
                            initiative_id=pk,
                            name=name,
                            latitude=max(-90, min(90, lat)),
                            longitude=max(-180, min(180, lon)),
                        )
                    )
            InitiativeTranslation.objects.bulk_create(translated)
            Initiative.goals.through.objects.bulk_create(goal_links)
            Initiative.targets.through.objects.bulk_create(target_links)
            Initiative.policy_areas.through.objects.bulk_create(area_links)
            Location.objects.bulk_create(locations)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def check_data() -> dict:
    """Counts, and the search column of 200 random initiatives against the signals' own
    `document_of` (bulk inserts send no signal, so the script computed it itself)."""
    from local4action.accounts.models import Organization
    from local4action.initiatives import search as initiative_search
    from local4action.initiatives.models import Initiative, InitiativeTranslation, Location

    ids = list(Initiative.objects.values_list("pk", flat=True))
    sample = random.Random(SEED).sample(ids, min(200, len(ids)))
    for initiative in Initiative.objects.filter(pk__in=sample).prefetch_related("translations"):
        expected = initiative_search.document_of(initiative)
        assert initiative.search_text == expected, (initiative.pk, initiative.search_text, expected)
    return {
        "organizations": Organization.objects.count(),
        "initiatives": len(ids),
        "translations": InitiativeTranslation.objects.count(),
        "SDG links": Initiative.goals.through.objects.count(),
        "places": Location.objects.count(),
    }


# Scenarios (the server: bench/server.py) -----------------------------------------------------


def build_scenarios() -> dict[str, list[str]]:
    searched = []
    for index, word in enumerate(QUERIES):
        region = REGIONS[index % len(REGIONS)]
        searched.append(urlencode([("q", word), ("sdg", "11"), ("region", region)]))
    return {
        "catalogue search (page)": [f"/initiatives/?{q}" for q in searched],
        "catalogue search (API)": [f"/api/v1/initiatives?{q}" for q in searched],
        "map whole world": ["/map/points.json"],
        "map whole world, SDG 11": ["/map/points.json?sdg=11"],
        "floor: robots.txt": ["/robots.txt"],
    }


def cold_map(port: int) -> dict:
    """The map data as computed when the cache is empty: one request alone, then 16 at once
    (what a burst after a change meets), 3 rounds each with the cache flushed before."""
    alone, burst = [], []
    for _ in range(3):
        server.SERVER.flush_cache()
        begin = time.perf_counter()
        get(port, "/map/points.json")
        alone.append((time.perf_counter() - begin) * 1000)
    for _ in range(3):
        server.SERVER.flush_cache()
        times = []

        def one(times=times):
            begin = time.perf_counter()
            get(port, "/map/points.json")
            times.append((time.perf_counter() - begin) * 1000)

        threads = [threading.Thread(target=one) for _ in range(16)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        burst.append(max(times))
    # Catalogue pages nobody asked for yet (each search once, the cache flushed before):
    # what a visitor with a new search meets.
    server.SERVER.flush_cache()
    pages = []
    for path in build_scenarios()["catalogue search (page)"]:
        begin = time.perf_counter()
        get(port, path)
        pages.append((time.perf_counter() - begin) * 1000)
    return {
        "alone": alone,
        "burst": burst,
        "catalogue": pages,
        "cached": server.SERVER.redis_port is not None,
    }


def print_scenario(name: str, r: dict) -> None:
    print(
        f"{name:<28} {r['rps']:7.1f} req/s  p50 {r['p50']:7.1f}  p95 {r['p95']:7.1f}  "
        f"p99 {r['p99']:7.1f}  max {r['max']:7.1f} ms  errors {r['errors']}  "
        f"size {r['size'] / 1024:.1f} KiB  ({r['requests']} requests)"
    )


def print_cold(cold: dict) -> None:
    print(
        "map whole world, cache empty: alone "
        + ", ".join(f"{t:.0f}" for t in cold["alone"])
        + " ms; slowest of 16 at once "
        + ", ".join(f"{t:.0f}" for t in cold["burst"])
        + " ms"
    )
    pages = sorted(cold["catalogue"])
    print(
        f"catalogue search, cache empty (each of {len(pages)} searches once): "
        f"median {statistics.median(pages):.0f} ms, slowest {pages[-1]:.0f} ms"
    )


def explain_catalogue() -> None:
    """Each query of one catalogue page, timed by the database itself (PostgreSQL)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    if connection.vendor != "postgresql":
        return
    setup_test_environment()
    path = "/initiatives/?" + urlencode([("q", "eau"), ("sdg", "11"), ("region", "europe")])
    with CaptureQueriesContext(connection) as queries:
        response = Client().get(path, HTTP_HOST=HOST)
    assert response.status_code == 200, response.status_code
    print(f"catalogue page {path}: {len(queries)} queries; database time of each:")
    with connection.cursor() as cursor:
        for query in queries.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
            plan = cursor.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            took = plan[0]["Execution Time"]
            print(f"  {took:7.2f} ms  {' '.join(sql.split())[:150]}")


if __name__ == "__main__":
    main()
