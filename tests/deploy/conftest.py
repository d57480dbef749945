"""Fixtures of the deployment tests: Debian's Chromium as in tests/e2e/ (without its database
snapshot: these tests run the site in separate gunicorn processes on a database of their own)."""

import os

import pytest
from django.conf import settings

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.access(CHROMIUM, os.X_OK):
        reason = f"!!! DEPLOYMENT TEST NOT RUN: no Chromium at {CHROMIUM} (make ensure-browser)."
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
    return {**browser_context_args, **PHONE, "locale": "zh-CN", "timezone_id": settings.TIME_ZONE}
