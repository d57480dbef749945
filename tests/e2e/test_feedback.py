"""The feedback loop end to end in real Chromium, reached only by clicking and typing.

A resident opens an item from the overview on a phone and leaves a message with a GPS-tagged
photo; a moderator signs in at /admin/, opens it from the queue by its row link, answers and
routes it; the department's editor answers from their routed list; the resident follows the
tracking code from the footer box and reads the answer on the status page (and the item page
once published). A complaint that is never published still gets an answer the resident reads.
Also: a mistyped code, the copy button, and no EXIF in any stored photo or rendition.
Screenshots: test-results/screenshots/feedback-*.png.
"""

import re
from datetime import date
from io import BytesIO

import pytest
from wagtail.models import ModelLogEntry

from projects.factories import ProjectIndexPageFactory, ProjectPageFactory
from projects.feedback.privacy import has_metadata
from projects.models import DepartmentMember, Feedback, PortalRendition
from tests.conftest import make_user
from tests.e2e.conftest import DESKTOP, TIMEOUT_MS
from tests.feedback_support import jpeg_with_gps
from tests.two_factor_support import pass_second_factor

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

MESSAGE = "公园东门的人行道砖松动了，老人经过容易绊倒，建议尽快修补。"
COMPLAINT = "东门保安态度恶劣，还骂人，他叫张某某，电话13900001111，请处理。"
INTERIM = "您的留言已转交责任单位办理，请留意答复。"
ANSWER = "已安排施工单位于本周五前完成修补，感谢您的监督。"
COMPLAINT_ANSWER = "经核查，已对相关保安人员批评教育并调整岗位，感谢您的监督。"


@pytest.fixture
def item(home_page):
    year = ProjectIndexPageFactory(parent=home_page, year=2022, status_date=date(2022, 7, 1))
    return ProjectPageFactory(parent=year, number=37, title="将军山体育公园建设")


@pytest.fixture
def staff(item):
    """The moderator, and an editor of the item's department (as an administrator sets up)."""
    make_user("moderator", "Feedback moderators")
    editor = make_user("dept_editor", "Editors")
    DepartmentMember.objects.create(user=editor, department=item.department)


@pytest.fixture
def admin_as(browser, browser_context_args, live_server):
    """Sign in at /admin/ in a fresh desktop browser, as a person would."""
    contexts = []

    def sign_in(username):
        context = browser.new_context(**{**browser_context_args, **DESKTOP})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(f"{live_server.url}/admin/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", "pw")
        page.locator("form button[type=submit]").click()
        pass_second_factor(page, username)
        page.wait_for_url(re.compile(r"/admin/$"))
        return page

    yield sign_in
    for context in contexts:
        context.close()


def open_item_from_overview(phone, live_server, item):
    phone.goto(f"{live_server.url}/")
    phone.locator(".site-nav").get_by_role("link", name="2022年").click()
    phone.locator(".item-card").filter(has_text=item.title).get_by_role("link").first.click()
    phone.wait_for_url(re.compile(rf"{item.url}$"))


def leave_message(phone, kind, text, photo=None, contact=""):
    form = phone.locator("form.fb-form")
    form.scroll_into_view_if_needed()
    phone.check(f"input[name=kind][value={kind}]")
    phone.fill("#id_message", text)
    if photo:
        phone.set_input_files(
            "#id_photos",
            files=[{"name": "IMG_2041.jpg", "mimeType": "image/jpeg", "buffer": photo}],
        )
    if contact:
        phone.fill("#id_contact", contact)
    phone.check("#id_consent")
    form.locator("button[type=submit]").click()
    phone.wait_for_url(re.compile(r"/feedback/[0-9A-Z]{16}/\?new=1$"))
    return phone.locator(".fb-code code").inner_text().strip()


def open_from_queue(admin, text):
    """Dashboard → pending messages → the message's own row link."""
    admin.locator("[data-feedback-panel]").get_by_role("link", name=re.compile("待审核")).click()
    admin.wait_for_url(re.compile(r"/admin/feedback/\?status=pending$"))
    row = admin.locator("tbody tr").filter(has_text=text[:20])
    row.locator("td.title a").first.click()
    admin.wait_for_url(re.compile(r"/admin/feedback/edit/\d+/\?next="))


def answer_from_routed_list(admin, text, answer, screenshot=None):
    admin.locator("[data-feedback-panel]").get_by_role(
        "link", name=re.compile("待本单位答复")
    ).click()
    admin.wait_for_url(re.compile(r"/admin/routed-feedback/"))
    admin.locator("tbody tr").filter(has_text=text[:20]).locator("td.title a").first.click()
    admin.wait_for_url(re.compile(r"/admin/routed-feedback/edit/\d+/"))
    if screenshot:
        screenshot(admin, "feedback-admin-department-answer")
    # The form says who will read the answer.
    assert "留言人即可凭查询码在查询页面看到您的答复" in admin.locator("main").inner_text()
    admin.fill("textarea[name=reply]", answer)
    admin.locator("button[type=submit]").filter(has_text="保存").first.click()
    admin.wait_for_url(re.compile(r"/admin/routed-feedback/(\?.*)?$"))


def follow_code_from_footer(phone, live_server, code):
    phone.goto(f"{live_server.url}/")
    box = phone.locator("footer form.fb-track")
    box.scroll_into_view_if_needed()
    box.locator("input[name=code]").fill(code.lower())  # typed by hand, in lower case
    box.get_by_role("button", name="查询").click()
    phone.wait_for_url(re.compile(rf"/feedback/{code}/$"))


def test_message_answered_by_the_department_reaches_the_resident(
    live_server, item, staff, phone, admin_as, screenshot
):
    # -- the resident, on a phone, from the overview --------------------------------------
    open_item_from_overview(phone, live_server, item)
    code = leave_message(phone, "suggestion", MESSAGE, photo=jpeg_with_gps(), contact="13812345678")
    assert re.fullmatch(r"[0-9A-Z]{16}", code)
    assert phone.locator(".fb-status--pending").is_visible()
    assert MESSAGE in phone.locator(".fb-own").inner_text()  # their own words while pending
    own_photo = phone.locator(".fb-own img").first
    own_photo.scroll_into_view_if_needed()
    phone.wait_for_function(
        "() => [...document.querySelectorAll('.fb-own img')]"
        ".every(img => img.complete && img.naturalWidth > 0)"
    )
    assert "13812345678" not in phone.content()
    phone.evaluate("window.scrollTo(0, 0)")
    screenshot(phone, "feedback-status-pending-phone")

    feedback = Feedback.objects.get(tracking_code=code)
    photo = feedback.photos.get()
    with photo.file.open("rb") as handle:
        assert has_metadata(handle) == []

    # -- the moderator: from the queue, answers and routes ---------------------------------
    admin = admin_as("moderator")
    open_from_queue(admin, MESSAGE)
    assert MESSAGE in admin.content()
    assert "13812345678" not in admin.content()
    routed = admin.locator("select[name=routed_to]")
    assert routed.locator("option:checked").inner_text().startswith(item.department.name)
    assert routed.locator("option").count() >= 2  # every department in one plain list
    screenshot(admin, "feedback-admin-edit", full_page=False)
    admin.locator("[data-reveal-contact]").click()  # the contact is behind a logged button
    assert admin.locator("[data-contact]").inner_text() == "13812345678"
    assert ModelLogEntry.objects.filter(
        action="projects.feedback.reveal_contact", object_id=str(feedback.pk)
    ).exists()
    admin.get_by_role("link", name="返回留言").click()
    admin.wait_for_url(re.compile(r"/admin/feedback/edit/\d+/\?next="))
    admin.select_option("select[name=status]", "published")
    admin.fill("textarea[name=reply]", INTERIM)
    admin.locator("button.action-save").first.click()
    admin.wait_for_url(re.compile(r"/admin/feedback/\?status=pending$"))  # the filter kept
    feedback.refresh_from_db()
    assert (feedback.status, feedback.reply, feedback.routed_to) == (
        "published",
        INTERIM,
        item.department,
    )

    # -- the department's editor answers from their list ----------------------------------
    department = admin_as("dept_editor")
    answer_from_routed_list(department, MESSAGE, ANSWER, screenshot)
    feedback.refresh_from_db()
    assert feedback.reply == ANSWER

    # -- the resident follows the code from the footer box --------------------------------
    follow_code_from_footer(phone, live_server, code)
    assert ANSWER in phone.locator(".fb-reply").inner_text()
    assert phone.locator(".fb-status--published").is_visible()
    screenshot(phone, "feedback-status-answered-phone")

    phone.locator(".fb-panel a[href$='#feedback']").click()
    section = phone.locator("#feedback")
    section.locator(".fb-item").first.wait_for()
    assert MESSAGE in section.inner_text()
    assert ANSWER in section.locator(".fb-reply").inner_text()
    section.locator(".fb-photos img").first.scroll_into_view_if_needed()
    phone.wait_for_function(
        "() => [...document.querySelectorAll('#feedback .fb-photos img')]"
        ".every(img => img.complete && img.naturalWidth > 0)"
    )

    # -- no EXIF anywhere: the public copy and every rendition the page asked for ----------
    photo.refresh_from_db()
    image = photo.public_image
    with image.open_file() as handle:
        assert has_metadata(handle) == []
    renditions = list(PortalRendition.objects.filter(image=image))
    assert renditions, "the item page should have rendered the approved photo"
    for rendition in renditions:
        with rendition.file.open("rb") as handle:
            data = handle.read()
        assert b"PhoneMaker" not in data and b"GPS" not in data, rendition.filter_spec
        assert has_metadata(BytesIO(data)) == [], rendition.filter_spec


def test_complaint_never_published_still_gets_an_answer(
    live_server, item, staff, phone, admin_as, screenshot
):
    open_item_from_overview(phone, live_server, item)
    code = leave_message(phone, "complaint", COMPLAINT)

    admin = admin_as("moderator")
    open_from_queue(admin, COMPLAINT)
    admin.select_option("select[name=status]", "rejected")
    admin.fill("textarea[name=moderation_reason]", "含他人姓名和电话，不宜公开")
    # The item's department is preselected: saving routes it there.
    admin.locator("button.action-save").first.click()
    admin.wait_for_url(re.compile(r"/admin/feedback/\?status=pending$"))

    department = admin_as("dept_editor")
    answer_from_routed_list(department, COMPLAINT, COMPLAINT_ANSWER)

    follow_code_from_footer(phone, live_server, code)
    assert COMPLAINT_ANSWER in phone.locator(".fb-reply").inner_text()
    assert "不予公开" in phone.locator(".fb-status").inner_text()
    assert "不宜公开" not in phone.content()  # the moderators' reason stays inside
    screenshot(phone, "feedback-status-unpublished-answered-phone")

    phone.goto(f"{live_server.url}{item.url}")
    assert COMPLAINT not in phone.content() and COMPLAINT_ANSWER not in phone.content()


def test_tracking_a_mistyped_code_and_copying_it(live_server, item, phone, screenshot):
    open_item_from_overview(phone, live_server, item)
    code = leave_message(phone, "question", "请问东门什么时候可以开放？周末能带孩子去吗？")

    # The copy button puts the code on the clipboard.
    phone.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    phone.get_by_role("button", name="复制").click()
    phone.locator(".fb-copy__status").filter(has_text="已复制").wait_for()
    assert phone.evaluate("navigator.clipboard.readText()") == code

    # One character missed: our own page, in Chinese, with the box to try again.
    phone.goto(f"{live_server.url}/")
    box = phone.locator("footer form.fb-track")
    box.locator("input[name=code]").fill(code[:-1])
    with phone.expect_navigation() as navigation:
        box.get_by_role("button", name="查询").click()
    assert navigation.value.status == 404
    assert "没有找到这个查询码" in phone.locator("h1").inner_text()
    assert "您输入了15个字符" in phone.locator("main").inner_text()
    screenshot(phone, "feedback-status-mistyped-phone")
    retry = phone.locator("main form.fb-track input[name=code]")
    assert retry.input_value() == code[:-1]
    retry.fill(code)
    phone.locator("main form.fb-track").get_by_role("button", name="查询").click()
    phone.wait_for_url(re.compile(rf"/feedback/{code}/$"))
    assert phone.locator(".fb-code code").inner_text().strip() == code


def test_two_residents_write_from_the_same_cached_item_page(
    live_server, item, phone, desktop_page, settings
):
    """The item page comes from the shared page cache, the same bytes for both: each form
    still gets its own tokens when the resident starts writing, and both messages arrive."""
    from django.core.cache import cache

    settings.PAGE_CACHE_SECONDS = 600
    cache.clear()
    open_item_from_overview(phone, live_server, item)
    with desktop_page.expect_response(lambda r: r.url.endswith(item.url)) as second:
        open_item_from_overview(desktop_page, live_server, item)
    assert second.value.headers.get("x-page-cache") == "hit"
    first_code = leave_message(phone, "suggestion", MESSAGE)
    second_code = leave_message(desktop_page, "question", "东门停车场什么时候可以使用？")
    assert first_code != second_code
    assert Feedback.objects.filter(tracking_code__in=[first_code, second_code]).count() == 2
