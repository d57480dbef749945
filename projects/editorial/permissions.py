"""Department ownership: an editor changes only the items (and updates) of their departments.

Wagtail asks a page for `permissions_for_user(user)` before every admin action on it (edit,
delete, add child, publish, unpublish, move, copy, lock, revisions, history, preview, usage).
`ProjectPage` and `ProgressUpdatePage` return `DepartmentPagePermissionTester`, which treats an
editor outside the item's department as someone with no page permissions there at all, so the
same check covers every admin URL. Membership is `DepartmentMember`; users holding
`projects.edit_all_departments` (Reviewers) and superusers are not scoped.
"""

from django.db.models import F
from django.db.models.functions import Substr
from wagtail.models import Page, PagePermissionTester
from wagtail.permission_policies.pages import PagePermissionPolicy

ALL_DEPARTMENTS_PERMISSION = "projects.edit_all_departments"
_CACHE = "_portal_department_ids"


def is_department_scoped(user):
    """True for an active, non-superuser without the every-department permission."""
    if not user.is_authenticated or not user.is_active or user.is_superuser:
        return False
    return not user.has_perm(ALL_DEPARTMENTS_PERMISSION)


def department_ids(user):
    """The ids of the departments `user` belongs to (cached on the user for the request)."""
    if not hasattr(user, _CACHE):
        from ..models import DepartmentMember

        ids = set(
            DepartmentMember.objects.filter(user=user).values_list("department_id", flat=True)
        )
        setattr(user, _CACHE, ids)
    return getattr(user, _CACHE)


def may_edit_department(user, department_id):
    return not is_department_scoped(user) or department_id in department_ids(user)


def item_department_id(page, cache=None):
    """The department of an item, or of the item an update belongs to; None for other pages.

    `cache` (a dict kept on the request's user) spares a query per row when a listing of an
    item's updates asks for each row's permissions.
    """
    from ..models import ProgressUpdatePage, ProjectPage

    if isinstance(page, ProjectPage):
        return page.department_id
    if isinstance(page, ProgressUpdatePage) and page.path:
        parent_path = page.path[: -Page.steplen]
        cache = {} if cache is None else cache
        if parent_path not in cache:
            cache[parent_path] = (
                ProjectPage.objects.filter(path=parent_path)
                .values_list("department_id", flat=True)
                .first()
            )
        return cache[parent_path]
    return None


class DepartmentPagePermissionTester(PagePermissionTester):
    """Wagtail's tester, with no page permissions for editors outside the item's department."""

    def __init__(self, user, page):
        super().__init__(user, page)
        self.outside_department = False
        if is_department_scoped(user):
            cache = user.__dict__.setdefault("_portal_item_departments", {})
            department_id = item_department_id(page, cache)
            # None: not an item or update, or one not saved yet (its parent was checked).
            self.outside_department = department_id is not None and not may_edit_department(
                user, department_id
            )
        if self.outside_department:
            self.permissions = set()

    def can_edit(self):
        # Wagtail lets whoever may act on the current workflow task open the editor; a scoped
        # editor is never such a reviewer, but keep the rule absolute.
        return not self.outside_department and super().can_edit()


def scope_pages(pages, user):
    """Drop other departments' items and their updates from an admin page queryset."""
    if not is_department_scoped(user):
        return pages
    from ..models import ProjectPage

    foreign = ProjectPage.objects.exclude(department_id__in=department_ids(user))
    # The children (updates) of foreign items, as a pk subquery: the search backends behind the
    # explorer, the page chooser and the admin API accept only plain field lookups on the
    # queryset they search, so no annotation may appear in its own WHERE clause.
    parent_path = Substr("path", 1, (F("depth") - 1) * Page.steplen)
    foreign_children = (
        Page.objects.alias(parent_path=parent_path)
        .filter(parent_path__in=foreign.values("path"))
        .values("pk")
    )
    return pages.exclude(pk__in=foreign.values("pk")).exclude(pk__in=foreign_children)


class DepartmentPagePermissionPolicy(PagePermissionPolicy):
    """Wagtail's page policy, with other departments' items and updates left out.

    Registered for `Page` (`projects.editorial.admin_hooks`), so the admin's page search,
    dashboards and bulk actions see the same scope as the explorer.
    """

    def explorable_instances(self, user):
        return scope_pages(super().explorable_instances(user), user)

    def instances_user_has_any_permission_for(self, user, actions):
        return scope_pages(super().instances_user_has_any_permission_for(user, actions), user)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        if is_department_scoped(user):
            department_id = item_department_id(instance.specific_deferred)
            if department_id is not None and department_id not in department_ids(user):
                return False
        return super().user_has_any_permission_for_instance(user, actions, instance)
