"""Reviewers get one e-mail per import, not one per row, naming the count and where to review."""

import pytest
from django.core import mail
from django.test import TestCase
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from projects.factories import ProjectPageFactory
from tests.editorial.import_helpers import save
from tests.editorial_fixtures import (
    build_editorial_world,
    csv_upload,
    item_row,
    progress_row,
    progress_upload,
)

pytestmark = pytest.mark.usefixtures("english")


class ImportNotificationTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_editorial_world(cls)
        for number in range(11, 16):
            ProjectPageFactory(
                parent=cls.year_page,
                number=number,
                title=f"体育公园{number}",
                department=cls.dept_a,
            )

    def setUp(self):
        self.client.force_login(self.editor_a)

    def import_file(self, url_name, upload):
        url = reverse(url_name)
        preview = self.client.post(url, {"year": self.year_page.pk, "file": upload})
        self.assertContains(preview, 'data-testid="import-save"')
        with self.captureOnCommitCallbacks(execute=True):
            save(self.client, preview, "progress" if "progress" in url_name else "items")

    def messages_to(self, user):
        return [m for m in mail.outbox if user.email in m.to]

    def test_five_progress_rows_make_one_message_per_reviewer(self):
        rows = [progress_row(number, 40 + number) for number in range(11, 16)]
        self.import_file("editorial:import_progress", progress_upload(rows))

        reviewer_mail = self.messages_to(self.reviewer)
        self.assertEqual(len(reviewer_mail), 1, [m.subject for m in mail.outbox])
        self.assertEqual(len(self.messages_to(self.admin)), 1)
        self.assertEqual(self.messages_to(self.editor_a), [], "not the one who imported")
        self.assertEqual(len(mail.outbox), 2)

        message = reviewer_mail[0]
        self.assertIn("An import submitted 5 progress updates for your review", message.subject)
        self.assertIn("http://testserver/admin/", message.body)
        self.assertIn("No. 11 体育公园11 · Progress on 2023-06-28", message.body)
        self.assertEqual(message.body.count("/admin/pages/"), 5, "a link to each update")

    def test_an_item_import_makes_one_message_too(self):
        rows = [item_row(1), item_row(2, "公园提升"), item_row(11, "体育公园（二期）")]
        self.import_file("editorial:import_items", csv_upload(rows))
        reviewer_mail = self.messages_to(self.reviewer)
        self.assertEqual(len(reviewer_mail), 1)
        self.assertIn("3 items", reviewer_mail[0].subject)
        self.assertIn("体育公园（二期）", reviewer_mail[0].body)

    def test_a_single_update_from_the_edit_form_still_mails_as_wagtail_does(self):
        item = ProjectPageFactory(parent=self.year_page, number=20, department=self.dept_a)
        url = reverse("wagtailadmin_pages:add", args=["projects", "progressupdatepage", item.pk])
        data = nested_form_data(
            {
                "date": "2023-06-30",
                "progress": 45,
                "invested": "",
                "text": rich_text("<p>主体结构完成。</p>"),
                # The factory's item is behind at 45%: the form asks why (issue 8).
                "lag_reason": "雨季停工，工期顺延。",
                "photos": inline_formset([]),
                "action-submit": "Submit",
            }
        )
        with self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(self.client.post(url, data).status_code, 302)
        self.assertEqual(len(self.messages_to(self.reviewer)), 1)
        self.assertIn("has been submitted for approval", self.messages_to(self.reviewer)[0].subject)
