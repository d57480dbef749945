"""Media and residents' private photos on S3-compatible object storage, from the environment.

Read by the settings (`portal/settings/base.py`): with `S3_BUCKET` set, uploads and Wagtail's
renditions go to that bucket (django-storages' `S3Storage`), readable by anyone under the public
prefix, and residents' photos to a private bucket or prefix that nobody can read without the
keys (`projects.feedback.storage_s3.PrivateS3Storage`, streamed to a viewer only by the
permission-checked views). Without it, both stay on the local disk (`MEDIA_ROOT`,
`FEEDBACK_PRIVATE_ROOT`). Documents are written private in the media bucket and streamed by
Wagtail's document view (`portal.media_storage`). 阿里云 OSS, 腾讯云 COS, 华为云 OBS and MinIO
all speak this protocol; they differ in the endpoint and the addressing style (the first three
want virtual-hosted names, MinIO path-style).

Kept free of Django imports so the settings and the tests can call it with any mapping.
"""

from urllib.parse import urlsplit

PRIVATE_ALIAS = "feedback_private"


def _prefix(value):
    return value.strip().strip("/")


def s3_settings(env):
    """`(storages, media_url)` for the S3 variables in `env`, or None when S3_BUCKET is unset.

    `storages` holds the "default" (public media) and "feedback_private" entries of
    `STORAGES`; `media_url` is where the public files are served from (it puts the bucket's
    or CDN's host into the Content-Security-Policy's img-src).
    """
    bucket = env.get("S3_BUCKET", "").strip()
    if not bucket:
        return None
    endpoint = env.get("S3_ENDPOINT_URL", "").strip().rstrip("/") or None
    style = env.get("S3_ADDRESSING_STYLE", "").strip() or "virtual"
    if style not in {"virtual", "path"}:
        raise ValueError(f"S3_ADDRESSING_STYLE must be 'virtual' or 'path', not {style!r}.")
    common = {
        "endpoint_url": endpoint,
        "region_name": env.get("S3_REGION", "").strip() or None,
        "access_key": env.get("S3_ACCESS_KEY_ID", "") or None,
        "secret_key": env.get("S3_SECRET_ACCESS_KEY", "") or None,
        "addressing_style": style,
        "signature_version": "s3v4",
        # Never replace an object under an existing name: a second upload of "photo.jpg" gets
        # a new name, as on the local disk, so a cached page never shows the wrong photo.
        "file_overwrite": False,
    }
    media_prefix = _prefix(env.get("S3_MEDIA_PREFIX", "media"))
    custom_domain = env.get("S3_CUSTOM_DOMAIN", "").strip().strip("/") or None
    public = {
        **common,
        "bucket_name": bucket,
        "location": media_prefix,
        # Public objects: "public-read" unless S3_MEDIA_ACL is set empty (a bucket policy
        # grants the reads instead, as buckets with ACLs switched off require).
        "default_acl": env.get("S3_MEDIA_ACL", "public-read").strip() or None,
        # Plain URLs: pages are cached for an hour and more, a signed URL would expire in them.
        "querystring_auth": False,
        "custom_domain": custom_domain,
        "url_protocol": env.get("S3_URL_PROTOCOL", "https:").strip() or "https:",
        # Photos and renditions never change under their name (a new one gets a new name).
        "object_parameters": {"CacheControl": "public, max-age=2592000"},
    }
    private = {
        **common,
        "bucket_name": env.get("S3_PRIVATE_BUCKET", "").strip() or bucket,
        "location": _prefix(env.get("S3_PRIVATE_PREFIX", "private")),
        "default_acl": "private",
        "querystring_auth": True,
    }
    if _overlap(public, private):
        raise ValueError(
            "Residents' private photos (S3_PRIVATE_BUCKET, S3_PRIVATE_PREFIX) must not share a "
            "prefix with the public media (S3_BUCKET, S3_MEDIA_PREFIX): give them their own "
            "bucket, or distinct non-empty prefixes."
        )
    storages = {
        "default": {"BACKEND": "portal.media_storage.MediaS3Storage", "OPTIONS": public},
        PRIVATE_ALIAS: {
            "BACKEND": "projects.feedback.storage_s3.PrivateS3Storage",
            "OPTIONS": private,
        },
    }
    return storages, media_url(public)


def media_url(options):
    """The base URL of the public files, as `S3Storage.url` builds them."""
    prefix = f"{options['location']}/" if options["location"] else ""
    if options["custom_domain"]:
        return f"{options['url_protocol']}//{options['custom_domain']}/{prefix}"
    bucket = options["bucket_name"]
    endpoint = options["endpoint_url"]
    if not endpoint:
        region = options["region_name"]
        endpoint = f"https://s3.{region}.amazonaws.com" if region else "https://s3.amazonaws.com"
    parts = urlsplit(endpoint)
    if options["addressing_style"] == "path":
        return f"{parts.scheme}://{parts.netloc}/{bucket}/{prefix}"
    return f"{parts.scheme}://{bucket}.{parts.netloc}/{prefix}"


def _overlap(public, private):
    """Whether one storage's files lie inside the other's (same bucket, nested prefixes): a
    public-read policy on the media would then expose residents' photos."""
    if public["bucket_name"] != private["bucket_name"]:
        return False
    a, b = f"{public['location']}/", f"{private['location']}/"
    return "/" in (a, b) or a.startswith(b) or b.startswith(a)
