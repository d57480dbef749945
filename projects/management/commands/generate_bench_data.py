import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from projects.demo.bench import BenchDataError, BenchDataGenerator
from projects.signals import everything_changed


class Command(BaseCommand):
    help = (
        "Add a large generated data set for benchmarks on top of the demo (run load_demo first): "
        "by default the 10 years 2011–2020 with 999 items each, their progress updates "
        "(0–6 an item) and the demo's photos reused. Years that exist are left as they are, "
        "so running it again adds nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--years", type=int, default=10, help="How many years (default 10).")
        parser.add_argument(
            "--items-per-year",
            type=int,
            default=999,
            help="Items in each year, 1–999 (an item's number is at most 999). Default 999.",
        )
        parser.add_argument(
            "--last-year",
            type=int,
            default=2020,
            help="The latest generated year (default 2020, the year before the demo's first).",
        )
        parser.add_argument("--seed", type=int, default=10)

    def handle(self, *args, years, items_per_year, last_year, seed, **options):
        if not settings.PORTAL_ALLOW_DEMO_DATA:
            raise CommandError("Benchmark data is never generated with production settings.")
        if years < 1 or last_year - years + 1 < 2000:
            raise CommandError("--years must be at least 1 and the first year 2000 or later.")
        started = time.monotonic()
        try:
            generator = BenchDataGenerator(
                years=years,
                items_per_year=items_per_year,
                last_year=last_year,
                seed=seed,
                log=self.stdout.write,
            )
            built = generator.run()
        except BenchDataError as error:
            raise CommandError(str(error)) from error
        seconds = time.monotonic() - started
        # Rows went in without publishing: no page would know otherwise.
        everything_changed.send(sender=None)
        if not built.years:
            self.stdout.write("Every requested year already exists; nothing generated.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {built.items} items, {built.updates} progress updates and "
                f"{built.photos} photo links in {len(built.years)} years in {seconds:.0f} s."
            )
        )
