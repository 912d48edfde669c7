"""The rules on events and their agenda: sessions inside the event, capacity and the waiting
list, time zones, who writes the summary, and the feedback survey."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from local4action.accounts.tests.factories import UserFactory
from local4action.core.models import Notification
from local4action.events import services
from local4action.events.models import Event, Session, Speaker
from local4action.events.tests.factories import make_event, make_registration, make_session

pytestmark = pytest.mark.django_db

MADRID = zoneinfo.ZoneInfo("Europe/Madrid")


def event_data(**fields):
    start = datetime.datetime(2031, 3, 10, 9, 0, tzinfo=MADRID)
    return {
        "title": "Localizing the SDGs",
        "kind": "conference",
        "start_at": start,
        "end_at": start + datetime.timedelta(days=2),
        "time_zone": "Europe/Madrid",
        "city": "Barcelona",
        "country": "ES",
        "languages": ["en", "fr", "es"],
        "visibility": "public",
        "capacity": 100,
        "approval_required": True,
        "questions": [],
        "sponsorship_budget": 0,
        **fields,
    }


# Events ----------------------------------------------------------------------------------------


def test_secretariat_creates_an_event_with_a_unique_address(secretariat):
    first = services.event_save(actor=secretariat, data=event_data())
    second = services.event_save(actor=secretariat, data=event_data())

    assert first.slug == "localizing-the-sdgs-2031"
    assert second.slug == "localizing-the-sdgs-2031-2"
    assert first.start_at == datetime.datetime(2031, 3, 10, 8, 0, tzinfo=datetime.UTC)
    assert not first.published


def test_a_member_cannot_create_an_event(org_admin):
    with pytest.raises(PermissionDenied):
        services.event_save(actor=org_admin, data=event_data())
    assert not Event.objects.exists()


def test_an_unknown_time_zone_is_refused(secretariat):
    with pytest.raises(ValidationError) as error:
        services.event_save(actor=secretariat, data=event_data(time_zone="Mars/Olympus_Mons"))

    assert "time_zone" in error.value.message_dict
    assert not Event.objects.exists()


def test_an_event_ending_before_it_starts_is_refused(secretariat):
    data = event_data()
    data["end_at"] = data["start_at"] - datetime.timedelta(hours=1)
    with pytest.raises(ValidationError) as error:
        services.event_save(actor=secretariat, data=data)

    assert "end_at" in error.value.message_dict
    assert not Event.objects.exists()


def test_an_organizer_of_the_event_may_change_it_but_another_member_may_not(
    organization, org_editor, other_user
):
    event = make_event(organizers=[organization])

    services.event_save(actor=org_editor, event=event, data={"title": "New title"})
    with pytest.raises(PermissionDenied):
        services.event_save(actor=other_user, event=event, data={"title": "Taken over"})

    event.refresh_from_db()
    assert event.title == "New title"


def test_capacity_cannot_be_lowered_below_the_accepted_participants(secretariat):
    event = make_event(capacity=3)
    for _ in range(3):
        make_registration(event, UserFactory())

    with pytest.raises(ValidationError) as error:
        services.event_save(actor=secretariat, event=event, data={"capacity": 2})

    assert "3 people are already accepted" in error.value.message_dict["capacity"][0]
    event.refresh_from_db()
    assert event.capacity == 3


def test_raising_the_capacity_gives_the_new_seats_to_the_waiting_list_in_order(secretariat):
    event = make_event(capacity=1)
    make_registration(event, UserFactory())
    first, second, third = (UserFactory() for _ in range(3))
    now = timezone.now()
    for offset, person in enumerate((first, second, third)):
        registration = make_registration(event, person, status="waitlisted")
        registration.waitlisted_at = now + datetime.timedelta(seconds=offset)
        registration.save()

    services.event_save(actor=secretariat, event=event, data={"capacity": 3})

    statuses = dict(event.registrations.values_list("person_id", "status"))
    assert statuses[first.pk] == "confirmed"
    assert statuses[second.pk] == "confirmed"
    assert statuses[third.pk] == "waitlisted"
    assert Notification.objects.filter(recipient=first, kind="event_registration_promoted").exists()
    assert not Notification.objects.filter(recipient=third).exists()


def test_moving_the_event_away_from_its_sessions_is_refused(secretariat):
    event = make_event()
    make_session(event, minutes_from_start=0)
    start = event.start_at

    with pytest.raises(ValidationError) as error:
        services.event_save(
            actor=secretariat,
            event=event,
            data={
                "start_at": start + datetime.timedelta(hours=2),
                "end_at": start + datetime.timedelta(days=2),
            },
        )

    assert "start_at" in error.value.message_dict
    event.refresh_from_db()
    assert event.start_at == start


# Sessions --------------------------------------------------------------------------------------


def session_data(event, minutes_from_start=60, minutes=45, **fields):
    start = event.start_at + datetime.timedelta(minutes=minutes_from_start)
    return {
        "title": "Campaign messages",
        "kind": "co_creation",
        "start_at": start,
        "end_at": start + datetime.timedelta(minutes=minutes),
        **fields,
    }


def test_a_session_with_speakers_is_added_to_the_agenda(secretariat, user):
    event = make_event()

    session = services.session_save(
        actor=secretariat,
        event=event,
        data=session_data(
            event,
            speakers=[
                {"user": user, "name": "", "organization": "City of Bilbao"},
                {"user": None, "name": "Ana Pérez", "organization": "AICCRE"},
                {"user": None, "name": "", "organization": "ignored"},
            ],
        ),
    )

    speakers = list(session.speakers.all())
    assert [s.user for s in speakers] == [user, None]
    assert speakers[1].name == "Ana Pérez"


def test_a_session_ending_before_it_starts_is_refused(secretariat):
    event = make_event()
    data = session_data(event)
    data["end_at"] = data["start_at"] - datetime.timedelta(minutes=5)

    with pytest.raises(ValidationError) as error:
        services.session_save(actor=secretariat, event=event, data=data)

    assert "end_at" in error.value.message_dict
    assert not Session.objects.exists()


@pytest.mark.parametrize("minutes_from_start", [-30, 60 * 48 - 20])
def test_a_session_outside_the_event_is_refused(secretariat, minutes_from_start):
    event = make_event()

    with pytest.raises(ValidationError) as error:
        services.session_save(
            actor=secretariat, event=event, data=session_data(event, minutes_from_start)
        )

    assert "between the start and the end of the event" in error.value.message_dict["start_at"][0]
    assert "Europe/Madrid" in error.value.message_dict["start_at"][0]
    assert not Session.objects.exists()


def test_a_session_change_by_someone_else_is_refused(other_user):
    event = make_event()
    session = make_session(event, title="Welcome")

    with pytest.raises(PermissionDenied):
        services.session_save(
            actor=other_user, event=event, session=session, data={"title": "Hijacked"}
        )
    with pytest.raises(PermissionDenied):
        services.session_delete(actor=other_user, session=session)

    session.refresh_from_db()
    assert session.title == "Welcome"


# Summary and feedback --------------------------------------------------------------------------


def test_only_organizers_and_rapporteurs_publish_the_summary(secretariat, user, other_user):
    event = make_event()
    rapporteur = make_session(event, kind="rapporteur", title="Rapporteur")
    Speaker.objects.create(session=rapporteur, user=user)

    with pytest.raises(PermissionDenied):
        services.summary_publish(actor=other_user, event=event, summary="<p>Nothing</p>")
    event.refresh_from_db()
    assert event.summary == ""

    services.summary_publish(
        actor=user,
        event=event,
        summary="<p>Cities ask for <script>x()</script>data</p>",
        guidelines="<ul><li>Share data</li></ul>",
    )
    event.refresh_from_db()
    assert event.summary_published_at is not None
    assert "<script>" not in event.summary
    assert "Share data" in event.guidelines


def test_an_empty_summary_is_refused(secretariat):
    event = make_event()
    with pytest.raises(ValidationError):
        services.summary_publish(actor=secretariat, event=event, summary="  ")
    event.refresh_from_db()
    assert event.summary_published_at is None


def test_the_feedback_survey_goes_once_to_participants_after_the_end(secretariat):
    start = timezone.now() - datetime.timedelta(days=3)
    event = make_event(start_at=start)
    participant, declined = UserFactory(), UserFactory()
    make_registration(event, participant)
    make_registration(event, declined, status="declined")

    with pytest.raises(ValidationError):
        services.feedback_survey_send(actor=secretariat, event=event, now=start)
    event.refresh_from_db()
    assert event.feedback_survey is None

    survey = services.feedback_survey_send(actor=secretariat, event=event)

    event.refresh_from_db()
    assert event.feedback_survey == survey
    survey.refresh_from_db()
    assert survey.published
    assert list(survey.audience_people.all()) == [participant]
    assert Notification.objects.filter(recipient=participant).exists()
    assert not Notification.objects.filter(recipient=declined).exists()

    with pytest.raises(ValidationError, match="already been sent"):
        services.feedback_survey_send(actor=secretariat, event=event)
