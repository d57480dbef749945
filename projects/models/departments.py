"""Department ownership, on which all department scoping rests.

`DepartmentMember` says which departments an admin user belongs to. Everything scoped by
department reads it: an editor changes only the items (and updates) of their departments
(`DepartmentPagePermissionTester` here; the explorer, choosers and imports in
`projects.editorial`), and sees and answers only the residents' messages routed to their
departments (`projects.feedback`). Users holding `projects.edit_all_departments` (Reviewers)
and superusers are not scoped.

Wagtail asks a page for `permissions_for_user(user)` before every admin action on it (edit,
delete, add child, publish, unpublish, move, copy, lock, revisions, history, preview, usage).
`ProjectPage` and `ProgressUpdatePage` return `DepartmentPagePermissionTester`, which treats an
editor outside the item's department as someone with no page permissions there at all, so the
same check covers every admin URL. This module imports no other model module: the pages ask it,
and tell it their department through `owning_department_id`.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import PagePermissionTester

ALL_DEPARTMENTS_PERMISSION = "projects.edit_all_departments"
_CACHE = "_portal_department_ids"


class DepartmentMember(models.Model):
    """A user's membership of a department: the items they may edit, the messages they answer."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="department_memberships",
        verbose_name=_("user"),
    )
    department = models.ForeignKey(
        "projects.Department",
        on_delete=models.CASCADE,
        related_name="members",
        verbose_name=_("department"),
    )

    class Meta:
        verbose_name = _("department member")
        verbose_name_plural = _("department members")
        # Held by Editors. It lives here, not on Feedback: Wagtail shows a model's whole audit
        # log (site history, choosers) to anyone with any permission on that model, and an
        # editor may see only the messages routed to their own department.
        permissions = [
            ("answer_routed_feedback", _("Can answer feedback routed to own department")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["user", "department"], name="unique_department_member")
        ]

    def __str__(self):
        return f"{self.user} · {self.department}"


def is_department_scoped(user):
    """True for an active, non-superuser without the every-department permission."""
    if not user.is_authenticated or not user.is_active or user.is_superuser:
        return False
    return not user.has_perm(ALL_DEPARTMENTS_PERMISSION)


def department_ids(user):
    """The ids of the departments `user` belongs to (cached on the user for the request)."""
    if not hasattr(user, _CACHE):
        ids = set(
            DepartmentMember.objects.filter(user=user).values_list("department_id", flat=True)
        )
        setattr(user, _CACHE, ids)
    return getattr(user, _CACHE)


def may_edit_department(user, department_id):
    return not is_department_scoped(user) or department_id in department_ids(user)


def item_department_id(page, cache=None):
    """The department of an item, or of the item an update belongs to; None for other pages
    (each page type answers through its `owning_department_id`).

    `cache` (a dict kept on the request's user) spares a query per row when a listing of an
    item's updates asks for each row's permissions.
    """
    owning_department_id = getattr(page, "owning_department_id", None)
    return owning_department_id(cache) if owning_department_id else None


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
