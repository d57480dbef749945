"""Filtering and sorting a year's items from GET parameters (shareable URLs, no JS)."""

import hashlib
from urllib.parse import urlencode

import django_filters
from django import forms
from django.conf import settings
from django.core.cache import caches
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from . import generations
from .choices import Colour, Status
from .models import Category, Department, District, ProjectPage
from .pagination import ItemIds
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


def results_memo_key(request, scopes):
    """Where the ordered ids of a list or search are kept (`ProjectFilter.results`): its
    parameters but the page, under the generation of `scopes`, which every change that could
    add, drop or reorder an item purges. None when fragments are off."""
    generation = generations.generation(request, scopes)
    if not generation:
        return None
    params = sorted((k, v) for k, values in request.GET.lists() if k != "page" for v in values)
    digest = hashlib.sha256(f"{generation}|{request.path}|{urlencode(params)}".encode())
    return f"list-ids:{digest.hexdigest()}"


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
        """The matching items sorted as asked: ranked by relevance when searching, otherwise in
        the order of the sort chosen. Either way a lazy sequence (`ItemIds`) or a queryset, so
        a paginator fetches only the page it shows.

        Items come with what a card or a map marker shows (category, district, cover image),
        without the fields no list shows (the body, the delay reason). `memo_key`
        (`results_memo_key`): keep the ordered ids in the fragments cache under it, so the next
        view of the same list or search neither ranks, counts nor sorts its rows again.
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
        ordered = queryset.order_by(*SORTS.get(sort, SORTS["number"]))
        # Only the tag filter joins a relation with several rows per item; DISTINCT over every
        # column costs more than the rest of a thousand-item list.
        ordered = ordered.distinct() if data.get("tag") else ordered
        if not memo_key:
            return ordered
        ids = caches["fragments"].get(memo_key)
        if ids is None:
            ids = list(dict.fromkeys(ordered.values_list("pk", flat=True)))
            caches["fragments"].set(memo_key, ids, settings.FRAGMENT_CACHE_SECONDS)
        return ItemIds(ids, queryset=queryset)

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
