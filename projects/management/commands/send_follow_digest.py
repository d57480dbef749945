"""Daily: one e-mail to each confirmed follower with news (run from cron, on one node).

Erases addresses never confirmed within FOLLOW_CONFIRM_DAYS, then queues one digest task per
address with updates published since its last digest; the background worker sends them. An
address gets at most one digest in FOLLOW_DIGEST_MIN_HOURS however often this runs, so a
second run, or a run on a second node, sends nothing twice.
"""

from django.core.management.base import BaseCommand

from projects.follow.mailing import due_subscribers, send_digest
from projects.follow.subscription import erase_unconfirmed
from projects.mail import enqueue_on_commit


class Command(BaseCommand):
    help = "Queue the daily e-mail to residents who follow items, districts or categories."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count; send nothing.")

    def handle(self, *args, dry_run, **options):
        if dry_run:
            self.stdout.write(f"[dry run] {len(due_subscribers())} digest(s) would be queued.")
            return
        erased = erase_unconfirmed()
        due = due_subscribers()
        for subscriber_id in due:
            enqueue_on_commit(send_digest, subscriber_id)
        self.stdout.write(f"{len(due)} digest(s) queued; {erased} unconfirmed address(es) erased.")
