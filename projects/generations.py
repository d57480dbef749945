"""Generation tokens: how a purge reaches every cached copy of a page and of its parts.

A token is a random value in the shared cache for a scope: the whole site, a year's section
(`section:/2022/`) or one path. The page cache (`portal.pagecache`) stores each page with the
tokens of its scopes and serves it only while they are current; fragments of a page and
roll-ups (`generation`, `remember`) are keyed by them. A purge replaces the tokens, so every
copy keyed by the old ones misses at once, in every process. No models here: the models,
the purge receivers and the page cache all build on it.
"""

import hashlib
import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import caches
from django.db import transaction

SITE = "site"


def cache():
    return caches[settings.PAGE_CACHE_ALIAS]


def generation_key(scope):
    return f"pagecache:gen:{scope}"


API_SECTION = "/api/"


def section_of(path):
    """The year a path belongs to (`/2022/…` → `/2022/`), the open data API's section
    (`/api/…`, which shows every year), or None."""
    first = path.strip("/").split("/", 1)[0]
    if first == API_SECTION.strip("/"):
        return API_SECTION
    return f"/{first}/" if first.isdigit() else None


def scope_keys(path):
    scopes = [SITE, path]
    if section := section_of(path):
        scopes.append(f"section:{section}")
    return [generation_key(scope) for scope in scopes]


def generation(request, scopes=None):
    """The current generation tokens of `request.path`'s scopes ("site", "section", "path",
    or a year named as "section:/2022/"), as one string, or "" when fragment caching is off
    (`FRAGMENT_CACHE_SECONDS`).

    A fragment of a page (`{% cache %}` in the "fragments" cache) keyed by them is exactly as
    current as the page would be: the purges that make the page miss change the key. Tokens
    read by the middleware for this request are reused; a missing one is created.
    """
    if settings.FRAGMENT_CACHE_SECONDS <= 0:
        return ""
    known = request.__dict__.setdefault("_page_generation", {})
    scopes = scopes or ("site", "section", "path")
    keys = [key for key in (_scope_key(request.path, scope) for scope in scopes) if key]
    if unknown := [key for key in keys if key not in known]:
        found = cache().get_many(unknown)
        for key in unknown:
            token = found.get(key)
            if token is None:
                token = uuid.uuid4().hex
                if not cache().add(key, token, timeout=token_timeout()):
                    token = cache().get(key) or token
            known[key] = token
    return "|".join(known[key] for key in keys)


def remember(request, scopes, name, compute):
    """`compute()`, kept in the fragments cache under `name` and the generation of `scopes`
    (see `generation`) until a purge of one of them: roll-ups every variant of a page shares,
    such as a year's counts per category. Computed every time when fragments are off."""
    tokens = generation(request, scopes) if request is not None else ""
    if not tokens:
        return compute()
    key = f"remember:{name}:{hashlib.sha256(tokens.encode()).hexdigest()}"
    value = caches["fragments"].get(key)
    if value is None:
        value = compute()
        caches["fragments"].set(key, value, settings.FRAGMENT_CACHE_SECONDS)
    return value


def _scope_key(path, scope):
    if scope == "site":
        return generation_key(SITE)
    if scope == "path":
        return generation_key(path)
    if scope.startswith("section:"):  # a named year, whatever the request's path
        return generation_key(scope)
    section = section_of(path)
    return generation_key(f"section:{section}") if section else None


def token_timeout():
    # Long enough to outlive the pages keyed by it; expiring only makes those pages miss.
    return max(settings.PAGE_CACHE_SECONDS * 2, 24 * 3600)


def _bump(scopes):
    tokens = {generation_key(scope): uuid.uuid4().hex for scope in scopes}
    cache().set_many(tokens, timeout=token_timeout())


def purge(scopes):
    """Make every cached variant of these scopes miss: `SITE`, a path, or `section:/2022/`.

    Bumped now and again when the surrounding transaction commits, so that a request that
    cached the old content in between is purged too.
    """
    scopes = list(scopes)
    if not scopes:
        return
    _bump(scopes)
    transaction.on_commit(lambda: _bump(scopes))


def purge_paths(paths):
    purge(urlsplit(path).path or "/" for path in paths)


def purge_section(year):
    purge([f"section:/{year}/"])


def purge_api():
    """Every cached answer of the open data API (`projects.api`)."""
    purge([f"section:{API_SECTION}"])


def purge_site():
    purge([SITE])
