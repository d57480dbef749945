"""The year list as a resident narrows it: every filter (district, department, status, schedule
colour, tag, keyword; category is in test_query_counts and test_overview_links) and every sort
order, checked against the order worked out by hand; and the map, which takes the same filters
and a `?year=`."""

import re
from datetime import date
from html import unescape

from django.test import TestCase

from portal.setup import ensure_home_page
from projects.factories import (
    CategoryFactory,
    DepartmentFactory,
    DistrictFactory,
    ProgressUpdatePageFactory,
    ProjectIndexPageFactory,
    ProjectPageFactory,
)

CARD_TITLE = re.compile(r'<h3 class="item-card__title"><a [^>]*>([^<]+)</a>')


def card_titles(response):
    """The items' titles in the order the list shows them."""
    return [unescape(title) for title in CARD_TITLE.findall(response.content.decode())]


class YearListTestCase(TestCase):
    """Five items of 2022, judged on 1 July:

    | No. | title | department | district | completion | latest update | progress | lag |
    | 1 | 第一小学扩建 | education | Dawang | 2022-12-31 | 1 June | 60 | -10 (green) |
    | 2 | 滨江公园提升 | urban works | Dasha | 2022-09-30 | 20 June | 30 | 37 (red) |
    | 3 | 长者饭堂（养老） | civil affairs | Dawang | 2022-12-31 | 1 May | 45 | 5 (yellow) |
    | 4 | 产业大道改造 | urban works | Dawang | 2023-06-30 | none | 0 | 33 (red) |
    | 5 | 社区卫生服务站 | health | Dasha | 2022-06-30 | 25 June | 100 | 0 (blue) |
    """

    TITLES = {
        1: "第一小学扩建",
        2: "滨江公园提升",
        3: "长者饭堂",
        4: "产业大道改造",
        5: "社区卫生服务站",
    }

    @classmethod
    def setUpTestData(cls):
        home = ensure_home_page()
        cls.year = ProjectIndexPageFactory(parent=home, year=2022, status_date=date(2022, 7, 1))
        education = DepartmentFactory(slug="education-bureau", name="区教育局")
        urban = DepartmentFactory(slug="urban-works", name="区住建局")
        civil = DepartmentFactory(slug="civil-affairs", name="区民政局")
        health = DepartmentFactory(slug="health", name="区卫健局")
        dawang = DistrictFactory(slug="dawang", name="大旺街道")
        dasha = DistrictFactory(slug="dasha", name="大沙镇")
        plan = [
            (1, "schools", education, dawang, date(2022, 12, 31), date(2022, 6, 1), 60),
            (2, "parks", urban, dasha, date(2022, 9, 30), date(2022, 6, 20), 30),
            (3, "social", civil, dawang, date(2022, 12, 31), date(2022, 5, 1), 45),
            (4, "roads", urban, dawang, date(2023, 6, 30), None, 0),
            (5, "health", health, dasha, date(2022, 6, 30), date(2022, 6, 25), 100),
        ]
        cls.items = {}
        for number, category, department, district, completion, updated, progress in plan:
            item = ProjectPageFactory(
                parent=cls.year,
                number=number,
                title=cls.TITLES[number],
                category=CategoryFactory(slug=category),
                department=department,
                district=district,
                planned_start=date(2022, 1, 1),
                planned_completion=completion,
                latitude="23.3",
                longitude="112.8",
            )
            if number == 3:
                item.tags.add("养老")
                item.save_revision().publish()
            if updated:
                ProgressUpdatePageFactory(parent=item, date=updated, progress=progress)
            cls.items[number] = item

    def titles(self, *numbers):
        return [self.TITLES[number] for number in numbers]

    def listed(self, query):
        response = self.client.get(f"/2022/?{query}")
        self.assertEqual(response.status_code, 200, query)
        return card_titles(response)


class FilterTests(YearListTestCase):
    def test_each_filter_narrows_the_list_to_its_items(self):
        for query, numbers in [
            ("", (1, 2, 3, 4, 5)),
            ("district=dasha", (2, 5)),
            ("district=dawang", (1, 3, 4)),
            ("department=urban-works", (2, 4)),
            ("status=completed", (5,)),
            ("status=delayed", (2,)),  # No. 4 is red too, but has not started
            ("status=not_started", (4,)),
            ("colour=red", (2, 4)),
            ("colour=yellow", (3,)),
            ("colour=green", (1,)),
            ("tag=养老", (3,)),
            ("q=公园", (2,)),
            ("district=dawang&department=urban-works", (4,)),
            ("district=dasha&colour=green", ()),
        ]:
            with self.subTest(query):
                self.assertEqual(self.listed(query), self.titles(*numbers))

    def test_the_count_and_the_clear_link_follow_the_filters(self):
        response = self.client.get("/2022/?department=urban-works")
        self.assertContains(response, '<span class="filters__count">2项</span>')
        self.assertContains(response, 'class="filters__clear" href="/2022/"')

    def test_an_unknown_value_leaves_the_list_whole_rather_than_failing(self):
        for query in ("district=nowhere", "status=finished", "colour=purple", "sort=random"):
            with self.subTest(query):
                response = self.client.get(f"/2022/?{query}")
                self.assertEqual(response.status_code, 200)
                self.assertEqual(card_titles(response), self.titles(1, 2, 3, 4, 5))


class SortTests(YearListTestCase):
    def test_every_sort_order(self):
        for sort, numbers in [
            ("number", (1, 2, 3, 4, 5)),
            ("progress", (5, 1, 3, 2, 4)),  # 100, 60, 45, 30, 0
            ("behind", (2, 4, 3, 5, 1)),  # lag 37, 33, 5, 0, -10
            ("completion", (5, 2, 1, 3, 4)),  # June, Sept., Dec. (No. 1 before 3), next June
        ]:
            with self.subTest(sort):
                self.assertEqual(self.listed(f"sort={sort}"), self.titles(*numbers))

    def test_latest_update_first_puts_the_item_never_updated_last(self):
        # 25 June, 20 June, 1 June, 1 May, never.
        self.assertEqual(self.listed("sort=updated"), self.titles(5, 2, 1, 3, 4))

    def test_a_sort_applies_within_a_filter(self):
        self.assertEqual(self.listed("district=dawang&sort=progress"), self.titles(1, 3, 4))
        self.assertEqual(self.listed("district=dawang&sort=behind"), self.titles(4, 3, 1))


class MapYearTests(YearListTestCase):
    """The map shows one year's items, by default the latest; `?year=` picks another."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.later = ProjectIndexPageFactory(
            parent=cls.year.get_parent(), year=2023, status_date=date(2023, 7, 1)
        )
        ProjectPageFactory(
            parent=cls.later, number=1, title="城西污水管网", latitude="23.2", longitude="112.7"
        )

    def map_titles(self, query=""):
        response = self.client.get(f"/map/?{query}")
        self.assertEqual(response.status_code, 200, query)
        content = response.content.decode()
        return {title for title in (*self.TITLES.values(), "城西污水管网") if title in content}

    def test_the_latest_year_by_default_and_another_by_year(self):
        self.assertEqual(self.map_titles(), {"城西污水管网"})
        self.assertEqual(self.map_titles("year=2022"), set(self.TITLES.values()))
        self.assertEqual(self.map_titles("year=2023"), {"城西污水管网"})

    def test_year_and_filters_together(self):
        self.assertEqual(self.map_titles("year=2022&colour=red"), {self.TITLES[2], self.TITLES[4]})

    def test_a_year_without_a_list_shows_the_latest(self):
        for year in ("1999", "abc", ""):
            with self.subTest(year):
                self.assertEqual(self.map_titles(f"year={year}"), {"城西污水管网"})
