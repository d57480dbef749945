"""Site boards (工地公示牌): what a resident reads on the board at the site, that both QR codes
lead a phone to the right page, the year's printable document, and that a change shows on the
board at once despite the page cache."""

import base64
import io
import re
from datetime import date
from decimal import Decimal

import zxingcpp
from django.core.cache import cache, caches
from django.test import TestCase, override_settings
from PIL import Image
from wagtail.contrib.frontend_cache.backends import BaseBackend

from portal.setup import ensure_home_page
from projects.factories import (
    DepartmentFactory,
    ProgressUpdatePageFactory,
    ProjectIndexPageFactory,
    ProjectPageFactory,
)

from .conftest import make_user


class RecordingBackend(BaseBackend):
    """A CDN in front of the site, as Wagtail's frontend cache sees it: the URLs it is told to
    purge."""

    purged = []

    def purge(self, url):
        RecordingBackend.purged.append(url)


QR_IMG = re.compile(
    r'<img class="board__qr" src="data:image/png;base64,([^"]+)"[^>]*data-qr="(\w+)"'
)


def scanned(html):
    """Each QR code on the page, read as a phone's scanner would: {"item": text, ...}."""
    codes = {}
    for data, name in QR_IMG.findall(html):
        image = Image.open(io.BytesIO(base64.b64decode(data)))
        results = zxingcpp.read_barcodes(image)
        codes[name] = [result.text for result in results]
    return codes


@override_settings(PAGE_CACHE_SECONDS=600, FRAGMENT_CACHE_SECONDS=600)  # as in production
class BoardTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = ensure_home_page()
        cls.year = ProjectIndexPageFactory(parent=cls.home, year=2022, status_date=date(2022, 7, 1))
        cls.roads = DepartmentFactory(name="区交通局", name_en="District Transport Bureau")
        cls.schools = DepartmentFactory(name="区教育局", name_en="District Education Bureau")
        cls.item = ProjectPageFactory(
            parent=cls.year,
            number=37,
            title="将军山体育公园建设",
            title_en="Jiangjunshan sports park",
            department=cls.roads,
            budget=Decimal("1250.00"),
            planned_start=date(2022, 1, 1),
            planned_completion=date(2022, 10, 31),
            revised_completion=date(2022, 12, 28),
            delay_reason="地质条件复杂。",
        )
        ProgressUpdatePageFactory(parent=cls.item, date=date(2022, 6, 15), progress=45)
        cls.item.refresh_from_db()
        cls.school = ProjectPageFactory(
            parent=cls.year, number=38, title="城南学校扩建", department=cls.schools
        )

    def setUp(self):
        cache.clear()
        caches["fragments"].clear()

    def text(self, url, **kwargs):
        response = self.client.get(url, **kwargs)
        self.assertEqual(response.status_code, 200, url)
        return response.content.decode()

    def test_the_board_shows_what_a_passer_by_needs(self):
        html = self.text("/2022/37/board/")
        self.assertIn("第37项", html)
        self.assertIn("将军山体育公园建设", html)
        self.assertIn("区交通局", html)
        self.assertIn("1,250", html)
        self.assertIn("万元", html)
        self.assertIn("2022年10月31日", html)  # promised
        self.assertIn("2022年12月28日", html)  # now expected
        self.assertIn(">45%<", html)
        self.assertIn("2022年7月1日", html)  # the year's data date
        self.assertIn("http://testserver/", html)  # the portal's address

    def test_both_qr_codes_scan_to_the_item_and_its_feedback_form(self):
        codes = scanned(self.text("/2022/37/board/", HTTP_HOST="minsheng.example.gov.cn"))
        self.assertEqual(
            codes,
            {
                "item": ["http://minsheng.example.gov.cn/2022/37/"],
                "feedback": [f"http://minsheng.example.gov.cn/feedback/new/{self.item.pk}/"],
            },
        )
        # What the feedback code opens is the form itself.
        form = self.text(f"/feedback/new/{self.item.pk}/")
        self.assertIn('name="message"', form)

    def test_the_board_speaks_english_when_asked(self):
        self.client.cookies.load({"django_language": "en"})
        html = self.text("/2022/37/board/")
        self.assertIn("Jiangjunshan sports park", html)
        self.assertIn("District Transport Bureau", html)
        self.assertIn("No. 37", html)

    def test_an_unpublished_item_has_no_board(self):
        self.assertEqual(self.client.get("/2022/38/board/").status_code, 200)
        self.school.unpublish()
        self.assertEqual(self.client.get("/2022/38/board/").status_code, 404)
        self.assertNotIn("城南学校扩建", self.text("/2022/boards/"))

    def test_nonsense_below_the_board_is_not_found(self):
        self.assertEqual(self.client.get("/2022/37/board/x/").status_code, 404)
        odd = self.text("/2022/boards/?page=abc&department=no-such-department")
        self.assertIn("没有符合条件的已发布项目", odd)

    def test_the_year_document_has_every_live_item_once_and_filters_by_department(self):
        html = self.text("/2022/boards/")
        self.assertEqual(html.count('class="board"'), 2)
        self.assertEqual(html.count("将军山体育公园建设</h2>"), 1)
        self.assertEqual(html.count("城南学校扩建</h2>"), 1)
        codes = scanned(html)
        self.assertEqual(len(codes), 2)  # the scanner keeps the last board's; both are read
        only_schools = self.text(f"/2022/boards/?department={self.schools.slug}")
        self.assertEqual(only_schools.count('class="board"'), 1)
        self.assertIn("城南学校扩建", only_schools)
        self.assertNotIn("将军山体育公园建设</h2>", only_schools)

    def test_a_year_of_many_items_prints_in_documents_of_a_hundred(self):
        for number in range(100, 200):
            ProjectPageFactory(parent=self.year, number=number, department=self.schools)
        first = self.text("/2022/boards/")
        self.assertEqual(first.count('class="board"'), 100)
        second = self.text("/2022/boards/?page=2")
        self.assertEqual(second.count('class="board"'), 2)
        self.assertIn("?page=2", first)

    def test_a_change_to_the_item_shows_on_its_board_at_once(self):
        first = self.client.get("/2022/37/board/")
        self.assertIn("将军山体育公园建设", first.content.decode())
        self.assertEqual(self.client.get("/2022/37/board/")["X-Page-Cache"], "hit")
        self.item.title = "将军山全民健身公园"
        self.item.save_revision().publish()
        self.assertIn("将军山全民健身公园", self.text("/2022/37/board/"))
        self.assertIn("将军山全民健身公园", self.text("/2022/boards/"))

    @override_settings(
        WAGTAILFRONTENDCACHE={
            "pages": {"BACKEND": "portal.pagecache.DjangoCacheBackend"},
            "cdn": {"BACKEND": "tests.test_boards.RecordingBackend"},
        }
    )
    def test_a_cdn_in_front_is_told_to_purge_the_boards(self):
        RecordingBackend.purged.clear()
        ProgressUpdatePageFactory(parent=self.item, date=date(2022, 7, 20), progress=60)
        self.assertIn("http://localhost/2022/37/board/", RecordingBackend.purged)
        self.assertIn("http://localhost/2022/boards/", RecordingBackend.purged)
        self.assertNotIn("http://localhost/2022/38/board/", RecordingBackend.purged)

    def test_the_admin_offers_to_print_the_board_and_the_years_boards(self):
        self.client.force_login(make_user("admin", superuser=True))
        edit = self.client.get(f"/admin/pages/{self.item.pk}/edit/").content.decode()
        self.assertIn('href="/2022/37/board/"', edit)
        self.assertIn("打印公示牌", edit)
        listing = self.client.get(f"/admin/pages/{self.year.pk}/").content.decode()
        self.assertIn('href="/2022/boards/"', listing)
        self.assertIn('href="/2022/38/board/"', listing)
        self.school.unpublish()
        listing = self.client.get(f"/admin/pages/{self.year.pk}/").content.decode()
        self.assertNotIn('href="/2022/38/board/"', listing)
