"""Why an item is late: the lateness box at the top of its page, the progress-update form that
asks for a reason, and the one "data as of" date every figure is judged on (issue 8)."""

import re
from datetime import date

import pytest
from django.test import SimpleTestCase, TestCase
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text
from wagtail.users.models import UserProfile

from portal.setup import ensure_home_page
from projects.choices import Colour
from projects.factories import (
    DepartmentFactory,
    ProgressUpdatePageFactory,
    ProjectIndexPageFactory,
    ProjectPageFactory,
)
from projects.models import ProgressUpdatePage, ProjectPage
from projects.schedule import DataDate, data_date
from tests.editorial_fixtures import build_editorial_world

pytestmark = pytest.mark.usefixtures("english")


def lateness_box(html):
    """The lateness box's text, or None when the page has none."""
    found = re.search(r'<section class="lateness[^"]*".*?</section>', html, re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(0))) if found else None


class DataDateRuleTests(SimpleTestCase):
    TODAY = date(2022, 11, 30)

    def rule(self, set_date=None, latest_update=None):
        return data_date(set_date=set_date, latest_update=latest_update, today=self.TODAY)

    def test_the_latest_published_update_while_the_year_runs(self):
        self.assertEqual(
            self.rule(latest_update=date(2022, 11, 15)),
            DataDate(date(2022, 11, 15), DataDate.LATEST_UPDATE),
        )

    def test_the_set_date_when_no_update_is_later(self):
        self.assertEqual(
            self.rule(set_date=date(2022, 10, 31), latest_update=date(2022, 10, 31)),
            DataDate(date(2022, 10, 31), DataDate.SET),
        )

    def test_an_update_later_than_the_set_date_moves_the_figures_on(self):
        self.assertEqual(
            self.rule(set_date=date(2022, 10, 31), latest_update=date(2022, 11, 15)),
            DataDate(date(2022, 11, 15), DataDate.LATEST_UPDATE),
        )

    def test_an_update_dated_in_the_future_counts_as_today(self):
        self.assertEqual(self.rule(latest_update=date(2023, 1, 5)).date, self.TODAY)

    def test_today_when_nothing_is_published_or_set(self):
        self.assertEqual(self.rule(), DataDate(self.TODAY, DataDate.TODAY))


class DataDateOnPagesTests(TestCase):
    """The overview, the year list and the items state one date and judge the colours on it."""

    @classmethod
    def setUpTestData(cls):
        cls.home = ensure_home_page()
        cls.year = ProjectIndexPageFactory(
            parent=cls.home, year=2022, status_date=date(2022, 10, 31)
        )
        dates = {"planned_start": date(2022, 1, 1), "planned_completion": date(2022, 12, 31)}
        cls.park = ProjectPageFactory(parent=cls.year, number=1, title="口袋公园", **dates)
        cls.road = ProjectPageFactory(parent=cls.year, number=2, title="道路白改黑", **dates)
        # 55 % on 1 July: ahead then, 28 points behind by 31 October, 32 by 15 November.
        ProgressUpdatePageFactory(parent=cls.park, date=date(2022, 7, 1), progress=55)

    def colour(self, item):
        return ProjectPage.objects.get(pk=item.pk).colour

    def test_the_set_date_is_stated_on_every_page_and_judges_the_colours(self):
        stated = "数据截至2022年10月31日（年度评估日期）"
        for url in ("/", "/2022/", "/2022/1/"):
            self.assertContains(self.client.get(url), stated, msg_prefix=url)
        self.assertEqual(self.colour(self.park), Colour.ORANGE)

    def test_a_later_update_moves_the_date_for_the_whole_year(self):
        ProgressUpdatePageFactory(
            parent=self.road, date=date(2022, 11, 15), progress=90, lag_reason=""
        )
        stated = "数据截至2022年11月15日（最新进展发布日期）"
        for url in ("/", "/2022/", "/2022/1/", "/2022/2/"):
            self.assertContains(self.client.get(url), stated, msg_prefix=url)
        # The park had no new update, yet it is judged on 15 November like the road: 87 % due.
        self.assertEqual(self.colour(self.park), Colour.RED)
        self.assertNotContains(self.client.get("/"), "2022年10月31日")

    def test_withdrawing_that_update_moves_the_date_back(self):
        update = ProgressUpdatePageFactory(parent=self.road, date=date(2022, 11, 15), progress=90)
        update.unpublish()
        self.assertContains(self.client.get("/2022/"), "数据截至2022年10月31日（年度评估日期）")
        self.assertEqual(self.colour(self.park), Colour.ORANGE)


class LatenessBoxTests(TestCase):
    """The reason rule of `ProjectPage.lateness`, as residents read it at the top of the page."""

    @classmethod
    def setUpTestData(cls):
        cls.home = ensure_home_page()
        cls.year = ProjectIndexPageFactory(
            parent=cls.home, year=2022, status_date=date(2022, 10, 31)
        )
        cls.department = DepartmentFactory(name="区交通运输局", slug="transport")

    def item(self, number, progress, *, lag_reason="", **fields):
        fields.setdefault("planned_start", date(2022, 1, 1))
        fields.setdefault("planned_completion", date(2022, 12, 31))
        item = ProjectPageFactory(
            parent=self.year, number=number, department=self.department, **fields
        )
        ProgressUpdatePageFactory(
            parent=item, date=date(2022, 10, 29), progress=progress, lag_reason=lag_reason
        )
        return ProjectPage.objects.get(pk=item.pk)

    def page(self, item):
        return self.client.get(item.url).content.decode()

    def test_the_reason_given_with_the_latest_update_is_at_the_top(self):
        item = self.item(3, 40, lag_reason="管线迁改晚于计划，已召开协调会。")
        self.assertEqual(item.colour, Colour.RED)
        html = self.page(item)
        box = lateness_box(html)
        self.assertIn("为什么滞后？", box)
        self.assertIn("管线迁改晚于计划，已召开协调会。", box)
        self.assertIn("以上为区交通运输局在2022年10月29日进展更新中的说明。", box)
        self.assertLess(html.index('class="lateness'), html.index('id="facts-title"'))

    def test_without_one_the_items_own_reason_and_its_revised_date(self):
        item = self.item(
            4,
            50,
            revised_completion=date(2023, 3, 31),
            delay_reason="受征地拆迁影响，施工单位进场时间推迟。",
        )
        box = lateness_box(self.page(item))
        self.assertIn("受征地拆迁影响，施工单位进场时间推迟。", box)
        self.assertIn("以上为区交通运输局的说明。", box)
        self.assertIn("原承诺2022年12月31日完成，调整后的完成日期为2023年3月31日。", box)
        self.assertNotIn("也已过去", box)

    def test_a_revised_date_that_has_passed_too_is_said_so(self):
        item = self.item(
            42,
            83,
            planned_completion=date(2022, 7, 6),
            revised_completion=date(2022, 10, 16),
            delay_reason="设计方案调整，需重新履行报批程序。",
            lag_reason="消防验收提出整改意见，预计11月完成验收。",
        )
        html = self.page(item)
        box = lateness_box(html)
        self.assertIn("消防验收提出整改意见，预计11月完成验收。", box)
        self.assertIn("调整后的日期也已过去。", box)
        self.assertIn("调整完成日期的原因：设计方案调整，需重新履行报批程序。", box)
        self.assertIn(
            "已超过承诺的完成日期2022年7月6日，调整后的完成日期2022年10月16日也已过去", html
        )

    def test_an_unexplained_delay_is_not_hidden(self):
        item = self.item(5, 30)
        self.assertIn("区交通运输局尚未说明原因。", lateness_box(self.page(item)))

    def test_an_item_on_schedule_has_no_box(self):
        item = self.item(6, 80)
        self.assertEqual(item.colour, Colour.GREEN)
        self.assertIsNone(lateness_box(self.page(item)))


class UpdateFormAsksForAReasonTests(TestCase):
    """The admin's progress update form refuses to leave an item orange or red unexplained."""

    @classmethod
    def setUpTestData(cls):
        build_editorial_world(cls)  # 2023, no set date: judged on the latest update
        cls.item = ProjectPageFactory(
            parent=cls.year_page,
            number=37,
            department=cls.dept_a,
            planned_start=date(2023, 1, 1),
            planned_completion=date(2023, 12, 31),
        )

    def post_update(self, progress, *, day="2023-06-30", action="action-submit", **extra):
        self.client.force_login(self.editor_a)
        url = reverse(
            "wagtailadmin_pages:add", args=["projects", "progressupdatepage", self.item.pk]
        )
        data = {
            "date": day,
            "progress": progress,
            "invested": "",
            "text": rich_text("<p>施工推进缓慢。</p>"),
            "lag_reason": "",
            "photos": inline_formset([]),
            **extra,
        }
        if action:
            data[action] = "1"
        return self.client.post(url, nested_form_data(data))

    def updates(self):
        return ProgressUpdatePage.objects.child_of(self.item)

    def test_an_update_leaving_the_item_red_without_a_reason_is_refused(self):
        response = self.post_update(10)  # 49 % due on 30 June
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response.context["form"].errors["lag_reason"],
            [
                "With this update the item is “Seriously behind”: 10% done where the schedule "
                "expects 49%. Residents are told why: write the reason it is behind and what is "
                "being done."
            ],
        )
        self.assertFalse(self.updates().exists())

    def test_the_message_is_in_chinese_for_a_chinese_editor(self):
        UserProfile.objects.filter(user=self.editor_a).update(preferred_language="zh-hans")
        response = self.post_update(30)  # 20 points behind: orange
        self.assertIn(
            "本次进展发布后，该项目为“明显滞后”：已完成30%，按序时进度应完成49%。",
            response.context["form"].errors["lag_reason"][0],
        )

    def test_with_a_reason_it_is_accepted(self):
        response = self.post_update(10, lag_reason="雨季连续强降雨，室外施工多次停工。")
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.updates().get().lag_reason, "雨季连续强降雨，室外施工多次停工。")

    def test_on_schedule_needs_no_reason(self):
        self.assertEqual(self.post_update(48).status_code, 302)

    def test_a_late_report_about_an_earlier_date_needs_no_reason(self):
        ProgressUpdatePageFactory(parent=self.item, date=date(2023, 7, 31), progress=60)
        self.assertEqual(self.post_update(10, day="2023-03-01").status_code, 302)

    def test_a_draft_may_wait_for_its_reason(self):
        response = self.post_update(10, action=None)  # "Save draft"
        self.assertEqual(response.status_code, 302)
        self.assertFalse(self.updates().get().live)
