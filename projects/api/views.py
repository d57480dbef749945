"""The public read-only API at `/api/` (django-ninja): years with their overview figures, items
with the year list's filters and sorts, an item's updates and its published feedback; the
OpenAPI document at `/api/openapi.json`, Swagger UI at `/api/docs/` (served from django-ninja's
own static files, no CDN).

Wagtail 8 ships a django-ninja API of its own (`wagtail.api.v3`): a generic page read/write API
with bearer tokens and revisions. This one is a separate `NinjaAPI` shaped for open data; it
takes Wagtail's error handling (`register_exception_handlers`: every error is an RFC 7807
`application/problem+json` body, bad parameters a 422 naming each one).

Anonymous GETs go through the page cache like the pages (`portal/urls.py` marks them public),
purged with the site (`projects.generations`: `/api/` is one section). Requests that reach the
views are limited per client address (`API_RATE_LIMIT` a minute, default 240) with the
feedback form's counter (`projects.feedback.throttle`), in the shared cache.
"""

import threading
from urllib.parse import urlencode

from django.conf import settings
from ninja import NinjaAPI, Path, Query, Swagger
from ninja.renderers import JSONRenderer
from ninja.throttling import BaseThrottle
from wagtail.api.v3.errors import (
    PROBLEM_JSON,
    ProblemDetail,
    problem_response,
    register_exception_handlers,
)

from ..feedback import throttle
from ..filters import SORTS, ProjectFilter
from ..search.query import search_items
from . import data
from .schemas import Item, ItemFilters, ItemPage, Message, Update, Year

RATE_WINDOW = 60  # seconds
MAX_ID = 2**31 - 1


class ClientThrottle(BaseThrottle):
    """`API_RATE_LIMIT` requests a minute per client address (behind `FEEDBACK_TRUSTED_PROXIES`
    proxies), counted in the shared cache."""

    def __init__(self):
        self._local = threading.local()

    def allow_request(self, request):
        verdict = throttle.hit(
            throttle.client_ip(request),
            scope="api-rate",
            limit=settings.API_RATE_LIMIT,
            window=RATE_WINDOW,
        )
        self._local.retry_after = verdict.retry_after
        return verdict.allowed

    def wait(self):
        return getattr(self._local, "retry_after", RATE_WINDOW) or None


class Renderer(JSONRenderer):
    """JSON in UTF-8 as written: Chinese text takes 3 bytes a character, not 6 as \\uXXXX."""

    json_dumps_params = {"ensure_ascii": False}


class OpenDataAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs):
        """Errors documented with the media type they are sent as."""
        schema = super().get_openapi_schema(**kwargs)
        for operations in schema["paths"].values():
            for operation in operations.values():
                for status, response in operation["responses"].items():
                    content = response.get("content", {})
                    if str(status).startswith("4") and "application/json" in content:
                        response["content"] = {PROBLEM_JSON: content["application/json"]}
        return schema


# Every operation can answer these besides its 200.
ERRORS = {frozenset({400, 404, 422, 429}): ProblemDetail}


def answers(schema):
    return {200: schema, **ERRORS}


api = OpenDataAPI(
    title="民生实事 open data API",
    version="1.0",
    description=(
        "Read-only open data of the livelihood projects (民生实事): each year's promised items "
        "with their published progress, updates and residents' published feedback with the "
        "official replies. Money is in 万元 (10,000 yuan) as decimal strings; dates are ISO "
        "8601. Every response holds published content only. Rate-limited per client; errors "
        "are `application/problem+json`."
    ),
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs/",
    throttle=[ClientThrottle()],
    renderer=Renderer(),
    # Paths as text, not links nested in each operation's button (axe: nested-interactive).
    docs=Swagger(settings={"deepLinking": False}),
)
register_exception_handlers(api)

ItemId = Path(..., ge=1, le=MAX_ID, description="The item's id.")


@api.get("/years/", response=answers(list[Year]), url_name="years", tags=["years"])
def list_years(request):
    """The published years, newest first, with the overview's figures."""
    return [data.year_data(request, year_page) for year_page in data.public_years(request)]


@api.get("/years/{year}/", response=answers(Year), url_name="year", tags=["years"])
def get_year(request, year: int = Path(..., ge=2000, le=2100)):
    """One year with the overview's figures."""
    return data.year_data(request, data.public_year(request, year))


LIST_FILTERS = ("category", "district", "department", "status", "colour", "tag")


@api.get("/items/", response=answers(ItemPage), url_name="items", tags=["items"])
def list_items(request, filters: Query[ItemFilters]):
    """Published items, filtered and sorted like a year's list, a page at a time."""
    chosen = filters.dict(exclude_none=True)
    items = data.public_items(request)
    if "year" in chosen:
        items = items.filter(list_year=chosen["year"])
    if "number" in chosen:
        items = items.filter(number=chosen["number"])
    filterset = ProjectFilter(
        {name: chosen[name] for name in LIST_FILTERS if name in chosen}, queryset=items
    )
    # A category, district or department nobody has: no items, as on the year list.
    items = filterset.qs if filterset.is_valid() else items.none()
    if "tag" in chosen:
        items = items.distinct()
    sort = chosen.get("sort")
    if chosen.get("q", "").strip():
        results = search_items(chosen["q"], items, order_by=SORTS.get(sort))
        count = len(results)
    else:
        results = items.order_by(*SORTS[sort or "number"])
        count = results.count()
    offset, limit = filters.offset, filters.limit
    page = results[offset : offset + limit] if offset < count else []
    return {
        "count": count,
        "limit": limit,
        "offset": offset,
        "next": _page_url(request, offset + limit) if offset + limit < count else None,
        "previous": _page_url(request, max(0, offset - limit)) if offset > 0 else None,
        "items": data.items_data(request, page),
    }


def _page_url(request, offset):
    params = [(k, v) for k, values in request.GET.lists() if k != "offset" for v in values]
    return request.build_absolute_uri(f"{request.path}?{urlencode([*params, ('offset', offset)])}")


@api.get("/items/{item_id}/", response=answers(Item), url_name="item", tags=["items"])
def get_item(request, item_id: int = ItemId):
    """One published item with every public field."""
    return data.items_data(request, [data.public_item(request, item_id)])[0]


@api.get(
    "/items/{item_id}/updates/", response=answers(list[Update]), url_name="updates", tags=["items"]
)
def list_updates(request, item_id: int = ItemId):
    """The item's published progress updates, newest first, with photos."""
    return data.updates_data(request, data.public_item(request, item_id))


@api.get(
    "/items/{item_id}/feedback/",
    response=answers(list[Message]),
    url_name="feedback",
    tags=["items"],
)
def list_feedback(request, item_id: int = ItemId):
    """Residents' published messages about the item (newest first) and the official replies.
    A name only when its author chose to show it; never any contact details."""
    return data.feedback_data(request, data.public_item(request, item_id))


def not_found(request, *args, **kwargs):
    """Any other address under `/api/`: a JSON 404 like the API's own."""
    return problem_response(status=404, detail="No such API endpoint; see /api/docs/.")
