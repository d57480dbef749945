from django.core.management.base import BaseCommand

from projects.models import ProjectIndexPage, ProjectPage
from projects.signals import everything_changed


class Command(BaseCommand):
    help = (
        "Recompute every item's progress, status and supervision colour, as of its year's data "
        "date (the later of the year's set date and its latest published update; today when "
        "neither). Publishing an update or a year keeps them current; run this daily (cron) "
        "for years without either, and after changing the lag thresholds."
    )

    def handle(self, *args, **options):
        count = 0
        for year_page in ProjectIndexPage.objects.all():
            year_page.refresh_items()
            count += ProjectPage.objects.child_of(year_page).count()
        everything_changed.send(sender=None)  # colours and "days late" show on every page
        self.stdout.write(f"Refreshed {count} items.")
