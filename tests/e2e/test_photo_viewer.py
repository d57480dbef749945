"""The photo viewer (static/js/viewer.js), in real Chromium: a resident on a phone opens an item's
photos from the overview, steps through them by swipe and keys, closes the viewer with Esc, the
close button and the phone's Back button, and sees it in 关怀版; on a laptop, in English, the same
on an update page. axe-core runs with the viewer open.
Screenshots: test-results/screenshots/viewer-*.png.
"""

import re
from datetime import date
from io import BytesIO

import pytest
from django.core.files.images import ImageFile
from playwright.sync_api import expect

from projects.demo.photos import make_site_photo
from projects.factories import (
    CategoryFactory,
    ImageFactory,
    ProgressUpdatePageFactory,
    ProjectIndexPageFactory,
    ProjectPageFactory,
)
from projects.models import ProjectGalleryImage, UpdatePhoto
from tests.e2e.test_browse import assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# What the department's editor gave each photo: caption, day taken, photographer.
GALLERY = [
    ("东门入口广场铺装完成", date(2022, 5, 3), "区文化广电旅游体育局"),
    ("环山步道（北段）", date(2022, 5, 18), "大旺街道办事处"),
    ("笼式足球场围网安装", date(2022, 6, 2), "区文化广电旅游体育局"),
]
UPDATE_PHOTOS = ["园路基层施工", "儿童游乐区地面"]


def site_photo(seed, *, taken=None, credit=""):
    """A 900×675 JPEG of a building site, as an editor uploads it."""
    data = make_site_photo(
        kind="park", stage=0.5, seed=seed, caption="No.11", width=900, height=675
    )
    return ImageFactory(
        file=ImageFile(BytesIO(data), name=f"IMG_{2040 + seed}.jpg"),
        date_taken=taken,
        credit=credit,
    )


@pytest.fixture
def park(home_page):
    year = ProjectIndexPageFactory(parent=home_page, year=2022, status_date=date(2022, 7, 1))
    parks = CategoryFactory(slug="parks", name="公园绿道", name_en="Parks & greenways", icon="park")
    park = ProjectPageFactory(parent=year, number=11, title="将军山体育公园建设", category=parks)
    for order, (caption, taken, credit) in enumerate(GALLERY):
        ProjectGalleryImage.objects.create(
            page=park,
            image=site_photo(order, taken=taken, credit=credit),
            caption=caption,
            sort_order=order,
        )
    update = ProgressUpdatePageFactory(
        parent=park, date=date(2022, 6, 20), progress=45, text="<p>园路基层施工中。</p>"
    )
    for order, caption in enumerate(UPDATE_PHOTOS):
        UpdatePhoto.objects.create(
            page=update,
            image=site_photo(10 + order),
            caption=caption,
            sort_order=order,
        )
    return park


def viewer_state(page):
    """What the resident sees in the viewer: position, caption lines, and which rendition."""
    viewer = page.locator("dialog.viewer")
    image = viewer.locator(".viewer__stage img")
    image.evaluate("img => img.decode()")
    return {
        "position": viewer.locator(".viewer__position [aria-hidden]").inner_text(),
        "caption": viewer.locator(".viewer__text").inner_text(),
        "meta": viewer.locator(".viewer__meta").inner_text(),
        # e.g. "max-800x800.format-webp.webp" from …/IMG_2040.max-800x800.format-webp.webp
        "rendition": image.evaluate(
            "img => img.currentSrc.split('/').pop().split('.').slice(1).join('.')"
        ),
    }


def swipe(page, *, from_x, to_x, y):
    """A one-finger swipe through Chromium's touch input (real touchstart/move/end events)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send(
        "Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": from_x, "y": y}]}
    )
    for step in range(1, 6):
        x = from_x + (to_x - from_x) * step / 5
        cdp.send(
            "Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y}]}
        )
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    cdp.detach()


def test_resident_steps_through_an_items_photos_on_a_phone(live_server, park, phone, screenshot):
    phone.goto(live_server.url + "/")
    phone.get_by_role("link", name=re.compile("公园绿道")).first.click()
    phone.locator(".item-card").first.get_by_role("link").click()
    phone.wait_for_url(re.compile(r"/2022/11/$"))
    item_url = phone.url
    dialog = phone.locator("dialog.viewer")
    gallery_links = phone.locator(".gallery a.photo-link")
    assert gallery_links.count() == 3

    first = gallery_links.first
    first.scroll_into_view_if_needed()
    first.click()
    expect(dialog).to_be_visible()
    assert viewer_state(phone) == {
        "position": "1 / 3",
        "caption": "东门入口广场铺装完成",
        "meta": "摄于2022年5月3日 · 区文化广电旅游体育局",
        # The 800px-wide rendition for a 390px-wide 2× screen, not the 900px original.
        "rendition": "max-800x800.format-webp.webp",
    }
    assert phone.evaluate("document.activeElement.closest('dialog') !== null")
    assert phone.get_by_role("button", name="关闭").is_visible()
    assert phone.url == item_url
    # The page behind is locked while the viewer is open (Chromium would not scroll it behind a
    # modal dialog anyway; Safari and WeChat's browser on a phone do).
    expect(phone.locator("html")).to_have_css("overflow", "hidden")
    assert_accessible(phone, "viewer open")
    screenshot(phone, "viewer-open-phone", full_page=False)

    # Swipe left for the next photo: the caption follows.
    swipe(phone, from_x=320, to_x=60, y=400)
    state = viewer_state(phone)
    assert (state["position"], state["caption"]) == ("2 / 3", "环山步道（北段）")
    assert state["meta"] == "摄于2022年5月18日 · 大旺街道办事处"
    # A keyboard's → goes on to the third, ← back to the second.
    phone.keyboard.press("ArrowRight")
    assert viewer_state(phone)["caption"] == "笼式足球场围网安装"
    phone.keyboard.press("ArrowLeft")
    assert viewer_state(phone)["position"] == "2 / 3"
    # A swipe right goes back; past the first it wraps round to the last.
    swipe(phone, from_x=60, to_x=320, y=400)
    swipe(phone, from_x=60, to_x=320, y=400)
    assert viewer_state(phone)["position"] == "3 / 3"

    # Esc closes it; focus is on the photo last shown, on the page, which scrolls again.
    phone.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(gallery_links.nth(2)).to_be_focused()
    expect(phone.locator("html")).not_to_have_css("overflow", "hidden")
    assert phone.url == item_url

    # The close button does the same, from the photo that was tapped.
    gallery_links.nth(1).click()
    assert viewer_state(phone)["position"] == "2 / 3"
    phone.get_by_role("button", name="关闭").click()
    expect(dialog).to_be_hidden()
    expect(gallery_links.nth(1)).to_be_focused()

    # An update's photos are a group of their own, with the caption the editor gave them.
    update_links = phone.locator(".update__photos a.photo-link")
    update_links.last.scroll_into_view_if_needed()
    # Two to a row on a phone, so the phone loads their 400px rendition, not the gallery's 800px.
    thumb = update_links.last.locator("img")
    expect(thumb).to_have_js_property("complete", True)
    assert ".fill-400x300.format-webp." in thumb.evaluate("img => img.currentSrc")
    update_links.last.click()
    state = viewer_state(phone)
    assert (state["position"], state["caption"]) == ("2 / 2", "儿童游乐区地面")

    # The phone's Back button closes the viewer and stays on the item page ...
    phone.go_back()
    expect(dialog).to_be_hidden()
    expect(update_links.last).to_be_focused()
    assert phone.url == item_url
    assert phone.locator("h1").inner_text().strip() == "将军山体育公园建设"
    # ... and the next Back leaves it, as it would have before the viewer was opened.
    phone.go_back()
    phone.wait_for_url(re.compile(r"/2022/\?category=parks$"))

    # In 关怀版 (large text) the photo, its caption and the buttons still fit on the screen.
    phone.locator(".care-switch button").click()
    phone.wait_for_load_state()
    phone.locator(".item-card").first.get_by_role("link").click()
    gallery_links.first.click()
    assert viewer_state(phone)["position"] == "1 / 3"
    assert phone.locator(".viewer__stage img").bounding_box()["height"] > 200
    buttons = phone.locator(".viewer__nav").bounding_box()
    assert buttons["y"] + buttons["height"] <= 844
    expect(phone.get_by_role("button", name="下一张")).to_be_visible()
    screenshot(phone, "viewer-open-care-phone", full_page=False)


def test_update_page_viewer_on_a_laptop_in_english(live_server, park, desktop_page, screenshot):
    page = desktop_page
    page.goto(live_server.url + "/")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    page.get_by_role("link", name=re.compile("Parks & greenways")).first.click()
    page.locator(".item-card").first.get_by_role("link").click()
    page.get_by_role("link", name=re.compile("Open this update")).click()
    page.wait_for_url(re.compile(r"/2022/11/2022-06-20/$"))

    page.locator(".gallery a.photo-link").first.click()
    dialog = page.locator("dialog.viewer")
    state = viewer_state(page)
    assert (state["position"], state["caption"]) == ("1 / 2", "园路基层施工")
    # The larger rendition, as wide as the photo (900px): a 1366px-wide screen needs it all.
    assert state["rendition"] == "max-1600x1600.format-webp.webp"
    assert dialog.get_by_text("Photo 1 of 2").count() == 1  # read out by screen readers

    page.get_by_role("button", name="Next photo").click()
    assert viewer_state(page)["caption"] == "儿童游乐区地面"
    assert_accessible(page, "viewer open (English, laptop)")
    screenshot(page, "viewer-open-desktop", full_page=False)
    page.get_by_role("button", name="Close").click()
    expect(dialog).to_be_hidden()
    expect(page.locator(".gallery a.photo-link").nth(1)).to_be_focused()


def test_without_javascript_a_photo_opens_full_size(
    live_server, park, browser, browser_context_args
):
    context = browser.new_context(**browser_context_args, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/")
    page.get_by_role("link", name=re.compile("公园绿道")).first.click()
    page.locator(".item-card").first.get_by_role("link").click()
    with page.expect_navigation():
        page.locator(".gallery a.photo-link").first.click()
    assert page.url.endswith(".jpg")
    assert page.evaluate("document.images[0].naturalWidth") == 900
    context.close()
