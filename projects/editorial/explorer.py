"""The admin's page explorer (`/admin/pages/<id>/`), closed to other departments' items.

Wagtail opens the explorer of any page below the user's explorable root and only filters the
children it lists, so a department editor could still open another department's item (a
draft included) and read its title, status and history summary. These views wrap Wagtail's
own explorer routes and refuse the page first; `portal/urls.py` puts them in front of
Wagtail's admin URLs. Like every admin URL they go through `require_admin_access` (sign-in,
admin access, the user's admin language).
"""

from django.shortcuts import get_object_or_404
from wagtail.admin.auth import permission_denied, require_admin_access
from wagtail.admin.viewsets.pages import page_viewset_registry
from wagtail.models import Page

from ..models.departments import item_department_id, may_edit_department

_explore = page_viewset_registry.as_view("index", parent_page_id_kwarg="parent_page_id")
_explore_results = page_viewset_registry.as_view(
    "index_results", parent_page_id_kwarg="parent_page_id"
)


def _outside_department(user, parent_page_id):
    page = get_object_or_404(Page, pk=parent_page_id).specific_deferred
    department_id = item_department_id(page)
    return department_id is not None and not may_edit_department(user, department_id)


@require_admin_access
def explore(request, parent_page_id):
    if _outside_department(request.user, parent_page_id):
        return permission_denied(request)
    return _explore(request, parent_page_id=parent_page_id)


@require_admin_access
def explore_results(request, parent_page_id):
    if _outside_department(request.user, parent_page_id):
        return permission_denied(request)
    return _explore_results(request, parent_page_id=parent_page_id)
