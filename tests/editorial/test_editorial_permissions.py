"""Department ownership, enforced server-side on every admin URL of an item and its updates."""

from datetime import date

import pytest
from django.test import TestCase
from django.urls import reverse
from wagtail.models import Page

from projects.editorial.permissions import scope_pages
from projects.factories import ProgressUpdatePageFactory, ProjectPageFactory
from projects.models import ProgressUpdatePage, ProjectPage
from tests.conftest import make_user
from tests.editorial_fixtures import build_editorial_world

pytestmark = pytest.mark.usefixtures("english")

FORBIDDEN = (302, 403)


class DepartmentScopeTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_editorial_world(cls)
        cls.item_a = ProjectPageFactory(
            parent=cls.year_page, number=1, title="甲部门项目", department=cls.dept_a
        )
        cls.item_b = ProjectPageFactory(
            parent=cls.year_page, number=2, title="乙部门项目", department=cls.dept_b
        )
        cls.update_b = ProgressUpdatePageFactory(
            parent=cls.item_b, progress=30, date=date(2023, 5, 1)
        )
        cls.update_a = ProgressUpdatePageFactory(
            parent=cls.item_a, progress=30, date=date(2023, 5, 1)
        )

    def page_urls(self, page):
        """Every admin URL that acts on one page (GET), by name."""
        pk = page.pk
        revision = page.latest_revision
        content_type = "progressupdatepage"
        urls = {
            "edit": reverse("wagtailadmin_pages:edit", args=[pk]),
            "delete": reverse("wagtailadmin_pages:delete", args=[pk]),
            "unpublish": reverse("wagtailadmin_pages:unpublish", args=[pk]),
            "move": reverse("wagtailadmin_pages:move", args=[pk]),
            "move_confirm": reverse("wagtailadmin_pages:move_confirm", args=[pk, self.item_a.pk]),
            "copy": reverse("wagtailadmin_pages:copy", args=[pk]),
            "lock": reverse("wagtailadmin_pages:lock", args=[pk]),
            "unlock": reverse("wagtailadmin_pages:unlock", args=[pk]),
            "history": reverse("wagtailadmin_pages:history", args=[pk]),
            "revisions_index": reverse("wagtailadmin_pages:revisions_index", args=[pk]),
            "revisions_view": reverse("wagtailadmin_pages:revisions_view", args=[pk, revision.pk]),
            "revisions_revert": reverse(
                "wagtailadmin_pages:revisions_revert", args=[pk, revision.pk]
            ),
            "revisions_compare": reverse(
                "wagtailadmin_pages:revisions_compare", args=[pk, "earliest", "latest"]
            ),
            "preview_on_edit": reverse("wagtailadmin_pages:preview_on_edit", args=[pk]),
            "view_draft": reverse("wagtailadmin_pages:view_draft", args=[pk]),
            "usage": reverse("wagtailadmin_pages:usage", args=[pk]),
            "workflow_history": reverse("wagtailadmin_pages:workflow_history", args=[pk]),
            "set_privacy": reverse("wagtailadmin_pages:set_privacy", args=[pk]),
            "explore": reverse("wagtailadmin_explore", args=[pk]),
            "explore_results": reverse("wagtailadmin_explore_results", args=[pk]),
        }
        if isinstance(page.specific, ProjectPage):
            urls["add_subpage"] = reverse("wagtailadmin_pages:add_subpage", args=[pk])
            urls["add"] = reverse("wagtailadmin_pages:add", args=["projects", content_type, pk])
        return urls


class ForeignItemTests(DepartmentScopeTestCase):
    def assert_refused(self, user, page):
        self.client.force_login(user)
        for name, url in self.page_urls(page).items():
            for method in ("get", "post"):
                with self.subTest(page=str(page), view=name, method=method):
                    response = getattr(self.client, method)(url, {}, follow=True)
                    if response.redirect_chain:
                        # A redirect must end refused or on the dashboard, never on a form.
                        final = response.redirect_chain[-1][0]
                        self.assertTrue(
                            response.status_code == 403 or final == reverse("wagtailadmin_home"),
                            f"{url} → {final} ({response.status_code})",
                        )
                    elif method == "get" and response.status_code == 405:
                        pass  # POST-only action (lock, unlock)
                    else:
                        self.assertEqual(response.status_code, 403, url)

    def test_editor_a_is_refused_every_admin_url_of_b_item_and_its_update(self):
        self.assert_refused(self.editor_a, self.item_b)
        self.assert_refused(self.editor_a, self.update_b)
        # Nothing changed on the way.
        self.assertTrue(Page.objects.get(pk=self.item_b.pk).live)
        self.assertTrue(Page.objects.get(pk=self.update_b.pk).live)
        self.assertEqual(ProgressUpdatePage.objects.child_of(self.item_b).count(), 1)
        self.assertIsNone(Page.objects.get(pk=self.item_b.pk).locked_by)

    def test_editor_a_cannot_edit_b_item_by_post(self):
        self.client.force_login(self.editor_a)
        url = reverse("wagtailadmin_pages:edit", args=[self.item_b.pk])
        response = self.client.post(url, {"title": "改名", "action-submit": "1"})
        self.assertIn(response.status_code, FORBIDDEN)
        self.assertEqual(ProjectPage.objects.get(pk=self.item_b.pk).title, "乙部门项目")
        self.assertFalse(ProjectPage.objects.get(pk=self.item_b.pk).workflow_in_progress)

    def test_editor_a_cannot_move_own_update_into_b_item_or_copy_there(self):
        self.client.force_login(self.editor_a)
        move = reverse("wagtailadmin_pages:move_confirm", args=[self.update_a.pk, self.item_b.pk])
        self.assertIn(self.client.post(move).status_code, FORBIDDEN)
        self.assertEqual(ProgressUpdatePage.objects.child_of(self.item_b).count(), 1)
        copy = reverse("wagtailadmin_pages:copy", args=[self.update_a.pk])
        self.client.post(
            copy,
            {
                "new_title": "复制",
                "new_slug": "copied",
                "new_parent_page": self.item_b.pk,
                "copy_subpages": False,
                "publish_copies": False,
            },
        )
        self.assertEqual(ProgressUpdatePage.objects.child_of(self.item_b).count(), 1)


class OwnItemTests(DepartmentScopeTestCase):
    def test_editor_a_opens_own_item_and_adds_an_update(self):
        self.client.force_login(self.editor_a)
        for name in ("edit", "history", "add_subpage", "add", "revisions_index", "explore"):
            url = self.page_urls(self.item_a)[name]
            response = self.client.get(url, follow=True)
            with self.subTest(view=name):
                self.assertEqual(response.status_code, 200)
                self.assertNotEqual(response.redirect_chain[-1:], [("/admin/", 302)])

    def test_reviewer_and_admin_see_every_department(self):
        for user in (self.reviewer, self.admin):
            self.client.force_login(user)
            for page in (self.item_b, self.update_b):
                url = reverse("wagtailadmin_pages:edit", args=[page.pk])
                with self.subTest(user=user.username, page=str(page)):
                    self.assertEqual(self.client.get(url).status_code, 200)

    def test_an_editor_of_both_departments_edits_both(self):
        both = make_user("both", "Editors", departments=[self.dept_a, self.dept_b], language="en")
        self.client.force_login(both)
        url = reverse("wagtailadmin_pages:edit", args=[self.item_b.pk])
        self.assertEqual(self.client.get(url).status_code, 200)

    def test_an_editor_may_choose_only_own_departments_on_a_new_item(self):
        self.client.force_login(self.editor_a)
        url = reverse("wagtailadmin_pages:add", args=["projects", "projectpage", self.year_page.pk])
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        choices = list(response.context["form"].fields["department"].queryset)
        self.assertEqual(choices, [self.dept_a])


class ListingTests(DepartmentScopeTestCase):
    def test_explorer_and_chooser_querysets_hide_other_departments(self):
        pages = scope_pages(Page.objects.all(), self.editor_a)
        self.assertIn(self.item_a.page_ptr, pages)
        self.assertIn(self.update_a.page_ptr, pages)
        self.assertNotIn(self.item_b.page_ptr, pages)
        self.assertNotIn(self.update_b.page_ptr, pages)
        self.assertIn(self.year_page.page_ptr, pages)
        self.assertEqual(
            scope_pages(Page.objects.all(), self.reviewer).count(), Page.objects.count()
        )

    def test_the_year_listing_shows_only_own_items(self):
        self.client.force_login(self.editor_a)
        response = self.client.get(reverse("wagtailadmin_explore", args=[self.year_page.pk]))
        self.assertContains(response, "甲部门项目")
        self.assertNotContains(response, "乙部门项目")
        search = self.client.get(reverse("wagtailadmin_pages:search") + "?q=部门项目")
        self.assertNotContains(search, "乙部门项目")


class BulkAndMembershipTests(DepartmentScopeTestCase):
    def test_bulk_actions_skip_other_departments_items(self):
        self.client.force_login(self.editor_a)
        for action in ("delete", "unpublish", "move"):
            url = (
                reverse("wagtail_bulk_action", args=["wagtailcore", "page", action])
                + f"?id={self.item_b.pk}&id={self.update_b.pk}"
            )
            with self.subTest(action=action):
                self.client.post(url, {"include_descendants": "on"})
        self.assertTrue(Page.objects.get(pk=self.item_b.pk).live)
        self.assertTrue(Page.objects.get(pk=self.update_b.pk).live)
        # The same request by a reviewer works, so the URL and form are right.
        self.client.force_login(self.reviewer)
        url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "unpublish"])
        self.client.post(f"{url}?id={self.update_b.pk}", {})
        self.assertFalse(Page.objects.get(pk=self.update_b.pk).live)

    def test_admins_manage_memberships_and_editors_cannot(self):
        url = reverse("department-editors:add")
        self.client.force_login(self.editor_a)
        self.assertIn(self.client.get(url).status_code, FORBIDDEN)
        self.client.force_login(self.admin)
        response = self.client.post(url, {"user": self.editor_a.pk, "department": self.dept_b.pk})
        self.assertEqual(response.status_code, 302)
        self.client.force_login(self.editor_a)
        edit = reverse("wagtailadmin_pages:edit", args=[self.item_b.pk])
        self.assertEqual(self.client.get(edit).status_code, 200)


class AdminSearchTests(DepartmentScopeTestCase):
    """Editors search pages every day: the explorer, the page chooser and the admin API."""

    def search_urls(self, query):
        return {
            "explorer": reverse("wagtailadmin_pages:search") + f"?q={query}",
            "explorer_under_year": reverse("wagtailadmin_explore", args=[self.year_page.pk])
            + f"?q={query}",
            "chooser": reverse("wagtailadmin_choose_page_search") + f"?q={query}",
            "api": f"/admin/api/main/pages/?search={query}",
        }

    def test_a_department_editor_searches_and_finds_only_own_items(self):
        self.client.force_login(self.editor_a)
        for query in ("部门项目", "甲部门", "school"):
            for name, url in self.search_urls(query).items():
                with self.subTest(view=name, query=query):
                    response = self.client.get(url)
                    self.assertEqual(response.status_code, 200)
                    self.assertNotContains(response, "乙部门项目")
        for name in ("explorer", "explorer_under_year", "chooser"):
            url = self.search_urls("甲部门")[name]
            with self.subTest(view=name, finds="own item"):
                self.assertContains(self.client.get(url), "甲部门项目")

    def test_a_reviewer_finds_every_department(self):
        self.client.force_login(self.reviewer)
        for query, title in (("甲部门", "甲部门项目"), ("乙部门", "乙部门项目")):
            with self.subTest(query=query):
                self.assertContains(self.client.get(self.search_urls(query)["explorer"]), title)


class ExplorerAccessTests(DepartmentScopeTestCase):
    """The explorer routes in front of Wagtail's keep what every admin URL has."""

    def test_anonymous_visitors_are_sent_to_sign_in(self):
        for name in ("wagtailadmin_explore", "wagtailadmin_explore_results"):
            response = self.client.get(reverse(name, args=[self.year_page.pk]))
            with self.subTest(view=name):
                self.assertEqual(response.status_code, 302)
                self.assertIn("/admin/login/", response["Location"])

    def test_the_explorer_speaks_the_users_admin_language(self):
        self.client.force_login(self.editor_a)  # make_user sets English
        response = self.client.get(reverse("wagtailadmin_explore", args=[self.year_page.pk]))
        self.assertContains(response, "Add progress update")
        self.assertNotContains(response, "新增进展更新")
