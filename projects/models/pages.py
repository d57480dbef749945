"""The page tree under the home page: year → item → progress update."""

import copy
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connections, models
from django.db.models import (
    Avg,
    Case,
    Count,
    F,
    Max,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    When,
    prefetch_related_objects,
)
from django.db.models.functions import Substr
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index
from wagtail.url_routing import RouteResult

from .. import boards, generations
from ..blocks import ProjectBodyBlock
from ..charts import progress_curve
from ..choices import Colour, Status
from ..pagination import ItemIds, card_page
from ..renditions import CARD, COVER, GALLERY, VIEWER, WIDE, prefetch_renditions
from ..schedule import DataDate, assess, data_date, is_behind
from ..search.text import index_text
from .departments import DepartmentPagePermissionTester
from .forms import ProgressUpdateAdminForm, ProjectPageAdminForm
from .images import PortalRendition
from .panels import UpdateEffectPanel
from .snippets import Department

PERCENT_VALIDATORS = [MinValueValidator(0), MaxValueValidator(100)]
MONEY = {"max_digits": 12, "decimal_places": 2, "validators": [MinValueValidator(0)]}


def route_to_child(parent, child_model, request, path_components, select_related=()):
    """Route to a child of `parent` of the one type it can have in one query (Wagtail's own
    routing takes two per level: the page, then its specific type), with `select_related`
    joined in; None to let Wagtail route anything else."""
    if not path_components:
        return None
    if not parent.live:
        # Wagtail routes through an unpublished page to its live children; we do not: an
        # unpublished item's updates (or an unpublished year's items) are not public either.
        raise Http404
    child = (
        child_model.objects.child_of(parent)
        .filter(slug=path_components[0])
        .select_related(*select_related)
        .first()
    )
    if child is None:
        return None
    child._cached_parent_obj = parent
    return child.route(request, path_components[1:])


class ProjectIndexPage(Page):
    """One year's list of livelihood items, at `/<year>/`."""

    year = models.PositiveSmallIntegerField(
        _("year"),
        unique=True,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text=_("The year of the list; it is also the page's address, e.g. /2022/."),
    )
    intro = RichTextField(
        _("introduction"), blank=True, features=["bold", "italic", "link", "ol", "ul"]
    )
    status_date = models.DateField(
        _("figures as of"),
        null=True,
        blank=True,
        help_text=_(
            "Leave empty while the year runs: the figures are then as of the latest published "
            "progress update. Once the year is closed, set the final assessment date; a progress "
            "update dated later still moves the figures on to its date."
        ),
    )

    content_panels = Page.content_panels + [
        FieldPanel("year"),
        FieldPanel("intro"),
        FieldPanel("status_date"),
    ]
    promote_panels = [FieldPanel("seo_title"), FieldPanel("search_description")]

    parent_page_types = ["portal.HomePage"]
    subpage_types = ["projects.ProjectPage"]

    class Meta:
        verbose_name = _("year list")
        verbose_name_plural = _("year lists")

    def route(self, request, path_components):
        if path_components == ["boards"]:
            if not self.live:
                raise Http404
            return RouteResult(self, kwargs={"boards": True})
        return route_to_child(
            self, ProjectPage, request, path_components, ProjectPage.PAGE_RELATIONS
        ) or super().route(request, path_components)

    def serve(self, request, *args, boards=False, **kwargs):
        if boards:
            return self.serve_boards(request)
        return super().serve(request, *args, **kwargs)

    def serve_boards(self, request):
        """`/<year>/boards/`: the site boards of the year's items, one A4 page each, in
        documents of `boards.BOARDS_PER_DOCUMENT`, optionally of one department."""
        items = self.items().select_related("department")
        departments = list(Department.objects.filter(pk__in=self.items().values("department_id")))
        chosen = request.GET.get("department", "")
        if chosen:
            items = items.filter(department__slug=chosen)
        page_obj = Paginator(items, boards.BOARDS_PER_DOCUMENT).get_page(request.GET.get("page"))
        department = next((d for d in departments if d.slug == chosen), None)
        return TemplateResponse(
            request,
            "projects/board/year.html",
            {
                "page": self,
                "self": self,
                "request": request,
                "boards": [boards.board_for(item, request) for item in page_obj.object_list],
                "page_obj": page_obj,
                "departments": departments,
                "department": department,
                "chosen": chosen,
                "data_date": self.cached_data_date(request),
            },
        )

    def full_clean(self, *args, **kwargs):
        if self.year:
            self.slug = str(self.year)
        super().full_clean(*args, **kwargs)

    def data_date(
        self, *, with_update_on: date | None = None, today: date | None = None
    ) -> DataDate:
        """The date this year's figures are as of and judged on (`projects.schedule.data_date`).

        `with_update_on`: as it will be once an update dated so is published.
        """
        latest = (
            ProgressUpdatePage.objects.descendant_of(self).live().aggregate(latest=Max("date"))
        )["latest"]
        if with_update_on is not None:
            latest = max(latest or with_update_on, with_update_on)
        return data_date(
            set_date=self.status_date, latest_update=latest, today=today or timezone.localdate()
        )

    def cached_data_date(self, request) -> DataDate:
        """`data_date()`, computed once after each change of the year (any published update
        purges its year), for the pages that show it."""
        return generations.remember(
            request, self.cache_scopes, f"year-data-date:{self.pk}", self.data_date
        )

    @property
    def cache_scopes(self):
        """The page-cache scopes every change of this year purges (`portal.cache_purge`)."""
        return ("site", f"section:/{self.year}/")

    def assessment_date(self) -> date:
        return self.data_date().date

    def refresh_items(self):
        """Recompute every item's figures as of the year's data date (one date for all)."""
        on = self.assessment_date()
        for item in ProjectPage.objects.child_of(self).iterator(chunk_size=200):
            item.refresh_progress(on=on)

    def items(self):
        return ProjectPage.objects.child_of(self).live().order_by("number")

    def get_context(self, request, *args, **kwargs):
        # The one import upwards from the models: the list's filters (and the search behind
        # them) are the query layer's, built on these models. pyproject.toml's import-linter
        # contract allows exactly this import.
        from ..filters import ProjectFilter, results_memo_key

        context = super().get_context(request, *args, **kwargs)
        items = self.items()
        filterset = ProjectFilter(request.GET or None, queryset=items)
        chosen = filterset.form.cleaned_data if filterset.is_valid() else {}
        # The year's roll-ups, the same for every filter and page of the list: computed once
        # after each change of the year (`projects.generations.remember`).
        categories = generations.remember(
            request,
            self.cache_scopes,
            f"year-categories:{self.pk}",
            lambda: items.breakdown("category"),
        )
        page_obj = card_page(
            request, filterset.results(memo_key=results_memo_key(request, self.cache_scopes))
        )
        context.update(
            data_date=self.cached_data_date(request),
            filterset=filterset,
            page_obj=page_obj,
            items=page_obj.object_list,
            matches=page_obj.paginator.count,
            total=sum(row.count for row in categories),
            categories=categories,
            category=chosen.get("category"),
            district=chosen.get("district"),
            sort=chosen.get("sort"),
        )
        return context


class ProjectTag(TaggedItemBase):
    content_object = ParentalKey(
        "projects.ProjectPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


def _path_range(path):
    """`path` and the paths below it as a range SQLite can answer from the path index:
    treebeard paths are 0-9A-Z, so every descendant sorts after `path` and before `path + "~"`."""
    return Q(path__gte=path, path__lt=path + "~")


class TreeQuerySet(PageQuerySet):
    """Tree filters that stay fast with tens of thousands of pages on SQLite.

    Wagtail filters children and descendants with `path LIKE 'prefix%'`; SQLite's LIKE is
    case-insensitive, so it cannot use the path index and scans every page (~6 ms a query at
    40,000 pages, several a request). The same condition plus a range on the path can use it.
    SQLite only: the range is exact in its binary collation, not in every PostgreSQL collation.
    """

    def descendant_of_q(self, other, inclusive=False):
        q = super().descendant_of_q(other, inclusive)
        if connections[self.db].vendor == "sqlite":
            q &= _path_range(other.path)
        return q

    def sibling_of_q(self, other, inclusive=True):
        q = super().sibling_of_q(other, inclusive)
        if connections[self.db].vendor == "sqlite":
            q &= _path_range(self.model._get_parent_path_from_path(other.path))
        return q


@dataclass(frozen=True)
class Breakdown:
    """One row of a by-category or by-district chart: the snippet and its items' figures."""

    snippet: object
    count: int
    completed: int
    average: int


class ProjectPageQuerySet(TreeQuerySet):
    def with_year(self):
        """Annotate `list_year`, the year of the list each item belongs to (one subquery)."""
        parent_path = Substr(OuterRef("path"), 1, (OuterRef("depth") - 1) * Page.steplen)
        year = ProjectIndexPage.objects.filter(path=parent_path).values("year")[:1]
        return self.annotate(list_year=Subquery(year))

    def breakdown(self, field):
        """Count, completed count and average progress of these items per `field` (a snippet
        FK such as "category" or "district"), as `Breakdown` rows in the snippets' order.

        One query: the snippet's own columns come back with the aggregates and are turned into
        unsaved instances, so `display_name` picks the visitor's language as everywhere else.
        """
        model = self.model._meta.get_field(field).related_model
        columns = [f.attname for f in model._meta.concrete_fields]
        rows = (
            self.values(*[f"{field}__{name}" for name in columns])
            .annotate(
                count=Count("id"),
                average=Avg("progress"),
                completed=Count("id", filter=Q(status=Status.COMPLETED)),
            )
            .order_by(f"{field}__sort_order", f"{field}__name")
        )
        return [
            Breakdown(
                snippet=model(**{name: row[f"{field}__{name}"] for name in columns}),
                count=row["count"],
                completed=row["completed"],
                average=round(row["average"] or 0),
            )
            for row in rows
        ]


class ProgressUpdateQuerySet(TreeQuerySet):
    def with_photos(self, specs=GALLERY + VIEWER):
        """These updates with their photos and images, and the renditions in `specs` (by
        default those components/photo.html shows without a size, with the viewer's): three
        queries. `specs=None` leaves the renditions to the caller (`projects.renditions`)."""
        photos = UpdatePhoto.objects.order_by("sort_order").select_related("image")
        if specs:
            photos = photos.prefetch_related(
                Prefetch(
                    "image__renditions",
                    queryset=PortalRendition.objects.filter(filter_spec__in=specs),
                    to_attr="prefetched_renditions",
                )
            )
        return self.prefetch_related(Prefetch("photos", queryset=photos))


class UpdatesWithPhotos:
    """An item page's updates, whose photos (with their images and renditions) are read in
    bulk the first time the list is iterated, and not at all when it is not.

    The updates' part of the item page is a cached fragment (templates/projects/
    project_page.html): while it is current, reading the photos of every update would be
    wasted (~40% of the page's cost).
    """

    def __init__(self, updates):
        self.updates = updates
        self.loaded = False

    def __len__(self):
        return len(self.updates)

    def __iter__(self):
        if not self.loaded:
            photos = UpdatePhoto.objects.order_by("sort_order").select_related("image")
            prefetch_related_objects(self.updates, Prefetch("photos", queryset=photos))
            prefetch_renditions(
                (photo.image for update in self.updates for photo in update.photos.all()),
                GALLERY + VIEWER,
            )
            self.loaded = True
        return iter(self.updates)


class Deferred(Sequence):
    """A list read on first use. For a part of a page kept in the fragments cache: while the
    fragment is current, its data is never read."""

    def __init__(self, read):
        self.read = read

    @cached_property
    def items(self):
        return list(self.read())

    def __len__(self):
        return len(self.items)

    def __getitem__(self, index):
        return self.items[index]


@dataclass(frozen=True)
class Lateness:
    """Why an item is late and by how much its date moved (`ProjectPage.lateness`)."""

    reason: str  # empty when nobody has explained yet
    reported_on: date | None  # the update the reason came with, if it came with one
    revised_completion: date | None
    revised_passed: bool  # the revised completion date has passed too
    revision_reason: str  # the item's reason for the new date, when not the reason shown


class ProjectPage(Page):
    """One livelihood item, at `/<year>/<number>/`.

    Progress, status, colour and lag are derived (see `apply_progress`) and stored so lists
    can filter and sort on them; editors change them only by publishing progress updates.
    """

    number = models.PositiveSmallIntegerField(
        _("number"),
        validators=[MinValueValidator(1), MaxValueValidator(999)],
        help_text=_("The item's number in the year's list (1–100); also its address, /2022/37/."),
    )
    title_en = models.CharField(
        _("English title"),
        max_length=255,
        blank=True,
        help_text=_(
            "Shown on the English site and found by English searches, e.g. “Yucai School”."
        ),
    )
    summary = models.TextField(
        _("summary"),
        max_length=300,
        help_text=_("One or two sentences a resident can read on a phone: what and for whom."),
    )
    body = StreamField(ProjectBodyBlock(), blank=True, verbose_name=_("details"))
    category = models.ForeignKey(
        "projects.Category",
        on_delete=models.PROTECT,
        related_name="projects",
        verbose_name=_("category"),
    )
    department = models.ForeignKey(
        "projects.Department",
        on_delete=models.PROTECT,
        related_name="projects",
        verbose_name=_("responsible department"),
    )
    district = models.ForeignKey(
        "projects.District",
        on_delete=models.PROTECT,
        related_name="projects",
        verbose_name=_("district or street"),
    )
    tags = ClusterTaggableManager(through=ProjectTag, blank=True, verbose_name=_("tags"))
    cover_image = models.ForeignKey(
        "projects.PortalImage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("cover photo"),
        help_text=_("Shown first on the item page and on cards in lists."),
    )

    address = models.CharField(_("address"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )

    budget = models.DecimalField(
        _("planned budget (10,000 yuan)"),
        **MONEY,
        help_text=_("The budget in the approved list, in units of 10,000 yuan (万元)."),
    )
    revised_budget = models.DecimalField(
        _("revised budget (10,000 yuan)"),
        null=True,
        blank=True,
        **MONEY,
        help_text=_("Only when the budget was formally changed."),
    )
    planned_start = models.DateField(_("planned start"))
    planned_completion = models.DateField(
        _("planned completion"),
        help_text=_("The completion date promised in the approved list (baseline)."),
    )
    revised_completion = models.DateField(
        _("revised completion"),
        null=True,
        blank=True,
        help_text=_("A new completion date, if one was approved. Needs a delay reason."),
    )
    delay_reason = models.TextField(
        _("reason for delay"),
        blank=True,
        help_text=_("Required when the revised completion date is later than the planned one."),
    )
    suspended = models.BooleanField(
        _("suspended"),
        default=False,
        help_text=_("Tick while work is halted; explain why in the reason for delay."),
    )

    # Derived from published progress updates and the schedule; never edited directly.
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0, editable=False)
    invested = models.DecimalField(
        _("invested so far (10,000 yuan)"),
        default=0,
        editable=False,
        max_digits=12,
        decimal_places=2,
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=Status.choices,
        default=Status.NOT_STARTED,
        editable=False,
        db_index=True,
    )
    colour = models.CharField(
        _("supervision colour"),
        max_length=10,
        choices=Colour.choices,
        default=Colour.GREEN,
        editable=False,
        db_index=True,
    )
    expected_progress = models.PositiveSmallIntegerField(
        _("expected progress (%)"), default=0, editable=False
    )
    lag = models.SmallIntegerField(_("lag (points)"), default=0, editable=False)
    last_update_date = models.DateField(_("latest update"), null=True, editable=False)

    search_fields = Page.search_fields + [
        index.SearchField("search_document"),
        index.FilterField("number"),
        index.FilterField("status"),
        index.FilterField("colour"),
        index.FilterField("category"),
        index.FilterField("department"),
        index.FilterField("district"),
    ]

    content_panels = [
        FieldRowPanel([FieldPanel("number"), FieldPanel("title")]),
        FieldPanel("title_en"),
        FieldPanel("summary"),
        FieldRowPanel([FieldPanel("category"), FieldPanel("department")]),
        FieldPanel("tags"),
        FieldPanel("body"),
        InlinePanel("milestones", heading=_("Milestones"), label=_("milestone")),
    ]
    schedule_panels = [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("planned_start"), FieldPanel("planned_completion")]),
                FieldPanel("revised_completion"),
                FieldPanel("delay_reason"),
                FieldPanel("suspended"),
            ],
            heading=_("Schedule"),
        ),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("budget"), FieldPanel("revised_budget")])],
            heading=_("Money"),
        ),
    ]
    location_panels = [
        FieldPanel("district"),
        FieldPanel("address"),
        FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
    ]
    photo_panels = [
        FieldPanel("cover_image"),
        InlinePanel("gallery_images", heading=_("Photo gallery"), label=_("photo")),
    ]
    promote_panels = [FieldPanel("seo_title"), FieldPanel("search_description")]

    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(schedule_panels, heading=_("Schedule & money")),
            ObjectList(location_panels, heading=_("Location")),
            ObjectList(photo_panels, heading=_("Photos")),
            ObjectList(promote_panels, heading=_("Promotion")),
        ]
    )

    parent_page_types = ["projects.ProjectIndexPage"]
    subpage_types = ["projects.ProgressUpdatePage"]

    objects = PageManager.from_queryset(ProjectPageQuerySet)()
    base_form_class = ProjectPageAdminForm

    # Columns no list of items (cards, the map, search ranking) shows: lists leave them unloaded.
    LIST_DEFERRED = ("body", "delay_reason", "search_description", "seo_title")
    # What the item page shows of its relations: loaded with the page when routing to it.
    PAGE_RELATIONS = ("category", "department", "district", "cover_image")

    class Meta:
        verbose_name = _("livelihood item")
        verbose_name_plural = _("livelihood items")

    def __str__(self):
        return f"{self.number}. {self.title}"

    def permissions_for_user(self, user):
        # Department ownership: editors act only on their departments' items.
        return DepartmentPagePermissionTester(user, self)

    def owning_department_id(self, cache=None):
        """The department whose members may edit this item (`projects.models.departments`)."""
        return self.department_id

    # -- validation -------------------------------------------------------------------------

    def route(self, request, path_components):
        if path_components == ["board"]:
            if not self.live:
                raise Http404
            return RouteResult(self, kwargs={"board": True})
        return route_to_child(self, ProgressUpdatePage, request, path_components) or super().route(
            request, path_components
        )

    def serve(self, request, *args, board=False, **kwargs):
        if board:
            return self.serve_board(request)
        return super().serve(request, *args, **kwargs)

    def serve_board(self, request):
        """`/<year>/<number>/board/`: the item's printable site board (`projects.boards`)."""
        year_page = self.year_page
        return TemplateResponse(
            request,
            "projects/board/item.html",
            {
                "page": self,
                "self": self,
                "request": request,
                "boards": [boards.board_for(self, request)],
                "year_page": year_page,
                "data_date": (
                    year_page.cached_data_date(request)
                    if year_page
                    else DataDate(timezone.localdate(), DataDate.TODAY)
                ),
            },
        )

    def full_clean(self, *args, **kwargs):
        if self.number:
            self.slug = str(self.number)
        super().full_clean(*args, **kwargs)

    def clean(self):
        errors = {}
        if self.planned_start and self.planned_completion:
            if self.planned_completion < self.planned_start:
                errors["planned_completion"] = _("The completion date is before the start date.")
        if (
            self.revised_completion
            and self.planned_completion
            and self.revised_completion > self.planned_completion
            and not self.delay_reason.strip()
        ):
            errors["delay_reason"] = _(
                "Explain the delay: the revised completion date is later than the planned one."
            )
        if self.suspended and not self.delay_reason.strip():
            errors["delay_reason"] = _("Explain why the work is suspended.")
        if self.number and self.path and self._number_taken():
            errors["number"] = _("Another item of this year already has number %(number)s.") % {
                "number": self.number
            }
        if errors:
            raise ValidationError(errors)
        super().clean()

    def _number_taken(self):
        parent = self.get_parent() if self.depth else None
        if parent is None:
            return False
        siblings = ProjectPage.objects.child_of(parent).filter(number=self.number)
        return siblings.exclude(pk=self.pk).exists()

    # -- derived progress -------------------------------------------------------------------

    @cached_property
    def year_page(self):
        # Serving a URL, Wagtail's routing has just loaded the year page and left it here.
        parent = self.__dict__.get("_cached_parent_obj")
        if isinstance(parent, ProjectIndexPage) and parent.path == self.path[: -self.steplen]:
            return parent
        return ProjectIndexPage.objects.filter(path=self.path[: -self.steplen]).first()

    def assessment_date(self) -> date:
        year_page = self.year_page
        return year_page.assessment_date() if year_page else timezone.localdate()

    def apply_progress(self, on: date | None = None, pending=None):
        """Set progress, invested, status, colour and lag from the latest published update,
        judged as of `on` (by default the year's data date).

        The single place where these facts are computed. Call `refresh_progress` to also
        store them without touching revisions. With `pending` (an unpublished update), the
        facts are those the item would have once it is published (see `figures_with`).
        """
        updates = ProgressUpdatePage.objects.child_of(self).live() if self.pk else None
        if updates is not None and pending is not None and pending.pk:
            updates = updates.exclude(pk=pending.pk)
        latest = updates.order_by("-date", "-pk").first() if updates is not None else None
        invested = (
            updates.filter(invested__isnull=False).order_by("-date", "-pk").first()
            if updates is not None
            else None
        )
        if pending is not None:
            latest = _later(latest, pending)
            if pending.invested is not None:
                invested = _later(invested, pending)
        self.progress = latest.progress if latest else 0
        self.last_update_date = latest.date if latest else None
        self.invested = invested.invested if invested else 0
        result = assess(
            progress=self.progress,
            start=self.planned_start,
            completion=self.planned_completion,
            on=on or self.assessment_date(),
        )
        self.expected_progress = result.expected
        self.lag = result.lag
        self.colour = result.colour
        if self.progress >= 100:
            self.status = Status.COMPLETED
        elif self.suspended:
            self.status = Status.SUSPENDED
        elif latest is None or self.progress == 0:
            self.status = Status.NOT_STARTED
        elif is_behind(result.colour):
            self.status = Status.DELAYED
        else:
            self.status = Status.IN_PROGRESS

    DERIVED_FIELDS = (
        "progress",
        "invested",
        "status",
        "colour",
        "expected_progress",
        "lag",
        "last_update_date",
    )

    def figures_with(self, update):
        """The item's figures now and once `update` is published: {field: (before, after)},
        judged on the data date that publishing it would give the year."""
        after = copy.copy(self)
        year_page = self.year_page
        on = year_page.data_date(with_update_on=update.date).date if year_page else None
        after.apply_progress(on, pending=update)
        return {name: (getattr(self, name), getattr(after, name)) for name in self.DERIVED_FIELDS}

    def refresh_progress(self, on: date | None = None):
        """Recompute the derived facts and store them on the live row (no new revision)."""
        self.apply_progress(on)
        ProjectPage.objects.filter(pk=self.pk).update(
            **{name: getattr(self, name) for name in self.DERIVED_FIELDS}
        )

    def save(self, *args, **kwargs):
        # Publishing a revision writes back the figures stored in it; recompute them so an
        # item edited while an update was published never shows stale progress.
        if kwargs.get("update_fields") is None:
            self.apply_progress()
        return super().save(*args, **kwargs)

    def search_document(self):
        """Everything a resident might search for, as index tokens (see projects.search.text).

        The headline (title, English title, category, tags) is also indexed character by
        character, so a single character such as 路 finds items about roads, not every item
        whose progress text happens to contain it.
        """
        updates = ProgressUpdatePage.objects.child_of(self).live().values_list("text", flat=True)
        body = self.body.stream_block.get_searchable_content(self.body) if self.body else []
        snippets = [getattr(self, name) for name in ("category", "department", "district")]
        tags = list(self.tags.names())
        return index_text(
            headline=[self.title, self.title_en, self.category.name, self.category.name_en, *tags],
            body=[
                str(self.number),
                self.summary,
                *body,
                self.address,
                *(snippet.name for snippet in snippets),
                *(snippet.name_en for snippet in snippets),
                *updates,
            ],
        )

    # -- presentation helpers ---------------------------------------------------------------

    @property
    def display_title(self):
        """The title in the visitor's language: the English title on the English site when set."""
        if self.title_en and (get_language() or "").startswith("en"):
            return self.title_en
        return self.title

    @property
    def effective_completion(self):
        return self.revised_completion or self.planned_completion

    @property
    def is_delayed_by_revision(self):
        return bool(self.revised_completion and self.revised_completion > self.planned_completion)

    @property
    def behind_schedule(self):
        """Orange or red: residents are owed a reason (`lateness`)."""
        return is_behind(self.colour)

    def schedule_after(self, *, progress: int, day: date, update=None):
        """The item's schedule once an update of `progress` % dated `day` is published (`update`,
        the update being edited, leaves the comparison), judged as `apply_progress` will judge it;
        None when a later published update keeps the item where it is (a report filed late)."""
        others = ProgressUpdatePage.objects.child_of(self).live()
        if update is not None and update.pk:
            others = others.exclude(pk=update.pk)
        if others.filter(date__gt=day).exists():
            return None
        year_page = self.year_page
        on = year_page.data_date(with_update_on=day).date if year_page else timezone.localdate()
        return assess(
            progress=progress, start=self.planned_start, completion=self.planned_completion, on=on
        )

    def lateness(self, *, latest_update, as_of: date) -> "Lateness | None":
        """What the lateness box at the top of the item page says, or None when it has no box
        (the item is completed, or on schedule with its promised date).

        Where the reason comes from, one rule: the reason given with the item's latest
        published progress update (the update form asks for one whenever an update leaves the
        item orange or red); failing that, the item's own reason for delay, given with a revised
        completion date or a suspension. When both exist and differ, the item's reason is also
        shown as the reason for the new date.
        """
        if self.progress >= 100:
            return None
        if not (self.behind_schedule or self.suspended or self.is_delayed_by_revision):
            return None
        update_reason = latest_update.lag_reason.strip() if latest_update else ""
        item_reason = self.delay_reason.strip()
        revised = self.revised_completion if self.is_delayed_by_revision else None
        return Lateness(
            reason=update_reason or item_reason,
            reported_on=latest_update.date if update_reason else None,
            revised_completion=revised,
            revised_passed=bool(revised and as_of > revised),
            revision_reason=item_reason if update_reason and item_reason != update_reason else "",
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        self._load_relations()
        context["updates"] = list(
            ProgressUpdatePage.objects.child_of(self).live().order_by("-date", "-pk")
        )
        context["updates_with_photos"] = UpdatesWithPhotos(context["updates"])
        gallery = list(self.gallery_images.select_related("image"))
        # Before/after photos are paired in editor order; anything unpaired joins the gallery.
        befores = [g for g in gallery if g.stage == ProjectGalleryImage.Stage.BEFORE]
        afters = [g for g in gallery if g.stage == ProjectGalleryImage.Stage.AFTER]
        pairs = list(zip(befores, afters, strict=False))
        paired = {g.pk for pair in pairs for g in pair}
        context["before_after"] = pairs
        context["gallery"] = [g for g in gallery if g.pk not in paired]
        year_page = self.year_page
        context["data_date"] = (
            year_page.cached_data_date(request)
            if year_page
            else DataDate(timezone.localdate(), DataDate.TODAY)
        )
        as_of = context["data_date"].date
        context["lateness"] = self.lateness(
            latest_update=context["updates"][0] if context["updates"] else None, as_of=as_of
        )
        milestones = list(self.milestones.all())
        for milestone in milestones:
            milestone.overdue = not milestone.done_date and milestone.planned_date < as_of
        context["milestone_list"] = milestones
        context["schedule"] = assess(
            progress=self.progress,
            start=self.planned_start,
            completion=self.planned_completion,
            on=as_of,
        )
        context["curve"] = progress_curve(
            start=self.planned_start,
            completion=self.planned_completion,
            as_of=as_of,
            updates=[(update.date, update.progress) for update in context["updates"]],
        )
        context["related"] = Deferred(lambda: self.related_items(request, with_covers=True))
        # The cover and the gallery get their renditions from one query.
        prefetch_renditions(
            [self.cover_image, *(g.image for g in gallery)], COVER + GALLERY + VIEWER
        )
        if self.latitude is not None and self.longitude is not None:
            context["markers"] = [self.map_marker()]
        return context

    def _load_relations(self):
        """Category, department, district and cover image in one query instead of four, when
        the stored item points at the same ones (a preview may not)."""
        names = self.PAGE_RELATIONS
        if not self.pk or all(self._meta.get_field(name).is_cached(self) for name in names):
            return
        stored = (
            ProjectPage.objects.filter(pk=self.pk).select_related(*names).only("pk", *names).first()
        )
        for name in names:
            field = self._meta.get_field(name)
            stored_id = getattr(stored, field.attname, None)
            if stored is not None and stored_id == getattr(self, field.attname):
                field.set_cached_value(self, getattr(stored, name))

    def related_items(self, request=None, limit=4, with_covers=False):
        """Other items of the same year in the same category first, then the same district.

        Finding them means reading the whole year (a thousand siblings, ~15 ms); their ids are
        kept under the year's generation (`projects.generations.remember`), which every change
        to the year's items purges, so a page view then fetches only those few items.
        """
        same_category = Case(When(category_id=self.category_id, then=0), default=1)
        siblings = ProjectPage.objects.sibling_of(self, inclusive=False).live()
        items = siblings.select_related("category", "district", "cover_image").defer(
            *self.LIST_DEFERRED
        )

        def find_ids():
            return list(
                siblings.filter(Q(category_id=self.category_id) | Q(district_id=self.district_id))
                .annotate(same_category=same_category)
                .order_by("same_category", "number")
                .values_list("pk", flat=True)[:limit]
            )

        year_page = self.year_page
        ids = generations.remember(
            request,
            year_page.cache_scopes if year_page else (generations.SITE,),
            # The category and district as shown: a preview may have changed them.
            f"related:{self.pk}:{self.category_id}:{self.district_id}:{limit}",
            find_ids,
        )
        related = ItemIds(ids, queryset=items).fetch(ids)
        if with_covers:  # as cards show them
            prefetch_renditions((item.cover_image for item in related), CARD)
        return related

    def map_marker(self):
        """What the map shows for this item (`static/js/map.js`)."""
        return {
            "number": self.number,
            "title": self.display_title,
            "url": self.url,
            "lat": float(self.latitude),
            "lng": float(self.longitude),
            "colour": self.colour,
            "colourLabel": str(self.get_colour_display()),
            "status": str(self.get_status_display()),
            "progress": self.progress,
        }

    def get_sitemap_urls(self, request=None):
        """Wagtail's sitemap entry, last modified when the item or its latest update was
        published (the item page shows its updates). The sitemap asks every item: the latest
        publication of every item's updates comes from one query, kept on the request."""
        published = getattr(request, "_item_updates_published", None)
        if published is None:
            updates = ProgressUpdatePage.objects.live().public().order_by()
            if request is None:
                updates = updates.child_of(self)
            item_path = Substr("path", 1, (F("depth") - 1) * Page.steplen)
            published = dict(
                updates.annotate(item_path=item_path)
                .values("item_path")
                .annotate(latest=Max("last_published_at"))
                .values_list("item_path", "latest")
            )
            if request is not None:
                request._item_updates_published = published
        urls = super().get_sitemap_urls(request)
        if latest := published.get(self.path):
            for url in urls:
                url["lastmod"] = max(filter(None, [url["lastmod"], latest]))
        return urls


def _later(update, other):
    """The later of two updates by date (then by id; an unsaved one counts as the latest)."""
    if update is None:
        return other
    key = (other.date, other.pk or float("inf"))
    return other if key >= (update.date, update.pk) else update


class ProjectMilestone(Orderable):
    page = ParentalKey(ProjectPage, on_delete=models.CASCADE, related_name="milestones")
    name = models.CharField(_("milestone"), max_length=100)
    planned_date = models.DateField(_("planned date"))
    done_date = models.DateField(_("date reached"), null=True, blank=True)

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("planned_date"), FieldPanel("done_date")])
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")


class ProjectGalleryImage(Orderable):
    class Stage(models.TextChoices):
        NONE = "", _("—")
        BEFORE = "before", _("Before")
        AFTER = "after", _("After")

    page = ParentalKey(ProjectPage, on_delete=models.CASCADE, related_name="gallery_images")
    image = models.ForeignKey(
        "projects.PortalImage", on_delete=models.CASCADE, related_name="+", verbose_name=_("photo")
    )
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    stage = models.CharField(
        _("before / after"),
        max_length=10,
        choices=Stage.choices,
        blank=True,
        help_text=_("Mark a pair of photos of the same view as before and after."),
    )

    panels = [FieldPanel("image"), FieldRowPanel([FieldPanel("caption"), FieldPanel("stage")])]


class ProgressUpdatePage(Page):
    """A dated progress report of an item; publishing it moves the item's figures."""

    date = models.DateField(_("date"), default=timezone.localdate)
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"),
        validators=PERCENT_VALIDATORS,
        help_text=_("How much of the whole item is done on this date, 0–100."),
    )
    invested = models.DecimalField(
        _("invested so far (10,000 yuan)"),
        null=True,
        blank=True,
        **MONEY,
        help_text=_("Money spent on the item up to this date, if known."),
    )
    text = RichTextField(_("what happened"), features=["bold", "italic", "link", "ol", "ul"])
    lag_reason = models.TextField(
        _("reason for being behind schedule"),
        blank=True,
        help_text=_(
            "Required when this update leaves the item clearly or seriously behind schedule "
            "(orange or red): why it is behind, and what is being done. Residents see it at the "
            "top of the item's page."
        ),
    )

    search_fields = Page.search_fields + [index.SearchField("text")]

    content_panels = [
        UpdateEffectPanel(),
        FieldRowPanel([FieldPanel("date"), FieldPanel("progress")]),
        FieldPanel("invested"),
        FieldPanel("text"),
        FieldPanel("lag_reason"),
        InlinePanel("photos", heading=_("Photos"), label=_("photo")),
    ]
    promote_panels = []

    parent_page_types = ["projects.ProjectPage"]
    subpage_types = []
    base_form_class = ProgressUpdateAdminForm

    objects = PageManager.from_queryset(ProgressUpdateQuerySet)()

    class Meta:
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")

    def permissions_for_user(self, user):
        # Department ownership: an update belongs to its item's department.
        return DepartmentPagePermissionTester(user, self)

    def owning_department_id(self, cache=None):
        """The department of the item this update belongs to; `cache` (path → department id)
        spares a query per row in a listing of one item's updates."""
        if not self.path:
            return None
        parent_path = self.path[: -self.steplen]
        cache = {} if cache is None else cache
        if parent_path not in cache:
            cache[parent_path] = (
                ProjectPage.objects.filter(path=parent_path)
                .values_list("department_id", flat=True)
                .first()
            )
        return cache[parent_path]

    def _set_title_and_slug(self):
        if self.date and not self.title:
            self.title = _("Progress on %(date)s") % {"date": self.date.isoformat()}
        if self.date and not self.slug and self.depth:
            self.slug = self._get_autogenerated_slug(self.date.isoformat())

    def full_clean(self, *args, **kwargs):
        self._set_title_and_slug()
        super().full_clean(*args, **kwargs)

    def minimal_clean(self):
        self._set_title_and_slug()
        super().minimal_clean()

    @cached_property
    def project(self):
        # Serving a URL, Wagtail's routing has just loaded the item and left it here.
        parent = self.__dict__.get("_cached_parent_obj")
        if isinstance(parent, ProjectPage) and parent.path == self.path[: -self.steplen]:
            return parent
        return ProjectPage.objects.filter(path=self.path[: -self.steplen]).first()

    def get_admin_display_title(self):
        """Name the item too ("第11项 将军山体育公园 · 2022-11-15进展"): Wagtail shows this title in
        workflow e-mails, dashboard panels, task listings and the editor's header."""
        title = super().get_admin_display_title()
        project = self.project if self.path else None
        if project is None:
            return title
        return _("No. %(number)s %(item)s · %(update)s") % {
            "number": project.number,
            "item": project.title,
            "update": title,
        }

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        photos = list(self.photos.select_related("image"))
        project = self.project
        images = [photo.image for photo in photos]
        if project is not None:
            project._load_relations()  # for its card
            images.append(project.cover_image)
        prefetch_renditions(images, GALLERY + VIEWER + WIDE + CARD)
        context["photos"] = photos
        return context


class UpdatePhoto(Orderable):
    page = ParentalKey(ProgressUpdatePage, on_delete=models.CASCADE, related_name="photos")
    image = models.ForeignKey(
        "projects.PortalImage", on_delete=models.CASCADE, related_name="+", verbose_name=_("photo")
    )
    caption = models.CharField(_("caption"), max_length=200, blank=True)

    panels = [FieldPanel("image"), FieldPanel("caption")]
