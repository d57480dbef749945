"""Local development: debug on, a throwaway secret key, mail to the console."""

import os

from .base import *  # noqa: F403
from .base import env_bool, tasks_setting

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-do-not-use-in-production"  # noqa: F405
ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost"]  # noqa: F405
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# A template or code edit shows at once: the page cache is off unless asked for.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", 0))
FRAGMENT_CACHE_SECONDS = int(os.environ.get("FRAGMENT_CACHE_SECONDS", 0))
# No phone needed to try the demo (`make run`): two-step verification is off unless asked for.
SIGNIN_TWO_FACTOR = env_bool("SIGNIN_TWO_FACTOR", False)
# `make run` needs no worker: e-mail goes out in the request unless TASKS_BACKEND says otherwise.
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "immediate").strip().lower()
TASKS = tasks_setting(TASKS_BACKEND)
