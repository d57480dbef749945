"""Tests: fast hashing, plain static storage, uploads in a temporary folder, never `media/`."""

import tempfile

from .base import *  # noqa: F403

SECRET_KEY = "test-only-secret-key"
DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
MEDIA_ROOT = tempfile.mkdtemp(prefix="portal-test-media-")
FEEDBACK_PRIVATE_ROOT = tempfile.mkdtemp(prefix="portal-test-private-")
FEEDBACK_MIN_FILL_SECONDS = 0
# Notes the route of every request that reaches a view, so the session can list the URLs of ours
# no test touched (tests/url_coverage.py). Outermost, to see every request, whatever answers it.
MIDDLEWARE = ["tests.url_coverage.RouteRecorder", *MIDDLEWARE]  # noqa: F405
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A database file (WAL, BEGIN IMMEDIATE) as in production, not Django's shared-cache
    # in-memory default, whose table locks fail at once instead of waiting: the concurrency
    # tests (tests/feedback/test_feedback_concurrency.py) must see the real locking.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": f"{tempfile.mkdtemp(prefix='portal-test-db-')}/test.sqlite3"
    }
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Mail is sent when it is enqueued (after the commit); tests/test_background_mail.py runs the
# database queue and its worker as production does.
TASKS_BACKEND = "immediate"
TASKS = tasks_setting(TASKS_BACKEND)  # noqa: F405
if REDIS_URL:  # noqa: F405
    # The PostgreSQL CI run uses Redis as production does (its own database, emptied by .ci/run).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,  # noqa: F405
            "KEY_PREFIX": "test",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CACHES["fragments"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}  # as in base
# Tests that need the page cache switch it on (tests/test_page_cache.py); elsewhere a test that
# changes rows directly and reads the page again must see the change.
PAGE_CACHE_SECONDS = 0
FRAGMENT_CACHE_SECONDS = 0
WAGTAILADMIN_BASE_URL = "http://testserver"
# Serve static files from the source folders, as in development; no collectstatic needed.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# Two-step verification on, as in production; a session made in code (`client.force_login`)
# counts as verified, so only the tests that sign in through the pages meet the code page
# (tests/test_two_factor.py; the browser tests pass it with tests/two_factor_support.py).
SIGNIN_TWO_FACTOR = True
SIGNIN_TWO_FACTOR_TRUST_CODE_LOGINS = True
