"""Figures for a year's overview: counts, money, and progress by category and district.

Everything is aggregated in the database, so the number of queries does not grow with the
number of items.
"""

from django.db.models import Avg, Count, Q, Sum

from .choices import Colour, Status
from .models import ProgressUpdatePage, ProjectPage


def _breakdown(items, field):
    rows = (
        items.values(f"{field}__id")
        .annotate(
            count=Count("id"),
            average=Avg("progress"),
            completed=Count("id", filter=Q(status=Status.COMPLETED)),
        )
        .order_by(f"{field}__sort_order", f"{field}__name")
    )
    return list(rows)


def year_overview(year_page, *, latest=6, behind=8):
    items = ProjectPage.objects.child_of(year_page).live()
    totals = items.aggregate(
        count=Count("id"),
        average=Avg("progress"),
        budget=Sum("budget"),
        invested=Sum("invested"),
    )
    by_status = dict(items.values_list("status").annotate(n=Count("id")).order_by())
    by_colour = dict(items.values_list("colour").annotate(n=Count("id")).order_by())
    return {
        "year_page": year_page,
        "count": totals["count"] or 0,
        "average_progress": round(totals["average"] or 0),
        "budget": totals["budget"] or 0,
        "invested": totals["invested"] or 0,
        "statuses": [(s, by_status.get(s.value, 0)) for s in Status],
        "colours": [(c, by_colour.get(c.value, 0)) for c in Colour],
        "behind": items.filter(colour__in=[Colour.RED, Colour.ORANGE])
        .select_related("department", "category")
        .order_by("-lag", "number")[:behind],
        "latest_updates": ProgressUpdatePage.objects.descendant_of(year_page)
        .live()
        .order_by("-date", "-pk")[:latest],
    }
