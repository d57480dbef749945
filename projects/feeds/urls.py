"""Feeds and robots.txt, included at the site root before Wagtail's pages (`portal.urls`).

A year's and an item's feeds sit under `/<year>/`, so the purge of a year's section reaches
them; the site feed's paths are in `projects.cache_purge.SITE_PATHS`. All are kept in the
shared page cache like pages (`public_page`).
"""

from django.urls import path

from portal.pagecache import public_page

from . import feeds, robots

urlpatterns = [
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
]
