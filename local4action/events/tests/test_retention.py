"""Retention: participants' personal answers are removed some time after the event ends."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from local4action.accounts.tests.factories import UserFactory
from local4action.events.models import Registration, SponsorshipRequest
from local4action.events.personal_data import purge_participant_data
from local4action.events.tests.factories import make_event, make_registration

pytestmark = pytest.mark.django_db


def _event_ended(days_ago):
    start = timezone.now() - datetime.timedelta(days=days_ago + 2)
    return make_event(start_at=start)  # runs two days


def test_the_command_blanks_old_answers_only_and_is_idempotent(settings, capsys):
    # given one registration in an event ended 400 days ago and one ended 10 days ago
    settings.PARTICIPANT_DATA_RETENTION_DAYS = 365
    old = make_registration(
        _event_ended(400), UserFactory(), answers={"role": "Mayor", "dietary": "vegan"}
    )
    old.checked_in_at = old.event.start_at
    old.save()
    SponsorshipRequest.objects.create(
        registration=old, travel=True, justification="I have no budget for travel."
    )
    recent = make_registration(_event_ended(10), UserFactory(), answers={"role": "Councillor"})

    # when the command runs
    call_command("purge_participant_data")
    first = capsys.readouterr().out

    # then the old answers and justification are gone, status and attendance stay
    old = Registration.objects.get(pk=old.pk)
    assert old.answers == {}
    assert old.status == "confirmed" and old.checked_in_at is not None
    sponsorship = SponsorshipRequest.objects.get(registration=old)
    assert sponsorship.justification == "" and sponsorship.travel
    sponsorship.full_clean()  # the purged record stays valid (e.g. for the admin's form)
    assert Registration.objects.get(pk=recent.pk).answers == {"role": "Councillor"}
    assert "1 registration(s)" in first and "1 sponsorship request(s)" in first

    # and a second run changes nothing
    call_command("purge_participant_data")
    assert "0 registration(s)" in capsys.readouterr().out
    assert Registration.objects.get(pk=recent.pk).answers == {"role": "Councillor"}


def test_the_retention_period_comes_from_the_setting(settings):
    registration = make_registration(_event_ended(40), UserFactory(), answers={"role": "Mayor"})

    settings.PARTICIPANT_DATA_RETENTION_DAYS = 60
    assert purge_participant_data() == {"registrations": 0, "sponsorships": 0}

    settings.PARTICIPANT_DATA_RETENTION_DAYS = 30
    assert purge_participant_data() == {"registrations": 1, "sponsorships": 0}
    registration.refresh_from_db()
    assert registration.answers == {}


def test_events_not_over_keep_their_answers(settings):
    settings.PARTICIPANT_DATA_RETENTION_DAYS = 0
    registration = make_registration(make_event(), UserFactory(), answers={"role": "Mayor"})

    purge_participant_data()

    registration.refresh_from_db()
    assert registration.answers == {"role": "Mayor"}
