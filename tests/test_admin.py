"""The demo accounts reach the admin, and an editor can create an item and an update."""

from datetime import date

from django.contrib.auth.models import User
from django.test import TestCase
from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils import WagtailTestUtils
from wagtail.test.utils.form_data import (
    nested_form_data,
    querydict_from_html,
    rich_text,
    streamfield,
)

from portal.setup import ensure_home_page
from projects.factories import (
    CategoryFactory,
    DepartmentFactory,
    DistrictFactory,
    ProjectIndexPageFactory,
    ProjectPageFactory,
)
from projects.models import DepartmentMember, ProgressUpdatePage, ProjectPage
from tests.conftest import PASSWORD, make_user
from tests.two_factor_support import give_device, next_code


def test_every_role_reaches_the_dashboard(client, roles):
    assert set(roles) == {"admin", "editor", "reviewer", "moderator"}
    for user in roles.values():
        # Administrators, reviewers and moderators also enter a code (tests/test_two_factor.py).
        device = give_device(user) if user.username != "editor" else None
        response = client.post(
            reverse("wagtailadmin_login"), {"username": user.username, "password": PASSWORD}
        )
        assert response.status_code == 302, user
        assert response["Location"] == reverse("wagtailadmin_home")
        if device:
            client.post(reverse("signin_two_factor_verify"), {"code": next_code(device)})
        assert "Dashboard" in client.get(reverse("wagtailadmin_home")).content.decode()
        client.logout()


class AdminAccessTests(TestCase):
    def test_a_resident_account_is_kept_out(self):
        User.objects.create_user("resident", password="pw")
        self.client.login(username="resident", password="pw")
        response = self.client.get(reverse("wagtailadmin_home"))
        self.assertRedirects(response, reverse("wagtailadmin_login") + "?next=/admin/")


class EditorCreatesTests(TestCase, WagtailTestUtils):
    @classmethod
    def setUpTestData(cls):
        cls.year = ProjectIndexPageFactory(parent=ensure_home_page(), year=2022)
        cls.category = CategoryFactory(slug="parks")
        cls.department = DepartmentFactory(slug="culture")
        cls.district = DistrictFactory(slug="dawang")

    def setUp(self):
        editor = make_user("editor", "Editors")
        # Editors act only on their departments' items (projects.editorial.permissions).
        DepartmentMember.objects.create(user=editor, department=self.department)
        self.client.force_login(editor)

    def add_form(self, model, parent):
        url = reverse(
            "wagtailadmin_pages:add", args=["projects", model._meta.model_name, parent.pk]
        )
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        return url, querydict_from_html(response.content.decode(), form_id="page-edit-form")

    def test_editor_creates_an_item_and_submits_it_for_review(self):
        url, data = self.add_form(ProjectPage, self.year)
        data.update(
            {
                "number": "42",
                "title": "社区长者饭堂",
                "summary": "为老年人提供助餐服务。",
                "category": self.category.pk,
                "department": self.department.pk,
                "district": self.district.pk,
                "planned_start": "2022-03-01",
                "planned_completion": "2022-09-30",
                "budget": "120.5",
                "action-submit": "submit",
                **nested_form_data({"body": streamfield([])}),
            }
        )
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 302, getattr(response, "context", None))
        item = ProjectPage.objects.get(number=42)
        self.assertEqual(item.url_path.rstrip("/").rsplit("/", 1)[-1], "42")
        self.assertFalse(item.live)
        self.assertEqual(item.current_workflow_state.status, "in_progress")

    def test_editor_sees_the_delay_reason_error(self):
        url, data = self.add_form(ProjectPage, self.year)
        data.update(
            {
                "number": "43",
                "title": "口袋公园",
                "summary": "建设口袋公园。",
                "category": self.category.pk,
                "department": self.department.pk,
                "district": self.district.pk,
                "planned_start": "2022-03-01",
                "planned_completion": "2022-09-30",
                "revised_completion": "2022-12-31",
                "budget": "80",
                **nested_form_data({"body": streamfield([])}),
            }
        )
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 200)
        self.assertIn("delay_reason", response.context["form"].errors)
        self.assertFalse(ProjectPage.objects.filter(number=43).exists())

    def test_editor_adds_a_progress_update_with_only_date_percent_and_text(self):
        item = ProjectPageFactory(
            parent=self.year,
            number=7,
            category=self.category,
            department=self.department,
            district=self.district,
        )
        url, data = self.add_form(ProgressUpdatePage, item)
        data.update(
            {
                "date": "2022-06-15",
                "progress": "35",
                "text": rich_text("<p>主体结构施工中。</p>"),
            }
        )
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 302)
        update = ProgressUpdatePage.objects.child_of(item).get()
        self.assertEqual(
            (update.date, update.progress, update.slug), (date(2022, 6, 15), 35, "2022-06-15")
        )
        self.assertIn("2022-06-15", update.title)


class ChineseWorkflowNamesTests(TestCase):
    """Migration 0009 names Wagtail's default workflow, its task and the tree's root in Chinese,
    and the save button's menu reads fully Chinese (not "提交给Moderators approval")."""

    def test_the_migrated_database_names_them_in_chinese(self):
        workflow = Page.get_first_root_node().get_workflow()
        self.assertEqual(workflow.name, "审核发布")
        self.assertEqual([task.name for task in workflow.tasks], ["审核人审核"])
        self.assertEqual(Page.get_first_root_node().title, "根目录")

    def test_an_editor_is_offered_to_submit_in_chinese(self):
        year = ProjectIndexPageFactory(parent=ensure_home_page(), year=2022)
        department = DepartmentFactory(slug="culture")
        item = ProjectPageFactory(parent=year, department=department)
        editor = make_user("editor", "Editors")
        DepartmentMember.objects.create(user=editor, department=department)
        self.client.force_login(editor)
        response = self.client.get(reverse("wagtailadmin_pages:edit", args=[item.pk]))
        self.assertContains(response, "提交审核发布")
        self.assertNotContains(response, "Moderators approval")
