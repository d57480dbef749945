"""Read by gunicorn from the working directory (`make serve`, `make bench`, the README's command).

Tells the production settings how many worker processes will serve (SERVER_PROCESSES), whatever
set it: --workers, GUNICORN_CMD_ARGS or WEB_CONCURRENCY. The settings refuse a per-process cache
when there are several (portal.settings.base.require_shared_cache).
"""

import os


def on_starting(server):
    os.environ["SERVER_PROCESSES"] = str(server.cfg.workers)
