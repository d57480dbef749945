"""Fixtures of the deployment tests: Debian's Chromium on a phone-sized page, as in tests/e2e/
(without its database snapshot: these tests run the site in separate gunicorn processes on a
database of their own)."""

from tests.e2e.conftest import browser_context_args, browser_type_launch_args  # noqa: F401
