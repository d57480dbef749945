"""Production settings refuse to start half-configured, and never load demo data."""

import os
import subprocess
import sys
from pathlib import Path

from django.test import SimpleTestCase

from tests.conftest import make_user

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "SECRET_KEY": "x" * 50,
    "ALLOWED_HOSTS": "minsheng.example.cn",
    "DATABASE_URL": "sqlite:////tmp/portal-production-check.sqlite3",
}


def manage(*args, **env):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in PRODUCTION_ENV and key != "DJANGO_SETTINGS_MODULE"
    }
    environment.update(DJANGO_SETTINGS_MODULE="portal.settings.production", **env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


class ProductionSettingsTests(SimpleTestCase):
    def test_each_required_variable_is_required(self):
        for missing in PRODUCTION_ENV:
            env = {key: value for key, value in PRODUCTION_ENV.items() if key != missing}
            result = manage("check", **env)
            self.assertNotEqual(result.returncode, 0, missing)
            self.assertIn(missing, result.stderr)

    def test_starts_when_configured(self):
        result = manage("check", "--deploy", "--fail-level", "ERROR", **PRODUCTION_ENV)
        self.assertEqual(result.returncode, 0, result.stderr)

    def test_load_demo_refuses(self):
        result = manage("load_demo", **PRODUCTION_ENV)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("production", result.stderr)


def test_the_admin_sends_no_staff_e_mail_hash_to_gravatar(client, db):
    user = make_user("li", superuser=True, email="li-si@zhao-qing.gov.cn")
    client.force_login(user)
    page = client.get("/admin/").content.decode()
    assert "gravatar.com" not in page
