"""Reviewers' e-mail about imports: one message per import instead of one per row.

Wagtail e-mails the reviewers each time a page enters a workflow (`task_submitted`, and
`workflow_submitted` for superusers). An import submits every row, so those handlers are
replaced (same dispatch uids, connected in `ProjectsConfig.ready`) by subclasses that, inside
`collect_submissions()`, only gather the recipients Wagtail would have chosen; the importer
then sends each of them one message naming how many items and where to review them.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import ngettext
from wagtail.admin.mail import (
    GroupApprovalTaskStateSubmissionEmailNotifier,
    WorkflowStateSubmissionEmailNotifier,
)
from wagtail.models import TaskState, WorkflowState
from wagtail.signals import task_submitted, workflow_submitted
from wagtail.users.models import UserProfile

from ..mail import send_later


@dataclass
class Submissions:
    recipients: set = field(default_factory=set)
    pages: list = field(default_factory=list)


_collecting = ContextVar("collecting_submissions", default=None)


@contextmanager
def collect_submissions():
    """Within the block, workflow submissions are gathered instead of e-mailed one by one."""
    submissions = Submissions()
    token = _collecting.set(submissions)
    try:
        yield submissions
    finally:
        _collecting.reset(token)


class CollectingMixin:
    def __call__(self, instance=None, **kwargs):
        submissions = _collecting.get()
        if submissions is None or not self.can_handle(instance, **kwargs):
            return super().__call__(instance, **kwargs)
        submissions.recipients |= set(self.get_valid_recipients(instance, **kwargs))
        state = instance if isinstance(instance, WorkflowState) else instance.workflow_state
        page = state.content_object.specific
        if page.pk not in {p.pk for p in submissions.pages}:
            submissions.pages.append(page)
        return True


class TaskSubmissionNotifier(CollectingMixin, GroupApprovalTaskStateSubmissionEmailNotifier):
    pass


class WorkflowSubmissionNotifier(CollectingMixin, WorkflowStateSubmissionEmailNotifier):
    pass


def connect_notifiers():
    """Stand in for Wagtail's submission e-mail handlers (same dispatch uids)."""
    for signal, sender, uid, notifier in (
        (
            task_submitted,
            TaskState,
            "group_approval_task_submitted_email_notification",
            TaskSubmissionNotifier(),
        ),
        (
            workflow_submitted,
            WorkflowState,
            "workflow_state_submitted_email_notification",
            WorkflowSubmissionNotifier(),
        ),
    ):
        signal.disconnect(sender=sender, dispatch_uid=uid)
        signal.connect(notifier, sender=sender, dispatch_uid=uid, weak=False)


def send_import_message(submissions, *, user, kind):
    """One e-mail to each reviewer: how many items the import submitted, and links to them."""
    if not submissions.pages:
        return
    base_url = settings.WAGTAILADMIN_BASE_URL
    pages = [
        (page, base_url + reverse("wagtailadmin_pages:edit", args=[page.pk]))
        for page in submissions.pages
    ]
    for recipient in sorted(submissions.recipients, key=lambda r: r.pk):
        language = UserProfile.get_for_user(recipient).get_preferred_language()
        with translation.override(language):
            count = len(pages)
            if kind == "items":
                subject = ngettext(
                    "An import submitted %(count)s item for your review",
                    "An import submitted %(count)s items for your review",
                    count,
                )
            else:
                subject = ngettext(
                    "An import submitted %(count)s progress update for your review",
                    "An import submitted %(count)s progress updates for your review",
                    count,
                )
            subject = subject % {"count": count}
            body = render_to_string(
                "projects/editorial/admin/import_email.txt",
                {
                    "subject": subject,
                    "importer": user.get_full_name() or user.get_username(),
                    "pages": [(page.get_admin_display_title(), url) for page, url in pages],
                    "dashboard_url": base_url + reverse("wagtailadmin_home"),
                },
            )
        send_later(f"[{settings.WAGTAIL_SITE_NAME}] {subject}", body, [recipient.email])
