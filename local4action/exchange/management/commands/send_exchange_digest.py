"""Run once a day (cron or the scheduler): the daily digest of the exchange space."""

from django.core.management.base import BaseCommand

from local4action.exchange import services


class Command(BaseCommand):
    help = "Email the daily digest of the discussions to the people who chose it."

    def handle(self, *args, **options):
        sent = services.digest_send()
        self.stdout.write(f"{sent} digest email(s) sent.")
