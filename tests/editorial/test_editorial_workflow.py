"""Publishing with approval: an editor submits, a reviewer approves or sends back; figures move
only on approval; a scheduled update moves them on its go-live date."""

import re
from datetime import date, timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, TaskState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from projects.factories import ProgressUpdatePageFactory, ProjectPageFactory
from projects.models import ProgressUpdatePage, ProjectPage
from tests.editorial_fixtures import build_editorial_world

pytestmark = pytest.mark.usefixtures("english")


class WorkflowTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_editorial_world(cls, status_date=date(2023, 7, 2))
        cls.item = ProjectPageFactory(
            parent=cls.year_page,
            number=37,
            department=cls.dept_a,
            planned_start=date(2023, 1, 1),
            planned_completion=date(2023, 12, 31),
        )

    def item_now(self):
        return ProjectPage.objects.get(pk=self.item.pk)

    def submit_update(self, progress=60, **extra):
        self.client.force_login(self.editor_a)
        url = reverse(
            "wagtailadmin_pages:add", args=["projects", "progressupdatepage", self.item.pk]
        )
        data = nested_form_data(
            {
                "date": "2023-06-30",
                "progress": progress,
                "invested": "",
                "text": rich_text("<p>主体结构完成。</p>"),
                "photos": inline_formset([]),
                "action-submit": "Submit",
                **extra,
            }
        )
        response = self.client.post(url, data)
        errors = response.context and [c["form"].errors for c in response.context if "form" in c]
        self.assertEqual(response.status_code, 302, errors)
        return ProgressUpdatePage.objects.child_of(self.item).latest("pk")

    def task_state(self, page):
        return TaskState.objects.get(
            workflow_state__object_id=str(page.pk), status=TaskState.STATUS_IN_PROGRESS
        )

    def act(self, user, page, action, comment=""):
        self.client.force_login(user)
        url = reverse(
            "wagtailadmin_pages:workflow_action", args=[page.pk, action, self.task_state(page).pk]
        )
        return self.client.post(url, {"comment": comment})

    def test_editor_submits_reviewer_approves_figures_move_only_then(self):
        update = self.submit_update()
        self.assertFalse(update.live)
        self.assertTrue(update.workflow_in_progress)
        self.assertEqual(self.item_now().progress, 0, "not before approval")
        # The reviewer is told, and sees it on the dashboard.
        self.assertTrue(any("reviewer@example.cn" in m.to for m in mail.outbox))
        self.client.force_login(self.reviewer)
        dashboard = self.client.get(reverse("wagtailadmin_home"))
        self.assertContains(dashboard, "Progress updates awaiting your review")
        self.assertContains(dashboard, reverse("wagtailadmin_pages:edit", args=[update.pk]))

        mail.outbox.clear()
        response = self.act(self.reviewer, update, "approve", "很好")
        self.assertEqual(response.status_code, 302)
        self.assertTrue(Page.objects.get(pk=update.pk).live)
        item = self.item_now()
        self.assertEqual((item.progress, item.last_update_date), (60, date(2023, 6, 30)))
        # The editor is told.
        self.assertTrue(any("editor_a@example.cn" in m.to for m in mail.outbox))

    def test_reviewer_sends_back_with_a_comment(self):
        update = self.submit_update()
        mail.outbox.clear()
        self.act(self.reviewer, update, "reject", "请补充照片")
        self.assertFalse(Page.objects.get(pk=update.pk).live)
        self.assertEqual(self.item_now().progress, 0)
        self.assertTrue(any("editor_a@example.cn" in m.to for m in mail.outbox))
        self.assertIn("请补充照片", "".join(m.body for m in mail.outbox))

    def test_an_editor_cannot_publish_or_approve(self):
        self.client.force_login(self.editor_a)
        url = reverse(
            "wagtailadmin_pages:add", args=["projects", "progressupdatepage", self.item.pk]
        )
        self.client.post(
            url,
            nested_form_data(
                {
                    "date": "2023-06-30",
                    "progress": 90,
                    "text": rich_text("<p>试图直接发布。</p>"),
                    "photos": inline_formset([]),
                    "action-publish": "Publish",
                }
            ),
        )
        self.assertFalse(ProgressUpdatePage.objects.live().child_of(self.item).exists())
        self.assertEqual(self.item_now().progress, 0)
        update = self.submit_update()
        self.act(self.editor_a, update, "approve")
        self.assertFalse(Page.objects.get(pk=update.pk).live)

    def test_a_scheduled_update_moves_figures_on_its_go_live_date(self):
        go_live = timezone.now() + timedelta(days=2)
        update = self.submit_update(go_live_at=go_live.strftime("%Y-%m-%d %H:%M"))
        self.act(self.reviewer, update, "approve")
        self.assertFalse(Page.objects.get(pk=update.pk).live)
        self.assertEqual(self.item_now().progress, 0)

        call_command("publish_scheduled")  # not yet
        self.assertFalse(Page.objects.get(pk=update.pk).live)
        later = go_live + timedelta(minutes=5)
        with mock.patch("django.utils.timezone.now", return_value=later):
            call_command("publish_scheduled")
        self.assertTrue(Page.objects.get(pk=update.pk).live)
        self.assertEqual(self.item_now().progress, 60)

    def test_add_progress_update_is_one_click_from_the_item(self):
        self.client.force_login(self.editor_a)
        add_url = reverse(
            "wagtailadmin_pages:add", args=["projects", "progressupdatepage", self.item.pk]
        )
        listing = self.client.get(reverse("wagtailadmin_explore", args=[self.year_page.pk]))
        self.assertContains(listing, add_url)
        edit = self.client.get(reverse("wagtailadmin_pages:edit", args=[self.item.pk]))
        self.assertContains(edit, add_url)
        form = self.client.get(add_url).context["form"]
        self.assertEqual(
            [name for name in form.fields if name not in ("comment_notifications",)][:4],
            ["date", "progress", "invested", "text"],
        )

    def test_reviewer_sees_before_and_after_and_the_item_is_named(self):
        self.item.title = "将军山体育公园"
        self.item.save_revision().publish()
        ProgressUpdatePageFactory(
            parent=self.item, date=date(2023, 5, 31), progress=30, invested=Decimal("100")
        )
        self.item.refresh_progress()
        mail.outbox.clear()
        update = self.submit_update(progress=45, invested="150")
        name = "No. 37 将军山体育公园 · Progress on 2023-06-30"

        subjects = [m.subject for m in mail.outbox if "reviewer@example.cn" in m.to]
        self.assertTrue(subjects and all(name in subject for subject in subjects), subjects)

        self.client.force_login(self.reviewer)
        dashboard = self.client.get(reverse("wagtailadmin_home")).content.decode()
        # Wagtail's "Awaiting your review" panel and ours both name the item.
        self.assertGreaterEqual(dashboard.count(name), 2)

        edit = self.client.get(reverse("wagtailadmin_pages:edit", args=[update.pk]))
        text = " ".join(re.sub(r"<[^>]+>", " ", edit.content.decode()).split())
        self.assertIn("What this update changes for item No. 37 将军山体育公园", text)
        self.assertIn("Progress 30% → 45%", text)
        self.assertIn("Invested so far (10,000 yuan) 100.00 → 150.00", text)
        # As of 2 July 2023 the item is expected at 50%: 30% is orange, 45% yellow.
        self.assertIn("Supervision colour Clearly behind → Slightly behind", text)

        self.client.force_login(self.admin)
        tasks = self.client.get(reverse("wagtailadmin_reports:workflow_tasks"))
        self.assertContains(tasks, name)
