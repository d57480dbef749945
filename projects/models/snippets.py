"""Reference lists editors keep: categories, departments, districts, search synonyms (snippets)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.search import index

from ..choices import CategoryIcon
from ..search.text import normalise_term, read_seed_synonyms, split_words


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

    # Both names: the admin list's search box (projects.viewsets) searches them, and fails with
    # an error page on a field the index lacks.
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("name_en"),
        index.AutocompleteField("name_en"),
    ]

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
            # members, projects.models.departments); Reviewers have it.
            ("edit_all_departments", _("Can edit the items of every department")),
        ]


class District(NamedSnippet):
    class Meta(NamedSnippet.Meta):
        verbose_name = _("district or street")
        verbose_name_plural = _("districts and streets")


class SearchSynonym(models.Model):
    """A word residents type and the words items are written in (看病 → 医院, 卫生院 …).

    Searching for `term` also finds the items that contain any of the related words
    (projects.search.query). Editors extend the list under Reference lists; a fresh install
    starts with projects/search/synonyms.txt (migration 0007). Not indexed itself: the search
    reads the whole list, one query, on each search.
    """

    term = models.CharField(
        _("word residents type"),
        max_length=30,
        unique=True,
        help_text=_("One word as residents type it, e.g. 看病, 上学 or hospital."),
    )
    related = models.TextField(
        _("related words"),
        help_text=_(
            "Words the items are written in, separated by spaces, commas or 、, e.g. "
            "医院、卫生院、卫生服务站. Searching for the word also finds items that contain any "
            "of these."
        ),
    )
    suggested = models.BooleanField(
        _("suggest when nothing is found"),
        default=False,
        help_text=_(
            "Offer this word as a popular search when a search finds nothing (Chinese words on "
            "the Chinese site, English ones on the English site)."
        ),
    )

    class Meta:
        ordering = ["term"]
        verbose_name = _("search synonym")
        verbose_name_plural = _("search synonyms")

    def __str__(self):
        return self.term

    def clean(self):
        self.term = self.term.strip()
        if split_words(self.term) != [self.term]:
            raise ValidationError({"term": _("Enter one word, without spaces or commas.")})
        if not split_words(self.related):
            raise ValidationError({"related": _("Enter at least one related word.")})
        self.related = " ".join(split_words(self.related))

    def related_words(self):
        return split_words(self.related)

    @classmethod
    def mapping(cls):
        """{normalised word: related words} for projects.search.text.parse_query (one query)."""
        return {
            normalise_term(term): split_words(related)
            for term, related in cls.objects.values_list("term", "related")
        }

    @classmethod
    def ensure_seeded(cls):
        """Add the words of projects/search/synonyms.txt that are missing; keep editors' edits."""
        for term, related, suggested in read_seed_synonyms():
            cls.objects.get_or_create(
                term=term, defaults={"related": " ".join(related), "suggested": suggested}
            )
