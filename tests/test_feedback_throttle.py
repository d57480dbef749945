"""The per-address rate limit: a fixed window counted in the cache, shared by every worker.

The cross-process test needs Redis (REDIS_URL); .ci/run sets it for its PostgreSQL + Redis
pass, so it runs there and is skipped in the SQLite-only pass.
"""

import multiprocessing
import os
import uuid

from django.core.cache import cache
from django.test import SimpleTestCase, override_settings

from projects.feedback import throttle


@override_settings(FEEDBACK_RATE_LIMIT=3, FEEDBACK_RATE_WINDOW_SECONDS=600)
class WindowTests(SimpleTestCase):
    def setUp(self):
        cache.clear()

    def test_limit_then_a_clear_wait_then_a_new_window(self):
        start = 1_800_000_000  # a window boundary (divisible by 600)
        verdicts = [throttle.hit("10.0.0.1", now=start + n) for n in range(4)]
        self.assertEqual([v.allowed for v in verdicts], [True, True, True, False])
        self.assertEqual(verdicts[-1].retry_minutes, 10)  # 597 s left, rounded up
        self.assertTrue(throttle.hit("10.0.0.2", now=start + 5).allowed)  # another address
        self.assertTrue(throttle.hit("10.0.0.1", now=start + 600).allowed)  # next window

    def test_key_holds_no_raw_address(self):
        throttle.hit("203.0.113.7", now=1_800_000_000)
        key = throttle._key("feedback-rate", "203.0.113.7", 1_800_000_000)
        self.assertNotIn("203.0.113.7", key)


def _hammer(args):
    """One "worker process": its own Django, its own connection to the shared Redis."""
    redis_url, prefix, ip, tries = args
    import django

    django.setup()
    from django.core.cache.backends.redis import RedisCache

    throttle.cache = RedisCache(redis_url, {"KEY_PREFIX": prefix})
    with override_settings(FEEDBACK_RATE_LIMIT=15, FEEDBACK_RATE_WINDOW_SECONDS=3600):
        return sum(throttle.hit(ip).allowed for _ in range(tries))


# The machines run Redis on 127.0.0.1:6379 (.ci/run starts it when it is down).
REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"


def test_limit_is_shared_by_worker_processes_through_redis():
    prefix = f"test-throttle-{uuid.uuid4().hex}"
    ip = f"10.9.{uuid.uuid4().int % 250}.1"
    context = multiprocessing.get_context("spawn")
    with context.Pool(4) as pool:
        allowed = pool.map(_hammer, [(REDIS_URL, prefix, ip, 10)] * 4)
    # 40 attempts in 4 processes: exactly the limit gets through, not 15 per process.
    assert sum(allowed) == 15, allowed
