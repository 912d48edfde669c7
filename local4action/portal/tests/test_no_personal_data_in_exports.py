"""Personal data never appears in public exports: the open data files, the IATI export and the
API's public lists, as an anonymous visitor sees them."""

import datetime

from django.utils import timezone

from local4action.accounts.models import User
from local4action.accounts.tests.factories import MembershipFactory, UserFactory
from local4action.core.models import Goal
from local4action.events.tests.factories import make_event, make_registration, make_session
from local4action.exchange.models import Post, Thread
from local4action.monitoring.tests.factories import make_hub, make_indicator
from local4action.network.models import ExchangeItem
from local4action.surveys.models import Answer, Response
from local4action.surveys.tests.factories import make_question, make_survey

PUBLIC_URLS = (
    "/data/",
    "/data/initiatives.csv",
    "/data/initiatives.json",
    "/data/initiatives.geojson",
    "/data/iati-activities.xml",
    "/api/v1/organizations",
    "/api/v1/initiatives",
    "/api/v1/calls",
    "/api/v1/surveys",
    "/api/v1/events",
    "/api/v1/threads",
    "/api/v1/workplans",
    "/api/v1/resources",
    "/api/v1/collections",
)


def _fill_personal_data():
    hub, editor = make_hub(title="Participation for all")
    organization = hub.lead_organization
    person = UserFactory(name="Zebulon Quattlebaum", email="zebulon.q@cityhall.example")
    MembershipFactory(user=person, organization=organization)
    hub.created_by = person
    hub.save(update_fields=["created_by"])
    make_indicator(hub, editor)
    ExchangeItem.objects.create(
        initiative=hub, side="offer", category="training", title="Training", created_by=person
    )
    start = timezone.now() - datetime.timedelta(days=3)
    event = make_event(start_at=start, created_by=person)
    # Speakers are left out: their names are public in an event's programme, by design.
    make_session(event)
    make_registration(event, person, answers={"role": "Mayor", "dietary": "vegan"})
    survey = make_survey(results_public=True)
    question = make_question(survey)
    response = Response.objects.create(
        survey=survey,
        respondent=person,
        uniqueness_key=f"user:{person.pk}",
        status="submitted",
        submitted_at=timezone.now(),
    )
    Answer.objects.create(response=response, question=question, value="Buses", text="Buses")
    thread = Thread.objects.create(
        title="Walkable cities", goal=Goal.objects.get(number=11), author=person
    )
    Post.objects.create(thread=thread, author=person, body="<p>Hello</p>")
    return hub, event, survey


def test_public_exports_contain_no_email_address_and_no_persons_name(client, db):
    # given people with emails and names, registrations, identified survey responses
    hub, event, survey = _fill_personal_data()
    people = list(User.objects.all())
    urls = [
        *PUBLIC_URLS,
        f"/api/v1/initiatives/{hub.slug}",
        f"/api/v1/initiatives/{hub.slug}/monitoring",
        f"/api/v1/initiatives/{hub.slug}/deliverables",
        f"/api/v1/initiatives/{hub.slug}/indicators",
        f"/api/v1/initiatives/{hub.slug}/reports",
        f"/api/v1/initiatives/{hub.slug}/related",
        f"/api/v1/initiatives/{hub.slug}/connections",
        f"/api/v1/organizations/{hub.lead_organization.slug}",
        f"/api/v1/surveys/{survey.slug}",
        f"/api/v1/surveys/{survey.slug}/results",
        f"/api/v1/events/{event.slug}",
        f"/api/v1/events/{event.slug}/sessions",
    ]

    # when an anonymous visitor fetches every public export
    fetched = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 401, 403, 404), url
        fetched[url] = (
            b"".join(response.streaming_content) if response.streaming else response.content
        ).decode()

    # then none of them holds an email address or a person's name
    assert fetched["/data/initiatives.csv"].count("\n") >= 2, "the HUB is in the export"
    assert "Participation for all" in fetched["/api/v1/initiatives"]
    for url, body in fetched.items():
        for person in people:
            assert person.email not in body, (url, person.email)
            assert person.name not in body, (url, person.name)
        assert "vegan" not in body and "Mayor" not in body, url
