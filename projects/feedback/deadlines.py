"""Reply deadlines in working days, with China's public holidays and make-up workdays.

The calendar comes from the maintained `chinesecalendar` package (import name
`chinese_calendar`), which follows the State Council's yearly notice. For a year it does not
know yet (the notice comes out in November), weekends alone are counted as rest days, so a
deadline is never computed as earlier than the official one by more than that year's holidays.
"""

from datetime import date, datetime, timedelta

import chinese_calendar
from django.conf import settings
from django.utils import timezone


def is_working_day(day: date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def add_working_days(start: date, days: int) -> date:
    """The `days`-th working day after `start` (the day of receipt itself does not count)."""
    day = start
    remaining = days
    while remaining > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def reply_due(received: datetime | date | None = None, days: int | None = None) -> date:
    """The last day on which a message received at `received` may be answered in time."""
    if received is None:
        received = timezone.now()
    if isinstance(received, datetime):
        received = timezone.localdate(received)
    if days is None:
        days = settings.FEEDBACK_REPLY_WORKING_DAYS
    return add_working_days(received, days)


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (negative when end < start)."""
    if end < start:
        return -working_days_between(end, start)
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        count += is_working_day(day)
    return count
