"""Settings shared by every environment; everything deployment-specific is read from env."""

import hashlib
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE

from portal.object_storage import s3_settings
from portal.security_headers import source_of, style_hashes

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name, default=False):
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "portal",
    "portal.signin",
    "projects",
    "wagtail.contrib.settings",
    "wagtail.contrib.redirects",
    "wagtail.contrib.frontend_cache",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "ninja",  # the open data API's docs page (projects.api) with its own Swagger UI files
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    # Backups (manage.py backup_portal / restore_portal in portal/management/).
    "dbbackup",
    # The task framework Wagtail 8 is built on, and its database queue (`manage.py db_worker`).
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "portal.middleware.NulCharacterMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Permissions-Policy and Content-Security-Policy on every response, cached pages and static
    # files included.
    "portal.security_headers.PermissionsPolicyMiddleware",
    "portal.security_headers.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "portal.pagecache.PageCacheMiddleware",
    # Pages leave compressed (static files come precompressed from WhiteNoise, above): a phone
    # on a slow link gets the year list in ~12 KB, not ~180 KB, when no front server gzips.
    # Inside the page cache, so a cached page is compressed once, not on every hit. Django's
    # GZipMiddleware pads each one against BREACH; photos and documents pass untouched.
    "portal.middleware.TextGZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.SiteLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Renews a signed-in staff session now and then (idle expiry); requests without a session
    # cookie (residents) pass untouched.
    "portal.signin.session.StaffSessionIdleMiddleware",
    # The second factor: which device this session passed (django-otp), and the gate that
    # holds a signed-in session on the code page until it has (portal.signin.two_factor).
    "portal.signin.two_factor.OTPMiddleware",
    "portal.signin.two_factor.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # django-axes: turns a locked-out sign-in into a 429 (portal.signin.forms.lockout_response).
    # Last, as axes asks; it only looks at requests that tried to sign in, and cached pages
    # (answered by the page cache above) never reach it.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "portal.context_processors.site_context",
            ],
        },
    },
]

# Database: SQLite on the local disk unless DATABASE_URL names another server.
SQLITE_PATH = os.environ.get("SQLITE_PATH", str(BASE_DIR / "db.sqlite3"))
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL", default=f"sqlite:///{SQLITE_PATH}", conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers proceed during a write; IMMEDIATE transactions take the write lock up
    # front, so concurrent writers queue on the busy timeout instead of failing mid-transaction.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;"
        ),
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when REDIS_URL is set, otherwise a directory that every process on this machine
# shares (not per-process memory: the page cache is purged by the admin, importers and cron jobs
# from other processes).
REDIS_URL = os.environ.get("REDIS_URL", "")
# One cache may serve several installations (or `make serve` on another database file): keys
# are prefixed per database unless CACHE_KEY_PREFIX says otherwise.
_database = DATABASES["default"]
CACHE_KEY_PREFIX = (
    os.environ.get("CACHE_KEY_PREFIX")
    or "portal-"
    + hashlib.sha256(
        f"{_database.get('HOST', '')}:{_database.get('PORT', '')}/{_database['NAME']}".encode()
    ).hexdigest()[:10]
)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "portal.file_cache.FileCache",
            "LOCATION": os.environ.get("CACHE_DIR", str(BASE_DIR / ".cache" / "django")),
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
    }

PROCESS_LOCAL_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


def require_shared_cache(caches, processes):
    """Refuse to start (production) when several processes would each count rate limits in a
    cache of their own: a client would get the limit once per process."""
    backend = caches["default"]["BACKEND"]
    if processes > 1 and backend in PROCESS_LOCAL_CACHES:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            f"{processes} processes serve this site, but the default cache ({backend}) is "
            "each process's own, so the feedback rate limit and the password-reset limits "
            "would count per process. Set REDIS_URL (several machines), or use the default "
            "cache directory (CACHE_DIR, one machine), or serve with one process."
        )


# Rendered fragments keyed by everything they are made of (a photo's <picture> markup): never
# stale, so each process may keep its own.
CACHES["fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "OPTIONS": {"MAX_ENTRIES": 5_000},
}

# Anonymous public pages from the shared cache (portal.pagecache), purged on every change that
# shows on them; 0 switches it off. PAGE_CACHE_CDN_SECONDS lets a CDN in front keep pages
# (s-maxage) when it is purged too (WAGTAILFRONTENDCACHE below).
PAGE_CACHE_ALIAS = "default"
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", 3600))
PAGE_CACHE_CDN_SECONDS = int(os.environ.get("PAGE_CACHE_CDN_SECONDS", 0))
# Parts of a page kept per process (the "fragments" cache) under the same generation tokens as
# the page (`projects.generations.generation`): the year menu, the footer, an item's feedback
# section. They make a page that must be rendered cheaper; 0 renders them every time.
FRAGMENT_CACHE_SECONDS = int(os.environ.get("FRAGMENT_CACHE_SECONDS", 3600))
WAGTAILFRONTENDCACHE = {"pages": {"BACKEND": "portal.pagecache.DjangoCacheBackend"}}
if os.environ.get("FRONTEND_CACHE_PURGE_URL"):
    # Varnish or nginx (proxy_cache_purge) in front: sent a PURGE for every purged URL.
    WAGTAILFRONTENDCACHE["proxy"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": os.environ["FRONTEND_CACHE_PURGE_URL"],
    }
if os.environ.get("CLOUDFLARE_ZONEID"):
    WAGTAILFRONTENDCACHE["cdn"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
        "ZONEID": os.environ["CLOUDFLARE_ZONEID"],
        "BEARER_TOKEN": os.environ.get("CLOUDFLARE_BEARER_TOKEN", ""),
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation: Simplified Chinese by default, English on request.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Let Django serve MEDIA_ROOT itself (demo and `make serve` only; use a web server in production).
SERVE_MEDIA = env_bool("SERVE_MEDIA")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    # Backup sets (`manage.py backup_portal`): residents' contacts and photos, readable by the
    # service account only.
    "dbbackup": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": str(Path(os.environ.get("BACKUP_DIR", BASE_DIR / "backups"))),
            "file_permissions_mode": 0o600,
            "directory_permissions_mode": 0o700,
        },
    },
}

# Several app servers: uploads, renditions and residents' private photos on S3-compatible object
# storage (portal/object_storage.py) when S3_BUCKET is set; MEDIA_URL becomes the bucket's (or
# S3_CUSTOM_DOMAIN's) address. Without it, MEDIA_ROOT and FEEDBACK_PRIVATE_ROOT on this disk.
try:
    _object_storage = s3_settings(os.environ)
except ValueError as error:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(str(error)) from error
MEDIA_ON_OBJECT_STORAGE = _object_storage is not None
if _object_storage:
    _s3_storages, MEDIA_URL = _object_storage
    STORAGES.update(_s3_storages)
    # Documents stay private in the bucket (portal.media_storage); Wagtail's view streams them
    # after checking the collection's privacy, instead of redirecting to the bucket.
    WAGTAILDOCS_SERVE_METHOD = "serve_view"

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Wagtail
WAGTAIL_SITE_NAME = os.environ.get("SITE_NAME", "高新区民生实事")
SITE_NAME_EN = os.environ.get("SITE_NAME_EN", "Livelihood Projects")
WAGTAILADMIN_BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:8000")
# No Gravatar: staff e-mail hashes stay in the building, and avatars load on closed networks.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_I18N_ENABLED = False
WAGTAILIMAGES_IMAGE_MODEL = "projects.PortalImage"
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png", "webp", "heic", "avif"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 15 * 1024 * 1024
# Lower than Wagtail's default (128 Mpx): a phone photo is ~50 Mpx at most; larger is a bomb.
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 60_000_000
WAGTAILIMAGES_WEBP_QUALITY = 75
WAGTAILIMAGES_JPEG_QUALITY = 80
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "pdf", "xlsx"]
# Chinese text is indexed as bigrams (projects/search.py); "simple" keeps PostgreSQL from
# stemming, so both databases see the same tokens.
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database", "SEARCH_CONFIG": "simple"}
}
WAGTAIL_DATE_FORMAT = "%Y-%m-%d"
WAGTAIL_DATETIME_FORMAT = "%Y-%m-%d %H:%M"

# Supervision colours (序时进度): how many percentage points behind the expected progress
# an unfinished item may be before it turns yellow, orange or red.
PORTAL_LAG_THRESHOLDS = {
    "yellow": int(os.environ.get("LAG_YELLOW", 5)),
    "orange": int(os.environ.get("LAG_ORANGE", 15)),
    "red": int(os.environ.get("LAG_RED", 30)),
}

# Map tiles: a deployment in mainland China sets a licensed standard map service (审图号).
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_ATTRIBUTION = os.environ.get("MAP_ATTRIBUTION", "© OpenStreetMap contributors")

# An unfinished item with no published progress update for this many days is "stale" on the
# editors' dashboard, in the monthly report and in the departments' digest.
PORTAL_STALE_DAYS = int(os.environ.get("STALE_DAYS", 30))

# Demo accounts created by `load_demo` share this password.
DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "minsheng2022")
# `load_demo` refuses to run where this is False (production settings).
PORTAL_ALLOW_DEMO_DATA = True
# What the demo (projects.demo) calls for the site-wide part: the home page and the footer.
PORTAL_DEMO_SITE = "portal.setup.ensure_demo_site"

# Residents' feedback (projects.feedback). Photos wait outside MEDIA_ROOT until approved.
FEEDBACK_PRIVATE_ROOT = Path(os.environ.get("FEEDBACK_PRIVATE_ROOT", BASE_DIR / "private"))
FEEDBACK_REPLY_WORKING_DAYS = int(os.environ.get("FEEDBACK_REPLY_WORKING_DAYS", 3))
FEEDBACK_MESSAGE_MIN_LENGTH = 5
FEEDBACK_MESSAGE_MAX_LENGTH = 1000
FEEDBACK_MAX_PHOTOS = 3
FEEDBACK_MAX_PHOTO_BYTES = 10 * 1024 * 1024
FEEDBACK_MAX_IMAGE_PIXELS = 40_000_000
FEEDBACK_PHOTO_MAX_SIDE = 2048
FEEDBACK_MIN_FILL_SECONDS = int(os.environ.get("FEEDBACK_MIN_FILL_SECONDS", 3))
FEEDBACK_MAX_FILL_SECONDS = 24 * 3600
FEEDBACK_RATE_LIMIT = int(os.environ.get("FEEDBACK_RATE_LIMIT", 5))
FEEDBACK_RATE_WINDOW_SECONDS = int(os.environ.get("FEEDBACK_RATE_WINDOW_SECONDS", 3600))
# Requests a minute per client address that reach the open data API (projects.api); answers
# from the page cache are not counted.
API_RATE_LIMIT = int(os.environ.get("API_RATE_LIMIT", 240))
FEEDBACK_DUPLICATE_WINDOW_HOURS = 24
FEEDBACK_CONTACT_RETENTION_DAYS = int(os.environ.get("FEEDBACK_CONTACT_RETENTION_DAYS", 365))
# Number of reverse proxies in front of the app whose X-Forwarded-For entries are trusted.
FEEDBACK_TRUSTED_PROXIES = int(os.environ.get("FEEDBACK_TRUSTED_PROXIES", 0))
# Extra digest recipients besides the active members of "Feedback moderators".
FEEDBACK_DIGEST_RECIPIENTS = env_list("FEEDBACK_DIGEST_RECIPIENTS")
# `send_feedback_digest` covers messages of the last N hours: match it to the cron interval.
FEEDBACK_DIGEST_HOURS = int(os.environ.get("FEEDBACK_DIGEST_HOURS", 24))
# A feedback form posted with a stale token (a cached item page) comes back filled in.
CSRF_FAILURE_VIEW = "projects.feedback.views.csrf_failure"

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@minsheng.example.cn")

# Background tasks (django-tasks). "default" runs Wagtail's own tasks (reference index, cache
# purge, focal points) in the request, as before: a publish must purge the page cache at once.
# "background" takes every e-mail the site sends (projects.mail, projects.follow): the
# database queue, worked by `manage.py db_worker --backend background` (one process), or
# TASKS_BACKEND=immediate to send in the request (development, tests).
TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}


def tasks_setting(choice):
    if choice not in TASK_BACKENDS:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            f"TASKS_BACKEND={choice!r}: use one of {', '.join(sorted(TASK_BACKENDS))}."
        )
    return {
        "default": {"BACKEND": TASK_BACKENDS["immediate"]},
        "background": {"BACKEND": TASK_BACKENDS[choice], "QUEUES": ["default"]},
    }


TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "database").strip().lower()
TASKS = tasks_setting(TASKS_BACKEND)

# Following items, districts and categories by e-mail (projects.follow).
# An address that has not confirmed within this many days is erased (`send_follow_digest`).
FOLLOW_CONFIRM_DAYS = int(os.environ.get("FOLLOW_CONFIRM_DAYS", 7))
# At most this many confirmation e-mails to one address a day, whoever asks for them.
FOLLOW_CONFIRMATIONS_PER_ADDRESS = int(os.environ.get("FOLLOW_CONFIRMATIONS_PER_ADDRESS", 3))
# An address gets at most one digest in this many hours (cron runs `send_follow_digest` daily).
FOLLOW_DIGEST_MIN_HOURS = 20

# Security headers on every response (tests/test_security_headers.py checks the public pages).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# No page of ours may be framed by anyone. Wagtail's preview (the editor's side panel frames
# /admin/pages/<id>/edit/preview/) needs SAMEORIGIN, and Wagtail's preview views set it on their
# own responses (`xframe_options_sameorigin_override`), which XFrameOptionsMiddleware leaves
# alone: so DENY here, SAMEORIGIN on exactly the preview responses.
X_FRAME_OPTIONS = "DENY"
# Browser features the site never uses are switched off for it and anything it embeds. The map
# (static/js/map.js) shows tiles and markers only and never asks for the visitor's location;
# photo uploads use a plain file input, which needs no camera permission.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "screen-wake-lock",
        "usb",
        "xr-spatial-tracking",
    )
)
# Content-Security-Policy (django-csp; portal.security_headers picks the policy by path).
# The public site runs only our own files: scripts, styles, fonts and images from this host
# (static/, including the vendored Leaflet), map tiles from the MAP_TILE_URL host, photos from
# MEDIA_URL's host when that is another one. No inline script anywhere on it and no nonces: the
# page cache serves one rendered page to many visitors, and a nonce replayed from the cache would
# be worthless. The only inline code: JSON data blocks (`json_script`, type application/json),
# which the browser never runs and CSP does not govern, and the 500 page's own <style>, allowed
# by its hash (it must render when nothing else works).
# style-src-attr 'unsafe-inline': one style attribute is left, each category's editor-chosen
# colour (`style="--cat: #1d6fa5"` on its badge and chart bar). It sets a custom property only;
# it cannot load anything (url() in it still obeys img-src and font-src below) nor run script,
# and <style> elements stay forbidden. Bar widths are classes (pct-0 … pct-100 in site.css).
# data: images: Leaflet blanks an aborted tile with a 1×1 data: GIF.
_remote_images = [source for source in (source_of(MAP_TILE_URL), source_of(MEDIA_URL)) if source]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, *style_hashes(BASE_DIR / "templates" / "500.html")],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:", *_remote_images],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Wagtail's admin (8.0) still writes inline <script> (page config, widget set-up) and style
# attributes, and shows image previews from blob: and data: URLs, so its pages get their own,
# looser policy; nothing else about it is wider than the public one. Only staff reach it, after
# signing in. frame-ancestors becomes 'self' on Wagtail's preview (see X_FRAME_OPTIONS below).
CSP_ADMIN_PATH_PREFIXES = ["/admin/"]
CONTENT_SECURITY_POLICY_ADMIN = {
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        "script-src": [SELF, UNSAFE_INLINE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:", *_remote_images],
    }
}
# The admin dashboard would otherwise ask releases.wagtail.org for new versions from every
# administrator's browser: the portal runs on closed networks, and CSP allows no such request.
# Upgrades come through requirements.lock, which `make audit` checks for known vulnerabilities.
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Staff password resets (portal.accounts): e-mails an hour per address, requests an hour per client.
WAGTAILADMIN_USER_PASSWORD_RESET_FORM = "portal.accounts.LimitedPasswordResetForm"
PASSWORD_RESET_LIMIT_PER_ADDRESS = int(os.environ.get("PASSWORD_RESET_LIMIT_PER_ADDRESS", 3))
PASSWORD_RESET_LIMIT_PER_IP = int(os.environ.get("PASSWORD_RESET_LIMIT_PER_IP", 10))

# Staff sign-in (portal.signin, django-axes). Failed sign-ins are counted per account from one
# address (AXES_FAILURE_LIMIT), per address over all accounts (SIGNIN_ADDRESS_FAILURE_LIMIT)
# and, when set, per account over all addresses (SIGNIN_ACCOUNT_FAILURE_LIMIT; 0 = off, since
# it would let anyone lock `admin` out from everywhere). Reaching a limit locks for
# SIGNIN_LOCK_MINUTES after the last failure (each failure meanwhile extends it), the right
# password included; an administrator can unlock earlier (Settings → Locked sign-ins).
AUTHENTICATION_BACKENDS = [
    "portal.signin.backends.SignInLimitBackend",  # refuses locked sign-ins first
    "django.contrib.auth.backends.ModelBackend",
]
WAGTAILADMIN_USER_LOGIN_FORM = "portal.signin.forms.LimitedLoginForm"
# Database handler, not the cache handler: the attempts table lives in the database every worker
# and machine shares (SQLite on one machine, PostgreSQL in production), with or without Redis;
# the file cache of a fresh clone cannot count atomically (axes refuses it, axes.W001); and
# the unlock page lists and deletes rows there. Failed sign-ins are rare: the writes cost nothing.
AXES_HANDLER = "portal.signin.limits.LimitedDatabaseHandler"
AXES_FAILURE_LIMIT = int(os.environ.get("SIGNIN_FAILURE_LIMIT", 5))
SIGNIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("SIGNIN_ADDRESS_FAILURE_LIMIT", 20))
SIGNIN_ACCOUNT_FAILURE_LIMIT = int(os.environ.get("SIGNIN_ACCOUNT_FAILURE_LIMIT", 0))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"] + (
    ["username"] if SIGNIN_ACCOUNT_FAILURE_LIMIT else []
)
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("SIGNIN_LOCK_MINUTES", 30)))
# A successful sign-in forgets that account's failures from that address (only those).
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "portal.signin.forms.lockout_response"
AXES_CLIENT_IP_CALLABLE = "portal.signin.forms.signin_client_ip"
# Who to ask, added to the lockout message (e.g. "信息中心 0758-1234567"); empty: "an
# administrator of this site".
SIGNIN_HELP_CONTACT = os.environ.get("SIGNIN_HELP_CONTACT", "")
# Staff sessions end after this long without a request (portal.signin.session); residents have
# no session at all.
SESSION_COOKIE_AGE = int(os.environ.get("STAFF_SESSION_IDLE_MINUTES", 60)) * 60
STAFF_SESSION_RENEW_SECONDS = 60
# Two-step verification (portal.signin.two_factor, django-otp): after the password, a code from
# an authenticator app or a one-time backup code. Required of superusers and these groups
# (reviewers publish, feedback moderators see residents' contacts); optional for editors. On
# unless SIGNIN_TWO_FACTOR=false (development turns it off, see portal.settings.dev).
SIGNIN_TWO_FACTOR = env_bool("SIGNIN_TWO_FACTOR", True)
SIGNIN_TWO_FACTOR_GROUPS = ["Reviewers", "Feedback moderators"]
# Tests only: a session made in code (the test client's force_login) counts as verified.
SIGNIN_TWO_FACTOR_TRUST_CODE_LOGINS = False
OTP_TOTP_ISSUER = WAGTAIL_SITE_NAME

# No script of ours (nor Wagtail's admin, which reads the token from its page config) reads a
# cookie, so every cookie is HttpOnly.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
