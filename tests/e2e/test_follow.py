"""A resident follows an item by e-mail on a phone: from the overview to the item, types an
address into "关注此项目", opens the confirmation link from the e-mail and sees it confirmed;
then, in 关怀版 and English, follows a district from the filtered year list. axe-core on every
follow page (no serious or critical violations).

Screenshots: test-results/screenshots/follow-*.png.
"""

import re
from datetime import date

import pytest
from django.core import mail

from projects.factories import DistrictFactory, ProjectIndexPageFactory, ProjectPageFactory
from projects.models import Follow
from tests.e2e.test_browse import assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def item(home_page):
    year = ProjectIndexPageFactory(parent=home_page, year=2022, status_date=date(2022, 7, 1))
    dawang = DistrictFactory(slug="dawang", name="大旺街道", name_en="Dawang Street")
    return ProjectPageFactory(parent=year, number=11, title="将军山体育公园建设", district=dawang)


def confirm_link(email):
    message = next(m for m in reversed(mail.outbox) if m.to == [email])
    return re.search(r"http://\S+/follow/confirm/\S+/", message.body).group(0)


def test_resident_follows_an_item_and_confirms_from_the_mail(live_server, item, phone, screenshot):
    mail.outbox.clear()
    phone.goto(live_server.url + "/")
    phone.locator(".site-nav").get_by_role("link", name="2022年").click()
    phone.locator(".item-card").filter(has_text=item.title).get_by_role("link").first.click()
    phone.wait_for_url(re.compile(rf"{item.url}$"))

    box = phone.locator("#follow")
    box.scroll_into_view_if_needed()
    assert "关注此项目" in box.locator("h2").inner_text()
    box.get_by_label("您的电子邮箱").fill("wang.ayi@example.cn")
    assert_accessible(phone, "item with the follow box")
    screenshot(phone, "follow-form-phone", full_page=False)
    box.get_by_role("button", name="邮件关注").click()
    phone.wait_for_url(re.compile(r"/follow/sent/$"))
    assert "请查收邮件" in phone.locator("h1").inner_text()
    assert_accessible(phone, "check your mailbox")

    link = confirm_link("wang.ayi@example.cn")
    phone.goto(link.replace("http://testserver", live_server.url))
    assert "确认成功，您已关注" in phone.locator("h1").inner_text()
    assert "将军山体育公园建设" in phone.locator(".follow-target").inner_text()
    assert_accessible(phone, "confirmed")
    screenshot(phone, "follow-confirmed-phone")
    assert Follow.objects.get(subscriber__email="wang.ayi@example.cn").confirmed_at is not None

    # The unsubscribe link on the confirmation page: one button, and the address is gone.
    phone.get_by_role("link", name="退订").click()
    assert_accessible(phone, "unsubscribe")
    phone.get_by_role("button", name="退订并删除我的邮箱地址").click()
    assert "已退订" in phone.locator("h1").inner_text()
    assert_accessible(phone, "unsubscribed")
    assert not Follow.objects.exists()


def test_follow_a_district_in_care_mode_and_english(live_server, item, phone, screenshot):
    mail.outbox.clear()
    phone.goto(live_server.url + "/")
    phone.get_by_role("button", name="English").click()
    phone.wait_for_load_state()
    phone.locator(".care-switch button").click()
    phone.wait_for_load_state()
    phone.goto(live_server.url + "/2022/?district=dawang")
    assert "care-mode" in (phone.locator("html").get_attribute("class") or "")
    box = phone.locator("#follow")
    assert "Follow this district" in box.locator("h2").inner_text()
    box.get_by_label("Your e-mail address").fill("not-an-address")
    box.get_by_role("button", name="Follow by e-mail").click()
    # The browser's own check is off (novalidate): the server answers in English.
    phone.wait_for_url(re.compile(r"/follow/$"))
    assert "Please enter a valid email address" in phone.locator(".fb-error").inner_text()
    assert_accessible(phone, "follow form with an error (English, large text)")
    screenshot(phone, "follow-form-error-care-en-phone")
    phone.get_by_label("Your e-mail address").fill("reader@example.com")
    phone.get_by_role("button", name="Follow by e-mail").click()
    phone.wait_for_url(re.compile(r"/follow/sent/$"))
    phone.goto(confirm_link("reader@example.com").replace("http://testserver", live_server.url))
    assert "Confirmed: you are following" in phone.locator("h1").inner_text()
    assert "Dawang Street" in phone.locator(".follow-target").inner_text()
    assert "care-mode" in (phone.locator("html").get_attribute("class") or "")
    assert_accessible(phone, "confirmed (English, large text)")
    screenshot(phone, "follow-confirmed-care-en-phone")
