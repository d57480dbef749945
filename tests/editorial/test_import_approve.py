"""A reviewer approves a whole import in one action from the dashboard: every page passes the
same check as Wagtail's approve button, each gets its own log entry, and nothing half-happens."""

from unittest import mock

import pytest
from django.test import TestCase
from django.urls import reverse
from wagtail.models import PageLogEntry, WorkflowState

from projects.models import ImportBatch, ProjectPage
from tests.editorial.import_helpers import save
from tests.editorial_fixtures import build_editorial_world, csv_upload, item_row

pytestmark = pytest.mark.usefixtures("english")


class ApproveImportTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_editorial_world(cls)

    def setUp(self):
        self.client.force_login(self.editor_a)
        rows = [item_row(1), item_row(2, "公园提升"), item_row(3, "长者饭堂")]
        preview = self.client.post(
            reverse("editorial:import_items"),
            {"year": self.year_page.pk, "file": csv_upload(rows)},
        )
        save(self.client, preview)
        self.batch = ImportBatch.objects.get()
        self.items = ProjectPage.objects.child_of(self.year_page)

    def approve(self, user):
        self.client.force_login(user)
        return self.client.post(reverse("editorial:approve_import", args=[self.batch.pk]))

    def test_the_import_is_recorded_and_offered_on_the_reviewer_s_dashboard(self):
        self.assertEqual(
            sorted(self.batch.page_ids), sorted(self.items.values_list("pk", flat=True))
        )
        self.client.force_login(self.reviewer)
        dashboard = self.client.get(reverse("wagtailadmin_home"))
        self.assertContains(dashboard, 'data-testid="imports-awaiting-review"')
        self.assertContains(dashboard, "Approve and publish all 3 pages")
        self.client.force_login(self.editor_a)
        self.assertNotContains(
            self.client.get(reverse("wagtailadmin_home")), "imports-awaiting-review"
        )

    def test_one_action_approves_and_publishes_every_page_with_one_log_entry_each(self):
        response = self.approve(self.reviewer)
        self.assertRedirects(response, reverse("wagtailadmin_home"), fetch_redirect_response=False)
        self.assertEqual(self.items.live().count(), 3)
        self.assertFalse(WorkflowState.objects.active().exists())
        approvals = PageLogEntry.objects.filter(action="wagtail.workflow.approve")
        self.assertEqual(
            sorted(approvals.values_list("page_id", flat=True)),
            sorted(self.items.values_list("pk", flat=True)),
        )
        self.assertEqual({entry.user_id for entry in approvals}, {self.reviewer.pk})
        again = self.approve(self.reviewer)
        self.assertEqual(again.status_code, 302)
        self.assertEqual(PageLogEntry.objects.filter(action="wagtail.workflow.approve").count(), 3)
        dashboard = self.client.get(reverse("wagtailadmin_home"))
        self.assertNotContains(dashboard, 'data-testid="imports-awaiting-review"')

    def test_an_editor_cannot_approve_their_own_import(self):
        self.approve(self.editor_a)
        self.assertFalse(self.items.live().exists())
        self.assertEqual(WorkflowState.objects.active().count(), 3)
        self.assertFalse(PageLogEntry.objects.filter(action="wagtail.workflow.approve").exists())

    def test_an_error_halfway_leaves_every_page_awaiting_review(self):
        from wagtail.models import GroupApprovalTask

        original = GroupApprovalTask.on_action
        calls = []

        def fail_on_the_second(task, task_state, user, action_name, **kwargs):
            calls.append(task_state.pk)
            if len(calls) == 2:
                raise RuntimeError("database went away")
            return original(task, task_state, user, action_name, **kwargs)

        with (
            mock.patch.object(GroupApprovalTask, "on_action", fail_on_the_second),
            self.assertRaises(RuntimeError),
        ):
            self.approve(self.reviewer)
        self.assertFalse(self.items.live().exists())
        self.assertEqual(WorkflowState.objects.active().count(), 3)
        self.assertFalse(PageLogEntry.objects.filter(action="wagtail.workflow.approve").exists())

    def test_get_does_not_approve(self):
        self.client.force_login(self.reviewer)
        self.client.get(reverse("editorial:approve_import", args=[self.batch.pk]))
        self.assertFalse(self.items.live().exists())
