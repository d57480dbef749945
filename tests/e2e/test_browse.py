"""A resident browses on a phone: overview → category → item → photo → English → 关怀版 →
search, with axe-core run on every page type (no serious or critical violations).

Screenshots: test-results/screenshots/browse-*.png.
"""

import re
from datetime import date
from decimal import Decimal

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from projects.demo.photos import make_site_photo
from projects.factories import (
    CategoryFactory,
    DistrictFactory,
    ImageFactory,
    ProgressUpdatePageFactory,
    ProjectIndexPageFactory,
    ProjectPageFactory,
)
from projects.models import ProjectGalleryImage, UpdatePhoto

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE = Axe()


def photo(seed, kind="park", stage=0.5):
    from io import BytesIO

    from django.core.files.images import ImageFile

    data = make_site_photo(
        kind=kind, stage=stage, seed=seed, caption="No.11", width=480, height=320
    )
    return ImageFactory(file=ImageFile(BytesIO(data), name=f"site-{seed}.jpg"))


@pytest.fixture
def year(home_page):
    year = ProjectIndexPageFactory(parent=home_page, year=2022, status_date=date(2022, 7, 1))
    parks = CategoryFactory(slug="parks", name="公园绿道", name_en="Parks & greenways", icon="park")
    schools = CategoryFactory(slug="education", name="教育", name_en="Education", icon="school")
    dawang = DistrictFactory(slug="dawang", name="大旺街道", name_en="Dawang Street")
    park = ProjectPageFactory(
        parent=year,
        number=11,
        title="将军山体育公园建设",
        summary="建设环山步道、笼式足球场和儿童游乐区。",
        category=parks,
        district=dawang,
        address="肇庆高新区大旺街道迎宾大道8号",
        latitude=Decimal("23.339"),
        longitude=Decimal("112.851"),
        cover_image=photo(1, stage=0.6),
    )
    update = ProgressUpdatePageFactory(
        parent=park, date=date(2022, 6, 20), progress=45, text="<p>园路基层施工中。</p>"
    )
    UpdatePhoto.objects.create(page=update, image=photo(2, stage=0.45))
    ProjectGalleryImage.objects.create(page=park, image=photo(3, stage=0.1), caption="开工前")
    ProjectPageFactory(
        parent=year, number=1, title="育才学校新建工程", category=schools, district=dawang
    )
    return year


def assert_accessible(page, name):
    results = AXE.run(page)
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], f"{name}: {serious}"


def test_resident_finds_follows_and_searches_an_item(live_server, year, phone, screenshot):
    phone.goto(live_server.url + "/")
    assert phone.locator("h1").first.inner_text().strip() == "2022年民生实事"
    assert_accessible(phone, "overview")
    screenshot(phone, "browse-overview-phone")

    # Tap a category in the "progress by category" chart.
    phone.get_by_role("link", name=re.compile("公园绿道")).first.click()
    phone.wait_for_url(re.compile(r"/2022/\?category=parks"))
    cards = phone.locator(".item-card")
    assert cards.count() == 1
    assert_accessible(phone, "year list")
    screenshot(phone, "browse-year-parks-phone")

    cards.first.get_by_role("link").click()
    phone.wait_for_url(re.compile(r"/2022/11/$"))
    assert "将军山体育公园建设" in phone.locator("h1").inner_text()
    assert "45%" in phone.locator(".item-progress").inner_text().replace(" ", "")
    assert phone.locator('meta[property="og:image"]').count() == 1
    assert_accessible(phone, "item")
    screenshot(phone, "browse-item-phone")

    # The location map loads Leaflet only once it scrolls into view, then shows the marker.
    assert phone.evaluate("typeof window.L") == "undefined"
    phone.locator("#item-map").scroll_into_view_if_needed()
    phone.locator(".leaflet-marker-icon").first.wait_for()
    assert "11" in phone.locator(".leaflet-marker-icon").first.inner_text()

    # Tap a photo: the viewer opens over the page, and the phone's Back button closes it.
    full = phone.locator("a.photo-link").first
    full.scroll_into_view_if_needed()
    full.click()
    expect(phone.locator("dialog.viewer")).to_be_visible()
    phone.go_back()
    expect(phone.locator("dialog.viewer")).to_be_hidden()

    # The update page.
    phone.locator(".update a").first.click()
    phone.wait_for_url(re.compile(r"/2022/11/2022-06-20/$"))
    assert "园路基层施工中" in phone.content()
    assert_accessible(phone, "update")

    # Switch to English, then to 关怀版 (larger text), from the header, without JavaScript.
    phone.get_by_role("button", name="English").click()
    phone.wait_for_load_state()
    assert phone.locator("html").get_attribute("lang") == "en"
    assert_accessible(phone, "update (English)")
    body_size = phone.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    phone.locator(".care-switch button").click()
    phone.wait_for_load_state()
    assert "care-mode" in (phone.locator("html").get_attribute("class") or "")
    care_size = phone.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert care_size >= 1.25 * body_size
    assert_accessible(phone, "update (English, large text)")
    screenshot(phone, "browse-update-care-en-phone")

    # The choice is remembered on the next page.
    phone.goto(live_server.url + "/map/")
    assert "care-mode" in (phone.locator("html").get_attribute("class") or "")
    assert phone.locator(".map-list__item").count() == 2
    assert_accessible(phone, "map")

    # Search for 体育公园 and find the park.
    phone.goto(live_server.url + "/search/")
    phone.fill("#id_q", "体育公园")
    phone.locator("form.filters button[type=submit]").first.click()
    phone.wait_for_url(re.compile(r"/search/\?q="))
    titles = phone.locator(".item-card h3").all_inner_texts()
    assert titles == ["将军山体育公园建设"]
    assert_accessible(phone, "search")
    screenshot(phone, "browse-search-phone")
