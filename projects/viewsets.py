"""Admin viewsets: the reference lists editors keep, grouped under one menu."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.active_filters import ActiveFilter, BaseFilterAdapter
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Category, Department, District, SearchSynonym

# The named lists' search boxes search the model's index (both names, NamedSnippet.search_fields):
# naming fields here makes the search backend filter by column, which SQLite's full-text index
# cannot do (the box answered with an error page).


class CategoryViewSet(SnippetViewSet):
    model = Category
    icon = "tag"
    list_display = ["name", "name_en", "slug", "sort_order"]


class DepartmentViewSet(SnippetViewSet):
    model = Department
    icon = "group"
    list_display = ["name", "name_en", "short_name", "sort_order"]


class DistrictViewSet(SnippetViewSet):
    model = District
    icon = "site"
    list_display = ["name", "name_en", "slug", "sort_order"]


class SearchSynonymViewSet(SnippetViewSet):
    """The words residents type and what they mean in the items' wording (projects.search)."""

    model = SearchSynonym
    icon = "search"
    list_display = [
        "term",
        "related",
        BooleanColumn("suggested", label=_("suggest when nothing is found"), sort_key="suggested"),
    ]
    list_filter = ["suggested"]
    search_fields = ["term", "related"]
    ordering = ["term"]


class ReferenceListsGroup(SnippetViewSetGroup):
    menu_label = _("Reference lists")
    menu_icon = "list-ul"
    menu_order = 200
    items = (CategoryViewSet, DepartmentViewSet, DistrictViewSet, SearchSynonymViewSet)


class BooleanFilterAdapter(BaseFilterAdapter):
    """Shows an active yes/no filter (e.g. the feedback queue's "overdue") as 是/否, not "True".

    Wagtail 8 has no adapter for django-filter's BooleanFilter; registered in wagtail_hooks.
    """

    def get_active_filters(self):
        yield ActiveFilter(
            self.bound_field.auto_id,
            self.filter.label,
            _("Yes") if self.value else _("No"),
            self.get_url_without_filter_param(self.name),
        )
