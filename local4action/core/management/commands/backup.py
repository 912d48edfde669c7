"""Write one archive of the database and of the uploaded files (core.backups).

python manage.py backup [--output FILE_OR_FOLDER]
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, DatabaseError
from django.template.defaultfilters import filesizeformat

from local4action.core.backups import BackupError, backup_create, default_name


class Command(BaseCommand):
    help = (
        "Back up the database and the uploaded files (public and private) into one .tar.gz "
        "archive with a manifest of row counts and checksums. Safe while the site runs."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            default=".",
            help=f"The archive, or a folder to write it in as {default_name()} (UTC time). "
            "Default: the current folder.",
        )
        parser.add_argument(
            "--database", default=DEFAULT_DB_ALIAS, help="The database alias to back up."
        )

    def handle(self, *args, output, database, **options):
        try:
            result = backup_create(path=output, using=database)
        except (BackupError, DatabaseError, OSError) as error:
            raise CommandError(f"No backup was made: {error}") from None
        manifest = result.manifest
        rows = sum(entry["rows"] for entry in manifest["row_counts"].values())
        self.stdout.write(
            self.style.SUCCESS(f"Backup written to {result.path} ({filesizeformat(result.size)}).")
        )
        self.stdout.write(
            f"Database ({manifest['database']['vendor']}): {rows} rows in "
            f"{len(manifest['row_counts'])} tables; files: {manifest['files'].get('media', 0)} "
            f"public, {manifest['files'].get('private-media', 0)} private."
        )
