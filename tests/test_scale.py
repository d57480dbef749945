"""Many items: the benchmark data generator, and search and map pages whose queries do not grow
with the number of items."""

from datetime import date
from io import StringIO

from django.core.management import call_command
from django.test import TestCase

from portal.setup import ensure_home_page
from projects.demo.loader import DemoLoader
from projects.factories import (
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
