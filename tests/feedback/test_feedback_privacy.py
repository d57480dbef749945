"""Privacy: photo metadata stripped (stored file and every rendition), pending photos out of
public reach, contact details never public and erased after the retention period."""

import importlib.util
import io
import os
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import SuspiciousFileOperation
from django.core.management import call_command
from django.http import Http404
from django.test import RequestFactory, TestCase, override_settings
from django.urls import reverse
from django.utils import timezone
from django.views.static import serve
from PIL import Image
from wagtail.models import ModelLogEntry

from projects.choices import PhotoStatus
from projects.factories import ImageFactory
from projects.feedback import moderation
from projects.feedback.privacy import has_metadata, sanitise_photo
from projects.models import Feedback
from tests.conftest import make_user
from tests.feedback_support import (
    jpeg_with_gps,
    make_feedback,
    make_item,
    post_data,
    upload,
)

CONTACT = "13912345678"


def urlconf_serving_media():
    """portal.urls as `make serve` builds it: SERVE_MEDIA=true adds Django's /media/ route,
    which the test settings leave out (so every /media/ URL is a 404 there, whatever it is)."""
    spec = importlib.util.find_spec("portal.urls")
    module = importlib.util.module_from_spec(spec)
    with override_settings(SERVE_MEDIA=True):
        spec.loader.exec_module(module)
    return module


def image_of(fileobj):
    fileobj.seek(0)
    data = fileobj.read()
    return data, Image.open(io.BytesIO(data))


class SanitiseTests(TestCase):
    """`sanitise_photo` on its own: rotation, size and every kind of metadata."""

    def test_gps_camera_and_comment_are_removed_and_photo_is_upright_and_downscaled(self):
        original = jpeg_with_gps(4000, 3000, orientation=6)
        self.assertIn(b"PhoneMaker", original)
        self.assertTrue(Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825))
        clean = sanitise_photo(upload(original))
        data, image = image_of(clean.content)
        # Orientation 6 means "rotate 90°": the stored photo is portrait, longest side 2048.
        self.assertEqual(image.size, (1536, 2048))
        self.assertEqual((clean.width, clean.height), (1536, 2048))
        self.assertEqual(has_metadata(io.BytesIO(data)), [])
        for secret in (b"PhoneMaker", b"Pro Max", b"secret comment", b"Exif", b"GPS"):
            self.assertNotIn(secret, data)
        # The dark corner marked top-left in the sensor's frame is now top-right, as seen.
        self.assertLess(sum(image.getpixel((1500, 20))), 120)
        self.assertGreater(sum(image.getpixel((20, 20))), 200)

    def test_png_text_chunks_and_transparency(self):
        from PIL import PngImagePlugin

        info = PngImagePlugin.PngInfo()
        info.add_text("Author", "王女士 13912345678")
        out = io.BytesIO()
        Image.new("RGBA", (3000, 1000), (10, 20, 30, 128)).save(out, "PNG", pnginfo=info)
        clean = sanitise_photo(upload(out.getvalue(), "shot.png", "image/png"))
        data, image = image_of(clean.content)
        self.assertEqual(image.format, "PNG")
        self.assertEqual(image.size, (2048, 683))
        self.assertNotIn(b"13912345678".decode().encode(), data)
        self.assertEqual(has_metadata(io.BytesIO(data)), [])

    def test_iphone_heic_becomes_an_upright_jpeg_without_metadata(self):
        exif = Image.Exif()
        exif[0x010F] = "PhoneMaker"
        exif[0x0112] = 6  # rotate 90°
        out = io.BytesIO()
        Image.new("RGB", (640, 480), (10, 200, 30)).save(out, format="HEIF", exif=exif.tobytes())
        self.assertIn(b"PhoneMaker", out.getvalue())
        clean = sanitise_photo(upload(out.getvalue(), "IMG_0001.HEIC", "image/heic"))
        data, image = image_of(clean.content)
        self.assertEqual((image.format, image.size), ("JPEG", (480, 640)))
        self.assertNotIn(b"PhoneMaker", data)
        self.assertEqual(has_metadata(io.BytesIO(data)), [])

    def test_small_photo_is_not_upscaled(self):
        clean = sanitise_photo(upload(jpeg_with_gps(640, 480, orientation=1)))
        self.assertEqual((clean.width, clean.height), (640, 480))


@override_settings(FEEDBACK_MIN_FILL_SECONDS=0)
class StoredPhotoTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.item = make_item()
        cls.moderator = make_user("mod", "Feedback moderators")
        cls.editor = make_user("editor", "Editors")

    def setUp(self):
        cache.clear()
        self.client.post(
            reverse("feedback_new", args=[self.item.pk]),
            {**post_data(contact=CONTACT), "photos": [upload(jpeg_with_gps(2400, 1800))]},
        )
        self.feedback = Feedback.objects.get()
        self.photo = self.feedback.photos.get()

    def test_stored_file_is_private_and_clean(self):
        path = Path(self.photo.file.path).resolve()
        self.assertTrue(path.is_relative_to(Path(settings.FEEDBACK_PRIVATE_ROOT).resolve()))
        self.assertFalse(path.is_relative_to(Path(settings.MEDIA_ROOT).resolve()))
        with self.photo.file.open("rb") as handle:
            self.assertEqual(has_metadata(handle), [])
        self.assertNotIn("photo", path.name)  # random name, not the resident's file name
        with self.assertRaises(ValueError):
            self.photo.file.url  # noqa: B018 - the private storage has no public URL

    def test_pending_photo_is_not_reachable_by_any_public_url(self):
        request = RequestFactory().get("/")
        name = self.photo.file.name
        for guess in (name, f"../{Path(settings.FEEDBACK_PRIVATE_ROOT).name}/{name}"):
            with self.assertRaises((Http404, SuspiciousFileOperation)):
                serve(request, guess, document_root=settings.MEDIA_ROOT)
        # With Django serving MEDIA_ROOT (`make serve`, SERVE_MEDIA=true), a public photo is
        # reachable under /media/ and the private one under none of the paths a guess would try.
        with override_settings(ROOT_URLCONF=urlconf_serving_media()):
            public = ImageFactory()
            self.assertEqual(self.client.get(public.file.url).status_code, 200, public.file.url)
            private = Path(settings.FEEDBACK_PRIVATE_ROOT).name
            for url, status in (
                (f"/media/{name}", 404),
                (f"/media/../{private}/{name}", 400),  # a way out of MEDIA_ROOT is refused
                (f"/media/%2E%2E/{private}/{name}", 400),
                (f"/{name}", 404),
                (f"/private/{name}", 404),
            ):
                self.assertEqual(self.client.get(url).status_code, status, url)
        page = self.client.get(self.item.url).content.decode()
        self.assertNotIn(Path(name).stem, page)
        self.assertNotIn(reverse("feedback_private_photo", args=[self.photo.pk]), page)

    def test_private_photo_view_is_for_moderators_only(self):
        url = reverse("feedback_private_photo", args=[self.photo.pk])
        self.assertEqual(self.client.get(url).status_code, 302)  # to the admin login
        self.client.force_login(self.editor)
        self.assertIn(self.client.get(url).status_code, (302, 403))
        self.client.force_login(self.moderator)
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "image/jpeg")
        self.assertIn("no-store", response["Cache-Control"])
        body = b"".join(response.streaming_content)
        self.assertEqual(has_metadata(io.BytesIO(body)), [])

    def test_approved_photo_and_its_renditions_carry_no_exif(self):
        moderation.approve(self.feedback, self.moderator)
        self.photo.refresh_from_db()
        self.assertEqual(self.photo.status, PhotoStatus.APPROVED)
        image = self.photo.public_image
        self.assertEqual(image.collection.name, moderation.RESIDENT_PHOTOS_COLLECTION)
        with image.open_file() as handle:
            self.assertEqual(has_metadata(handle), [])
        specs = [
            "original",
            "max-800x800",
            "fill-400x300",
            "width-1200|format-webp",
            "fill-800x600|format-jpeg|jpegquality-90",
            "width-480|format-avif",
            "width-480|format-png",
        ]
        for spec in specs:
            with self.subTest(spec):
                rendition = image.get_rendition(spec)
                with rendition.file.open("rb") as handle:
                    data = handle.read()
                self.assertEqual(has_metadata(io.BytesIO(data)), [], spec)
                self.assertNotIn(b"PhoneMaker", data)
                self.assertNotIn(b"GPS", data)
        # And the item page shows the published photo through renditions.
        page = self.client.get(self.item.url).content.decode()
        self.assertIn("/media/images/", page)

    def test_rejecting_removes_the_public_copy_and_its_renditions(self):
        moderation.approve(self.feedback, self.moderator)
        self.photo.refresh_from_db()
        image = self.photo.public_image
        rendition_path = image.get_rendition("fill-400x300").file.path
        original_path = image.file.path
        moderation.reject(self.feedback, self.moderator, "含人脸")
        self.assertFalse(os.path.exists(original_path))
        self.assertFalse(os.path.exists(rendition_path))
        self.photo.refresh_from_db()
        self.assertIsNone(self.photo.public_image)
        self.assertTrue(os.path.exists(self.photo.file.path))  # kept privately for the record


class ContactPrivacyTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.item = make_item()
        cls.moderator = make_user("mod", "Feedback moderators")
        cls.feedback = make_feedback(cls.item, contact=CONTACT, name="李先生")
        moderation.approve(cls.feedback, cls.moderator)
        moderation.reply(cls.feedback, cls.moderator, "感谢建议。")

    def test_contact_and_private_name_on_no_public_page(self):
        year = self.item.get_parent()
        urls = [
            "/",
            year.url,
            self.item.url,
            reverse("feedback_status", args=[self.feedback.tracking_code]),
            "/search/?q=座椅",
            "/map/",
            "/sitemap.xml",
        ]
        for url in urls:
            with self.subTest(url):
                response = self.client.get(url)
                self.assertLess(response.status_code, 500)
                self.assertNotContains(response, CONTACT, status_code=response.status_code)
                self.assertNotContains(response, "李先生", status_code=response.status_code)

    def test_queue_export_has_no_contact(self):
        self.client.force_login(self.moderator)
        response = self.client.get(
            reverse("wagtailsnippets_projects_feedback:list"), {"export": "csv"}
        )
        self.assertEqual(response.status_code, 200)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        self.assertIn(self.feedback.tracking_code.encode(), body)
        self.assertNotIn(CONTACT.encode(), body)

    def test_inspect_view_has_no_contact(self):
        self.client.force_login(self.moderator)
        response = self.client.get(
            reverse("wagtailsnippets_projects_feedback:inspect", args=[self.feedback.pk])
        )
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, CONTACT)


class RetentionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.item = make_item()
        cls.moderator = make_user("mod", "Feedback moderators")

    @override_settings(FEEDBACK_CONTACT_RETENTION_DAYS=365)
    def test_contact_erased_a_year_after_closing_and_logged(self):
        old = make_feedback(self.item, suffix="旧", contact=CONTACT, name="私名")
        public_name = make_feedback(self.item, suffix="公", name="公开名", show_name=True)
        recent = make_feedback(self.item, suffix="新", contact=CONTACT)
        still_open = make_feedback(self.item, suffix="未结", contact=CONTACT)
        for feedback in (old, public_name, recent):
            moderation.approve(feedback, self.moderator)
            moderation.reply(feedback, self.moderator, "答复")
        long_ago = timezone.now() - timedelta(days=366)
        Feedback.objects.filter(pk__in=[old.pk, public_name.pk]).update(closed_at=long_ago)
        Feedback.objects.filter(pk=still_open.pk).update(created_at=long_ago)

        call_command("erase_feedback_contacts", stdout=io.StringIO())
        old.refresh_from_db()
        self.assertEqual((old.contact, old.name), ("", ""))
        self.assertIsNotNone(old.contact_erased_at)
        public_name.refresh_from_db()
        self.assertEqual(public_name.name, "公开名")  # the resident chose to publish it
        self.assertEqual(public_name.contact, "")
        for kept in (recent, still_open):
            kept.refresh_from_db()
            self.assertEqual(kept.contact, CONTACT)
        self.assertEqual(
            ModelLogEntry.objects.filter(action="projects.feedback.erase_contact").count(), 2
        )
        out = io.StringIO()
        call_command("erase_feedback_contacts", stdout=out)
        self.assertIn("0 message", out.getvalue())


class PrivateRootCheckTests(TestCase):
    def test_private_root_inside_media_root_is_a_system_check_error(self):
        from projects.feedback.checks import private_root_is_private

        self.assertEqual(private_root_is_private(), [])
        inside = Path(settings.MEDIA_ROOT) / "private"
        with override_settings(FEEDBACK_PRIVATE_ROOT=str(inside)):
            self.assertEqual([e.id for e in private_root_is_private()], ["projects.E001"])
