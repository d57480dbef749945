from django.conf import settings
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from django.views.static import serve
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from projects.api import downloads
from projects.api import views as api_views
from projects.api.views import api
from projects.editorial import explorer
from projects.feeds import feeds, robots

from . import views
from .pagecache import public_page


def public_patterns(urls):
    """`include()` of a URL conf (`api.urls`) with every view marked public (`public_page`)."""
    patterns, app_name, namespace = urls
    for pattern in patterns:
        pattern.callback = public_page(pattern.callback)
    return include((patterns, app_name), namespace=namespace)


handler400 = views.bad_request
handler403 = views.permission_denied
handler404 = views.page_not_found
handler500 = views.server_error

urlpatterns = [
    # Wagtail's page explorer, refused first on other departments' items (same names).
    path("admin/pages/<int:parent_page_id>/", explorer.explore, name="wagtailadmin_explore"),
    path(
        "admin/pages/<int:parent_page_id>/results/",
        explorer.explore_results,
        name="wagtailadmin_explore_results",
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("sitemap.xml", public_page(sitemap)),
    path("search/", views.search, name="search"),
    path("map/", views.item_map, name="map"),
    path("care-mode/", views.care_mode, name="care_mode"),
    path("feedback/", include("projects.feedback.urls")),
    path("follow/", include("projects.follow.urls")),
    # Feeds and robots.txt. Year and item feeds sit under `/<year>/`, so a year's purge reaches
    # them; the site feed's paths are in `portal.cache_purge.SITE_PATHS`.
    path("robots.txt", public_page(robots.robots_txt), name="robots_txt"),
    path("feed/", public_page(feeds.SiteFeed()), name="feed"),
    path("feed/rss/", public_page(feeds.SiteRssFeed()), name="feed_rss"),
    path("<int:year>/feed/", public_page(feeds.YearFeed()), name="year_feed"),
    path("<int:year>/feed/rss/", public_page(feeds.YearRssFeed()), name="year_feed_rss"),
    path("<int:year>/<int:number>/feed/", public_page(feeds.ItemFeed()), name="item_feed"),
    path(
        "<int:year>/<int:number>/feed/rss/",
        public_page(feeds.ItemRssFeed()),
        name="item_feed_rss",
    ),
    # Open data (projects.api): the API under `/api/` (its own section of the page cache,
    # purged with every year) and each year's list as CSV and XLSX under `/<year>/`.
    path("api/", RedirectView.as_view(url="/api/docs/")),
    path("api/", public_patterns(api.urls)),
    re_path(r"^api/", api_views.not_found),
    path("<int:year>/download.csv", public_page(downloads.year_csv), name="year_csv"),
    path("<int:year>/download.xlsx", public_page(downloads.year_xlsx), name="year_xlsx"),
]

if (settings.DEBUG or settings.SERVE_MEDIA) and not settings.MEDIA_ON_OBJECT_STORAGE:
    # Local media for `make run` / `make serve`; a real deployment serves media from its
    # web server or object storage.
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    ]

urlpatterns += [path("", include(wagtail_urls))]
