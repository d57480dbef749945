"""Real Chromium enforces the Content-Security-Policy and nothing breaks: a resident opens the
overview, a year's list, an item (its map scrolled into view) and the map page, and an editor
signs in to the admin, opens the dashboard, an item's edit view with each tab, a new progress
update and the images (Wagtail 8 writes inline scripts there: the admin's own policy allows
them); the browser reports no policy violation anywhere, and the maps still draw markers and
controls.

Screenshots: /tmp/csp-map.png and /tmp/csp-item.png (390×844), and test-results/screenshots/.
"""

import re
from datetime import date

import pytest
from django.conf import settings

from projects.demo.loader import DEMO_EDITOR_DEPARTMENTS, DemoLoader
from projects.models import ProjectPage

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# The browser's own report of each violation, recorded before any script of the page runs.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"} ` +
    `(${event.sourceFile}:${event.lineNumber}) ${event.sample}`
  );
});
"""


@pytest.fixture
def demo(home_page):
    DemoLoader(as_of=date(2022, 10, 31), photo_size=(240, 160)).run()


class ViolationLog:
    """Every CSP violation the page reports: console messages and DOM events."""

    def __init__(self, page):
        self.page = page
        self.console = []
        page.add_init_script(RECORD_VIOLATIONS)
        page.on("console", self.on_console)

    def on_console(self, message):
        text = message.text
        if "Content Security Policy" in text or "Content-Security-Policy" in text:
            self.console.append(f"{self.page.url}: {text}")

    def visit(self, url):
        response = self.page.goto(url)
        assert response is not None and response.status == 200, url
        assert "script-src 'self';" in response.headers["content-security-policy"] + ";" or (
            "/admin/" in url
        ), response.headers["content-security-policy"]
        return response

    def check(self):
        events = self.page.evaluate("window.__cspViolations || []")
        assert self.console == [], self.console
        assert events == [], f"{self.page.url}: {events}"


def test_the_public_pages_and_the_admin_run_under_the_policy(
    live_server, demo, phone, desktop_page, screenshot
):
    log = ViolationLog(phone)
    errors = []
    phone.on("pageerror", lambda error: errors.append(str(error)))

    log.visit(live_server.url + "/")
    assert phone.locator(".progress__fill").count(), "the overview shows no progress bars"
    # The bars keep their widths as classes: a bar at n% is drawn n% wide.
    bar = phone.locator(".progress__fill").first
    track = bar.locator("xpath=..")
    percent = int(re.search(r"pct-(\d+)", bar.get_attribute("class")).group(1))
    width, full = bar.bounding_box()["width"], track.bounding_box()["width"]
    assert abs(width - full * percent / 100) <= 2, (width, full, percent)
    log.check()

    log.visit(live_server.url + "/2022/")
    assert phone.locator(".item-list .item-card").count() > 3
    log.check()

    item = ProjectPage.objects.live().filter(latitude__isnull=False).order_by("path").first()
    assert item is not None, "the demo has no item on the map"
    log.visit(live_server.url + item.url)
    phone.locator("#item-map").scroll_into_view_if_needed()
    phone.locator("#item-map .leaflet-marker-icon").first.wait_for(state="visible")
    assert phone.locator("#item-map .leaflet-control-zoom-in").is_visible()
    phone.screenshot(path="/tmp/csp-item.png", full_page=False)
    screenshot(phone, "csp-item-phone")
    log.check()

    log.visit(live_server.url + "/search/?q=学校")
    log.check()

    log.visit(live_server.url + "/map/")
    phone.locator("#item-map .leaflet-marker-icon").first.wait_for(state="visible")
    assert phone.locator("#item-map .leaflet-marker-icon").count() > 1
    assert phone.locator("#item-map .leaflet-control-zoom-in").is_visible()
    marker = phone.locator("#item-map .leaflet-marker-icon").first
    marker.focus()
    marker.press("Enter")  # markers are keyboard-focusable; Enter opens the popup
    phone.locator(".leaflet-popup-content a").first.wait_for(state="visible")
    phone.screenshot(path="/tmp/csp-map.png", full_page=False)
    screenshot(phone, "csp-map-phone")
    phone.locator("#item-map .leaflet-control-zoom-in").click()  # tiles replaced, none inline
    phone.wait_for_timeout(500)
    log.check()

    assert errors == []

    # An editor (a second factor is optional for editors) signs in at her desk and works.
    desk = desktop_page
    log = ViolationLog(desk)
    desk.on("pageerror", lambda error: errors.append(str(error)))
    log.visit(live_server.url + "/admin/login/")
    desk.fill("input[name=username]", "editor")
    desk.fill("input[name=password]", settings.DEMO_PASSWORD)
    desk.press("input[name=password]", "Enter")
    desk.wait_for_url(re.compile(r".*/admin/$"))
    desk.get_by_role("main").wait_for()
    log.check()
    own = (
        ProjectPage.objects.filter(department__slug__in=DEMO_EDITOR_DEPARTMENTS)
        .order_by("path")
        .first()
    )
    log.visit(f"{live_server.url}/admin/pages/{own.pk}/edit/")
    desk.locator("form#page-edit-form").wait_for()
    for tab in desk.locator("[role=tab]").all():
        tab.click()
    log.check()
    # A new progress update: its date field is set up by an inline script of Wagtail's.
    log.visit(f"{live_server.url}/admin/pages/add/projects/progressupdatepage/{own.pk}/")
    desk.locator("form").first.wait_for()
    log.check()
    log.visit(f"{live_server.url}/admin/images/")
    desk.get_by_role("main").wait_for()
    screenshot(desk, "csp-admin-edit-desktop")
    log.check()
    assert errors == []
