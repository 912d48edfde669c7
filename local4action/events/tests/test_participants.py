"""The organizers' participant list: decisions, exports, check-in, and 403 for everyone else."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from local4action.accounts.tests.factories import UserFactory
from local4action.core.models import Notification
from local4action.core.testing import assert_queries_constant
from local4action.events.models import Registration, SponsorshipRequest
from local4action.events.tests.factories import make_event, make_registration

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.example","x")'


@pytest.fixture
def event(organization, org_admin):
    return make_event(
        organizers=[organization],
        approval_required=True,
        capacity=1,
        questions=["role", "attendance"],
        sponsorship_budget=2,
    )


def _decide(client, event, registration, decision):
    return client.post(
        reverse("events:decide", args=[event.slug, registration.pk]),
        {"decision": decision},
        follow=True,
    )


def test_participants_page_shows_counts_rows_answers_and_sponsorship(client, event, org_admin):
    person = UserFactory(name="Ada Lovelace")
    registration = make_registration(
        event, person, status="pending", answers={"role": "Mayor", "attendance": "remote"}
    )
    SponsorshipRequest.objects.create(
        registration=registration, travel=True, justification="Island city, expensive flights"
    )
    client.force_login(org_admin)
    response = client.get(reverse("events:participants", args=[event.slug]))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Ada Lovelace" in content and person.email in content
    assert "Mayor" in content and "Remotely" in content
    assert "Island city, expensive flights" in content
    assert response.context["counts"]["pending"] == 1
    for action in ('value="accept"', 'value="waitlist"', 'value="decline"', 'name="grant"'):
        assert action in content


def test_filter_by_status_and_search(client, event, org_admin):
    make_registration(event, UserFactory(name="Ada Lovelace"), status="pending")
    make_registration(event, UserFactory(name="Grace Hopper"), status="waitlisted")
    client.force_login(org_admin)
    url = reverse("events:participants", args=[event.slug])
    content = client.get(url, {"status": "waitlisted"}).content.decode()
    assert "Grace Hopper" in content and "Ada Lovelace" not in content
    content = client.get(url, {"q": "lovelace"}).content.decode()
    assert "Ada Lovelace" in content and "Grace Hopper" not in content


def test_participants_page_query_count_is_constant(client, event, org_admin):
    event.capacity = None
    event.save()
    client.force_login(org_admin)

    def add_rows(count):
        for _ in range(count):
            registration = make_registration(event, UserFactory(), status="pending")
            SponsorshipRequest.objects.create(
                registration=registration, lodging=True, justification="Far away"
            )

    assert_queries_constant(client, reverse("events:participants", args=[event.slug]), add_rows)


def test_participants_are_paginated(client, event, org_admin):
    for _ in range(51):
        make_registration(event, UserFactory(), status="pending")
    client.force_login(org_admin)
    response = client.get(reverse("events:participants", args=[event.slug]))
    assert len(response.context["page"].object_list) == 50
    assert "Page 1 of 2" in response.content.decode()


def test_approval_flow_pending_accept_waitlist_decline(client, event, org_admin):
    first = make_registration(event, UserFactory(), status="pending")
    second = make_registration(event, UserFactory(), status="pending")
    client.force_login(org_admin)
    response = _decide(client, event, first, "accept")
    assert "is accepted" in response.content.decode()
    assert Registration.objects.get(pk=first.pk).status == "confirmed"
    assert Notification.objects.filter(
        recipient=first.person, kind="event_registration_confirmed"
    ).exists()
    # Full: accepting the second is refused with a clear message.
    response = _decide(client, event, second, "accept")
    assert "The event is full (1 seats)" in response.content.decode()
    assert Registration.objects.get(pk=second.pk).status == "pending"
    _decide(client, event, second, "waitlist")
    assert Registration.objects.get(pk=second.pk).status == "waitlisted"
    # Declining the accepted one frees the seat: the waiting list moves up.
    _decide(client, event, first, "decline")
    assert Registration.objects.get(pk=first.pk).status == "declined"
    assert Registration.objects.get(pk=second.pk).status == "confirmed"
    assert Notification.objects.filter(
        recipient=second.person, kind="event_registration_promoted"
    ).exists()


def test_unknown_decision_changes_nothing(client, event, org_admin):
    registration = make_registration(event, UserFactory(), status="pending")
    client.force_login(org_admin)
    response = _decide(client, event, registration, "promote")
    assert "Unknown decision." in response.content.decode()
    assert Registration.objects.get(pk=registration.pk).status == "pending"


def test_decide_returns_to_the_filtered_list_but_never_off_site(client, event, org_admin):
    registration = make_registration(event, UserFactory(), status="pending")
    client.force_login(org_admin)
    url = reverse("events:decide", args=[event.slug, registration.pk])
    back = reverse("events:participants", args=[event.slug]) + "?status=pending"
    response = client.post(url, {"decision": "waitlist", "next": back})
    assert response.url == back
    response = client.post(url, {"decision": "decline", "next": "https://evil.example/"})
    assert response.url == reverse("events:participants", args=[event.slug])


def _export_event(event):
    person = UserFactory(name=FORMULA)
    registration = make_registration(
        event, person, answers={"role": "-2+3", "attendance": "in_person"}
    )
    SponsorshipRequest.objects.create(
        registration=registration, travel=True, justification="@SUM(A1)", status="granted"
    )
    make_registration(event, UserFactory(name="Grace Hopper"), status="waitlisted")
    return person


def test_csv_export_has_the_rows_and_neutralises_formulas(client, event, org_admin):
    person = _export_event(event)
    client.force_login(org_admin)
    response = client.get(reverse("events:participants_csv", args=[event.slug]))
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(text)))
    assert header[:4] == ["Name", "Email", "Organization", "Status"]
    assert "Your role" in header and "Sponsorship status" in header
    by_email = {row[1]: row for row in rows}
    row = by_email[person.email]
    assert row[0] == "'" + FORMULA
    assert "'-2+3" in row and "'@SUM(A1)" in row
    assert "Accepted" in row and "Granted" in row
    assert len(rows) == 2


def test_xlsx_export_has_the_rows_as_text(client, event, org_admin):
    person = _export_event(event)
    client.force_login(org_admin)
    response = client.get(reverse("events:participants_xlsx", args=[event.slug]))
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 3
    row = next(r for r in rows if r[1] == person.email)
    assert row[0] == FORMULA
    cell = next(c for c in sheet[2] + sheet[3] if c.value == FORMULA)
    assert cell.data_type == "s"
    assert cell.quotePrefix


def test_check_in_page_lists_accepted_people_and_toggles_attendance(client, event, org_admin):
    event.capacity = 5
    event.save()
    present = make_registration(event, UserFactory(name="Ada Lovelace"))
    make_registration(event, UserFactory(name="Grace Hopper"))
    make_registration(event, UserFactory(name="Waiting Person"), status="waitlisted")
    client.force_login(org_admin)
    url = reverse("events:check_in", args=[event.slug])
    content = client.get(url).content.decode()
    assert "Ada Lovelace" in content and "Grace Hopper" in content
    assert "Waiting Person" not in content
    assert "0 of 2 checked in" in content
    content = client.get(url, {"q": "ada"}).content.decode()
    assert "Grace Hopper" not in content
    toggle = reverse("events:check_in_toggle", args=[event.slug, present.pk])
    response = client.post(toggle, {"present": "1"}, follow=True)
    assert Registration.objects.get(pk=present.pk).checked_in_at is not None
    assert "1 of 2 checked in" in response.content.decode()
    client.post(toggle, {"present": "0"})
    assert Registration.objects.get(pk=present.pk).checked_in_at is None


def test_check_in_with_htmx_swaps_the_row_and_the_count(client, event, org_admin):
    registration = make_registration(event, UserFactory(name="Ada Lovelace"))
    client.force_login(org_admin)
    response = client.post(
        reverse("events:check_in_toggle", args=[event.slug, registration.pk]),
        {"present": "1"},
        headers={"HX-Request": "true"},
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert content.lstrip().startswith(f'<li class="card" id="check-in-{registration.pk}"')
    assert "Undo" in content
    assert 'hx-swap-oob="true"' in content and "1 of 1 checked in" in content
    assert "<html" not in content


def test_check_in_of_someone_not_accepted_is_refused(client, event, org_admin):
    registration = make_registration(event, UserFactory(), status="waitlisted")
    client.force_login(org_admin)
    response = client.post(
        reverse("events:check_in_toggle", args=[event.slug, registration.pk]),
        {"present": "1"},
        follow=True,
    )
    assert "Only accepted participants can be checked in." in response.content.decode()
    assert Registration.objects.get(pk=registration.pk).checked_in_at is None


ORGANIZER_URLS = [
    ("events:participants", "get", False),
    ("events:participants_csv", "get", False),
    ("events:participants_xlsx", "get", False),
    ("events:decide", "post", True),
    ("events:sponsorship_decide", "post", True),
    ("events:invite", "get", False),
    ("events:invite", "post", False),
    ("events:check_in", "get", False),
    ("events:check_in_toggle", "post", True),
]


@pytest.mark.parametrize(("name", "method", "with_pk"), ORGANIZER_URLS)
@pytest.mark.parametrize("who", ["participant", "org_member", "stranger"])
def test_every_organizer_url_is_forbidden_to_others(
    client, event, org_member, name, method, with_pk, who
):
    person = UserFactory()
    registration = make_registration(event, person)
    sponsorship = SponsorshipRequest.objects.create(
        registration=registration, travel=True, justification="Far"
    )
    actor = {"participant": person, "org_member": org_member, "stranger": UserFactory()}[who]
    client.force_login(actor)
    pk = sponsorship.pk if name == "events:sponsorship_decide" else registration.pk
    url = reverse(name, args=[event.slug, pk] if with_pk else [event.slug])
    data = {"decision": "decline", "grant": "1", "present": "1", "lines": "a@example.org"}
    response = getattr(client, method)(url, data if method == "post" else None)
    assert response.status_code == 403
    registration.refresh_from_db()
    sponsorship.refresh_from_db()
    assert registration.status == "confirmed" and registration.checked_in_at is None
    assert sponsorship.status == "requested"
    assert not event.invitations.exists()


def test_organizer_urls_send_anonymous_visitors_to_sign_in(client, event):
    response = client.get(reverse("events:participants", args=[event.slug]))
    assert response.status_code == 302
    assert reverse("account_login") in response.url


def test_secretariat_manages_every_event(client, event, secretariat):
    client.force_login(secretariat)
    assert client.get(reverse("events:participants", args=[event.slug])).status_code == 200
