"""Wagtail hooks of the editors' tools; imported by `projects/wagtail_hooks.py`.

Department scoping itself lives with the models (`projects.models.departments`: membership
and the tester behind every per-page admin check) and in `permissions.py` (the page
permission policy registered here for `Page`; Wagtail looks policies up by class, nearest
first, so this one wins over Wagtail's own for `AbstractPage`).
"""

from django.core.exceptions import PermissionDenied
from django.templatetags.static import static
from django.urls import include, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.admin.widgets import ListingButton
from wagtail.models import Page
from wagtail.permissions import register_permission_policy

from ..models import ProjectPage
from . import panels, urls
from .chooser import item_image_chooser_viewset
from .permissions import DepartmentPagePermissionPolicy, scope_pages
from .views import user_may_use_editorial_tools
from .viewsets import DepartmentMemberViewSet

register_permission_policy(Page, DepartmentPagePermissionPolicy(Page))


@hooks.register("insert_global_admin_css")
def editorial_admin_css():
    """The editors' tools' styles, also used inside the page editor (`projects.models.panels`)."""
    return format_html('<link rel="stylesheet" href="{}">', static("css/editorial-admin.css"))


@hooks.register("construct_explorer_page_queryset")
def hide_other_departments_in_explorer(parent_page, pages, request):
    return scope_pages(pages, request.user)


@hooks.register("construct_page_chooser_queryset")
def hide_other_departments_in_chooser(pages, request):
    return scope_pages(pages, request.user)


@hooks.register("before_move_page")
def refuse_moves_across_departments(request, page, destination):
    perms = page.permissions_for_user(request.user)
    if not perms.can_move() or not perms.can_move_to(destination):
        raise PermissionDenied


@hooks.register("register_admin_viewset")
def register_department_member_viewset():
    return DepartmentMemberViewSet()


@hooks.register("register_admin_viewset")
def register_item_image_chooser():
    return item_image_chooser_viewset()


@hooks.register("register_admin_urls")
def register_editorial_urls():
    return [path("editorial/", include((urls.urlpatterns, "editorial"), namespace="editorial"))]


class EditorialMenuItem(MenuItem):
    def is_shown(self, request):
        return user_may_use_editorial_tools(request.user)


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return EditorialMenuItem(
        _("Import & export"),
        reverse("editorial:index"),
        icon_name="table",
        order=250,
    )


@hooks.register("register_reports_menu_item")
def register_monthly_report_menu_item():
    return EditorialMenuItem(
        _("Monthly supervision report"),
        reverse("editorial:monthly_report"),
        icon_name="table",
        order=50,
    )


@hooks.register("construct_homepage_panels")
def add_editor_panels(request, panel_list):
    panel_list[:0] = panels.panels_for(request.user)


def _add_update_url(page):
    return reverse("wagtailadmin_pages:add", args=["projects", "progressupdatepage", page.pk])


@hooks.register("register_page_header_buttons")
def add_progress_update_header_button(page, user, view_name=None, next_url=None):
    if page.specific_class is ProjectPage and page.permissions_for_user(user).can_add_subpage():
        yield PageMenuItem(
            _("Add progress update"), _add_update_url(page), icon_name="plus", priority=5, page=page
        )


@hooks.register("register_page_listing_buttons")
def add_progress_update_listing_button(page, user, next_url=None):
    if page.specific_class is ProjectPage and page.permissions_for_user(user).can_add_subpage():
        yield ListingButton(
            _("Add progress update"),
            _add_update_url(page),
            icon_name="plus",
            priority=5,
        )
