"""In Chromium: 30 wrong passwords for `admin`, then the right one, leave the sign-in page
saying it is locked and until when; another administrator, already signed in, finds the lock
from the admin's menus and unlocks it with a click; then `admin` signs in."""

import re

import pytest
from django.contrib.auth.models import User

from tests.two_factor_support import pass_second_factor

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "the-right-Pa55word"


def submit(page, username, password):
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.press("input[name=password]", "Enter")
    page.wait_for_load_state()


def test_locked_after_thirty_failures_until_an_administrator_unlocks(
    live_server, phone, desktop_page, screenshot
):
    User.objects.create_superuser("admin", "admin@example.cn", PASSWORD)
    User.objects.create_superuser("chief", "chief@example.cn", PASSWORD + "-chief")

    # The administrator who will unlock is at work already (signed in before the attack).
    chief = desktop_page
    chief.goto(f"{live_server.url}/admin/")
    submit(chief, "chief", PASSWORD + "-chief")
    pass_second_factor(chief, "chief")
    chief.wait_for_url(re.compile(r".*/admin/$"))

    phone.goto(f"{live_server.url}/admin/")
    phone.wait_for_url(re.compile(r".*/admin/login/.*"))
    for n in range(30):
        submit(phone, "admin", f"wrong-{n}")
    submit(phone, "admin", PASSWORD)
    assert "/admin/login/" in phone.url, "not let in with the right password"
    text = " ".join(phone.locator("main, body").first.inner_text().split())
    assert "登录失败次数过多" in text, text
    assert re.search(r"锁定至 \d{4}-\d{2}-\d{2} \d{2}:\d{2}", text), text
    assert "请本站管理员解锁" in text
    screenshot(phone, "signin-locked-phone")

    # Settings → 登录锁定 (Locked sign-ins) → 解锁 (Unlock), all by clicking.
    chief.goto(f"{live_server.url}/admin/")
    chief.get_by_role("button", name="设置").click()
    chief.get_by_role("link", name="登录锁定").click()
    chief.wait_for_url(re.compile(r".*/admin/sign-in-locks/$"))
    row = chief.locator("tr", has_text="admin").first
    assert "127.0.0.1" in row.inner_text()
    screenshot(chief, "signin-locks-desktop")
    chief.get_by_role("button", name="解锁 admin").click()
    chief.wait_for_url(re.compile(r".*/admin/sign-in-locks/$"))
    assert "admin 可以重新登录了" in chief.locator("body").inner_text()
    assert "没有被锁定的账号" in chief.locator("body").inner_text()

    phone.goto(f"{live_server.url}/admin/")
    submit(phone, "admin", PASSWORD)
    pass_second_factor(phone, "admin")
    phone.wait_for_url(re.compile(r".*/admin/$"))
