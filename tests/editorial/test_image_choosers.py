"""Picking a photo in the two image choosers an editor meets: the item's own (its photos and
upload fields, `item_images_chooser`) and Wagtail's (rich text, `wagtailimages_chooser`), which
serves our image model. Searching, choosing one or several, the format step of rich text, and an
upload from Wagtail's chooser (the item's chooser's upload: tests/editorial/test_item_photos.py)."""

import json
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from PIL import Image as PILImage

from projects.editorial.collections import collection_for
from projects.factories import ImageFactory, ProjectPageFactory
from projects.models import PortalImage
from tests.editorial_fixtures import build_editorial_world

pytestmark = pytest.mark.usefixtures("english")
CHOOSERS = ("item_images_chooser", "wagtailimages_chooser")


class ImageChooserTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_editorial_world(cls)
        cls.park = ProjectPageFactory(
            parent=cls.year_page, number=11, title="将军山体育公园", department=cls.dept_a
        )
        cls.gate = ImageFactory(title="体育公园北门", collection=collection_for(cls.park))
        cls.track = ImageFactory(title="塑胶跑道铺设", collection=collection_for(cls.park))

    def setUp(self):
        self.client.force_login(self.editor_a)

    def json(self, name, *args, data=None, method="get"):
        response = getattr(self.client, method)(reverse(name, args=args), data or {})
        self.assertEqual(response.status_code, 200, response.content[:500])
        return json.loads(response.content)

    def test_searching_finds_the_photo_by_its_title(self):
        # The title's first words: the index keeps a run of Chinese as one word, so a word from
        # the middle of a title (跑道) finds nothing, in Wagtail's search backend as configured.
        for chooser in CHOOSERS:
            with self.subTest(chooser):
                results = self.client.get(
                    reverse(f"{chooser}:choose_results"), {"q": "塑胶跑道"}
                ).content.decode()
                self.assertIn("塑胶跑道铺设", results)
                self.assertNotIn("体育公园北门", results)

    def test_choosing_a_photo_hands_its_title_and_a_preview_to_the_form(self):
        for chooser in CHOOSERS:
            with self.subTest(chooser):
                chosen = self.json(f"{chooser}:chosen", self.gate.pk)
                self.assertEqual(chosen["step"], "chosen")
                self.assertEqual(chosen["result"]["title"], "体育公园北门")
                self.assertGreater(chosen["result"]["preview"]["width"], 0)

                url = reverse(f"{chooser}:chosen_multiple")
                both = self.client.get(f"{url}?id={self.gate.pk}&id={self.track.pk}")
                titles = sorted(result["title"] for result in json.loads(both.content)["result"])
                self.assertEqual(titles, sorted(["体育公园北门", "塑胶跑道铺设"]))

    def test_a_photo_placed_in_rich_text_carries_the_alt_text_the_editor_wrote(self):
        for chooser in CHOOSERS:
            with self.subTest(chooser):
                form = self.json(f"{chooser}:select_format", self.gate.pk)
                self.assertEqual(form["step"], "select_format")
                self.assertIn("image-chooser-insertion-alt_text", form["html"])
                placed = self.json(
                    f"{chooser}:select_format",
                    self.gate.pk,
                    method="post",
                    data={
                        "image-chooser-insertion-format": "fullwidth",
                        "image-chooser-insertion-alt_text": "体育公园北门入口",
                    },
                )
                self.assertEqual(placed["step"], "chosen")
                self.assertEqual(placed["result"]["alt"], "体育公园北门入口")
                self.assertIn('alt="体育公园北门入口"', placed["result"]["html"])

    def test_a_photo_uploaded_from_wagtails_chooser_is_kept_and_chosen(self):
        buffer = BytesIO()
        PILImage.new("RGB", (64, 48), "teal").save(buffer, "JPEG")
        collection = collection_for(self.park)
        response = self.json(
            "wagtailimages_chooser:create",
            method="post",
            data={
                "image-chooser-upload-title": "看台完工",
                "image-chooser-upload-file": SimpleUploadedFile(
                    "stand.jpg", buffer.getvalue(), content_type="image/jpeg"
                ),
                "image-chooser-upload-collection": collection.pk,
                "image-chooser-upload-tags": "",
            },
        )
        image = PortalImage.objects.get(title="看台完工")
        self.assertEqual(image.collection, collection)
        self.assertIn(response["step"], ("chosen", "select_format"))
