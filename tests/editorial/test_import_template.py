"""The downloadable templates and the import preview, through the admin views as an editor
uses them: the template's example row never changes an item, and a changed row of an
existing item shows what it changes."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from projects.editorial.importers import validate_items
from projects.models import ProgressUpdatePage, ProjectPage
from tests.editorial_fixtures import (
    build_editorial_world,
    csv_upload,
    item_row,
)

pytestmark = pytest.mark.usefixtures("english")


class TemplateUploadTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_editorial_world(cls)
        validate_items(
            csv_upload([item_row(1, "将军山体育公园", budget="1200.5")]),
            year_page=cls.year_page,
            user=cls.admin,
        ).save(cls.admin, publish=True)
        cls.item = ProjectPage.objects.get(number=1)

    def setUp(self):
        self.client.force_login(self.editor_a)

    def download(self, kind):
        index = self.client.get(reverse("editorial:import_" + kind))
        link = re.search(r'<a href="([^"]+)">Download the template</a>', index.content.decode())
        response = self.client.get(link.group(1))
        self.assertEqual(response.status_code, 200)
        return SimpleUploadedFile("模板.xlsx", response.content)

    def upload(self, kind, upload):
        return self.client.post(
            reverse("editorial:import_" + kind), {"year": self.year_page.pk, "file": upload}
        )

    def test_the_unchanged_items_template_changes_nothing(self):
        response = self.upload("items", self.download("items"))
        self.assertContains(response, "only the template&#x27;s example row")
        self.assertNotContains(response, 'data-testid="import-save"')
        item = ProjectPage.objects.get(pk=self.item.pk)
        self.assertEqual(item.title, "将军山体育公园")
        self.assertFalse(item.has_unpublished_changes)
        self.assertEqual(ProjectPage.objects.count(), 1)

    def test_the_unchanged_progress_template_changes_nothing(self):
        response = self.upload("progress", self.download("progress"))
        self.assertContains(response, "only the template&#x27;s example row")
        self.assertNotContains(response, 'data-testid="import-save"')
        self.assertFalse(ProgressUpdatePage.objects.exists())

    def test_an_older_template_without_the_mark_is_recognised_too(self):
        # Templates downloaded before the example was marked numbered it 1.
        old_example = item_row(
            1, "高新区第一小学扩建", planned_start="2023-02-01", summary="新增学位900个。"
        )
        response = self.upload("items", csv_upload([old_example, item_row(2, "新建学校")]))
        self.assertContains(response, "Row 2 is the template's example")
        self.assertContains(response, "1 new items, 0 changed, 0 unchanged")

    def test_a_changed_row_shows_old_and_new_values(self):
        row = item_row(1, "将军山体育公园（二期）", budget="1500")
        response = self.upload("items", csv_upload([row]))
        self.assertContains(response, "0 new items, 1 changed")
        html = response.content.decode()
        cells = re.findall(r'<td class="is-changed">(.*?)</td>', html, re.S)
        plain = [re.sub(r"<[^>]+>", "", cell) for cell in cells]
        self.assertEqual(
            plain, ["was 将军山体育公园 → now 将军山体育公园（二期）", "was 1200.5 → now 1500"]
        )
        self.assertEqual(ProjectPage.objects.get().title, "将军山体育公园", "nothing saved yet")
