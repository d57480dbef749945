"""Read by gunicorn from the working directory (`make serve`, `make bench`, the README's command).

Tells the production settings how many worker processes will serve (SERVER_PROCESSES), whatever
set it: --workers, GUNICORN_CMD_ARGS or WEB_CONCURRENCY. The settings refuse a per-process cache
when there are several (portal.settings.base.require_shared_cache).
"""

import gc
import os


def on_starting(server):
    os.environ["SERVER_PROCESSES"] = str(server.cfg.workers)


def post_worker_init(worker):
    """Keep the garbage collector off the loaded application.

    Django, Wagtail and their imports are ~200,000 long-lived objects that every full
    collection walks again; on a page view that cost ~2-3 ms on average (measured in-process on
    an item page). Frozen, they are never scanned, and a larger first generation keeps the
    collector from running several times within one request. Cycles a request leaves behind
    are still collected.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)
