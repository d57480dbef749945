"""The item's and the update's admin forms.

A department-scoped editor may only pick one of their departments; image choosers open on the
item's photo collection (`collections.py`). Imported by `projects.models.pages` (as
`base_form_class`), so it must not import the models at module level.
"""

import copy

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.images.widgets import AdminImageChooser

from .permissions import department_ids, is_department_scoped
from .widgets import ItemImageChooser


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
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.point_image_choosers()

    def photos_item(self):
        if self.instance.pk:
            return self.instance.project
        return getattr(self.parent_page, "specific", None)


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
