"""The admin import screens, the exports, the dashboard panels, the commands and the digest."""

import io
import tempfile
from datetime import date, timedelta
from io import BytesIO
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from projects.factories import ProgressUpdatePageFactory, ProjectPageFactory
from projects.models import ProgressUpdatePage, ProjectPage
from tests.editorial.import_helpers import preview_form, save
from tests.editorial_fixtures import (
    build_editorial_world,
    csv_upload,
    item_row,
    progress_row,
    progress_upload,
)

pytestmark = pytest.mark.usefixtures("english")


class ImportViewTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_editorial_world(cls)

    def setUp(self):
        self.client.force_login(self.editor_a)

    def upload(self, rows, url_name="editorial:import_items", upload=csv_upload):
        return self.client.post(
            reverse(url_name), {"year": self.year_page.pk, "file": upload(rows)}
        )

    def test_preview_shows_errors_by_row_and_column_and_saves_nothing(self):
        response = self.upload([item_row(1), item_row(2, category="体育", title="")])
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Unknown category “体育”.")
        self.assertContains(response, 'class="has-error"', count=2)
        self.assertNotContains(response, 'data-testid="import-save"')
        self.assertFalse(ProjectPage.objects.exists())

    def test_clean_preview_then_save_submits_everything_for_approval(self):
        response = self.upload([item_row(1), item_row(2, "公园提升")])
        self.assertContains(response, 'data-testid="import-save"')
        self.assertFalse(ProjectPage.objects.exists())

        response = save(self.client, response)
        self.assertRedirects(
            response,
            reverse("wagtailadmin_explore", args=[self.year_page.pk]),
            fetch_redirect_response=False,
        )
        items = ProjectPage.objects.child_of(self.year_page)
        self.assertEqual(items.count(), 2)
        self.assertTrue(all(item.workflow_in_progress and not item.live for item in items))

    def test_a_tampered_source_is_refused(self):
        response = self.upload([item_row(1)])
        data = preview_form(response)
        data.update(source=data["source"] + "x", save="1")
        response = self.client.post(reverse("editorial:import_items"), data)
        self.assertEqual(response.status_code, 302)
        self.assertFalse(ProjectPage.objects.exists())

    def test_monthly_progress_import_screen(self):
        item = ProjectPageFactory(parent=self.year_page, number=1, department=self.dept_a)
        response = self.upload(
            [progress_row(1, 30)], "editorial:import_progress", upload=progress_upload
        )
        self.assertContains(response, 'data-testid="import-save"')
        save(self.client, response, "progress")
        update = ProgressUpdatePage.objects.child_of(item).get()
        self.assertTrue(update.workflow_in_progress)

    def test_index_lists_the_tools_and_years(self):
        response = self.client.get(reverse("editorial:index"))
        self.assertContains(response, reverse("editorial:import_items"))
        self.assertContains(response, reverse("editorial:export_year", args=[2023, "csv"]))

    def test_templates_have_the_chinese_headers(self):
        response = self.client.get(reverse("editorial:template", args=["items"]))
        sheet = load_workbook(BytesIO(response.content)).active
        self.assertEqual(
            [cell.value for cell in sheet[1]],
            [
                "项目编号",
                "项目名称",
                "类别",
                "责任单位",
                "片区/街道",
                "地址",
                "经度",
                "纬度",
                "计划投资（万元）",
                "计划开工日期",
                "计划完成日期",
                "项目简介",
            ],
        )
        self.assertEqual(
            self.client.get(reverse("editorial:template", args=["other"])).status_code, 404
        )


class ExportTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_editorial_world(cls, status_date=date(2023, 7, 2))
        cls.item = ProjectPageFactory(
            parent=cls.year_page,
            number=5,
            title="将军山体育公园",
            department=cls.dept_a,
            planned_start=date(2023, 1, 1),
            planned_completion=date(2023, 12, 28),
        )
        ProgressUpdatePageFactory(parent=cls.item, date=date(2023, 6, 1), progress=20)

    def test_year_xlsx_and_csv_carry_current_figures(self):
        self.client.force_login(self.reviewer)
        response = self.client.get(reverse("editorial:export_year", args=[2023, "xlsx"]))
        sheet = load_workbook(BytesIO(response.content)).active
        header = [cell.value for cell in sheet[1]]
        row = dict(zip(header, [cell.value for cell in sheet[2]], strict=True))
        self.assertEqual(row["项目编号"], 5)
        self.assertEqual(row["形象进度（%）"], 20)
        self.assertEqual(row["序时进度（%）"], 50)
        self.assertEqual(row["滞后（百分点）"], 30)
        self.assertEqual(row["督办颜色"], "Seriously behind")
        csv = self.client.get(reverse("editorial:export_year", args=[2023, "csv"]))
        text = csv.content.decode("utf-8-sig")
        self.assertIn("将军山体育公园", text)
        self.assertEqual(len(text.strip().splitlines()), 2)

    def test_export_command(self):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "2023.xlsx"
            call_command("export_year", "2023", str(path), stdout=io.StringIO())
            self.assertEqual(load_workbook(path).active.max_row, 2)


class CommandTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_editorial_world(cls)

    def write(self, folder, upload):
        path = Path(folder) / upload.name
        path.write_bytes(upload.read())
        return str(path)

    def test_import_items_dry_run_then_real(self):
        with tempfile.TemporaryDirectory() as folder:
            path = self.write(folder, csv_upload([item_row(1), item_row(2)]))
            out = io.StringIO()
            call_command("import_items", path, year=2023, user="editor_a", dry_run=True, stdout=out)
            self.assertIn("Dry run: the file is clean (2 create)", out.getvalue())
            self.assertFalse(ProjectPage.objects.exists())
            call_command("import_items", path, year=2023, user="editor_a", stdout=out)
            self.assertEqual(ProjectPage.objects.count(), 2)

    def test_import_items_reports_errors_and_fails(self):
        with tempfile.TemporaryDirectory() as folder:
            path = self.write(folder, csv_upload([item_row(1, category="体育")]))
            err = io.StringIO()
            with self.assertRaisesMessage(CommandError, "nothing saved"):
                call_command("import_items", path, year=2023, user="editor_a", stderr=err)
            self.assertIn("Row 2, 类别: Unknown category", err.getvalue())

    def test_import_progress_publish_needs_a_superuser(self):
        ProjectPageFactory(parent=self.year_page, number=1, department=self.dept_a)
        with tempfile.TemporaryDirectory() as folder:
            path = self.write(folder, progress_upload([progress_row(1, 30)]))
            with self.assertRaises(CommandError):
                call_command("import_progress", path, year=2023, user="editor_a", publish=True)
            call_command(
                "import_progress", path, year=2023, user="admin", publish=True, stdout=io.StringIO()
            )
        self.assertEqual(ProjectPage.objects.get(number=1).progress, 30)


class DashboardAndDigestTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_editorial_world(cls)
        today = timezone.localdate()
        start = today - timedelta(days=200)
        end = today + timedelta(days=165)
        cls.behind = ProjectPageFactory(
            parent=cls.year_page,
            number=1,
            title="滞后项目",
            department=cls.dept_a,
            planned_start=start,
            planned_completion=end,
        )
        ProgressUpdatePageFactory(parent=cls.behind, date=today - timedelta(days=40), progress=5)
        cls.fine = ProjectPageFactory(
            parent=cls.year_page,
            number=2,
            title="正常项目",
            department=cls.dept_a,
            planned_start=start,
            planned_completion=end,
        )
        ProgressUpdatePageFactory(parent=cls.fine, date=today - timedelta(days=3), progress=60)
        cls.other = ProjectPageFactory(
            parent=cls.year_page,
            number=3,
            title="乙部门滞后项目",
            department=cls.dept_b,
            planned_start=start,
            planned_completion=end,
        )
        cls.year_page.year = today.year
        cls.year_page.save_revision().publish()

    def test_editor_dashboard_lists_own_behind_and_stale_items(self):
        self.client.force_login(self.editor_a)
        response = self.client.get(reverse("wagtailadmin_home"))
        self.assertContains(response, "My items behind schedule")
        self.assertContains(response, "滞后项目")
        self.assertContains(response, "My items without a published update for 30 days")
        self.assertNotContains(response, "乙部门滞后项目")
        self.assertNotContains(response, "正常项目")

    def test_digest_dry_run_and_send(self):
        out = io.StringIO()
        call_command("send_department_digest", dry_run=True, stdout=out)
        self.assertIn("区教育局: 1 behind, 1 stale → editor_a@example.cn", out.getvalue())
        self.assertIn("区住建局: 1 behind, 1 stale → editor_b@example.cn", out.getvalue())
        self.assertEqual(mail.outbox, [])
        with self.captureOnCommitCallbacks(execute=True):
            call_command("send_department_digest", stdout=out)
        self.assertEqual(len(mail.outbox), 2)
        message = next(m for m in mail.outbox if m.to == ["editor_a@example.cn"])
        self.assertIn("滞后项目", message.body)
        self.assertNotIn("正常项目", message.body)
