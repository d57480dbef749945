"""The moderators' queue in the Wagtail admin: filters, moderation, replies, routing, bulk
actions, the dashboard panel, the audit log and the email digest."""

from datetime import timedelta

from django.core import mail
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from projects.choices import FeedbackStatus, PhotoStatus, Status
from projects.factories import DepartmentFactory
from projects.feedback.privacy import sanitise_photo
from projects.models import DepartmentMember, Feedback
from tests.conftest import make_user
from tests.feedback_support import jpeg_with_gps, make_feedback, make_item, upload

LIST = reverse("wagtailsnippets_projects_feedback:list")


def edit_url(feedback):
    return reverse("wagtailsnippets_projects_feedback:edit", args=[feedback.pk])


def actions_of(feedback):
    return list(
        ModelLogEntry.objects.filter(object_id=str(feedback.pk))
        .order_by("timestamp", "pk")
        .values_list("action", flat=True)
    )


class QueueTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.item = make_item()
        cls.moderator = make_user("mod", "Feedback moderators", language="en")
        cls.feedback = make_feedback(cls.item)

    def setUp(self):
        self.client.force_login(self.moderator)

    def moderation_post(self, feedback, **fields):
        data = {
            "status": feedback.status,
            "moderation_reason": "",
            "reply": "",
            "reply_department": "",
            "routed_to": "",
        }
        data.update({k: ("" if v is None else v) for k, v in fields.items()})
        return self.client.post(edit_url(feedback), data)


class QueueListTests(QueueTestCase):
    """Filters the issue names: status, kind, item, category, department, district, date,
    age, overdue; search; newest/oldest."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.old = make_feedback(cls.item, suffix="旧", kind="complaint")
        Feedback.objects.filter(pk=cls.old.pk).update(
            created_at=timezone.now() - timedelta(days=10),
            reply_due=timezone.localdate() - timedelta(days=5),
        )

    def codes(self, **params):
        response = self.client.get(LIST, params)
        self.assertEqual(response.status_code, 200)
        content = response.content.decode()
        return {f.tracking_code for f in (self.feedback, self.old) if f.tracking_code in content}

    def test_listing_shows_messages_and_never_contact(self):
        response = self.client.get(LIST)
        self.assertContains(response, self.feedback.excerpt)
        self.assertContains(response, "Overdue")
        self.assertNotContains(response, "13812345678")

    def test_filters(self):
        both = {self.feedback.tracking_code, self.old.tracking_code}
        self.assertEqual(self.codes(), both)
        self.assertEqual(self.codes(overdue="true"), {self.old.tracking_code})
        self.assertEqual(self.codes(older_than="3"), {self.old.tracking_code})
        self.assertEqual(self.codes(kind="complaint"), {self.old.tracking_code})
        self.assertEqual(self.codes(status="pending"), both)
        self.assertEqual(self.codes(status="published"), set())
        self.assertEqual(self.codes(project=self.item.pk), both)
        self.assertEqual(self.codes(category=self.item.category_id), both)
        self.assertEqual(self.codes(department=self.item.department_id), both)
        self.assertEqual(self.codes(district=self.item.district_id), both)
        self.assertEqual(self.codes(q="旧"), {self.old.tracking_code})
        today = timezone.localdate().isoformat()
        self.assertEqual(self.codes(created_at_from=today), {self.feedback.tracking_code})

    def test_ordering_newest_and_oldest(self):
        new, old = self.feedback.tracking_code, self.old.tracking_code
        newest = self.client.get(LIST, {"ordering": "-created_at"}).content.decode()
        self.assertLess(newest.index(new), newest.index(old))
        oldest = self.client.get(LIST, {"ordering": "created_at"}).content.decode()
        self.assertLess(oldest.index(old), oldest.index(new))


class ModerationTests(QueueTestCase):
    def test_edit_page_shows_message_and_photos_but_contact_only_on_reveal(self):
        photo = sanitise_photo(upload(jpeg_with_gps(400, 300)))
        feedback = make_feedback(self.item, suffix="有照片", photos=[photo])
        response = self.client.get(edit_url(feedback))
        self.assertContains(response, feedback.message)
        photo_url = reverse("feedback_private_photo", args=[feedback.photos.get().pk])
        self.assertContains(response, photo_url)
        self.assertNotContains(response, "13812345678")
        self.assertContains(response, "Reveal contact")

        reveal = self.client.post(reverse("feedback_reveal_contact", args=[feedback.pk]))
        self.assertContains(reveal, "13812345678")
        entry = ModelLogEntry.objects.get(action="projects.feedback.reveal_contact")
        self.assertEqual(entry.user_id, self.moderator.pk)
        self.assertEqual(entry.object_id, str(feedback.pk))

    def test_approve_reply_and_route_in_one_save_are_three_logged_actions(self):
        department = DepartmentFactory()
        response = self.moderation_post(
            self.feedback,
            status="published",
            reply="已安排施工单位在东门增设停车点。",
            reply_department=self.item.department_id,
            routed_to=department.pk,
        )
        self.assertEqual(response.status_code, 302, response.content.decode()[:2000])
        self.feedback.refresh_from_db()
        self.assertEqual(self.feedback.status, FeedbackStatus.PUBLISHED)
        self.assertEqual(self.feedback.reply_department, self.item.department)
        self.assertEqual(self.feedback.routed_to, department)
        self.assertIsNotNone(self.feedback.closed_at)
        self.assertEqual(self.feedback.replied_by, self.moderator)
        self.assertEqual(
            actions_of(self.feedback),
            ["projects.feedback.approve", "projects.feedback.route", "projects.feedback.reply"],
        )
        history = self.client.get(
            reverse("wagtailsnippets_projects_feedback:history", args=[self.feedback.pk])
        )
        self.assertContains(history, "Official reply written")
        self.assertContains(history, "Feedback approved and published")

    def test_reject_needs_a_reason_and_is_logged_with_it(self):
        response = self.moderation_post(self.feedback, status="rejected")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Please give a reason")
        self.moderation_post(self.feedback, status="rejected", moderation_reason="含广告")
        self.feedback.refresh_from_db()
        self.assertEqual(self.feedback.status, FeedbackStatus.REJECTED)
        entry = ModelLogEntry.objects.get(action="projects.feedback.reject")
        self.assertEqual(entry.data["reason"], "含广告")

    def test_resident_text_cannot_be_changed_by_the_moderation_form(self):
        self.moderation_post(self.feedback, status="published", message="篡改", contact="x")
        self.feedback.refresh_from_db()
        self.assertNotEqual(self.feedback.message, "篡改")
        self.assertEqual(self.feedback.contact, "13812345678")

    def test_per_photo_reject(self):
        photos = [sanitise_photo(upload(jpeg_with_gps(300, 200))) for _ in range(2)]
        feedback = make_feedback(self.item, suffix="两张", photos=photos)
        first, second = feedback.photos.all()
        self.moderation_post(feedback, status="published", reject_photos=[first.pk])
        first.refresh_from_db()
        second.refresh_from_db()
        self.assertEqual(first.status, PhotoStatus.REJECTED)
        self.assertIsNone(first.public_image)
        self.assertEqual(second.status, PhotoStatus.APPROVED)
        self.assertIsNotNone(second.public_image)
        self.assertIn("projects.feedback.reject_photo", actions_of(feedback))

    def test_rejecting_a_published_message_withdraws_its_public_photos(self):
        photo = sanitise_photo(upload(jpeg_with_gps(300, 200)))
        feedback = make_feedback(self.item, suffix="撤回", photos=[photo])
        self.moderation_post(feedback, status="published")
        public = feedback.photos.get().public_image
        path = public.file.path
        self.moderation_post(feedback, status="spam", moderation_reason="广告")
        feedback.refresh_from_db()
        self.assertEqual(feedback.status, FeedbackStatus.SPAM)
        self.assertIsNone(feedback.photos.get().public_image)
        import os

        self.assertFalse(os.path.exists(path))


class BulkActionTests(QueueTestCase):
    def bulk(self, action, feedbacks, data=None):
        url = reverse("wagtail_bulk_action", args=["projects", "feedback", action])
        query = "&".join(f"id={f.pk}" for f in feedbacks) + f"&next={LIST}"
        return self.client.post(f"{url}?{query}", data or {})

    def test_bulk_approve_reject_and_spam(self):
        others = [make_feedback(self.item, suffix=str(n)) for n in range(3)]
        confirm = self.client.get(
            reverse("wagtail_bulk_action", args=["projects", "feedback", "reject_feedback"])
            + f"?id={others[0].pk}"
        )
        self.assertContains(confirm, others[0].tracking_code)
        self.assertEqual(self.bulk("approve_feedback", [self.feedback, others[0]]).status_code, 302)
        response = self.bulk("reject_feedback", [others[1]])
        self.assertEqual(response.status_code, 200)  # a reason is required
        self.bulk("reject_feedback", [others[1]], {"reason": "与本项目无关"})
        self.bulk("spam_feedback", [others[2]], {"reason": "广告"})
        statuses = dict(Feedback.objects.values_list("pk", "status"))
        self.assertEqual(statuses[self.feedback.pk], "published")
        self.assertEqual(statuses[others[0].pk], "published")
        self.assertEqual(statuses[others[1].pk], "rejected")
        self.assertEqual(statuses[others[2].pk], "spam")
        self.assertEqual(
            ModelLogEntry.objects.filter(action="projects.feedback.approve").count(), 2
        )
        spam = ModelLogEntry.objects.get(action="projects.feedback.spam")
        self.assertEqual((spam.user_id, spam.data["reason"]), (self.moderator.pk, "广告"))

    def test_listing_offers_the_bulk_actions(self):
        response = self.client.get(LIST)
        for label in ("Approve", "Do not publish", "Spam"):
            self.assertContains(response, label)


class RoutedAnswerTests(QueueTestCase):
    """A routed message is answered by the department's editor, who never sees the contact."""

    def test_department_editor_answers_routed_message(self):
        department = self.item.department
        editor = make_user("dept_editor", "Editors", language="en")
        DepartmentMember.objects.create(user=editor, department=department)
        self.moderation_post(self.feedback, status="published", routed_to=department.pk)

        self.client.force_login(editor)
        index = self.client.get(reverse("routed_feedback:index"))
        self.assertContains(index, self.feedback.excerpt)
        edit = self.client.get(reverse("routed_feedback:edit", args=[self.feedback.pk]))
        self.assertContains(edit, self.feedback.message)
        self.assertNotContains(edit, "13812345678")
        self.assertNotContains(edit, "王女士")
        self.assertNotContains(edit, "Reveal contact")
        response = self.client.post(
            reverse("routed_feedback:edit", args=[self.feedback.pk]), {"reply": "本月底完工。"}
        )
        self.assertEqual(response.status_code, 302)
        self.feedback.refresh_from_db()
        self.assertEqual(self.feedback.reply, "本月底完工。")
        self.assertEqual(self.feedback.reply_department, department)
        self.assertEqual(self.feedback.replied_by, editor)
        self.assertEqual(actions_of(self.feedback)[-1], "projects.feedback.department_answer")

    def test_editor_of_another_department_cannot_open_it(self):
        department = self.item.department
        self.moderation_post(self.feedback, status="published", routed_to=department.pk)
        outsider = make_user("outsider", "Editors")
        DepartmentMember.objects.create(user=outsider, department=DepartmentFactory())
        self.client.force_login(outsider)
        self.assertNotContains(
            self.client.get(reverse("routed_feedback:index")), self.feedback.excerpt
        )
        response = self.client.get(reverse("routed_feedback:edit", args=[self.feedback.pk]))
        self.assertIn(response.status_code, (302, 403, 404))
        response = self.client.post(
            reverse("routed_feedback:edit", args=[self.feedback.pk]), {"reply": "x"}
        )
        self.feedback.refresh_from_db()
        self.assertEqual(self.feedback.reply, "")


class DashboardAndDigestTests(QueueTestCase):
    def test_dashboard_panel_counts_pending_and_overdue(self):
        Feedback.objects.filter(pk=self.feedback.pk).update(
            reply_due=timezone.localdate() - timedelta(days=1)
        )
        response = self.client.get(reverse("wagtailadmin_home"))
        self.assertContains(response, "data-feedback-panel")
        self.assertContains(response, "<span>1</span> pending review", html=False)
        self.assertContains(response, "<span>1</span> overdue", html=False)

    def test_digest_lists_new_and_overdue_without_contact(self):
        with self.captureOnCommitCallbacks(execute=True):
            call_command("send_feedback_digest", stdout=open("/dev/null", "w"))
        self.assertEqual(len(mail.outbox), 1)
        message = mail.outbox[0]
        self.assertIn("mod@example.cn", message.to)
        self.assertIn(self.feedback.tracking_code, message.body)
        self.assertNotIn("13812345678", message.body)
        self.assertNotIn("王女士", message.body)

    def test_no_digest_when_nothing_new_or_overdue(self):
        Feedback.objects.update(created_at=timezone.now() - timedelta(days=3))
        self.moderation_post(self.feedback, status="published", reply="好的")
        with self.captureOnCommitCallbacks(execute=True):
            call_command("send_feedback_digest", stdout=open("/dev/null", "w"))
        self.assertEqual(mail.outbox, [])

    def test_praise_is_closed_on_approval_so_it_never_turns_overdue(self):
        praise = make_feedback(self.item, kind="praise", suffix="点赞")
        self.moderation_post(praise, status="published")
        praise.refresh_from_db()
        self.assertIsNotNone(praise.closed_at)
        later = praise.reply_due + timedelta(days=9)
        self.assertFalse(Feedback.objects.overdue(today=later).filter(pk=praise.pk).exists())
        # A resident's praise says nothing about the works: the item's status is untouched.
        self.item.refresh_from_db()
        self.assertEqual(self.item.status, Status.NOT_STARTED)


class DemoFeedbackTests(TestCase):
    def test_demo_queue_has_every_state_but_spam(self):
        """A moderator's queue as the demo leaves it: pending (some overdue), published with an
        answer, routed, not published yet answered, ratings. Spam is the one state the demo
        does not stage (a spam message would be invisible everywhere but the queue)."""
        import random

        from projects.feedback.demo import load_demo_feedback
        from projects.models import ProjectPage

        items = [make_item(number=n) for n in (1, 2, 3)]
        ProjectPage.objects.filter(pk=items[0].pk).update(status=Status.COMPLETED)
        make_user("moderator", "Feedback moderators")
        self.assertGreater(load_demo_feedback(random.Random(2022)), 28)
        states = set(Feedback.objects.values_list("status", flat=True))
        self.assertEqual(states, set(FeedbackStatus.values) - {FeedbackStatus.SPAM})
        self.assertTrue(Feedback.objects.overdue().filter(status="pending").exists())
        self.assertTrue(Feedback.objects.filter(status="published").exclude(reply="").exists())
        self.assertTrue(Feedback.objects.filter(status="rejected").exclude(reply="").exists())
        self.assertTrue(Feedback.objects.filter(routed_to__isnull=False).exists())
        self.assertTrue(Feedback.objects.filter(kind="rating", status="published").exists())
        self.assertEqual(load_demo_feedback(random.Random(2022)), 0)  # idempotent
