"""Remind owners of work plan actions left without update. Meant to run once a day (cron, a
scheduler): each action is reminded at most once per period, however often it runs."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from local4action.core.management.options import day_option
from local4action.workplan.services import remind_stale_owners


class Command(BaseCommand):
    help = (
        "Remind the owners of open work plan actions that have had no update for 90 days. "
        "Safe to run more than once a day."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=90, help="Days without update before a reminder."
        )
        parser.add_argument(
            "--date",
            help="Act as if today were this day (YYYY-MM-DD), to test or to catch up.",
        )

    def handle(self, *args, **options):
        if options["days"] < 1:
            raise CommandError("--days must be at least 1.")
        now = None
        day = day_option(options)
        if day is not None:
            now = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
        notified = remind_stale_owners(now=now, days=options["days"])
        self.stdout.write(f"{notified} owner(s) reminded.")
