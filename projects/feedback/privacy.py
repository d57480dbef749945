"""Sanitise residents' photos before anything is stored.

Every upload is decoded by Pillow (so a renamed HTML page, an SVG or a truncated file is
refused), checked against a pixel cap before its pixels are decoded (decompression bombs),
turned upright from its EXIF orientation, downscaled so its longest side is at most
`FEEDBACK_PHOTO_MAX_SIDE`, and re-encoded as a fresh JPEG (or PNG when it has transparency)
with no metadata at all: no EXIF, GPS, camera make or model, XMP, ICC or comments. Files that
carry markup beside the image data (polyglots) are refused outright.
"""

import io
import re
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

try:  # phones may send HEIC; Wagtail's own image stack ships the decoder
    import pillow_heif

    pillow_heif.register_heif_opener()
    _HEIF = ("HEIF",)
except ImportError:  # pragma: no cover
    _HEIF = ()

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", *_HEIF)
ACCEPT_ATTRIBUTE = "image/jpeg,image/png,image/webp,image/heic,image/heif"
# Markup or script in an image file means someone wants a browser to read it as a page.
MARKUP = re.compile(rb"<\s*(?:script|html|svg|body|iframe|object|\?php|!doctype)", re.I)


@dataclass
class CleanPhoto:
    content: ContentFile
    width: int
    height: int


def _bad(message, code):
    return ValidationError(message, code=code)


def sanitise_photo(upload) -> CleanPhoto:
    """Return a metadata-free re-encoding of `upload`, or raise a ValidationError
    whose message a resident can act on."""
    max_bytes = settings.FEEDBACK_MAX_PHOTO_BYTES
    if upload.size is not None and upload.size > max_bytes:
        raise _bad(
            _("The photo “%(name)s” is larger than %(mb)s MB.")
            % {"name": upload.name, "mb": max_bytes // (1024 * 1024)},
            "photo_too_large",
        )
    upload.seek(0)
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise _bad(
            _("The photo “%(name)s” is larger than %(mb)s MB.")
            % {"name": upload.name, "mb": max_bytes // (1024 * 1024)},
            "photo_too_large",
        )
    not_a_photo = _bad(
        _("“%(name)s” is not a photo we can read. Please choose a JPEG, PNG or WebP photo.")
        % {"name": upload.name},
        "not_an_image",
    )
    if MARKUP.search(data):
        raise not_a_photo

    max_pixels = settings.FEEDBACK_MAX_IMAGE_PIXELS
    too_big = _bad(
        _(
            "The photo “%(name)s” has too many pixels (more than %(mp)s megapixels). "
            "Please send a smaller photo."
        )
        % {"name": upload.name, "mp": max_pixels // 1_000_000},
        "too_many_pixels",
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            # Opening reads only the header: the size is known before any pixel is decoded.
            with Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS) as probe:
                width, height = probe.size
                if width * height > max_pixels or width <= 0 or height <= 0:
                    raise too_big
                probe.verify()
            image = Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)
            if getattr(image, "n_frames", 1) > 1:
                image.seek(0)
            if ImageFile.LOAD_TRUNCATED_IMAGES:  # pragma: no cover - never set by this site
                raise not_a_photo
            image.load()
        except ValidationError:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise too_big from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
            raise not_a_photo from None

    image = ImageOps.exif_transpose(image)
    image.thumbnail((settings.FEEDBACK_PHOTO_MAX_SIDE,) * 2, Image.Resampling.LANCZOS)
    has_alpha = image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info)
    out = io.BytesIO()
    if has_alpha:
        clean = image.convert("RGBA")
        # A new image from the pixels alone: no text chunks, EXIF, XMP or ICC profile.
        bare = Image.new("RGBA", clean.size)
        bare.paste(clean)
        bare.save(out, format="PNG", optimize=True)
        name = "photo.png"
    else:
        clean = image.convert("RGB")
        bare = Image.new("RGB", clean.size)
        bare.paste(clean)
        bare.save(out, format="JPEG", quality=85, optimize=True, progressive=True)
        name = "photo.jpg"
    return CleanPhoto(ContentFile(out.getvalue(), name=name), bare.width, bare.height)


def has_metadata(fileobj) -> list[str]:
    """Names of the metadata blocks found in an image file (empty when it is clean)."""
    fileobj.seek(0)
    found = []
    with Image.open(fileobj) as image:
        if image.getexif():
            found.append("exif")
        for key in ("exif", "icc_profile", "xmp", "XML:com.adobe.xmp", "comment", "photoshop"):
            if image.info.get(key):
                found.append(key)
        if getattr(image, "text", None):
            found.append("text")
    fileobj.seek(0)
    return sorted(set(found))
