"""Filtering and sorting a year's items from GET parameters (shareable URLs, no JS)."""

from urllib.parse import urlencode

import django_filters
from django import forms
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from .choices import Colour, Status
from .models import Category, Department, District, ProjectPage
from .search.query import search_items

SORTS = {
    "number": ("number",),
    "progress": ("-progress", "number"),
    "behind": ("-lag", "number"),
    # Items never updated last on every database (PostgreSQL puts NULL first when descending).
    "updated": (F("last_update_date").desc(nulls_last=True), "number"),
    "completion": ("planned_completion", "number"),
}
SORT_CHOICES = [
    ("number", _("Number")),
    ("progress", _("Progress, highest first")),
    ("behind", _("Furthest behind first")),
    ("updated", _("Latest update first")),
    ("completion", _("Completion date")),
]


class SnippetChoiceFilter(django_filters.ModelChoiceFilter):
    """Choose a category, department or district by its slug, showing its display name."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        kwargs.setdefault("empty_label", _("All"))
        super().__init__(*args, **kwargs)

    @property
    def field(self):
        field = super().field
        field.label_from_instance = lambda snippet: snippet.display_name
        return field


class ProjectFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Keyword"), method="filter_nothing", max_length=100)
    category = SnippetChoiceFilter(label=_("Category"), queryset=Category.objects.all())
    district = SnippetChoiceFilter(label=_("District"), queryset=District.objects.all())
    department = SnippetChoiceFilter(label=_("Department"), queryset=Department.objects.all())
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Status.choices, empty_label=_("All")
    )
    colour = django_filters.ChoiceFilter(
        label=_("Schedule"), choices=Colour.choices, empty_label=_("All")
    )
    tag = django_filters.CharFilter(
        label=_("Tag"), field_name="tags__name", widget=forms.HiddenInput
    )
    # Left empty, a search lists the best matches first and a list goes by number.
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        choices=SORT_CHOICES,
        method="filter_nothing",
        empty_label=_("Best match or number"),
    )

    class Meta:
        model = ProjectPage
        fields = []

    search = None  # the projects.search.query.SearchResult once `results` ran a search

    def filter_nothing(self, queryset, name, value):
        return queryset  # applied in `results`, after the database filters

    def results(self, memo_key=None):
        """The matching items sorted as asked: a list ranked by relevance when searching,
        otherwise an ordered queryset, so a paginator fetches only the page it shows.

        Items come with what a card or a map marker shows (category, district, cover image),
        without the fields no list shows (the body, the delay reason). `memo_key`: see
        `search_items`.
        """
        data = self.form.cleaned_data if self.is_valid() else {}
        queryset = self.qs.select_related("category", "district", "cover_image").defer(
            *ProjectPage.LIST_DEFERRED
        )
        sort = data.get("sort") or ""
        if data.get("q"):
            # A lazy sequence: len() is the total, a slice fetches only those items.
            self.search = search_items(
                data["q"], queryset, order_by=SORTS.get(sort), memo_key=memo_key
            )
            return self.search
        queryset = queryset.order_by(*SORTS.get(sort, SORTS["number"]))
        # Only the tag filter joins a relation with several rows per item; DISTINCT over every
        # column costs more than the rest of a thousand-item list.
        return queryset.distinct() if data.get("tag") else queryset

    @property
    def keyword_query(self):
        """The query string that keeps only the keyword (and the map's year): where "Clear
        filters" leads."""
        data = self.data or {}
        return urlencode({name: data[name] for name in ("q", "year") if data.get(name)})

    @property
    def summary(self):
        """The filters and sort in force, as (label, chosen value) pairs for the one-line summary
        above the results; the keyword is not one of them (the search box shows it)."""
        if not self.is_valid():
            return []
        pairs = []
        for name, value in self.form.cleaned_data.items():
            if name == "q" or not value:
                continue
            field = self.form.fields[name]
            if hasattr(value, "display_name"):
                shown = value.display_name
            elif getattr(field, "choices", None):
                shown = dict(field.choices).get(value, value)
            else:
                shown = value
            pairs.append((field.label, shown))
        return pairs

    @property
    def active(self):
        """True when anything narrows the list (sorting alone does not)."""
        data = self.form.cleaned_data if self.is_valid() else {}
        return any(value for name, value in data.items() if name != "sort")
