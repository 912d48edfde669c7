"""Judge every followed initiative's status again and store it. Meant to run once a day (cron,
a scheduler), just after midnight: a light depends on the day (late deliverables, overdue
reports)."""

from django.core.management.base import BaseCommand

from local4action.core.management.options import day_option
from local4action.monitoring.services import statuses_refresh


class Command(BaseCommand):
    help = "Judge the status of every followed initiative as of today and store it."

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            help="Judge as if today were this day (YYYY-MM-DD), to test or to catch up.",
        )

    def handle(self, *args, **options):
        today = day_option(options)
        written = statuses_refresh(today=today)
        self.stdout.write(f"{written} monitoring status(es) refreshed.")
