"""The item's and the update's admin forms.

A department-scoped editor may only pick one of their departments; image choosers open on the
item's photo collection (`projects.editorial.collections`); an update that leaves its item
behind needs a reason. They are the pages' `base_form_class`, so they live beside the models
and import none of the page models themselves.
"""

import copy

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.images.widgets import AdminImageChooser

from ..choices import Colour
from ..editorial.widgets import ItemImageChooser
from ..schedule import is_behind
from .departments import department_ids, is_department_scoped


def _point_choosers(fields, collection_id):
    for field in fields.values():
        if isinstance(field.widget, AdminImageChooser):
            field.widget = ItemImageChooser(collection_id=collection_id)


class ItemPhotosFormMixin:
    """Every image chooser of the form, inline ones too, opens on the item's collection."""

    def photos_item(self):
        raise NotImplementedError

    def point_image_choosers(self):
        item = self.photos_item()
        link = getattr(item, "photo_collection", None) if item is not None and item.pk else None
        if link is None:
            return
        _point_choosers(self.fields, link.collection_id)
        for formset in self.formsets.values():
            for form in formset.forms:
                _point_choosers(form.fields, link.collection_id)
            # The empty form (what "Add photo" clones) is built from the class: give this
            # formset its own subclass instead of changing the shared one.
            form_class = type(formset.form.__name__, (formset.form,), {})
            form_class.base_fields = copy.deepcopy(formset.form.base_fields)
            _point_choosers(form_class.base_fields, link.collection_id)
            formset.form = form_class


class ProgressUpdateAdminForm(ItemPhotosFormMixin, WagtailAdminPageForm):
    """An update's image choosers open on its item's photos; an update that leaves its item
    orange or red must say why.

    Lateness is judged with the schedule rule of `projects.schedule`, as the item will be once
    the update is published (`ProjectPage.schedule_after`). Saving a draft changes nothing
    residents see, so only submitting and publishing are refused.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.point_image_choosers()

    def photos_item(self):
        if self.instance.pk:
            return self.instance.project
        return getattr(self.parent_page, "specific", None)

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


class ProjectPageAdminForm(ItemPhotosFormMixin, WagtailAdminPageForm):
    def photos_item(self):
        return self.instance

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.point_image_choosers()
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
