from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from projects.editorial.digest import department_digests, send_digest
from projects.models import ProjectIndexPage


class Command(BaseCommand):
    help = (
        "Email each department's editors a digest of their items behind schedule and without "
        "a recent update (PORTAL_STALE_DAYS). Run monthly from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="The list's year (default: this year's).")
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be sent; send nothing."
        )

    def handle(self, *args, **options):
        today = timezone.localdate()
        year = options["year"] or today.year
        year_page = ProjectIndexPage.objects.filter(year=year).first()
        if year_page is None:
            raise CommandError(f"There is no year page for {year}.")
        digests = department_digests(year_page, today=today)
        for department, recipients, behind, stale, report in digests:
            line = (
                f"{department.name}: {len(behind)} behind, {len(stale)} stale → "
                f"{', '.join(recipients)}"
            )
            if options["dry_run"]:
                self.stdout.write(f"[dry run] {line}")
            else:
                send_digest(department, recipients, behind, stale, report)
                self.stdout.write(line)
        self.stdout.write(f"{len(digests)} department digest(s).")
