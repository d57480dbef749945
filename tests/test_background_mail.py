"""E-mail leaves the request (projects.mail): with the database queue, as in production, a
message is only a row until the worker runs, and `manage.py db_worker` in a process of its own
delivers it; a rolled-back change mails nobody.

The worker runs under the development settings against this test's database, with the console
e-mail backend, so what it delivers is what it prints.
"""

import os
import subprocess
import sys
from pathlib import Path

from django.core import mail
from django.db import connection, transaction
from django.test import TestCase, TransactionTestCase, override_settings
from django_tasks_db.models import DBTaskResult

from portal.settings.base import tasks_setting
from portal.setup import ensure_home_page
from projects.factories import ProjectIndexPageFactory, ProjectPageFactory
from projects.follow.mailing import send_confirmation
from projects.follow.subscription import Target, subscribe
from projects.mail import enqueue_on_commit, send_later
from tests import url_coverage

ROOT = Path(__file__).resolve().parents[1]


def database_url():
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    user = db.get("USER") or "postgres"
    return (
        f"postgres://{user}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"
    )


def run_worker():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
        "DATABASE_URL": database_url(),
        "TASKS_BACKEND": "database",
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
        "DEBUG": "false",
        "BASE_URL": "http://testserver",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--backend", "background", "--batch"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    url_coverage.record_command_run("db_worker")
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


@override_settings(TASKS=tasks_setting("database"))
class DatabaseQueueTests(TransactionTestCase):
    def test_queued_mail_waits_for_the_worker_which_delivers_it(self):
        year = ProjectIndexPageFactory(parent=ensure_home_page(), year=2022)
        item = ProjectPageFactory(parent=year, number=11, title="将军山体育公园建设")
        pending = subscribe("fan@example.cn", "zh-hans", Target("item", item, str(item.pk)))
        enqueue_on_commit(send_confirmation, pending.pk)
        send_later("Import waiting for review", "Three rows to approve.", ["reviewer@example.cn"])

        self.assertEqual(mail.outbox, [], "nothing is sent by the process that enqueued")
        self.assertEqual(
            sorted(DBTaskResult.objects.values_list("status", flat=True)), ["READY", "READY"]
        )
        stored = " ".join(str(row.args_kwargs) for row in DBTaskResult.objects.all())
        self.assertNotIn("fan@example.cn", stored, "a resident's address never enters the queue")

        delivered = run_worker()
        self.assertIn("To: fan@example.cn", delivered)
        self.assertIn(f"http://testserver/follow/confirm/{pending.token}/", delivered)
        self.assertIn("List-Unsubscribe-Post: List-Unsubscribe=One-Click", delivered)
        self.assertIn("To: reviewer@example.cn", delivered)
        self.assertIn("Three rows to approve.", delivered)
        self.assertEqual(
            sorted(DBTaskResult.objects.values_list("status", flat=True)),
            ["SUCCESSFUL", "SUCCESSFUL"],
        )
        self.assertEqual(run_worker().count("To: "), 0, "each message is delivered once")


class AfterCommitTests(TestCase):
    def test_a_rolled_back_change_mails_nobody(self):
        with self.captureOnCommitCallbacks(execute=True):
            try:
                with transaction.atomic():
                    send_later("Never sent", "Rolled back.", ["reviewer@example.cn"])
                    raise RuntimeError("the change failed")
            except RuntimeError:
                pass
            send_later("Sent", "Committed.", ["reviewer@example.cn"])
        self.assertEqual([m.subject for m in mail.outbox], ["Sent"])

    def test_an_unknown_tasks_backend_is_refused_with_the_choices(self):
        from django.core.exceptions import ImproperlyConfigured

        with self.assertRaisesMessage(ImproperlyConfigured, "database, immediate"):
            tasks_setting("celery")
