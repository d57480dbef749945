"""Many items: the benchmark data generator, and search and map pages whose queries do not grow
with the number of items."""

from datetime import date
from decimal import Decimal
from io import StringIO
from unittest.mock import patch

from django.core.management import call_command
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from portal.setup import ensure_home_page
from projects.demo.loader import DemoLoader
from projects.factories import (
    CategoryFactory,
    DistrictFactory,
    ImageFactory,
    ProgressUpdatePageFactory,
    ProjectIndexPageFactory,
    ProjectPageFactory,
)
from projects.models import (
    PortalImage,
    ProgressUpdatePage,
    ProjectIndexPage,
    ProjectPage,
    UpdatePhoto,
)
from projects.search.query import search_items


def small_demo():
    """The demo's reference lists and a few 2022 items with photos: what the generator reuses
    (the full demo takes minutes to build in a test)."""
    loader = DemoLoader(as_of=date(2022, 10, 31))
    home = ensure_home_page()
    loader.ensure_reference_data()
    year = ProjectIndexPageFactory(parent=home, year=2022)
    for number, category in enumerate(loader.categories.values(), start=1):
        item = ProjectPageFactory(
            parent=year,
            number=number,
            title=f"{category.name}示范项目",
            category=category,
            department=next(iter(loader.departments.values())),
            district=next(iter(loader.districts.values())),
        )
        for month in (3, 6):
            update = ProgressUpdatePageFactory(
                parent=item, date=date(2022, month, 1), progress=month * 10
            )
            UpdatePhoto.objects.create(page=update, image=ImageFactory())


class GenerateBenchDataTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        small_demo()
        cls.images_before = PortalImage.objects.count()
        cls.output = StringIO()
        call_command(
            "generate_bench_data", years=2, items_per_year=30, last_year=2020, stdout=cls.output
        )

    def items(self, year):
        return ProjectPage.objects.child_of(ProjectIndexPage.objects.get(year=year)).live()

    def test_two_new_years_of_30_items_numbered_1_to_30(self):
        self.assertEqual(
            sorted(ProjectIndexPage.objects.values_list("year", flat=True)),
            [2019, 2020, 2022],
        )
        for year in (2019, 2020):
            self.assertEqual(
                sorted(self.items(year).values_list("number", flat=True)), list(range(1, 31))
            )
        self.assertIn("Generated 60 items", self.output.getvalue())

    def test_items_have_different_numbers_of_updates_and_reuse_the_demo_photos(self):
        counts = {ProgressUpdatePage.objects.child_of(item).count() for item in self.items(2019)}
        self.assertGreaterEqual(len(counts), 3)
        self.assertLessEqual(max(counts), 6)
        self.assertEqual(PortalImage.objects.count(), self.images_before)
        generated = UpdatePhoto.objects.filter(page__url_path__contains="/2019/")
        self.assertTrue(generated.exists())

    def test_derived_figures_follow_the_latest_update(self):
        for item in self.items(2020):
            latest = ProgressUpdatePage.objects.child_of(item).order_by("-date").first()
            self.assertEqual(item.progress, latest.progress if latest else 0, item)
            self.assertEqual(item.last_update_date, latest.date if latest else None, item)
        self.assertGreater(len(set(self.items(2020).values_list("colour", flat=True))), 1)

    def test_pages_render(self):
        item = self.items(2019).filter(numchild__gt=0).first()
        update = ProgressUpdatePage.objects.child_of(item).first()
        for url in ("/2019/", item.url, update.url, "/map/?year=2019", "/", "/2019/?sort=behind"):
            response = self.client.get(url)
            self.assertEqual(response.status_code, 200, url)
        self.assertContains(self.client.get(item.url), item.title)

    def test_search_finds_generated_items_by_an_everyday_word(self):
        response = self.client.get("/search/?q=公园")
        generated = [i.url for y in (2019, 2020) for i in self.items(y) if "公园" in i.title]
        self.assertTrue(generated)
        self.assertContains(response, f'href="{generated[0]}"')

    def test_running_again_adds_nothing(self):
        counts = (ProjectPage.objects.count(), ProgressUpdatePage.objects.count())
        output = StringIO()
        call_command(
            "generate_bench_data", years=2, items_per_year=30, last_year=2020, stdout=output
        )
        self.assertIn("nothing generated", output.getvalue())
        self.assertEqual((ProjectPage.objects.count(), ProgressUpdatePage.objects.count()), counts)


class ScaleQueryCountTests(TestCase):
    """Search and the map run the same queries for a few items and for many, with different
    numbers of updates and photos, in years of their own (as the generated data set has)."""

    @classmethod
    def setUpTestData(cls):
        cls.home = ensure_home_page()
        cls.years = [ProjectIndexPageFactory(parent=cls.home, year=y) for y in (2021, 2022)]
        cls.categories = [CategoryFactory(slug="parks"), CategoryFactory(slug="roads")]
        cls.districts = [DistrictFactory(slug=s) for s in ("dawang", "dasha", "jingkou")]
        cls.count = 0

    def add_items(self, how_many):
        for _ in range(how_many):
            self.count += 1
            n = self.count
            item = ProjectPageFactory(
                parent=self.years[n % 2],
                number=n,
                title=f"第{n}号口袋公园建设",
                summary="利用边角地建设口袋公园。",
                category=self.categories[n % 2],
                district=self.districts[n % 3],
                cover_image=ImageFactory(),
                latitude=Decimal("23.3") + Decimal(n) / 1000,
                longitude=Decimal("112.8"),
            )
            for k in range(n % 4):  # 0–3 updates with 0–2 photos each
                update = ProgressUpdatePageFactory(
                    parent=item, date=date(2022, 3 + k, n % 27 + 1), progress=20 * (k + 1)
                )
                for _photo in range((n + k) % 3):
                    UpdatePhoto.objects.create(page=update, image=ImageFactory())

    def queries(self, urls):
        counts = {}
        for url in urls:
            self.client.get(url)  # warm caches and renditions
            with CaptureQueriesContext(connection) as captured:
                response = self.client.get(url)
            self.assertEqual(response.status_code, 200, url)
            counts[url] = len(captured)
        return counts

    SEARCHES = [
        "/search/?q=建设",
        "/search/?q=公园&sort=progress",
        "/search/?q=公园&district=dasha",
        "/search/?q=7",
        "/search/?q=公园+停车场",  # no item has both: the "some of the words" fallback
        "/2022/?q=建设",
    ]
    MAPS = ["/map/", "/map/?year=2021", "/map/?year=2022&category=parks", "/map/?q=公园"]

    def test_search_queries_do_not_grow_with_items(self):
        self.add_items(4)
        few = self.queries(self.SEARCHES)
        self.add_items(16)
        self.assertEqual(few, self.queries(self.SEARCHES))

    def test_map_queries_do_not_grow_with_items(self):
        self.add_items(3)
        few = self.queries(self.MAPS)
        self.add_items(14)
        self.assertEqual(few, self.queries(self.MAPS))

    def test_a_large_year_is_mapped_by_area_with_the_same_queries(self):
        with patch("portal.views.MAP_MARKER_LIMIT", 3):
            self.add_items(12)
            few = self.queries(self.MAPS)
            self.add_items(30)
            self.assertEqual(few, self.queries(self.MAPS))
            response = self.client.get("/map/?year=2022")
        self.assertEqual(len(response.context["markers"]), 3)  # one per district
        self.assertEqual(sum(area["count"] for area in response.context["areas"]), 21)
        self.assertContains(response, "/map/?year=2022&amp;district=dasha")
        self.assertNotContains(response, 'id="map-item-')

    def test_a_large_search_fetches_only_the_items_read(self):
        self.add_items(20)
        result = search_items("建设", ProjectPage.objects.live())
        self.assertEqual(result.total, 20)
        with CaptureQueriesContext(connection) as captured:
            page = result[0:5]
        self.assertEqual(len(page), 5)
        self.assertEqual(len(captured), 1)
        self.assertEqual([item.pk for item in page], result.ids[:5])

    def test_tree_filters_keep_to_their_branch(self):
        self.add_items(6)
        first, second = self.years
        items = ProjectPage.objects.child_of(first)
        self.assertEqual(
            sorted(items.values_list("number", flat=True)), [2, 4, 6]
        )  # even numbers went to the first year
        item = items.get(number=4)
        self.assertEqual(
            set(ProgressUpdatePage.objects.descendant_of(first).values_list("pk", flat=True)),
            {u.pk for i in items for u in ProgressUpdatePage.objects.child_of(i)},
        )
        self.assertEqual(
            sorted(ProjectPage.objects.sibling_of(item).values_list("number", flat=True)),
            [2, 4, 6],
        )
        self.assertIn(item, ProjectPage.objects.descendant_of(item, inclusive=True))
        self.assertNotIn(item, ProjectPage.objects.descendant_of(item))
        self.assertFalse(ProjectPage.objects.child_of(second).filter(number=4).exists())
