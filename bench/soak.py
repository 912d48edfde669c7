"""Soak: the production setup under a steady load for ten minutes, with no error and flat
memory (issue 11). Not a test, not part of `make bench`:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_scale .venv/bin/python bench/soak.py

Uses the database `bench/load.py` seeded (a name with "bench" in it; run `make bench` first),
starts the production setup (bench/server.py) and sends the public pages, the map data and
the API in rotation from a few clients — a steady load well under saturation — in slices of
30 s. After each slice: requests/s, p95, errors, and the resident memory of every gunicorn
worker and of the task worker. The verdict: no error at all, and each process's memory at the
end within 10% (and 30 MiB) of where it was after the first two minutes (warm-up). Writes a
Markdown table to bench/results/.
"""

import argparse
import datetime
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
import loadgen  # noqa: E402
import server  # noqa: E402
from common import bench_database, django_setup  # noqa: E402
from load import REGIONS, WORDS, machine, worker_memory  # noqa: E402
from server import HOST, ROOT, production_server  # noqa: E402

SLICE_SECONDS = 30
WARM_UP_SLICES = 4  # two minutes
GROWTH_SHARE, GROWTH_MIB = 0.10, 30


def requests() -> list[str]:
    from local4action.events.models import Event
    from local4action.initiatives.choices import PUBLIC_STATUSES
    from local4action.initiatives.models import Initiative

    hubs = Initiative.objects.filter(status__in=PUBLIC_STATUSES).order_by("pk")
    events = Event.objects.filter(published=True, visibility="public").order_by("pk")
    searched = [
        urlencode([("q", word), ("sdg", "11"), ("region", REGIONS[i % len(REGIONS)])])
        for i, word in enumerate(WORDS)
    ]
    return [
        "/",
        *(f"/initiatives/{slug}/" for slug in hubs.values_list("slug", flat=True)[:200]),
        *(f"/initiatives/?{q}" for q in searched),
        *(f"/api/v1/initiatives?{q}" for q in searched),
        *(f"/sdg/{n}/" for n in range(1, 18)),
        *(f"/events/{slug}/" for slug in events.values_list("slug", flat=True)[:50]),
        "/map/points.json?sdg=11&region=europe",
        "/library/",
        "/data/",
    ]


def task_worker_memory(production) -> float | None:
    for process in production.processes:
        if "rqworker" in " ".join(map(str, process.args)):
            for line in Path(f"/proc/{process.pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--port", type=int, default=8790)
    parser.add_argument("--slice", type=float, default=SLICE_SECONDS, help="seconds per slice")
    parser.add_argument("--results", type=Path, default=ROOT / "bench" / "results")
    args = parser.parse_args()
    args.seconds = args.slice  # what bench/server.py reports

    url = bench_database(Path("/tmp/local4action-bench-load.sqlite3"), reuse=True)
    django_setup()
    from django.db import connection

    paths = requests()
    connection.close()
    slices = max(WARM_UP_SLICES + 1, round(args.minutes * 60 / args.slice))
    rows, errors = [], 0
    with production_server(args) as port:
        for path in paths:  # every page once: the soak measures a warm site
            server.get(port, path)
        for number in range(1, slices + 1):
            outcome = loadgen.run(HOST, port, paths, clients=args.clients, seconds=args.slice)
            memory = worker_memory(server.SERVER)
            rows.append((number, outcome, memory, task_worker_memory(server.SERVER)))
            errors += outcome["errors"]
            print(
                f"{number * args.slice / 60:5.1f} min  {outcome['rps']:7.1f} req/s  "
                f"p95 {outcome['p95']:6.1f} ms  errors {outcome['errors']}  "
                f"workers {', '.join(f'{m:.0f}' for m in memory)} MiB  "
                f"task worker {rows[-1][3] or 0:.0f} MiB"
            )
    table = report(args, rows, errors, url)
    args.results.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d-%H%M")
    path = args.results / f"soak-{stamp}.md"
    path.write_text(table)
    print(f"\nwritten to {path}")
    sys.exit(0 if "FAIL" not in table else 1)


def _flat(before: float, after: float) -> bool:
    return after - before <= max(before * GROWTH_SHARE, GROWTH_MIB)


def report(args, rows, errors, url) -> str:
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    warm = rows[WARM_UP_SLICES - 1]
    last = rows[-1]
    web_flat = all(
        _flat(before, after) for before, after in zip(warm[2], last[2], strict=False)
    ) and len(warm[2]) == len(last[2])
    task_flat = warm[3] is None or last[3] is None or _flat(warm[3], last[3])
    lines = [
        f"# Soak — {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"- commit `{commit}`; machine: {machine()}",
        f"- database: {url.split('@')[-1]}; server: gunicorn {args.workers} workers × "
        f"{args.threads} threads, its own Redis, a task worker",
        f"- load: {args.clients} clients, public pages, map data and API in rotation, "
        f"{len(rows)} slices of {args.slice:.0f} s",
        f"- verdict: errors {errors} ({'PASS' if errors == 0 else 'FAIL'}); memory flat after "
        f"{WARM_UP_SLICES * args.slice / 60:.0f} minutes (≤ +{GROWTH_SHARE:.0%} or "
        f"+{GROWTH_MIB} MiB): app workers {'PASS' if web_flat else 'FAIL'}, task worker "
        f"{'PASS' if task_flat else 'FAIL'}",
        "",
        "| minute | req/s | p50 ms | p95 ms | p99 ms | errors | app workers MiB "
        "| task worker MiB |",
        "|---:|---:|---:|---:|---:|---:|---|---:|",
    ]
    for number, outcome, memory, task in rows:
        lines.append(
            f"| {number * args.slice / 60:.1f} | {outcome['rps']:.0f} | {outcome['p50']:.1f} "
            f"| {outcome['p95']:.1f} | {outcome['p99']:.1f} | {outcome['errors']} "
            f"| {', '.join(f'{m:.0f}' for m in memory)} | {task or 0:.0f} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
