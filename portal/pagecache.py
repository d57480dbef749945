"""Anonymous public pages served from a cache that every process shares, purged exactly.

A visitor without a session gets the overview, the year lists (with their filter URLs), items,
updates, search, the map and the sitemap from Django's cache (Redis in production, a shared
directory by default). The entry is keyed by everything that changes the response: host, path,
query string (tracking parameters that WeChat and campaigns add are left out), language, the
large-text mode (关怀版) and whether the browser takes gzip (pages are stored compressed).
Never cached: anyone with a session (staff), anything under the admin, the feedback or the
follow pages, non-GET requests, responses other than 200 and responses that set a cookie.

Purging is by generation tokens (`projects.generations`) rather than by enumerating keys:
every entry records the tokens of the whole site, of its section (a year, `/2022/`) and of its
own path when it was stored, and is served only while all three are current, so bumping one
makes every variant of those pages (all filter URLs, both languages) miss at once.
`DjangoCacheBackend` is a backend of Wagtail's frontend cache invalidation
(`WAGTAILFRONTENDCACHE`), so Wagtail's own purge on publish and ours (`portal.cache_purge`)
reach this cache and any CDN or Varnish configured beside it alike.

Browsers and a CDN get `Cache-Control: public, max-age=0, must-revalidate` (they revalidate,
so a purge is seen on the next request) with an ETag and Last-Modified, and a 304 when
nothing changed.
"""

import functools
import hashlib
import re
import time
import uuid
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from wagtail.contrib.frontend_cache.backends import BaseBackend

from projects import generations

# Parameters that never change a page: share-link and campaign tags.
IGNORED_PARAMS = frozenset(
    {"from", "isappinstalled", "scene", "clicktime", "enterid", "nsukey", "share_token"}
)
EXCLUDED_PREFIXES = ("/admin/", "/feedback/", "/follow/", "/documents/", "/i18n/", "/care-mode/")


def _lookup(request):
    """The page's cache key, its entry if still current, and the generation tokens (site,
    section, path) read with it in one round trip, as {cache key: token}, with the keys that
    had none (given a fresh candidate token).

    An entry holds the tokens it was stored under and is served only while they are all
    current. A candidate token is written only when a page is stored (`_claim`), so a scan of
    random URLs leaves nothing behind; and since a missing token is always replaced by a new
    one, an evicted token can never bring an older entry back.
    """
    key = _page_key(request)
    scope_keys = generations.scope_keys(request.path)
    found = generations.cache().get_many([key, *scope_keys])
    missing = [name for name in scope_keys if name not in found]
    tokens = {name: found.get(name) or uuid.uuid4().hex for name in scope_keys}
    entry = found.get(key)
    if missing or entry is None or entry["tokens"] != tokens:
        entry = None
    return key, entry, tokens, missing


def _claim(tokens, missing):
    """Write the candidate tokens; False if a purge wrote one first (then store nothing:
    the page may have been rendered from the data before the change)."""
    for key in missing:
        if not generations.cache().add(key, tokens[key], timeout=generations.token_timeout()):
            if generations.cache().get(key) != tokens[key]:
                return False
    return True


class DjangoCacheBackend(BaseBackend):
    """Wagtail frontend-cache backend for this module's cache: a URL purges every variant
    (query strings, languages, large text) of its path, on any host."""

    def purge(self, url):
        generations.purge_paths([url])

    def purge_batch(self, urls):
        generations.purge_paths(urls)


def _accepts_gzip(request):
    # As django.middleware.gzip decides: the cached copy is compressed or not accordingly.
    return bool(re.search(r"\bgzip\b", request.headers.get("Accept-Encoding", "")))


LANGUAGES = frozenset(code for code, _name in settings.LANGUAGES)


def _variant(request):
    language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if language not in LANGUAGES:
        language = settings.LANGUAGE_CODE
    care = request.COOKIES.get("care_mode") == "1"
    query = ""
    if request.META.get("QUERY_STRING"):
        params = sorted(
            (name, value)
            for name, values in request.GET.lists()
            if name not in IGNORED_PARAMS and not name.startswith("utm_")
            for value in values
        )
        query = urlencode(params)
    gzip = _accepts_gzip(request)
    return f"{request.get_host()}|{query}|{language}|{int(care)}|{int(gzip)}"


def _applies(request):
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not request.path.startswith(EXCLUDED_PREFIXES)
    )


def _page_key(request):
    digest = hashlib.sha256(f"{request.path}|{_variant(request)}".encode())
    return f"pagecache:page:{digest.hexdigest()}"


def _public_headers(response):
    patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
    if settings.PAGE_CACHE_CDN_SECONDS:
        patch_cache_control(response, s_maxage=settings.PAGE_CACHE_CDN_SECONDS)


class PageCacheMiddleware:
    """Serve and store anonymous public pages (see the module docstring).

    Placed after WhiteNoise and before sessions, so a hit costs one cache round trip and
    nothing else: no session, CSRF, user or database work.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _applies(request):
            return self.get_response(request)
        key, entry, tokens, missing = _lookup(request)
        if entry is not None:
            return self._from_entry(request, entry)
        # Fragments of the page are keyed by the tokens it will be stored under (`generation`).
        request._page_generation = dict(tokens)
        response = self.get_response(request)
        if self._storable(request, response) and _claim(tokens, missing):
            entry = self._store(key, response, tokens)
            conditional = get_conditional_response(
                request, etag=entry["etag"], last_modified=entry["time"], response=response
            )
            conditional["X-Page-Cache"] = "miss"
            return conditional
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.resolver_match and request.resolver_match.url_name == "wagtail_serve":
            request.page_cache_public = True  # Wagtail's pages; previews go through the admin

    @staticmethod
    def _storable(request, response):
        control = response.get("Cache-Control", "")
        return (
            getattr(request, "page_cache_public", False)
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not any(word in control for word in ("private", "no-store", "no-cache"))
            and not getattr(getattr(request, "user", None), "is_authenticated", False)
        )

    @staticmethod
    def _store(key, response, tokens):
        if hasattr(response, "render") and callable(response.render):
            response.render()
        _public_headers(response)
        now = int(time.time())
        etag = f'"{hashlib.md5(response.content, usedforsecurity=False).hexdigest()}"'
        response["ETag"] = etag
        response["Last-Modified"] = http_date(now)
        entry = {
            "content": response.content,
            "headers": {
                name: value
                for name, value in response.headers.items()
                if name.lower() not in ("set-cookie", "x-page-cache")
            },
            "etag": etag,
            "time": now,
            "tokens": tokens,
        }
        generations.cache().set(key, entry, settings.PAGE_CACHE_SECONDS)
        return entry

    @staticmethod
    def _from_entry(request, entry):
        response = HttpResponse(entry["content"], headers=entry["headers"])
        response["Age"] = str(max(0, int(time.time()) - entry["time"]))
        response["X-Page-Cache"] = "hit"
        return get_conditional_response(
            request, etag=entry["etag"], last_modified=entry["time"], response=response
        )


def public_page(view):
    """Mark a view's anonymous GET responses as shareable (see `PageCacheMiddleware`)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        request.page_cache_public = True
        return view(request, *args, **kwargs)

    return wrapped
