"""Site-wide pages that are not Wagtail pages: search, the map, the care-mode switch and the
error pages."""

from django.conf import settings
from django.db.models import Avg, Count, Q
from django.http import HttpResponseRedirect, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language
from wagtail.api.v3.errors import problem_response

from projects.choices import Colour
from projects.filters import SORTS, ProjectFilter, results_memo_key
from projects.models import District, ProjectIndexPage, ProjectPage
from projects.pagination import card_page
from projects.search.query import suggestions

from .pagecache import public_page

CARE_COOKIE = "care_mode"


@public_page
def search(request):
    items = ProjectPage.objects.live()
    filterset = ProjectFilter(request.GET or None, queryset=items)
    query = filterset.form.cleaned_data.get("q", "") if filterset.is_valid() else ""
    # Ranked once per search until an item or synonym changes (the generation of /search/).
    memo_key = results_memo_key(request, ("site", "path"))
    results = filterset.results(memo_key=memo_key) if query else []
    search = filterset.search
    page_obj = card_page(request, results)
    return render(
        request,
        "portal/search.html",
        {
            "query": query,
            "results": page_obj.object_list,
            "page_obj": page_obj,
            "matches": page_obj.paginator.count,
            "filterset": filterset,
            "partial": bool(search and search.partial),
            "suggestions": suggestions(query, search.concepts) if query and not results else None,
        },
    )


# Beyond this many items the map shows one marker per area with its count (and lists the
# areas), so a year of a thousand items costs what a year of a hundred does.
MAP_MARKER_LIMIT = 300


@public_page
def item_map(request):
    """The selected year's items on a map (by default the latest year), filtered as the list.

    Up to MAP_MARKER_LIMIT items: a marker each and the items listed below. More: one marker
    per district with its count, linking to the same map narrowed to that district, and the
    districts listed below with links to their items (no JavaScript needed). Should a single
    district still hold more, its first MAP_MARKER_LIMIT items are shown and the rest counted.
    """
    years = list(ProjectIndexPage.objects.live().order_by("-year"))
    year = next((y for y in years if str(y.year) == request.GET.get("year")), None)
    year = year or (years[0] if years else None)
    items = ProjectPage.objects.child_of(year).live() if year else ProjectPage.objects.none()
    filterset = ProjectFilter(request.GET or None, queryset=items)
    data = filterset.form.cleaned_data if filterset.is_valid() else {}
    if data.get("q"):
        found = filterset.results()  # a SearchResult: ids ranked, items fetched on demand
        matching = items.filter(pk__in=found.ids)
        total = len(found)
    else:
        found = None
        matching = filterset.qs
        total = matching.values("pk").distinct().count()
    areas = _map_areas(request, year, matching) if total > MAP_MARKER_LIMIT else []
    if len(areas) > 1:
        results = []
        markers = [area["marker"] for area in areas if area["marker"]]
    else:
        areas = []
        if found is not None:
            results = found[:MAP_MARKER_LIMIT]
        else:
            order = SORTS.get(data.get("sort") or "", SORTS["number"])
            located = matching.select_related("district").order_by(*order).distinct()
            results = list(located[:MAP_MARKER_LIMIT])
        markers = [
            item.map_marker()
            for item in results
            if item.latitude is not None and item.longitude is not None
        ]
    return render(
        request,
        "portal/map.html",
        {
            "years": years,
            "year": year,
            "filterset": filterset,
            "results": results,
            "total": total,
            "areas": areas,
            "markers": markers,
        },
    )


def _map_areas(request, year, matching):
    """The matching items by district: count, how many are behind, where (their centre)."""
    behind = Q(colour__in=[Colour.ORANGE, Colour.RED])
    rows = list(
        matching.order_by()
        .values("district")
        .annotate(
            count=Count("pk", distinct=True),
            behind=Count("pk", filter=behind, distinct=True),
            lat=Avg("latitude"),
            lng=Avg("longitude"),
        )
        .order_by("-count")
    )
    districts = District.objects.in_bulk([row["district"] for row in rows])
    areas = []
    for row in rows:
        district = districts[row["district"]]
        params = request.GET.copy()
        params["district"] = district.slug
        params["year"] = str(year.year)
        map_url = f"{request.path}?{params.urlencode()}"
        params.pop("year")
        list_url = f"{year.url}?{params.urlencode()}"
        summary = ngettext(
            "%(count)s item, %(behind)s behind schedule",
            "%(count)s items, %(behind)s behind schedule",
            row["count"],
        ) % {"count": row["count"], "behind": row["behind"]}
        marker = None
        if row["lat"] is not None and row["lng"] is not None:
            marker = {
                "area": True,
                "title": district.display_name,
                "url": map_url,
                "lat": float(row["lat"]),
                "lng": float(row["lng"]),
                "count": row["count"],
                "summary": summary,
            }
        areas.append(
            {
                "district": district,
                "count": row["count"],
                "summary": summary,
                "map_url": map_url,
                "list_url": list_url,
                "marker": marker,
            }
        )
    return areas


# The two switches in every page's header post without a CSRF token: a forged cross-site post
# could only change a visitor's language or text size, and a token would make every page
# personal and so impossible to serve from the shared page cache (portal.pagecache).
set_language = csrf_exempt(django_set_language)


@csrf_exempt
@require_POST
def care_mode(request):
    """Switch the elderly-friendly mode (关怀版) on or off; remembered in a cookie."""
    next_url = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if request.POST.get("care") == "on":
        response.set_cookie(
            CARE_COOKIE,
            "1",
            max_age=365 * 24 * 3600,
            samesite="Lax",
            httponly=True,
            # Over HTTPS only when the other cookies are (SECURE_COOKIES), not only when this
            # request looked secure: a proxy that drops X-Forwarded-Proto must not make it plain.
            secure=settings.SESSION_COOKIE_SECURE or request.is_secure(),
        )
    else:
        response.delete_cookie(CARE_COOKIE, samesite="Lax")
    return response


# Error pages. Django's own handlers are wrapped in `requires_csrf_token`, which runs the CSRF
# check again and so reads the request body a second time: a body that broke the first read (a
# form posted in a non-UTF-8 charset, say) then turns a 400 into a bare 500. These never touch
# the body; the 400/403/404 pages have the site's header, footer and language.


def bad_request(request, exception=None):
    if request.path.startswith("/api/"):  # the open data API answers in JSON (projects.api)
        return problem_response(status=400, detail=str(exception or "") or "Bad request")
    return render(request, "400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    """Static on purpose: no request context, no database, no site settings."""
    return HttpResponseServerError(loader.render_to_string("500.html"))
