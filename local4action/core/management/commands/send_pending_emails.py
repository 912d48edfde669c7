"""Send the notification emails that could not be sent (the mail server or the task queue was
down). Safe to run often, e.g. every ten minutes from cron: each email goes out once."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from local4action.core.services import pending_emails_send


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than-minutes",
            type=int,
            default=5,
            help="leave the newest ones to the task queue [5]",
        )

    def handle(self, *args, older_than_minutes, **options):
        sent, failed = pending_emails_send(
            older_than=datetime.timedelta(minutes=older_than_minutes)
        )
        self.stdout.write(f"{sent} email(s) sent, {failed} still pending.")
        if failed:
            raise CommandError(f"{failed} email(s) could not be sent; they stay pending.")
