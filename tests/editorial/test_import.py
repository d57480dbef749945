"""The year-list importer: clean files, every kind of error, idempotent re-import, scoping."""

from datetime import date
from decimal import Decimal

import pytest
from django.test import TestCase
from wagtail.models import Revision, WorkflowState

from projects.editorial.importers import validate_items
from projects.factories import ProjectPageFactory
from projects.models import ProjectPage
from tests.editorial_fixtures import (
    build_editorial_world,
    csv_upload,
    item_row,
    xlsx_upload,
)

pytestmark = pytest.mark.usefixtures("english")


class ItemImportTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_editorial_world(cls)

    def items(self):
        return ProjectPage.objects.child_of(self.year_page).order_by("number")

    def validate(self, upload, user=None):
        return validate_items(upload, year_page=self.year_page, user=user or self.editor_a)


class CleanFileTests(ItemImportTestCase):
    def test_a_clean_csv_creates_drafts_submitted_for_approval(self):
        report = self.validate(csv_upload([item_row(1), item_row(2, "公园提升", category="parks")]))
        self.assertEqual(report.error_lines(), [])
        self.assertTrue(report.is_clean)
        self.assertEqual(report.counts(), {"create": 2, "update": 0, "unchanged": 0})
        self.assertFalse(self.items().exists(), "validation alone must not save")

        report.save(self.editor_a)

        first, second = self.items()
        self.assertEqual((first.number, first.title, first.slug), (1, "新建学校", "1"))
        self.assertEqual(second.category, self.parks)
        self.assertEqual(first.department, self.dept_a)
        self.assertEqual(first.budget, Decimal("1200.50"))
        self.assertEqual(first.planned_completion, date(2023, 11, 30))
        self.assertEqual(first.latitude, Decimal("23.293456"))
        self.assertFalse(first.live, "items wait for a reviewer")
        self.assertEqual(first.owner, self.editor_a)
        self.assertTrue(first.workflow_in_progress)
        self.assertEqual(
            WorkflowState.objects.filter(status=WorkflowState.STATUS_IN_PROGRESS).count(), 2
        )

    def test_xlsx_with_english_headers_and_native_cells(self):
        import io

        from django.core.files.uploadedfile import SimpleUploadedFile
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        row = item_row(7)
        sheet.append(list(row))  # English field names as headers
        values = list(row.values())
        values[0] = 7.0  # Excel stores numbers as floats
        values[9] = date(2023, 2, 1)
        values[10] = "2023年11月30日"
        sheet.append(values)
        output = io.BytesIO()
        workbook.save(output)
        report = self.validate(SimpleUploadedFile("list.xlsx", output.getvalue()))
        self.assertEqual(report.error_lines(), [])
        report.save(self.editor_a)
        item = self.items().get()
        self.assertEqual((item.number, item.planned_start), (7, date(2023, 2, 1)))
        self.assertEqual(item.planned_completion, date(2023, 11, 30))

    def test_gb18030_csv_as_excel_saves_it(self):
        report = self.validate(csv_upload([item_row(3)], encoding="gb18030"))
        self.assertTrue(report.is_clean, report.error_lines())

    def test_xlsx_native_dates(self):
        report = self.validate(xlsx_upload([item_row(4)], native=True))
        self.assertTrue(report.is_clean, report.error_lines())


class ErrorTests(ItemImportTestCase):
    def test_every_kind_of_error_is_reported_by_row_and_column_and_nothing_is_saved(self):
        ProjectPageFactory(parent=self.year_page, number=50, department=self.dept_b)
        rows = [
            item_row(1),  # line 2: fine
            item_row(2, category="体育"),  # 3: unknown category
            item_row(3),  # 4: duplicate number (with line 5)
            item_row(3, title="另一项"),  # 5
            item_row(4, planned_start="2023-10-01", planned_completion="2023-03-01"),  # 6
            item_row("4a"),  # 7: bad number format
            item_row(6, title=""),  # 8: missing title
            item_row(7, planned_start="2023-02-30"),  # 9: impossible date
            item_row(8, department="区卫健局"),  # 10: unknown department
            item_row(9, budget="十万"),  # 11: bad money
            item_row(10, latitude="123"),  # 12: latitude out of range
            item_row(11, department="区住建局"),  # 13: another department (editor A)
            item_row(50),  # 14: existing item of department B
        ]
        before = Revision.objects.count()
        report = self.validate(csv_upload(rows))
        self.assertFalse(report.is_clean)
        errors = {(row.line, name) for row in report.rows for name in row.errors}
        self.assertEqual(
            errors,
            {
                (3, "category"),
                (4, "number"),
                (5, "number"),
                (6, "planned_completion"),
                (7, "number"),
                (8, "title"),
                (9, "planned_start"),
                (10, "department"),
                (11, "budget"),
                (12, "latitude"),
                (13, "department"),
                (14, "number"),
            },
        )
        messages = "\n".join(report.error_lines())
        self.assertIn("Row 3, 类别: Unknown category “体育”.", messages)
        self.assertIn("Number 3 appears more than once (rows 4, 5).", messages)
        self.assertIn("The completion date is before the start date.", messages)
        with self.assertRaises(ValueError):
            report.save(self.editor_a)
        self.assertEqual(self.items().count(), 1)
        self.assertEqual(Revision.objects.count(), before)

    def test_missing_columns_are_a_file_error(self):
        report = self.validate(csv_upload([{"number": "1"}], columns=[("number", "项目编号")]))
        self.assertFalse(report.is_clean)
        self.assertIn("No column is mapped to", report.file_errors[0])
        self.assertIn("项目名称", report.file_errors[0])

    def test_not_a_spreadsheet(self):
        from django.core.files.uploadedfile import SimpleUploadedFile

        report = self.validate(SimpleUploadedFile("list.xlsx", b"PK\x03\x04garbage"))
        self.assertEqual(report.file_errors, ["This is not a readable XLSX file."])


class ReimportTests(ItemImportTestCase):
    def test_reimport_is_idempotent_and_changes_are_upserts(self):
        rows = [item_row(1), item_row(2, "公园提升")]
        self.validate(csv_upload(rows), user=self.admin).save(self.admin, publish=True)
        revisions = Revision.objects.count()
        self.assertEqual(self.items().live().count(), 2)

        again = self.validate(csv_upload(rows), user=self.admin)
        self.assertEqual(again.counts(), {"create": 0, "update": 0, "unchanged": 2})
        again.save(self.admin, publish=True)
        self.assertEqual(Revision.objects.count(), revisions)
        self.assertEqual(self.items().count(), 2)

        rows[1]["budget"] = "800"
        changed = self.validate(csv_upload(rows), user=self.admin)
        self.assertEqual(changed.counts(), {"create": 0, "update": 1, "unchanged": 1})
        changed.save(self.admin, publish=True)
        self.assertEqual(self.items().get(number=2).budget, Decimal("800.00"))
        self.assertEqual(self.items().count(), 2)

    def test_an_editor_update_waits_for_approval(self):
        self.validate(csv_upload([item_row(1)]), user=self.admin).save(self.admin, publish=True)
        report = self.validate(csv_upload([item_row(1, "新建学校（二期）")]))
        self.assertEqual(report.counts()["update"], 1)
        report.save(self.editor_a)
        item = self.items().get()
        self.assertEqual(item.title, "新建学校", "the public title changes only on approval")
        self.assertTrue(item.has_unpublished_changes)
        self.assertEqual(item.get_latest_revision_as_object().title, "新建学校（二期）")
        self.assertTrue(item.workflow_in_progress)

        blocked = self.validate(csv_upload([item_row(1, "第三版")]))
        self.assertIn("awaiting approval", "\n".join(blocked.error_lines()))
