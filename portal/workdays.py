"""Dutch working days: the one helper every deadline is counted with.

A working day is Monday to Friday, except the Dutch public holidays as the
`holidays` package knows them. Good Friday is included there: corporations
keep their offices closed on Goede Vrijdag, so a deadline skips it too.
Liberation Day (5 May) counts as a holiday only in the years the package
marks it (every fifth year), as in most collective labour agreements.
"""

from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _holidays_for(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("NL", years=year).keys())


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _holidays_for(day.year)


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days after `start`.

    The day a request comes in does not count: a request made on Monday with
    two working days is due on Wednesday. A request made on a Saturday with
    two working days is due on Tuesday.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    day = start
    remaining = days
    while remaining:
        day += timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: date, end: date) -> int:
    """How many working days lie after `start` up to and including `end`."""
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count
