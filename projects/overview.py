"""Figures for a year's overview: counts, money, and progress by category and district.

Everything is aggregated in the database, so the number of queries does not grow with the
number of items; the home page (`HomePage.get_context`) uses these. The roll-ups themselves are
queryset methods (`ProjectPage.objects….breakdown`, `ProgressUpdatePage.objects….with_photos`).
"""

from django.db.models import Avg, Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import Substr

from .choices import Colour, Status
from .models import ProgressUpdatePage, ProjectPage
from .renditions import CARD


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
    latest_updates = (
        ProgressUpdatePage.objects.descendant_of(year_page)
        .live()
        .filter(Exists(of_live_item))  # unpublishing an item leaves its updates live
        .order_by("-date", "-pk")
        .with_photos(specs=CARD)[:latest]  # shown as cards (components/update_card.html)
    )
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
        "by_category": items.breakdown("category"),
        "by_district": items.breakdown("district"),
        "behind": items.filter(colour__in=[Colour.RED, Colour.ORANGE])
        .select_related("department", "category", "district")
        .order_by("-lag", "number")[:behind],
        "latest_updates": attach_projects(latest_updates),
    }
