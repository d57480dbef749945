"""In Chromium: a reviewer goes from the dashboard to a submitted update and sees what it
changes for its item; an editor re-imports an item and reads old → new in the preview.
Screenshots at 1366×900 and 390×844."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from wagtail.models import Page

from projects.factories import ProgressUpdatePageFactory, ProjectPageFactory
from projects.models import Category, DepartmentMember, District, ProjectPage
from tests.e2e.test_editor_import import login, row, spreadsheet, world  # noqa: F401 (fixture)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def park(world):  # noqa: F811 (the fixture imported above)
    world.status_date = date(2024, 7, 2)  # item 11 is expected at 47 % then
    world.save_revision().publish()
    # As the district's list has it (the spreadsheet row `row(11, ...)` writes).
    item = ProjectPageFactory(
        parent=world,
        number=11,
        title="将军山体育公园",
        summary="将军山体育公园（含全民健身中心），惠及周边居民。",
        category=Category.objects.get(name="教育"),
        department=DepartmentMember.objects.get(user__username="editor").department,
        district=District.objects.get(name="大旺街道"),
        address="大旺大道8号",
        longitude=Decimal("112.87"),
        latitude=Decimal("23.29"),
        budget=Decimal("1500"),
        planned_start=date(2024, 2, 1),
        planned_completion=date(2024, 12, 20),
    )
    ProgressUpdatePageFactory(
        parent=item, date=date(2024, 5, 31), progress=30, invested=Decimal("800")
    )
    ProjectPage.objects.get(pk=item.pk).refresh_progress()
    return item


def submit_update(item, editor):
    """What the editor's "Submit for approval" does (tested in test_editorial_workflow)."""
    update = ProgressUpdatePageFactory(
        parent=item,
        date=date(2024, 6, 30),
        progress=45,
        invested=Decimal("1100"),
        text="<p>看台主体完工。</p>",
        publish=False,
    )
    update.save_revision(user=editor)
    Page.objects.get(pk=update.pk).specific.get_workflow().start(update, editor)
    return update


@pytest.mark.parametrize("screen", ["desktop_page", "phone"])
def test_reviewer_sees_what_an_update_changes(live_server, park, request, screen, screenshot):
    page = request.getfixturevalue(screen)
    submit_update(park, User.objects.get(username="editor"))
    login(page, live_server, "reviewer")

    # The update's own title is in the language it was written in (2024-06-30进展).
    name = re.compile(r"^No\. 11 将军山体育公园 · .*2024-06-30")
    screenshot(page, f"reviewer-dashboard-{screen}")
    page.get_by_role("link", name=name).first.click()
    page.wait_for_url(re.compile(r".*/admin/pages/\d+/edit/$"))

    effect = page.locator("[data-testid=update-effect]")
    text = " ".join(effect.inner_text().split())
    assert "What this update changes for item No. 11 将军山体育公园" in text
    assert "Progress 30% → 45%" in text
    assert "800.00 → 1,100.00" in text
    assert "Clearly behind → On schedule" in text
    assert effect.bounding_box()["y"] < page.viewport_size["height"], "seen without scrolling"
    screenshot(page, f"reviewer-update-effect-{screen}", full_page=False)


@pytest.mark.parametrize("screen", ["desktop_page", "phone"])
def test_editor_sees_old_and_new_values_of_a_changed_item(
    live_server, park, request, screen, screenshot
):
    page = request.getfixturevalue(screen)
    login(page, live_server, "editor")
    if screen == "phone":
        page.get_by_role("button", name="Toggle sidebar").click()
    page.get_by_role("link", name="Import & export").click()
    page.get_by_role("link", name="Import a year's list").click()
    page.select_option("select[name=year]", label="2024年民生实事")
    changed = row(11, "将军山体育公园（含全民健身中心）")
    page.set_input_files("input[name=file]", spreadsheet([changed]))
    page.get_by_role("button", name="Check the file").click()
    assert "1 changed" in page.locator(".import-summary").inner_text()
    changed_cells = page.locator("tr.is-update td.is-changed")
    assert changed_cells.count() == 1, "only the title changes"
    # "was" and "now" are for screen readers; sighted editors see strike-through → bold.
    assert " ".join(changed_cells.inner_text().split()) == (
        "was 将军山体育公园 → now 将军山体育公园（含全民健身中心）"
    )
    screenshot(page, f"editor-import-changed-row-{screen}", full_page=False)
    assert ProjectPage.objects.get(number=11).title == "将军山体育公园", "nothing saved yet"
