from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from projects.demo.loader import DEMO_USERS, DemoLoader
from projects.models import ProjectPage


class Command(BaseCommand):
    help = "Load the demo years (2021 and the 2022 list of 100 items) with generated photos."

    def add_arguments(self, parser):
        parser.add_argument(
            "--as-of",
            type=date.fromisoformat,
            default=date(2022, 10, 31),
            help="The date the 2022 figures are as of (YYYY-MM-DD). Default: 2022-10-31.",
        )
        parser.add_argument("--seed", type=int, default=2022)
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already holds items (used by `make run`).",
        )

    def handle(self, *args, as_of, seed, if_empty, **options):
        if not settings.PORTAL_ALLOW_DEMO_DATA:
            raise CommandError("Demo data is never loaded with production settings.")
        if not date(2022, 3, 1) <= as_of <= date(2022, 12, 31):
            raise CommandError("--as-of must be a date in 2022 between March and December.")
        if if_empty and ProjectPage.objects.exists():
            self.stdout.write("The database already holds items; demo data not loaded.")
        else:
            loader = DemoLoader(as_of=as_of, seed=seed, log=self.stdout.write)
            loader.run()
            self.stdout.write(
                self.style.SUCCESS(f"Demo data loaded ({loader.photo_count} photos).")
            )
        self.stdout.write("Demo accounts (password from DEMO_PASSWORD, default “minsheng2022”):")
        for username, group, _superuser, *_names in DEMO_USERS:
            self.stdout.write(f"  {username:<10} {group or 'Administrators'}")
