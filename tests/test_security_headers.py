"""Every public page carries the security headers a review expects, and `check --deploy` under
the production settings with the README's production variables reports nothing."""

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from django.core.cache import cache
from django.test import TestCase, override_settings

from portal.setup import ensure_home_page
from projects.factories import ProjectIndexPageFactory, ProjectPageFactory

ROOT = Path(__file__).resolve().parent.parent
PUBLIC_PATHS = [
    "/",
    "/2022/",
    "/2022/?page=2",
    "/2022/1/",
    "/map/",
    "/search/?q=学校",
    "/sitemap.xml",
    "/feedback/form-tokens/",
    "/no-such-page/",
]
EXPECTED = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


class PublicPageHeadersTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        home = ensure_home_page()
        year = ProjectIndexPageFactory(parent=home, year=2022, status_date=date(2022, 10, 31))
        for number in range(1, 30):
            ProjectPageFactory(parent=year, number=number, title=f"第{number}项 学校建设")

    def setUp(self):
        cache.clear()

    def assert_secure_headers(self, response, path):
        for name, value in EXPECTED.items():
            self.assertEqual(response.get(name), value, f"{name} on {path}")
        policy = response.get("Permissions-Policy", "")
        for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
            self.assertIn(f"{feature}=()", policy, path)

    def test_every_public_page_carries_the_headers(self):
        for path in PUBLIC_PATHS:
            response = self.client.get(path)
            self.assertIn(response.status_code, (200, 404), path)
            self.assert_secure_headers(response, path)

    @override_settings(PAGE_CACHE_SECONDS=3600)
    def test_pages_from_the_page_cache_carry_them_too(self):
        for path in ("/", "/2022/", "/2022/1/"):
            self.client.get(path)
            response = self.client.get(path)
            self.assertEqual(response.get("X-Page-Cache"), "hit", path)
            self.assert_secure_headers(response, path)

    def test_static_files_are_not_sniffed(self):
        # WhiteNoise answers before XFrameOptionsMiddleware: no frame header on a stylesheet,
        # which is never framed as a document anyway.
        response = self.client.get("/static/css/site.css")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.assertIn("camera=()", response["Permissions-Policy"])

    def test_the_public_site_creates_no_session(self):
        # The page cache serves only visitors without a session: residents never get one.
        # (The feedback form's token endpoint sets the CSRF cookie, on purpose.)
        for path in PUBLIC_PATHS:
            cookies = self.client.get(path).cookies
            self.assertNotIn("sessionid", cookies, path)
            if not path.startswith("/feedback/"):
                self.assertEqual(dict(cookies), {}, path)


# The production variables the README names (Production, Configuration): the three the settings
# require, plus Redis, the public address and the trusted origin. Nothing else is set.
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "portal.settings.production",
    "SECRET_KEY": "k3Y-" + "x9Qz" * 15,
    "ALLOWED_HOSTS": "minsheng.example.cn",
    "DATABASE_URL": "sqlite:////tmp/portal-deploy-check.sqlite3",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "BASE_URL": "https://minsheng.example.cn",
    "CSRF_TRUSTED_ORIGINS": "https://minsheng.example.cn",
}


def test_check_deploy_under_production_settings_reports_nothing():
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SECURE_", "SECRET_", "DATABASE_", "REDIS_", "DJANGO_"))
    }
    environment.update(PRODUCTION_ENV)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout, result.stdout + result.stderr


def test_wagtails_preview_may_still_be_framed_by_the_admin(client, django_user_model, db):
    """X-Frame-Options is DENY everywhere but on Wagtail's preview, which the editor's side
    panel frames from the same origin."""
    home = ensure_home_page()
    admin = django_user_model.objects.create_superuser("chief", "chief@example.cn", "pw")
    client.force_login(admin)
    preview = client.get(f"/admin/pages/{home.pk}/edit/preview/")
    assert preview.status_code == 200
    assert preview["X-Frame-Options"] == "SAMEORIGIN"
    assert client.get(f"/admin/pages/{home.pk}/edit/")["X-Frame-Options"] == "DENY"
