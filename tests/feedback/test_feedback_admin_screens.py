"""The rest of the feedback admin's screens: the queue's and the department list's search, the
history of a message, where it is used, and the add and delete screens Wagtail's viewsets
register, which must never let anyone invent or erase a resident's message; and the department
editors list (Settings › Department editors) through every screen an administrator meets."""

from django.test import TestCase
from django.urls import reverse

from projects.factories import DepartmentFactory
from projects.feedback import moderation
from projects.models import DepartmentMember, Feedback
from tests.conftest import make_user
from tests.feedback_support import make_feedback, make_item

QUEUE = "wagtailsnippets_projects_feedback"
ROUTED = "routed_feedback"


class FeedbackScreensTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.item = make_item()
        cls.moderator = make_user("moderator", "Feedback moderators", language="en")
        cls.editor = make_user("editor", "Editors", departments=[cls.item.department])
        cls.admin = make_user("admin", superuser=True, language="en")
        cls.bench = make_feedback(cls.item, suffix="东门长椅。")
        cls.light = make_feedback(cls.item, message="夜间步道照明不足，建议加装路灯。")
        moderation.approve(cls.bench, cls.moderator)
        moderation.route(cls.bench, cls.moderator, cls.item.department)

    def test_the_queue_search_finds_a_message_by_its_tracking_code(self):
        self.client.force_login(self.moderator)
        code = self.bench.tracking_code
        results = self.client.get(reverse(f"{QUEUE}:list_results"), {"q": code}).content.decode()
        self.assertIn(code, results)
        self.assertNotIn(self.light.tracking_code, results)

    def test_a_messages_history_lists_what_moderators_did(self):
        self.client.force_login(self.moderator)
        for view in ("history", "history_results"):
            with self.subTest(view):
                page = self.client.get(reverse(f"{QUEUE}:{view}", args=[self.bench.pk]))
                self.assertContains(page, "moderator")
                self.assertContains(page, "Feedback approved and published")

    def test_a_messages_usage_page_opens_and_names_the_message(self):
        self.client.force_login(self.moderator)
        page = self.client.get(reverse(f"{QUEUE}:usage", args=[self.bench.pk]))
        self.assertContains(page, self.bench.tracking_code)

    def test_a_moderator_neither_invents_nor_erases_a_residents_message(self):
        self.client.force_login(self.moderator)
        count = Feedback.objects.count()
        add = self.client.post(reverse(f"{QUEUE}:add"), {"message": "伪造的留言"})
        delete = self.client.post(reverse(f"{QUEUE}:delete", args=[self.light.pk]))
        self.assertEqual(add.status_code, 302)
        self.assertEqual(add["Location"], reverse("wagtailadmin_home"))  # refused
        self.assertEqual(delete["Location"], reverse("wagtailadmin_home"))
        self.assertEqual(Feedback.objects.count(), count)

    def test_an_administrator_cannot_invent_a_message_in_the_queue(self):
        self.client.force_login(self.admin)
        add = self.client.post(reverse(f"{QUEUE}:add"), {"message": "伪造的留言"})
        self.assertIn(add.status_code, (302, 403))

    def test_the_department_finds_its_routed_message(self):
        self.client.force_login(self.editor)
        code = self.bench.tracking_code
        results = self.client.get(reverse(f"{ROUTED}:index_results"), {"q": code})
        self.assertContains(results, code)
        self.assertNotContains(results, self.light.tracking_code)  # never routed

    def test_a_routed_messages_history_is_for_administrators_not_the_department(self):
        for view in ("history", "history_results", "usage"):
            with self.subTest(view):
                url = reverse(f"{ROUTED}:{view}", args=[self.bench.pk])
                self.client.force_login(self.editor)
                self.assertEqual(self.client.get(url)["Location"], reverse("wagtailadmin_home"))
                self.client.force_login(self.admin)
                page = self.client.get(url)
                if view != "history_results":  # the results alone carry no heading
                    self.assertContains(page, self.bench.tracking_code)
                if view != "usage":
                    self.assertContains(page, "Feedback routed to")

    def test_a_department_neither_invents_nor_erases_messages(self):
        self.client.force_login(self.editor)
        count = Feedback.objects.count()
        add = self.client.post(reverse(f"{ROUTED}:add"), {"reply": "伪造的答复"})
        delete = self.client.post(reverse(f"{ROUTED}:delete", args=[self.bench.pk]))
        self.assertEqual(add["Location"], reverse("wagtailadmin_home"))  # refused
        self.assertEqual(delete["Location"], reverse("wagtailadmin_home"))
        self.assertEqual(Feedback.objects.count(), count)

    def test_an_administrator_cannot_invent_a_routed_message(self):
        self.client.force_login(self.admin)
        add = self.client.post(reverse(f"{ROUTED}:add"), {"reply": "伪造的答复"})
        self.assertIn(add.status_code, (302, 403))


class DepartmentEditorsScreensTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.admin = make_user("admin", superuser=True, language="en")
        cls.culture = DepartmentFactory(name="区文旅局", slug="culture")
        cls.works = DepartmentFactory(name="区住建局", slug="works")
        cls.li = make_user("li_si", "Editors", departments=[cls.culture])
        cls.wang = make_user("wang_wu", "Editors", departments=[cls.works])

    def setUp(self):
        self.client.force_login(self.admin)

    def url(self, view, *args):
        return reverse(f"department-editors:{view}", args=args)

    def membership(self, user):
        return DepartmentMember.objects.get(user=user)

    def test_the_list_shows_who_answers_for_which_department_and_filters_by_one(self):
        page = self.client.get(self.url("index")).content.decode()
        self.assertIn("li_si", page)
        self.assertIn("wang_wu", page)
        results = self.client.get(self.url("index_results"), {"department": self.works.pk})
        self.assertContains(results, "wang_wu")
        self.assertNotContains(results, "li_si")

    def test_moving_an_editor_to_another_department_shows_in_its_history(self):
        member = self.membership(self.li)
        response = self.client.post(
            self.url("edit", member.pk), {"user": self.li.pk, "department": self.works.pk}
        )
        self.assertEqual(response.status_code, 302)
        member.refresh_from_db()
        self.assertEqual(member.department, self.works)
        for view in ("history", "history_results"):
            with self.subTest(view):
                self.assertContains(self.client.get(self.url(view, member.pk)), "Edited")

    def test_copy_starts_from_the_same_department_for_another_editor(self):
        member = self.membership(self.li)
        form = self.client.get(self.url("copy", member.pk)).content.decode()
        self.assertRegex(form, rf'<option value="{self.culture.pk}" selected>')
        self.assertEqual(DepartmentMember.objects.count(), 2)

    def test_usage_then_delete_takes_an_editor_off_a_department(self):
        member = self.membership(self.wang)
        self.assertEqual(self.client.get(self.url("usage", member.pk)).status_code, 200)
        self.assertContains(self.client.get(self.url("delete", member.pk)), "wang_wu")
        self.assertEqual(self.client.post(self.url("delete", member.pk)).status_code, 302)
        self.assertFalse(DepartmentMember.objects.filter(user=self.wang).exists())
        self.assertTrue(DepartmentMember.objects.filter(user=self.li).exists())
