"""Reminders of progress reports, sent by `manage.py send_report_reminders` once a day."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.test.signals import template_rendered
from django.utils import timezone, translation

from local4action.core.models import Notification
from local4action.core.selectors import notification_render
from local4action.monitoring import services
from local4action.monitoring.models import ProgressReport, Reminder

DUE = timezone.localdate() + datetime.timedelta(days=20)


def remind(day: datetime.date) -> str:
    out = io.StringIO()
    call_command("send_report_reminders", "--date", day.isoformat(), stdout=out)
    return out.getvalue()


def on(offset: int) -> datetime.date:
    return DUE + datetime.timedelta(days=offset)


def kinds() -> list[str]:
    return sorted(Notification.objects.values_list("kind", flat=True))


@pytest.fixture
def report(hub_and_editor, secretariat):
    """A six-monthly plan whose first report, still a draft, is due in 20 days."""
    hub, _editor = hub_and_editor
    services.plan_set(
        actor=secretariat, initiative=hub, report_every_months=6, first_report_due=DUE
    )
    return ProgressReport.objects.get(initiative=hub, due_date=DUE)


@pytest.fixture
def team(report):
    """The lead organization's admin and editor: the people reminded."""
    return set(report.initiative.lead_organization.memberships.values_list("user", flat=True))


def test_a_week_before_the_day_after_and_two_weeks_after_each_once(report, team):
    schedule = [
        (-8, None),
        (-7, "report_reminder_before"),
        (-1, None),
        (0, None),
        (1, "report_reminder_after"),
        (2, None),
        (13, None),
        (14, "report_reminder_late"),
        (15, None),
    ]
    for offset, kind in schedule:
        first, second = remind(on(offset)), remind(on(offset))

        sent = 1 if kind else 0
        assert first.strip() == f"{sent} report reminder(s) sent.", offset
        assert second.strip() == "0 report reminder(s) sent.", offset
        if kind:
            reminded = Notification.objects.filter(kind=kind)
            assert set(reminded.values_list("recipient", flat=True)) == team
            assert reminded.count() == len(team)
            assert {n.url for n in reminded} == {report.get_absolute_url()}
            assert reminded.first().context == {
                "initiative": report.initiative.title,
                "due": DUE.isoformat(),
            }

    assert set(Reminder.objects.values_list("kind", flat=True)) == {"before", "after", "late"}
    assert Reminder.objects.filter(report=report).count() == 3
    assert kinds() == sorted(
        [f"report_reminder_{k}" for k in ("before", "after", "late") for _ in team]
    )


def test_a_submitted_report_is_not_reminded(report, hub_and_editor):
    hub, editor = hub_and_editor
    services.report_save(
        actor=editor,
        report=report,
        data={"narrative": "Done.", "acceleration": "Faster.", "synchronization": "With Bilbao."},
    )
    services.report_submit(actor=editor, report=report)

    for offset in (-7, 1, 14):
        assert remind(on(offset)).startswith("0 ")

    assert not Notification.objects.filter(kind__startswith="report_reminder").exists()
    assert not Reminder.objects.exists()


@pytest.mark.parametrize("status", ["completed", "withdrawn", "declined"])
def test_an_initiative_no_longer_followed_is_not_reminded(report, status):
    type(report.initiative).objects.filter(pk=report.initiative_id).update(status=status)

    for offset in (-7, 1, 14):
        assert remind(on(offset)).startswith("0 ")

    assert not Notification.objects.exists() and not Reminder.objects.exists()


def test_the_reminder_is_written_in_the_recipients_language(
    report, hub_and_editor, django_capture_on_commit_callbacks, mailoutbox
):
    _hub, editor = hub_and_editor
    editor.language = "fr"
    editor.save(update_fields=["language"])

    with django_capture_on_commit_callbacks(execute=True):
        remind(on(-7))

    notification = Notification.objects.get(recipient=editor)
    assert notification.kind == "report_reminder_before"
    french = next(m for m in mailoutbox if m.to == [editor.email])
    used = []

    def record(sender, template, **kwargs):
        used.append(template.name)

    template_rendered.connect(record)
    try:
        with translation.override("fr"):
            subject_fr, body_fr = notification_render(notification=notification, absolute=True)
    finally:
        template_rendered.disconnect(record)
    assert used == [
        "core/notifications/report_reminder_before_subject.txt",
        "core/notifications/report_reminder_before_body.txt",
    ]
    # The email is the French rendering (its words may still be English until translated).
    assert (french.subject, french.body) == (subject_fr, body_fr)
    assert report.initiative.title in french.subject and DUE.isoformat() in french.subject
    assert report.get_absolute_url() in french.body
    with translation.override("en"):
        subject_en, _body = notification_render(notification=notification)
    assert subject_en == f"Progress report due on {DUE.isoformat()}: {report.initiative.title}"


def test_the_command_runs_for_today_without_a_date(report):
    out = io.StringIO()
    call_command("send_report_reminders", stdout=out)

    assert out.getvalue().strip() == "0 report reminder(s) sent."


def test_the_command_refuses_a_date_it_cannot_read(db):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_report_reminders", "--date", "23/11/2026")
