"""The item's admin form: a department-scoped editor may only pick one of their departments.

Imported by `projects.models.pages` (as `ProjectPage.base_form_class`), so it must not import
the models at module level.
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from .permissions import department_ids, is_department_scoped


class ProjectPageAdminForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self, "for_user", None)
        field = self.fields.get("department")
        if user is not None and field is not None and is_department_scoped(user):
            field.queryset = field.queryset.filter(pk__in=department_ids(user))
            field.help_text = _("You can choose only the departments you belong to.")

    def clean_department(self):
        department = self.cleaned_data.get("department")
        user = getattr(self, "for_user", None)
        if department is not None and user is not None and is_department_scoped(user):
            if department.pk not in department_ids(user):
                raise forms.ValidationError(_("You do not belong to this department."))
        return department
