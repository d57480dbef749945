"""Where residents' photos live before a moderator approves them.

On one machine: a folder outside MEDIA_ROOT (setting `FEEDBACK_PRIVATE_ROOT`). With several app
servers: a private bucket or prefix of the object storage (`STORAGES["feedback_private"]`, set
from the S3 variables by `portal.object_storage`; `storage_s3.PrivateS3Storage`). Either way the
storage has no URL, so no web server or bucket address reaches a pending photo. Two checked views
stream them with `private_photo_response`: moderators' (`admin_views.private_photo`, a permission
check) and the resident's own status page (`views.own_photo`, the tracking code).
"""

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import FileResponse, Http404
from django.utils.functional import LazyObject, empty

PRIVATE_ALIAS = "feedback_private"


class PrivateFileSystemStorage(FileSystemStorage):
    """A file system storage without URLs: nothing in it can be linked to."""

    def url(self, name):
        raise ValueError("Files in private storage have no public URL.")


class _PrivateStorage(LazyObject):
    def _setup(self):
        if PRIVATE_ALIAS in settings.STORAGES:
            self._wrapped = storages[PRIVATE_ALIAS]
        else:
            self._wrapped = PrivateFileSystemStorage(location=settings.FEEDBACK_PRIVATE_ROOT)


private_storage = _PrivateStorage()


@receiver(setting_changed)
def _reset(setting, **kwargs):
    """Tests that switch STORAGES (to the object storage) or FEEDBACK_PRIVATE_ROOT get the new
    storage, as Django's own `default_storage` does."""
    if setting in {"STORAGES", "FEEDBACK_PRIVATE_ROOT"}:
        private_storage._wrapped = empty


def get_private_storage():
    """Callable used by `FeedbackPhoto.file`, so migrations do not freeze a path."""
    return private_storage


def private_photo_response(photo):
    """Stream a private photo to one viewer: never stored by a cache, never sniffed as HTML.

    From the local folder or the private bucket alike: the bytes pass through this process,
    after the caller's check, so the bucket is never opened to browsers (no signed URL to leak
    from a screenshot or a forwarded chat, and no bucket host in the admin's CSP).
    """
    try:
        handle = photo.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    content_type = "image/png" if photo.file.name.endswith(".png") else "image/jpeg"
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    return response
