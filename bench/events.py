"""Benchmark: the public page of the demo event and registration for it, in requests per second.

    .venv/bin/python bench/events.py [--requests 500]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_events .venv/bin/python bench/events.py

Seeds the demo (`manage.py seed_demo`), then makes a public twin of the demo event in Barcelona
(same agenda; public, no approval, 100 seats) and measures, in-process with Django's test
`Client`, one request after another: N anonymous GETs of its page (`events:detail`), and N
distinct users each POSTing the registration form (`events:register`): the first 100 get a
seat, the others go on the waiting list. Uses DATABASE_URL when set (its database is dropped
and created again, so its name must contain "bench"), else a throwaway SQLite file under /tmp.
Not a test: pytest never collects it.
"""

import argparse
import datetime
import io
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import database_version, django_setup, fresh_database  # noqa: E402 — shared by the benches

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE = Path("/tmp/local4action-bench-events.sqlite3")
TWIN_SLUG = "local4action-forum-barcelona-public"
WARM_UP = 10


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=500)
    args = parser.parse_args()

    url = fresh_database(DEFAULT_SQLITE)
    django_setup()

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.urls import reverse

    setup_test_environment()
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrated = time.perf_counter()
    call_command("seed_demo", stdout=io.StringIO())
    seeded = time.perf_counter()
    event = public_twin()
    people = registrants(args.requests)
    populated = time.perf_counter()

    def measure(send, n):
        """Latency (ms) and query count of each of n requests, and the wall time of all."""
        latencies, queries, statuses = [], [], {}
        begin_all = time.perf_counter()
        for index in range(n):
            connection.queries_log.clear()  # it keeps 9,000 queries: count from empty
            with CaptureQueriesContext(connection) as captured:
                begin = time.perf_counter()
                status = send(index)
                latencies.append((time.perf_counter() - begin) * 1000)
            queries.append(len(captured))
            statuses[status] = statuses.get(status, 0) + 1
        return latencies, queries, statuses, time.perf_counter() - begin_all

    # The public page, anonymous.
    page_url = reverse("events:detail", args=[event.slug])
    anonymous = Client()
    for _ in range(WARM_UP):
        anonymous.get(page_url)
    page = measure(lambda i: anonymous.get(page_url).status_code, args.requests)
    page_size = len(anonymous.get(page_url).content)
    # The same event through the API.
    api_url = f"/api/v1/events/{event.slug}"
    api = measure(lambda i: anonymous.get(api_url).status_code, args.requests)

    # Registration: one POST of the form per person, each with their own session.
    register_url = reverse("events:register", args=[event.slug])
    probe = Client()
    probe.force_login(people[0])
    view_ready = probe.get(register_url).status_code == 200
    clients = []
    for person in people:
        client = Client()
        client.force_login(person)  # not timed: signing in is not part of registering
        clients.append(client)
    form = {"role": "Mayor's office", "organization": "Bench city", "attendance": "in_person"}
    form["languages"] = ["en", "fr"]

    if view_ready:

        def register(index):
            return clients[index].post(register_url, form).status_code

    else:
        from local4action.events import services

        def register(index):
            services.registration_create(actor=people[index], event=event, data=form)
            return "service"

    registering = measure(register, len(people))
    counts = event.registrations.values_list("status").order_by()
    from django.db.models import Count

    outcome = dict(counts.annotate(n=Count("pk")).values_list("status", "n"))

    print(f"database             {database_version(connection)} ({url})")
    print(
        f"set-up               migrate {migrated - started:.1f} s, seed_demo "
        f"{seeded - migrated:.1f} s, twin + {len(people)} users {populated - seeded:.1f} s"
    )
    print(f"tasks backend        {settings.TASKS['default']['BACKEND']}")
    report(f"event page (GET {page_url}, anonymous, {page_size / 1024:.0f} KiB)", page)
    report(f"event API (GET {api_url}, anonymous)", api)
    if view_ready:
        report(f"registration (POST {register_url}, one user each)", registering)
    else:
        print("registration view events:register is not ready (the GET did not answer 200):")
        report("registration (services.registration_create called directly)", registering)
    print(f"registrations        {outcome} (capacity {event.capacity})")
    assert outcome.get("confirmed", 0) == min(event.capacity, len(people)), outcome


def report(name, measured) -> None:
    latencies, queries, statuses, wall = measured
    ordered = sorted(latencies)
    p95 = ordered[max(0, int(round(0.95 * len(ordered))) - 1)]
    print(name)
    print(
        f"  {len(latencies)} requests in {wall:.2f} s: {len(latencies) / wall:.0f} requests/s; "
        f"latency median {statistics.median(latencies):.1f} ms, p95 {p95:.1f} ms, "
        f"max {ordered[-1]:.1f} ms"
    )
    print(
        f"  queries per request: min {min(queries)}, median {statistics.median(queries):.0f}, "
        f"max {max(queries)}; statuses {statuses}"
    )


def public_twin():
    """The demo event in Barcelona, public and without approval, with the same agenda."""
    from django.db import transaction

    from local4action.events.demo import BARCELONA_SLUG
    from local4action.events.models import Event, Session, Speaker

    with transaction.atomic():
        demo = Event.objects.get(slug=BARCELONA_SLUG)
        organizers, goals = list(demo.organizers.all()), list(demo.goals.all())
        sessions = list(demo.sessions.prefetch_related("speakers"))
        twin = Event.objects.get(pk=demo.pk)
        twin.pk = twin.id = None
        twin.slug = TWIN_SLUG
        twin.title = f"{demo.title} (open to all)"
        twin.visibility = "public"
        twin.approval_required = False
        twin.capacity = 100
        twin.registration_opens_at = None
        twin.feedback_survey = None
        twin.save()
        twin.organizers.set(organizers)
        twin.goals.set(goals)
        for session in sessions:
            speakers = list(session.speakers.all())
            session.pk = session.id = None
            session.event = twin
            session.save()
            Speaker.objects.bulk_create(
                Speaker(
                    session=session,
                    user_id=s.user_id,
                    name=s.name,
                    organization=s.organization,
                    position=s.position,
                )
                for s in speakers
            )
        assert twin.sessions.count() == len(sessions) == Session.objects.filter(event=demo).count()
        assert twin.registration_closes_at > datetime.datetime.now(datetime.UTC)
    return twin


def registrants(n: int):
    """n people, each an active member of one of 50 approved organizations."""
    from local4action.accounts.choices import OrganizationKind, OrganizationStatus
    from local4action.accounts.models import Membership, Organization, User

    organizations = Organization.objects.bulk_create(
        Organization(
            name=f"Bench city {i}",
            slug=f"bench-city-{i}",
            kind=OrganizationKind.LOCAL_GOVERNMENT,
            country="ES",
            status=OrganizationStatus.APPROVED,
        )
        for i in range(50)
    )
    people = User.objects.bulk_create(
        User(email=f"registrant{i}@bench.example", name=f"Registrant {i}") for i in range(n)
    )
    Membership.objects.bulk_create(
        Membership(user=person, organization=organizations[i % 50], status="active")
        for i, person in enumerate(people)
    )
    return people


if __name__ == "__main__":
    main()
