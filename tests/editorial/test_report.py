"""The monthly supervision report, checked against figures worked out by hand.

June 2023, so figures are as of 30 June; expected progress on a 1 Jan – 31 Dec item is
round(100 × 180 / 364) = 49 %.

| No. | dept | plan  | updates ≤ 30 Jun (published)   | expected | lag | colour | stale |
|-----|------|-------|--------------------------------|----------|-----|--------|-------|
| 1   | A    | 1000  | 15 Jun 50 % (300 invested)     | 49       | -1  | green  | no    |
| 2   | A    | 200   | 20 Jun 100 % (200)             | 100      | 0   | blue   | no    |
| 3   | B    | 600 (revised from 500) | 10 Apr 20 % (50) | 49   | 29  | orange | yes (81 days) |
| 4   | B    | 100   | 1 May 60 %, ended 31 May  | 100      | 40  | red (overdue) | yes (60 d) |
| 5   | B    | 300   | 25 Jun 45 % (a 90 % draft)     | 49       | 4   | green  | no    |
| 6   | A    | 50    | none, starts 1 Sep             | 0        | 0   | green  | no    |
| 7   | A    | 400   | 1 Jun 40 %                     | 49       | 9   | yellow | no (29 days) |

Item 1 also has a 10 July update (70 %, 500 invested), which June must ignore.
"""

import re
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from django.conf import settings
from django.test import TestCase
from django.urls import reverse
from openpyxl import load_workbook

from projects.choices import Colour, FeedbackKind
from projects.editorial.reports import monthly_report
from projects.factories import ProgressUpdatePageFactory, ProjectPageFactory
from projects.models import Feedback, ProjectPage
from projects.overview import year_overview
from tests.editorial_fixtures import build_editorial_world

pytestmark = pytest.mark.usefixtures("english")

YEAR_LONG = {"planned_start": date(2023, 1, 1), "planned_completion": date(2023, 12, 31)}


class MonthlyReportTestCase(TestCase):
    """Six items of two departments, their updates and feedback: the report's test data. No
    tests of its own, so that its subclasses do not run each other's tests again."""

    @classmethod
    def setUpTestData(cls):
        build_editorial_world(cls)
        a, b = cls.dept_a, cls.dept_b

        def item(number, department, budget, **fields):
            fields = {**YEAR_LONG, **fields}
            return ProjectPageFactory(
                parent=cls.year_page,
                number=number,
                department=department,
                budget=Decimal(budget),
                **fields,
            )

        def update(page, day, progress, invested=None, publish=True):
            ProgressUpdatePageFactory(
                parent=page, date=day, progress=progress, invested=invested, publish=publish
            )

        cls.items = {
            1: item(1, a, 1000),
            2: item(2, a, 200, planned_completion=date(2023, 6, 30)),
            3: item(3, b, 500, revised_budget=Decimal(600), delay_reason="征地延误。"),
            4: item(
                4, b, 100, planned_start=date(2023, 3, 1), planned_completion=date(2023, 5, 31)
            ),
            5: item(5, b, 300),
            6: item(6, a, 50, planned_start=date(2023, 9, 1)),
            7: item(7, a, 400),
        }
        update(cls.items[1], date(2023, 6, 15), 50, Decimal(300))
        update(cls.items[1], date(2023, 7, 10), 70, Decimal(500))
        update(cls.items[2], date(2023, 6, 20), 100, Decimal(200))
        update(cls.items[3], date(2023, 4, 10), 20, Decimal(50))
        update(cls.items[4], date(2023, 5, 1), 60)
        update(cls.items[5], date(2023, 6, 25), 45)
        update(cls.items[5], date(2023, 6, 28), 90, publish=False)
        update(cls.items[7], date(2023, 6, 1), 40)

        def feedback(project, due, **fields):
            return Feedback.objects.create(
                project=project,
                project_title=project.title,
                kind=FeedbackKind.QUESTION,
                message="什么时候完工？",
                reply_due=due,
                **fields,
            )

        feedback(cls.items[3], date(2023, 6, 20))  # overdue, answered by B
        feedback(cls.items[4], date(2023, 6, 25), routed_to=a)  # overdue, routed to A
        feedback(cls.items[5], date(2023, 7, 5))  # not yet due on 30 June


class MonthlyReportTests(MonthlyReportTestCase):
    def report(self):
        return monthly_report(self.year_page, 2023, 6, today=date(2023, 12, 31))

    def test_item_figures(self):
        figures = {f.item.number: f for f in self.report().figures}
        actual = {
            n: (f.progress, f.expected, f.lag, f.colour, f.stale, f.schedule)
            for n, f in figures.items()
        }
        self.assertEqual(
            actual,
            {
                1: (50, 49, -1, Colour.GREEN, False, "on_schedule"),
                2: (100, 100, 0, Colour.BLUE, False, "completed"),
                3: (20, 49, 29, Colour.ORANGE, True, "behind"),
                4: (60, 100, 40, Colour.RED, True, "behind"),
                5: (45, 49, 4, Colour.GREEN, False, "on_schedule"),
                6: (0, 0, 0, Colour.GREEN, False, "on_schedule"),
                7: (40, 49, 9, Colour.YELLOW, False, "behind"),
            },
        )

    def test_counts_colours_and_money(self):
        report = self.report()
        self.assertEqual(report.on, date(2023, 6, 30))
        self.assertEqual(report.counts, {"completed": 1, "on_schedule": 3, "behind": 3})
        self.assertEqual(
            {colour.value: count for colour, count in report.colours},
            {"blue": 1, "green": 3, "yellow": 1, "orange": 1, "red": 1},
        )
        self.assertEqual(report.planned, Decimal(2650))
        self.assertEqual(report.invested, Decimal(550))
        self.assertEqual(report.invested_share, 20.8)
        self.assertEqual([(f.item.number, f.lag) for f in report.flagged], [(4, 40), (3, 29)])

    def test_department_table_and_sorting(self):
        report = self.report()
        rows = {
            row.department.slug: (
                row.items,
                row.completed,
                row.behind,
                row.flagged,
                row.stale,
                row.feedback_overdue,
                row.average_progress,
            )
            for row in report.department_rows
        }
        self.assertEqual(
            rows,
            {
                "education-bureau": (4, 1, 1, 0, 0, 1, 48),
                "urban-works": (3, 0, 2, 2, 2, 1, 42),
            },
        )
        by_behind = [row.department.slug for row in report.sorted_departments("behind")]
        by_completed = [row.department.slug for row in report.sorted_departments("completed")]
        self.assertEqual(by_behind, ["urban-works", "education-bureau"])
        self.assertEqual(by_completed, ["education-bureau", "urban-works"])

    def test_the_current_month_is_judged_as_of_today(self):
        report = monthly_report(self.year_page, 2023, 6, today=date(2023, 6, 16))
        figures = {f.item.number: f for f in report.figures}
        self.assertEqual(report.on, date(2023, 6, 16))
        self.assertEqual(figures[1].progress, 50)
        self.assertEqual(figures[2].progress, 0)


class MonthlyReportViewTests(MonthlyReportTestCase):
    def get(self, user, **params):
        self.client.force_login(user)
        return self.client.get(
            reverse("editorial:monthly_report"), {"year": 2023, "month": 6, **params}
        )

    def test_page_shows_the_figures_and_sorts_departments(self):
        response = self.get(self.reviewer, sort="completed")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "征地延误。")
        self.assertContains(response, "2650.00")
        self.assertContains(response, "20.8%")
        rows = response.context["department_rows"]
        self.assertEqual(rows[0].department, self.dept_a)
        # Printable: the report's stylesheet has print rules that drop the admin's furniture.
        self.assertContains(response, "css/editorial-admin.css")
        css = (Path(settings.BASE_DIR) / "static/css/editorial-admin.css").read_text()
        self.assertIn("@media print", css)

    def test_xlsx_export_has_the_same_figures(self):
        response = self.get(self.reviewer, export="xlsx")
        self.assertEqual(response.status_code, 200)
        workbook = load_workbook(BytesIO(response.content))
        self.assertEqual(workbook.sheetnames, ["Summary", "Red and orange", "Departments", "Items"])
        summary = {row[0]: row[1] for row in workbook["Summary"].iter_rows(values_only=True) if row}
        self.assertEqual(summary["Items"], 7)
        self.assertEqual(summary["Behind schedule"], 3)
        self.assertEqual(summary["Invested / planned (%)"], 20.8)
        self.assertEqual(summary["Figures as of"], datetime(2023, 6, 30))
        flagged = list(workbook["Red and orange"].iter_rows(min_row=2, values_only=True))
        self.assertEqual([(row[0], row[6]) for row in flagged], [(4, 40), (3, 29)])
        departments = list(workbook["Departments"].iter_rows(min_row=2, values_only=True))
        self.assertEqual(departments[0], ("区住建局", 3, 0, 2, 2, 2, 1, 42))

    def test_csv_export_lists_the_items(self):
        response = self.get(self.reviewer, export="csv")
        self.assertEqual(response.status_code, 200)
        text = b"".join(response.streaming_content).decode()
        self.assertEqual(len(text.strip().splitlines()), 8)

    def test_feedback_moderators_cannot_open_it(self):
        from tests.conftest import make_user

        moderator = make_user("mod", "Feedback moderators", language="en")
        self.assertIn(self.get(moderator).status_code, (302, 403))


class ReportAgreesWithOverviewTests(TestCase):
    """A closed year: the report opens on the month of the year's figures-as-of date, and its
    tiles, its colour table and the public overview count the same items the same way.

    As of 31 Oct 2022 a 1 Jan – 31 Dec item is expected at round(100 × 303 / 364) = 83 %.
    """

    @classmethod
    def setUpTestData(cls):
        build_editorial_world(cls, year=2022, status_date=date(2022, 10, 31))
        year_long = {"planned_start": date(2022, 1, 1), "planned_completion": date(2022, 12, 31)}
        progress_by_number = {1: 100, 2: 85, 3: 90, 4: 75, 5: 60, 6: 20, 7: 40, 8: None}
        for number, progress in progress_by_number.items():
            fields = dict(year_long)
            if number == 7:  # overdue since September: red
                fields["planned_completion"] = date(2022, 9, 30)
            if number == 8:  # starts in November: nothing expected yet
                fields["planned_start"] = date(2022, 11, 1)
            item = ProjectPageFactory(
                parent=cls.year_page, number=number, department=cls.dept_a, **fields
            )
            if progress is not None:
                ProgressUpdatePageFactory(parent=item, date=date(2022, 10, 20), progress=progress)

    def test_default_month_tiles_colours_and_public_overview_agree(self):
        self.client.force_login(self.reviewer)
        response = self.client.get(reverse("editorial:monthly_report"), {"year": 2022})
        report = response.context["report"]
        self.assertEqual((report.month, report.on), (10, date(2022, 10, 31)))

        colours = {colour.value: count for colour, count in report.colours}
        self.assertEqual(colours, {"blue": 1, "green": 3, "yellow": 1, "orange": 1, "red": 2})
        public = {colour.value: count for colour, count in year_overview(self.year_page)["colours"]}
        self.assertEqual(colours, public)

        html = response.content.decode()
        tiles = html[html.index('data-testid="report-counts"') :].split("</div>\n        </div>")[0]
        numbers = [int(n) for n in re.findall(r"<strong>(\d+)</strong>", tiles)]
        behind = public["yellow"] + public["orange"] + public["red"]
        self.assertEqual(numbers, [8, public["blue"], public["green"], behind])
        self.assertContains(response, "How items are counted")

    def test_a_past_year_without_a_figures_date_is_judged_on_its_latest_update(self):
        """As the public overview is: no figure is newer than the date stated."""
        self.year_page.status_date = None
        self.year_page.save()
        self.client.force_login(self.reviewer)
        response = self.client.get(reverse("editorial:monthly_report"), {"year": 2022})
        self.assertEqual(response.context["report"].on, date(2022, 10, 20))
        self.assertEqual(self.year_page.data_date().date, date(2022, 10, 20))

    def test_an_update_published_after_the_set_date_moves_the_report_with_the_overview(self):
        """A reviewer approves a 15 Nov update: the overview now states 15 Nov, and so does
        the report, which opens on November with the same colours."""
        item = ProjectPage.objects.get(number=5)
        ProgressUpdatePageFactory(parent=item, date=date(2022, 11, 15), progress=70)
        self.client.force_login(self.reviewer)
        response = self.client.get(reverse("editorial:monthly_report"), {"year": 2022})
        report = response.context["report"]
        self.assertEqual((report.month, report.on), (11, date(2022, 11, 15)))
        self.assertEqual(self.year_page.data_date().date, date(2022, 11, 15))
        colours = {colour.value: count for colour, count in report.colours}
        public = {colour.value: count for colour, count in year_overview(self.year_page)["colours"]}
        self.assertEqual(colours, public)


class ReportReasonTests(TestCase):
    """The report's red-and-orange table gives the reason residents read in the item's lateness
    box: the one its department gave with the latest update, before the item's own."""

    @classmethod
    def setUpTestData(cls):
        build_editorial_world(cls, year=2022, status_date=date(2022, 10, 31))
        cls.item = ProjectPageFactory(
            parent=cls.year_page,
            number=1,
            department=cls.dept_a,
            planned_start=date(2022, 1, 1),
            planned_completion=date(2022, 12, 31),
            delay_reason="",
        )
        ProgressUpdatePageFactory(
            parent=cls.item,
            date=date(2022, 10, 20),
            progress=20,
            lag_reason="设备招标流标，已重新招标。",
        )

    def test_the_flagged_table_and_export_give_the_update_s_reason(self):
        self.client.force_login(self.reviewer)
        response = self.client.get(reverse("editorial:monthly_report"), {"year": 2022})
        [figure] = response.context["report"].flagged
        self.assertEqual(figure.reason, "设备招标流标，已重新招标。")
        self.assertContains(response, "<td>设备招标流标，已重新招标。</td>", html=True)
        item = ProjectPage.objects.get(pk=self.item.pk)
        latest = item.get_children().specific().live().last()
        lateness = item.lateness(latest_update=latest, as_of=date(2022, 10, 31))
        self.assertEqual(lateness.reason, figure.reason)
