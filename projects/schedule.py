"""Schedule awareness (序时进度): where an item should be by a date, and how worried to be.

The rule lives here and nowhere else. `expected_progress` interpolates linearly between the
planned start and the baseline completion date: a promise to finish by a date is judged
against that date, even after a revised date has been approved.
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings

from .choices import Colour


def expected_progress(start: date | None, completion: date | None, on: date) -> int:
    """Percent of the work that should be done on `on`, from a straight line start → completion."""
    if not start or not completion:
        return 0
    if on <= start:
        return 0
    if on >= completion:
        return 100
    elapsed = (on - start).days
    total = (completion - start).days
    return round(100 * elapsed / total)


@dataclass(frozen=True)
class ScheduleAssessment:
    expected: int
    actual: int
    lag: int  # percentage points behind the expected progress; negative when ahead
    overdue: bool  # past the baseline completion date and not finished
    colour: str


def assess(
    *, progress: int, start: date | None, completion: date | None, on: date
) -> ScheduleAssessment:
    """Compare actual progress with the expected one on `on` and pick a supervision colour.

    blue: completed; red: overdue or lag ≥ red threshold; orange: lag ≥ orange threshold;
    yellow: lag ≥ yellow threshold; green: on or ahead of schedule.
    """
    thresholds = settings.PORTAL_LAG_THRESHOLDS
    expected = expected_progress(start, completion, on)
    lag = expected - progress
    overdue = bool(completion and on > completion and progress < 100)
    if progress >= 100:
        colour = Colour.BLUE
    elif overdue or lag >= thresholds["red"]:
        colour = Colour.RED
    elif lag >= thresholds["orange"]:
        colour = Colour.ORANGE
    elif lag >= thresholds["yellow"]:
        colour = Colour.YELLOW
    else:
        colour = Colour.GREEN
    return ScheduleAssessment(expected, progress, lag, overdue, colour)
