from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from projects.editorial.exporters import year_csv, year_xlsx
from projects.models import ProjectIndexPage


class Command(BaseCommand):
    help = "Export a year's items with their current figures, colour and lag to XLSX or CSV."

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)
        parser.add_argument("output", help="File to write; .csv for CSV, otherwise XLSX.")

    def handle(self, *args, year, output, **options):
        year_page = ProjectIndexPage.objects.filter(year=year).first()
        if year_page is None:
            raise CommandError(f"There is no year page for {year}.")
        path = Path(output)
        data = year_csv(year_page) if path.suffix.lower() == ".csv" else year_xlsx(year_page)
        path.write_bytes(data)
        self.stdout.write(f"Wrote {path} ({len(data)} bytes).")
