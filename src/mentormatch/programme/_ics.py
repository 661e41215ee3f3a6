"""iCalendar files of the plan, written with the ``icalendar`` package.

One file per pair (their meetings only, with the agenda as the description)
and one for the programme (gatherings and steering-group meetings, no names).
Every entry has a stable UID and a DTSTAMP, times carry their time zone
(Europe/Oslo, Europe/Stockholm, ...), and each file holds the VTIMEZONE
definitions it uses, so calendar programs import them as they are.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pandas as pd

from mentormatch.files import writing

__all__ = ["calendar", "uid", "write_calendar"]

PRODID = "-//mentormatch//programme plan//EN"


def uid(*parts: object) -> str:
    """A stable, globally unique id for a calendar entry, from what identifies it.

    Examples
    --------
    >>> uid("2027-02-01", "M1", "E1", 3) == uid("2027-02-01", "M1", "E1", 3)
    True
    >>> uid("a").endswith("@mentormatch")
    True
    """
    digest = hashlib.sha256("|".join(str(p) for p in parts).encode("utf-8")).hexdigest()
    return f"{digest[:32]}@mentormatch"


def calendar(
    name: str,
    entries: Iterable[dict[str, object]],
    first: dt.date,
    last: dt.date,
    stamp: dt.datetime,
) -> icalendar.Calendar:
    """A calendar of entries with keys uid, summary, description, location, start, end, timezone.

    ``start`` and ``end`` are the local wall-clock times in the entry's time zone.
    """
    cal = icalendar.Calendar.new(
        name=name, prodid=PRODID, uid=uid(name, first), calscale="GREGORIAN", method="PUBLISH"
    )
    for entry in entries:
        zone = ZoneInfo(str(entry["timezone"]))
        start = pd.Timestamp(entry["start"]).to_pydatetime().replace(tzinfo=zone)  # type: ignore[arg-type]
        end = pd.Timestamp(entry["end"]).to_pydatetime().replace(tzinfo=zone)  # type: ignore[arg-type]
        cal.add_component(
            icalendar.Event.new(
                uid=str(entry["uid"]),
                stamp=stamp,
                start=start,
                end=end,
                summary=str(entry["summary"]),
                description=str(entry["description"]),
                location=str(entry["location"]),
            )
        )
    cal.add_missing_timezones(first_date=first, last_date=last + dt.timedelta(days=1))
    return cal


def write_calendar(cal: icalendar.Calendar, path: Path) -> Path:
    """Write the calendar as an ``.ics`` file (CRLF lines, as RFC 5545 wants)."""
    with writing(path):
        path.write_bytes(cal.to_ical())
    return path
