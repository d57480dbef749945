"""Site-wide pages that are not Wagtail pages: search, the map, the care-mode switch and the
error pages."""

from django.http import HttpResponseRedirect, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from projects.filters import ProjectFilter
from projects.models import ProjectIndexPage, ProjectPage
from projects.pagination import card_page
from projects.search.query import suggestions

from .pagecache import public_page

CARE_COOKIE = "care_mode"


@public_page
def search(request):
    items = ProjectPage.objects.live()
    filterset = ProjectFilter(request.GET or None, queryset=items)
    query = filterset.form.cleaned_data.get("q", "") if filterset.is_valid() else ""
    results = filterset.results() if query else []
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


@public_page
def item_map(request):
    years = list(ProjectIndexPage.objects.live().order_by("-year"))
    year = next((y for y in years if str(y.year) == request.GET.get("year")), None)
    year = year or (years[0] if years else None)
    items = ProjectPage.objects.child_of(year).live() if year else ProjectPage.objects.none()
    filterset = ProjectFilter(request.GET or None, queryset=items)
    results = filterset.results()
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
            "markers": markers,
        },
    )


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
            secure=request.is_secure(),
        )
    else:
        response.delete_cookie(CARE_COOKIE, samesite="Lax")
    return response


# Error pages. Django's own handlers are wrapped in `requires_csrf_token`, which runs the CSRF
# check again and so reads the request body a second time: a body that broke the first read (a
# form posted in a non-UTF-8 charset, say) then turns a 400 into a bare 500. These never touch
# the body; the 400/403/404 pages have the site's header, footer and language.


def bad_request(request, exception=None):
    return render(request, "400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    """Static on purpose: no request context, no database, no site settings."""
    return HttpResponseServerError(loader.render_to_string("500.html"))
