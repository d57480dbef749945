"""Where residents' photos live before a moderator approves them.

The location is outside MEDIA_ROOT (setting `FEEDBACK_PRIVATE_ROOT`) and the storage has no
base URL, so no web server path reaches a pending photo; moderators see it only through the
permission-checked view in `projects.feedback.admin_views`.
"""

from django.conf import settings
from django.core.files.storage import FileSystemStorage
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
