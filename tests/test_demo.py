"""`load_demo`: the 2022 list of exactly 100 items, loaded once, never in production."""

import re
from datetime import date
from io import StringIO

from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db.models import F
from django.test import TestCase, override_settings

from portal.setup import ensure_home_page
from projects.choices import Colour
from projects.demo import catalogue
from projects.demo.loader import DemoLoader
from projects.factories import ProjectIndexPageFactory, ProjectPageFactory
from projects.models import PortalImage, ProgressUpdatePage, ProjectIndexPage, ProjectPage
from tests.test_lateness import lateness_box


class DemoLoaderTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        # Small photos keep the suite fast; the command itself makes full-size ones.
        DemoLoader(as_of=date(2022, 10, 31), photo_size=(96, 64)).run()
        cls.year = ProjectIndexPage.objects.get(year=2022)
        cls.items = ProjectPage.objects.child_of(cls.year).live()

    def test_2022_has_exactly_100_items_numbered_1_to_100(self):
        self.assertEqual(sorted(self.items.values_list("number", flat=True)), list(range(1, 101)))

    def test_2021_is_a_smaller_completed_list(self):
        previous = ProjectPage.objects.child_of(ProjectIndexPage.objects.get(year=2021))
        self.assertTrue(0 < previous.count() < 100)
        self.assertEqual(set(previous.values_list("colour", flat=True)), {Colour.BLUE})

    def test_every_item_has_1_to_6_updates_with_1_to_4_photos(self):
        for item in self.items:
            updates = ProgressUpdatePage.objects.child_of(item).live()
            self.assertTrue(1 <= updates.count() <= 6, item)
            for update in updates:
                self.assertTrue(1 <= update.photos.count() <= 4, update)

    def test_reference_lists_are_broad_enough(self):
        self.assertGreaterEqual(self.items.values("category").distinct().count(), 8)
        self.assertGreaterEqual(self.items.values("department").distinct().count(), 10)
        self.assertGreaterEqual(self.items.values("district").distinct().count(), 6)

    def test_a_plausible_spread_of_colours(self):
        colours = set(self.items.values_list("colour", flat=True))
        self.assertEqual(colours, set(Colour.values))

    def test_seed_places_are_there(self):
        titles = set(self.items.values_list("title", flat=True))
        for expected in ("将军山体育公园建设", "龙王庙水库碧道建设", "育才学校新建工程"):
            self.assertIn(expected, titles)

    def test_running_again_changes_nothing(self):
        counts = (ProjectPage.objects.count(), ProgressUpdatePage.objects.count())
        photos = PortalImage.objects.count()
        call_command("load_demo", stdout=StringIO())
        self.assertEqual((ProjectPage.objects.count(), ProgressUpdatePage.objects.count()), counts)
        self.assertEqual(PortalImage.objects.count(), photos)

    def test_demo_accounts_log_in_with_the_demo_password(self):
        for username in ("admin", "editor", "reviewer", "moderator"):
            self.assertIsNotNone(authenticate(username=username, password="minsheng2022"))

    def test_every_orange_or_red_item_shows_its_reason_at_the_top_of_its_page(self):
        behind = self.items.filter(colour__in=[Colour.ORANGE, Colour.RED])
        self.assertGreaterEqual(behind.count(), 15)
        for item in behind:
            html = self.client.get(item.url).content.decode()
            box = lateness_box(html)
            self.assertIsNotNone(box, item.url)
            self.assertIn("以上为", box, item.url)  # "as explained by …": a reason is given
            self.assertNotIn("尚未说明原因", box, item.url)
            self.assertLess(html.index('class="lateness'), html.index('id="facts-title"'))

    def test_delayed_items_show_their_revised_date_and_whether_it_passed(self):
        revised = self.items.filter(revised_completion__gt=F("planned_completion"))
        self.assertTrue(revised.filter(revised_completion__lt=date(2022, 10, 31)).exists())
        for item in revised:
            box = lateness_box(self.client.get(item.url).content.decode())
            self.assertIn(f"调整后的完成日期为{item.revised_completion:%Y年%-m月%-d日}", box)
            passed = item.revised_completion < date(2022, 10, 31) and item.progress < 100
            self.assertEqual("调整后的日期也已过去" in box, passed, item.url)

    def test_item_pages_answer_and_show_their_photos(self):
        for item in self.items.order_by("number")[:100:9]:
            response = self.client.get(item.url)
            self.assertEqual(response.status_code, 200, item.url)
            self.assertContains(response, "<img", msg_prefix=item.url)

    def test_every_demo_category_shows_its_line_icon_not_an_emoji(self):
        html = self.client.get("/2022/").content.decode()
        for slug, name, _name_en, _colour, icon in catalogue.CATEGORIES:
            chip = re.search(rf'<a class="chip" href="\?category={slug}"[^>]*>(.*?)</a>', html)
            self.assertIsNotNone(chip, slug)
            self.assertRegex(chip.group(1), rf'<use href="[^"]+/categories\.svg#{icon}">', slug)
            self.assertIn(name, chip.group(1))
        self.assertNotRegex(html, "[\u2600-\u27bf\U0001f000-\U0001faff]")


class DemoCommandGuardTests(TestCase):
    @override_settings(PORTAL_ALLOW_DEMO_DATA=False)
    def test_refuses_with_production_settings(self):
        with self.assertRaisesMessage(CommandError, "production"):
            call_command("load_demo", stdout=StringIO())
        self.assertFalse(ProjectPage.objects.exists())

    def test_if_empty_leaves_a_database_with_items_alone(self):
        home = ensure_home_page()
        year = ProjectIndexPageFactory(parent=home, year=2023)
        ProjectPageFactory(parent=year, number=1)
        out = StringIO()
        call_command("load_demo", "--if-empty", stdout=out)
        self.assertIn("already holds items", out.getvalue())
        self.assertFalse(ProjectIndexPage.objects.filter(year=2022).exists())
