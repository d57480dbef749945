"""Restore a backup set written by `backup_portal`: the database, media and private photos.

Stop the app servers first. The database is replaced as a whole; media files and private
photos in the set are put back (replacing files of the same name), files added since are kept.
"""

import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from portal import backup


class Command(BaseCommand):
    help = "Restore the latest (or the named) backup set: database, media and private photos."

    def add_arguments(self, parser):
        parser.add_argument("--set", dest="set_name", help="The set's name (default: the latest).")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )

    def handle(self, *args, set_name, interactive, **options):
        names = backup.set_names()
        if not names:
            raise CommandError(f"No backup sets in {getattr(backup.storage(), 'location', '')}.")
        name = set_name or names[-1]
        try:
            manifest = backup.check_set(name)
        except backup.IncompleteSet as error:
            others = ", ".join(other for other in names if other != name) or "none"
            raise CommandError(
                f"{error} Nothing was restored. Other sets (use --set NAME): {others}."
            ) from error
        database = connection.settings_dict["NAME"]
        if interactive:
            answer = input(
                f"Restore backup set {name} over the database {database!r}, MEDIA_ROOT and "
                "FEEDBACK_PRIVATE_ROOT? The current database is lost. Type 'yes' to go on: "
            )
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled; nothing was changed.")
        started = time.monotonic()
        self._settle_sqlite()
        quiet = {"verbosity": 0, "quiet": True, "interactive": False}
        call_command(
            "dbrestore", input_filename=f"{name}/{backup.DATABASE}", uncompress=True, **quiet
        )
        call_command(
            "mediarestore",
            input_filename=f"{name}/{backup.MEDIA}",
            uncompress=True,
            replace=True,
            **quiet,
        )
        private = backup.restore_private_archive(f"{name}/{backup.PRIVATE}")
        files = manifest["files"]
        self.stdout.write(
            f"Restored backup set {name}: database {database!r} "
            f"({files[backup.DATABASE]['size']} bytes compressed), media, "
            f"{private} private photo file(s). Done in {time.monotonic() - started:.1f} s."
        )

    def _settle_sqlite(self):
        """dbbackup restores SQLite by writing the file over; empty the write-ahead log first so
        no page of the old database is replayed onto the restored one."""
        if connection.vendor != "sqlite":
            return
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.close()
