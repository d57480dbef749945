"""Server-rendered charts (SVG coordinates computed here; templates only draw them)."""

from dataclasses import dataclass
from datetime import date

from django.utils import dateformat
from django.utils.translation import get_language

WIDTH, HEIGHT = 480, 240
LEFT, RIGHT, TOP, BOTTOM = 52, 12, 14, 34  # room for the axis labels


@dataclass
class ProgressCurve:
    planned: str  # SVG points of the straight planned line, start → completion
    actual: str  # SVG points of the published updates, as a step-free line
    dots: list  # (x, y, date, percent) of each update, for markers and the text table
    today_x: float | None
    ticks: list  # (x, label) along the time axis
    gridlines: list  # (y, label) for 0, 25, 50, 75, 100 %
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT  # where the plot area starts; the y labels sit just left of it
    top: int = TOP
    bottom: int = HEIGHT - BOTTOM  # the baseline; the month labels sit below it


def progress_curve(*, start: date, completion: date, as_of: date, updates) -> ProgressCurve | None:
    """Planned versus actual progress over time, from the item's dates and its updates.

    `updates` are (date, percent) pairs in any order; returns None without usable dates.
    """
    if not start or not completion or completion <= start:
        return None
    points = sorted(updates)
    end = max([completion, min(as_of, max([completion, *(d for d, _ in points)]))])
    span = (end - start).days or 1

    def x(day):
        day = min(max(day, start), end)
        return round(LEFT + (WIDTH - LEFT - RIGHT) * (day - start).days / span, 1)

    def y(percent):
        return round(TOP + (HEIGHT - TOP - BOTTOM) * (100 - percent) / 100, 1)

    actual = [(start, 0), *points]
    ticks, month = [], date(start.year, start.month, 1)
    while month <= end:
        if month >= start:
            ticks.append((x(month), _month_label(month)))
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    step = max(1, len(ticks) // 8)  # at most ~8 labels on a phone
    return ProgressCurve(
        planned=f"{x(start)},{y(0)} {x(completion)},{y(100)}",
        actual=" ".join(f"{x(d)},{y(p)}" for d, p in actual),
        dots=[(x(d), y(p), d, p) for d, p in points],
        today_x=x(as_of) if start <= as_of <= end else None,
        ticks=ticks[::step],
        gridlines=[(y(p), f"{p}%") for p in (0, 25, 50, 75, 100)],
    )


def _month_label(month: date) -> str:
    """ "6月" in Chinese, "Jun" in English; January shows the year instead."""
    if month.month == 1:
        return str(month.year)
    if (get_language() or "").startswith("zh"):
        return f"{month.month}月"
    return dateformat.format(month, "M")
