"""Remind people of surveys about to close. Meant to run once a day (cron, a scheduler): each
reminder goes once, however often the command runs."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from local4action.surveys.services import survey_reminders_send


class Command(BaseCommand):
    help = (
        "Remind the people asked by a survey that closes within three days and who have not "
        "answered yet. Safe to run more than once a day."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--now",
            help="Act as if it were this moment (YYYY-MM-DD or ISO date and time), to test.",
        )

    def handle(self, *args, **options):
        now = None
        if options["now"]:
            try:
                now = datetime.datetime.fromisoformat(options["now"])
            except ValueError as error:
                raise CommandError(
                    f"--now must be YYYY-MM-DD or YYYY-MM-DDTHH:MM, not {options['now']!r}."
                ) from error
            if now.tzinfo is None:
                now = now.replace(tzinfo=datetime.UTC)
        sent = survey_reminders_send(now=now)
        self.stdout.write(f"{sent} survey reminder(s) sent.")
