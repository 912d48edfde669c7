"""Who a survey asks, invitations once per person in their language, and reminders only to
people who have not answered, without revealing who answered an anonymous survey."""

import datetime
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone, translation

from local4action.accounts.tests.factories import (
    MembershipFactory,
    OrganizationFactory,
    UserFactory,
)
from local4action.core.models import Notification, RegionalSection
from local4action.core.selectors import notification_render
from local4action.monitoring.tests.factories import make_hub
from local4action.surveys import permissions, services
from local4action.surveys.audience import audience_people
from local4action.surveys.models import Response, SurveyInvitation
from local4action.surveys.tests.factories import make_question, make_survey


@pytest.fixture
def network(db):
    """Two approved organizations in two sections, a pending one, and a requested member."""
    africa = RegionalSection.objects.get(slug="africa")
    europe = RegionalSection.objects.get(slug="europe")
    city = OrganizationFactory(regional_section=africa)
    region = OrganizationFactory(kind="regional_government", regional_section=europe)
    pending = OrganizationFactory(status="pending", regional_section=africa)
    people = {
        "city_admin": MembershipFactory(organization=city, role="admin").user,
        "city_editor": MembershipFactory(organization=city, role="editor").user,
        "city_member": MembershipFactory(organization=city, role="member").user,
        "region_admin": MembershipFactory(organization=region, role="admin").user,
        "pending_admin": MembershipFactory(organization=pending, role="admin").user,
        "requested": MembershipFactory(organization=city, status="requested").user,
        "outsider": UserFactory(),
    }
    left = MembershipFactory(organization=city, role="member").user
    left.is_active = False
    left.save()
    return people, city, region, africa


def names(survey, people):
    found = set(audience_people(survey))
    return {name for name, user in people.items() if user in found}


def test_members_are_active_people_of_approved_organizations(network):
    people, *_ = network
    survey = make_survey(audience="members")
    assert names(survey, people) == {"city_admin", "city_editor", "city_member", "region_admin"}


def test_audiences_by_kind_section_and_list(network):
    people, _city, _region, africa = network
    by_kind = make_survey(audience="kinds", audience_kinds=["regional_government"])
    assert names(by_kind, people) == {"region_admin"}
    by_section = make_survey(audience="sections")
    by_section.audience_sections.set([africa])
    assert names(by_section, people) == {"city_admin", "city_editor", "city_member"}
    listed = make_survey(audience="people")
    listed.audience_people.set([people["outsider"], people["city_member"]])
    assert names(listed, people) == {"outsider", "city_member"}
    assert names(make_survey(audience="public"), people) == set()


def test_hub_teams_are_the_people_of_labelled_and_accompanied_initiatives(network):
    people, *_ = network
    hub, hub_editor = make_hub()
    _accompanied, accompanied_editor = make_hub(status="accompanied")
    _declined, declined_editor = make_hub(status="declined")
    found = set(audience_people(make_survey(audience="hub_teams")))
    assert {hub_editor, accompanied_editor} <= found
    assert declined_editor not in found and people["city_admin"] not in found


def test_an_organization_wide_survey_asks_its_admins_and_editors(network):
    people, *_ = network
    survey = make_survey(audience="members", one_per="organization")
    assert names(survey, people) == {"city_admin", "city_editor", "region_admin"}


@pytest.mark.parametrize("audience", ["members", "kinds", "sections", "people", "hub_teams"])
def test_everyone_invited_may_answer(network, audience):
    people, _city, _region, africa = network
    make_hub()
    survey = make_survey(audience=audience, audience_kinds=["local_government"])
    survey.audience_sections.set([africa])
    survey.audience_people.set([people["outsider"]])
    invited = list(audience_people(survey))
    assert invited and all(permissions.in_audience(user, survey) for user in invited)


@pytest.fixture
def languages(db):
    people = [
        MembershipFactory(user=UserFactory(language=language)).user
        for language in ("en", "fr", "es")
    ]
    survey = make_survey(audience="members")
    make_question(survey, key="city")
    return survey, people


def test_an_invitation_goes_once_to_each_person_in_their_language(secretariat, languages):
    survey, people = languages
    assert services.survey_invite(actor=secretariat, survey=survey) == 3
    assert services.survey_invite(actor=secretariat, survey=survey) == 0
    notes = Notification.objects.filter(kind="survey_invitation")
    assert sorted(n.recipient_id for n in notes) == sorted(p.pk for p in people)
    for person in people:
        note = notes.get(recipient=person)
        with translation.override(person.language):
            subject, body = notification_render(notification=note)
        title = survey.title[person.language]
        assert title in subject and title in body
        assert note.url == survey.get_absolute_url()
    latecomer = MembershipFactory(user=UserFactory(language="fr")).user
    assert services.survey_invite(actor=secretariat, survey=survey) == 1
    assert notes.filter(recipient=latecomer).count() == 1


def test_invitations_need_a_published_survey_and_the_secretariat(secretariat, languages):
    survey, people = languages
    with pytest.raises(PermissionDenied):
        services.survey_invite(actor=people[0], survey=survey)
    survey.published = False
    survey.save()
    with pytest.raises(ValidationError):
        services.survey_invite(actor=secretariat, survey=survey)
    assert not Notification.objects.exists() and not SurveyInvitation.objects.exists()


def test_a_public_survey_invites_nobody(secretariat, languages):
    survey, _people = languages
    survey.audience = "public"
    survey.save()
    assert services.survey_invite(actor=secretariat, survey=survey) == 0
    assert not Notification.objects.exists()


def closing_soon(**fields):
    now = timezone.now()
    survey = make_survey(closes_at=now + datetime.timedelta(days=2), **fields)
    make_question(survey, key="city")
    return survey


def submit(survey, user):
    response = services.response_start(survey=survey, user=user)
    return services.response_submit(response=response)


@pytest.fixture
def three_members(db):
    return [MembershipFactory().user for _ in range(3)]


def test_reminders_go_once_to_people_who_have_not_submitted(three_members):
    answered, started, silent = three_members
    survey = closing_soon()
    submit(survey, answered)
    services.response_start(survey=survey, user=started)
    assert services.survey_reminders_send() == 2
    assert services.survey_reminders_send() == 0
    reminded = set(
        Notification.objects.filter(kind="survey_reminder").values_list("recipient", flat=True)
    )
    assert reminded == {started.pk, silent.pk}


def test_only_surveys_closing_within_three_days_are_reminded(three_members):
    now = timezone.now()
    make_survey(closes_at=now + datetime.timedelta(days=5))
    make_survey(closes_at=now + datetime.timedelta(days=1), published=False)
    make_survey(
        opens_at=now - datetime.timedelta(days=9), closes_at=now - datetime.timedelta(days=1)
    )
    closing_soon(audience="public")
    assert services.survey_reminders_send() == 0
    assert not Notification.objects.exists()
    later = now + datetime.timedelta(days=3)
    assert services.survey_reminders_send(now=later) == 3


def test_an_organization_that_answered_is_not_reminded(organization, org_admin, org_editor):
    other_admin = MembershipFactory(role="admin").user
    survey = closing_soon(one_per="organization")
    submit(survey, org_admin)
    services.survey_reminders_send()
    reminded = set(
        Notification.objects.filter(kind="survey_reminder").values_list("recipient", flat=True)
    )
    assert reminded == {other_admin.pk}


def test_anonymous_reminders_neither_reveal_nor_store_who_answered(three_members):
    answered, started, silent = three_members
    survey = closing_soon(anonymous=True)
    submit(survey, answered)
    services.response_start(survey=survey, user=started)
    assert services.survey_reminders_send() == 2
    assert services.survey_reminders_send() == 0
    reminded = set(
        Notification.objects.filter(kind="survey_reminder").values_list("recipient", flat=True)
    )
    assert reminded == {started.pk, silent.pk}
    # The stored reminder rows name everyone asked, answered or not.
    handled = set(SurveyInvitation.objects.filter(survey=survey).values_list("user", flat=True))
    assert handled == {answered.pk, started.pk, silent.pk}
    # Responses keep no trace of who gave them, and notifications no trace of the answers.
    for response in Response.objects.filter(survey=survey):
        assert response.respondent_id is None
        assert response.uniqueness_key.startswith("h:")
        assert all(str(p.pk) not in response.uniqueness_key.split(":")[0] for p in three_members)
    for note in Notification.objects.all():
        assert set(note.context) == {"survey", "opens", "closes"}


def test_the_daily_command_sends_the_reminders(three_members):
    closing_soon()
    out = StringIO()
    call_command("send_survey_reminders", stdout=out)
    assert "3 survey reminder(s) sent." in out.getvalue()
    call_command("send_survey_reminders", stdout=out)
    assert "0 survey reminder(s) sent." in out.getvalue()
