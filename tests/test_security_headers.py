"""Every public page carries the security headers a review expects, its Content-Security-Policy
lets only our own files run, and `check --deploy` under the production settings with the
README's production variables reports nothing."""

import os
import re
import runpy
import subprocess
import sys
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
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

    def csp(self, response):
        """The Content-Security-Policy as {directive: [sources]}."""
        header = response.get("Content-Security-Policy", "")
        self.assertTrue(header, response.request["PATH_INFO"])
        return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}

    def test_the_public_pages_run_only_our_own_scripts(self):
        item = ProjectPageFactory._meta.model.objects.get(number=1)
        pages = [*PUBLIC_PATHS, f"/feedback/new/{item.pk}/", f"/feedback/rate/{item.pk}/"]
        for path in pages:
            response = self.client.get(path)
            self.assertIn(response.status_code, (200, 404), path)
            policy = self.csp(response)
            self.assertEqual(policy["script-src"], ["'self'"], path)
            self.assertEqual(policy["default-src"], ["'self'"], path)
            self.assertEqual(policy["object-src"], ["'none'"], path)
            self.assertEqual(policy["frame-ancestors"], ["'none'"], path)
            self.assertEqual(policy["base-uri"], ["'self'"], path)
            self.assertNotIn("'unsafe-inline'", policy["style-src"], path)
            self.assertNotIn("'unsafe-eval'", " ".join(sum(policy.values(), [])), path)
            # Map tiles from the configured tile host, images otherwise from us only.
            self.assertEqual(
                policy["img-src"], ["'self'", "data:", "https://tile.openstreetmap.org"], path
            )
            if response["Content-Type"].startswith("text/html"):
                self.assert_no_inline_script(response.content.decode(), path)

    def assert_no_inline_script(self, html, path):
        """What the policy would block, so the page has none of it: a <script> with code in it
        (JSON data blocks are never run), an on…= handler, a javascript: URL."""
        for attributes, body in re.findall(r"<script\b([^>]*)>(.*?)</script>", html, re.S | re.I):
            if "src=" in attributes:
                self.assertEqual(body.strip(), "", f"{path}: code inside <script src>")
                continue
            self.assertRegex(
                attributes, r'type="application/(ld\+)?json"', f"{path}: inline script {body[:80]}"
            )
        handler = re.search(r"<[a-z][^>]*\son[a-z]+\s*=", html, re.I)
        self.assertIsNone(handler, f"{path}: inline event handler {handler and handler.group()}")
        self.assertNotIn("javascript:", html.lower(), path)
        # Bar widths are classes now; the category colour (style-src-attr) is all that is left.
        for style in re.findall(r'\sstyle="([^"]*)"', html):
            self.assertRegex(style, r"^--cat: #[0-9a-fA-F]{3,8}$", path)

    @override_settings(PAGE_CACHE_SECONDS=3600)
    def test_cached_pages_carry_the_policy(self):
        for path in ("/", "/2022/", "/2022/1/"):
            first = self.client.get(path)
            again = self.client.get(path)
            self.assertEqual(again.get("X-Page-Cache"), "hit", path)
            self.assertEqual(
                again["Content-Security-Policy"], first["Content-Security-Policy"], path
            )
            self.assertEqual(self.csp(again)["script-src"], ["'self'"], path)

    def test_the_error_page_keeps_its_own_styles(self):
        # The 500 page carries its CSS inline (it must render when nothing else works): the
        # policy allows exactly that <style> block by its hash, nothing else inline.
        import base64
        import hashlib

        from django.template.loader import render_to_string

        html = render_to_string("500.html")
        block = re.search(r"<style>(.*?)</style>", html, re.S).group(1)
        digest = base64.b64encode(hashlib.sha256(block.encode()).digest()).decode()
        policy = self.csp(self.client.get("/"))
        self.assertIn(f"'sha256-{digest}'", policy["style-src"])

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


def csp_of(response):
    return {
        part.split()[0]: part.split()[1:]
        for part in response["Content-Security-Policy"].split(";")
        if part.strip()
    }


def test_the_admin_has_its_own_looser_policy(client, django_user_model, db):
    """Wagtail 8's admin writes inline scripts and styles: its pages (and only they) allow them;
    they are still never framed by another site."""
    sign_in = client.get("/admin/login/")
    assert sign_in.status_code == 200
    policy = csp_of(sign_in)
    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["img-src"][:3] == ["'self'", "data:", "blob:"]
    assert policy["frame-ancestors"] == ["'none'"]
    for name, value in EXPECTED.items():
        assert sign_in[name] == value, name
    assert "camera=()" in sign_in["Permissions-Policy"]
    assert csp_of(client.get("/"))["script-src"] == ["'self'"]


def test_wagtails_preview_may_still_be_framed_by_the_admin(client, django_user_model, db):
    """X-Frame-Options is DENY everywhere but on Wagtail's preview, which the editor's side
    panel frames from the same origin."""
    home = ensure_home_page()
    admin = django_user_model.objects.create_superuser("chief", "chief@example.cn", "pw")
    client.force_login(admin)
    preview = client.get(f"/admin/pages/{home.pk}/edit/preview/")
    assert preview.status_code == 200
    assert preview["X-Frame-Options"] == "SAMEORIGIN"
    assert csp_of(preview)["frame-ancestors"] == ["'self'"]
    edit = client.get(f"/admin/pages/{home.pk}/edit/")
    assert edit["X-Frame-Options"] == "DENY"
    assert csp_of(edit)["frame-ancestors"] == ["'none'"]


@pytest.mark.parametrize(
    "backend",
    [
        "django.core.cache.backends.locmem.LocMemCache",
        "django.core.cache.backends.dummy.DummyCache",
    ],
)
def test_several_processes_refuse_a_cache_of_their_own(backend):
    from portal.settings.base import require_shared_cache

    caches = {"default": {"BACKEND": backend}}
    with pytest.raises(ImproperlyConfigured, match="REDIS_URL"):
        require_shared_cache(caches, 2)
    require_shared_cache(caches, 1)  # one process: its own memory is everyone's


@pytest.mark.parametrize(
    "backend",
    [
        "django.core.cache.backends.redis.RedisCache",
        "portal.file_cache.FileCache",  # one machine's shared directory
    ],
)
def test_several_processes_may_share_redis_or_the_cache_directory(backend):
    from portal.settings.base import require_shared_cache

    require_shared_cache({"default": {"BACKEND": backend}}, 8)


def test_gunicorn_tells_the_settings_how_many_workers_serve(monkeypatch):
    """gunicorn.conf.py (read from the working directory) exports the worker count, however it
    was given, before the workers load the settings."""
    monkeypatch.delenv("SERVER_PROCESSES", raising=False)
    hooks = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    hooks["on_starting"](SimpleNamespace(cfg=SimpleNamespace(workers=3)))
    assert os.environ["SERVER_PROCESSES"] == "3"


def production_settings(**extra):
    """Import the production settings in a fresh interpreter; its stderr and exit status."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SECURE_", "SECRET_", "DATABASE_", "REDIS_", "DJANGO_"))
        and key not in ("SERVER_PROCESSES", "WEB_CONCURRENCY")
    }
    environment.update(PRODUCTION_ENV, **extra)
    return subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; settings.CACHES"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_with_several_workers_starts_on_the_shared_cache_directory():
    # `make serve` and `make bench`: two gunicorn workers, no Redis, the cache directory.
    result = production_settings(REDIS_URL="", SERVER_PROCESSES="2", WEB_CONCURRENCY="4")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    "tiles, source",
    [
        ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "https://tile.openstreetmap.org"),
        ("https://{s}.tile.example.org/{z}/{x}/{y}.png", "https://*.tile.example.org"),
        # 高德 (webrd01…04) and 天地图 (t0…t7) number their tile hosts inside the first label.
        (
            "https://webrd0{s}.is.autonavi.com/appmaptile?style=8&x={x}&y={y}&z={z}",
            "https://*.is.autonavi.com",
        ),
        ("https://t{s}.tianditu.gov.cn/vec_w/wmts?tk=KEY", "https://*.tianditu.gov.cn"),
        ("/tiles/{z}/{x}/{y}.png", None),  # our own host: 'self' covers it
    ],
)
def test_the_policy_allows_the_configured_tile_host(tiles, source):
    from portal.security_headers import source_of

    assert source_of(tiles) == source
