"""Benchmark: a survey's results page and its CSV and XLSX exports, on a large survey.

    .venv/bin/python bench/surveys.py [--responses 50000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_surveys .venv/bin/python bench/surveys.py

A 30-question survey (every kind of question) with N submitted responses (and 5 % more still in
progress, which results never count). Uses DATABASE_URL when set (its database is dropped and
created again, so its name must contain "bench"), else a throwaway SQLite file under /tmp. Not
a test: pytest never collects it.
"""

import argparse
import datetime
import io
import json
import random
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import database_version, django_setup, fresh_database  # noqa: E402 — shared by the benches

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE = Path("/tmp/local4action-bench-surveys.sqlite3")
RENDERS = 5
SEED = 2030
# Kind and how many questions of it: 30 in all.
PLAN = [
    ("single", 6),
    ("multiple", 3),
    ("ranking", 2),
    ("scale", 6),
    ("number", 3),
    ("country", 3),
    ("sdg", 2),
    ("matrix", 2),
    ("short_text", 2),
    ("long_text", 1),
]
COUNTRIES = ["FR", "ES", "CA", "BR", "MA", "SN", "IT", "PT", "CN", "MX", "KE", "IN", "AR", "TN"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--responses", type=int, default=50_000)
    args = parser.parse_args()

    url = fresh_database(DEFAULT_SQLITE)
    django_setup()

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.urls import reverse

    setup_test_environment()
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrated = time.perf_counter()
    staff, survey, counts = populate(args.responses)
    populated = time.perf_counter()

    client = Client()
    client.force_login(staff)

    def fetch(url):
        with CaptureQueriesContext(connection) as queries:
            begin = time.perf_counter()
            response = client.get(url)
            elapsed = (time.perf_counter() - begin) * 1000
        assert response.status_code == 200, (url, response.status_code)
        return elapsed, len(queries), len(response.content)

    from django.core.cache import cache

    def cold(url):
        cache.clear()  # the counts are cached until a response changes: count them again
        return fetch(url)

    results_url = reverse("surveys:results", args=[survey.slug])
    filtered_url = f"{results_url}?section=europe&kind=local_government&language=fr"
    renders = {
        "results page, counted": [cold(results_url) for _ in range(RENDERS)],
        "results page, cached counts": [fetch(results_url) for _ in range(RENDERS)],
        "results, filtered, counted": [cold(filtered_url) for _ in range(RENDERS)],
        "free texts, searched": [
            fetch(
                reverse("surveys:text_answers", args=[survey.slug, "q29-short_text"]) + "?q=water"
            )
            for _ in range(RENDERS)
        ],
    }

    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        client.get(results_url)
    slowest = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:6]

    def stream(name, measure_memory):
        """GET an export and read it to the end as a server would send it."""
        if measure_memory:
            tracemalloc.start()
        with CaptureQueriesContext(connection) as queries:
            begin = time.perf_counter()
            response = client.get(reverse(f"surveys:{name}", args=[survey.slug]))
            assert response.status_code == 200
            size = lines = 0
            for part in response.streaming_content:
                size += len(part)
                lines += part.count(b"\n")
            response.close()
            elapsed = time.perf_counter() - begin
        peak = None
        if measure_memory:
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        return elapsed, len(queries), size, lines, peak

    csv_time = stream("export_csv", measure_memory=False)
    csv_memory = stream("export_csv", measure_memory=True)
    # openpyxl under tracemalloc is some 10 times slower: the XLSX file is only timed.
    xlsx_time = stream("export_xlsx", measure_memory=False)

    print(f"database             {database_version(connection)} ({url})")
    for name, value in counts.items():
        print(f"{name:<20} {value:,}")
    setup = f"migrate {migrated - started:.1f} s, data {populated - migrated:.1f} s"
    print(f"set-up               {setup}")
    for name, series in renders.items():
        times = [t for t, _, _ in series]
        print(f"{name + ' queries':<30} {[q for _, q, _ in series]} (per render)")
        print(
            f"{name + ' render':<30} min {min(times):.0f} ms, median "
            f"{statistics.median(times):.0f} ms ({', '.join(f'{t:.0f}' for t in times)} ms; "
            f"{series[0][2] / 1024:.0f} KiB)"
        )
    print("slowest queries of a render (s):")
    for query in slowest:
        print(f"  {query['time']}  {query['sql'][:150]}")
    print(
        f"{'CSV export':<30} {csv_time[0]:.1f} s, {csv_time[1]} queries, "
        f"{csv_time[2] / 1024 / 1024:.1f} MiB, {csv_time[3]:,} lines; "
        f"tracemalloc peak {csv_memory[4] / 1024 / 1024:.1f} MiB "
        f"(with tracemalloc on: {csv_memory[0]:.1f} s)"
    )
    print(
        f"{'XLSX export':<30} {xlsx_time[0]:.1f} s, {xlsx_time[1]} queries, "
        f"{xlsx_time[2] / 1024 / 1024:.1f} MiB"
    )


def variants(question, rng: random.Random) -> list:
    """Possible answers to a question, cleaned as the services clean them, with the weight of
    each: the load picks among them (cleaning 1.5 million answers one by one takes minutes)."""
    from local4action.surveys.answers import clean_answer

    kind = question.kind
    values = [o["value"] for o in question.options]
    if kind == "single":
        raw = values
    elif kind == "multiple":
        raw = [rng.sample(values, rng.randint(1, 3)) for _ in range(20)]
    elif kind == "ranking":
        raw = [rng.sample(values, rng.randint(2, len(values))) for _ in range(20)]
    elif kind == "scale":
        raw = list(range(question.scale_min, question.scale_max + 1))
    elif kind == "number":
        raw = [str(round(rng.lognormvariate(3, 1), 1)) for _ in range(300)]
    elif kind == "country":
        raw = COUNTRIES
    elif kind == "sdg":
        raw = list(range(1, 18))
    elif kind == "matrix":
        raw = [{str(r["value"]): rng.randint(1, 5) for r in question.rows} for _ in range(30)]
    else:
        topics = ["water", "energy", "housing", "mobility", "participación", "éducation"]
        raw = [
            f"Notre priorité : {rng.choice(topics)}; then {rng.choice(topics)} ({k})"
            * (3 if kind == "long_text" else 1)
            for k in range(200)
        ]
    cleaned = [clean_answer(question, value) for value in raw]
    weights = [rng.uniform(0.2, 3) for _ in cleaned]
    return cleaned, weights


def populate(n_responses: int):
    """A secretariat user, members of 5,000 approved organizations (the audience), one
    survey of 30 questions, N submitted responses and their answers; in bulk."""
    from django.db import connection
    from django.utils import timezone

    from local4action.accounts.choices import OrganizationKind, OrganizationStatus, PlatformRole
    from local4action.accounts.models import Membership, Organization, User
    from local4action.accounts.services import user_set_platform_roles
    from local4action.core.models import RegionalSection
    from local4action.surveys.models import Page, Question, Survey

    rng = random.Random(SEED)
    now = timezone.now()
    staff = User.objects.create_user("secretariat@bench.example", name="Bench Secretariat")
    user_set_platform_roles(actor=None, user=staff, roles={PlatformRole.SECRETARIAT})
    sections = list(RegionalSection.objects.all())
    kinds = [OrganizationKind.LOCAL_GOVERNMENT] * 6 + [
        OrganizationKind.REGIONAL_GOVERNMENT,
        OrganizationKind.LRG_ASSOCIATION,
        OrganizationKind.PARTNER,
    ]
    organizations = Organization.objects.bulk_create(
        Organization(
            name=f"Municipalité {i}",
            slug=f"bench-municipality-{i}",
            kind=kinds[i % len(kinds)],
            country=COUNTRIES[i % len(COUNTRIES)],
            regional_section=sections[i % len(sections)],
            status=OrganizationStatus.APPROVED,
        )
        for i in range(5000)
    )
    people = User.objects.bulk_create(
        User(email=f"member{i}@bench.example", name=f"Member {i}") for i in range(60_000)
    )
    Membership.objects.bulk_create(
        (
            Membership(user=person, organization=organizations[i % 5000], status="active")
            for i, person in enumerate(people)
        ),
        batch_size=5000,
    )

    survey = Survey.objects.create(
        slug="bench-localizing-the-sdgs",
        title={"en": "Localizing the SDGs in 2025", "fr": "Localiser les ODD en 2025"},
        languages=["en", "fr", "es"],
        opens_at=now - datetime.timedelta(days=60),
        closes_at=now + datetime.timedelta(days=30),
        published=True,
    )
    pages = [Page.objects.create(survey=survey, position=p) for p in range(5)]

    def options(n):
        return [{"value": f"o{k}", "label": {"en": f"Option {k}"}} for k in range(1, n + 1)]

    questions, number = [], 0
    for kind, how_many in PLAN:
        for _ in range(how_many):
            number += 1
            extra = {}
            if kind in ("single", "multiple"):
                extra = {"options": options(6)}
            elif kind == "ranking":
                extra = {"options": options(5)}
            elif kind == "scale":
                extra = {"scale_min": 1, "scale_max": 5}
            elif kind == "matrix":
                extra = {"rows": options(4), "scale_min": 1, "scale_max": 5}
            questions.append(
                Question.objects.create(
                    survey=survey,
                    page=pages[number % 5],
                    position=number,
                    key=f"q{number}-{kind}",
                    kind=kind,
                    text={"en": f"Question {number} ({kind})"},
                    **extra,
                )
            )
    choices = {q.pk: variants(q, rng) for q in questions}
    loaded = load_responses(survey, questions, choices, sections, n_responses, rng, now)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return staff, survey, {"audience (people)": len(people), **loaded}


def load_responses(survey, questions, choices, sections, n, rng, now) -> dict:
    """Responses, answers and items with explicit ids. PostgreSQL: COPY; SQLite: executemany
    in one transaction."""
    from django.db import connection, transaction

    kinds = ["local_government"] * 6 + ["regional_government", "lrg_association", "partner"]
    languages = ["en"] * 5 + ["fr"] * 3 + ["es"] * 2
    responses, answers, items = [], [], []
    answer_id = item_id = 0
    in_progress = n // 20
    stamp = now.isoformat()
    for response_id in range(1, n + in_progress + 1):
        submitted = response_id <= n
        when = (now - datetime.timedelta(minutes=rng.randint(1, 80_000))).isoformat()
        responses.append(
            (
                response_id,
                survey.pk,
                f"user:{response_id}",
                f"{rng.getrandbits(128):032x}",
                "submitted" if submitted else "in_progress",
                5 if submitted else 2,
                rng.choice(languages),
                rng.choice(sections).pk,
                rng.choice(kinds),
                when if submitted else None,
                stamp,
                stamp,
            )
        )
        for question in questions:
            if rng.random() < 0.08:  # not every question is answered
                continue
            cleaned, weights = choices[question.pk]
            answer = rng.choices(cleaned, weights)[0]
            answer_id += 1
            answers.append(
                (
                    answer_id,
                    response_id,
                    question.pk,
                    json.dumps(answer.value, ensure_ascii=False),
                    answer.text,
                    None if answer.number is None else str(answer.number),
                )
            )
            for item, score in answer.items:
                item_id += 1
                items.append((item_id, answer_id, question.pk, item, score))
    tables = [
        (
            "surveys_response",
            "id, survey_id, uniqueness_key, token, status, current_page, language, section_id, "
            "organization_kind, submitted_at, created_at, updated_at",
            responses,
        ),
        ("surveys_answer", "id, response_id, question_id, value, text, number", answers),
        ("surveys_answeritem", "id, answer_id, question_id, item, score", items),
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        for table, columns, rows in tables:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    buffer = io.StringIO()
                    for row in rows:
                        buffer.write("\t".join(_copy_field(v) for v in row) + "\n")
                        if buffer.tell() > 1 << 20:
                            copy.write(buffer.getvalue())
                            buffer = io.StringIO()
                    copy.write(buffer.getvalue())
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )
            else:
                marks = ", ".join(["%s"] * len(rows[0]))
                sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"
                if table == "surveys_response":  # SQLite keeps datetimes as naive UTC text
                    rows = [(*row[:9], *(_naive(v) for v in row[9:])) for row in rows]
                for start in range(0, len(rows), 50_000):
                    cursor.executemany(sql, rows[start : start + 50_000])
    return {
        "submitted responses": n,
        "responses in progress": in_progress,
        "answers": len(answers),
        "answer items": len(items),
    }


def _copy_field(value) -> str:
    if value is None:
        return "\\N"
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def _naive(value):
    if value is None:
        return None
    return datetime.datetime.fromisoformat(value).replace(tzinfo=None).isoformat(sep=" ")


if __name__ == "__main__":
    main()
