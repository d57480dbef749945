"""Schedule awareness (序时进度): where an item should be by a date, and how worried to be.

The rule lives here and nowhere else. `expected_progress` interpolates linearly between the
planned start and the baseline completion date: a promise to finish by a date is judged
against that date, even after a revised date has been approved. `data_date` decides the date
everything is judged on.
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .choices import COLOUR_SEVERITY, Colour


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


def is_behind(colour: str) -> bool:
    """Orange or red: far enough behind that residents are owed a reason."""
    return COLOUR_SEVERITY[colour] >= COLOUR_SEVERITY[Colour.ORANGE]


@dataclass(frozen=True)
class DataDate:
    """The date a year's figures are as of, and why that date (stated beside it on the pages)."""

    SET = "set"
    LATEST_UPDATE = "latest_update"
    TODAY = "today"
    BASES = {
        SET: _("the year's assessment date"),
        LATEST_UPDATE: _("date of the latest published progress update"),
        TODAY: _("today; no progress update published yet"),
    }

    date: date
    basis: str

    @property
    def basis_label(self):
        return self.BASES[self.basis]


def data_date(*, set_date: date | None, latest_update: date | None, today: date) -> DataDate:
    """The one "data as of" date: what the overview and year list state, and what every item's
    schedule colour is judged on.

    It is the later of the year's set assessment date (figures as of, set once a year is closed)
    and the date of the year's latest published progress update, so no figure shown is newer
    than the date stated. An update dated in the future counts as today. With neither, today.
    """
    if latest_update is not None:
        latest_update = min(latest_update, today)
    if set_date and (latest_update is None or set_date >= latest_update):
        return DataDate(set_date, DataDate.SET)
    if latest_update is not None:
        return DataDate(latest_update, DataDate.LATEST_UPDATE)
    return DataDate(today, DataDate.TODAY)
