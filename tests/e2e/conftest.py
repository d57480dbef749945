"""Browser-test fixtures: Debian's Chromium, driven by Playwright, against `live_server`.

Playwright cannot download a browser on our machines, so pytest-playwright's launch arguments are
overridden to use /usr/bin/chromium (`make ensure-browser` installs it with a CJK font). Without
it the browser tests fail under CI=true and are skipped, loudly, elsewhere. The default `page`
is a phone (`phone`); `desktop_page` is a laptop. Tests need `live_server` and the
`transactional_db` (the live server thread must see the test's data), and usually `home_page`;
each starts from the freshly migrated database (groups, Wagtail's root, site and workflow),
whatever the tests before it left behind.
"""

import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connection

from portal.setup import ensure_home_page

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Without this Chromium still looks up its vendor's hosts on a closed network.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
]
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
}
DESKTOP = {
    "viewport": {"width": 1366, "height": 900},
    "is_mobile": False,
    "has_touch": False,
    "device_scale_factor": 1,
}
TIMEOUT_MS = 15_000
SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"


@pytest.fixture(scope="session", autouse=True)
def _allow_sync_orm_beside_playwright():
    """Playwright's sync API runs an event loop in the test thread for the rest of the session,
    and Django refuses ORM calls next to a running loop; our tests and live_server are sync."""
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


@pytest.fixture(autouse=True)
def _start_from_migrated_state(migrated_state, transactional_db):
    """Start from the freshly migrated database (see tests/conftest.py): empty every table, reload
    the snapshot, and forget what the caches remember of the rows that were there before."""
    # Keep sequences running (PostgreSQL) so new rows never reuse the snapshot's ids.
    call_command(
        "flush", verbosity=0, interactive=False, reset_sequences=False, inhibit_post_migrate=True
    )
    connection.creation.deserialize_db_from_string(migrated_state[DEFAULT_DB_ALIAS])
    ContentType.objects.clear_cache()
    cache.clear()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.access(CHROMIUM, os.X_OK):
        reason = (
            f"!!! BROWSER TESTS NOT RUN: no Chromium at {CHROMIUM}. "
            "Run `make ensure-browser` as root (apt-get install chromium fonts-wqy-microhei)."
        )
        if os.environ.get("CI") == "true":
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [*browser_type_launch_args.get("args", []), *CHROMIUM_ARGS],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        **PHONE,
        "locale": "zh-CN",
        "timezone_id": settings.TIME_ZONE,
    }


@pytest.fixture
def phone(page):
    """A 390×844 phone (touch, 2× pixels, zh-CN): pytest-playwright's `page` with our context."""
    page.set_default_timeout(TIMEOUT_MS)
    return page


@pytest.fixture
def desktop_page(browser, browser_context_args):
    """A 1366×900 desktop browser page, otherwise like `phone`."""
    context = browser.new_context(**{**browser_context_args, **DESKTOP})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    yield page
    context.close()


@pytest.fixture(scope="session")
def screenshot():
    """Save a page as test-results/screenshots/<name>.png (git-ignored) and return the path.

    pytest-playwright empties test-results/ when the session starts, so each run's pictures are
    its own.
    """

    def take(page, name, *, full_page=True):
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOT_DIR / f"{re.sub(r'[^A-Za-z0-9_.-]+', '-', name)}.png"
        page.screenshot(path=str(path), full_page=full_page, animations="disabled")
        return path

    return take


@pytest.fixture
def home_page(transactional_db):
    """A published HomePage at the site root, visible to live_server."""
    return ensure_home_page()
