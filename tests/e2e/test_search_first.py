"""On a phone the results come first: a resident searches from the home page in her own words,
then filters the year list by tapping, and sees the first item without scrolling; the filter
panel stays closed unless she opens it, and one line says which filters are on, with a button
that clears them. Runs on the demo list (projects/demo).

Screenshots: test-results/screenshots/search-*.png (390×844 and 1366×900).
"""

import re
from datetime import date

import pytest

from projects.demo.loader import DemoLoader

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SCREEN_HEIGHT = 844


@pytest.fixture
def demo(home_page):
    DemoLoader(as_of=date(2022, 10, 31), photo_size=(240, 160)).run()


def first_card(page):
    """The first result card, asserted wholly visible on the first screen, title included."""
    card = page.locator(".item-list .item-card").first
    box = card.bounding_box()
    assert box["y"] + box["height"] <= SCREEN_HEIGHT, box
    title = card.locator(".item-card__title")
    title_box = title.bounding_box()
    assert title.is_visible() and title_box["y"] + title_box["height"] <= SCREEN_HEIGHT
    return card


def search(page, words):
    page.fill("#id_q", words)
    page.locator("#id_q").press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q="))


def test_results_come_first_on_a_phone(live_server, demo, phone, desktop_page, screenshot):
    """One test for the three journeys: the demo list takes a while to load."""
    search_from_the_home_page(live_server, phone, screenshot)
    filter_the_year_list_by_tapping(live_server, phone, screenshot)
    the_same_pages_at_desktop_width(live_server, desktop_page, screenshot)


def search_from_the_home_page(live_server, phone, screenshot):
    phone.goto(live_server.url + "/")
    phone.locator("a.header-search").click()
    search(phone, "看病")

    assert phone.locator(".filters__more").get_attribute("open") is None
    assert phone.locator(".filters__summary").count() == 0  # no filter on: no summary line
    card = first_card(phone)
    assert "医院" in card.locator(".item-card__title").inner_text()
    screenshot(phone, "search-results-phone", full_page=False)

    # Nothing found: popular searches in Chinese and the categories, one tap away.
    search(phone, "游泳馆")
    assert phone.locator(".item-list").count() == 0
    phone.get_by_role("heading", name="热门搜索").wait_for()
    screenshot(phone, "search-nothing-phone")
    phone.locator(".no-results").get_by_role("link", name="学校", exact=True).click()
    phone.wait_for_url(re.compile(r"/search/\?q="))
    assert "育才学校新建工程" in phone.locator(".item-card__title").all_inner_texts()
    first_card(phone)


def filter_the_year_list_by_tapping(live_server, phone, screenshot):
    phone.goto(live_server.url + "/")
    phone.get_by_role("link", name=re.compile("2022年民生实事")).first.click()
    phone.wait_for_url(re.compile(r"/2022/$"))
    assert phone.locator(".filters__more").get_attribute("open") is None

    phone.get_by_text("筛选和排序").click()
    phone.locator("#id_district").select_option(label="迳口片区")
    phone.locator("#id_status").select_option(label="推进中")
    phone.get_by_role("button", name="确定").click()
    phone.wait_for_url(re.compile(r"district=jingkou"))

    assert phone.locator(".filters__more").get_attribute("open") is None
    summary = phone.locator(".filters__summary")
    assert "迳口片区" in summary.inner_text() and "推进中" in summary.inner_text()
    assert summary.bounding_box()["height"] < 60  # one line
    card = first_card(phone)
    assert "迳口" in card.inner_text()
    screenshot(phone, "search-year-filtered-phone", full_page=False)

    summary.get_by_role("link", name="清除筛选").click()
    phone.wait_for_url(re.compile(r"/2022/$"))
    assert phone.locator(".filters__summary").count() == 0
    # All 100 items again, a page of 24 at a time.
    assert phone.locator(".item-list > li").count() == 24
    assert "共100项" in phone.locator(".pager").inner_text()
    phone.locator(".pager").get_by_role("link", name="第5页").click()
    phone.wait_for_url(re.compile(r"/2022/\?page=5$"))
    assert phone.locator(".item-list > li").count() == 4


def the_same_pages_at_desktop_width(live_server, desktop_page, screenshot):
    desktop_page.goto(live_server.url + "/")
    desktop_page.locator("a.header-search").click()
    search(desktop_page, "school")
    assert "育才学校新建工程" in desktop_page.locator(".item-card__title").all_inner_texts()
    screenshot(desktop_page, "search-results-desktop", full_page=False)
    search(desktop_page, "游泳馆")
    screenshot(desktop_page, "search-nothing-desktop", full_page=False)

    desktop_page.goto(live_server.url + "/")
    desktop_page.get_by_role("link", name=re.compile("2022年民生实事")).first.click()
    desktop_page.wait_for_url(re.compile(r"/2022/$"))
    desktop_page.get_by_text("筛选和排序").click()
    desktop_page.locator("#id_district").select_option(label="大沙片区")
    desktop_page.get_by_role("button", name="确定").click()
    desktop_page.wait_for_url(re.compile(r"district=dasha"))
    assert desktop_page.locator(".filters__summary").is_visible()
    screenshot(desktop_page, "search-year-filtered-desktop", full_page=False)
