"""Admin screen for department membership: which editors act for which department.

Administrators (who hold the `DepartmentMember` model permissions) maintain it under
Settings; editors' scope follows at once (`projects.models.departments`).
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.model import ModelViewSet

from ..models import DepartmentMember


class DepartmentMemberViewSet(ModelViewSet):
    model = DepartmentMember
    icon = "group"
    menu_label = _("Department editors")
    name = "department-editors"
    add_to_settings_menu = True
    list_display = ["user", "department"]
    list_filter = ["department"]
    form_fields = ["user", "department"]
    ordering = ["department__sort_order", "user__username"]
