"""Reference lists editors pick from: categories, departments and districts (snippets)."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.search import index

from ..choices import CategoryIcon


class NamedSnippet(index.Indexed, models.Model):
    """A name in Chinese with an English one for the English site; sorted by `sort_order`."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    name_en = models.CharField(
        _("English name"), max_length=100, blank=True, help_text=_("Shown on the English site.")
    )
    slug = models.SlugField(
        _("slug"),
        max_length=60,
        unique=True,
        help_text=_("Used in filter links, e.g. “education”."),
    )
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        abstract = True
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name

    @property
    def display_name(self):
        """The name in the visitor's language, falling back to Chinese."""
        if self.name_en and (get_language() or "").startswith("en"):
            return self.name_en
        return self.name


class Category(NamedSnippet):
    colour = models.CharField(
        _("colour"),
        max_length=7,
        default="#1d6fa5",
        help_text=_("A hex colour such as #1d6fa5, used for the category's badge and chart bar."),
    )
    icon = models.CharField(
        _("icon"),
        max_length=20,
        choices=CategoryIcon.choices,
        blank=True,
        help_text=_("The small picture shown beside the category's name on the public site."),
    )

    class Meta(NamedSnippet.Meta):
        verbose_name = _("category")
        verbose_name_plural = _("categories")


class Department(NamedSnippet):
    short_name = models.CharField(_("short name"), max_length=30, blank=True)

    class Meta(NamedSnippet.Meta):
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        permissions = [
            # Editors without it see and change only their departments' items (department
            # members, projects.editorial.permissions); Reviewers have it.
            ("edit_all_departments", _("Can edit the items of every department")),
        ]


class District(NamedSnippet):
    class Meta(NamedSnippet.Meta):
        verbose_name = _("district or street")
        verbose_name_plural = _("districts and streets")
