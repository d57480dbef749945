"""Atom and RSS feeds of published progress updates: the whole site, a year, a year's items of
one category or district, and one item (Django's syndication framework).

Each feed lives where the page cache's purges already reach (`portal.cache_purge`): a year's
feeds at `/<year>/feed/` (by category or district with the year list's own query parameters,
`?category=parks`) and an item's at `/<year>/<number>/feed/`, all in the section of the year
that publishing any of its updates purges; the site's at `/feed/`, one of the `SITE_PATHS`
purged with it. RSS is the same at `…/feed/rss/`.

A feed shows what the public site shows and nothing else: live, public updates of live items of
live years, read from the page rows, which hold the published content (a draft revision never
reaches them). The `LENGTH` latest, in the item page's order (by the update's date, newest
first); titles in the visitor's language where the site has English fields (item titles,
category and district names); absolute links; dates with their time zone.
"""

from dataclasses import dataclass, field
from datetime import datetime, time
from html import unescape
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Exists, OuterRef
from django.db.models.functions import Substr
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.formats import date_format
from django.utils.html import escape, strip_tags
from django.utils.text import normalize_newlines
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail.models import Page, Site
from wagtail.rich_text import expand_db_html

from ..models import Category, District, ProgressUpdatePage, ProjectIndexPage, ProjectPage

LENGTH = 50  # entries a feed carries, the newest


def site_name():
    """The site's name in the visitor's language (as `portal.context_processors` gives pages)."""
    if (get_language() or "").startswith("en"):
        return settings.SITE_NAME_EN
    return settings.WAGTAIL_SITE_NAME


@dataclass
class Scope:
    """What one feed follows: the updates under `root` whose item matches `item_filters`."""

    request: object
    root: Page
    title: str
    link: str  # the public page that lists these updates
    url_name: str
    url_kwargs: dict = field(default_factory=dict)
    query: str = ""
    item_filters: dict = field(default_factory=dict)

    def url(self, rss=False):
        path = reverse(f"{self.url_name}_rss" if rss else self.url_name, kwargs=self.url_kwargs)
        return f"{path}?{self.query}" if self.query else path

    @property
    def rss_url(self):
        return self.url(rss=True)

    def updates(self):
        """The live, public updates in scope whose item and year are live too (unpublishing
        an item leaves its updates live in Wagtail), newest first."""
        item_path = Substr(OuterRef("path"), 1, (OuterRef("depth") - 1) * Page.steplen)
        year_path = Substr(OuterRef("path"), 1, (OuterRef("depth") - 2) * Page.steplen)
        items = ProjectPage.objects.live().filter(path=item_path, **self.item_filters)
        years = ProjectIndexPage.objects.live().filter(path=year_path)
        return (
            ProgressUpdatePage.objects.descendant_of(self.root)
            .live()
            .public()
            .filter(Exists(items), Exists(years))
            .order_by("-date", "-pk")
        )


def site_scope(request):
    site = Site.find_for_request(request)
    if site is None:
        raise Http404("No site here.")
    return Scope(
        request=request,
        root=site.root_page,
        title=_("Progress updates · %(site)s") % {"site": site_name()},
        link=site.root_page.get_url(request) or "/",
        url_name="feed",
    )


def year_scope(request, year_page, *, category=None, district=None):
    params = [(name, s.slug) for name, s in (("category", category), ("district", district)) if s]
    query = urlencode(params)
    chosen = " · ".join(s.display_name for s in (category, district) if s)
    words = {"year": year_page.year, "scope": chosen, "site": site_name()}
    if chosen:
        title = _("%(year)s progress updates: %(scope)s · %(site)s") % words
    else:
        title = _("%(year)s progress updates · %(site)s") % words
    filters = {name: s for name, s in (("category", category), ("district", district)) if s}
    link = year_page.get_url(request)
    return Scope(
        request=request,
        root=year_page,
        title=title,
        link=f"{link}?{query}" if query else link,
        url_name="year_feed",
        url_kwargs={"year": year_page.year},
        query=query,
        item_filters=filters,
    )


def item_scope(request, item, year_page=None):
    year = year_page or item.year_page
    words = {"number": item.number, "title": item.display_title, "site": site_name()}
    return Scope(
        request=request,
        root=item,
        title=_("No. %(number)s %(title)s: progress updates · %(site)s") % words,
        link=item.get_url(request),
        url_name="item_feed",
        url_kwargs={"year": year.year, "number": item.number},
    )


def plain_text(rich_text):
    """A progress update's rich text as one paragraph of plain text."""
    text = unescape(strip_tags(expand_db_html(rich_text)))
    return " ".join(normalize_newlines(text).split())


class UpdatesFeed(Feed):
    """The updates of a `Scope` (`get_object` says which), as Atom."""

    feed_type = Atom1Feed

    def get_object(self, request, *args, **kwargs):
        raise NotImplementedError

    def title(self, scope):
        return scope.title

    def link(self, scope):
        return scope.link

    def feed_url(self, scope):
        return scope.url(rss=self.feed_type is Rss201rev2Feed)

    def subtitle(self, scope):
        return _("Published progress updates of the livelihood projects, newest first.")

    description = subtitle  # RSS

    def author_name(self, scope):
        return site_name()

    def items(self, scope):
        updates = list(scope.updates()[:LENGTH])
        parents = {update.path[: -Page.steplen] for update in updates}
        items = {
            item.path: item
            for item in ProjectPage.objects.filter(path__in=parents).select_related(
                "category", "department", "district"
            )
        }
        for update in updates:
            update.project = items[update.path[: -Page.steplen]]  # the cached_property
            update.feed_link = update.get_url(scope.request)
        return updates

    def item_title(self, update):
        return _("No. %(number)s %(title)s: update of %(date)s") % {
            "number": update.project.number,
            "title": update.project.display_title,
            "date": date_format(update.date, "DATE_FORMAT"),
        }

    def item_description(self, update):
        # Atom's summary and RSS's description are HTML: the plain text, escaped.
        text = _("%(progress)s%% done. %(text)s") % {
            "progress": update.progress,
            "text": plain_text(update.text),
        }
        return escape(text.strip())

    def item_link(self, update):
        return update.feed_link

    def item_pubdate(self, update):
        # Pages written in bulk (`generate_bench_data`) have no publication time: their date.
        first = update.first_published_at or update.last_published_at
        if first is None:
            return timezone.make_aware(datetime.combine(update.date, time()))
        return timezone.localtime(first)

    def item_updateddate(self, update):
        if update.last_published_at is None:
            return self.item_pubdate(update)
        return timezone.localtime(update.last_published_at)

    def item_author_name(self, update):
        return update.project.department.display_name

    def item_categories(self, update):
        return [update.project.category.display_name, update.project.district.display_name]


class SiteFeed(UpdatesFeed):
    def get_object(self, request):
        return site_scope(request)


class YearFeed(UpdatesFeed):
    """A year's updates; `?category=<slug>` and `?district=<slug>` narrow it as on the list."""

    def get_object(self, request, year):
        year_page = live_year(year)
        chosen = {}
        for name, model in (("category", Category), ("district", District)):
            if slug := request.GET.get(name):
                chosen[name] = model.objects.filter(slug=slug).first()
                if chosen[name] is None:
                    raise Http404(f"No such {name}.")
        return year_scope(request, year_page, **chosen)


class ItemFeed(UpdatesFeed):
    def get_object(self, request, year, number):
        year_page = live_year(year)
        item = (
            ProjectPage.objects.child_of(year_page).live().public().filter(slug=str(number)).first()
        )
        if item is None:
            raise Http404("No such item.")
        return item_scope(request, item, year_page)


def live_year(year):
    year_page = ProjectIndexPage.objects.live().public().filter(year=year).first()
    if year_page is None:
        raise Http404("No such year.")
    return year_page


class SiteRssFeed(SiteFeed):
    feed_type = Rss201rev2Feed


class YearRssFeed(YearFeed):
    feed_type = Rss201rev2Feed


class ItemRssFeed(ItemFeed):
    feed_type = Rss201rev2Feed
