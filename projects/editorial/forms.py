"""The admin forms of items and progress updates.

Imported by `projects.models.pages` (as the pages' `base_form_class`), so it must not import
the models at module level.
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from ..choices import Colour
from ..schedule import is_behind
from .permissions import department_ids, is_department_scoped


class ProjectPageAdminForm(WagtailAdminPageForm):
    """A department-scoped editor may only pick one of their departments."""

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


class ProgressUpdateAdminForm(WagtailAdminPageForm):
    """A progress update that leaves its item orange or red must say why (issue 8).

    Judged with the schedule rule of `projects.schedule`, as the item will be once the update
    is published (`ProjectPage.schedule_after`). Saving a draft changes nothing residents see,
    so only submitting and publishing are refused.
    """

    def clean(self):
        cleaned_data = super().clean()
        progress, day = cleaned_data.get("progress"), cleaned_data.get("date")
        if self.is_deferred_validation or self.parent_page is None or None in (progress, day):
            return cleaned_data
        item = self.parent_page.specific  # a ProjectPage (ProgressUpdatePage.parent_page_types)
        schedule = item.schedule_after(progress=progress, day=day, update=self.instance)
        if (
            schedule
            and is_behind(schedule.colour)
            and not cleaned_data.get("lag_reason", "").strip()
        ):
            self.add_error(
                "lag_reason",
                _(
                    "With this update the item is “%(colour)s”: %(actual)s%% done where the "
                    "schedule expects %(expected)s%%. Residents are told why: write the reason "
                    "it is behind and what is being done."
                )
                % {
                    "colour": Colour(schedule.colour).label,
                    "actual": schedule.actual,
                    "expected": schedule.expected,
                },
            )
        return cleaned_data
