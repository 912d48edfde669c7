"""Capacity is never exceeded, even when 300 people register at the same second: exactly 100
seats are confirmed, the other 200 wait, and a freed seat goes to the first on the list."""

import concurrent.futures
import threading

import pytest
from django.db import connection

from local4action.accounts.models import User
from local4action.events import services
from local4action.events.models import Registration
from local4action.events.tests.factories import make_event

PEOPLE, SEATS, WORKERS = 300, 100, 40


def _register(event, person, barrier):
    try:
        barrier.wait(timeout=30)
        return services.registration_create(actor=person, event=event).status
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_300_simultaneous_registrations_for_100_seats():
    event = make_event(capacity=SEATS, approval_required=False)
    User.objects.bulk_create(
        User(email=f"rush{number}@example.org", name=f"Rush {number}") for number in range(PEOPLE)
    )
    people = list(User.objects.filter(email__startswith="rush"))
    barrier = threading.Barrier(WORKERS)
    with concurrent.futures.ThreadPoolExecutor(max_workers=WORKERS) as pool:
        # Each worker waits at the barrier for its first task only; the rest follow at once.
        first = [pool.submit(_register, event, p, barrier) for p in people[:WORKERS]]
        rest = [pool.submit(_register, event, p, threading.Barrier(1)) for p in people[WORKERS:]]
        statuses = [future.result() for future in first + rest]

    assert statuses.count("confirmed") == SEATS
    assert statuses.count("waitlisted") == PEOPLE - SEATS
    assert Registration.objects.filter(event=event, status="confirmed").count() == SEATS
    assert Registration.objects.filter(event=event, status="waitlisted").count() == PEOPLE - SEATS

    first_waiting = (
        Registration.objects.filter(event=event, status="waitlisted")
        .order_by("waitlisted_at", "pk")
        .first()
    )
    leaving = Registration.objects.filter(event=event, status="confirmed").first()
    services.registration_cancel(actor=leaving.person, registration=leaving)

    assert Registration.objects.filter(event=event, status="confirmed").count() == SEATS
    assert Registration.objects.filter(event=event, status="waitlisted").count() == 199
    first_waiting.refresh_from_db()
    assert first_waiting.status == "confirmed"
