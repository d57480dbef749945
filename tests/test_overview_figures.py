"""The overview's figures, as a resident reads them on the home page: how many items, how many
finished, the average progress, the money, the status tiles, the colours, progress by category
and by district, and the items furthest behind — each checked against figures worked out by
hand from five items."""

import re
from datetime import date
from decimal import Decimal
from html import unescape

from django.test import TestCase

from portal.setup import ensure_home_page
from projects.factories import (
    CategoryFactory,
    DistrictFactory,
    ProgressUpdatePageFactory,
    ProjectIndexPageFactory,
    ProjectPageFactory,
)


def text_of(html):
    """What a reader sees: tags dropped, whitespace collapsed."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def section(html, heading_id):
    """The text of the <section> labelled by the heading with id `heading_id`."""
    match = re.search(rf'aria-labelledby="{heading_id}".*?</section>', html, flags=re.S)
    assert match, heading_id
    return text_of(match.group(0))


class OverviewFiguresTests(TestCase):
    """Five items of 2022, judged on 1 July, when a year-long item is expected at 50%:

    | No. | category | district | budget | invested | progress | colour |
    | 1 | parks | Dawang | 300 | 300 | 100 | blue (completed) |
    | 2 | parks | Dasha | 500 | 250 | 60 | green |
    | 3 | roads | Dawang | 200 | 40 | 25 | orange (25 behind: delayed) |
    | 4 | roads | Dawang | 400 | 0 | 0, no update | red (50 behind: not started) |
    | 5 | roads | Dasha | 600 | 200 | 40 | yellow (10 behind: still in progress) |
    """

    @classmethod
    def setUpTestData(cls):
        year = ProjectIndexPageFactory(
            parent=ensure_home_page(),
            year=2022,
            title="2022年民生实事",
            status_date=date(2022, 7, 1),
        )
        parks = CategoryFactory(slug="parks", name="公园绿化", name_en="Parks", sort_order=1)
        roads = CategoryFactory(slug="roads", name="道路交通", name_en="Roads", sort_order=2)
        dawang = DistrictFactory(slug="dawang", name="大旺街道", name_en="Dawang", sort_order=1)
        dasha = DistrictFactory(slug="dasha", name="大沙镇", name_en="Dasha", sort_order=2)
        plan = [
            (1, "将军山公园步道", parks, dawang, 300, [(date(2022, 6, 1), 100, 300)]),
            (2, "滨江碧道二期", parks, dasha, 500, [(date(2022, 6, 10), 60, 250)]),
            (3, "产业大道改造", roads, dawang, 200, [(date(2022, 6, 20), 25, 40)]),
            (4, "学府路人行道", roads, dawang, 400, []),
            (5, "大沙公交站场", roads, dasha, 600, [(date(2022, 6, 30), 40, 200)]),
        ]
        for number, title, category, district, budget, updates in plan:
            item = ProjectPageFactory(
                parent=year,
                number=number,
                title=title,
                category=category,
                district=district,
                budget=Decimal(budget),
                planned_start=date(2022, 1, 1),
                planned_completion=date(2022, 12, 31),
            )
            for day, progress, invested in updates:
                ProgressUpdatePageFactory(
                    parent=item, date=day, progress=progress, invested=Decimal(invested)
                )

    def setUp(self):
        self.client.cookies["django_language"] = "en"
        self.html = self.client.get("/").content.decode()

    def test_headline_figures(self):
        hero = text_of(re.search(r'<section class="hero.*?</section>', self.html, re.S).group(0))
        self.assertIn("Items promised 5", hero)
        self.assertIn("Completed 1 / 5", hero)
        self.assertIn("Average progress 45 %", hero)  # (100 + 60 + 25 + 0 + 40) / 5
        # 790 of 2,000 (万元) invested; the headline rounds to millions in English.
        self.assertIn("Invested so far 7.9 million yuan of 20 million yuan planned", hero)
        self.assertIn("See all 5 items", hero)

    def test_status_tiles_and_money_line(self):
        status = section(self.html, "status-title")
        for figure in ("1 Not started", "2 In progress", "1 Delayed", "0 Suspended", "1 Completed"):
            self.assertIn(figure, status)
        self.assertIn("7.9 million yuan invested of 20 million yuan planned", status)
        self.assertIn("40% of the budget", status)  # 790 / 2,000 = 39.5%, rounded

    def test_colour_counts(self):
        colours = section(self.html, "colours-title")
        for label, count in (
            ("Completed", "1 item"),
            ("On schedule", "1 item"),
            ("Slightly behind", "1 item"),
            ("Clearly behind", "1 item"),
            ("Seriously behind", "1 item"),
        ):
            self.assertRegex(colours, rf"{label} {count}\b")

    def test_progress_by_category_and_district(self):
        categories = section(self.html, "cat-title")
        self.assertIn("Parks 2 items 80%", categories)  # (100 + 60) / 2
        self.assertIn("Roads 3 items 22%", categories)  # (25 + 0 + 40) / 3 = 21.7
        self.assertLess(categories.index("Parks"), categories.index("Roads"))
        districts = section(self.html, "district-title")
        self.assertIn("Dawang 3 items 42%", districts)  # (100 + 25 + 0) / 3 = 41.7
        self.assertIn("Dasha 2 items 50%", districts)  # (60 + 40) / 2
        self.assertIn('href="/2022/?district=dasha"', self.html)
        self.assertIn('href="/2022/?category=roads"', self.html)

    def test_furthest_behind_lists_the_red_then_the_orange_item_only(self):
        behind = section(self.html, "behind-title")
        self.assertIn("No. 4 学府路人行道", behind)
        self.assertIn("No. 3 产业大道改造", behind)
        self.assertLess(behind.index("No. 4"), behind.index("No. 3"))
        self.assertIn("0% done, 50% expected", behind)
        self.assertIn("25% done, 50% expected", behind)
        for title in ("将军山公园步道", "滨江碧道二期", "大沙公交站场"):  # blue, green, yellow
            self.assertNotIn(title, behind)

    def test_latest_updates_newest_first(self):
        latest = section(self.html, "latest-title")
        order = [latest.index(title) for title in ("大沙公交站场", "产业大道改造", "滨江碧道二期")]
        self.assertEqual(order, sorted(order))
        self.assertNotIn("学府路人行道", latest)  # no update
