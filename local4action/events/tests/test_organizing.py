"""The organizers' forms: times typed in the event's zone are stored as the right UTC instants,
a refusal by the services shows beside its field and saves nothing, and only the right people
reach the forms."""

import datetime

import pytest
from django.urls import reverse

from local4action.accounts.tests.factories import UserFactory
from local4action.core.models import Goal
from local4action.events.models import Event, Session
from local4action.events.tests.factories import make_event, make_registration, make_session

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def event_form(**fields):
    data = {
        "title": "Localizing the SDGs in Barcelona",
        "kind": "conference",
        "description": "<p>Two days.</p>",
        "time_zone": "Europe/Madrid",
        "start_at": "2031-01-14T09:00",
        "end_at": "2031-01-15T18:00",
        "city": "Barcelona",
        "country": "ES",
        "venue": "Palau de Congressos",
        "online_url": "https://meet.example.org/l4a",
        "languages": ["en", "fr", "es"],
        "visibility": "invitation",
        "capacity": "100",
        "registration_closes_at": "2031-01-07T23:59",
        "approval_required": "on",
        "questions": ["role", "dietary"],
        "sponsorship_budget": "10",
    }
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}


@pytest.mark.parametrize(
    ("start", "utc_start"),
    [
        ("2031-01-14T09:00", datetime.datetime(2031, 1, 14, 8, 0, tzinfo=UTC)),
        ("2031-07-14T09:00", datetime.datetime(2031, 7, 14, 7, 0, tzinfo=UTC)),
    ],
)
def test_the_secretariat_creates_an_event_with_madrid_times(
    client, secretariat, organization, start, utc_start
):
    client.force_login(secretariat)
    goal = Goal.objects.get(number=11)
    end = start.replace("T09:00", "T18:00").replace("-14T", "-15T")

    response = client.post(
        reverse("events:create"),
        event_form(
            start_at=start,
            end_at=end,
            registration_closes_at=None,
            organizers=[organization.pk],
            goals=[goal.pk],
        ),
    )

    event = Event.objects.get()
    assert response.status_code == 302
    assert response["Location"] == event.get_absolute_url()
    assert event.start_at == utc_start
    assert event.end_at == utc_start + datetime.timedelta(days=1, hours=9)
    assert event.time_zone == "Europe/Madrid"
    assert event.languages == ["en", "fr", "es"]
    assert event.questions == ["role", "dietary"]
    assert event.visibility == "invitation" and event.capacity == 100
    assert event.approval_required and event.sponsorship_budget == 10
    assert list(event.organizers.all()) == [organization]
    assert list(event.goals.all()) == [goal]
    assert not event.published


def test_the_registration_deadline_is_read_in_the_event_zone(client, secretariat):
    client.force_login(secretariat)
    client.post(reverse("events:create"), event_form(time_zone="America/Bogota"))
    event = Event.objects.get()
    # 09:00 in Bogotá (UTC−5) is 14:00 UTC; 23:59 on the 7th is 04:59 on the 8th in UTC.
    assert event.start_at == datetime.datetime(2031, 1, 14, 14, 0, tzinfo=UTC)
    assert event.registration_closes_at == datetime.datetime(2031, 1, 8, 4, 59, tzinfo=UTC)


def test_the_edit_form_shows_times_in_the_event_zone(client, secretariat):
    event = make_event(start_at=datetime.datetime(2031, 7, 14, 7, 0, tzinfo=UTC))
    client.force_login(secretariat)
    page = client.get(reverse("events:edit", args=[event.slug])).content.decode()
    assert 'value="2031-07-14T09:00"' in page
    assert '<option value="Europe/Madrid" selected>' in page


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"end_at": "2031-01-14T08:00"}, "end_at", "The event must end after it starts."),
        ({"languages": None}, "languages", "This field is required."),
        ({"time_zone": "Mars/Olympus"}, "time_zone", "Select a valid choice."),
        ({"capacity": "0"}, "capacity", "greater than or equal to 1"),
        ({"start_at": "2031-03-30T02:30"}, "start_at", "does not exist in Europe/Madrid"),
        (
            {"registration_closes_at": "2031-02-01T00:00"},
            "registration_closes_at",
            "Registration must close before the event ends.",
        ),
    ],
)
def test_bad_event_input_is_explained_and_nothing_is_saved(
    client, secretariat, fields, field, message
):
    client.force_login(secretariat)
    response = client.post(reverse("events:create"), event_form(**fields))
    assert response.status_code == 200
    form = response.context["form"]
    assert any(message in error for error in form.errors[field]), form.errors
    assert message.split("“")[0] in response.content.decode().replace("&#x27;", "'")
    assert not Event.objects.exists()


def test_capacity_below_the_accepted_people_is_refused_in_the_form(client, secretariat):
    event = make_event(capacity=5)
    for _ in range(3):
        make_registration(event, UserFactory())
    client.force_login(secretariat)

    response = client.post(
        reverse("events:edit", args=[event.slug]),
        event_form(
            start_at="2031-01-14T09:00",
            end_at="2031-01-15T18:00",
            registration_closes_at=None,
            capacity="2",
            title="Renamed",
        ),
    )

    assert response.status_code == 200
    assert "3 people are already accepted" in response.context["form"].errors["capacity"][0]
    event.refresh_from_db()
    assert event.capacity == 5 and event.title != "Renamed"


def test_only_the_secretariat_creates_events(client, org_admin):
    url = reverse("events:create")
    response = client.get(url)
    assert response.status_code == 302 and "/login/" in response["Location"]
    client.force_login(org_admin)
    assert client.get(url).status_code == 403
    assert client.post(url, event_form()).status_code == 403
    assert not Event.objects.exists()


def test_organizers_edit_but_others_are_refused(client, organization, org_editor, other_user):
    event = make_event(organizers=[organization])
    url = reverse("events:edit", args=[event.slug])
    client.force_login(other_user)
    assert client.get(url).status_code == 403
    client.force_login(org_editor)
    assert client.get(url).status_code == 200
    hidden = make_event(published=False)
    assert client.get(reverse("events:edit", args=[hidden.slug])).status_code == 404


def test_publishing_and_unpublishing(client, organization, org_admin, other_user):
    event = make_event(published=False, organizers=[organization])
    url = reverse("events:publish", args=[event.slug])

    client.force_login(org_admin)
    assert client.get(url).status_code == 405
    response = client.post(url, {"published": "1"}, follow=True)
    assert "The event is published." in response.content.decode()
    event.refresh_from_db()
    assert event.published

    client.force_login(other_user)
    assert client.post(url, {"published": "0"}).status_code == 403
    event.refresh_from_db()
    assert event.published


# Sessions --------------------------------------------------------------------------------------


def session_form(**fields):
    data = {
        "title": "Campaign billboards",
        "kind": "co_creation",
        "start_at": "2031-07-14T10:00",
        "end_at": "2031-07-14T10:45",
        "language": "fr",
        "interpretation": ["en", "es"],
        "streamed": "on",
        "prompt": "A billboard for your city",
        "billboards": "on",
    }
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def summer_event(organization):
    # 09:00–18:00 on 14 July 2031 in Madrid (UTC+2).
    start = datetime.datetime(2031, 7, 14, 7, 0, tzinfo=UTC)
    return make_event(
        start_at=start, end_at=start + datetime.timedelta(hours=9), organizers=[organization]
    )


def test_an_organizer_adds_a_session_with_speakers(client, summer_event, org_editor, user):
    client.force_login(org_editor)
    response = client.post(
        reverse("events:session_add", args=[summer_event.slug]),
        session_form(
            speaker_0_email=user.email.upper(),
            speaker_0_organization="City of Bilbao",
            speaker_1_name="Ana Pérez",
            speaker_1_organization="AICCRE",
        ),
    )

    assert response.status_code == 302
    session = Session.objects.get()
    assert session.start_at == datetime.datetime(2031, 7, 14, 8, 0, tzinfo=UTC)
    assert session.end_at == datetime.datetime(2031, 7, 14, 8, 45, tzinfo=UTC)
    assert (session.language, session.interpretation) == ("fr", ["en", "es"])
    assert session.streamed and session.billboards
    assert session.prompt == "A billboard for your city"
    speakers = list(session.speakers.all())
    assert [(s.user, s.name, s.organization) for s in speakers] == [
        (user, "", "City of Bilbao"),
        (None, "Ana Pérez", "AICCRE"),
    ]


def test_save_and_add_another_returns_to_an_empty_form(client, summer_event, secretariat):
    client.force_login(secretariat)
    url = reverse("events:session_add", args=[summer_event.slug])
    response = client.post(url, session_form(another="1"))
    assert response["Location"] == url
    page = client.get(url).content.decode()
    assert 'value="2031-07-14T09:00"' in page


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"end_at": "2031-07-14T09:30"}, "end_at", "A session must end after it starts."),
        (
            {"start_at": "2031-07-14T17:30", "end_at": "2031-07-14T18:30"},
            "start_at",
            "between the start and the end of the event",
        ),
        ({"speaker_0_email": "nobody@example.org"}, "speaker_0_email", "No account uses"),
        ({"speaker_2_organization": "AICCRE"}, "speaker_2_name", "Give the speaker's name"),
        ({"language": "de"}, "language", "Select a valid choice."),
        ({"title": ""}, "title", "This field is required."),
        ({"title": "t" * 201}, "title", "at most 200 characters"),
        ({"start_at": "2031-07-32T10:00"}, "start_at", "Enter a valid date/time."),
        ({"kind": "picnic"}, "kind", "Select a valid choice."),
        ({"interpretation": ["xx"]}, "interpretation", "Select a valid choice."),
    ],
)
def test_bad_session_input_is_explained_and_nothing_is_saved(
    client, summer_event, secretariat, fields, field, message
):
    client.force_login(secretariat)
    response = client.post(
        reverse("events:session_add", args=[summer_event.slug]), session_form(**fields)
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert any(message in error for error in errors[field]), errors
    assert not Session.objects.exists()


def test_an_organizer_edits_and_removes_a_session(client, summer_event, org_admin):
    session = make_session(summer_event, minutes_from_start=60, minutes=30, title="Old title")
    client.force_login(org_admin)
    edit = reverse("events:session_edit", args=[summer_event.slug, session.pk])

    page = client.get(edit).content.decode()
    assert 'value="2031-07-14T10:00"' in page and 'value="Old title"' in page

    response = client.post(
        edit,
        session_form(title="New title", start_at="2031-07-14T11:00", end_at="2031-07-14T12:00"),
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.title == "New title"
    assert session.start_at == datetime.datetime(2031, 7, 14, 9, 0, tzinfo=UTC)

    delete = reverse("events:session_delete", args=[summer_event.slug, session.pk])
    assert client.get(delete).status_code == 405
    response = client.post(delete, follow=True)
    assert "is removed from the agenda" in response.content.decode()
    assert not Session.objects.exists()


def test_people_who_do_not_organize_cannot_change_the_agenda(client, summer_event, other_user):
    session = make_session(summer_event, title="Welcome")
    client.force_login(other_user)
    slug = summer_event.slug
    assert client.get(reverse("events:session_add", args=[slug])).status_code == 403
    assert (
        client.post(reverse("events:session_add", args=[slug]), session_form()).status_code == 403
    )
    assert (
        client.post(reverse("events:session_edit", args=[slug, session.pk]), session_form())
    ).status_code == 403
    assert client.post(reverse("events:session_delete", args=[slug, session.pk])).status_code == 403
    session.refresh_from_db()
    assert session.title == "Welcome" and Session.objects.count() == 1


def test_a_session_of_another_event_is_not_found(client, summer_event, secretariat):
    other = make_event()
    session = make_session(other)
    client.force_login(secretariat)
    url = reverse("events:session_edit", args=[summer_event.slug, session.pk])
    assert client.get(url).status_code == 404
