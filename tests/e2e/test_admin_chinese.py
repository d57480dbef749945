"""The admin speaks Chinese to editors, reviewers and moderators, and English when asked.

Each role signs in at /admin/ and walks what it is shown (tests/e2e/admin_crawl.py: the main
menu's submenus, the dashboard's panels, listings, an item's and an update's edit views with
every tab and the save button's other actions, the image chooser, the feedback queue, the
monthly report, the import pages, a page awaiting review), and every run of Latin letters
outside proper names and the users' own data is reported with the page it is on.
Screenshots: test-results/screenshots/admin-zh-*.png.
"""

import re
from datetime import date

import pytest
from django.contrib.auth.models import User

from projects.choices import FeedbackKind
from projects.factories import (
    CategoryFactory,
    DepartmentFactory,
    DistrictFactory,
    ImageFactory,
    ProgressUpdatePageFactory,
    ProjectIndexPageFactory,
    ProjectPageFactory,
)
from projects.feedback import moderation
from projects.feedback.submission import store_feedback
from projects.models import (
    Category,
    Department,
    DepartmentMember,
    District,
    PortalImage,
    ProjectGalleryImage,
    ProjectPage,
)
from tests.conftest import make_user
from tests.e2e.admin_crawl import COLLECT_TEXT, crawl, open_dropdowns, untranslated
from tests.two_factor_support import pass_second_factor

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(home_page):
    """A small year as the demo has it: two items with photos, updates published and one
    waiting for review, residents' messages in several states, the three roles."""
    education = DepartmentFactory(slug="education-bureau", name="区教育局", name_en="Education")
    works = DepartmentFactory(slug="urban-works", name="区住建局", name_en="Housing and Works")
    schools = CategoryFactory(slug="education", name="教育", name_en="Education")
    parks = CategoryFactory(slug="parks", name="公园绿化", name_en="Parks and greenways")
    dawang = DistrictFactory(slug="dawang", name="大旺街道", name_en="Dawang")
    year = ProjectIndexPageFactory(parent=home_page, year=2022, status_date=date(2022, 10, 31))
    school = ProjectPageFactory(
        parent=year,
        number=1,
        title="育才学校新建工程",
        category=schools,
        department=education,
        district=dawang,
    )
    park = ProjectPageFactory(
        parent=year,
        number=2,
        title="将军山体育公园建设",
        category=parks,
        department=works,
        district=dawang,
    )
    for item in (school, park):
        for n in range(2):
            ProjectGalleryImage.objects.create(
                page=item, image=ImageFactory(title=f"{item.title}现场{n + 1}"), sort_order=n
            )
        ProgressUpdatePageFactory(
            parent=item, date=date(2022, 6, 30), progress=40, text="<p>主体结构施工中。</p>"
        )

    # Wagtail's account form asks for a name before it saves a language preference.
    editor = make_user("editor", "Editors", first_name="晓红", last_name="陈")
    DepartmentMember.objects.create(user=editor, department=education)
    make_user("reviewer", "Reviewers")
    moderator = make_user("moderator", "Feedback moderators")

    # An editor's update waiting for the reviewer.
    waiting = ProgressUpdatePageFactory(
        parent=school, date=date(2022, 10, 15), progress=65, text="<p>封顶。</p>", publish=False
    )
    waiting.save_revision(user=editor)
    waiting.get_workflow().start(waiting, editor)

    # Residents' messages: pending, answered and published, routed, rejected.
    posts = [
        (school, FeedbackKind.SUGGESTION, "建议在东门增设非机动车停放点。"),
        (school, FeedbackKind.QUESTION, "请问学校什么时候开始招生？"),
        (park, FeedbackKind.COMPLAINT, "晚上十点以后还在施工，噪音很大。"),
        (park, FeedbackKind.PRAISE, "新修的步道很平整，点赞！"),
    ]
    messages = [
        store_feedback(project=item, kind=kind, message=text, name="王女士", contact="13800001234")[
            0
        ]
        for item, kind, text in posts
    ]
    moderation.approve(messages[1], moderator)
    moderation.reply(messages[1], moderator, "预计2023年9月开学，招生简章届时公布。")
    moderation.route(messages[2], moderator, works)
    moderation.reject(messages[3], moderator, reason="重复留言")
    return {"school": school, "park": park, "waiting": waiting}


def users_own_data():
    """What users typed in Latin letters: account names, e-mail addresses, the reference
    lists' English names and slugs, items' English titles, photo titles."""
    values = set()
    for user in User.objects.all():
        values |= {user.username, user.email, user.get_full_name()}
    for model in (Category, Department, District):
        for name_en, slug in model.objects.values_list("name_en", "slug"):
            values |= {name_en, slug}
    values |= set(PortalImage.objects.values_list("title", flat=True))
    values |= set(ProjectPage.objects.values_list("title_en", flat=True))
    return values - {""}


def sign_in(page, live_server, username):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pw")
    page.press("input[name=password]", "Enter")
    pass_second_factor(page, username)
    page.wait_for_url(re.compile(r".*/admin/$"))


def image_chooser_text(page, live_server, item):
    """Open the item's edit view from the explorer and the image chooser from its photos."""
    page.goto(f"{live_server.url}/admin/pages/{item.get_parent().pk}/")
    page.get_by_role("link", name=item.title).first.click()
    page.wait_for_url(re.compile(rf".*/admin/pages/{item.pk}/edit/$"))
    for tab in page.locator("[role=tab]").all():
        tab.click()
        choose = page.locator("[data-chooser-action-choose]:visible")
        if choose.count():
            choose.first.click()
            modal = page.locator(".modal-dialog")
            modal.get_by_role("tab").first.wait_for()
            return page.evaluate(COLLECT_TEXT)
    raise AssertionError("no image chooser on the item's edit view")


def report(found):
    return "\n".join(f"{url}: {', '.join(runs)}" for url, runs in found.items())


ROLES = {
    # username: the pages (paths) the walk must have reached, given the world's ids
    "editor": lambda w: [
        f"/admin/pages/{w['school'].pk}/edit/",
        f"/admin/pages/{w['school'].get_children().first().pk}/edit/",
        f"/admin/pages/add/projects/progressupdatepage/{w['school'].pk}/",
        "/admin/images/",
        "/admin/editorial/import/items/",
        "/admin/editorial/report/",
        "/admin/routed-feedback/",
        "/admin/account/",
    ],
    "reviewer": lambda w: [
        f"/admin/pages/{w['waiting'].pk}/edit/",
        f"/admin/pages/{w['park'].pk}/edit/",
        "/admin/editorial/report/",
        "/admin/reports/workflow/",
    ],
    "moderator": lambda w: ["/admin/feedback/", "/admin/account/"],
}


@pytest.mark.parametrize("username", list(ROLES))
def test_admin_shows_no_english_in_chinese(live_server, world, desktop_page, screenshot, username):
    page = desktop_page
    sign_in(page, live_server, username)
    screenshot(page, f"admin-zh-{username}-dashboard", full_page=False)
    texts = crawl(page, f"{live_server.url}/admin/")
    visited = {url.removeprefix(live_server.url).split("?")[0] for url in texts}
    missing = [path for path in ROLES[username](world) if path not in visited]
    assert not missing, f"the walk did not reach {missing}; it saw {sorted(visited)}"
    if username == "editor":
        texts["image chooser"] = [image_chooser_text(page, live_server, world["school"])]
        screenshot(page, "admin-zh-image-chooser", full_page=False)
    found = untranslated(texts, users_own_data())
    assert not found, f"English on {len(found)} of {len(texts)} admin pages:\n{report(found)}"


def test_english_stays_switchable_in_the_admin(live_server, world, desktop_page):
    page = desktop_page
    sign_in(page, live_server, "editor")
    page.locator("#wagtail-sidebar").get_by_role("button", name=re.compile("晓红")).click()
    page.locator("#wagtail-sidebar a", has_text="帐号").click()
    page.get_by_label("首选语言").select_option("en")
    with page.expect_navigation():
        page.get_by_role("button", name="保存").click()
    assert page.locator("html").get_attribute("lang") == "en"

    page.locator("#wagtail-sidebar a[href='/admin/']").first.click()
    page.get_by_role("link", name=world["waiting"].title).first.click()
    page.wait_for_url(re.compile(rf".*/admin/pages/{world['waiting'].pk}/edit/$"))
    text = "\n".join([page.evaluate(COLLECT_TEXT), *open_dropdowns(page)])
    # Wagtail's own English, not the Chinese our catalogues (django, djangojs) and templates add.
    assert "Editing Progress update" in text
    assert "Actions" in text and "操作" not in text
    assert "Insert a block" in text and "插入内容块" not in text
