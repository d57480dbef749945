"""The public media bucket (`STORAGES["default"]` with S3_BUCKET set, see portal/object_storage.py).

Photos and their renditions are written public and linked at the bucket's (or CDN's) address.
Documents are not: an editor may put one in a collection kept behind a password or a sign-in,
and a public object would be readable by anyone who guesses its name (documents keep the name
they were uploaded with). They are written private, and Wagtail's document view streams them
after its privacy check (`WAGTAILDOCS_SERVE_METHOD = "serve_view"` in the settings).
"""

from storages.backends.s3 import S3Storage

PRIVATE_FOLDERS = ("documents/",)


class MediaS3Storage(S3Storage):
    def get_object_parameters(self, name):
        params = super().get_object_parameters(name)
        relative = name.removeprefix(f"{self.location}/") if self.location else name
        if relative.startswith(PRIVATE_FOLDERS):
            params = {**params, "ACL": "private"}
            params.pop("CacheControl", None)
        return params
