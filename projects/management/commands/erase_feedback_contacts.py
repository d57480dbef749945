"""Erase residents' contact details once the retention period has passed (run daily from cron).

A message's contact (and its name, unless the resident chose to show it) is erased
`FEEDBACK_CONTACT_RETENTION_DAYS` after the message was closed (answered, rejected or marked
as spam). Each erasure is written to the audit log.
"""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db.models import Q
from django.utils import timezone

from projects.feedback.moderation import erase_contact
from projects.models import Feedback


class Command(BaseCommand):
    help = "Erase contact details of feedback closed longer ago than the retention period."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count without erasing.")

    def handle(self, *args, dry_run, **options):
        cutoff = timezone.now() - timedelta(days=settings.FEEDBACK_CONTACT_RETENTION_DAYS)
        due = Feedback.objects.filter(closed_at__lt=cutoff, contact_erased_at__isnull=True).filter(
            ~Q(contact="") | (~Q(name="") & Q(show_name=False))
        )
        if dry_run:
            self.stdout.write(f"{due.count()} message(s) would have their contact erased.")
            return
        count = 0
        for feedback in due.iterator(chunk_size=200):
            erase_contact(feedback)
            count += 1
        self.stdout.write(f"Erased the contact details of {count} message(s).")
