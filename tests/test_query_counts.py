"""Pages run the same number of queries whether a year holds few or many items, and whether an
item has one update with one photo or many updates with many photos (an N+1 over updates,
photos or renditions shows as a difference)."""

from datetime import date
from decimal import Decimal

from django.core.cache import caches
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
from projects.models import ProgressUpdatePage, ProjectGalleryImage, ProjectPage, UpdatePhoto
from projects.pagination import CARDS_PER_PAGE

LIST_URLS = [
    "/",
    "/2022/",
    "/2022/?page=2",
    "/2022/?category=parks&sort=progress",
    "/2022/?q=公园",
    "/search/?q=公园",
    "/search/?q=公园&page=2",
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

    def add_items(self, how_many, *, updates, photos, gallery):
        """`how_many` items, each with `updates` updates of `photos` photos and `gallery`
        gallery photos (the first a before/after pair when there are two or more). `updates`
        and `photos` may be functions of the item's number, so items differ as in a real year."""
        for _ in range(how_many):
            self.count += 1
            n_updates = updates(self.count) if callable(updates) else updates
            n_photos = photos(self.count) if callable(photos) else photos
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
            for month in range(3, 3 + n_updates):
                update = ProgressUpdatePageFactory(
                    parent=item, date=date(2022, month, self.count % 27 + 1), progress=month * 10
                )
                for _ in range(n_photos):
                    UpdatePhoto.objects.create(page=update, image=ImageFactory())
            stages = ["before", "after"] if gallery >= 2 else []
            for position in range(gallery):
                stage = stages[position] if position < len(stages) else ""
                ProjectGalleryImage.objects.create(page=item, image=ImageFactory(), stage=stage)

    def count_queries(self, url):
        self.client.get(url)  # make the renditions
        # Empty the caches, so that a rendition looked up photo by photo (found in the cache
        # while it is warm) shows as a query per photo.
        for cache in caches.all():
            cache.clear()
        with CaptureQueriesContext(connection) as captured:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        return len(captured)

    def queries_per_page(self, number):
        counts = {url: self.count_queries(url) for url in LIST_URLS}
        item = ProjectPage.objects.get(number=number)
        counts["item"] = self.count_queries(item.url)
        update = ProgressUpdatePage.objects.child_of(item).first()
        counts["update"] = self.count_queries(update.url)
        return counts

    def test_query_counts_do_not_grow_with_items_updates_or_photos(self):
        self.add_items(3, updates=1, photos=1, gallery=1)
        few = self.queries_per_page(1)
        # More than a page of items, as a real year has them: on every page, items with none to
        # four updates of none to three photos each (so a query per update, or per item with
        # updates, shows); the last ones with three updates of three photos each and a
        # before/after pair plus a gallery photo.
        self.add_items(CARDS_PER_PAGE, updates=lambda n: n % 5, photos=lambda n: n % 4, gallery=1)
        self.add_items(3, updates=3, photos=3, gallery=3)
        many = self.queries_per_page(self.count)
        self.assertEqual(few, many)


class PaginationTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        home = ensure_home_page()
        year = ProjectIndexPageFactory(parent=home, year=2022)
        parks, roads = CategoryFactory(slug="parks"), CategoryFactory(slug="roads")
        for number in range(1, 2 * CARDS_PER_PAGE + 3):
            ProjectPageFactory(
                parent=year,
                number=number,
                title=f"第{number}号口袋公园",
                category=parks if number % 2 else roads,
            )

    def item_titles(self, response):
        return [item.title for item in response.context["items"]]

    def test_the_list_comes_a_page_at_a_time_with_a_pager(self):
        first = self.client.get("/2022/")
        self.assertEqual(len(self.item_titles(first)), CARDS_PER_PAGE)
        self.assertContains(first, '<nav class="pager"')
        self.assertContains(first, 'href="/2022/?page=2"')
        self.assertContains(first, 'rel="next"')
        # The count still gives every item, not the page's.
        self.assertContains(first, f"{2 * CARDS_PER_PAGE + 2}项")
        self.assertContains(first, "第1–24项，共50项")

        second = self.client.get("/2022/?page=2")
        self.assertEqual(self.item_titles(second)[0], "第25号口袋公园")
        self.assertContains(second, 'href="/2022/" rel="prev"')
        self.assertContains(second, '<ol class="card-grid item-list" start="25">')

    def test_page_links_keep_the_filters_and_the_sort(self):
        response = self.client.get("/2022/?category=parks&sort=progress&page=2")
        # 25 odd-numbered items in parks (all at 0%, so by number): page 2 holds the 25th.
        self.assertEqual(self.item_titles(response), ["第49号口袋公园"])
        self.assertContains(response, 'href="/2022/?category=parks&amp;sort=progress" rel="prev"')
        self.assertContains(response, '<span class="filters__count">25项</span>')
        # A category chip keeps the sort and starts again at page 1.
        self.assertContains(response, 'href="?category=roads&amp;sort=progress"')
        # Clearing the filters drops them and the page.
        self.assertContains(response, 'class="filters__clear" href="/2022/"')

    def test_a_page_out_of_range_or_not_a_number_still_shows_a_page(self):
        last = self.client.get("/2022/?page=99")
        self.assertEqual(last.status_code, 200)
        self.assertEqual(self.item_titles(last), ["第49号口袋公园", "第50号口袋公园"])
        junk = self.client.get("/2022/?page=abc")
        self.assertEqual(junk.status_code, 200)
        self.assertEqual(self.item_titles(junk)[0], "第1号口袋公园")

    def test_search_results_come_a_page_at_a_time(self):
        first = self.client.get("/search/?q=公园")
        self.assertEqual(len(first.context["results"]), CARDS_PER_PAGE)
        self.assertContains(first, "“公园”共找到50项")
        self.assertContains(first, 'href="/search/?q=%E5%85%AC%E5%9B%AD&amp;page=2"')
        third = self.client.get("/search/?q=公园&page=3")
        self.assertEqual(len(third.context["results"]), 2)
