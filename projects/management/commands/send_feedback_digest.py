"""Email moderators one digest of new and overdue feedback (run from cron, e.g. hourly or daily).

Recipients are the active members of "Feedback moderators" with an email address, plus
`FEEDBACK_DIGEST_RECIPIENTS`. The mail lists tracking codes, items and kinds with links to
the admin; it never contains residents' contact details. Nothing is sent when there is
nothing new and nothing overdue.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from projects.mail import send_later
from projects.models import Feedback

MODERATORS_GROUP = "Feedback moderators"


def digest_recipients():
    users = (
        get_user_model()
        .objects.filter(is_active=True, groups__name=MODERATORS_GROUP)
        .exclude(email="")
    )
    emails = {user.email for user in users}
    emails.update(settings.FEEDBACK_DIGEST_RECIPIENTS)
    return sorted(emails)


class Command(BaseCommand):
    help = "Send moderators one email listing feedback received recently and overdue feedback."

    def add_arguments(self, parser):
        parser.add_argument(
            "--hours",
            type=int,
            default=settings.FEEDBACK_DIGEST_HOURS,
            help="Include messages received in the last N hours (match the cron interval).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Print instead of sending.")

    def handle(self, *args, hours, dry_run, **options):
        translation.activate(settings.LANGUAGE_CODE)
        since = timezone.now() - timedelta(hours=hours)
        new = list(
            Feedback.objects.filter(created_at__gte=since).only(
                "pk", "tracking_code", "project_title", "kind", "created_at", "reply_due"
            )
        )
        overdue = list(
            Feedback.objects.overdue().only("pk", "tracking_code", "project_title", "reply_due")
        )
        pending = Feedback.objects.filter(status="pending").count()
        if not new and not overdue:
            self.stdout.write("Nothing new or overdue; no digest sent.")
            return
        recipients = digest_recipients()
        if not recipients:
            self.stdout.write(self.style.WARNING("No recipients: add moderators with email."))
            return
        base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")

        def line(feedback):
            url = base + reverse("wagtailsnippets_projects_feedback:edit", args=[feedback.pk])
            return f"- {feedback.tracking_code} · {feedback.project_title} · {url}"

        subject = _("Feedback digest: %(new)d new, %(overdue)d overdue, %(pending)d pending") % {
            "new": len(new),
            "overdue": len(overdue),
            "pending": pending,
        }
        parts = [subject, ""]
        if overdue:
            parts += [_("Overdue (past the reply deadline):"), *map(line, overdue), ""]
        if new:
            parts += [_("New since the last digest:"), *map(line, new), ""]
        parts.append(base + reverse("wagtailsnippets_projects_feedback:list"))
        body = "\n".join(parts)
        if dry_run:
            self.stdout.write(body)
            return
        send_later(f"[{settings.WAGTAIL_SITE_NAME}] {subject}", body, recipients)
        self.stdout.write(f"Digest queued for {len(recipients)} recipient(s).")
