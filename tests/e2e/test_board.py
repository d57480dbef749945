"""A department officer prints an item's site board (工地公示牌): from the overview to the year,
the item and its "打印工地公示牌" link, then the browser's PDF on A4: exactly one page, both
QR codes on it; the board also reads on a phone. axe-core runs on the board.

Pictures: /tmp/board.pdf and, as printed, /tmp/board-print.png; /tmp/board.png (phone, 390px)
and /tmp/board-desktop.png (1366px).
"""

import re
from datetime import date
from decimal import Decimal

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from projects.factories import (
    DepartmentFactory,
    ProgressUpdatePageFactory,
    ProjectIndexPageFactory,
    ProjectPageFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PDF_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


@pytest.fixture
def item(home_page):
    year = ProjectIndexPageFactory(parent=home_page, year=2022, status_date=date(2022, 7, 1))
    item = ProjectPageFactory(
        parent=year,
        number=11,
        # A long name, as real ones are: it must still fit on the one page.
        title="将军山体育公园及周边慢行步道、口袋公园和公共停车场综合提升改造工程",
        department=DepartmentFactory(name="区住房和城乡建设局"),
        budget=Decimal("12800.50"),
        revised_budget=Decimal("13650.00"),
        planned_completion=date(2022, 10, 31),
        revised_completion=date(2022, 12, 28),
        delay_reason="地下管线迁改。",
    )
    ProgressUpdatePageFactory(parent=item, date=date(2022, 6, 20), progress=45)
    return item


def assert_accessible(page, name):
    results = Axe().run(page)
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], f"{name}: {serious}"


def test_the_board_prints_on_one_a4_page(live_server, item, desktop_page):
    page = desktop_page
    page.goto(live_server.url + "/")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="2022年").click()
    page.get_by_role("link", name=re.compile("将军山体育公园")).first.click()
    page.get_by_role("link", name="打印工地公示牌").click()
    expect(page).to_have_url(live_server.url + "/2022/11/board/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("将军山体育公园")
    expect(page.get_by_role("img", name="项目页面二维码")).to_be_visible()
    expect(page.get_by_role("img", name="留言表单二维码")).to_be_visible()
    assert_accessible(page, "board, desktop")
    page.screenshot(path="/tmp/board-desktop.png", full_page=True)

    page.emulate_media(media="print")
    # Nothing of the board is cut off by its one-page frame.
    assert page.locator("article.board").evaluate("b => b.scrollHeight <= b.clientHeight")
    pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
    with open("/tmp/board.pdf", "wb") as out:
        out.write(pdf)
    assert len(PDF_PAGE.findall(pdf)) == 1
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 px/inch, to look at
    page.screenshot(path="/tmp/board-print.png")
    # Both codes and the words around them made it into the printed page.
    for name in ("项目页面二维码", "留言表单二维码"):
        box = page.get_by_role("img", name=name).bounding_box()
        assert box["width"] > 200, box  # about 56 mm: scannable from a step or two away


def test_the_board_reads_on_a_phone(live_server, item, phone):
    phone.goto(live_server.url + "/2022/11/board/")
    expect(phone.get_by_role("heading", level=1)).to_contain_text("将军山体育公园")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(phone, "board, phone")
    phone.screenshot(path="/tmp/board.png", full_page=True)


def test_a_years_boards_print_one_page_each(live_server, item, desktop_page):
    ProjectPageFactory(parent=item.get_parent(), number=12, title="城南学校扩建")
    page = desktop_page
    page.goto(live_server.url + "/2022/")
    page.get_by_role("link", name="打印本年度工地公示牌").click()
    expect(page.locator("article.board")).to_have_count(2)
    assert_accessible(page, "year's boards")
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
    assert len(PDF_PAGE.findall(pdf)) == 2
