"""Department scoping in admin listings: other departments' items and updates left out.

The rule itself (who belongs to which department, the per-page permission tester) lives with
the models in `projects.models.departments`; this applies it to admin querysets and registers
nothing (`projects.editorial.wagtail_hooks` registers the policy).
"""

from django.db.models import F
from django.db.models.functions import Substr
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy

from ..models import ProjectPage
from ..models.departments import department_ids, is_department_scoped, item_department_id


def scope_pages(pages, user):
    """Drop other departments' items and their updates from an admin page queryset."""
    if not is_department_scoped(user):
        return pages
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


def scope_items(items, user):
    """Only `user`'s departments' items, for a department editor (downloads and reports);
    every item for everyone else. `user=None` (a command run by an operator): every item."""
    if user is None or not is_department_scoped(user):
        return items
    return items.filter(department_id__in=department_ids(user))


class DepartmentPagePermissionPolicy(PagePermissionPolicy):
    """Wagtail's page policy, with other departments' items and updates left out.

    Registered for `Page` (`projects.editorial.wagtail_hooks`), so the admin's page search,
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
