"""Restore an archive made by `manage.py backup` into the configured database and upload
folders (core.backups). Stop the site and its workers first.

    python manage.py restore ARCHIVE [--force]
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, DatabaseError

from local4action.core.backups import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup archive: checks it whole first, refuses a database or upload folder "
        "that already holds data unless --force, then compares the row counts with the backup."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="The .tar.gz archive made by `manage.py backup`.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace the data already in the database and the upload folders.",
        )
        parser.add_argument(
            "--database", default=DEFAULT_DB_ALIAS, help="The database alias to restore into."
        )

    def handle(self, *args, archive, force, database, **options):
        try:
            result = backup_restore(path=archive, force=force, using=database)
        except (BackupError, DatabaseError, OSError) as error:
            raise CommandError(f"Restore failed: {error}") from None
        manifest = result.manifest
        rows = sum(count or 0 for count in result.rows.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the backup of {manifest['created_at']}: {rows} rows in "
                f"{len(result.rows)} tables (the same counts as in the backup), "
                f"{result.files.get('media', 0)} public and "
                f"{result.files.get('private-media', 0)} private files."
            )
        )
        for note in result.notes:
            self.stdout.write(self.style.WARNING(note))
        if result.unapplied_migrations:
            self.stdout.write(
                self.style.WARNING(
                    f"The backup predates {len(result.unapplied_migrations)} migrations of this "
                    "version: run `manage.py migrate` before starting the site."
                )
            )
