"""Pages run the same number of queries whether a year holds few or many items."""

from datetime import date
from decimal import Decimal

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from portal.setup import ensure_home_page
from projects.factories import (
    CategoryFactory,
    DistrictFactory,
    ImageFactory,
    ProgressUpdatePageFactory,
    ProjectIndexPageFactory,
    ProjectPageFactory,
)
from projects.models import UpdatePhoto

URLS = [
    "/",
    "/2022/",
    "/2022/?category=parks&sort=progress",
    "/2022/?q=公园",
    "/2022/1/",
    "/search/?q=公园",
    "/map/",
]


class QueryCountTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = ensure_home_page()
        cls.year = ProjectIndexPageFactory(parent=cls.home, year=2022)
        cls.categories = [CategoryFactory(slug="parks"), CategoryFactory(slug="roads")]
        cls.districts = [DistrictFactory(slug="dawang"), DistrictFactory(slug="dasha")]
        cls.count = 0

    def add_items(self, how_many):
        for _ in range(how_many):
            self.count += 1
            item = ProjectPageFactory(
                parent=self.year,
                number=self.count,
                title=f"第{self.count}号口袋公园",
                category=self.categories[self.count % 2],
                district=self.districts[self.count % 2],
                cover_image=ImageFactory(),
                latitude=Decimal("23.3"),
                longitude=Decimal("112.8"),
            )
            for month in (3, 5):
                update = ProgressUpdatePageFactory(
                    parent=item, date=date(2022, month, self.count % 27 + 1), progress=month * 10
                )
                UpdatePhoto.objects.create(page=update, image=ImageFactory())

    def queries_per_page(self):
        counts = {}
        for url in URLS:
            self.client.get(url)  # warm caches and renditions
            with CaptureQueriesContext(connection) as captured:
                response = self.client.get(url)
            self.assertEqual(response.status_code, 200, url)
            counts[url] = len(captured)
        return counts

    def test_query_counts_do_not_grow_with_items(self):
        self.add_items(3)
        few = self.queries_per_page()
        self.add_items(12)
        many = self.queries_per_page()
        self.assertEqual(few, many)
