"""Importing the list a district office really sends (tests/editorial/office_sheet.py): a title
above a two-row header in the office's words, budgets and dates as people write them, totals
and notes below, a second sheet; the column mapping and unknown names settled in the preview."""

from datetime import date
from decimal import Decimal
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from openpyxl import Workbook

from projects.editorial import importers
from projects.editorial.importers import validate_items
from projects.models import Department, ImportLayout, ProjectPage
from tests.editorial.import_helpers import preview_form, recheck, save
from tests.editorial.office_sheet import SAMPLE, office_rows, office_workbook
from tests.editorial_fixtures import build_editorial_world

pytestmark = pytest.mark.usefixtures("english")

NOTE_COLUMN = 10  # K: 备注
SUMMARY_COLUMN = 9  # J: 建设内容及规模
START_COLUMN = 7  # H: 时间 / 计划开工


def office_upload(rows=None, **kwargs):
    return SimpleUploadedFile("XX高新区2023年民生实事计划表.xlsx", office_workbook(rows, **kwargs))


def with_cell(rows, number, column, value):
    rows[number - 1]["cells"][column] = value
    return rows


class OfficeSheetTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_editorial_world(cls)

    def items(self):
        return ProjectPage.objects.child_of(self.year_page).order_by("number")

    def upload(self, upload, user=None):
        self.client.force_login(user or self.reviewer)
        return self.client.post(
            reverse("editorial:import_items"), {"year": self.year_page.pk, "file": upload}
        )


class ReadingTests(OfficeSheetTestCase):
    def test_the_office_sheet_imports_twenty_rows_with_their_values(self):
        report = validate_items(office_upload(), year_page=self.year_page, user=self.reviewer)
        self.assertEqual(report.error_lines(), [])
        self.assertEqual(len(report.rows), 20)
        # Lines as the spreadsheet shows them: title, subtitle, blank, two header rows, then
        # rows 6–15, a blank row, rows 17–26.
        self.assertEqual([row.line for row in report.rows][:2], [6, 7])
        self.assertEqual(report.rows[-1].line, 26)
        self.assertEqual(
            [(item.line, item.reason) for item in report.plan.table.left_out],
            [(27, "note"), (28, "note"), (29, "note")],
        )
        self.assertEqual(report.plan.sheet_names[report.plan.sheet], "2023年计划")
        report.save(self.reviewer)

        items = list(self.items())
        self.assertEqual(len(items), 20)
        for item, row in zip(items, office_rows(), strict=True):
            expected = row["expected"]
            self.assertEqual(item.number, expected["number"])
            self.assertEqual(item.title, expected["title"])
            self.assertEqual(item.category.name, expected["category"])
            self.assertEqual(item.department.name, expected["department"])
            self.assertEqual(item.district, self.street)
            self.assertEqual(item.budget, expected["budget"], item.number)
            self.assertEqual(item.planned_start, expected["planned_start"], item.number)
            self.assertEqual(item.planned_completion, expected["planned_completion"], item.number)
            self.assertEqual(item.summary, expected["summary"])
        self.assertEqual(items[3].budget, Decimal("0.15"), "1,500元 is 0.15 万元")
        self.assertEqual(items[4].planned_start, date(2023, 3, 1), "2023-3 starts on the 1st")
        self.assertEqual(items[1].planned_completion, date(2023, 11, 30), "2023年11月 ends 30th")

    def test_the_kept_sample_is_the_office_sheet(self):
        upload = SimpleUploadedFile("office_2023.xlsx", SAMPLE.read_bytes())
        report = validate_items(upload, year_page=self.year_page, user=self.reviewer)
        self.assertEqual(report.error_lines(), [])
        self.assertEqual(len(report.rows), 20)

    def test_a_gb18030_csv_with_a_title_row_and_office_headers(self):
        lines = [
            "XX高新区2023年民生实事项目计划表,,,,,,,,",
            "序号,项目名称,类别,实施单位,镇街,总投资（元）,开工时间,竣工时间,主要内容",
            '１,长者饭堂,教育,区教育局,大旺街道,"2,500,000",2023年3月,2023年12月,新建饭堂。',
            ",,,,,,,,",
            "2,社区公园,公园绿化,区住建局,大旺街道,800000,2023.4.1,2023.9.30,口袋公园。",
            "合计,,,,,3300000,,,",
        ]
        upload = SimpleUploadedFile(
            "list.csv", "\r\n".join(lines).encode("gb18030"), content_type="text/csv"
        )
        report = validate_items(upload, year_page=self.year_page, user=self.reviewer)
        self.assertEqual(report.error_lines(), [])
        report.save(self.reviewer)
        first, second = self.items()
        self.assertEqual((first.number, first.budget), (1, Decimal("250")), "元 → 万元")
        self.assertEqual(second.budget, Decimal("80"))
        self.assertEqual(
            (first.planned_start, first.planned_completion), (date(2023, 3, 1), date(2023, 12, 31))
        )
        self.assertEqual(second.department, self.dept_b)

    def test_an_impossible_date_is_reported_by_row_and_column(self):
        rows = with_cell(office_rows(), 3, START_COLUMN, "2023-2-30")
        report = validate_items(office_upload(rows), year_page=self.year_page, user=self.reviewer)
        self.assertFalse(report.is_clean)
        self.assertEqual(
            report.error_lines(),
            ["Row 8, 时间 / 计划开工: “2023-2-30” is not a date: 2023-2 has only 28 days."],
        )

    def test_the_sheet_that_matches_best_is_read_and_a_second_list_is_offered(self):
        workbook = Workbook()
        workbook.active.title = "说明"
        workbook.active.append(["本表由区发改局汇总。"])
        for title in ("2022年（已完成）", "2023年"):
            sheet = workbook.create_sheet(title)
            sheet.append(["编号", "名称", "类别", "责任单位", "片区", "投资", "开工", "完工"])
        import io

        output = io.BytesIO()
        workbook.save(output)
        _sheets, plan = importers.read_plan(
            SimpleUploadedFile("two.xlsx", output.getvalue()), "items"
        )
        self.assertEqual(plan.sheet_names[plan.sheet], "2022年（已完成）")
        self.assertTrue(plan.ask_sheet, "two plausible sheets: the editor is asked")
        self.assertEqual(
            [plan.sheet_names[i] for i in plan.candidates], ["2022年（已完成）", "2023年"]
        )


class PreviewTests(OfficeSheetTestCase):
    def test_the_preview_shows_every_column_and_the_field_it_fills(self):
        response = self.upload(office_upload())
        self.assertContains(response, 'data-testid="import-mapping"')
        plan = response.context["plan"]
        self.assertEqual(
            [(column.letter, column.label, column.field) for column in plan.columns],
            [
                ("A", "序号", "number"),
                ("B", "项目名称", "title"),
                ("C", "类别", "category"),
                ("D", "牵头单位", "department"),
                ("E", "所在街道", "district"),
                ("F", "建设地点", "address"),
                ("G", "计划投资（万元）", "budget"),
                ("H", "时间 / 计划开工", "planned_start"),
                ("I", "时间 / 计划完工", "planned_completion"),
                ("J", "建设内容及规模", "summary"),
                ("K", "备注", ""),
            ],
        )
        html = response.content.decode()
        self.assertIn('<option value="department" selected>责任单位</option>', html)
        self.assertIn('<option value="" selected>Not imported</option>', html)
        self.assertContains(response, "the column headers are in row 4–5")
        self.assertContains(response, "“1,500元” in 元, read as 0.15 万元.")
        self.assertContains(response, "“2023-3” gives a month only; read as its first day.")
        self.assertContains(response, 'data-testid="import-save"')
        self.assertFalse(ProjectPage.objects.exists())

    def test_changing_a_column_in_the_preview_changes_what_is_imported(self):
        preview = self.upload(office_upload())
        changed = recheck(
            self.client, preview, mapping={NOTE_COLUMN: "summary", SUMMARY_COLUMN: ""}
        )
        plan = changed.context["plan"]
        self.assertEqual(plan.columns[NOTE_COLUMN].field, "summary")
        # Only four rows have a 备注; the others now lack the required summary.
        self.assertFalse(changed.context["report"].is_clean)
        self.assertContains(changed, "Row 6, 备注: This field is required.")
        self.assertFalse(ProjectPage.objects.exists())

        mapped = recheck(self.client, preview, mapping={5: "", 10: "address"})
        self.assertTrue(mapped.context["report"].is_clean)
        save(self.client, mapped)
        item = self.items().get(number=5)
        self.assertEqual(item.address, "续建项目", "the address now comes from 备注")

    def test_saving_with_changed_but_unchecked_choices_shows_the_result_first(self):
        preview = self.upload(office_upload())
        data = preview_form(preview, mapping={5: ""})
        data["save"] = "1"
        response = self.client.post(reverse("editorial:import_items"), data)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "You changed the choices")
        self.assertFalse(ProjectPage.objects.exists())

    def test_a_confirmed_mapping_is_used_for_the_same_layout_next_time(self):
        preview = self.upload(office_upload())
        self.assertFalse(preview.context["plan"].remembered)
        mapped = recheck(self.client, preview, mapping={5: "", 10: "address"})
        save(self.client, mapped)
        self.assertEqual(ImportLayout.objects.count(), 1)

        again = self.upload(office_upload())
        plan = again.context["plan"]
        self.assertTrue(plan.remembered)
        self.assertContains(again, 'data-testid="import-remembered"')
        self.assertEqual(plan.columns[5].field, "")
        self.assertEqual(plan.columns[10].field, "address")
        # The same header in a workbook saved otherwise is recognised too.
        other = self.upload(office_upload(second_sheet=False, sheet_title="Sheet1"))
        self.assertTrue(other.context["plan"].remembered, "same header, other sheet name")


class UnknownNameTests(OfficeSheetTestCase):
    def office_with(self, department, rows_to_change=(2, 6)):
        rows = office_rows()
        for number in rows_to_change:
            with_cell(rows, number, 3, department)
        return office_upload(rows)

    def test_an_unknown_department_gets_the_closest_suggestion(self):
        response = self.upload(self.office_with("高新区住建局"))
        (unknown,) = response.context["unknowns"]
        self.assertEqual(unknown["unknown"].text, "高新区住建局")
        self.assertEqual(unknown["unknown"].lines, [7, 11])
        self.assertEqual([obj.name for obj in unknown["unknown"].suggestions], ["区住建局"])
        self.assertContains(response, "Did you mean “区住建局”?")
        self.assertFalse(response.context["report"].is_clean)

        picked = recheck(self.client, response, names={unknown["unknown"].key: str(self.dept_b.pk)})
        self.assertTrue(picked.context["report"].is_clean)
        save(self.client, picked)
        self.assertEqual(self.items().get(number=2).department, self.dept_b)
        self.assertFalse(Department.objects.filter(name="高新区住建局").exists())

    def test_a_reviewer_creates_a_department_in_the_preview(self):
        response = self.upload(self.office_with("区城市管理局"))
        (unknown,) = response.context["unknowns"]
        self.assertTrue(unknown["may_create"])
        created = recheck(self.client, response, names={unknown["unknown"].key: "new"})
        self.assertTrue(created.context["report"].is_clean)
        self.assertFalse(
            Department.objects.filter(name="区城市管理局").exists(),
            "checking the preview creates nothing",
        )
        save(self.client, created)
        department = Department.objects.get(name="区城市管理局")
        self.assertEqual(self.items().get(number=6).department, department)
        self.assertEqual(self.items().count(), 20)

    def test_a_failed_save_rolls_back_the_new_department_too(self):
        response = self.upload(self.office_with("区城市管理局"))
        (unknown,) = response.context["unknowns"]
        created = recheck(self.client, response, names={unknown["unknown"].key: "new"})
        calls = []

        def fail_on_the_tenth(report, row, user, publish):
            calls.append(row.line)
            if len(calls) == 10:
                raise RuntimeError("the disk is full")
            return original(report, row, user, publish)

        original = importers.ImportReport._save_item
        with (
            mock.patch.object(importers.ImportReport, "_save_item", fail_on_the_tenth),
            self.assertRaises(RuntimeError),
        ):
            save(self.client, created)
        self.assertEqual(len(calls), 10)
        self.assertFalse(Department.objects.filter(name="区城市管理局").exists())
        self.assertFalse(ProjectPage.objects.exists())
        self.assertFalse(ImportLayout.objects.exists())

    def test_an_editor_cannot_create_and_sees_who_can(self):
        rows = office_rows()
        for row in rows:
            row["cells"][3] = "区教育局"
        with_cell(rows, 4, 3, "区城市管理局")
        response = self.upload(office_upload(rows), user=self.editor_a)
        (unknown,) = response.context["unknowns"]
        self.assertFalse(unknown["may_create"])
        self.assertNotContains(response, '<option value="new"')
        self.assertContains(
            response, "Only an administrator or reviewer may add a new department: reviewer、admin."
        )
        forced = recheck(self.client, response, names={unknown["unknown"].key: "new"})
        self.assertFalse(forced.context["report"].is_clean)
        data = preview_form(forced, names={unknown["unknown"].key: "new"})
        data["save"] = "1"
        self.client.post(reverse("editorial:import_items"), data)
        self.assertFalse(Department.objects.filter(name="区城市管理局").exists())
        self.assertFalse(ProjectPage.objects.exists())


class ProgressSheetTests(OfficeSheetTestCase):
    def test_a_monthly_sheet_with_percentages_as_written(self):
        from projects.editorial.importers import validate_progress
        from projects.factories import ProjectPageFactory

        for number in (1, 2, 3):
            ProjectPageFactory(parent=self.year_page, number=number, department=self.dept_a)
        lines = [
            "2023年6月民生实事项目进展情况表,,,,",
            "编号,日期,完成进度,累计完成投资（元）,进展情况",
            '1,2023年6月,65%,"3,000,000",主体封顶。',
            "2,2023.6.28,0.7,1200000,装修中。",
            "3,2023/6/28,８０％,,设备安装。",
            "填表人：王五,,,,",
        ]
        upload = SimpleUploadedFile("progress.csv", "\n".join(lines).encode("gb18030"))
        report = validate_progress(upload, year_page=self.year_page, user=self.editor_a)
        self.assertEqual(report.error_lines(), [])
        values = [
            (row.form.cleaned_data["progress"], row.values["invested"]) for row in report.rows
        ]
        self.assertEqual(values, [(65, "300"), (70, "120"), (80, "")])
        self.assertEqual(report.rows[0].form.cleaned_data["date"], date(2023, 6, 30))
        self.assertEqual(
            [note["rule"] for note in report.notes], ["month_end", "money", "fraction", "money"]
        )
