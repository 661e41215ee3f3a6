"""Dates of the programme year: its period, the working days it offers, and spreading over them.

A programme runs from a fixed start for a number of months (12 by default,
not tied to the calendar year). Meetings fall on working days: Monday to
Friday, not a public holiday in the countries concerned (from the
``holidays`` package), and outside the Nordic summer holiday (July) and the
Christmas and New Year weeks (20 December to 6 January).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays
import pandas as pd

from mentormatch.errors import InputError, Violation

__all__ = [
    "LAST_DAY",
    "TIMEZONES",
    "Period",
    "check_start",
    "check_timezone",
    "period",
    "spread",
    "working_days",
]

TIMEZONES: dict[str, str] = {
    "NO": "Europe/Oslo",
    "SE": "Europe/Stockholm",
    "DK": "Europe/Copenhagen",
    "FI": "Europe/Helsinki",
    "IS": "Atlantic/Reykjavik",
}
"""The time zone of each Nordic country, by ISO code."""

LAST_DAY = dt.date(9998, 12, 31)
"""The last day a plan may reach: a year short of the calendar's last (``date.max``), which
calendar files and charts step past around the days they show."""

_BREAKS = (((7, 1), (7, 31)), ((12, 20), (12, 31)), ((1, 1), (1, 6)))
"""(month, day) ranges, both ends included, when no programme activity is planned."""


@dataclass(frozen=True)
class Period:
    """The programme's first and last day (both included).

    Examples
    --------
    >>> p = period(dt.date(2027, 2, 1), 12)
    >>> p.start, p.end
    (datetime.date(2027, 2, 1), datetime.date(2028, 1, 31))
    """

    start: dt.date
    end: dt.date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end


def check_start(start: object, argument: str = "start") -> dt.date:
    """A day (the programme's start by default): a ``date``, a ``datetime`` (its date) or ISO
    text, by :data:`LAST_DAY`.

    Examples
    --------
    >>> check_start("2027-02-01")
    datetime.date(2027, 2, 1)
    >>> check_start("2027-02-30")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    mentormatch.errors.InputError: argument 'start': expected a date such as 2027-02-01, got ...
    """
    day = None
    if isinstance(start, dt.datetime):
        day = start.date()
    elif isinstance(start, dt.date):
        day = start
    elif isinstance(start, str):
        with contextlib.suppress(ValueError):
            day = dt.date.fromisoformat(start.strip())
    if day is not None and day <= LAST_DAY:
        return day
    expected = "a date such as 2027-02-01" if day is None else f"a date by {LAST_DAY}"
    raise InputError(Violation(f"expected {expected}, got {start!r}", argument=argument))


def check_timezone(name: object, argument: str = "timezone") -> ZoneInfo:
    """The IANA time zone of this name, e.g. ``Europe/Oslo``.

    Examples
    --------
    >>> check_timezone("Europe/Stockholm").key
    'Europe/Stockholm'
    """
    try:
        if isinstance(name, str) and name.strip():
            return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError):
        pass
    raise InputError(
        Violation(f"expected a time zone such as 'Europe/Oslo', got {name!r}", argument=argument)
    )


def period(start: dt.date, months: int) -> Period:
    """The period of ``months`` months from ``start``: it ends the day before the same date;
    an ``InputError`` naming ``start`` when that is after :data:`LAST_DAY`.

    Examples
    --------
    >>> period(dt.date(2027, 8, 31), 6).end
    datetime.date(2028, 2, 28)
    >>> period(dt.date(9998, 6, 1), 12)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    mentormatch.errors.InputError: argument 'start': a programme of 12 months from 9998-06-01 ...
    """
    after = LAST_DAY + dt.timedelta(days=1)  # the day after the period may be this one at most
    bound = after.year * 12 + after.month - 1  # in months since the year 0, as is the next
    if (start.year * 12 + start.month - 1 + months, start.day) > (bound, after.day):
        year, month = divmod(bound - months, 12)
        latest = dt.date(year, month + 1, after.day)
        raise InputError(
            Violation(
                f"a programme of {months} months from {start} would end after {LAST_DAY}, the "
                f"last day a plan reaches; expected a start by {latest}",
                argument="start",
            )
        )
    end = (pd.Timestamp(start) + pd.DateOffset(months=months)).date() - dt.timedelta(days=1)
    return Period(start, end)


def _in_break(day: dt.date) -> bool:
    return any((m0, d0) <= (day.month, day.day) <= (m1, d1) for (m0, d0), (m1, d1) in _BREAKS)


@cache
def _holidays(country: str, year: int) -> frozenset[dt.date]:
    try:
        table = holidays.country_holidays(country, years=year)
    except NotImplementedError:  # a country the holidays package does not know
        return frozenset()
    return frozenset(table)


def working_days(
    within: Period, countries: Iterable[str], blocked: Collection[dt.date] = ()
) -> list[dt.date]:
    """The days of the period a meeting may fall on, in order.

    Weekdays that are no public holiday in any of ``countries``, outside July
    and 20 December to 6 January, and not in ``blocked``.

    Examples
    --------
    >>> days = working_days(Period(dt.date(2027, 5, 14), dt.date(2027, 5, 21)), ["NO"])
    >>> [d.isoformat() for d in days]  # 17 May: Constitution Day and Whit Monday
    ['2027-05-14', '2027-05-18', '2027-05-19', '2027-05-20', '2027-05-21']
    """
    codes = sorted({c for c in countries if c})
    years = range(within.start.year, within.end.year + 1)
    closed = {d for c in codes for y in years for d in _holidays(c, y)} | set(blocked)
    days = pd.date_range(within.start, within.end, freq="D").date
    return [d for d in days if d.weekday() < 5 and d not in closed and not _in_break(d)]


def spread(days: Sequence[dt.date], count: int, shift: int = 0) -> list[dt.date]:
    """``count`` of ``days`` spread evenly, the i-th near the fraction (i + 1/2) / count.

    ``shift`` moves every pick by that many positions (within the list), so
    that different pairs meet on different days. The picks are distinct and
    increasing when ``len(days) >= count * (2 * abs(shift) + 1)``.

    Examples
    --------
    >>> days = [dt.date(2027, 3, d) for d in range(1, 21)]
    >>> [d.day for d in spread(days, 4)], [d.day for d in spread(days, 4, shift=-1)]
    ([3, 8, 13, 18], [2, 7, 12, 17])
    """
    step = len(days) / count
    picks = [min(max(int((i + 0.5) * step) + shift, 0), len(days) - 1) for i in range(count)]
    return [days[i] for i in picks]
