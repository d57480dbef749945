"""Every public page type is valid HTML (Nu HTML Checker), in Chinese, English and 关怀版: the
overview, year list (plain and filtered), item (with a rating), update, search, map, the feedback
and rating forms, the "received" answer, the status and tracking pages, the follow-by-e-mail
pages (form, check your mailbox, confirmed, dead link, unsubscribe, unsubscribed), 404 and 500.

The checker is the npm package vnu-jar run on Java 17 (`make ensure-html-checker` fetches it into
.cache/vnu). The pages are rendered by Django's test client from a small year that has every
feature the templates can show: photos, before/after, milestones, a map position, tags, updates,
a rating and a published message with the department's reply.
"""

import json
import os
import subprocess
import tempfile
from datetime import date
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from django.core.files.images import ImageFile
from django.test import RequestFactory, TestCase
from PIL import Image as PILImage

from portal.setup import ensure_home_page
from portal.views import server_error
from projects.factories import (
    CategoryFactory,
    DistrictFactory,
    ImageFactory,
    ProgressUpdatePageFactory,
    ProjectIndexPageFactory,
    ProjectPageFactory,
)
from projects.feedback import moderation
from projects.feedback.submission import store_feedback
from projects.follow.subscription import Target, subscribe
from projects.models import ProjectGalleryImage, ProjectMilestone, UpdatePhoto
from tests.conftest import make_user
from tests.feedback_support import post_data

VNU = Path(__file__).resolve().parents[1] / ".cache/vnu/node_modules/vnu-jar/build/dist/vnu.jar"


def photo():
    """A photo large enough for every rendition width (small ones repeat widths in srcset)."""
    buffer = BytesIO()
    PILImage.new("RGB", (1600, 1200), (90, 140, 200)).save(buffer, "JPEG")
    return ImageFactory(file=ImageFile(buffer, name="site.jpg"))


VISITORS = {"zh": {}, "en-care": {"django_language": "en", "care_mode": "1"}}


class HtmlValidityTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        home = ensure_home_page()
        year = ProjectIndexPageFactory(parent=home, year=2022, status_date=date(2022, 7, 1))
        parks = CategoryFactory(slug="parks", name="公园绿道", name_en="Parks", icon="park")
        cls.item = ProjectPageFactory(
            parent=year,
            number=11,
            title="将军山体育公园建设",
            category=parks,
            cover_image=photo(),
            latitude=Decimal("23.339"),
            longitude=Decimal("112.851"),
            revised_completion=date(2023, 3, 31),
            delay_reason="征地拆迁影响进场。",
        )
        cls.item.tags.add("全民健身")
        cls.item.save_revision().publish()
        for order, stage in enumerate(("before", "after")):
            ProjectGalleryImage.objects.create(
                page=cls.item, image=photo(), stage=stage, sort_order=order
            )
        ProjectMilestone.objects.create(
            page=cls.item,
            name="开工建设",
            planned_date=date(2022, 2, 1),
            done_date=date(2022, 2, 1),
        )
        ProjectMilestone.objects.create(
            page=cls.item, name="竣工验收", planned_date=date(2022, 12, 1)
        )
        cls.update = ProgressUpdatePageFactory(
            parent=cls.item, date=date(2022, 6, 1), progress=40, invested=Decimal("100")
        )
        UpdatePhoto.objects.create(page=cls.update, image=photo(), caption="园路施工")
        cls.done = ProjectPageFactory(parent=year, number=12, title="口袋公园", category=parks)
        ProgressUpdatePageFactory(parent=cls.done, date=date(2022, 5, 1), progress=100)

        moderator = make_user("moderator", superuser=True)
        message, _created = store_feedback(
            project=cls.item, kind="suggestion", message="建议增加遮阳棚。", contact="13812345678"
        )
        moderation.approve(message, moderator)
        moderation.reply(message, moderator, "已纳入二期设计。")
        for stars, comment in ((5, "很满意，步道很平整。"), (4, "")):
            rating, _created = store_feedback(
                project=cls.done, kind="rating", rating=stars, message=comment
            )
            moderation.approve(rating, moderator)
        cls.tracking_code = message.tracking_code
        cls.item.district = DistrictFactory(slug="dawang", name="大旺街道", name_en="Dawang")
        cls.item.save_revision().publish()
        cls.follow = subscribe("fan@example.cn", "zh-hans", Target("item", cls.item, ""))
        cls.leaving = subscribe("leaving@example.cn", "zh-hans", Target("item", cls.item, ""))

    def pages(self):
        """(what, response, expected status, text the page must show): the GET pages, and the
        pages a resident only reaches by posting (the "received" answer) or by a crash (500)."""
        get = self.client.get
        return [
            ("overview", get("/"), 200, "将军山体育公园建设"),
            ("year list", get("/2022/"), 200, "口袋公园"),
            (
                "filtered year list",
                get("/2022/?category=parks&status=in_progress&sort=progress&q=公园"),
                200,
                "将军山体育公园建设",
            ),
            ("item", get(self.item.url), 200, "已纳入二期设计。"),
            ("finished item with ratings", get(self.done.url), 200, 'class="fb-rating-summary"'),
            ("update", get(self.update.url), 200, "园路施工"),
            ("site board", get(self.item.url + "board/"), 200, 'class="board__qr"'),
            ("year's site boards", get("/2022/boards/"), 200, 'class="board__qr"'),
            ("open data API docs", get("/api/docs/"), 200, 'class="docs-intro"'),
            ("search", get("/search/?q=体育公园"), 200, "将军山体育公园建设"),
            ("map", get("/map/"), 200, "将军山体育公园建设"),
            ("feedback form", get(f"/feedback/new/{self.item.pk}/"), 200, 'class="fb-form"'),
            ("rating form", get(f"/feedback/rate/{self.done.pk}/"), 200, 'name="rating"'),
            (
                "received",
                self.client.post(
                    f"/feedback/new/{self.item.pk}/", post_data(website="http://spam.example")
                ),
                200,
                "fb-panel",
            ),
            ("status", get(f"/feedback/{self.tracking_code}/"), 200, "已纳入二期设计。"),
            ("tracking box", get("/feedback/track/"), 200, 'name="code"'),
            (
                "year list of a district, with the follow box",
                get("/2022/?district=dawang"),
                200,
                "follow-form",
            ),
            (
                "follow form",
                get("/follow/", {"kind": "district", "target": "dawang"}),
                200,
                'name="email"',
            ),
            ("follow: check your mailbox", get("/follow/sent/"), 200, "<h1"),
            (
                "follow confirmed",
                get(f"/follow/confirm/{self.follow.token}/"),
                200,
                "follow-target",
            ),
            ("follow link no longer valid", get("/follow/confirm/gone/"), 404, "<h1"),
            (
                "unsubscribe",
                get(f"/follow/unsubscribe/{self.follow.subscriber.token}/"),
                200,
                "<form",
            ),
            (
                "unsubscribed",
                self.client.post(f"/follow/unsubscribe/{self.leaving.subscriber.token}/"),
                200,
                "<h1",
            ),
            ("mistyped code", get(f"/feedback/{self.tracking_code[:-1]}/"), 404, 'name="code"'),
            ("no such page", get("/no-such-page/"), 404, "<h1"),
            ("server error", server_error(RequestFactory().get("/")), 500, "<h1"),
        ]

    def test_public_pages_have_no_markup_errors(self):
        if not VNU.exists():
            message = f"Nu HTML Checker missing at {VNU}; run `make ensure-html-checker`."
            if os.environ.get("CI") == "true":
                pytest.fail(message)
            pytest.skip(message)
        with tempfile.TemporaryDirectory() as folder:
            files = {}
            for visitor, cookies in VISITORS.items():
                self.client.cookies.clear()
                for name, value in cookies.items():
                    self.client.cookies[name] = value
                for number, (what, response, status, shows) in enumerate(self.pages()):
                    label = f"{visitor} {what}"
                    self.assertEqual(response.status_code, status, label)
                    self.assertIn(shows, response.content.decode(), label)
                    path = Path(folder) / f"{visitor}-{number}.html"
                    path.write_bytes(response.content)
                    files[str(path)] = label
            result = subprocess.run(
                ["java", "-jar", str(VNU), "--errors-only", "--format", "json", *files],
                capture_output=True,
                text=True,
                timeout=300,
            )
        # The checker writes its JSON report to stderr and exits 1 when it found errors; any
        # other outcome (no report, a crash, another exit code) is a failure, not a pass.
        self.assertIn(result.returncode, (0, 1), result.stderr[-2000:])
        messages = json.loads(result.stderr)["messages"]
        errors = [
            f"{files.get(m.get('url', '').removeprefix('file:'), m.get('url'))}: "
            f"line {m.get('lastLine')}: {m['message']}"
            for m in messages
            if m.get("type") in ("error", "non-document-error")
        ]
        self.assertEqual(errors, [])
        self.assertEqual(result.returncode, 0, result.stderr[-2000:])
        self.assertEqual(len(files), len(VISITORS) * 26)
