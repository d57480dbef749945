"""`/robots.txt`: the sitemap's absolute address, and what crawlers should leave alone."""

from django.http import HttpResponse
from django.views.decorators.http import require_safe

# The admin; residents' forms and tracking pages (`/feedback/<code>/`); searches, which are
# the most expensive pages to render, with the year lists' keyword filter that runs one; the
# language and 关怀版 switches (POST only); the open data API, whose lists page and filter
# without end (its documentation stays open: `ALLOWED`).
DISALLOWED = (
    "/admin/",
    "/feedback/",
    "/search/?",
    "/*?q=",
    "/*&q=",
    "/i18n/",
    "/care-mode/",
    "/api/",
)
ALLOWED = ("/api/docs/", "/api/openapi.json")


@require_safe
def robots_txt(request):
    lines = [
        "User-agent: *",
        *(f"Allow: {path}" for path in ALLOWED),
        *(f"Disallow: {path}" for path in DISALLOWED),
        "",
    ]
    lines.append(f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
