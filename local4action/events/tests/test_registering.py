"""Registering for an event: the rules (services) and the pages (views)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from local4action.accounts.tests.factories import MembershipFactory, UserFactory
from local4action.core.models import Notification
from local4action.events import selectors, services
from local4action.events.models import Registration
from local4action.events.tests.factories import make_event, make_registration

pytestmark = pytest.mark.django_db

QUESTIONS = ["role", "organization", "dietary", "accessibility", "attendance", "languages"]
ANSWERS = {
    "role": "Mayor",
    "organization": "City of Lyon",
    "dietary": "vegetarian",
    "accessibility": "",
    "attendance": "remote",
    "languages": ["fr", "en"],
}


def _register_url(event):
    return reverse("events:register", args=[event.slug])


# Services ----------------------------------------------------------------------------------


def test_registration_without_approval_takes_a_free_seat(user):
    event = make_event(capacity=2)
    registration = services.registration_create(actor=user, event=event)
    assert registration.status == "confirmed"
    assert Notification.objects.filter(recipient=user, kind="event_registration_confirmed").exists()


def test_registration_when_full_goes_on_the_waiting_list(user, other_user):
    event = make_event(capacity=1)
    services.registration_create(actor=user, event=event)
    second = services.registration_create(actor=other_user, event=event)
    assert second.status == "waitlisted"
    assert selectors.waitlist_position(second) == 1


def test_registering_too_fast_is_refused_and_changes_nothing(user, settings):
    settings.REGISTRATIONS_PER_MINUTE = 2
    events = [make_event(slug=f"event-{n}") for n in range(3)]
    for event in events[:2]:
        services.registration_create(actor=user, event=event)
    with pytest.raises(ValidationError, match="registering too fast"):
        services.registration_create(actor=user, event=events[2])
    assert not Registration.objects.filter(event=events[2]).exists()
    # Another person is not held back by the first one's count.
    other = UserFactory()
    assert services.registration_create(actor=other, event=events[2]).status == "confirmed"


def test_registration_after_closing_is_refused(user):
    event = make_event(registration_closes_at=timezone.now() - datetime.timedelta(hours=1))
    with pytest.raises(ValidationError, match="closed"):
        services.registration_create(actor=user, event=event)
    assert not Registration.objects.exists()


def test_second_registration_by_the_same_person_is_refused(user):
    event = make_event()
    services.registration_create(actor=user, event=event)
    with pytest.raises(ValidationError, match="already registered"):
        services.registration_create(actor=user, event=event)
    assert Registration.objects.count() == 1


def test_cancelling_a_seat_promotes_the_first_on_the_list_with_a_notification(user):
    event = make_event(capacity=1)
    first = services.registration_create(actor=user, event=event)
    waiting = [services.registration_create(actor=UserFactory(), event=event) for _ in range(2)]
    services.registration_cancel(actor=user, registration=first)
    statuses = [Registration.objects.get(pk=r.pk).status for r in waiting]
    assert statuses == ["confirmed", "waitlisted"]
    assert Notification.objects.filter(
        recipient=waiting[0].person, kind="event_registration_promoted"
    ).exists()
    assert not Notification.objects.filter(
        recipient=waiting[1].person, kind="event_registration_promoted"
    ).exists()
    assert Registration.objects.get(pk=first.pk).status == "cancelled"


def test_cancelling_twice_is_refused(user):
    registration = services.registration_create(actor=user, event=make_event())
    services.registration_cancel(actor=user, registration=registration)
    with pytest.raises(ValidationError, match="not active"):
        services.registration_cancel(actor=user, registration=registration)


def test_answers_are_kept_only_for_the_questions_asked(user):
    event = make_event(questions=["role", "attendance"])
    registration = services.registration_create(
        actor=user, event=event, data={**ANSWERS, "dietary": "none"}
    )
    assert registration.answers == {"role": "Mayor", "attendance": "remote"}
    assert registration.attendance == "remote"


def test_members_only_event_refuses_a_non_member_with_a_cancelled_registration(user):
    event = make_event(visibility="members")
    make_registration(event, user, status="cancelled")
    with pytest.raises(ValidationError, match="members of the network"):
        services.registration_create(actor=user, event=event)


# Views -------------------------------------------------------------------------------------


def test_register_page_needs_sign_in(client):
    event = make_event()
    response = client.get(_register_url(event))
    assert response.status_code == 302
    assert reverse("account_login") in response.url
    assert "next=" in response.url


def test_register_page_shows_exactly_the_questions_picked(client, user):
    event = make_event(questions=["role", "attendance"], approval_required=True, capacity=10)
    make_registration(event, UserFactory())
    client.force_login(user)
    response = client.get(_register_url(event))
    content = response.content.decode()
    assert response.status_code == 200
    assert 'name="role"' in content and 'name="attendance"' in content
    assert 'type="radio"' in content
    for missing in ("dietary", "accessibility", "languages", 'name="organization"'):
        assert missing not in content
    assert "Do not book travel before you are accepted." in content
    assert "organizers decide" in content
    assert ">9<" in content.replace("</strong>", "<")  # seats left
    assert "Europe/Madrid" in content


def test_register_with_every_question(client, user):
    event = make_event(questions=QUESTIONS)
    client.force_login(user)
    response = client.get(_register_url(event))
    assert 'type="checkbox"' in response.content.decode()
    response = client.post(_register_url(event), ANSWERS, follow=True)
    # Back on the event page, which shows the registration's status.
    assert response.redirect_chain == [(event.get_absolute_url(), 302)]
    registration = Registration.objects.get(person=user)
    assert registration.status == "confirmed"
    assert sorted(registration.answers["languages"]) == ["en", "fr"]
    assert registration.answers["organization"] == "City of Lyon"
    assert "your seat is confirmed" in response.content.decode()


def test_register_with_approval_says_it_waits_for_the_organizers(client, user):
    event = make_event(approval_required=True)
    client.force_login(user)
    response = client.post(_register_url(event), {}, follow=True)
    assert Registration.objects.get(person=user).status == "pending"
    assert "waiting for the organizers" in response.content.decode()


def test_register_when_full_says_the_waiting_list_position(client, user):
    event = make_event(capacity=1)
    make_registration(event, UserFactory())
    make_registration(event, UserFactory(), status="waitlisted")
    client.force_login(user)
    response = client.post(_register_url(event), {}, follow=True)
    assert Registration.objects.get(person=user).status == "waitlisted"
    assert "in position 2" in response.content.decode()


def test_register_missing_required_answer_saves_nothing(client, user):
    event = make_event(questions=["role"])
    client.force_login(user)
    response = client.post(_register_url(event), {"role": ""})
    assert response.status_code == 400
    assert not Registration.objects.exists()


def test_register_after_closing_shows_a_message_and_saves_nothing(client, user):
    event = make_event(registration_closes_at=timezone.now() - datetime.timedelta(minutes=1))
    client.force_login(user)
    page = client.get(_register_url(event))
    assert "Registration for this event is closed." in page.content.decode()
    response = client.post(_register_url(event), {})
    assert response.status_code == 400
    assert "Registration for this event is closed." in response.content.decode()
    assert not Registration.objects.exists()


def test_second_registration_through_the_view_is_refused(client, user):
    event = make_event()
    registration = make_registration(event, user, status="waitlisted")
    client.force_login(user)
    page = client.get(_register_url(event))
    assert "On the waiting list" in page.content.decode()
    assert 'name="role"' not in page.content.decode()
    response = client.post(_register_url(event), {})
    assert response.status_code == 400
    assert "already registered" in response.content.decode()
    assert Registration.objects.get().pk == registration.pk


def test_members_only_event_refuses_a_non_member_clearly(client, user):
    event = make_event(visibility="members")
    client.force_login(user)
    response = client.post(_register_url(event), {})
    assert response.status_code == 403
    assert "for members of the network" in response.content.decode()
    assert not Registration.objects.exists()


def test_members_only_event_accepts_a_member(client):
    member = MembershipFactory().user
    event = make_event(visibility="members")
    client.force_login(member)
    client.post(_register_url(event), {})
    assert Registration.objects.get().person == member


def test_invitation_only_event_refuses_registration_without_the_link(client, user):
    event = make_event(visibility="invitation")
    client.force_login(user)
    response = client.post(_register_url(event), {})
    assert response.status_code == 403
    assert "by invitation only" in response.content.decode()
    # Even when invited, the personal link is the way in.
    services.invitations_create(
        actor=UserFactory(roles={"secretariat"}), event=event, people=[{"email": user.email}]
    )
    response = client.post(_register_url(event), {})
    assert response.status_code == 400
    assert "use the personal link" in response.content.decode()
    assert not Registration.objects.exists()


def test_unpublished_event_is_not_found(client, user):
    event = make_event(published=False)
    client.force_login(user)
    assert client.get(_register_url(event)).status_code == 404
    assert client.post(_register_url(event), {}).status_code == 404
    assert not Registration.objects.exists()


def test_cancel_asks_for_confirmation_then_promotes(client, user):
    event = make_event(capacity=1)
    registration = make_registration(event, user)
    waiting = make_registration(event, UserFactory(), status="waitlisted")
    client.force_login(user)
    page = client.get(reverse("events:cancel", args=[event.slug]))
    assert "Are you sure" in page.content.decode()
    assert Registration.objects.get(pk=registration.pk).status == "confirmed"
    response = client.post(reverse("events:cancel", args=[event.slug]), follow=True)
    assert "Your registration is cancelled." in response.content.decode()
    assert Registration.objects.get(pk=registration.pk).status == "cancelled"
    assert Registration.objects.get(pk=waiting.pk).status == "confirmed"


def test_cancel_without_registration_is_not_found(client, user):
    event = make_event()
    client.force_login(user)
    assert client.post(reverse("events:cancel", args=[event.slug])).status_code == 404


def test_my_events_lists_statuses_positions_and_the_venue_only_when_accepted(client, user):
    accepted = make_event(title="Accepted event", venue="Palau Room 4")
    waiting = make_event(title="Waiting event", venue="Secret hall", capacity=1)
    make_registration(accepted, user)
    make_registration(waiting, UserFactory())
    make_registration(waiting, UserFactory(), status="waitlisted")
    services.registration_create(actor=user, event=waiting)
    client.force_login(user)
    content = client.get(reverse("events:mine")).content.decode()
    assert "Accepted event" in content and "Waiting event" in content
    assert "Palau Room 4" in content
    assert "Secret hall" not in content
    assert "position 2 on the waiting list" in content


def test_my_events_needs_sign_in(client):
    assert client.get(reverse("events:mine")).status_code == 302
