"""Figures for a year's overview: counts, money, and progress by category and district.

Everything is aggregated in the database, so the number of queries does not grow with the
number of items; the home page (`HomePage.get_context`) and the year list use these.
"""

from dataclasses import dataclass

from django.db.models import Avg, Count, Exists, OuterRef, Prefetch, Q, Sum
from django.db.models.functions import Substr

from .choices import Colour, Status
from .models import (
    Category,
    District,
    PortalRendition,
    ProgressUpdatePage,
    ProjectPage,
    UpdatePhoto,
)
from .renditions import GALLERY, VIEWER


@dataclass(frozen=True)
class Breakdown:
    """One row of a by-category or by-district chart: the snippet and its items' figures."""

    snippet: object
    count: int
    completed: int
    average: int


def breakdown(items, field, model):
    """Count, completed count and average progress of `items` per `field` (a snippet FK).

    One query: the snippet's own columns come back with the aggregates and are turned into
    unsaved instances, so `display_name` picks the visitor's language as everywhere else.
    """
    columns = [f.attname for f in model._meta.concrete_fields]
    rows = (
        items.values(*[f"{field}__{name}" for name in columns])
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


def updates_with_photos(updates, specs=GALLERY + VIEWER):
    """Progress updates with their photos and images, and the renditions in `specs` (by
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
    return updates.prefetch_related(Prefetch("photos", queryset=photos))


def attach_projects(updates):
    """Set `project` on each update from one query, instead of one query per update."""
    updates = list(updates)
    paths = {update.path[: -ProjectPage.steplen] for update in updates}
    projects = {
        project.path: project
        for project in ProjectPage.objects.filter(path__in=paths).select_related("category")
    }
    for update in updates:
        update.project = projects.get(update.path[: -ProjectPage.steplen])
    return updates


def year_overview(year_page, *, latest=6, behind=8):
    items = ProjectPage.objects.child_of(year_page).live()
    totals = items.aggregate(
        count=Count("id"),
        average=Avg("progress"),
        budget=Sum("budget"),
        invested=Sum("invested"),
        completed=Count("id", filter=Q(status=Status.COMPLETED)),
    )
    by_status = dict(items.values_list("status").annotate(n=Count("id")).order_by())
    by_colour = dict(items.values_list("colour").annotate(n=Count("id")).order_by())
    of_live_item = ProjectPage.objects.live().filter(
        path=Substr(OuterRef("path"), 1, (OuterRef("depth") - 1) * ProjectPage.steplen)
    )
    latest_updates = updates_with_photos(
        ProgressUpdatePage.objects.descendant_of(year_page)
        .live()
        .filter(Exists(of_live_item))  # unpublishing an item leaves its updates live
        .order_by("-date", "-pk")
    )[:latest]
    return {
        "year_page": year_page,
        "data_date": year_page.data_date(),
        "count": totals["count"] or 0,
        "completed": totals["completed"] or 0,
        "average_progress": round(totals["average"] or 0),
        "budget": totals["budget"] or 0,
        "invested": totals["invested"] or 0,
        "statuses": [(s, by_status.get(s.value, 0)) for s in Status],
        "colours": [(c, by_colour.get(c.value, 0)) for c in Colour],
        "by_category": breakdown(items, "category", Category),
        "by_district": breakdown(items, "district", District),
        "behind": items.filter(colour__in=[Colour.RED, Colour.ORANGE])
        .select_related("department", "category", "district")
        .order_by("-lag", "number")[:behind],
        "latest_updates": attach_projects(latest_updates),
    }
