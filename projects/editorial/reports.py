"""The monthly supervision report (月报): every item's figures as of a month's last day.

Figures are rebuilt from the progress updates dated on or before that day (not from the item's
current figures), so the report for March reads the same in May. The schedule rule is
`projects.schedule.assess`, as everywhere. Used by the admin report view, its XLSX export,
the year export and the departments' digest.

Counts come from one definition, the supervision colour (as on the public overview):
completed = blue; on schedule = green; behind = yellow, orange or red. A month is judged as of
its last day, or of the year's "figures as of" date (today while the year runs) when that is
earlier, so the report for the month of that date shows the public site's numbers.
Stale = started, unfinished and without an update for `PORTAL_STALE_DAYS` days. "Feedback
overdue" counts messages still open whose reply date had passed by then (a message answered
since no longer counts).
"""

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import F
from django.db.models.functions import Coalesce
from wagtail.models import Page

from ..choices import Colour
from ..models import Feedback, ProgressUpdatePage, ProjectPage
from ..schedule import assess
from .permissions import scope_items

BEHIND = (Colour.YELLOW, Colour.ORANGE, Colour.RED)
FLAGGED = (Colour.RED, Colour.ORANGE)


def month_end(year, month):
    return date(year, month, calendar.monthrange(year, month)[1])


@dataclass
class ItemFigures:
    item: ProjectPage
    progress: int
    invested: Decimal
    expected: int
    lag: int
    colour: str
    overdue: bool
    last_update: date | None
    stale: bool
    # Why the item is behind, by the lateness box's rule (ProjectPage.lateness): the reason given
    # with its latest update as of the report's date, failing that the item's own reason.
    reason: str = ""

    @property
    def department(self):
        return self.item.department

    @property
    def plan(self):
        return self.item.revised_budget or self.item.budget

    @property
    def schedule(self):
        if self.colour == Colour.BLUE:
            return "completed"
        return "behind" if self.colour in BEHIND else "on_schedule"

    def get_colour_display(self):
        return str(Colour(self.colour).label)


def item_figures(items, on):
    """`ItemFigures` for each item as of `on`, from updates dated on or before it (2 queries)."""
    items = list(items.select_related("department", "category", "district"))
    by_path = {item.path: item for item in items}
    latest, latest_money = {}, {}
    if items:
        updates = (
            ProgressUpdatePage.objects.live()
            .filter(date__lte=on, depth=items[0].depth + 1)
            .filter(path__startswith=items[0].path[: -Page.steplen])
            .order_by("date", "pk")
            .values_list("path", "date", "progress", "invested", "lag_reason")
        )
        for path, day, progress, invested, lag_reason in updates:
            parent = path[: -Page.steplen]
            if parent not in by_path:
                continue
            latest[parent] = (day, progress, lag_reason.strip())
            if invested is not None:
                latest_money[parent] = invested
    stale_days = settings.PORTAL_STALE_DAYS
    figures = []
    for item in items:
        day, progress, lag_reason = latest.get(item.path, (None, 0, ""))
        result = assess(
            progress=progress, start=item.planned_start, completion=item.planned_completion, on=on
        )
        started = item.planned_start and item.planned_start <= on - timedelta(days=stale_days)
        stale = bool(progress < 100 and started and (day is None or (on - day).days > stale_days))
        figures.append(
            ItemFigures(
                item=item,
                progress=progress,
                invested=latest_money.get(item.path, Decimal(0)),
                expected=result.expected,
                lag=result.lag,
                colour=result.colour,
                overdue=result.overdue,
                last_update=day,
                stale=stale,
                reason=lag_reason or item.delay_reason.strip(),
            )
        )
    return figures


@dataclass
class DepartmentRow:
    department: object
    items: int = 0
    completed: int = 0
    behind: int = 0
    flagged: int = 0
    stale: int = 0
    feedback_overdue: int = 0
    progress_total: int = 0

    @property
    def average_progress(self):
        return round(self.progress_total / self.items) if self.items else 0

    @property
    def behind_share(self):
        return round(100 * self.behind / self.items) if self.items else 0


DEPARTMENT_SORTS = {
    "name": lambda row: (row.department.sort_order, row.department.name),
    "items": lambda row: -row.items,
    "completed": lambda row: -row.completed,
    "behind": lambda row: (-row.behind, -row.flagged),
    "flagged": lambda row: -row.flagged,
    "stale": lambda row: -row.stale,
    "feedback_overdue": lambda row: -row.feedback_overdue,
    "average_progress": lambda row: -row.average_progress,
}


@dataclass
class MonthlyReport:
    year_page: object
    year: int
    month: int
    on: date
    figures: list
    department_rows: list = field(default_factory=list)

    @property
    def counts(self):
        counts = {"completed": 0, "on_schedule": 0, "behind": 0}
        for figure in self.figures:
            counts[figure.schedule] += 1
        return counts

    @property
    def colours(self):
        counts = {colour.value: 0 for colour in Colour}
        for figure in self.figures:
            counts[figure.colour] += 1
        return [(Colour(value), count) for value, count in counts.items()]

    @property
    def total(self):
        return len(self.figures)

    @property
    def planned(self):
        return sum((f.plan for f in self.figures), Decimal(0))

    @property
    def invested(self):
        return sum((f.invested for f in self.figures), Decimal(0))

    @property
    def invested_share(self):
        return float(round(100 * self.invested / self.planned, 1)) if self.planned else 0.0

    @property
    def flagged(self):
        """Red, then orange items, the most behind first."""
        rows = [f for f in self.figures if f.colour in FLAGGED]
        return sorted(rows, key=lambda f: (f.colour != Colour.RED, -f.lag, f.item.number))

    def sorted_departments(self, key="behind"):
        return sorted(
            self.department_rows, key=DEPARTMENT_SORTS.get(key, DEPARTMENT_SORTS["behind"])
        )


def figures_as_of(year_page, today=None):
    """The day the year's figures are judged on: the year's data date, the one the public
    overview states (a published update later than the set date moves it)."""
    return year_page.data_date(today=today).date


def default_month(year_page, today=None):
    """The month of the year's figures-as-of date (December once it is past the year)."""
    as_of = figures_as_of(year_page, today)
    if as_of.year == year_page.year:
        return as_of.month
    return 12 if as_of.year > year_page.year else 1


def monthly_report(year_page, year, month, *, today=None, user=None):
    """The report for `month` of `year` over `year_page`'s published items (a department
    editor's `user`: only their departments' items)."""
    on = min(month_end(year, month), figures_as_of(year_page, today))
    items = scope_items(ProjectPage.objects.child_of(year_page).live(), user).order_by("number")
    figures = item_figures(items, on)
    rows = {}
    for figure in figures:
        department = figure.department
        row = rows.setdefault(department.pk, DepartmentRow(department))
        row.items += 1
        row.progress_total += figure.progress
        row.completed += figure.colour == Colour.BLUE
        row.behind += figure.colour in BEHIND
        row.flagged += figure.colour in FLAGGED
        row.stale += figure.stale
    overdue = (
        Feedback.objects.overdue(today=on)
        .filter(project__in=[f.item.pk for f in figures])
        .annotate(answering=Coalesce("routed_to_id", F("project__department_id")))
        .values_list("answering", flat=True)
    )
    for department_id in overdue:
        if department_id in rows:
            rows[department_id].feedback_overdue += 1
    return MonthlyReport(year_page, year, month, on, figures, list(rows.values()))
