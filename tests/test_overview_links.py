"""Finding my street: every district and category is one tap from the overview (issue 8)."""

from datetime import date

from django.test import TestCase

from portal.setup import ensure_home_page
from projects.factories import (
    CategoryFactory,
    DistrictFactory,
    ProjectIndexPageFactory,
    ProjectPageFactory,
)


class OverviewLinksTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        home = ensure_home_page()
        year = ProjectIndexPageFactory(parent=home, year=2022, status_date=date(2022, 10, 31))
        dawang = DistrictFactory(slug="dawang", name="大旺街道")
        jingkou = DistrictFactory(slug="jingkou", name="迳口片区")
        health = CategoryFactory(slug="health", name="医疗卫生")
        for number, district in enumerate([dawang, dawang, jingkou], start=1):
            ProjectPageFactory(parent=year, number=number, district=district, category=health)

    def test_each_district_and_category_is_a_link_with_its_count(self):
        html = self.client.get("/").content.decode()
        finder = html.split('class="container finder"')[1].split("</section>")[0]
        self.assertIn("按街道查看", finder)
        self.assertIn(
            'href="/2022/?district=dawang">大旺街道 <span class="chip__count">2项', finder
        )
        self.assertIn(
            'href="/2022/?district=jingkou">迳口片区 <span class="chip__count">1项', finder
        )
        self.assertIn("按类别查看", finder)
        self.assertIn(
            'href="/2022/?category=health">医疗卫生 <span class="chip__count">3项', finder
        )

    def test_the_link_opens_the_districts_items(self):
        response = self.client.get("/2022/?district=jingkou")
        self.assertContains(response, "民生实事第3项")
        self.assertNotContains(response, "民生实事第1项")

    def test_the_district_chart_says_what_it_averages(self):
        response = self.client.get("/")
        self.assertContains(response, "各街道（片区）项目的平均进度")
        self.assertContains(response, "各类别项目的平均进度", count=1)
