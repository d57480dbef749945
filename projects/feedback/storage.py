"""Where residents' photos live before a moderator approves them.

The location is outside MEDIA_ROOT (setting `FEEDBACK_PRIVATE_ROOT`) and the storage has no
base URL, so no web server path reaches a pending photo. Two checked views stream them with
`private_photo_response`: moderators' (`admin_views.private_photo`, a permission check) and the
resident's own status page (`views.own_photo`, the tracking code).
"""

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse, Http404
from django.utils.functional import LazyObject


class PrivateFileSystemStorage(FileSystemStorage):
    """A file system storage without URLs: nothing in it can be linked to."""

    def url(self, name):
        raise ValueError("Files in private storage have no public URL.")


class _PrivateStorage(LazyObject):
    def _setup(self):
        self._wrapped = PrivateFileSystemStorage(location=settings.FEEDBACK_PRIVATE_ROOT)


private_storage = _PrivateStorage()


def get_private_storage():
    """Callable used by `FeedbackPhoto.file`, so migrations do not freeze a path."""
    return private_storage


def private_photo_response(photo):
    """Stream a private photo to one viewer: never stored by a cache, never sniffed as HTML."""
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
