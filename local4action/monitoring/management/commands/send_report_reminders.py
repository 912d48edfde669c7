"""Remind teams of their progress reports. Meant to run once a day (cron, a scheduler): each
reminder goes once, however often the command runs."""

from django.core.management.base import BaseCommand

from local4action.core.management.options import day_option
from local4action.monitoring.services import reminders_send


class Command(BaseCommand):
    help = (
        "Remind teams of draft progress reports a week before they are due, the day after and "
        "two weeks after. Safe to run more than once a day."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            help="Act as if today were this day (YYYY-MM-DD), to test or to catch up.",
        )

    def handle(self, *args, **options):
        today = day_option(options)
        sent = reminders_send(today=today)
        self.stdout.write(f"{sent} report reminder(s) sent.")
