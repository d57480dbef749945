"""Production: refuses to start without a secret key, allowed hosts and a real database."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool, require_shared_cache

for required in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"):
    if not os.environ.get(required):
        raise ImproperlyConfigured(f"Production settings need the {required} environment variable.")

DEBUG = False
PORTAL_ALLOW_DEMO_DATA = False

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
# HSTS: a year by default wherever plain HTTP is redirected to HTTPS anyway (browsers ignore
# the header on plain HTTP, so `make serve` is unaffected). Subdomains of the site's own host
# are covered too: nothing of ours is served on them over plain HTTP.
SECURE_HSTS_SECONDS = int(
    os.environ.get("SECURE_HSTS_SECONDS", 365 * 24 * 3600 if SECURE_SSL_REDIRECT else 0)
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)

# How many processes serve this installation: gunicorn's own worker count, which gunicorn.conf.py
# exports before it starts them (whether it came from --workers, GUNICORN_CMD_ARGS or
# WEB_CONCURRENCY); otherwise WEB_CONCURRENCY, which gunicorn and most hosting platforms read.
SERVER_PROCESSES = int(os.environ.get("SERVER_PROCESSES") or os.environ.get("WEB_CONCURRENCY") or 1)
# The feedback throttle and the password-reset limits count in the default cache: with several
# processes it must be one they all see (Redis, or the cache directory of one machine), never
# each process's own memory. django-axes counts failed sign-ins in the database anyway.
require_shared_cache(CACHES, SERVER_PROCESSES)  # noqa: F405

SILENCED_SYSTEM_CHECKS = [
    # security.W021 (SECURE_HSTS_PRELOAD off): the browsers' preload list takes a whole
    # registrable domain (e.g. the district's gov.cn domain, with every other site on it) and
    # takes months to leave; that is for whoever runs that domain to decide, not this site.
    # SECURE_HSTS_PRELOAD=true turns it on once they have.
    "security.W021",
]

if os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", 587))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
