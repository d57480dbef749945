"""In Chromium, in Chinese: an editor imports the list their district office sent (a title
row, a two-row header in the office's words, budgets like 3,200 and 1,500元, dates in several
forms, a 合计 and a 填表人 row, a second sheet 说明), checks the columns the portal found,
changes one, picks the suggested department for a name the portal does not know, and saves;
a reviewer approves the whole import from the dashboard and the public year list shows it.
The preview is photographed on a desktop and on a phone (/tmp/import-*.png)."""

import re
from decimal import Decimal

import pytest

from projects.factories import (
    CategoryFactory,
    DepartmentFactory,
    DistrictFactory,
    ProjectIndexPageFactory,
)
from projects.models import ProjectPage
from tests.conftest import make_user
from tests.e2e.test_editor_import import PASSWORD, login, migrated_roles
from tests.editorial.office_sheet import office_rows, office_workbook

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(home_page):
    migrated_roles()
    CategoryFactory(slug="education", name="教育", name_en="Education")
    CategoryFactory(slug="parks", name="公园绿化", name_en="Parks")
    education = DepartmentFactory(slug="education-bureau", name="区教育局")
    DepartmentFactory(slug="urban-works", name="区住建局")
    DistrictFactory(slug="dawang", name="大旺街道")
    year_page = ProjectIndexPageFactory(parent=home_page, year=2023, title="2023年民生实事")
    make_user("editor", "Editors", departments=[education], language="zh-hans", password=PASSWORD)
    make_user("reviewer", "Reviewers", language="zh-hans", password=PASSWORD)
    return year_page


def office_file():
    """The office's sheet for the education bureau's editor: every row theirs, two rows with
    the bureau written as the office writes it (高新区教育局)."""
    rows = office_rows()
    for row in rows:
        row["cells"][3] = "区教育局"
    for number in (3, 7):
        rows[number - 1]["cells"][3] = "高新区教育局"
    return {
        "name": "XX高新区2023年民生实事项目计划表.xlsx",
        "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "buffer": office_workbook(rows),
    }


def open_import_page(page, live_server, *, phone=False):
    login(page, live_server, "editor")
    if phone:
        page.get_by_role("button", name="切换侧边栏").click()
    page.get_by_role("link", name="导入导出").click()
    page.get_by_role("link", name="导入年度清单").click()
    page.wait_for_url(re.compile(r".*/admin/editorial/import/items/$"))
    page.select_option("select[name=year]", label="2023年民生实事")
    page.set_input_files("input[name=file]", office_file())
    page.get_by_role("button", name="检查文件").click()


def test_editor_imports_the_office_sheet(live_server, world, desktop_page, phone, screenshot):
    page = desktop_page
    open_import_page(page, live_server)

    mapping = page.locator("[data-testid=import-mapping]")
    assert "表头在第 4–5 行" in page.inner_text("main")
    rows = mapping.locator("tbody tr")
    assert rows.count() == 11
    detected = {
        rows.nth(i).locator("td label").inner_text(): rows.nth(i)
        .locator("select option:checked")
        .inner_text()
        for i in range(11)
    }
    assert detected["牵头单位"] == "责任单位"
    assert detected["所在街道"] == "片区/街道"
    assert detected["时间 / 计划开工"] == "计划开工日期"
    assert detected["计划投资（万元）"] == "计划投资（万元）"
    assert detected["备注"] == "不导入"
    notes = page.locator("[data-testid=import-notes]").inner_text()
    assert "1,500元" in notes and "0.15" in notes
    unknowns = page.locator("[data-testid=import-unknowns]")
    assert "高新区教育局" in unknowns.inner_text()
    assert "是否指“区教育局”" in unknowns.inner_text()
    assert page.locator("[data-testid=import-save]").count() == 0, "unknown names block saving"
    page.set_viewport_size({"width": 1366, "height": 900})
    page.screenshot(path="/tmp/import-preview-desktop.png", full_page=True)
    screenshot(page, "office-import-preview")
    unknowns.scroll_into_view_if_needed()
    page.screenshot(path="/tmp/import-preview-desktop-names.png")

    # On a phone the preview is usable: the mapping's selects within the screen's width.
    open_import_page(phone, live_server, phone=True)
    first_select = phone.locator("[data-testid=import-mapping] select").first
    first_select.scroll_into_view_if_needed()
    box = first_select.bounding_box()
    assert box is not None and box["width"] > 40
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390, box
    phone.screenshot(path="/tmp/import-preview-phone.png")
    names = phone.locator("[data-testid=import-unknowns] select")
    names.scroll_into_view_if_needed()
    box = names.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390, box
    phone.screenshot(path="/tmp/import-preview-phone-names.png")
    screenshot(phone, "office-import-preview-phone")

    # The editor keeps the address out of this import and picks the suggested department.
    page.select_option("select[name=col-5]", label="不导入")
    page.locator("[data-testid=import-unknowns] select").select_option(label="区教育局")
    page.get_by_role("button", name="按所选重新检查").click()
    summary = page.locator(".import-summary").inner_text()
    assert "20" in summary, summary
    assert page.locator("select[name=col-5] option:checked").inner_text() == "不导入"
    page.screenshot(path="/tmp/import-preview-clean-desktop.png", full_page=True)
    assert not ProjectPage.objects.exists()

    page.locator("[data-testid=import-save]").click()
    page.wait_for_url(re.compile(rf".*/admin/pages/{world.pk}/$"))
    body = page.inner_text("body")
    assert "民生实事第1项" in body and "民生实事第7项" in body
    items = ProjectPage.objects.child_of(world)
    assert items.count() == 20
    assert {item.department.name for item in items} == {"区教育局"}
    assert not items.exclude(address="").exists()
    assert items.get(number=4).budget == Decimal("0.15")
    assert not items.live().exists()

    # A reviewer approves the whole import from the dashboard in one action.
    login(page, live_server, "reviewer")
    panel = page.locator("[data-testid=imports-awaiting-review]")
    assert "2023年民生实事" in panel.inner_text()
    with page.expect_navigation():
        panel.get_by_role("button", name="全部批准并发布（20 个页面）").click()
    assert "已批准本次导入的 20 个页面" in page.inner_text("body")
    assert items.live().count() == 20

    public = page.context.new_page()
    assert public.goto(f"{live_server.url}/2023/").status == 200
    # textContent, not innerText: cards far below the screen are not rendered yet
    # (content-visibility: auto), and innerText leaves out what is not rendered.
    text = public.text_content("main")
    assert "20项" in text
    for number in (1, 7, 15, 20):  # the first page of the list
        assert f"民生实事第{number}项" in text
    public.close()
