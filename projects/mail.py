"""E-mail leaves the request: every message the site sends goes through the "background"
task backend (settings.TASKS), worked by `manage.py db_worker --backend background` in
production, and is enqueued only once the transaction that caused it has committed, so a
rolled-back change never mails anyone.

Only staff e-mail goes through `send_email` with its addresses as arguments (the queue keeps a
task's arguments until `prune_db_task_results`); residents' e-mail is rendered by the feature's
own task from an id (projects.follow.mailing), so a queue row never holds a resident's address.
"""

from functools import partial

from django.core.mail import EmailMessage
from django.db import transaction
from django_tasks import task

BACKGROUND = "background"


@task(backend=BACKGROUND)
def send_email(subject, body, recipients, from_email=None, headers=None):
    """Send one plain-text message; returns how many were sent (0 or 1)."""
    message = EmailMessage(subject, body, from_email, list(recipients), headers=headers or {})
    return message.send()


def enqueue_on_commit(background_task, *args, **kwargs):
    """Enqueue `background_task` after the current transaction commits (at once outside one)."""
    transaction.on_commit(partial(background_task.enqueue, *args, **kwargs))


def send_later(subject, body, recipients, *, from_email=None, headers=None):
    """`send_mail` from the background worker, after the commit."""
    enqueue_on_commit(
        send_email, subject, body, list(recipients), from_email=from_email, headers=headers
    )
