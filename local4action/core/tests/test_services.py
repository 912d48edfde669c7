import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.template import TemplateDoesNotExist

from local4action.accounts.tests.factories import OrganizationFactory, UserFactory
from local4action.core.models import AuditEvent, Notification
from local4action.core.services import audit_record, notifications_mark_read, notify
from local4action.core.tasks import send_notification_email


def test_audit_records_who_what_which_and_why(user):
    organization = OrganizationFactory()
    event = audit_record(
        actor=user,
        action="organization.approve",
        target=organization,
        changes={"status": ["pending", "approved"]},
        reason="Meets the criteria",
    )
    event.refresh_from_db()
    assert event.actor == user
    assert event.target == organization
    assert event.object_repr == organization.name
    assert event.changes == {"status": ["pending", "approved"]}
    assert event.reason == "Meets the criteria"
    assert event.created_at is not None


def test_notify_creates_one_notification_per_person_and_emails_it(
    db, django_capture_on_commit_callbacks, mailoutbox
):
    french = UserFactory(language="fr")
    english = UserFactory(language="en")
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            recipients=[french, english, french],
            kind="membership_approved",
            context={"organization": "Ville de Lyon"},
            url="/organizations/lyon/",
        )
    assert Notification.objects.count() == 2
    subjects = {m.to[0]: m.subject for m in mailoutbox}
    assert subjects[english.email] == "You have joined Ville de Lyon"
    assert subjects[french.email] == "Vous avez rejoint Ville de Lyon"
    assert "http://" in mailoutbox[0].body and "/organizations/lyon/" in mailoutbox[0].body


def test_no_email_leaves_when_the_transaction_fails(user, mailoutbox):
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(recipients=[user], kind="membership_approved", context={"organization": "X"})
        raise RuntimeError("the write failed")
    assert Notification.objects.count() == 0
    assert mailoutbox == []


def test_a_retried_email_task_sends_once(user, mailoutbox):
    [notification] = notify(
        recipients=[user], kind="membership_approved", context={"organization": "X"}, email=False
    )
    send_notification_email.call(notification.pk)
    send_notification_email.call(notification.pk)
    assert len(mailoutbox) == 1
    notification.refresh_from_db()
    assert notification.email_sent_at is not None


def test_unknown_notification_kind_fails_before_writing(user):
    with pytest.raises(TemplateDoesNotExist):
        notify(recipients=[user], kind="no_such_kind")
    assert Notification.objects.count() == 0


def test_people_mark_only_their_own_notifications_read(user, other_user):
    mine = notify(recipients=[user], kind="membership_approved", email=False)[0]
    theirs = notify(recipients=[other_user], kind="membership_approved", email=False)[0]
    assert notifications_mark_read(actor=user, ids=[mine.pk, theirs.pk]) == 1
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_anonymous_cannot_mark_notifications(db):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        notifications_mark_read(actor=AnonymousUser())


def test_audit_without_actor_is_allowed_for_setup_commands(db):
    event = audit_record(actor=None, action="setup.load")
    assert AuditEvent.objects.get(pk=event.pk).actor is None
