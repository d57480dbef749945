"""A resident shares an item's page from the phone (static/js/share.js) and subscribes to its
updates: the share sheet where the browser has one, otherwise the link copied with a visible
"链接已复制"; without JavaScript no dead button, and the feed link still works.

Screenshot: test-results/screenshots/share-item-phone.png.
"""

import xml.etree.ElementTree as ET
from datetime import date

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from projects.factories import (
    ProgressUpdatePageFactory,
    ProjectIndexPageFactory,
    ProjectPageFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NO_SHARE_SHEET = "delete Navigator.prototype.share; delete navigator.share;"
FAKE_SHARE_SHEET = """
Object.defineProperty(Navigator.prototype, "share", {
  configurable: true,
  value: function (data) { window.sharedData = data; return Promise.resolve(); },
});
"""


@pytest.fixture
def item(home_page):
    year = ProjectIndexPageFactory(parent=home_page, year=2022, status_date=date(2022, 7, 1))
    item = ProjectPageFactory(parent=year, number=11, title="将军山体育公园建设")
    ProgressUpdatePageFactory(parent=item, date=date(2022, 6, 20), text="<p>园路基层施工中。</p>")
    return item


def assert_accessible(page, name):
    results = Axe().run(page)
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], f"{name}: {serious}"


def test_without_a_share_sheet_the_link_is_copied(live_server, item, phone, screenshot):
    phone.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    phone.add_init_script(NO_SHARE_SHEET)
    phone.goto(live_server.url + "/2022/11/")
    button = phone.get_by_role("button", name="分享")
    expect(button).to_be_visible()
    assert button.bounding_box()["y"] < 844  # on the first screen of a phone
    button.click()
    expect(phone.locator(".share__status")).to_have_text("链接已复制")
    assert phone.evaluate("navigator.clipboard.readText()") == live_server.url + "/2022/11/"
    assert_accessible(phone, "item with the share confirmation")
    screenshot(phone, "share-item-phone", full_page=False)


def test_the_share_sheet_gets_the_title_and_the_link(live_server, item, phone):
    phone.add_init_script(FAKE_SHARE_SHEET)
    phone.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    phone.goto(live_server.url + "/2022/11/")
    phone.get_by_role("button", name="Share").click()
    phone.wait_for_function("window.sharedData !== undefined")
    shared = phone.evaluate("window.sharedData")
    assert shared == {"title": "No. 11 将军山体育公园建设", "url": live_server.url + "/2022/11/"}
    expect(phone.locator(".share__status")).to_be_hidden()


def test_without_javascript_there_is_no_dead_button_and_the_feed_link_works(
    live_server, item, browser, browser_context_args
):
    context = browser.new_context(**browser_context_args, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/2022/11/")
    expect(page.locator("button[data-share-url]")).to_be_hidden()
    feed_link = page.get_by_role("link", name="订阅更新（Atom）")
    expect(feed_link).to_be_visible()
    response = context.request.get(live_server.url + feed_link.get_attribute("href"))
    assert response.headers["content-type"] == "application/atom+xml; charset=utf-8"
    entries = ET.fromstring(response.body()).findall("{http://www.w3.org/2005/Atom}entry")
    link = entries[0].find("{http://www.w3.org/2005/Atom}link").get("href")
    assert [len(entries), link] == [1, live_server.url + "/2022/11/2022-06-20/"]
    context.close()
