"""The image chooser opened from an item or its update shows that item's photos first, with
"All collections" one choice away, and files photos uploaded there in the item's collection."""

import json
import re
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.models import Collection

from projects.editorial.collections import collection_for
from projects.factories import ImageFactory, ProgressUpdatePageFactory, ProjectPageFactory
from projects.models import PortalImage, ProjectGalleryImage, ProjectPage, UpdatePhoto
from tests.editorial_fixtures import build_editorial_world

pytestmark = pytest.mark.usefixtures("english")


def jpeg(name="site.jpg"):
    buffer = BytesIO()
    PILImage.new("RGB", (64, 48), "olive").save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


class ItemPhotoChooserTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_editorial_world(cls)
        cls.park = ProjectPageFactory(
            parent=cls.year_page, number=11, title="将军山体育公园", department=cls.dept_a
        )
        cls.school = ProjectPageFactory(
            parent=cls.year_page, number=12, title="第二小学", department=cls.dept_a
        )
        cls.park_photo = ImageFactory(title="体育公园北门", collection=collection_for(cls.park))
        cls.school_photo = ImageFactory(title="小学操场", collection=collection_for(cls.school))
        ProjectGalleryImage.objects.create(page=cls.park, image=cls.park_photo)
        ProjectGalleryImage.objects.create(page=cls.school, image=cls.school_photo)
        cls.update = ProgressUpdatePageFactory(parent=cls.park, progress=40)

    def setUp(self):
        self.client.force_login(self.editor_a)

    def chooser_url(self, page):
        """The chooser address the editor's "Choose an image" button opens."""
        html = self.client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content
        urls = set(re.findall(r"/admin/images/[\w-]+/\?collection_id=\d+", html.decode()))
        self.assertEqual(len(urls), 1, urls)
        return urls.pop()

    def test_a_new_item_gets_its_collection_under_its_year(self):
        collection = collection_for(self.park)
        self.assertEqual(collection.name, "11. 将军山体育公园")
        self.assertEqual(collection.get_parent().name, self.year_page.title)
        self.assertEqual(collection.get_parent().get_parent(), Collection.get_first_root_node())

    def test_the_chooser_opens_on_the_items_photos_with_all_collections_one_choice_away(self):
        for page in (self.park, self.update):
            url = self.chooser_url(page)
            self.assertIn(f"collection_id={collection_for(self.park).pk}", url)
            modal = json.loads(self.client.get(url).content)["html"]
            self.assertIn("体育公园北门", modal)
            self.assertNotIn("小学操场", modal)
            self.assertIn("All collections", modal)

        everything = self.client.get(self.chooser_url(self.park).split("?")[0])
        self.assertIn("小学操场", json.loads(everything.content)["html"])

    def test_a_photo_uploaded_from_the_items_chooser_goes_to_its_collection(self):
        url = self.chooser_url(self.update)
        modal = json.loads(self.client.get(url).content)["html"]
        collection = collection_for(self.park)
        upload_select = re.search(
            r'<select name="image-chooser-upload-collection".*?</select>', modal, re.S
        ).group(0)
        self.assertRegex(upload_select, rf'<option value="{collection.pk}" selected>')
        action = re.search(r'<form[^>]+action="([^"]+)"[^>]*enctype="multipart', modal)
        response = self.client.post(
            action.group(1).replace("&amp;", "&"),
            {
                "image-chooser-upload-title": "看台施工",
                "image-chooser-upload-file": jpeg(),
                "image-chooser-upload-collection": collection.pk,
                "image-chooser-upload-tags": "",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(PortalImage.objects.get(title="看台施工").collection, collection)


class ExistingPhotosTests(TestCase):
    def test_photos_in_the_root_collection_move_to_the_item_that_shows_them(self):
        build_editorial_world(self)
        root = Collection.get_first_root_node()
        cover, gallery, update_photo, unused = (ImageFactory(collection=root) for _ in range(4))
        item = ProjectPageFactory(parent=self.year_page, number=3)
        item.photo_collection.delete()  # as before migration 0008
        ProjectPage.objects.filter(pk=item.pk).update(cover_image=cover)
        item.refresh_from_db()
        ProjectGalleryImage.objects.create(page=item, image=gallery)
        UpdatePhoto.objects.create(page=ProgressUpdatePageFactory(parent=item), image=update_photo)

        collection = collection_for(item)
        filed = set(PortalImage.objects.filter(collection=collection).values_list("pk", flat=True))
        self.assertEqual(filed, {cover.pk, gallery.pk, update_photo.pk})
        unused.refresh_from_db()
        self.assertEqual(unused.collection, root)
