"""An editor filed a progress update under the wrong item and moves it (Wagtail's "Move"): both
items' figures, pages, the year list's order and search follow the update to its new item."""

from datetime import date

from django.test import TestCase
from django.urls import reverse

from portal.setup import ensure_home_page
from projects.factories import (
    ProgressUpdatePageFactory,
    ProjectIndexPageFactory,
    ProjectPageFactory,
)
from projects.models import ProgressUpdatePage, ProjectPage
from tests.conftest import make_user
from tests.test_year_list import card_titles


class MovingAnUpdateTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        year = ProjectIndexPageFactory(
            parent=ensure_home_page(), year=2022, status_date=date(2022, 7, 1)
        )
        cls.school = ProjectPageFactory(parent=year, number=37, title="第一小学扩建")
        cls.road = ProjectPageFactory(parent=year, number=38, title="产业大道改造")
        ProgressUpdatePageFactory(
            parent=cls.school, date=date(2022, 3, 1), progress=40, text="<p>教学楼基础施工。</p>"
        )
        ProgressUpdatePageFactory(
            parent=cls.road, date=date(2022, 5, 1), progress=20, text="<p>管线迁改完成。</p>"
        )
        # Meant for the road, filed under the school.
        cls.wrong = ProgressUpdatePageFactory(
            parent=cls.school,
            date=date(2022, 6, 1),
            progress=64,
            text="<p>沥青路面摊铺完成六成。</p>",
        )
        cls.admin = make_user("admin", superuser=True)

    def move(self):
        self.client.force_login(self.admin)
        response = self.client.post(
            reverse("wagtailadmin_pages:move_confirm", args=[self.wrong.pk, self.road.pk])
        )
        self.assertEqual(response.status_code, 302)
        self.client.logout()

    def figures(self, item):
        return ProjectPage.objects.values_list("progress", "last_update_date").get(pk=item.pk)

    def test_both_items_are_judged_again(self):
        self.assertEqual(self.figures(self.school), (64, date(2022, 6, 1)))
        self.assertEqual(self.figures(self.road), (20, date(2022, 5, 1)))
        self.move()
        self.assertEqual(self.figures(self.school), (40, date(2022, 3, 1)))
        self.assertEqual(self.figures(self.road), (64, date(2022, 6, 1)))

    def test_the_pages_show_the_update_under_its_new_item(self):
        old_url = self.wrong.url
        self.move()
        moved = ProgressUpdatePage.objects.get(pk=self.wrong.pk)
        self.assertTrue(moved.url.startswith("/2022/38/"), moved.url)
        self.assertContains(self.client.get(moved.url), "沥青路面摊铺完成六成")
        # Links to the old address (shared, bookmarked) lead to the new one.
        self.assertRedirects(self.client.get(old_url), moved.url, status_code=301)
        road = self.client.get("/2022/38/")
        self.assertContains(road, "沥青路面摊铺完成六成")
        self.assertContains(road, "64%")
        school = self.client.get("/2022/37/")
        self.assertNotContains(school, "沥青路面摊铺完成六成")
        self.assertContains(school, "40%")

    def test_the_year_list_follows(self):
        self.assertEqual(
            card_titles(self.client.get("/2022/?sort=progress")), ["第一小学扩建", "产业大道改造"]
        )
        self.move()
        self.assertEqual(
            card_titles(self.client.get("/2022/?sort=progress")), ["产业大道改造", "第一小学扩建"]
        )

    def test_search_finds_the_update_under_its_new_item(self):
        self.assertEqual(card_titles(self.client.get("/search/?q=沥青路面")), ["第一小学扩建"])
        self.move()
        self.assertEqual(card_titles(self.client.get("/search/?q=沥青路面")), ["产业大道改造"])
