"""Every download in the editors' tools answers for the departments the user answers for.

A department editor (allowed to edit their own department's items) gets only those items from
the year export and the monthly report, in every format; reviewers and administrators get all.
No download carries a resident's contact.
"""

import csv
import io
from datetime import date
from io import BytesIO

import pytest
from django.test import TestCase
from django.urls import reverse
from openpyxl import load_workbook

from projects.factories import ProgressUpdatePageFactory, ProjectPageFactory
from tests.conftest import make_user
from tests.editorial_fixtures import build_editorial_world
from tests.feedback_support import make_feedback

pytestmark = pytest.mark.usefixtures("english")


class DepartmentDownloadTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_editorial_world(cls, status_date=date(2023, 7, 2))
        schedule = {"planned_start": date(2023, 1, 1), "planned_completion": date(2023, 12, 28)}
        cls.school = ProjectPageFactory(
            parent=cls.year_page, number=1, title="城南小学扩建", department=cls.dept_a, **schedule
        )
        cls.park = ProjectPageFactory(
            parent=cls.year_page,
            number=2,
            title="将军山公园提升",
            department=cls.dept_b,
            **schedule,
        )
        cls.draft = ProjectPageFactory(
            parent=cls.year_page,
            number=3,
            title="滨江绿道二期",
            department=cls.dept_b,
            publish=False,
            **schedule,
        )
        for item in (cls.school, cls.park):
            ProgressUpdatePageFactory(parent=item, date=date(2023, 6, 1), progress=20)
        make_feedback(cls.school, contact="wang@example.cn 13812345678")

    def titles_in(self, response):
        self.assertEqual(response.status_code, 200)
        content = b"".join(response.streaming_content) if response.streaming else response.content
        if content.startswith(b"PK"):  # a workbook: every cell of every sheet
            workbook = load_workbook(BytesIO(content))
            text = " ".join(
                str(cell.value)
                for sheet in workbook.worksheets
                for row in sheet.iter_rows()
                for cell in row
                if cell.value is not None
            )
        else:
            text = content.decode("utf-8-sig")
        self.assertNotIn("13812345678", text)  # residents' contacts are in no download
        self.assertNotIn("wang@example.cn", text)
        return {
            title for title in ("城南小学扩建", "将军山公园提升", "滨江绿道二期") if title in text
        }

    def year_export(self, user, fmt):
        self.client.force_login(user)
        return self.titles_in(self.client.get(reverse("editorial:export_year", args=[2023, fmt])))

    def monthly_report(self, user, **params):
        self.client.force_login(user)
        return self.titles_in(
            self.client.get(
                reverse("editorial:monthly_report"), {"year": 2023, "month": 6, **params}
            )
        )

    def test_a_department_editor_exports_only_their_departments_items(self):
        for fmt in ("xlsx", "csv"):
            self.assertEqual(self.year_export(self.editor_a, fmt), {"城南小学扩建"}, fmt)
            self.assertEqual(
                self.year_export(self.editor_b, fmt), {"将军山公园提升", "滨江绿道二期"}, fmt
            )

    def test_reviewers_and_administrators_export_every_item_drafts_included(self):
        everything = {"城南小学扩建", "将军山公园提升", "滨江绿道二期"}
        for user in (self.reviewer, self.admin):
            for fmt in ("xlsx", "csv"):
                self.assertEqual(self.year_export(user, fmt), everything, (user, fmt))

    def test_the_monthly_report_shows_and_exports_only_their_departments_items(self):
        self.assertEqual(self.monthly_report(self.editor_a), {"城南小学扩建"})
        for fmt in ("xlsx", "csv"):
            self.assertEqual(self.monthly_report(self.editor_a, export=fmt), {"城南小学扩建"})
        # The report is of published items: the draft is in no one's.
        self.assertEqual(
            self.monthly_report(self.reviewer, export="xlsx"), {"城南小学扩建", "将军山公园提升"}
        )

    def test_the_monthly_reports_department_table_lists_only_their_department(self):
        self.client.force_login(self.editor_a)
        response = self.client.get(reverse("editorial:monthly_report"), {"year": 2023, "month": 6})
        self.assertContains(response, "区教育局")
        self.assertNotContains(response, "区住建局")
        rows = list(
            csv.reader(
                io.StringIO(
                    self.client.get(
                        reverse("editorial:monthly_report"),
                        {"year": 2023, "month": 6, "export": "csv"},
                    )
                    .getvalue()
                    .decode("utf-8-sig")
                )
            )
        )
        self.assertEqual(len(rows), 2)  # the heading and the one item

    def test_the_moderators_feedback_download_carries_no_contact(self):
        moderator = make_user("moderator", "Feedback moderators", language="en")
        self.client.force_login(moderator)
        response = self.client.get("/admin/feedback/", {"export": "csv"})
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        self.assertIn("城南小学扩建", text)  # the message's item is there
        self.assertNotIn("13812345678", text)
        self.assertNotIn("wang@example.cn", text)
