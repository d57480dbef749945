"""The page tree, the item's derived progress and the schedule/delay validation."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.test import TestCase
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from portal.models import HomePage
from portal.setup import ensure_home_page
from projects.choices import Colour, Status
from projects.factories import (
    ProgressUpdatePageFactory,
    ProjectIndexPageFactory,
    ProjectPageFactory,
)
from projects.models import ProgressUpdatePage, ProjectIndexPage, ProjectPage


class PageTreeTests(WagtailPageTestCase):
    def test_home_page_only_under_the_root_and_only_once(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertAllowedSubpageTypes(HomePage, {ProjectIndexPage})
        home = ensure_home_page()
        self.assertFalse(HomePage.can_create_at(home.get_parent()))

    def test_years_hold_items_and_items_hold_updates(self):
        self.assertAllowedParentPageTypes(ProjectIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(ProjectIndexPage, {ProjectPage})
        self.assertAllowedParentPageTypes(ProjectPage, {ProjectIndexPage})
        self.assertAllowedSubpageTypes(ProjectPage, {ProgressUpdatePage})
        self.assertAllowedParentPageTypes(ProgressUpdatePage, {ProjectPage})
        self.assertAllowedSubpageTypes(ProgressUpdatePage, set())

    def test_an_update_cannot_be_created_under_a_year(self):
        self.assertCanNotCreateAt(ProjectIndexPage, ProgressUpdatePage)
        self.assertCanCreateAt(ProjectPage, ProgressUpdatePage)


class ItemTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = ensure_home_page()
        cls.year = ProjectIndexPageFactory(parent=cls.home, year=2022, status_date=date(2022, 7, 1))
        cls.item = ProjectPageFactory(
            parent=cls.year,
            number=37,
            title="将军山体育公园建设",
            planned_start=date(2022, 1, 1),
            planned_completion=date(2022, 12, 28),  # expected 50 % on 1 July
        )

    def add_update(self, progress, day, publish=True, **kwargs):
        return ProgressUpdatePageFactory(
            parent=self.item, progress=progress, date=day, publish=publish, **kwargs
        )

    def reload(self):
        return ProjectPage.objects.get(pk=self.item.pk)


class AddressTests(ItemTestCase):
    def test_year_and_item_urls_are_the_year_and_the_number(self):
        self.assertEqual(self.year.url, "/2022/")
        self.assertEqual(self.item.url, "/2022/37/")
        response = self.client.get("/2022/37/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "将军山体育公园建设")

    def test_update_slug_is_its_date(self):
        update = self.add_update(20, date(2022, 3, 15))
        self.assertEqual(update.url, "/2022/37/2022-03-15/")
        again = self.add_update(25, date(2022, 3, 15))
        self.assertEqual(again.url, "/2022/37/2022-03-15-2/")

    def test_a_number_can_be_used_once_per_year(self):
        duplicate = ProjectPageFactory.build(
            number=37,
            title="重复",
            category=self.item.category,
            department=self.item.department,
            district=self.item.district,
        )
        with self.assertRaises(ValidationError) as caught:
            self.year.add_child(instance=duplicate)
        self.assertIn("number", caught.exception.message_dict)

    def test_the_same_number_is_fine_in_another_year(self):
        other_year = ProjectIndexPageFactory(parent=self.home, year=2023)
        other = ProjectPageFactory(
            parent=other_year,
            number=37,
            category=self.item.category,
            department=self.item.department,
            district=self.item.district,
        )
        self.assertEqual(other.url, "/2023/37/")


class ProgressFollowsPublishedUpdatesTests(ItemTestCase):
    def test_new_item_has_not_started(self):
        item = self.reload()
        self.assertEqual((item.progress, item.status), (0, Status.NOT_STARTED))

    def test_publishing_an_update_moves_the_item(self):
        self.add_update(45, date(2022, 6, 20), invested=Decimal("120.5"))
        item = self.reload()
        self.assertEqual(item.progress, 45)
        self.assertEqual(item.invested, Decimal("120.50"))
        self.assertEqual(item.last_update_date, date(2022, 6, 20))
        self.assertEqual(item.expected_progress, 50)
        self.assertEqual(item.lag, 5)
        self.assertEqual(item.colour, Colour.YELLOW)
        self.assertEqual(item.status, Status.IN_PROGRESS)

    def test_the_latest_update_by_date_wins_not_the_latest_published(self):
        self.add_update(60, date(2022, 6, 1))
        self.add_update(30, date(2022, 4, 1))  # a late report about an earlier date
        self.assertEqual(self.reload().progress, 60)

    def test_a_draft_update_does_not_count(self):
        self.add_update(30, date(2022, 4, 1))
        self.add_update(90, date(2022, 6, 1), publish=False)
        self.assertEqual(self.reload().progress, 30)

    def test_unpublishing_the_latest_update_moves_the_item_back(self):
        self.add_update(30, date(2022, 4, 1))
        latest = self.add_update(60, date(2022, 6, 1))
        latest.unpublish()
        item = self.reload()
        self.assertEqual((item.progress, item.last_update_date), (30, date(2022, 4, 1)))
        self.assertEqual(item.colour, Colour.ORANGE)  # 20 points behind on 1 July
        self.assertEqual(item.status, Status.DELAYED)

    def test_deleting_the_latest_update_moves_the_item_back(self):
        self.add_update(30, date(2022, 4, 1))
        latest = self.add_update(60, date(2022, 6, 1))
        latest.delete()
        self.assertEqual(self.reload().progress, 30)

    def test_deleting_the_only_update_resets_the_item(self):
        self.add_update(30, date(2022, 4, 1)).delete()
        item = self.reload()
        self.assertEqual((item.progress, item.status), (0, Status.NOT_STARTED))

    def test_publishing_100_completes_the_item(self):
        self.add_update(100, date(2022, 6, 28))
        item = self.reload()
        self.assertEqual((item.status, item.colour), (Status.COMPLETED, Colour.BLUE))

    def test_republishing_an_old_item_revision_keeps_the_current_figures(self):
        stale_revision = self.reload().save_revision()  # carries progress 0
        self.add_update(55, date(2022, 6, 25))
        stale_revision.publish()
        self.assertEqual(self.reload().progress, 55)

    def test_suspended_item_says_so(self):
        self.add_update(40, date(2022, 5, 1))
        item = self.reload()
        item.suspended = True
        item.delay_reason = "规划调整，暂停施工。"
        item.save_revision().publish()
        self.assertEqual(self.reload().status, Status.SUSPENDED)


class DelayReasonTests(ItemTestCase):
    def test_a_later_revised_date_needs_a_reason(self):
        item = self.reload()
        item.revised_completion = date(2023, 3, 31)
        with self.assertRaises(ValidationError) as caught:
            item.full_clean()
        self.assertIn("delay_reason", caught.exception.message_dict)

    def test_a_later_revised_date_with_a_reason_is_accepted(self):
        item = self.reload()
        item.revised_completion = date(2023, 3, 31)
        item.delay_reason = "受征地拆迁影响，施工进场推迟。"
        item.full_clean()

    def test_an_earlier_revised_date_needs_no_reason(self):
        item = self.reload()
        item.revised_completion = date(2022, 11, 30)
        item.full_clean()

    def test_completion_before_start_is_refused(self):
        item = self.reload()
        item.planned_completion = date(2021, 12, 1)
        with self.assertRaises(ValidationError) as caught:
            item.full_clean()
        self.assertIn("planned_completion", caught.exception.message_dict)
