"""The per-address rate limit: a fixed window counted in the cache, shared by every worker.

The cross-process test needs Redis: REDIS_URL when set (.ci/run's PostgreSQL + Redis pass), else
a database of its own on the machine's Redis (127.0.0.1:6379, which .ci/run starts for both
passes). Without Redis it is skipped, and under CI=true it fails.
"""

import multiprocessing
import os
import random
import uuid

import pytest
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

    from tests.conftest import remove_test_folders

    remove_test_folders()  # the settings made temporary folders for this process too
    throttle.cache = RedisCache(redis_url, {"KEY_PREFIX": prefix})
    with override_settings(FEEDBACK_RATE_LIMIT=15, FEEDBACK_RATE_WINDOW_SECONDS=3600):
        return sum(throttle.hit(ip).allowed for _ in range(tries))


LOCAL_REDIS = "redis://127.0.0.1:6379"


@pytest.fixture
def redis_url():
    """REDIS_URL (its own database, from .ci/run), or a database of the machine's Redis claimed
    for this test as .ci/run claims one: a `portal-ci:db:N` key in db 0, so a concurrent run
    never empties it under us. Without Redis: skipped, except under CI=true, where it fails."""
    import redis

    if os.environ.get("REDIS_URL"):
        yield os.environ["REDIS_URL"]
        return
    admin = redis.Redis.from_url(f"{LOCAL_REDIS}/0", socket_connect_timeout=2)
    try:
        admin.ping()
    except redis.RedisError as error:
        message = f"No Redis at {LOCAL_REDIS} for the cross-process rate-limit test: {error}"
        if os.environ.get("CI") == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    claim = f"pytest-throttle-{uuid.uuid4().hex}"
    number = next(
        (
            n
            for n in random.sample(range(1, 16), 15)
            if admin.set(f"portal-ci:db:{n}", claim, nx=True, ex=600)
        ),
        None,
    )
    if number is None:
        pytest.fail("No free Redis database (1-15) for the rate-limit test", pytrace=False)
    try:
        yield f"{LOCAL_REDIS}/{number}"
    finally:
        if admin.get(f"portal-ci:db:{number}") == claim.encode():
            admin.delete(f"portal-ci:db:{number}")


def test_limit_is_shared_by_worker_processes_through_redis(redis_url):
    import redis

    prefix = f"test-throttle-{uuid.uuid4().hex}"
    ip = f"10.9.{uuid.uuid4().int % 250}.1"
    context = multiprocessing.get_context("spawn")
    try:
        with context.Pool(4) as pool:
            allowed = pool.map(_hammer, [(redis_url, prefix, ip, 10)] * 4)
            # Let the workers exit on their own (leaving the block would kill them), so that
            # each writes its coverage data.
            pool.close()
            pool.join()
    finally:
        client = redis.Redis.from_url(redis_url)
        keys = list(client.scan_iter(f"{prefix}:*"))
        if keys:
            client.delete(*keys)
    # 40 attempts in 4 processes: exactly the limit gets through, not 15 per process.
    assert sum(allowed) == 15, allowed
