"""A resident's message with a GPS-tagged photo, end to end in real Chromium on a phone.

The resident submits on the item page and gets a tracking code and "pending"; a moderator
approves and replies in the Wagtail admin; the status page and the item page then show the
department's answer; the stored photo and every rendition made for the item page carry no
EXIF. Screenshots: test-results/screenshots/feedback-*.png.
"""

import re
from datetime import date
from io import BytesIO

import pytest
from wagtail.models import ModelLogEntry

from projects.factories import ProjectIndexPageFactory, ProjectPageFactory
from projects.feedback.privacy import has_metadata
from projects.models import Feedback, PortalRendition
from tests.feedback_support import jpeg_with_gps, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

MESSAGE = "公园东门的人行道砖松动了，老人经过容易绊倒，建议尽快修补。"
REPLY = "已安排施工单位于本周五前完成修补，感谢您的监督。"


@pytest.fixture
def item(home_page):
    year = ProjectIndexPageFactory(parent=home_page, year=2022, status_date=date(2022, 7, 1))
    return ProjectPageFactory(parent=year, number=37, title="将军山体育公园建设")


def test_resident_feedback_with_photo_to_official_reply(
    live_server, item, phone, desktop_page, screenshot
):
    # -- the resident, on a phone --------------------------------------------------------
    phone.goto(f"{live_server.url}{item.url}#feedback")
    form = phone.locator("form.fb-form")
    form.scroll_into_view_if_needed()
    phone.check("input[name=kind][value=correction]")
    phone.fill("#id_message", MESSAGE)
    counter = phone.locator(".fb-count").first
    assert re.search(r"\d+ / 1000", counter.inner_text())  # the live count runs
    phone.set_input_files(
        "#id_photos",
        files=[{"name": "IMG_2041.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_gps()}],
    )
    phone.fill("#id_contact", "13812345678")
    phone.check("#id_consent")
    form.screenshot(path=str(_shot_path("feedback-form-phone")))
    phone.locator("form.fb-form button[type=submit]").click()

    phone.wait_for_url(re.compile(r"/feedback/[0-9A-Z]{16}/\?new=1$"))
    code = phone.locator(".fb-code code").inner_text().strip()
    assert re.fullmatch(r"[0-9A-Z]{16}", code)
    assert phone.locator(".fb-status--pending").is_visible()
    assert "13812345678" not in phone.content()
    screenshot(phone, "feedback-status-pending-phone")

    feedback = Feedback.objects.get(tracking_code=code)
    assert feedback.kind == "correction"
    photo = feedback.photos.get()
    with photo.file.open("rb") as handle:
        assert has_metadata(handle) == []
    assert max(photo.width, photo.height) <= 2048

    # The pending message is not on the item page yet.
    phone.goto(f"{live_server.url}{item.url}")
    assert MESSAGE not in phone.content()

    # -- the moderator, in the admin -----------------------------------------------------
    make_user("moderator", "Feedback moderators")
    admin = desktop_page
    admin.goto(f"{live_server.url}/admin/login/")
    admin.fill("input[name=username]", "moderator")
    admin.fill("input[name=password]", "pw")
    admin.locator("form button[type=submit]").click()
    admin.wait_for_url(re.compile(r"/admin/$"))
    assert admin.locator("[data-feedback-panel]").is_visible()
    admin.goto(f"{live_server.url}/admin/feedback/?status=pending")
    admin.locator(f"text={code}").first.wait_for()
    screenshot(admin, "feedback-admin-queue")
    admin.goto(f"{live_server.url}/admin/feedback/edit/{feedback.pk}/")
    assert MESSAGE in admin.content()
    assert "13812345678" not in admin.content()
    screenshot(admin, "feedback-admin-edit")
    # The contact is behind a logged "reveal" button.
    admin.locator("[data-reveal-contact]").click()
    admin.locator("[data-contact]").wait_for()
    assert admin.locator("[data-contact]").inner_text() == "13812345678"
    assert ModelLogEntry.objects.filter(
        action="projects.feedback.reveal_contact", object_id=str(feedback.pk)
    ).exists()
    admin.goto(f"{live_server.url}/admin/feedback/edit/{feedback.pk}/")
    admin.select_option("select[name=status]", "published")
    admin.fill("textarea[name=reply]", REPLY)
    admin.locator("button.action-save").first.click()
    admin.wait_for_url(re.compile(r"/admin/feedback/(\?.*)?$"))
    feedback.refresh_from_db()
    assert feedback.status == "published"
    assert feedback.reply == REPLY

    # -- the resident again ----------------------------------------------------------------
    phone.goto(f"{live_server.url}/feedback/{code}/")
    assert phone.locator(".fb-status--published").is_visible()
    assert REPLY in phone.locator(".fb-reply").inner_text()
    screenshot(phone, "feedback-status-replied-phone")

    phone.goto(f"{live_server.url}{item.url}#feedback")
    section = phone.locator("#feedback")
    section.locator(".fb-item").first.wait_for()
    assert MESSAGE in section.inner_text()
    assert REPLY in section.locator(".fb-reply").inner_text()
    section.locator(".fb-photos img").first.scroll_into_view_if_needed()
    phone.wait_for_function(
        "() => [...document.querySelectorAll('#feedback .fb-photos img')]"
        ".every(img => img.complete && img.naturalWidth > 0)"
    )
    section.screenshot(path=str(_shot_path("feedback-item-section-phone")))

    # -- no EXIF anywhere: the stored photo and every rendition the page asked for ---------
    photo.refresh_from_db()
    image = photo.public_image
    assert image is not None
    with image.open_file() as handle:
        assert has_metadata(handle) == []
    renditions = list(PortalRendition.objects.filter(image=image))
    assert renditions, "the item page should have rendered the approved photo"
    for rendition in renditions:
        with rendition.file.open("rb") as handle:
            data = handle.read()
        assert b"PhoneMaker" not in data and b"GPS" not in data, rendition.filter_spec
        assert has_metadata(BytesIO(data)) == [], rendition.filter_spec


def _shot_path(name):
    from tests.e2e.conftest import SCREENSHOT_DIR

    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    return SCREENSHOT_DIR / f"{name}.png"
