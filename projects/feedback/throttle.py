"""Per-IP rate limit for feedback, kept in the cache so every worker process shares it.

A fixed window counter: `cache.add` creates the window's key with its expiry, `cache.incr`
is atomic on Redis (and under a lock in Django's local-memory cache), so concurrent workers
never both slip under the limit. Only the hash of the address is used as a key.
"""

import hashlib
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache


@dataclass
class Verdict:
    allowed: bool
    retry_after: int = 0  # seconds

    @property
    def retry_minutes(self):
        return max(1, math.ceil(self.retry_after / 60))


def client_ip(request):
    """The client's address: REMOTE_ADDR, or the entry added by the last trusted proxy."""
    proxies = settings.FEEDBACK_TRUSTED_PROXIES
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def _key(scope, ip, window_start):
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{ip}".encode()).hexdigest()[:32]
    return f"{scope}:{digest}:{window_start}"


def hit(ip, now=None, *, scope="feedback-rate", limit=None, window=None) -> Verdict:
    """Count one attempt by `ip` (or any other identity, hashed); refuse it if the window's
    limit is already used. Feedback's limits unless `scope`, `limit` and `window` say others."""
    window = window or settings.FEEDBACK_RATE_WINDOW_SECONDS
    limit = settings.FEEDBACK_RATE_LIMIT if limit is None else limit
    now = time.time() if now is None else now
    window_start = int(now // window) * window
    key = _key(scope, ip, window_start)
    cache.add(key, 0, timeout=window + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window + 5)
        count = 1
    if count > limit:
        return Verdict(False, int(window_start + window - now) + 1)
    return Verdict(True)
