"""Sponsorship requests: asked by registrants with the travel warning, decided by organizers
within the budget, for accepted participants only, with a notification."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from local4action.accounts.tests.factories import UserFactory
from local4action.core.models import Notification
from local4action.events import services
from local4action.events.models import SponsorshipRequest
from local4action.events.tests.factories import make_event, make_registration

pytestmark = pytest.mark.django_db

REQUEST = {"travel": "on", "justification": "Our city cannot cover the flight."}


@pytest.fixture
def event(organization, org_admin):
    return make_event(organizers=[organization], sponsorship_budget=1)


def _ask(person, event, status="confirmed"):
    registration = make_registration(event, person, status=status)
    return services.sponsorship_request(
        actor=person, registration=registration, data={"travel": True, "justification": "Far"}
    )


def test_sponsorship_page_warns_and_sends_the_request(client, event, user):
    make_registration(event, user, status="pending")
    client.force_login(user)
    url = reverse("events:sponsorship", args=[event.slug])
    page = client.get(url).content.decode()
    assert "Do not book travel before you are accepted." in page
    response = client.post(url, REQUEST, follow=True)
    request = SponsorshipRequest.objects.get()
    assert (request.travel, request.lodging, request.status) == (True, False, "requested")
    content = response.content.decode()
    assert "Requested" in content and "Our city cannot cover the flight." in content
    assert 'name="justification"' not in content


def test_sponsorship_needs_travel_or_lodging_and_a_justification(client, event, user):
    make_registration(event, user)
    client.force_login(user)
    response = client.post(reverse("events:sponsorship", args=[event.slug]), {})
    assert response.status_code == 400
    assert "Choose travel, lodging or both." in response.content.decode()
    assert not SponsorshipRequest.objects.exists()


def test_asking_twice_is_refused(event, user):
    sponsorship = _ask(user, event)
    with pytest.raises(ValidationError, match="already asked"):
        services.sponsorship_request(
            actor=user, registration=sponsorship.registration, data=REQUEST
        )
    assert SponsorshipRequest.objects.count() == 1


def test_without_registration_the_page_sends_to_register(client, event, user):
    client.force_login(user)
    response = client.get(reverse("events:sponsorship", args=[event.slug]))
    assert response.status_code == 302
    assert response.url == reverse("events:register", args=[event.slug])


def test_granting_notifies_and_respects_the_budget(client, event, org_admin):
    first, second = _ask(UserFactory(), event), _ask(UserFactory(), event)
    client.force_login(org_admin)
    url = reverse("events:sponsorship_decide", args=[event.slug, first.pk])
    client.post(url, {"grant": "1", "reason": "Welcome"})
    first.refresh_from_db()
    assert (first.status, first.reason, first.decided_by) == ("granted", "Welcome", org_admin)
    assert Notification.objects.filter(
        recipient=first.registration.person, kind="event_sponsorship_granted"
    ).exists()
    response = client.post(
        reverse("events:sponsorship_decide", args=[event.slug, second.pk]),
        {"grant": "1"},
        follow=True,
    )
    assert "All 1 sponsorships are already granted." in response.content.decode()
    second.refresh_from_db()
    assert second.status == "requested"


def test_granting_needs_an_accepted_registration(client, event, org_admin):
    pending = _ask(UserFactory(), event, status="pending")
    client.force_login(org_admin)
    response = client.post(
        reverse("events:sponsorship_decide", args=[event.slug, pending.pk]),
        {"grant": "1"},
        follow=True,
    )
    assert "registration before granting a sponsorship" in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == "requested"


def test_refusing_notifies_with_the_reason(client, event, org_admin):
    sponsorship = _ask(UserFactory(), event)
    client.force_login(org_admin)
    client.post(
        reverse("events:sponsorship_decide", args=[event.slug, sponsorship.pk]),
        {"grant": "0", "reason": "Budget spent on nearer cities"},
    )
    sponsorship.refresh_from_db()
    assert sponsorship.status == "refused"
    notification = Notification.objects.get(kind="event_sponsorship_refused")
    assert notification.context["reason"] == "Budget spent on nearer cities"


def test_deciding_is_forbidden_to_others(client, event, user):
    sponsorship = _ask(UserFactory(), event)
    client.force_login(user)
    response = client.post(
        reverse("events:sponsorship_decide", args=[event.slug, sponsorship.pk]), {"grant": "1"}
    )
    assert response.status_code == 403
    sponsorship.refresh_from_db()
    assert sponsorship.status == "requested"


def test_a_request_of_another_event_is_not_found(client, event, org_admin, organization):
    other = make_event(organizers=[organization], sponsorship_budget=3)
    sponsorship = _ask(UserFactory(), other)
    client.force_login(org_admin)
    response = client.post(
        reverse("events:sponsorship_decide", args=[event.slug, sponsorship.pk]), {"grant": "1"}
    )
    assert response.status_code == 404
