"""Benchmark: searching the knowledge library with 20,000 published resources, in process.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_library .venv/bin/python bench/library.py
    .venv/bin/python bench/library.py --resources 2000 --rounds 2          # quick, SQLite
    ... bench/library.py --reuse                      # the data of the previous run kept

Builds a fresh database (its name must contain "bench": it is dropped and created again) with
N published resources in bulk: titles and summaries in English, French and Spanish from the
word lists of bench/portal.py, some translated, and for two in five a long document text
(400 to 2,000 words, as an extracted PDF would give) in one of the three languages; kinds,
years, SDGs and regions spread over their values; the `search_text` and `search_head`
columns and the facet bits computed as `library.search.document_of`, `head_of` and
`facet_columns` would (checked on a sample). Then, for ~20 searches (common and rare words,
accents or none, plurals, three languages, with and without facets), times what the
catalogue page asks of the selectors: `library(query)`, its first page of 20 with their
languages and SDGs, and `library_facets(query)` with the cache emptied first but for the
library's data version (so the facets are computed, not read back), which also give the
number of results (`library_count`).
Prints p50/p95, PASS/FAIL against the issue's 100 ms p95, and the plans of the slowest
search's queries (PostgreSQL).
Not a test.
"""

import argparse
import datetime
import json
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import bench_database, database_version, django_setup  # noqa: E402
from portal import ADJECTIVES, CITIES, LANGUAGE_INDEX, SUMMARIES, TITLES, TOPICS  # noqa: E402

DEFAULT_SQLITE = Path("/tmp/local4action-bench-library.sqlite3")
SEED = 2030
BATCH = 2000
PAGE = 20
TARGET_P95 = 100.0  # ms
KINDS = ["good_practice", "publication", "toolkit", "training", "policy_paper", "video"]
# Sentences of a document's text, per language: {a} {b} are concepts, {adj} an adjective.
SENTENCES = {
    "en": [
        "The {adj} {a} programme was designed with the local council and residents.",
        "Results show that {a} and {b} improved in every district of {city}.",
        "Municipal teams measured {a} each year and published the figures.",
        "Lessons learned: start small, involve schools, and fund {b} over several years.",
        "The budget for {a} came from the city, the region and national funds.",
    ],
    "fr": [
        "Le programme de {a} {adj} a été conçu avec le conseil municipal et les habitants.",
        "Les résultats montrent que {a} et {b} ont progressé dans chaque quartier de {city}.",
        "Les équipes municipales ont mesuré {a} chaque année et publié les chiffres.",
        "Leçons : commencer petit, associer les écoles, financer {b} sur plusieurs années.",
        "Le budget de {a} provient de la ville, de la région et de fonds nationaux.",
    ],
    "es": [
        "El programa de {a} {adj} se diseñó con el concejo municipal y los vecinos.",
        "Los resultados muestran que {a} y {b} mejoraron en cada distrito de {city}.",
        "Los equipos municipales midieron {a} cada año y publicaron las cifras.",
        "Lecciones: empezar pequeño, implicar a las escuelas, financiar {b} varios años.",
        "El presupuesto de {a} provino de la ciudad, la región y fondos nacionales.",
    ],
}
REGIONS = ["africa", "asia-pacific", "eurasia", "europe", "latin-america", "mewa", "north-america"]
# (words, facets): common and rare words, accents or none, plurals, EN/FR/ES, with facets.
QUERIES = [
    ("water", {}),
    ("eau", {}),
    ("agua", {}),
    ("mobilité", {}),
    ("mobilite", {"kind": ["toolkit"]}),
    ("viviendas", {}),
    ("housing", {"sdg": [11]}),
    ("égalité", {"language": ["fr"]}),
    ("egalite femmes", {}),
    ("villes vertes", {}),
    ("ciudad", {"region": ["latin-america"]}),
    ("salud", {"year": [2021, 2022]}),
    ("energy", {"sdg": [7], "region": ["europe"]}),
    ("forêts", {}),
    ("bicicletas", {"language": ["es"]}),
    ("recycling", {"kind": ["good_practice", "publication"]}),
    ("jardins", {}),
    ("inundacion", {"sdg": [11, 13]}),
    ("budget municipal", {}),
    ("sequia", {"language": ["en"]}),
    ("heritage", {"kind": ["video"], "year": [2024]}),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--resources", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=5, help="times each search is run")
    parser.add_argument("--reuse", action="store_true", help="keep the previous run's data")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    args = parser.parse_args()

    url = bench_database(DEFAULT_SQLITE, args.reuse)
    django_setup()

    from django.core.management import call_command
    from django.db import connection

    started = time.perf_counter()
    from local4action.library.models import Resource

    call_command("migrate", verbosity=0)
    migrated = time.perf_counter()
    if not (args.reuse and Resource.objects.exists()):
        populate(args.resources)
    populated = time.perf_counter()
    counts = check_data()
    print(f"database             {database_version(connection)} ({url})")
    for name, value in counts.items():
        print(f"{name:<20} {value:,}")
    print(
        f"set-up               migrate {migrated - started:.1f} s, "
        f"data {populated - migrated:.1f} s"
    )

    results = run(args.rounds)
    verdict = "PASS" if results["total"]["p95"] <= TARGET_P95 else "FAIL"
    print(
        f"{verdict}  facets and count + search + first page (cache empty): "
        f"p95 {results['total']['p95']:.1f} ms (target {TARGET_P95:.0f} ms)"
    )
    explain(results["slowest"])
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"counts": counts, "results": results}, indent=2))
    sys.exit(0 if verdict == "PASS" else 1)


# Data ----------------------------------------------------------------------------------------


def populate(n: int) -> None:
    """Organizations, published resources, their translations, files, SDGs and regions, and
    the search column; in bulk (no signals)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from local4action.accounts.choices import OrganizationKind, OrganizationStatus
    from local4action.accounts.models import Organization
    from local4action.core import search
    from local4action.core.models import Goal, RegionalSection
    from local4action.library.models import Resource, ResourceFile, ResourceTranslation
    from local4action.library.search import goal_bit, language_bit

    rng = random.Random(SEED)
    goals = {g.number: g.pk for g in Goal.objects.all()}
    sections = {s.slug: s.pk for s in RegionalSection.objects.all()}
    weights = [1 / (rank + 1) ** 0.7 for rank in range(len(TOPICS))]
    stems: dict[tuple[str, str], str] = {}

    def document(*texts: str, language: str) -> str:
        # core.search.document with its stems remembered (same words, same stemmer).
        out = []
        for text in texts:
            for word in search.words(text):
                key = (word, language)
                if key not in stems:
                    stems[key] = search.stem(word, language)
                out.append(stems[key])
        return " ".join(out)

    def texts(language, city, concepts, adjective, years, size):
        index = LANGUAGE_INDEX[language]
        a, b, c = (TOPICS[k][index] for k in concepts)
        title = rng.choice(TITLES[language]).format(
            adj=ADJECTIVES[adjective][index], a=a, b=b, city=city
        )
        summary = SUMMARIES[language].format(city=city, a=a, b=b, c=c, years=years, n=size)
        return title[0].upper() + title[1:], summary

    def long_text(language, city):
        index = LANGUAGE_INDEX[language]
        sentences = []
        for _ in range(rng.randint(40, 200)):  # ~10 words each
            a, b = (TOPICS[k][index] for k in rng.choices(range(len(TOPICS)), weights, k=2))
            adjective = ADJECTIVES[rng.randrange(len(ADJECTIVES))][index]
            sentence = rng.choice(SENTENCES[language])
            sentences.append(sentence.format(a=a, b=b, adj=adjective, city=city))
        return " ".join(sentences)

    now = timezone.now()
    with transaction.atomic():
        organizations = Organization.objects.bulk_create(
            Organization(
                name=f"{CITIES[i % len(CITIES)][0]} {i}",
                slug=f"bench-organization-{i}",
                kind=OrganizationKind.LOCAL_GOVERNMENT,
                country=CITIES[i % len(CITIES)][1],
                status=OrganizationStatus.APPROVED,
            )
            for i in range(max(1, n // 100))
        )
        for start in range(0, n, BATCH):
            rows, extras = [], []
            for i in range(start, min(n, start + BATCH)):
                owner = rng.randrange(len(organizations))
                city = CITIES[owner % len(CITIES)]
                language = rng.choices(["en", "fr", "es"], weights=[50, 25, 25])[0]
                concepts = rng.choices(range(len(TOPICS)), weights=weights, k=3)
                adjective = rng.randrange(len(ADJECTIVES))
                years, size = rng.randint(2, 5), rng.randrange(50, 5000, 10)
                title, summary = texts(language, city[0], concepts, adjective, years, size)
                authors = f"Author {i % 997}; {city[0]} team"
                translations = []
                if rng.random() < 0.3:
                    other = rng.choice([x for x in ("en", "fr", "es") if x != language])
                    translations.append(
                        (other, *texts(other, city[0], concepts, adjective, years, size))
                    )
                files = []
                if rng.random() < 0.4:
                    file_language = rng.choices([language, "en", "fr", "es"], [70, 10, 10, 10])[0]
                    files.append((file_language, long_text(file_language, city[0])))
                parts = [document(title, summary, authors, language=language)]
                parts += [document(t, s, language=lang) for lang, t, s in translations]
                head = " ".join(part for part in parts if part)
                parts += [document(text, language=lang) for lang, text in files]
                words = " ".join(part for part in parts if part)
                chosen = set()
                while len(chosen) < rng.choice((1, 1, 2, 2, 3)):
                    chosen.add(rng.choices(list(goals), [5 if g == 11 else 1 for g in goals])[0])
                regions = rng.sample(REGIONS, rng.choice((1, 1, 2)))
                year = rng.randint(2010, 2025)
                kind = rng.choice(KINDS)
                available = {language} | {lang for lang, _t, _s in translations}
                available |= {lang for lang, _text in files}
                rows.append(
                    Resource(
                        slug=f"bench-resource-{i}",
                        kind=kind,
                        status="published",
                        language=language,
                        title=title,
                        summary=summary,
                        authors=authors,
                        owner_organization=organizations[owner],
                        year=year,
                        published_at=now - datetime.timedelta(days=rng.randrange(1, 3000)),
                        search_text=f" {words} " if words else "",
                        search_head=f" {head} " if head else "",
                        goal_bits=sum(goal_bit(number) for number in chosen),
                        region_keys=f" {' '.join(map(str, sorted(sections[s] for s in regions)))} ",
                        language_bits=sum(language_bit(code) for code in available),
                    )
                )
                extras.append((translations, files, sorted(chosen), regions))
            created = Resource.objects.bulk_create(rows)
            translated, filed, goal_links, region_links = [], [], [], []
            for resource, (translations, files, numbers, regions) in zip(
                created, extras, strict=True
            ):
                pk = resource.pk
                translated += [
                    ResourceTranslation(resource_id=pk, language=lang, title=t, summary=s)
                    for lang, t, s in translations
                ]
                filed += [
                    ResourceFile(
                        resource_id=pk,
                        language=lang,
                        file=f"library/files/bench-{pk}-{k}.pdf",
                        name=f"report-{pk}-{k}.pdf",
                        content_type="application/pdf",
                        size=len(text) * 3,
                        sha256=f"{pk:032x}{k:032x}",
                        text=text,
                        extraction="done",
                    )
                    for k, (lang, text) in enumerate(files)
                ]
                goal_links += [
                    Resource.goals.through(resource_id=pk, goal_id=goals[number])
                    for number in numbers
                ]
                region_links += [
                    Resource.regions.through(resource_id=pk, regionalsection_id=sections[slug])
                    for slug in regions
                ]
            ResourceTranslation.objects.bulk_create(translated)
            ResourceFile.objects.bulk_create(filed)
            Resource.goals.through.objects.bulk_create(goal_links)
            Resource.regions.through.objects.bulk_create(region_links)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def check_data() -> dict:
    """Counts, and the search column of 200 random resources against the library's own
    `document_of` (bulk inserts send no signal, so the script computed it itself)."""
    from django.db.models import Avg
    from django.db.models.functions import Length

    from local4action.library.models import Resource, ResourceFile, ResourceTranslation
    from local4action.library.search import document_of, facet_columns, head_of

    ids = list(Resource.objects.values_list("pk", flat=True))
    sample = random.Random(SEED).sample(ids, min(200, len(ids)))
    for resource in Resource.objects.filter(pk__in=sample).prefetch_related(
        "translations", "files", "goals"
    ):
        expected = document_of(resource)
        assert resource.search_text == expected, (resource.pk, resource.search_text[:200])
        assert resource.search_head == head_of(resource), (resource.pk, resource.search_head)
        bits = {name: getattr(resource, name) for name in facet_columns(resource)}
        assert bits == facet_columns(resource), (resource.pk, bits)
    average = Resource.objects.aggregate(n=Avg(Length("search_text")))["n"] or 0
    return {
        "resources": len(ids),
        "translations": ResourceTranslation.objects.count(),
        "files with text": ResourceFile.objects.count(),
        "search_text (avg)": int(average),
    }


# Timing --------------------------------------------------------------------------------------


def percentiles(times: list[float]) -> dict:
    times = sorted(times)
    return {
        "p50": statistics.median(times),
        "p95": times[max(0, int(round(len(times) * 0.95)) - 1)],
        "max": times[-1],
    }


def one_search(q: str, facets: dict) -> dict:
    """What the catalogue page asks of the selectors, timed in parts; the cache emptied first
    (the data version read back, as on a running server)."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from local4action.library import selectors

    cache.clear()
    # The library's data version is one value for every page, kept in the cache from one
    # change to the next: a running server reads it; the facets of this search it computes.
    selectors.data_version()
    query = selectors.Library(q=q, **facets)
    with CaptureQueriesContext(connection) as queries:
        begin = time.perf_counter()
        facets = selectors.library_facets(query)
        counted = time.perf_counter()
        total = selectors.library_count(facets)
        resources = selectors.library(query)
        page = list(resources[:PAGE])
        for resource in page:
            selectors.resource_languages(resource)
            [goal.number for goal in resource.goals.all()]
        done = time.perf_counter()
    return {
        "search": (done - counted) * 1000,
        "facets": (counted - begin) * 1000,
        "total": (done - begin) * 1000,
        "found": total,
        "queries": len(queries),
        "sql": [query["sql"] for query in queries.captured_queries],
    }


def run(rounds: int) -> dict:
    from django.db import connection

    from local4action.library import selectors

    connection.ensure_connection()
    selectors.Library.from_params({})  # warm the connection and the stemmers
    for q, facets in QUERIES:  # once untimed: the database's caches warm
        one_search(q, facets)
    samples = {"search": [], "facets": [], "total": []}
    per_query = []
    for q, facets in QUERIES:
        runs = [one_search(q, facets) for _ in range(rounds)]
        for part in samples:
            samples[part] += [r[part] for r in runs]
        per_query.append(
            {
                "q": q,
                "facets": facets,
                "found": runs[0]["found"],
                "queries": runs[0]["queries"],
                "median": statistics.median(r["total"] for r in runs),
                "search": statistics.median(r["search"] for r in runs),
                "sql": runs[0]["sql"],
            }
        )
    print(f"{'search':<34} {'found':>6} {'queries':>7} {'page':>10} {'all':>8} ms")
    for row in per_query:
        label = row["q"] + (" " + json.dumps(row["facets"]) if row["facets"] else "")
        print(
            f"{label[:34]:<34} {row['found']:>6,} {row['queries']:>7} "
            f"{row['search']:>10.1f} {row['median']:>8.1f}"
        )
    results = {part: percentiles(times) for part, times in samples.items()}
    for part, label in (
        ("search", "search + first page"),
        ("facets", "facets (computed)"),
        ("total", "all of it"),
    ):
        r = results[part]
        print(
            f"{label:<30} p50 {r['p50']:6.1f}  p95 {r['p95']:6.1f}  max {r['max']:6.1f} ms "
            f"({len(samples[part])} runs)"
        )
    slowest = max(per_query, key=lambda row: row["median"])
    results["per_query"] = [{k: v for k, v in row.items() if k != "sql"} for row in per_query]
    results["slowest"] = slowest
    return results


def explain(slowest: dict) -> None:
    """The plans of the slowest search's queries, timed by the database (PostgreSQL)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    print(f"\nslowest search: {slowest['q']!r} {slowest['facets']}: plans of its queries")
    timed = []
    with connection.cursor() as cursor:
        for sql in slowest["sql"]:
            if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
                continue
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            took = float(plan.rsplit("Execution Time:", 1)[1].split()[0])
            timed.append((took, sql, plan))
    for took, sql, plan in sorted(timed, key=lambda row: row[0], reverse=True)[:3]:
        print(f"\n--- {took:.2f} ms  {' '.join(sql.split())[:200]}")
        print(plan)
    print("\nall its queries: " + ", ".join(f"{took:.1f}" for took, _sql, _plan in timed) + " ms")


if __name__ == "__main__":
    main()
