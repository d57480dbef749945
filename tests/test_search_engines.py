"""What search engines and sharing get: robots.txt, the sitemap's last-modified dates taken
from the latest published update, and the item page's share button beside its Open Graph
tags."""

import re
from datetime import UTC, date, datetime

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from portal.setup import ensure_home_page
from projects.factories import (
    ProgressUpdatePageFactory,
    ProjectIndexPageFactory,
    ProjectPageFactory,
)
from projects.models import ProgressUpdatePage, ProjectPage


class RobotsTxtTests(TestCase):
    def test_robots_txt_points_at_the_sitemap_and_keeps_crawlers_out_of_private_and_heavy_urls(
        self,
    ):
        response = self.client.get("/robots.txt")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "text/plain; charset=utf-8")
        lines = response.content.decode().splitlines()
        self.assertEqual(lines[0], "User-agent: *")
        self.assertIn("Sitemap: http://testserver/sitemap.xml", lines)
        disallowed = {line.split(": ", 1)[1] for line in lines if line.startswith("Disallow:")}
        self.assertLessEqual(
            {"/admin/", "/feedback/", "/search/?", "/*?q=", "/*&q=", "/api/"}, disallowed
        )
        # The API's lists are shut out, its documentation (longest rule wins) is not.
        allowed = {line.split(": ", 1)[1] for line in lines if line.startswith("Allow:")}
        self.assertEqual({"/api/docs/", "/api/openapi.json"}, allowed)
        # Nothing a resident should find is shut out: the lists, items, feeds and the map.
        for path in ("/", "/2022/", "/2022/1/", "/2022/feed/", "/map/", "/sitemap.xml"):
            self.assertFalse(any(path.startswith(rule) for rule in disallowed), path)

    def test_the_sitemap_address_follows_the_request(self):
        response = self.client.get("/robots.txt", secure=True, HTTP_HOST="localhost")
        self.assertIn("Sitemap: https://localhost/sitemap.xml", response.content.decode())
        self.assertEqual(self.client.head("/robots.txt").status_code, 200)
        self.assertEqual(self.client.post("/robots.txt").status_code, 405)


def lastmods(response):
    xml = response.content.decode()
    return dict(re.findall(r"<loc>https?://[^/<]+(/[^<]*)</loc><lastmod>([^<]*)</lastmod>", xml))


class SitemapLastmodTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        home = ensure_home_page()
        cls.year = ProjectIndexPageFactory(parent=home, year=2022)
        cls.item = ProjectPageFactory(parent=cls.year, number=1)
        cls.quiet = ProjectPageFactory(parent=cls.year, number=2)
        cls.update = ProgressUpdatePageFactory(parent=cls.item, date=date(2022, 9, 30))
        cls.withdrawn = ProgressUpdatePageFactory(parent=cls.item, date=date(2022, 11, 1))
        cls.withdrawn.unpublish()
        ProgressUpdatePageFactory(parent=cls.item, date=date(2022, 12, 1), publish=False)
        cls.set_published(cls.item, datetime(2022, 5, 1, 2, 0, tzinfo=UTC))
        cls.set_published(cls.quiet, datetime(2022, 5, 2, 2, 0, tzinfo=UTC))
        # 20:30 UTC on 30 September is 1 October in China.
        cls.set_published(cls.update, datetime(2022, 9, 30, 20, 30, tzinfo=UTC))
        cls.set_published(cls.withdrawn, datetime(2022, 11, 1, 2, 0, tzinfo=UTC))

    @staticmethod
    def set_published(page, when):
        type(page).objects.filter(pk=page.pk).update(last_published_at=when)

    def test_an_item_was_last_modified_when_its_latest_live_update_was_published(self):
        found = lastmods(self.client.get("/sitemap.xml"))
        self.assertEqual(found[self.item.url], "2022-10-01")
        self.assertEqual(found[self.quiet.url], "2022-05-02")  # no update: its own date
        self.assertEqual(found[self.update.url], "2022-10-01")
        self.assertNotIn(self.withdrawn.url, found)

    def test_the_item_is_not_older_than_its_own_publication(self):
        self.set_published(self.item, datetime(2022, 12, 24, 2, 0, tzinfo=UTC))
        self.assertEqual(lastmods(self.client.get("/sitemap.xml"))[self.item.url], "2022-12-24")

    def test_without_a_request_the_item_asks_for_its_own_updates(self):
        item = ProjectPage.objects.get(pk=self.item.pk)
        self.assertEqual(
            item.get_sitemap_urls()[0]["lastmod"],
            ProgressUpdatePage.objects.get(pk=self.update.pk).last_published_at,
        )

    def test_the_number_of_queries_does_not_grow_with_the_items(self):
        def queries():
            with CaptureQueriesContext(connection) as captured:
                self.assertEqual(self.client.get("/sitemap.xml").status_code, 200)
            return len(captured)

        before = queries()
        for number in range(3, 8):
            item = ProjectPageFactory(parent=self.year, number=number)
            ProgressUpdatePageFactory(parent=item)
        self.assertEqual(queries(), before)


class ShareButtonTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        home = ensure_home_page()
        year = ProjectIndexPageFactory(parent=home, year=2022)
        cls.item = ProjectPageFactory(
            parent=year, number=11, title="将军山体育公园建设", title_en="Jiangjunshan Sports Park"
        )

    def test_the_item_page_has_a_share_button_that_shows_only_with_javascript(self):
        html = self.client.get(self.item.url).content.decode()
        button = re.search(r"<button [^>]*data-share-url[^>]*>[^<]*</button>", html).group(0)
        self.assertIn('data-share-url="http://testserver/2022/11/"', button)
        self.assertIn('data-share-title="第11项 将军山体育公园建设"', button)
        self.assertIn('data-copied="链接已复制"', button)
        self.assertIn(" hidden>分享</button>", button)  # static/js/share.js shows it
        self.assertIn('<span class="share__status" role="status"></span>', html)
        self.assertIn('src="/static/js/share.js"', html)
        # The Open Graph tags stay.
        self.assertIn('<meta property="og:url" content="http://testserver/2022/11/">', html)
        self.assertIn('<meta property="og:title" content="第11项 将军山体育公园建设">', html)

    def test_english_and_care_mode_visitors_get_it_too(self):
        self.client.cookies["django_language"] = "en"
        self.client.cookies["care_mode"] = "1"
        html = self.client.get(self.item.url).content.decode()
        self.assertIn('<html lang="en" class="care-mode">', html)
        self.assertIn('data-share-title="No. 11 Jiangjunshan Sports Park"', html)
        self.assertIn('data-copied="Link copied"', html)
        self.assertIn(" hidden>Share</button>", html)
