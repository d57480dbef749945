"""Shared builders for the feedback tests: items, posts and hostile or GPS-tagged photos."""

import io
import os
import struct
import zlib
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from portal.setup import ensure_home_page
from projects.factories import ProjectIndexPageFactory, ProjectPageFactory
from projects.feedback.forms import started_token

GPS_LAT = (22.0, 30.0, 15.5)


def jpeg_with_gps(width=4000, height=3000, orientation=6, colour=(200, 80, 40)):
    """A photo as a phone writes it: camera make/model, GPS position and a rotation flag."""
    image = Image.new("RGB", (width, height), colour)
    image.paste((20, 20, 20), (0, 0, width // 4, height // 4))  # mark the top-left corner
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Model] = "Pro Max 15"
    exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = GPS_LAT
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (113.0, 20.0, 5.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, quality=70, comment=b"secret comment")
    return out.getvalue()


def noisy_jpeg(width, height):
    """A photo that does not compress: random pixels."""
    out = io.BytesIO()
    Image.frombytes("RGB", (width, height), os.urandom(width * height * 3)).save(out, "JPEG")
    return out.getvalue()


def png_bytes(width=40, height=30, mode="RGB"):
    out = io.BytesIO()
    Image.new(mode, (width, height)).save(out, "PNG")
    return out.getvalue()


def png_claiming_size(width, height):
    """A tiny PNG whose header claims `width`×`height` pixels: a decompression bomb's header."""
    raw = zlib.compress(b"\x00" * (1 + 3))

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def upload(data, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def make_item(number=37, **kwargs):
    from projects.models import ProjectIndexPage

    year = ProjectIndexPage.objects.filter(year=2022).first() or ProjectIndexPageFactory(
        parent=ensure_home_page(), year=2022, status_date=date(2022, 7, 1)
    )
    return ProjectPageFactory(parent=year, number=number, title="将军山体育公园建设", **kwargs)


def post_data(**overrides):
    data = {
        "kind": "suggestion",
        "message": "建议在公园东门增加自行车停放点。",
        "name": "",
        "contact": "",
        "consent": "on",
        "website": "",
        "started": started_token(),
    }
    data.update(overrides)
    return data


def make_feedback(item, **fields):
    """A stored message as a resident's post would leave it (through `store_feedback`)."""
    from projects.feedback.submission import store_feedback

    defaults = {
        "kind": "suggestion",
        "message": f"建议增加座椅和遮阳设施。{fields.pop('suffix', '')}",
        "contact": "13812345678",
        "name": "王女士",
    }
    defaults.update(fields)
    photos = defaults.pop("photos", ())
    feedback, _created = store_feedback(project=item, photos=photos, **defaults)
    return feedback
