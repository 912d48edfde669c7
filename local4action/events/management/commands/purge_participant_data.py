from django.core.management.base import BaseCommand

from local4action.events.personal_data import purge_participant_data, retention_days


class Command(BaseCommand):
    help = (
        "Remove the personal answers and sponsorship justifications of participants in events "
        "that ended more than PARTICIPANT_DATA_RETENTION_DAYS ago. Counts stay."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Override PARTICIPANT_DATA_RETENTION_DAYS for this run.",
        )

    def handle(self, *args, days=None, **options):
        days = retention_days() if days is None else days
        done = purge_participant_data(days=days)
        self.stdout.write(
            f"Events ended more than {days} days ago: answers removed from "
            f"{done['registrations']} registration(s), justifications removed from "
            f"{done['sponsorships']} sponsorship request(s)."
        )
