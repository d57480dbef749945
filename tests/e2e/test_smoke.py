"""Smoke test: the site opens in real Chromium on a phone, in Chinese, without errors."""

import pytest
from django.conf import settings

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_home_page_opens_on_a_phone_in_chinese(live_server, home_page, phone, screenshot):
    script_errors, failed_requests = [], []

    def record_failure(response):
        own = response.url.startswith(live_server.url) and not response.url.endswith("/favicon.ico")
        if own and response.status >= 400:
            failed_requests.append(f"{response.status} {response.url}")

    phone.on("pageerror", lambda error: script_errors.append(str(error)))
    phone.on("response", record_failure)

    response = phone.goto(live_server.url + "/")
    screenshot(phone, "smoke-home-phone")

    assert response is not None
    body = phone.inner_text("body")[:500]
    assert response.status == 200, f"GET / answered {response.status}: {body}"
    assert phone.locator("html").get_attribute("lang") == "zh-hans"
    assert settings.WAGTAIL_SITE_NAME in phone.title()
    assert failed_requests == [], "the page's own CSS, JS or images failed to load"
    assert script_errors == []
