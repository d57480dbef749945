"""The private bucket (or prefix) for residents' photos on S3-compatible object storage.

Named in `STORAGES["feedback_private"]` by `portal.object_storage` when S3_BUCKET is set, and
imported only then (boto3 is not loaded by installations on the local disk).
"""

from storages.backends.s3 import S3Storage


class PrivateS3Storage(S3Storage):
    """Objects written with the "private" ACL and no URL of their own: like the local
    `PrivateFileSystemStorage`, nothing in it can be linked to; the checked views stream it."""

    def url(self, name, *args, **kwargs):
        raise ValueError("Files in private storage have no public URL.")

    def get_default_settings(self):
        return {**super().get_default_settings(), "default_acl": "private"}
