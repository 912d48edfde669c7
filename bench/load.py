"""Benchmark: the whole platform under load, on the production setup, at scale (issue 10).

    make bench                                           # the whole suite, as the README says
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_scale .venv/bin/python bench/load.py
    .venv/bin/python bench/load.py --initiatives 2000 --seconds 3           # quick, SQLite

Fills a database whose name contains "bench" with `manage.py seed_scale` (kept between runs:
`--fresh` drops it), adds what the load needs (3,000 members with a session each, an open
event and an open survey for them), starts the production setup (bench/server.py: gunicorn
with workers sized to the cores, its own Redis for the cache, sessions and tasks, static files
collected and compressed) and drives it with `wrk` (else Python threads, bench/loadgen.py)
through fixed scenarios, 16 clients each, in the same run as the framework floor (a tiny
template, no database). For each: requests/s, p50/p95/p99 with every page asked once before
(warm), errors, queries per request (counted in this process with Django's test client, first
and second request), the first request after the cache was emptied (cold), and the budget's
verdict. Then the app workers' memory.
Writes the table as Markdown to bench/results/ with the machine and the commit. Not a test.
"""

import argparse
import datetime
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
import loadgen  # noqa: E402
import server  # noqa: E402
from common import bench_database, database_version, django_setup  # noqa: E402
from server import HOST, ROOT, get, production_server  # noqa: E402

DEFAULT_SQLITE = Path("/tmp/local4action-bench-load.sqlite3")
MEMBERS = 3000  # distinct people: each registers and answers once
PUBLIC_P95 = 100.0  # ms
PRIVATE_P95 = 200.0  # ms
FLOOR_SHARE = 0.40  # of the floor's requests/s, for public pages
WORKER_RSS = 200  # MiB
WORDS = ["water", "eau", "agua", "mobilité", "housing", "égalité", "villes", "salud", "energy"]
REGIONS = ["africa", "asia-pacific", "europe", "latin-america", "north-america"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--initiatives", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=15, help="of load per scenario")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--threads", type=int, default=4, help="threads per worker (gthread)")
    parser.add_argument("--port", type=int, default=8770)
    parser.add_argument("--fresh", action="store_true", help="drop the data and seed again")
    parser.add_argument("--results", type=Path, default=ROOT / "bench" / "results")
    parser.add_argument(
        "--only", default="", help="run only the scenarios whose name contains this (and the floor)"
    )
    args = parser.parse_args()

    url = bench_database(DEFAULT_SQLITE, reuse=not args.fresh)
    django_setup()
    from django.core.management import call_command
    from django.db import connection

    from local4action.initiatives.models import Initiative

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    if not Initiative.objects.exists():
        # COPY for the ten million measurements on PostgreSQL (seed_scale --copy).
        call_command(
            "seed_scale",
            initiatives=args.initiatives,
            copy=connection.vendor == "postgresql",
        )
    seeded = time.perf_counter() - started
    people = prepare()
    scenarios = {
        name: scenario
        for name, scenario in build_scenarios(people).items()
        if name == "floor" or args.only.casefold() in name.casefold()
    }
    queries = count_queries(scenarios)
    print(f"database             {database_version(connection)} ({url})")
    print(f"data                 {data_counts()}  (migrate + seed {seeded:.0f} s)")
    connection.close()

    results = {}
    with production_server(args) as port:
        for name, scenario in scenarios.items():
            server.SERVER.flush_cache()
            requests = scenario["requests"]
            begin = time.perf_counter()
            send_once(port, requests[0])
            cold = (time.perf_counter() - begin) * 1000
            if all(loadgen.as_request(r).method == "GET" for r in requests):
                for request in requests[1:]:  # every page once: the load measures them warm
                    send_once(port, request)
            else:
                requests = requests[1:]  # each post is sent once: the first one is spent
            outcome = loadgen.run(HOST, port, requests, clients=args.clients, seconds=args.seconds)
            outcome["cold"] = cold
            results[name] = outcome
            print(
                f"{name:<26} {outcome['rps']:7.1f} req/s  p50 {outcome['p50']:6.1f}  "
                f"p95 {outcome['p95']:6.1f}  p99 {outcome['p99']:6.1f} ms  "
                f"errors {outcome['errors']}  cold {cold:6.1f} ms"
            )
        memory = worker_memory(server.SERVER)
    table = report(args, scenarios, results, queries, memory, url)
    args.results.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d-%H%M")
    path = args.results / f"load-{stamp}.md"
    path.write_text(table)
    print(f"\nwritten to {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    sys.exit(0 if "FAIL" not in table else 1)


# What the load needs ----------------------------------------------------------------------


def prepare() -> dict:
    """Members of an approved organization, each with a session (created as a log-in would),
    a secretariat member, an open event without questions and an open member survey. Kept
    between runs; each run registers and answers with people who have not yet."""
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from local4action.accounts.choices import (
        MembershipRole,
        MembershipStatus,
        OrganizationStatus,
        PlatformRole,
    )
    from local4action.accounts.models import Membership, Organization
    from local4action.events.models import Event
    from local4action.portal.scale import SURVEY_QUESTIONS
    from local4action.surveys.choices import Audience, OnePer
    from local4action.surveys.models import Page, Question, Survey

    User = get_user_model()
    now = timezone.now()
    run = now.strftime("%Y%m%d%H%M%S")
    organization = (
        Organization.objects.filter(status=OrganizationStatus.APPROVED).order_by("pk").first()
    )
    people = User.objects.bulk_create(
        User(email=f"load-{run}-{n}@example.org", name=f"Load {n}", password=make_password(None))
        for n in range(MEMBERS)
    )
    Membership.objects.bulk_create(
        Membership(
            user=person,
            organization=organization,
            role=MembershipRole.EDITOR,
            status=MembershipStatus.ACTIVE,
        )
        for person in people
    )
    staff = people[0]
    staff.groups.add(Group.objects.get(name=PlatformRole.SECRETARIAT))
    backend = "django.contrib.auth.backends.ModelBackend"
    store = SessionStore()
    expires = now + datetime.timedelta(days=1)
    sessions = []
    for person in people:
        key = store._get_new_session_key()
        data = {
            SESSION_KEY: str(person.pk),
            BACKEND_SESSION_KEY: backend,
            HASH_SESSION_KEY: person.get_session_auth_hash(),
        }
        sessions.append(
            Session(session_key=key, session_data=store.encode(data), expire_date=expires)
        )
    Session.objects.bulk_create(sessions)
    event = Event.objects.create(
        slug=f"load-event-{run}",
        title="Load benchmark working session",
        kind="working_session",
        description="<p>Registrations of the load benchmark.</p>",
        start_at=now + datetime.timedelta(days=30),
        end_at=now + datetime.timedelta(days=30, hours=3),
        time_zone="Europe/Paris",
        city="Paris",
        country="FR",
        languages=["en"],
        visibility="public",
        capacity=None,
        registration_opens_at=now - datetime.timedelta(days=1),
        registration_closes_at=now + datetime.timedelta(days=20),
        approval_required=False,
        questions=[],
        published=True,
    )
    event.organizers.add(organization)
    survey = Survey.objects.create(
        slug=f"load-survey-{run}",
        title={"en": "Load benchmark survey"},
        languages=["en"],
        audience=Audience.MEMBERS,
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=20),
        one_per=OnePer.PERSON,
        published=True,
    )
    page = Page.objects.create(survey=survey, position=0)
    questions = [
        Question.objects.create(survey=survey, page=page, position=position, **spec)
        for position, spec in enumerate(SURVEY_QUESTIONS)
    ]
    return {
        "sessions": [s.session_key for s in sessions],
        "event": event.slug,
        "survey": survey.slug,
        "answers": {
            f"q{q.pk}": value for q, value in zip(questions, ["staff", "4", "11"], strict=True)
        },
    }


def build_scenarios(people: dict) -> dict[str, dict]:
    """Name → {"requests", "public"}: what each scenario sends, in rotation."""
    from local4action.events.models import Event
    from local4action.initiatives.choices import PUBLIC_STATUSES
    from local4action.initiatives.models import Initiative

    public = Initiative.objects.filter(status__in=PUBLIC_STATUSES).order_by("pk")
    hubs = list(public.values_list("slug", flat=True)[:50])
    events = list(
        Event.objects.filter(published=True, visibility="public")
        .order_by("pk")
        .values_list("slug", flat=True)[:50]
    )
    searched = [
        urlencode([("q", word), ("sdg", "11"), ("region", REGIONS[i % len(REGIONS)])])
        for i, word in enumerate(WORDS)
    ]
    csrf = "b" * 32  # the cookie's secret, sent back as the token (Django accepts it unmasked)

    def logged_in(key: str, extra: str = "") -> dict:
        return {"Cookie": f"sessionid={key}; csrftoken={csrf}{extra}"}

    sessions = people["sessions"]
    half = len(sessions) // 2

    def posting(path: str, key: str, body: str) -> loadgen.Request:
        headers = {
            **logged_in(key),
            "X-CSRFToken": csrf,
            "Content-Type": "application/x-www-form-urlencoded",
        }
        return loadgen.Request("POST", path, headers, body)

    answers = urlencode({**people["answers"], "action": "submit"})
    return {
        "floor": {"requests": ["/floor/"], "public": True},
        "home": {"requests": ["/"], "public": True},
        "catalogue search + 2 facets": {
            "requests": [f"/initiatives/?{q}" for q in searched],
            "public": True,
        },
        "HUB page": {"requests": [f"/initiatives/{slug}/" for slug in hubs], "public": True},
        "map data (world)": {"requests": ["/map/points.json"], "public": True},
        "SDG page": {"requests": [f"/sdg/{n}/" for n in range(1, 18)], "public": True},
        "event page": {"requests": [f"/events/{slug}/" for slug in events], "public": True},
        "API list + filters": {
            "requests": [f"/api/v1/initiatives?{q}" for q in searched],
            "public": True,
        },
        "registration (POST)": {
            "requests": [
                posting(f"/events/{people['event']}/register/", key, "") for key in sessions[:half]
            ],
            "public": False,
        },
        "survey answer (POST)": {
            "requests": [
                posting(f"/surveys/{people['survey']}/page/0/", key, answers)
                for key in sessions[half:]
            ],
            "public": False,
        },
        "dashboard (logged in)": {
            "requests": [loadgen.Request("GET", "/monitoring/", logged_in(sessions[0]))],
            "public": False,
        },
    }


def send_once(port: int, request) -> None:
    request = loadgen.as_request(request)
    if request.method == "GET" and "Cookie" not in request.headers:
        get(port, request.path)
        return
    import http.client

    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    connection.request(request.method, request.path, body=request.body, headers=request.headers)
    connection.getresponse().read()
    connection.close()


# Measures ---------------------------------------------------------------------------------


def count_queries(scenarios: dict) -> dict[str, tuple[int, int]]:
    """Queries of each scenario's first GET (the cache of this process emptied) and of the
    same request again, through Django's test client."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    counted = {}
    for name, scenario in scenarios.items():
        request = loadgen.as_request(scenario["requests"][0])
        if request.method != "GET":
            continue
        client = Client(HTTP_ACCEPT_LANGUAGE="en", HTTP_HOST="localhost")
        cookie = request.headers.get("Cookie", "")
        if "sessionid=" in cookie:
            client.cookies["sessionid"] = cookie.split("sessionid=")[1].split(";")[0]
        cache.clear()
        numbers = []
        for _ in range(2):
            with CaptureQueriesContext(connection) as captured:
                client.get(request.path)
            numbers.append(len(captured))
        counted[name] = tuple(numbers)
    return counted


def data_counts() -> str:
    from local4action.accounts.models import Organization
    from local4action.events.models import Event, Registration
    from local4action.initiatives.models import Initiative
    from local4action.monitoring.models import Indicator, Measurement

    counts = {
        "initiatives": Initiative.objects.count(),
        "organizations": Organization.objects.count(),
        "indicators": Indicator.objects.count(),
        "measurements": Measurement.objects.count(),
        "events": Event.objects.count(),
        "registrations": Registration.objects.count(),
    }
    return ", ".join(f"{name} {value:,}" for name, value in counts.items())


def worker_memory(production) -> list[float]:
    """RSS of gunicorn's workers (children of its master), in MiB."""
    master = production.gunicorn
    found = subprocess.run(
        ["pgrep", "-P", str(master.pid)], capture_output=True, text=True, check=False
    ).stdout.split()
    sizes = []
    for pid in found:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                sizes.append(int(line.split()[1]) / 1024)
    return sizes


def machine() -> str:
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory = next(
        int(line.split()[1]) // 1024**2
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal:")
    )
    return f"{os.cpu_count()} × {model}, {memory} GiB, {platform.system()} {platform.release()}"


def report(args, scenarios, results, queries, memory, url) -> str:
    import django
    from django.db import connection

    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    floor = results["floor"]["rps"]
    lines = [
        f"# Load benchmark — {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"- commit `{commit}`; Python {platform.python_version()}, Django {django.get_version()}",
        f"- machine: {machine()}",
        f"- database: {database_version(connection)}; data: {data_counts()}",
        f"- server: gunicorn {args.workers} workers × {args.threads} threads, Redis cache and "
        f"sessions; load by {loadgen.engine()}, {args.clients} clients × {args.seconds:.0f} s "
        "per scenario",
        f"- budgets: public p95 ≤ {PUBLIC_P95:.0f} ms and ≥ {FLOOR_SHARE:.0%} of the floor's "
        f"requests/s; logged-in p95 ≤ {PRIVATE_P95:.0f} ms; no error",
        "",
        "| scenario | req/s | % floor | p50 ms | p95 ms | p99 ms | errors | queries (1st, 2nd) "
        "| cold ms | budget |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for name, outcome in results.items():
        public = scenarios[name]["public"]
        limit = PUBLIC_P95 if public else PRIVATE_P95
        share = outcome["rps"] / floor if floor else 0
        fine = outcome["requests"] > 0 and outcome["p95"] <= limit and not outcome["errors"]
        if public and name != "floor":
            fine = fine and share >= FLOOR_SHARE
        first, second = queries.get(name, ("–", "–"))
        lines.append(
            f"| {name} | {outcome['rps']:.0f} | {share:.0%} | {outcome['p50']:.1f} | "
            f"{outcome['p95']:.1f} | {outcome['p99']:.1f} | {outcome['errors']} | "
            f"{first}, {second} | {outcome['cold']:.0f} | {'PASS' if fine else 'FAIL'} |"
        )
    worst = max(memory) if memory else 0
    verdict = "PASS" if worst <= WORKER_RSS else "FAIL"
    lines += [
        "",
        f"Workers' memory after the load: {', '.join(f'{m:.0f}' for m in memory)} MiB "
        f"(budget {WORKER_RSS} MiB each: {verdict}).",
        "",
    ]
    table = "\n".join(lines)
    print("\n" + table)
    return table


if __name__ == "__main__":
    main()
