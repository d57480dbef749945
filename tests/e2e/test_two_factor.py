"""In Chromium: a feedback moderator signs in at /admin/ with the right password and is not let
in until two-step verification is set up (the secret read off the page, the code computed as an
authenticator app does); signed out, the password alone is not enough either: a wrong code is
refused, the current one lets in."""

import re
import time

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import make_user
from tests.two_factor_support import code_for_secret, next_code

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = "/tmp/2fa-{}.png"


def sign_in_with_password(page, live_server):
    page.goto(f"{live_server.url}/admin/")
    page.wait_for_url(re.compile(r".*/admin/login/.*"))
    page.fill("input[name=username]", "moderator")
    page.fill("input[name=password]", "pw")
    page.press("input[name=password]", "Enter")


def text(page):
    return " ".join(page.locator("body").inner_text().split())


@pytest.mark.parametrize("browser_page", ["phone", "desktop_page"])
def test_a_moderator_sets_up_two_step_verification_then_needs_the_code(
    live_server, home_page, browser_page, request
):
    page = request.getfixturevalue(browser_page)
    size = "390" if browser_page == "phone" else "1366"
    make_user("moderator", "Feedback moderators")

    sign_in_with_password(page, live_server)
    page.wait_for_url(re.compile(r".*/admin/two-step/set-up/.*"))
    assert "设置两步验证" in text(page)
    assert "查看居民的联系方式" in text(page)
    page.goto(f"{live_server.url}/admin/feedback/")
    assert "/admin/two-step/set-up/" in page.url, "no other admin page before it is set up"
    qr = page.get_by_role("img", name="供身份验证器应用扫描的二维码")
    assert qr.evaluate("img => img.complete && img.naturalWidth > 100")
    page.screenshot(path=SHOTS.format(f"enrol-{size}"), full_page=True)

    page.fill("input[name=code]", "000000")
    page.get_by_role("button", name="开启两步验证").click()
    page.get_by_text("验证码不匹配").wait_for()
    secret = page.locator("#totp-secret").inner_text()
    page.fill("input[name=code]", code_for_secret(secret))
    page.get_by_role("button", name="开启两步验证").click()
    page.wait_for_url(re.compile(r".*/admin/two-step/backup-codes/.*"))
    codes = re.findall(r"\b[0-9a-f]{8}\b", page.locator("main").inner_text())
    assert len(codes) == 10
    page.screenshot(path=SHOTS.format(f"backup-codes-{size}"), full_page=True)
    page.get_by_role("link", name="已经保存，继续").click()
    page.wait_for_url(re.compile(r".*/admin/feedback/$"))  # where they were going
    page.goto(f"{live_server.url}/admin/")
    assert page.url.endswith("/admin/")

    # Another day (a new browser session): the password alone is not enough.
    page.context.clear_cookies()
    sign_in_with_password(page, live_server)
    page.wait_for_url(re.compile(r".*/admin/two-step/\?.*"))
    assert "两步验证" in text(page)
    page.screenshot(path=SHOTS.format(f"code-{size}"), full_page=True)
    device_row = TOTPDevice.objects.get(user__username="moderator")
    page.fill("input[name=code]", "999999" if next_code(device_row) != "999999" else "888888")
    page.get_by_role("button", name="验证").click()
    page.get_by_text("验证码不正确").wait_for()
    page.screenshot(path=SHOTS.format(f"code-wrong-{size}"), full_page=True)
    time.sleep(1.1)  # django-otp pauses a device 1 s after a wrong code
    page.fill("input[name=code]", next_code(device_row))
    page.get_by_role("button", name="验证").click()
    page.wait_for_url(re.compile(r".*/admin/$"))
