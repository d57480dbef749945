from django.core.management.base import BaseCommand

from projects.models import ProjectPage


class Command(BaseCommand):
    help = (
        "Recompute every item's progress, status and supervision colour. Colours depend on "
        "the date, so run this daily (cron) while a year's list is open."
    )

    def handle(self, *args, **options):
        count = 0
        for item in ProjectPage.objects.all().iterator(chunk_size=200):
            item.refresh_progress()
            count += 1
        self.stdout.write(f"Refreshed {count} items.")
