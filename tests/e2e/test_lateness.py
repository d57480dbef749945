"""An editor's update that leaves an item behind must say why; residents read it at the top."""

import re
from datetime import date

from playwright.sync_api import expect

from projects.factories import ProgressUpdatePageFactory, ProjectPageFactory
from projects.models import DepartmentMember, ProgressUpdatePage
from tests.e2e.test_editor_import import login, world  # noqa: F401 (fixture)


def test_editor_must_explain_an_update_that_leaves_the_item_red(
    live_server,
    world,  # noqa: F811
    desktop_page,
    screenshot,
):
    page = desktop_page
    item = ProjectPageFactory(
        parent=world,
        number=8,
        title="大沙消防站建设",
        department=DepartmentMember.objects.get(user__username="editor").department,
        planned_start=date(2024, 1, 1),
        planned_completion=date(2024, 12, 31),
    )
    ProgressUpdatePageFactory(parent=item, date=date(2024, 2, 1), progress=5)
    login(page, live_server, "editor")
    # The dashboard lists the editor's items that have not been updated for a while.
    row = page.locator("tr", has_text="大沙消防站建设").first
    row.get_by_role("link", name="Add progress update").click()
    page.wait_for_url(re.compile(r".*/add/projects/progressupdatepage/\d+/$"))
    page.fill("input[name=date]", "2024-06-28")
    page.fill("input[name=progress]", "12")  # 49 % due by then
    editor = page.locator("[data-contentpath=text] [contenteditable=true]")
    editor.click()
    editor.press_sequentially("基础施工中。")
    page.locator("input[name=progress]").click()  # leave the editor so Draftail saves
    # Draftail has saved into its hidden input (a locator wait: the admin's CSP allows no eval).
    expect(page.locator("input[name=text]")).to_have_value(re.compile("基础"))
    page.locator("footer [data-w-dropdown-target=toggle]").first.click()
    page.get_by_role("button", name=re.compile("Submit")).first.click()

    error = page.locator(
        "[data-contentpath=lag_reason] .error-message, "
        "[data-contentpath=lag_reason] [data-field-errors]"
    )
    error.first.wait_for()
    assert "Seriously behind" in error.first.inner_text()
    assert "12% done where the schedule expects 49%" in error.first.inner_text()
    error.first.scroll_into_view_if_needed()
    screenshot(page, "admin-update-needs-a-reason", full_page=False)
    # Wagtail's autosave may have kept a draft; nothing was submitted or published.
    refused = ProgressUpdatePage.objects.child_of(item).filter(date=date(2024, 6, 28))
    assert not any(update.live or update.workflow_in_progress for update in refused)

    page.fill(
        "textarea[name=lag_reason]",
        "征地拆迁未完成，北侧地块尚未交付；街道已成立专班，7月底前交地。",
    )
    page.locator("footer [data-w-dropdown-target=toggle]").first.click()
    page.get_by_role("button", name=re.compile("Submit")).first.click()
    expect(page.locator(".messages")).to_contain_text("submitted")
    # Wagtail's autosave may also have kept a draft of the refused version: one was submitted.
    dated = ProgressUpdatePage.objects.child_of(item).filter(date=date(2024, 6, 28))
    submitted = [update for update in dated if update.workflow_in_progress]
    assert len(submitted) == 1
    assert submitted[0].lag_reason.startswith("征地拆迁未完成")
