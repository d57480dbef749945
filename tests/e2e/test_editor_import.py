"""In Chromium: an editor imports a year's list with one bad row, reads the error, fixes it and
submits; a reviewer approves; the public year page lists the new items. Also the monthly report.

The groups, their page permissions and the approval workflow are the migrations' own
(`migrated_roles` checks them rather than building them again).
"""

import csv
import io
import re
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect
from wagtail.models import (
    GroupApprovalTask,
    GroupPagePermission,
    Page,
)

from projects.editorial.importers import ITEM_COLUMNS
from projects.factories import (
    CategoryFactory,
    DepartmentFactory,
    DistrictFactory,
    ProgressUpdatePageFactory,
    ProjectIndexPageFactory,
    ProjectPageFactory,
)
from projects.models import DepartmentMember, ProgressUpdatePage, ProjectPage
from tests.conftest import make_user
from tests.two_factor_support import pass_second_factor

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "e2e-password-1"


def migrated_roles():
    """Editors and Reviewers as the migrations leave them (tests/e2e/conftest.py restores the
    migrated database before each test): nothing is rebuilt here, so a migration that stopped
    giving the groups their page permissions or the reviewers their approval step fails."""
    root = Page.get_first_root_node()
    editors = Group.objects.get(name="Editors")
    reviewers = Group.objects.get(name="Reviewers")
    for group, actions in ((editors, {"add", "change"}), (reviewers, {"add", "change", "publish"})):
        granted = set(
            GroupPagePermission.objects.filter(group=group, page=root).values_list(
                "permission__codename", flat=True
            )
        )
        assert {f"{action}_page" for action in actions} <= granted, (group.name, granted)
    assert reviewers.permissions.filter(codename="edit_all_departments").exists()
    workflow = root.get_workflow()
    assert workflow is not None and workflow.name == "审核发布", workflow
    approvers = {
        group.name
        for task in workflow.tasks.specific()
        if isinstance(task, GroupApprovalTask)
        for group in task.groups.all()
    }
    assert approvers == {"Reviewers"}, approvers


def login(page, live_server, username):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    pass_second_factor(page, username)
    page.wait_for_url(re.compile(r".*/admin/$"))


def spreadsheet(rows):
    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow([chinese for _name, chinese in ITEM_COLUMNS])
    writer.writerows(rows)
    return {
        "name": "2024年民生实事.csv",
        "mimeType": "text/csv",
        "buffer": output.getvalue().encode(),
    }


def row(number, title, category="教育"):
    return [
        number,
        title,
        category,
        "区教育局",
        "大旺街道",
        "大旺大道8号",
        "112.87",
        "23.29",
        "1500",
        "2024-02-01",
        "2024-12-20",
        f"{title}，惠及周边居民。",
    ]


@pytest.fixture
def world(home_page):
    migrated_roles()
    CategoryFactory(slug="education", name="教育", name_en="Education")
    CategoryFactory(slug="parks", name="公园绿化", name_en="Parks")
    education = DepartmentFactory(slug="education-bureau", name="区教育局")
    DistrictFactory(slug="dawang", name="大旺街道")
    year_page = ProjectIndexPageFactory(parent=home_page, year=2024, title="2024年民生实事")
    make_user("editor", "Editors", departments=[education], language="en", password=PASSWORD)
    make_user("reviewer", "Reviewers", language="en", password=PASSWORD)
    return year_page


def test_editor_imports_fixes_and_submits_reviewer_approves(
    live_server, world, desktop_page, screenshot
):
    page = desktop_page
    login(page, live_server, "editor")
    page.goto(f"{live_server.url}/admin/editorial/import/items/")
    page.select_option("select[name=year]", label="2024年民生实事")

    bad = [row(1, "第二中学新建工程"), row(2, "滨江碧道二期", category="水利"), row(3, "长者饭堂")]
    page.set_input_files("input[name=file]", spreadsheet(bad))
    page.get_by_role("button", name="Check the file").click()
    alert = page.locator(".import-summary--error")
    assert "Rows with problems: 1 of 3" in alert.inner_text()
    error_cell = page.locator("td.has-error")
    assert error_cell.count() == 1
    assert "Unknown category “水利”." in error_cell.inner_text()
    assert page.locator("[data-testid=import-save]").count() == 0
    screenshot(page, "editor-import-preview-error")
    assert not ProjectPage.objects.exists()

    fixed = [
        row(1, "第二中学新建工程"),
        row(2, "滨江碧道二期", category="公园绿化"),
        row(3, "长者饭堂"),
    ]
    page.set_input_files("input[name=file]", spreadsheet(fixed))
    page.get_by_role("button", name="Check the file").click()
    assert "3 new items" in page.locator(".import-summary").inner_text()
    screenshot(page, "editor-import-preview-clean")
    page.locator("[data-testid=import-save]").click()
    page.wait_for_url(re.compile(rf".*/admin/pages/{world.pk}/$"))
    assert "3 items created" in page.inner_text("body")

    items = ProjectPage.objects.child_of(world)
    assert items.count() == 3
    assert not items.live().exists()
    assert page.context.request.get(f"{live_server.url}/2024/1/").status == 404

    login(page, live_server, "reviewer")
    approve = page.locator("button[data-workflow-action-url*='/approve/']:not([data-launch-modal])")
    for remaining in (3, 2, 1):
        assert approve.count() == remaining
        table_row = page.locator("tbody tr").filter(has=approve).first
        table_row.get_by_role("button", name="Actions").click()
        with page.expect_navigation():
            table_row.locator(
                "button[data-workflow-action-url*='/approve/']:not([data-launch-modal])"
            ).click()
    assert items.live().count() == 3

    public = page.context.new_page()
    response = public.goto(f"{live_server.url}/2024/")
    assert response.status == 200
    text = public.inner_text("main")
    for title in ("第二中学新建工程", "滨江碧道二期", "长者饭堂"):
        assert title in text
    assert public.goto(f"{live_server.url}/2024/2/").status == 200
    public.close()


def test_monthly_report_in_the_browser(live_server, world, desktop_page, screenshot):
    departments = [
        DepartmentFactory(slug="education-bureau", name="区教育局"),
        DepartmentFactory(slug="urban-works", name="区住建局"),
        DepartmentFactory(slug="health", name="区卫健局"),
    ]
    category = CategoryFactory(slug="education")
    plan = [
        # department, budget, start, completion, updates (day, percent, invested), delay reason
        (0, 1200, date(2024, 1, 1), date(2024, 12, 31), [(date(2024, 6, 20), 55, 600)], ""),
        (0, 300, date(2024, 1, 1), date(2024, 5, 31), [(date(2024, 5, 28), 100, 300)], ""),
        (
            1,
            800,
            date(2024, 1, 1),
            date(2024, 12, 31),
            [(date(2024, 4, 1), 20, 100)],
            "征地拆迁尚未完成。",
        ),
        (
            1,
            450,
            date(2024, 2, 1),
            date(2024, 6, 15),
            [(date(2024, 5, 1), 70, 300)],
            "设计方案调整。",
        ),
        (2, 600, date(2024, 1, 1), date(2024, 12, 31), [(date(2024, 6, 25), 44, 250)], ""),
        (2, 150, date(2024, 8, 1), date(2024, 12, 31), [], ""),
    ]
    for number, (dept, budget, start, end, updates, reason) in enumerate(plan, start=1):
        item = ProjectPageFactory(
            parent=world,
            number=number,
            title=[
                "第二中学新建工程",
                "社区长者饭堂",
                "滨江碧道二期",
                "老旧小区改造",
                "社区卫生服务站",
                "口袋公园",
            ][number - 1],
            department=departments[dept],
            category=category,
            budget=Decimal(budget),
            planned_start=start,
            planned_completion=end,
            delay_reason=reason,
        )
        for day, percent, invested in updates:
            ProgressUpdatePageFactory(
                parent=item, date=day, progress=percent, invested=Decimal(invested)
            )

    page = desktop_page
    login(page, live_server, "reviewer")
    page.goto(f"{live_server.url}/admin/editorial/report/?year=2024&month=6")
    # As of 25 June (the latest update: the year has no set date), when a year-long item is
    # expected at 48%: No. 2 is finished (blue); No. 1 (55%), No. 5 (44%, 4 points behind, under
    # the yellow threshold of 5) and No. 6 (not due to start) are on schedule; No. 3 (20%) and
    # No. 4 (past its completion date) are behind.
    assert "figures as of 2024-06-25" in page.locator("h2", has_text="month 6").inner_text()
    figures = [
        (
            figure.inner_text().replace(figure.locator("strong").inner_text(), "", 1).strip(),
            int(figure.locator("strong").inner_text()),
        )
        for figure in page.locator("[data-testid=report-counts] .report-figure").all()
    ]
    assert [(label.split(" (")[0], count) for label, count in figures] == [
        ("Items", 6),
        ("Completed", 1),
        ("On schedule", 3),
        ("Behind schedule", 2),
    ], figures
    flagged = page.locator("[data-testid=report-flagged]").inner_text()
    assert "征地拆迁尚未完成。" in flagged and "老旧小区改造" in flagged
    screenshot(page, "monthly-report")
    page.locator("[data-testid=report-departments] a", has_text="Behind").click()
    first = page.locator("[data-testid=report-departments] tbody tr").first.inner_text()
    assert first.startswith("区住建局")
    screenshot(page, "monthly-report-departments-by-behind")
    page.emulate_media(media="print")
    screenshot(page, "monthly-report-print")
    assert page.locator("#wagtail-sidebar").is_hidden()


def test_editor_adds_a_progress_update_from_a_phone(live_server, world, phone, screenshot):
    item = ProjectPageFactory(
        parent=world,
        number=7,
        title="社区长者饭堂",
        department=DepartmentMember.objects.get(user__username="editor").department,
        category=CategoryFactory(slug="education"),
        planned_start=date(2024, 1, 1),
        planned_completion=date(2024, 12, 31),
    )
    login(phone, live_server, "editor")
    phone.goto(f"{live_server.url}/admin/pages/{world.pk}/")
    phone.get_by_role("link", name="Add progress update").first.click()
    phone.wait_for_url(re.compile(r".*/add/projects/progressupdatepage/\d+/$"))
    phone.fill("input[name=date]", "2024-06-28")
    phone.fill("input[name=progress]", "45")
    editor = phone.locator("[data-contentpath=text] [contenteditable=true]")
    editor.click()
    editor.press_sequentially("主体结构封顶，开始室内装修。")
    assert "主体结构封顶" in editor.inner_text()
    phone.locator("input[name=progress]").click()  # leave the editor so Draftail saves
    # Draftail has saved into its hidden input (a locator wait: the admin's CSP allows no eval).
    expect(phone.locator("input[name=text]")).to_have_value(re.compile("主体结构封顶"))
    screenshot(phone, "editor-add-update-phone")
    phone.locator("footer [data-w-dropdown-target=toggle], footer .dropdown-toggle").first.click()
    phone.get_by_role("button", name=re.compile("Submit")).first.click()
    phone.wait_for_url(re.compile(r".*/admin/pages/\d+/(edit/)?$"))
    screenshot(phone, "editor-add-update-phone-submitted")
    update = ProgressUpdatePage.objects.child_of(item).get()
    assert update.progress == 45
    assert update.workflow_in_progress
    assert ProjectPage.objects.get(pk=item.pk).progress == 0
