"""Atom and RSS feeds of published progress updates (projects.feeds): each carries exactly the
live updates of its scope, newest first, with absolute links, dates with their time zone and
the visitor's language; pages link to them; the shared page cache keeps them and a published
update shows in them on the very next request."""

import xml.etree.ElementTree as ET
from datetime import date

from django.core.cache import cache, caches
from django.test import TestCase, override_settings
from django.utils import timezone

from portal.setup import ensure_home_page
from projects.factories import (
    CategoryFactory,
    DistrictFactory,
    ProgressUpdatePageFactory,
    ProjectIndexPageFactory,
    ProjectPageFactory,
)

ATOM = {"a": "http://www.w3.org/2005/Atom"}


def atom_entries(response):
    root = ET.fromstring(response.content)
    return root, root.findall("a:entry", ATOM)


def entry_links(response):
    return [entry.find("a:link", ATOM).get("href") for entry in atom_entries(response)[1]]


def absolute(page):
    return f"http://testserver{page.url}"


class FeedData:
    """Two years; in 2022 items in two categories and two districts, a draft update, an update
    with an unpublished newer revision, and an unpublished item whose update is still live."""

    @classmethod
    def setUpTestData(cls):
        home = ensure_home_page()
        cls.year = ProjectIndexPageFactory(parent=home, year=2022, status_date=date(2022, 7, 1))
        cls.parks = CategoryFactory(slug="parks", name="公园绿道", name_en="Parks")
        cls.schools = CategoryFactory(slug="education", name="教育", name_en="Education")
        cls.dawang = DistrictFactory(slug="dawang", name="大旺街道", name_en="Dawang Street")
        cls.south = DistrictFactory(slug="south", name="城南片区", name_en="South")
        cls.park = ProjectPageFactory(
            parent=cls.year,
            number=11,
            title="将军山体育公园建设",
            title_en="Jiangjunshan Sports Park",
            category=cls.parks,
            district=cls.dawang,
        )
        cls.school = ProjectPageFactory(
            parent=cls.year, number=1, title="育才学校", category=cls.schools, district=cls.dawang
        )
        cls.greenway = ProjectPageFactory(
            parent=cls.year, number=2, title="城南绿道", category=cls.parks, district=cls.south
        )
        cls.hidden = ProjectPageFactory(
            parent=cls.year, number=3, title="撤回的项目", category=cls.parks, district=cls.dawang
        )
        cls.park_march = ProgressUpdatePageFactory(
            parent=cls.park, date=date(2022, 3, 1), progress=40, text="<p>园路基层施工。</p>"
        )
        cls.park_june = ProgressUpdatePageFactory(
            parent=cls.park,
            date=date(2022, 6, 20),
            progress=60,
            text="<p>球场铺装 &amp; 照明安装。</p>",
        )
        cls.school_may = ProgressUpdatePageFactory(parent=cls.school, date=date(2022, 5, 1))
        cls.greenway_april = ProgressUpdatePageFactory(parent=cls.greenway, date=date(2022, 4, 10))
        ProgressUpdatePageFactory(parent=cls.park, date=date(2022, 7, 1), publish=False)
        cls.hidden_update = ProgressUpdatePageFactory(parent=cls.hidden, date=date(2022, 6, 30))
        cls.hidden.unpublish()  # Wagtail leaves its updates live
        # A newer draft of a published update is not published.
        cls.park_june.text = "<p>草稿：尚未审核的内容。</p>"
        cls.park_june.save_revision()

        older = ProjectIndexPageFactory(parent=home, year=2021)
        cls.old_item = ProjectPageFactory(parent=older, number=5)
        cls.old_update = ProgressUpdatePageFactory(parent=cls.old_item, date=date(2021, 8, 1))


class FeedContentTests(FeedData, TestCase):
    def feed(self, url, **kwargs):
        response = self.client.get(url, **kwargs)
        self.assertEqual(response.status_code, 200, url)
        return response

    def test_each_feed_has_exactly_the_live_updates_of_its_scope_newest_first(self):
        park_june, park_march = absolute(self.park_june), absolute(self.park_march)
        school, greenway = absolute(self.school_may), absolute(self.greenway_april)
        expected = {
            "/feed/": [park_june, school, greenway, park_march, absolute(self.old_update)],
            "/2022/feed/": [park_june, school, greenway, park_march],
            "/2022/feed/?category=parks": [park_june, greenway, park_march],
            "/2022/feed/?district=dawang": [park_june, school, park_march],
            "/2022/feed/?category=parks&district=dawang": [park_june, park_march],
            "/2022/11/feed/": [park_june, park_march],
            "/2022/1/feed/": [school],
            "/2021/feed/": [absolute(self.old_update)],
        }
        for url, links in expected.items():
            response = self.feed(url)
            self.assertEqual(response["Content-Type"], "application/atom+xml; charset=utf-8")
            self.assertEqual(entry_links(response), links, url)

    def test_the_rss_feeds_carry_the_same_updates(self):
        for url, atom in (("/feed/rss/", "/feed/"), ("/2022/feed/rss/?category=parks", None)):
            response = self.feed(url)
            self.assertEqual(response["Content-Type"], "application/rss+xml; charset=utf-8")
            links = [item.findtext("link") for item in ET.fromstring(response.content).iter("item")]
            expected = entry_links(self.feed(atom or "/2022/feed/?category=parks"))
            self.assertEqual(links, expected, url)

    def test_an_entry_shows_the_published_update_with_its_item_and_dates(self):
        _root, entries = atom_entries(self.feed("/2022/11/feed/"))
        entry = entries[0]
        self.assertEqual(
            entry.findtext("a:title", namespaces=ATOM),
            "第11项 将军山体育公园建设：2022年6月20日进展更新",
        )
        summary = entry.findtext("a:summary", namespaces=ATOM)
        self.assertEqual(summary, "已完成60%。球场铺装 &amp; 照明安装。")
        self.assertNotIn("草稿", self.feed("/2022/11/feed/").content.decode())
        self.park_june.refresh_from_db()
        published = timezone.localtime(self.park_june.first_published_at)
        self.assertEqual(entry.findtext("a:published", namespaces=ATOM), published.isoformat())
        self.assertTrue(entry.findtext("a:updated", namespaces=ATOM).endswith("+08:00"))
        self.assertEqual(entry.findtext("a:id", namespaces=ATOM), absolute(self.park_june))
        self.assertEqual(
            [c.get("term") for c in entry.findall("a:category", ATOM)], ["公园绿道", "大旺街道"]
        )

    def test_feed_titles_and_links_describe_the_scope(self):
        root, _entries = atom_entries(self.feed("/2022/feed/?category=parks"))
        self.assertEqual(
            root.findtext("a:title", namespaces=ATOM), "2022年进展更新：公园绿道 · 高新区民生实事"
        )
        links = {link.get("rel"): link.get("href") for link in root.findall("a:link", ATOM)}
        self.assertEqual(links["alternate"], "http://testserver/2022/?category=parks")
        self.assertEqual(links["self"], "http://testserver/2022/feed/?category=parks")
        root, _entries = atom_entries(self.feed("/2022/11/feed/"))
        links = {link.get("rel"): link.get("href") for link in root.findall("a:link", ATOM)}
        self.assertEqual(links["alternate"], absolute(self.park))

    def test_english_visitors_get_english_titles_and_names(self):
        self.client.cookies["django_language"] = "en"
        root, entries = atom_entries(self.feed("/2022/feed/?category=parks"))
        self.assertEqual(
            root.findtext("a:title", namespaces=ATOM),
            "2022 progress updates: Parks · Livelihood Projects",
        )
        self.assertEqual(root.get("{http://www.w3.org/XML/1998/namespace}lang"), "en")
        title = entries[0].findtext("a:title", namespaces=ATOM)
        self.assertIn("No. 11 Jiangjunshan Sports Park", title)
        self.assertEqual(
            [c.get("term") for c in entries[0].findall("a:category", ATOM)],
            ["Parks", "Dawang Street"],
        )
        self.assertTrue(entries[0].findtext("a:summary", namespaces=ATOM).startswith("60% done."))

    def test_feeds_leave_compressed(self):
        response = self.client.get("/feed/", HTTP_ACCEPT_ENCODING="gzip")
        self.assertEqual(response["Content-Encoding"], "gzip")

    def test_nothing_unpublished_has_a_feed(self):
        for url in (
            "/2022/3/feed/",  # unpublished item
            "/2022/99/feed/",
            "/2023/feed/",
            "/2022/feed/?category=no-such-category",
            "/2022/feed/?district=no-such-district",
        ):
            self.assertEqual(self.client.get(url).status_code, 404, url)

    def test_pages_link_their_feed_in_the_head_and_visibly(self):
        pages = {
            "/": "/feed/",
            "/2022/": "/2022/feed/",
            "/2022/?category=parks": "/2022/feed/?category=parks",
            "/2022/?district=dawang&amp;status=in_progress": None,
            self.park.url: "/2022/11/feed/",
        }
        for url, feed in pages.items():
            url = url.replace("&amp;", "&")
            feed = feed or "/2022/feed/?district=dawang"
            html = self.client.get(url).content.decode()
            escaped = feed.replace("&", "&amp;")
            head = html.split("</head>")[0]
            self.assertTrue(
                f'<link rel="alternate" type="application/atom+xml" href="{escaped}"' in head, url
            )
            self.assertTrue('<link rel="alternate" type="application/rss+xml"' in head, url)
            self.assertTrue(f'<a class="feed-link" href="{escaped}"' in html, url)
            self.assertTrue("订阅更新（Atom）" in html, url)
            self.assertEqual(self.client.get(feed).status_code, 200, feed)
        self.client.cookies["django_language"] = "en"
        html = self.client.get(self.park.url).content.decode()
        self.assertTrue("Subscribe to updates (Atom)" in html)


@override_settings(PAGE_CACHE_SECONDS=600, FRAGMENT_CACHE_SECONDS=600)  # as in production
class FeedCacheTests(FeedData, TestCase):
    def setUp(self):
        cache.clear()
        caches["fragments"].clear()

    def get(self, url):
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        return response

    def test_feeds_come_from_the_page_cache(self):
        for url in ("/feed/", "/2022/feed/?category=parks", "/2022/11/feed/", "/2022/11/feed/rss/"):
            self.assertEqual(self.get(url)["X-Page-Cache"], "miss", url)
            with self.assertNumQueries(0):
                second = self.get(url)
            self.assertEqual(second["X-Page-Cache"], "hit", url)
            self.assertIn("public", second["Cache-Control"])

    def test_a_published_update_shows_in_the_feeds_on_the_very_next_request(self):
        urls = ("/2022/11/feed/", "/feed/", "/feed/rss/", "/2022/feed/?category=parks")
        for url in urls:
            self.get(url)
            self.assertEqual(self.get(url)["X-Page-Cache"], "hit", url)
        update = ProgressUpdatePageFactory(parent=self.park, date=date(2022, 6, 25), progress=70)
        for url in urls:
            response = self.get(url)
            self.assertIn(absolute(update), response.content.decode(), url)
        self.assertEqual(entry_links(self.get("/2022/11/feed/"))[0], absolute(update))
        self.assertEqual(entry_links(self.get("/feed/"))[0], absolute(update))

    def test_an_unpublished_update_leaves_the_feeds_at_once(self):
        link = absolute(self.park_june)
        for url in ("/2022/11/feed/", "/feed/"):
            self.assertIn(link, self.get(url).content.decode())
        self.park_june.unpublish()
        for url in ("/2022/11/feed/", "/feed/"):
            self.assertNotIn(link, self.get(url).content.decode(), url)
