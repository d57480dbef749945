"""Shared plumbing of the `import_items` and `import_progress` management commands."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from ..models import ProjectIndexPage


class ImportCommand(BaseCommand):
    """Validate a spreadsheet, print every problem by row and column, and save only a clean
    file (in one transaction). `--dry-run` checks without saving."""

    validate = None  # set by subclasses: importers.validate_items / validate_progress

    def add_arguments(self, parser):
        parser.add_argument("file", help="An .xlsx or .csv file (template headers in row 1).")
        parser.add_argument("--year", type=int, required=True, help="The list's year, e.g. 2023.")
        parser.add_argument(
            "--user",
            required=True,
            help="Username recorded as the author; their department scope applies.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and save nothing."
        )
        parser.add_argument(
            "--publish",
            action="store_true",
            help="Publish at once instead of submitting for approval (needs a superuser).",
        )

    def handle(self, *args, **options):
        year_page = ProjectIndexPage.objects.filter(year=options["year"]).first()
        if year_page is None:
            raise CommandError(f"There is no year page for {options['year']}.")
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"No user {options['user']!r}.")
        if options["publish"] and not user.is_superuser:
            raise CommandError("--publish needs a superuser; others submit for approval.")
        with open(options["file"], "rb") as handle:
            report = type(self).validate(handle, year_page=year_page, user=user)
        for line in report.error_lines():
            self.stderr.write(line)
        if not report.is_clean:
            raise CommandError(
                f"{report.error_count} problem(s) in {len(report.invalid_rows)} row(s); "
                "nothing saved."
            )
        counts = report.counts()
        summary = ", ".join(f"{count} {action}" for action, count in counts.items() if count)
        if options["dry_run"]:
            self.stdout.write(f"Dry run: the file is clean ({summary}); nothing saved.")
            return
        report.save(user, publish=options["publish"])
        how = "published" if options["publish"] else "submitted for approval"
        self.stdout.write(self.style.SUCCESS(f"Saved and {how}: {summary}."))
