"""Every message gets an answer the resident can read, published or not (the 12345 rule), and
the moderators and departments reach every message from their lists.

Covers the answer on the status page for pending, unpublished and published messages; the
department's answer and how the moderator sees it; routing (preselected, all departments in one
list); overdue messages counted in working days; the queue's row links that keep the filter
through a save; and the resident's tracking: the box in the footer, a friendly page for a
mistyped code, their own photos behind the tracking code.
"""

import re
from datetime import date, datetime
from unittest import mock

from django.core.cache import cache
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from projects.choices import FeedbackStatus
from projects.factories import DepartmentFactory
from projects.feedback import moderation
from projects.feedback.privacy import sanitise_photo
from projects.models import DepartmentMember, Feedback
from tests.conftest import make_user
from tests.feedback_support import jpeg_with_gps, make_feedback, make_item, upload

LIST = reverse("wagtailsnippets_projects_feedback:list")
ROUTED_LIST = reverse("routed_feedback:index")
ANSWER = "已安排施工单位于本周五前完成修补，感谢您的监督。"


def status_page(client, feedback):
    client.cookies["django_language"] = "en"  # the assertions are the msgids
    return client.get(reverse("feedback_status", args=[feedback.tracking_code]))


class AnswerTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.item = make_item()
        cls.moderator = make_user("mod", "Feedback moderators", language="en")
        cls.editor = make_user("dept_editor", "Editors", language="en")
        DepartmentMember.objects.create(user=cls.editor, department=cls.item.department)

    def setUp(self):
        cache.clear()
        self.client.cookies["django_language"] = "en"

    def edit_url(self, feedback):
        return reverse("wagtailsnippets_projects_feedback:edit", args=[feedback.pk])

    def moderate(self, feedback, next_url=None, **fields):
        data = {
            "status": feedback.status,
            "moderation_reason": "",
            "reply": "",
            "reply_department": "",
            "routed_to": "",
        }
        data.update({k: ("" if v is None else v) for k, v in fields.items()})
        url = self.edit_url(feedback)
        if next_url:
            url += f"?{'next=' + next_url}"
        self.client.force_login(self.moderator)
        return self.client.post(url, data)

    def department_answers(self, feedback, text=ANSWER):
        self.client.force_login(self.editor)
        response = self.client.post(
            reverse("routed_feedback:edit", args=[feedback.pk]), {"reply": text}
        )
        self.client.logout()
        return response


class EveryMessageGetsAnAnswerTests(AnswerTestCase):
    def test_department_answer_to_a_pending_message_reaches_the_resident_only(self):
        feedback = make_feedback(self.item, kind="complaint")
        moderation.route(feedback, self.moderator, self.item.department)
        self.assertEqual(self.department_answers(feedback).status_code, 302)
        feedback.refresh_from_db()
        self.assertEqual(feedback.status, FeedbackStatus.PENDING)
        self.assertIsNotNone(feedback.closed_at)  # answered: no longer overdue-able
        page = status_page(self.client, feedback)
        self.assertContains(page, ANSWER)
        self.assertContains(page, f"Answer from {self.item.department.name_en}")
        self.assertContains(page, "Being reviewed")
        self.assertContains(page, "This answer is shown only on this page")
        self.assertNotContains(self.client.get(self.item.url), ANSWER)
        # Published later: the same answer now shows on the item page too.
        moderation.approve(feedback, self.moderator)
        self.assertContains(self.client.get(self.item.url), ANSWER)

    def test_complaint_that_is_never_published_still_gets_a_readable_answer(self):
        feedback = make_feedback(self.item, kind="complaint", suffix="（含他人电话）")
        response = self.moderate(
            feedback,
            status="rejected",
            moderation_reason="含他人个人信息",
            routed_to=self.item.department_id,
        )
        self.assertEqual(response.status_code, 302)
        feedback.refresh_from_db()
        self.assertEqual(feedback.status, FeedbackStatus.REJECTED)
        self.assertIsNone(feedback.closed_at)  # still owes the resident an answer
        self.assertEqual(feedback.routed_to, self.item.department)

        self.client.force_login(self.editor)
        listing = self.client.get(ROUTED_LIST)
        self.assertContains(listing, feedback.excerpt)
        form = self.client.get(reverse("routed_feedback:edit", args=[feedback.pk]))
        self.assertContains(form, "nobody but the resident sees your answer")
        self.department_answers(feedback)

        page = status_page(self.client, feedback)
        self.assertContains(page, ANSWER)
        self.assertContains(page, "Not published")
        self.assertNotContains(page, "含他人个人信息")  # the moderators' reason stays inside
        self.assertNotContains(self.client.get(self.item.url), ANSWER)

    def test_moderator_answers_a_pending_message_without_publishing_it(self):
        feedback = make_feedback(self.item, kind="question")
        response = self.moderate(
            feedback, reply="本月底开放。", reply_department=self.item.department_id
        )
        self.assertEqual(response.status_code, 302)
        feedback.refresh_from_db()
        self.assertEqual((feedback.status, feedback.reply), ("pending", "本月底开放。"))
        self.assertIsNone(feedback.routed_to)  # the moderator chose "not routed"
        self.assertContains(status_page(self.client, feedback), "本月底开放。")

    def test_spam_gets_no_answer(self):
        feedback = make_feedback(self.item)
        response = self.moderate(
            feedback, status="spam", moderation_reason="广告", reply="不应出现"
        )
        self.assertContains(response, "Spam gets no answer")
        self.assertEqual(Feedback.objects.get(pk=feedback.pk).reply, "")

    def test_the_log_tells_the_departments_answer_from_the_moderators(self):
        feedback = make_feedback(self.item)
        moderation.route(feedback, self.moderator, self.item.department)
        self.department_answers(feedback, "第一稿")
        self.moderate(
            feedback,
            status="published",
            reply="审核后修改的答复",
            reply_department=self.item.department_id,
            routed_to=self.item.department_id,
        )
        entries = list(
            ModelLogEntry.objects.filter(object_id=str(feedback.pk))
            .order_by("timestamp", "pk")
            .values_list("action", "data")
        )
        actions = [action for action, _data in entries]
        self.assertEqual(
            actions,
            [
                "projects.feedback.route",
                "projects.feedback.department_answer",
                "projects.feedback.approve",
                "projects.feedback.reply",
            ],
        )
        self.assertEqual(entries[-1][1]["previous"], "第一稿")  # never a silent overwrite

    def test_moderator_sees_who_answered(self):
        feedback = make_feedback(self.item)
        moderation.route(feedback, self.moderator, self.item.department)
        self.department_answers(feedback)
        self.client.force_login(self.moderator)
        page = self.client.get(self.edit_url(feedback)).content.decode()
        self.assertIn(
            f"Answered by the department {self.item.department.name_en} (dept_editor)", page
        )
        self.assertIn(ANSWER, page)  # in the answer field, for the moderator to check
        self.assertIn("It is shown on the item page only if the message is published.", page)


class RoutingTests(AnswerTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.others = [DepartmentFactory() for _ in range(12)]

    def test_routing_preselects_the_items_department_among_all_departments(self):
        feedback = make_feedback(self.item)
        self.client.force_login(self.moderator)
        html = self.client.get(self.edit_url(feedback)).content.decode()
        select = re.search(r'<select name="routed_to"[^>]*>(.*?)</select>', html, re.S).group(1)
        options = re.findall(r'<option value="(\d*)"( selected)?>([^<]*)</option>', select)
        self.assertEqual(len(options), 1 + 13)  # "not routed" and every department, one list
        selected = [(value, label) for value, chosen, label in options if chosen]
        self.assertEqual(
            selected,
            [
                (
                    str(self.item.department_id),
                    f"{self.item.department.name_en} (responsible for this item)",
                )
            ],
        )

    def test_left_as_preselected_the_message_is_routed_on_save(self):
        feedback = make_feedback(self.item)
        self.moderate(feedback, status="published", routed_to=self.item.department_id)
        feedback.refresh_from_db()
        self.assertEqual(feedback.routed_to, self.item.department)
        self.client.force_login(self.editor)
        self.assertContains(self.client.get(ROUTED_LIST), feedback.excerpt)

    def test_another_department_can_be_chosen(self):
        feedback = make_feedback(self.item)
        self.moderate(feedback, routed_to=self.others[5].pk)
        feedback.refresh_from_db()
        self.assertEqual(feedback.routed_to, self.others[5])

    def test_a_note_written_while_routing_is_signed_by_the_moderators(self):
        feedback = make_feedback(self.item, kind="complaint")
        self.client.force_login(self.moderator)
        html = self.client.get(self.edit_url(feedback)).content.decode()
        select = re.search(r'<select name="reply_department"[^>]*>(.*?)</select>', html, re.S)
        chosen = re.findall(r'<option value="(\d*)" selected>([^<]*)</option>', select.group(1))
        self.assertEqual(chosen, [("", "The moderators (no department)")])
        # Saved that way, the resident's status page does not name the department yet.
        self.moderate(
            feedback, reply="已转交责任单位核实，请耐心等待。", routed_to=self.item.department_id
        )
        page = self.client.get(reverse("feedback_status", args=[feedback.tracking_code]))
        self.assertContains(page, "已转交责任单位核实")
        self.assertContains(page, "Official answer")
        self.assertNotContains(page, "Answer from")

    def test_praise_is_not_preselected(self):
        feedback = make_feedback(self.item, kind="praise")
        self.client.force_login(self.moderator)
        html = self.client.get(self.edit_url(feedback)).content.decode()
        self.assertNotRegex(html, r'<select name="routed_to"[^>]*>.*?selected.*?</select>')


class OverdueTests(AnswerTestCase):
    """Received Thu 24 Sep 2026, due Wed 30 Sep (3 working days after the Mid-Autumn break).
    On Mon 12 Oct it is 4 working days late: 8, 9, the make-up Saturday 10 and 12 October;
    the National Day holiday (1–7 October) and Sunday 11 count for nothing."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.feedback = make_feedback(cls.item, kind="complaint")
        Feedback.objects.filter(pk=cls.feedback.pk).update(
            created_at=timezone.make_aware(datetime(2026, 9, 24, 10)), reply_due=date(2026, 9, 30)
        )
        cls.feedback.refresh_from_db()

    def on(self, day):
        return mock.patch("django.utils.timezone.localdate", return_value=day)

    def test_status_page_says_how_late_in_working_days(self):
        with self.on(date(2026, 9, 30)):
            page = status_page(self.client, self.feedback)
            self.assertContains(page, "(within 3 working days)")
        with self.on(date(2026, 10, 12)):
            page = status_page(self.client, self.feedback)
        self.assertContains(page, "Overdue by 4 working days")
        self.assertContains(page, "The answer was due by Sept. 30, 2026.")
        self.assertNotContains(page, "within 3 working days")

    def test_queue_and_edit_view_show_how_late(self):
        self.client.force_login(self.moderator)
        with self.on(date(2026, 10, 12)):
            queue = self.client.get(LIST, {"overdue": "true"})
            edit = self.client.get(self.edit_url(self.feedback))
        self.assertContains(queue, "Overdue by 4 working days")
        self.assertContains(edit, "Overdue by 4 working days")

    def test_an_answer_ends_it_even_before_publication(self):
        moderation.reply(self.feedback, self.moderator, ANSWER)
        with self.on(date(2026, 10, 12)):
            self.assertFalse(Feedback.objects.overdue().exists())
            page = status_page(self.client, self.feedback)
        self.assertNotContains(page, "Overdue")
        self.assertContains(page, "Answered on")

    def test_a_message_kept_off_the_page_stays_overdue_until_answered(self):
        moderation.reject(self.feedback, self.moderator, "含个人信息")
        with self.on(date(2026, 10, 12)):
            self.assertEqual(list(Feedback.objects.overdue()), [self.feedback])
        moderation.reject(self.feedback, self.moderator, "广告", spam=True)
        with self.on(date(2026, 10, 12)):
            self.assertFalse(Feedback.objects.overdue().exists())


class QueueLinkTests(AnswerTestCase):
    def test_each_row_links_to_its_message_and_the_save_returns_to_the_filtered_list(self):
        feedback = make_feedback(self.item)
        self.client.force_login(self.moderator)
        listing = self.client.get(LIST, {"status": "pending"}).content.decode()
        link = re.search(
            rf'<a href="([^"]*/feedback/edit/{feedback.pk}/[^"]*)"[^>]*>\s*'
            rf'<span id="snippet_{feedback.pk}_title">',
            listing,
        )
        self.assertIsNotNone(link, "the message excerpt should link to the edit view")
        self.assertIn(f'aria-describedby="snippet_{feedback.pk}_title"', listing)
        edit_url = link.group(1).replace("&amp;", "&")
        form = self.client.get(edit_url)
        self.assertContains(form, feedback.message)
        data = {
            "status": "published",
            "moderation_reason": "",
            "reply": ANSWER,
            "reply_department": self.item.department_id,
            "routed_to": "",
        }
        response = self.client.post(edit_url, data)
        self.assertRedirects(response, f"{LIST}?status=pending", fetch_redirect_response=False)

    def test_routed_list_rows_link_to_the_answer_form(self):
        feedback = make_feedback(self.item)
        moderation.route(feedback, self.moderator, self.item.department)
        self.client.force_login(self.editor)
        listing = self.client.get(ROUTED_LIST).content.decode()
        edit = reverse("routed_feedback:edit", args=[feedback.pk])
        self.assertIn(f'href="{edit}?next=', listing)
        form = self.client.get(edit)
        self.assertContains(form, "The resident reads your answer on their status page")
        self.assertContains(form, "only if a moderator publishes the message")

    def test_an_outside_next_is_ignored(self):
        feedback = make_feedback(self.item)
        response = self.moderate(feedback, next_url="https://evil.example/", status="published")
        self.assertRedirects(response, LIST, fetch_redirect_response=False)


class TrackingTests(AnswerTestCase):
    def test_every_page_has_the_tracking_box_in_its_footer(self):
        for url in ("/", self.item.url, reverse("search")):
            html = self.client.get(url).content.decode()
            footer = html[html.index('<footer class="site-footer">') :]
            self.assertIn(f'action="{reverse("feedback_track")}"', footer, url)
            self.assertIn('name="code"', footer, url)

    def test_a_mistyped_code_gets_our_page_with_the_box_again(self):
        feedback = make_feedback(self.item)
        typo = feedback.tracking_code[:-1]
        response = self.client.get(reverse("feedback_track"), {"code": typo.lower()}, follow=True)
        self.assertEqual(response.status_code, 404)
        self.assertContains(response, "We could not find that tracking code", status_code=404)
        self.assertContains(response, "You entered 15 characters.", status_code=404)
        self.assertContains(response, f'value="{typo}"', status_code=404)  # in the box again
        self.assertEqual(response["X-Robots-Tag"], "noindex, nofollow")
        self.client.cookies["django_language"] = "zh-hans"
        chinese = self.client.get(reverse("feedback_status", args=[typo]))
        self.assertContains(chinese, "没有找到这个查询码", status_code=404)

    def test_the_box_alone_is_a_page(self):
        response = self.client.get(reverse("feedback_track"))
        self.assertContains(response, "Follow my message")
        self.assertContains(response, 'id="track-code-page"')

    def test_status_page_shows_the_residents_own_pending_message_and_photo(self):
        photo = sanitise_photo(upload(jpeg_with_gps(400, 300)))
        feedback = make_feedback(self.item, photos=[photo])
        page = status_page(self.client, feedback)
        self.assertContains(page, feedback.message)
        photo_url = reverse(
            "feedback_own_photo", args=[feedback.tracking_code, feedback.photos.get().pk]
        )
        self.assertContains(page, photo_url)
        self.assertContains(page, 'data-copy="fb-code"')
        self.assertNotContains(page, "13812345678")
        self.assertIn("no-store", page["Cache-Control"])
        self.assertEqual(page["Referrer-Policy"], "no-referrer")

        image = self.client.get(photo_url)
        self.assertEqual(image.status_code, 200)
        self.assertEqual(image["Content-Type"], "image/jpeg")
        self.assertIn("no-store", image["Cache-Control"])
        self.assertEqual(image["Referrer-Policy"], "no-referrer")
        self.assertEqual(image["X-Robots-Tag"], "noindex, nofollow")

    def test_a_photo_needs_its_own_messages_code(self):
        photo = sanitise_photo(upload(jpeg_with_gps(400, 300)))
        feedback = make_feedback(self.item, photos=[photo])
        other = make_feedback(self.item, suffix="另一条")
        photo_pk = feedback.photos.get().pk
        own = feedback.tracking_code
        mistyped = own[:-1] + ("3" if own.endswith("2") else "2")  # never the code itself
        for code in (other.tracking_code, mistyped, "X"):
            url = reverse("feedback_own_photo", args=[code, photo_pk])
            self.assertEqual(self.client.get(url).status_code, 404, code)
        moderation.reject(feedback, self.moderator, "广告", spam=True)
        url = reverse("feedback_own_photo", args=[feedback.tracking_code, photo_pk])
        self.assertEqual(self.client.get(url).status_code, 404)
