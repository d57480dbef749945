"""Write one backup set: database, media and residents' private photos (run nightly from cron).

See portal/backup.py for what a set holds; `restore_portal` puts it back.
"""

import time
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone

from portal import backup


class Command(BaseCommand):
    help = "Back up the database, the media and the private photos as one timestamped set."

    def handle(self, *args, **options):
        started = time.monotonic()
        name = timezone.now().strftime("%Y%m%d-%H%M%S")
        if name in backup.set_names():  # two runs in one second
            name += f"-{len(backup.set_names())}"
        quiet = {"verbosity": 0, "quiet": True}
        if isinstance(storages["default"], FileSystemStorage):
            # A fresh installation may have no uploads yet; dbbackup lists MEDIA_ROOT.
            Path(settings.MEDIA_ROOT).mkdir(parents=True, exist_ok=True)
        call_command(
            "dbbackup", compress=True, output_filename=f"{name}/{backup.DATABASE}", **quiet
        )
        call_command(
            "mediabackup", compress=True, output_filename=f"{name}/{backup.MEDIA}", **quiet
        )
        backup.write_private_archive(f"{name}/{backup.PRIVATE}")
        manifest = backup.write_manifest(name)
        location = getattr(backup.storage(), "location", "")
        self.stdout.write(f"Backup set {name} written to {location}:")
        for part, facts in manifest["files"].items():
            self.stdout.write(f"  {part}  {facts['size']} bytes  sha256 {facts['sha256']}")
        self.stdout.write(f"Done in {time.monotonic() - started:.1f} s.")
