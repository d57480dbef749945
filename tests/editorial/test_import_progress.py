"""The monthly progress import: many items at once, as updates that wait for approval."""

from datetime import date

import pytest
from django.test import TestCase
from wagtail.models import TaskState

from projects.editorial.importers import validate_progress
from projects.factories import ProgressUpdatePageFactory, ProjectPageFactory
from projects.models import ProgressUpdatePage, ProjectPage
from tests.editorial_fixtures import (
    build_editorial_world,
    progress_row,
    progress_upload,
)

pytestmark = pytest.mark.usefixtures("english")


def approve_everything(user):
    for task_state in TaskState.objects.filter(status=TaskState.STATUS_IN_PROGRESS):
        task_state.specific.approve(user=user)


class ProgressImportTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_editorial_world(cls, status_date=date(2023, 7, 2))
        common = {"planned_start": date(2023, 1, 1), "planned_completion": date(2023, 12, 31)}
        cls.school = ProjectPageFactory(
            parent=cls.year_page, number=1, department=cls.dept_a, **common
        )
        cls.library = ProjectPageFactory(
            parent=cls.year_page, number=2, department=cls.dept_a, **common
        )
        cls.road = ProjectPageFactory(
            parent=cls.year_page, number=3, department=cls.dept_b, **common
        )

    def validate(self, rows, user=None):
        return validate_progress(
            progress_upload(rows), year_page=self.year_page, user=user or self.editor_a
        )

    def test_updates_are_drafts_in_the_workflow_and_figures_move_on_approval(self):
        report = self.validate(
            [
                progress_row(1, 45, invested="500", text="主体封顶。\n室内装修开始。"),
                progress_row(2, 60),
            ]
        )
        self.assertEqual(report.error_lines(), [])
        report.save(self.editor_a)

        updates = ProgressUpdatePage.objects.child_of(self.school)
        update = updates.get()
        self.assertFalse(update.live)
        self.assertTrue(update.workflow_in_progress)
        self.assertEqual(update.progress, 45)
        self.assertEqual(update.text, "<p>主体封顶。</p><p>室内装修开始。</p>")
        self.assertEqual(ProjectPage.objects.get(pk=self.school.pk).progress, 0)

        approve_everything(self.reviewer)

        school = ProjectPage.objects.get(pk=self.school.pk)
        self.assertEqual((school.progress, school.invested), (45, 500))
        self.assertEqual(school.last_update_date, date(2023, 6, 28))
        self.assertEqual(ProjectPage.objects.get(pk=self.library.pk).progress, 60)

    def test_errors_by_row_and_column_and_nothing_saved(self):
        report = self.validate(
            [
                progress_row(1, 120),  # 2: percent out of range
                progress_row(99, 10),  # 3: no such item
                progress_row(3, 10),  # 4: another department
                progress_row(2, 10, day="2023-13-01"),  # 5: bad date
                progress_row(2, 15, text=""),  # 6: duplicate item, missing text
                progress_row(1, 50, revised_completion="2024-03-31"),  # 7: dup, no reason
            ]
        )
        errors = {(row.line, name) for row in report.rows for name in row.errors}
        self.assertEqual(
            errors,
            {
                (2, "progress"),
                (2, "number"),
                (3, "number"),
                (4, "number"),
                (5, "date"),
                (5, "number"),
                (6, "number"),
                (6, "text"),
                (7, "number"),
                (7, "delay_reason"),
            },
        )
        self.assertFalse(report.is_clean)
        self.assertFalse(ProgressUpdatePage.objects.exists())

    def test_a_delay_reason_and_revised_date_go_to_the_item_through_the_workflow(self):
        report = self.validate(
            [progress_row(1, 20, revised_completion="2024-03-31", delay_reason="征地延误。")]
        )
        self.assertEqual(report.error_lines(), [])
        report.save(self.editor_a)
        school = ProjectPage.objects.get(pk=self.school.pk)
        self.assertIsNone(school.revised_completion)
        self.assertTrue(school.workflow_in_progress)

        approve_everything(self.reviewer)
        school = ProjectPage.objects.get(pk=self.school.pk)
        self.assertEqual(school.revised_completion, date(2024, 3, 31))
        self.assertEqual(school.delay_reason, "征地延误。")
        self.assertEqual(school.progress, 20)

    def test_progress_that_goes_back_needs_a_reason(self):
        ProgressUpdatePageFactory(parent=self.school, date=date(2023, 5, 31), progress=60)
        report = self.validate([progress_row(1, 45)])  # June: 45% after May's 60%
        [message] = report.error_lines()
        self.assertIn("Row 2", message)
        self.assertIn("Progress 45% is below the 60% reported on 2023-05-31", message)
        self.assertFalse(ProgressUpdatePage.objects.filter(progress=45).exists())

        explained = self.validate([progress_row(1, 45, delay_reason="复核后扣减了不合格工程量。")])
        self.assertEqual(explained.error_lines(), [])
        # Going forward, or filling in a month before the last update, needs nothing.
        self.assertEqual(self.validate([progress_row(1, 65)]).error_lines(), [])
        earlier = self.validate([progress_row(1, 30, day="2023-04-30")])
        self.assertEqual(earlier.error_lines(), [])
