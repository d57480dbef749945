"""Media and residents' photos on S3-compatible object storage, against a real S3 server.

`moto_server` (tests/object_storage_support.py) answers over HTTP on a local port, as OSS, COS,
OBS or MinIO would in production; the settings are the ones `portal.object_storage` makes from
the operator's S3_* variables. An editor's photo and its renditions land in the public bucket
and are served by their URL to anyone; a resident's photo lands in the private bucket, which
answers 403 to an anonymous reader, and reaches a moderator only through the checked view.
Documents stay private in the bucket and pass Wagtail's privacy check. Nothing is written to
MEDIA_ROOT or FEEDBACK_PRIVATE_ROOT. Backups copy both buckets down and put them back.
"""

import io
import os
import re
import tarfile
import urllib.error
import urllib.request

import pytest
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.base import ContentFile
from django.urls import reverse
from PIL import Image
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction

from portal import backup
from portal.object_storage import s3_settings
from projects.factories import ImageFactory
from projects.feedback import moderation
from projects.models import Feedback, PortalImage, ProjectGalleryImage
from tests.conftest import make_user
from tests.feedback_support import jpeg_with_gps, make_item, post_data, upload
from tests.object_storage_support import files_under
from tests.test_backup_restore import last_json, manage


def fetch(url):
    """GET as a browser would, with no credentials: (status, body)."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@pytest.fixture
def buckets(s3_server, settings, tmp_path):
    """Fresh buckets, and the settings an operator's S3_* variables give (storages, MEDIA_URL);
    MEDIA_ROOT and FEEDBACK_PRIVATE_ROOT are empty folders that must stay empty."""
    public, private = s3_server.new_buckets()
    storages, media_url = s3_settings(s3_server.env(public, private))
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.FEEDBACK_PRIVATE_ROOT = str(tmp_path / "private")
    settings.STORAGES = {**settings.STORAGES, **storages}
    settings.MEDIA_URL = media_url
    settings.WAGTAILDOCS_SERVE_METHOD = "serve_view"  # as portal/settings/base.py sets it
    yield public, private
    for folder in (settings.MEDIA_ROOT, settings.FEEDBACK_PRIVATE_ROOT):
        assert files_under(folder) == [], f"files written to {folder}"


# -- the settings, from the operator's variables ---------------------------------------------


def test_without_a_bucket_files_stay_on_this_machine():
    assert s3_settings({}) is None
    assert s3_settings({"S3_BUCKET": "  "}) is None


def test_variables_give_a_public_media_storage_and_a_private_one():
    storages, media_url = s3_settings(
        {
            "S3_BUCKET": "minsheng",
            "S3_ENDPOINT_URL": "https://oss-cn-shenzhen.aliyuncs.com/",
            "S3_REGION": "cn-shenzhen",
            "S3_ACCESS_KEY_ID": "key",
            "S3_SECRET_ACCESS_KEY": "secret",
        }
    )
    public, private = storages["default"]["OPTIONS"], storages["feedback_private"]["OPTIONS"]
    assert storages["default"]["BACKEND"] == "portal.media_storage.MediaS3Storage"
    assert (public["bucket_name"], public["location"], public["default_acl"]) == (
        "minsheng",
        "media",
        "public-read",
    )
    assert public["querystring_auth"] is False and public["addressing_style"] == "virtual"
    # The private photos: the same bucket (no S3_PRIVATE_BUCKET), their own prefix, never public.
    assert (private["bucket_name"], private["location"], private["default_acl"]) == (
        "minsheng",
        "private",
        "private",
    )
    assert media_url == "https://minsheng.oss-cn-shenzhen.aliyuncs.com/media/"


def test_media_url_follows_the_cdn_or_the_path_style():
    _storages, cdn = s3_settings({"S3_BUCKET": "b", "S3_CUSTOM_DOMAIN": "img.example.cn"})
    assert cdn == "https://img.example.cn/media/"
    _storages, minio = s3_settings(
        {
            "S3_BUCKET": "b",
            "S3_ENDPOINT_URL": "http://10.0.0.5:9000",
            "S3_ADDRESSING_STYLE": "path",
            "S3_MEDIA_PREFIX": "",
            "S3_PRIVATE_BUCKET": "p",
        }
    )
    assert minio == "http://10.0.0.5:9000/b/"


@pytest.mark.parametrize(
    "variables",
    [
        {"S3_MEDIA_PREFIX": ""},
        {"S3_PRIVATE_PREFIX": "media/private"},
        {"S3_PRIVATE_PREFIX": "media"},
        {"S3_ADDRESSING_STYLE": "dns"},
    ],
)
def test_private_photos_never_inside_the_public_prefix(variables):
    with pytest.raises(ValueError):
        s3_settings({"S3_BUCKET": "minsheng", **variables})
    # Their own bucket is always fine.
    if "S3_ADDRESSING_STYLE" not in variables:
        assert s3_settings({"S3_BUCKET": "m", "S3_PRIVATE_BUCKET": "p", **variables})


# -- photos and renditions in the public bucket ----------------------------------------------


@pytest.mark.django_db
def test_a_photo_and_its_renditions_are_stored_once_and_served_from_the_bucket(
    buckets, s3_server, client
):
    public, _private = buckets
    item = make_item(number=5)
    image = ImageFactory(title="电梯井施工")
    ProjectGalleryImage.objects.create(page=item, image=image, caption="电梯井施工")
    assert s3_server.keys(public) == [f"media/{image.file.name}"]

    html = client.get(item.url).content.decode()
    urls = {
        url.split()[0] for url in re.findall(r'(?:src|srcset)="([^"]+)"', html) if "/images/" in url
    }
    assert urls, "the item page shows the gallery photo"
    for url in urls:
        assert url.startswith(f"{s3_server.endpoint}/{public}/media/images/"), url
    stored = s3_server.keys(public, "media/images/")
    assert len(stored) >= 2  # renditions in the bucket, beside the original
    # Anyone can fetch them by URL, as a phone does.
    for url in urls:
        status, body = fetch(url)
        assert status == 200 and body, url

    # Another node (a fresh image object, no rendition cache) finds them in the database and
    # makes none of its own: generated once, shared.
    from django.core.cache import caches

    caches["default"].clear()
    fresh = PortalImage.objects.get(pk=image.pk)
    again = fresh.get_rendition("fill-32x20|format-webp")
    before = s3_server.keys(public)
    assert fresh.get_rendition("fill-32x20|format-webp").url == again.url
    assert PortalImage.objects.get(pk=image.pk).get_rendition("fill-32x20|format-webp").url == (
        again.url
    )
    assert s3_server.keys(public) == before
    status, body = fetch(again.url)
    assert status == 200 and Image.open(io.BytesIO(body)).size == (32, 20)


@pytest.mark.django_db
def test_documents_stay_private_in_the_bucket_and_pass_wagtails_privacy_check(
    buckets, s3_server, client
):
    public, _private = buckets
    collection = Collection.get_first_root_node().add_child(name="内部文件")
    restriction = CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.PASSWORD, password="neibu"
    )
    document = get_document_model()(title="内部预算表", collection=collection)
    document.file.save("budget.csv", ContentFile("项目,预算\n体育公园,100\n".encode()), save=True)
    key = f"media/{document.file.name}"
    assert s3_server.keys(public, "media/documents/") == [key]
    # Its name is guessable, but the bucket refuses it to anyone without the keys.
    status, _body = fetch(f"{s3_server.endpoint}/{public}/{key}")
    assert status == 403

    asked = client.get(document.url)
    assert "体育公园,100" not in asked.content.decode()
    action = f"/documents/authenticate_with_password/{restriction.pk}/"
    client.post(action, {"password": "neibu", "return_url": document.url})
    response = client.get(document.url)
    assert response.status_code == 200
    assert "体育公园,100" in b"".join(response.streaming_content).decode()


# -- residents' photos in the private bucket -------------------------------------------------


@pytest.mark.django_db
def test_a_residents_photo_stays_in_the_private_bucket_until_approved(buckets, s3_server, client):
    public, private = buckets
    item = make_item(number=6)
    response = client.post(
        reverse("feedback_new", args=[item.pk]),
        {**post_data(), "photos": [upload(jpeg_with_gps(800, 600))]},
    )
    assert response.status_code == 302
    feedback = Feedback.objects.get()
    photo = feedback.photos.get()
    key = f"private/{photo.file.name}"
    assert s3_server.keys(private) == [key]
    assert s3_server.keys(public) == []

    # Nobody reaches it at the bucket's own address.
    status, _body = fetch(f"{s3_server.endpoint}/{private}/{key}")
    assert status == 403
    with pytest.raises(ValueError):
        photo.file.url  # noqa: B018 - no URL to link to

    # A visitor without the permission does not get it from the checked view either.
    view = reverse("feedback_private_photo", args=[photo.pk])
    assert client.get(view).status_code in (302, 403)
    editor = make_user("editor_x", "Editors")
    client.force_login(editor)
    assert client.get(view).status_code in (302, 403)

    # The moderator does, and the resident on their status page.
    moderator = make_user("moderator_x", "Feedback moderators")
    client.force_login(moderator)
    response = client.get(view)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    streamed = b"".join(response.streaming_content)
    assert Image.open(io.BytesIO(streamed)).size == (600, 800)  # turned upright
    client.logout()
    own = client.get(reverse("feedback_own_photo", args=[feedback.tracking_code, photo.pk]))
    assert own.status_code == 200 and b"".join(own.streaming_content) == streamed

    # Approved: a copy enters the public image library, in the public bucket.
    moderation.approve(feedback, moderator)
    photo.refresh_from_db()
    assert f"media/{photo.public_image.file.name}" in s3_server.keys(public)
    status, body = fetch(photo.public_image.file.url)
    assert status == 200 and body == streamed
    assert s3_server.keys(private) == [key]  # the original stays private


@pytest.mark.django_db
def test_a_lost_private_photo_is_a_404_not_a_500(buckets, s3_server, client):
    _public, private = buckets
    item = make_item(number=8)
    client.post(
        reverse("feedback_new", args=[item.pk]),
        {**post_data(), "photos": [upload(jpeg_with_gps(400, 300))]},
    )
    photo = Feedback.objects.get().photos.get()
    s3_server.client().delete_object(Bucket=private, Key=f"private/{photo.file.name}")
    client.force_login(make_user("moderator_y", "Feedback moderators"))
    assert client.get(reverse("feedback_private_photo", args=[photo.pk])).status_code == 404


# -- backups with object storage --------------------------------------------------------------

SEED = """
import json
from projects.factories import ImageFactory
from projects.feedback.storage import private_storage
from django.core.files.base import ContentFile
image = ImageFactory(title="电梯井施工")
private = private_storage.save("feedback/2026/12/resident.jpg", ContentFile(b"lift photo"))
print(json.dumps({"image": image.file.name, "private": private}))
"""


def test_backup_copies_both_buckets_and_restore_puts_them_back(s3_server, tmp_path):
    public, private = s3_server.new_buckets()
    env = {
        **os.environ,
        **s3_server.env(public, private),
        "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'portal.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "FEEDBACK_PRIVATE_ROOT": str(tmp_path / "private"),
        "BACKUP_DIR": str(tmp_path / "backups"),
        "CACHE_DIR": str(tmp_path / "cache"),
    }
    env.pop("REDIS_URL", None)
    manage(env, "migrate", "--noinput", "-v", "0")
    seeded = last_json(manage(env, "shell", "-c", SEED).stdout)
    manage(env, "backup_portal")

    # Loss: both objects deleted from their buckets.
    client = s3_server.client()
    client.delete_object(Bucket=public, Key=f"media/{seeded['image']}")
    client.delete_object(Bucket=private, Key=f"private/{seeded['private']}")
    assert f"media/{seeded['image']}" not in s3_server.keys(public)

    restored = manage(env, "restore_portal", "--noinput")
    assert "1 private photo file(s)" in restored.stdout
    assert f"media/{seeded['image']}" in s3_server.keys(public)
    assert s3_server.keys(private) == [f"private/{seeded['private']}"]
    body = client.get_object(Bucket=private, Key=f"private/{seeded['private']}")["Body"].read()
    assert body == b"lift photo"
    # Still private after the restore.
    status, _ = fetch(f"{s3_server.endpoint}/{private}/private/{seeded['private']}")
    assert status == 403
    assert files_under(tmp_path / "media") == [] and files_under(tmp_path / "private") == []
    assert len(os.listdir(tmp_path / "backups")) == 1  # one set


def test_settings_module_reads_the_variables(s3_server):
    """What the settings module makes of the variables, in a fresh process: the media URL
    (and so the CSP's img-src) is the bucket's."""
    env = {
        **os.environ,
        **s3_server.env("media-x", "private-x"),
        "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
    }
    code = (
        "from django.conf import settings; import json; print(json.dumps([settings.MEDIA_URL, "
        "settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'], "
        "settings.STORAGES['default']['BACKEND'], settings.WAGTAILDOCS_SERVE_METHOD]))"
    )
    media_url, img_src, backend, documents = last_json(manage(env, "shell", "-c", code).stdout)
    assert documents == "serve_view"
    assert media_url == f"{s3_server.endpoint}/media-x/media/"
    assert s3_server.endpoint in img_src
    assert backend == "portal.media_storage.MediaS3Storage"


def test_a_private_archive_cannot_write_outside_the_private_storage(settings, tmp_path):
    """A tampered set naming `../` or an absolute path is refused before anything is written."""
    settings.FEEDBACK_PRIVATE_ROOT = str(tmp_path / "private")
    settings.STORAGES = {
        **settings.STORAGES,
        "dbbackup": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "backups")},
        },
    }
    for name in ("../outside.jpg", "/etc/outside.jpg"):
        archive = tmp_path / "backups" / "set" / "private.tar.gz"
        archive.parent.mkdir(parents=True, exist_ok=True)
        with tarfile.open(archive, "w:gz") as tar:
            info = tarfile.TarInfo(name)
            info.size = 4
            tar.addfile(info, io.BytesIO(b"evil"))
        with pytest.raises(SuspiciousFileOperation):
            backup.restore_private_archive("set/private.tar.gz")
    assert files_under(tmp_path / "private") == [] and not (tmp_path / "outside.jpg").exists()
