import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from local4action.portal import scale


class Command(BaseCommand):
    help = (
        "Fill an empty database with realistic volumes for load benchmarks: N initiatives and, "
        "in proportion, organizations, indicators and measurements, events and registrations, "
        "surveys and responses, exchange threads and posts, and a work plan. Bulk inserts only."
    )

    def add_arguments(self, parser):
        parser.add_argument("--initiatives", type=int, default=100_000)
        parser.add_argument("--seed", type=int, default=2030)
        parser.add_argument("--batch", type=int, default=2000, help="rows per insert")
        parser.add_argument(
            "--copy",
            action="store_true",
            help="PostgreSQL only: write the measurements (the largest table) with COPY "
            "instead of bulk_create, about ten times faster",
        )

    def handle(self, *args, **options):
        if options["initiatives"] < 1 or options["batch"] < 1:
            raise CommandError("--initiatives and --batch must be at least 1.")
        if options["copy"] and connection.vendor != "postgresql":
            raise CommandError("--copy needs PostgreSQL; this database is " + connection.vendor)
        started = time.perf_counter()
        try:
            counts = scale.seed_scale(
                initiatives=options["initiatives"],
                seed=options["seed"],
                batch=options["batch"],
                progress=options["verbosity"] > 0,
                copy=options["copy"],
            )
        except (scale.DatabaseNotEmpty, scale.SampleMismatch) as error:
            raise CommandError(str(error)) from error
        seconds = time.perf_counter() - started
        line = " ".join(f"{name}={value}" for name, value in counts.items())
        self.stdout.write(f"{line} seconds={seconds:.1f}")
