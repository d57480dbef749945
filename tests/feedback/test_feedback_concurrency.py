"""Nothing valid is lost: parallel posts, each on its own database connection, store exactly
one row per valid submission — and an identical message sent in parallel is stored once.

Runs on whichever database the suite uses (.ci/run runs it on SQLite and on PostgreSQL).
"""

import threading

from django.core.cache import cache
from django.db import connection, connections
from django.test import Client, TransactionTestCase, override_settings
from django.urls import reverse

from projects.models import Feedback, FeedbackPhoto
from tests.feedback_support import jpeg_with_gps, make_item, post_data, upload

THREADS = 12


def run_in_parallel(count, work):
    """Start `count` threads at once (a barrier); each gets its own DB connection."""
    barrier = threading.Barrier(count)
    results = [None] * count
    errors = []

    def runner(index):
        try:
            barrier.wait(timeout=30)
            results[index] = work(index)
        except Exception as error:
            errors.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=runner, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results, errors


@override_settings(FEEDBACK_MIN_FILL_SECONDS=0, FEEDBACK_RATE_LIMIT=1000)
class ConcurrentSubmissionTests(TransactionTestCase):
    serialized_rollback = False

    def setUp(self):
        cache.clear()
        self.item = make_item()
        self.url = reverse("feedback_new", args=[self.item.pk])
        self.photo = jpeg_with_gps(200, 150)

    def post(self, message, with_photo, address):
        data = post_data(message=message)
        if with_photo:
            data["photos"] = [upload(self.photo)]
        return Client().post(self.url, data, REMOTE_ADDR=address).status_code

    def test_n_parallel_distinct_posts_store_exactly_n_rows(self):
        results, errors = run_in_parallel(
            THREADS,
            lambda n: self.post(f"第{n}位居民的建议：增加座椅", n % 2 == 0, f"10.1.0.{n}"),
        )
        self.assertEqual(errors, [])
        self.assertEqual(results, [302] * THREADS, connection.vendor)
        self.assertEqual(Feedback.objects.count(), THREADS)
        self.assertEqual(
            len(set(Feedback.objects.values_list("tracking_code", flat=True))), THREADS
        )
        self.assertEqual(FeedbackPhoto.objects.count(), THREADS // 2)

    def test_parallel_identical_posts_are_stored_once(self):
        results, errors = run_in_parallel(
            THREADS, lambda n: self.post("同一条留言：东门需要停车点", False, f"10.2.0.{n}")
        )
        self.assertEqual(errors, [])
        self.assertEqual(results, [302] * THREADS)
        self.assertEqual(Feedback.objects.count(), 1, connection.vendor)
