"""Who may do what with feedback: a role × URL matrix over the admin and the private views.

Feedback moderators reach the queue, photos and contacts and nothing else in the admin;
editors and reviewers never reach the queue or a contact; department editors answer only
what was routed to their department.
"""

from django.test import TestCase
from django.urls import reverse

from projects.feedback import moderation
from projects.feedback.privacy import sanitise_photo
from projects.models import DepartmentMember, Feedback
from tests.conftest import make_user
from tests.feedback_support import jpeg_with_gps, make_feedback, make_item, upload

CONTACT = "13712345678"
ROLES = ("anonymous", "editor", "reviewer", "moderator", "admin")


class RoleMatrixTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.item = make_item()
        cls.feedback = make_feedback(
            cls.item, contact=CONTACT, photos=[sanitise_photo(upload(jpeg_with_gps(300, 200)))]
        )
        cls.users = {
            "editor": make_user("editor", "Editors"),
            "reviewer": make_user("reviewer", "Reviewers"),
            "moderator": make_user("moderator", "Feedback moderators"),
            "admin": make_user("admin", superuser=True),
        }
        DepartmentMember.objects.create(user=cls.users["editor"], department=cls.item.department)
        moderation.route(cls.feedback, cls.users["moderator"], cls.item.department)

    def fetch(self, role, method, url, data=None):
        self.client.logout()
        if role != "anonymous":
            self.client.force_login(self.users[role])
        return getattr(self.client, method)(url, data or {})

    def assertAllowed(self, role, method, url, allowed):
        response = self.fetch(role, method, url)
        if allowed:
            self.assertIn(response.status_code, (200, 302), f"{role} {url}")
            if response.status_code == 302:  # a POST that succeeded, not a bounce to login
                self.assertNotIn("login", response["Location"], f"{role} {url}")
                self.assertNotEqual(response["Location"], reverse("wagtailadmin_home"))
        else:
            self.assertIn(response.status_code, (302, 403, 404), f"{role} {url}")
            if response.status_code == 302:
                location = response["Location"]
                self.assertTrue(
                    "login" in location or location == reverse("wagtailadmin_home"),
                    f"{role} {url} → {location}",
                )
        private = ("/admin/feedback-contact/", "/admin/feedback-photo/")
        if response.status_code == 200 and not url.startswith(private):
            self.assertNotContains(response, CONTACT, msg_prefix=f"{role} {url}")
        return response

    def test_feedback_urls(self):
        pk = self.feedback.pk
        photo = self.feedback.photos.get().pk
        q = "wagtailsnippets_projects_feedback"
        bulk = reverse("wagtail_bulk_action", args=["projects", "feedback", "approve_feedback"])
        matrix = [
            # url, method, who may
            (reverse(f"{q}:list"), "get", {"moderator", "admin"}),
            (reverse(f"{q}:edit", args=[pk]), "get", {"moderator", "admin"}),
            (reverse(f"{q}:inspect", args=[pk]), "get", {"moderator", "admin"}),
            (reverse(f"{q}:history", args=[pk]), "get", {"moderator", "admin"}),
            (f"{bulk}?id={pk}", "get", {"moderator", "admin"}),
            (reverse("feedback_private_photo", args=[photo]), "get", {"moderator", "admin"}),
            (reverse("feedback_reveal_contact", args=[pk]), "post", {"moderator", "admin"}),
            (reverse("routed_feedback:index"), "get", {"editor", "admin"}),
            (reverse("routed_feedback:edit", args=[pk]), "get", {"editor", "admin"}),
        ]
        for url, method, allowed in matrix:
            for role in ROLES:
                with self.subTest(role=role, url=url):
                    self.assertAllowed(role, method, url, role in allowed)

    def test_moderators_reach_nothing_else_in_the_admin(self):
        elsewhere = [
            reverse("wagtailadmin_explore_root"),
            reverse("wagtailimages:index"),
            reverse("wagtaildocs:index"),
            reverse("wagtailusers_users:index"),
            reverse("wagtailsnippets_projects_category:list"),
            reverse("wagtailsnippets_projects_department:list"),
            reverse("wagtailredirects:index"),
            reverse("wagtailsites:index"),
        ]
        for url in elsewhere:
            with self.subTest(url=url):
                self.assertAllowed("moderator", "get", url, False)
                self.assertAllowed("admin", "get", url, True)

    def test_moderator_menu_shows_only_feedback(self):
        response = self.fetch("moderator", "get", reverse("wagtailadmin_home"))
        self.assertContains(response, reverse("wagtailsnippets_projects_feedback:list"))
        for hidden in (reverse("wagtailadmin_explore_root"), reverse("wagtailimages:index")):
            self.assertNotContains(response, f'"url": "{hidden}"')

    def test_contact_reveal_is_logged_with_who_and_when(self):
        from wagtail.models import ModelLogEntry

        response = self.fetch(
            "moderator", "post", reverse("feedback_reveal_contact", args=[self.feedback.pk])
        )
        self.assertContains(response, CONTACT)
        entry = ModelLogEntry.objects.get(action="projects.feedback.reveal_contact")
        self.assertEqual(entry.user, self.users["moderator"])
        self.assertIsNotNone(entry.timestamp)
        self.assertEqual(
            self.fetch(
                "moderator", "get", reverse("feedback_reveal_contact", args=[1])
            ).status_code,
            405,
        )

    def test_editor_cannot_change_moderation_state(self):
        url = reverse("wagtailsnippets_projects_feedback:edit", args=[self.feedback.pk])
        self.fetch("editor", "post", url, {"status": "published"})
        bulk = reverse("wagtail_bulk_action", args=["projects", "feedback", "approve_feedback"])
        self.fetch("editor", "post", f"{bulk}?id={self.feedback.pk}")
        self.assertEqual(Feedback.objects.get(pk=self.feedback.pk).status, "pending")

    def test_site_history_shows_moderators_only_feedback_actions(self):
        """Moderators may read the audit log, but only of what they moderate."""
        from wagtail.log_actions import log

        year = self.item.get_parent().specific
        log(year, "wagtail.edit", user=self.users["admin"])
        response = self.fetch("moderator", "get", reverse("wagtailadmin_reports:site_history"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, self.feedback.tracking_code)
        self.assertNotContains(response, year.title)
        self.assertNotContains(response, CONTACT)
        admin_view = self.fetch("admin", "get", reverse("wagtailadmin_reports:site_history"))
        self.assertContains(admin_view, year.title)


class OtherDepartmentsFeedbackTests(TestCase):
    """Editor and reviewer: no message of another department in any chooser, history or report.

    Department A's editor has one message routed to A; department B's message was never routed
    to A. Each screen an editor or reviewer can open is checked for B's tracking code and text.
    """

    @classmethod
    def setUpTestData(cls):
        cls.item_a = make_item(number=1)
        cls.item_b = make_item(number=2)
        cls.moderator = make_user("moderator", "Feedback moderators")
        cls.editor = make_user("editor", "Editors")
        cls.reviewer = make_user("reviewer", "Reviewers")
        DepartmentMember.objects.create(user=cls.editor, department=cls.item_a.department)
        cls.mine = make_feedback(cls.item_a, message="甲部门：东门路灯不亮，请尽快维修。")
        cls.theirs = make_feedback(cls.item_b, message="乙部门：工地夜间施工噪音太大。")
        moderation.route(cls.mine, cls.moderator, cls.item_a.department)
        moderation.route(cls.theirs, cls.moderator, cls.item_b.department)
        moderation.reveal_contact(cls.theirs, cls.moderator)

    SCREENS = (
        "/admin/",
        "/admin/snippets/choose/projects/feedback/",
        "/admin/snippets/choose/projects/feedback/results/?q=乙部门",
        "/admin/reports/site-history/",
        "/admin/reports/site-history/results/",
        "/admin/routed-feedback/",
        "/admin/pages/search/?q=乙部门",
    )

    def test_editor_and_reviewer_never_see_another_departments_message(self):
        for user in (self.editor, self.reviewer):
            self.client.force_login(user)
            for url in self.SCREENS:
                with self.subTest(user=user.username, url=url):
                    response = self.client.get(url)
                    self.assertLess(response.status_code, 500)
                    page = response.content.decode()
                    self.assertNotIn(self.theirs.tracking_code, page)
                    self.assertNotIn("噪音太大", page)
                    self.assertNotIn("Contact details viewed", page)

    def test_the_editor_still_answers_what_was_routed_to_them(self):
        self.client.force_login(self.editor)
        listing = self.client.get("/admin/routed-feedback/")
        self.assertContains(listing, "东门路灯不亮")

    def test_moderators_still_see_every_message_in_site_history(self):
        self.client.force_login(self.moderator)
        history = self.client.get("/admin/reports/site-history/")
        self.assertContains(history, self.theirs.tracking_code)
