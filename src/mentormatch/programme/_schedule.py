"""Building the programme year's tables: each pair's meetings and the programme-wide events.

``plan_frames`` turns a round's pairs into a plan: 8-10 meetings per pair
spread over about a year, the first and the last in person, each with the
Swedish programme's three parts and a deep-dive theme running from ``intro``
to ``kick-out``; joint gatherings; and quarterly digital steering-group
meetings. Every date is a working day (see :mod:`._calendar`).
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from mentormatch.cohort import Cohort
from mentormatch.errors import InputError, Violation, gather
from mentormatch.geo import distance_km
from mentormatch.profiles import Profile, as_text, is_blank
from mentormatch.programme._calendar import (
    TIMEZONES,
    Period,
    check_start,
    check_timezone,
    period,
    spread,
    working_days,
)
from mentormatch.programme._texts import (
    Language,
    check_language,
    say,
    subtheme_text,
    theme_text,
)
from mentormatch.result import MatchResult
from mentormatch.themes import catalogue

__all__ = ["PAIR_COLUMNS", "Pair", "pairs_frame", "pairs_of", "plan_frames"]

AUDIENCES = ("mentors", "mentors and mentees")
"""Who a joint gathering is for."""

KICKOFF_AFTER = 5
"""Working days from the first gathering (mentor training) to the second (the kick-off)."""

_SHIFTS = 5
"""Pairs' meetings are shifted by -2 to +2 working days, so that pairs meet on different days."""

_MEETING_TIMES = {"in person": dt.time(10, 0), "remote": dt.time(14, 0)}
_GATHERING = (dt.time(9, 30), dt.time(16, 0))
_STEERING = (dt.time(13, 0), dt.time(14, 30))


@dataclass(frozen=True)
class Pair:
    """What the plan needs of one pair: ids, names, organisations, distance, places, countries,
    themes."""

    mentor_id: str
    mentee_id: str
    mentor_name: str | None = None
    mentee_name: str | None = None
    km: float = math.nan
    countries: tuple[str, ...] = ()
    sought: tuple[str, ...] = ()
    offered: tuple[str, ...] = ()
    mentor_organisation: str | None = None
    mentee_organisation: str | None = None
    mentor_at: tuple[float, float] | None = None
    """The mentor's latitude and longitude, when the cohort has them."""
    mentee_at: tuple[float, float] | None = None

    def themes(self, count: int) -> list[str]:
        """``count`` deep-dive themes: sought and offered, then sought, then the catalogue.

        Examples
        --------
        >>> Pair("m", "e", sought=("crisis/after", "strategy"), offered=("strategy",)).themes(4)
        ['strategy', 'crisis', 'golden-zone', 'complex-inquiries']
        """
        sought = list(dict.fromkeys(t.partition("/")[0] for t in self.sought))
        offered = {t.partition("/")[0] for t in self.offered}
        order = [
            *(k for k in sought if k in offered),
            *(k for k in sought if k not in offered),
            *(k for k in catalogue() if k not in sought),
        ]
        return [order[i % len(order)] for i in range(count)]

    def prompts(self, theme: str) -> list[str]:
        """The theme's sub-themes as ``theme/sub`` keys: the mentee's, the mentor's, the rest.

        Examples
        --------
        >>> Pair("m", "e", sought=("crisis/after",)).prompts("crisis")[:2]
        ['crisis/after', 'crisis/preparedness']
        """
        named = [t for t in (*self.sought, *self.offered) if t.startswith(f"{theme}/")]
        every = [f"{theme}/{s}" for s in catalogue()[theme].subtheme_keys]
        return list(dict.fromkeys([*named, *every]))


def pairs_of(result: object, cohort: Cohort | None) -> list[Pair]:
    """The pairs of a result or a pairs table, sorted by ids, with what the cohort tells.

    Raises ``InputError`` for a table without ``mentor_id``/``mentee_id``, a
    mentee in two pairs, no pairs, or ids the cohort does not have.
    """
    table = _pairs_table(result)
    if cohort is not None and not isinstance(cohort, Cohort):
        raise InputError(
            Violation(f"expected a mm.Cohort, got {type(cohort).__name__}", argument="cohort")
        )
    profiles = {} if cohort is None else {p.id: p for p in cohort.profiles}
    problems: list[Violation] = []
    pairs: list[Pair] = []
    for row in table.to_dict(orient="records"):
        mentor_id, mentee_id = as_text(row["mentor_id"]), as_text(row["mentee_id"])
        mentor, mentee = profiles.get(mentor_id), profiles.get(mentee_id)
        for person, role, profile in ((mentor_id, "mentor", mentor), (mentee_id, "mentee", mentee)):
            if cohort is not None and (profile is None or profile.role != role):
                problems.append(Violation(f"no {role} '{person}' in the cohort", argument="cohort"))
        km = _number(row.get("distance_km"))
        if math.isnan(km) and mentor is not None and mentee is not None:
            km = float(distance_km([mentor], [mentee])[0, 0])
        pairs.append(
            Pair(
                mentor_id=mentor_id,
                mentee_id=mentee_id,
                mentor_name=_name(row.get("mentor_name"), mentor),
                mentee_name=_name(row.get("mentee_name"), mentee),
                km=km,
                countries=tuple(p.country for p in (mentee, mentor) if p and p.country),
                sought=mentee.themes if mentee else (),
                offered=mentor.themes if mentor else (),
                mentor_organisation=_organisation(row.get("mentor_organisation"), mentor),
                mentee_organisation=_organisation(row.get("mentee_organisation"), mentee),
                mentor_at=_place(mentor),
                mentee_at=_place(mentee),
            )
        )
    if problems:
        raise InputError(problems)
    return sorted(pairs, key=lambda p: (p.mentor_id, p.mentee_id))


def _pairs_table(result: object) -> pd.DataFrame:
    if isinstance(result, MatchResult):
        return result.pairs
    if not isinstance(result, pd.DataFrame):
        raise InputError(
            Violation(
                "expected a mm.MatchResult (from mm.match) or a pairs table, "
                f"got {type(result).__name__}",
                argument="result",
            )
        )
    missing = [c for c in ("mentor_id", "mentee_id") if c not in result.columns]
    if missing:
        raise InputError(
            [Violation(f"the pairs table has no column '{c}'", argument="result") for c in missing]
        )
    problems = []
    mentees = [as_text(v) for v in result["mentee_id"]]
    for row, (mentor, mentee) in enumerate(zip(result["mentor_id"], mentees, strict=True), 2):
        if is_blank(mentor) or not mentee:
            problems.append(Violation("a pair needs a mentor_id and a mentee_id", row=row))
        elif mentees.index(mentee) + 2 != row:
            problems.append(
                Violation(
                    f"mentee '{mentee}' is also in the pair of row {mentees.index(mentee) + 2}",
                    row=row,
                    column="mentee_id",
                )
            )
    if problems:
        raise InputError(problems)
    return result


def _number(value: object) -> float:
    try:
        return math.nan if is_blank(value) else float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return math.nan


def _name(cell: object, profile: Profile | None) -> str | None:
    if not is_blank(cell):
        return as_text(cell)
    return profile.name if profile is not None else None


def _organisation(cell: object, profile: Profile | None) -> str | None:
    if profile is not None:
        return profile.organisation
    return None if is_blank(cell) else as_text(cell)


def _place(profile: Profile | None) -> tuple[float, float] | None:
    if profile is None or profile.latitude is None or profile.longitude is None:
        return None
    return (profile.latitude, profile.longitude)


PAIR_COLUMNS = (
    "mentor_id", "mentee_id", "mentor_name", "mentee_name", "mentor_organisation",
    "mentee_organisation", "distance_km", "mentor_latitude", "mentor_longitude",
    "mentee_latitude", "mentee_longitude",
)  # fmt: skip
"""The columns of ``Plan.pairs``."""


def pairs_frame(pairs: Sequence[Pair]) -> pd.DataFrame:
    """The plan's pairs as a table: ids, names, organisations, distance and coordinates.

    Examples
    --------
    >>> frame = pairs_frame([Pair("m", "e", km=12.5, mentee_at=(59.9, 10.7))])
    >>> frame.loc[0, ["distance_km", "mentor_latitude", "mentee_latitude"]].tolist()
    [12.5, nan, 59.9]
    """
    nowhere = (math.nan, math.nan)
    rows = [
        (p.mentor_id, p.mentee_id, p.mentor_name, p.mentee_name, p.mentor_organisation,
         p.mentee_organisation, p.km, *(p.mentor_at or nowhere), *(p.mentee_at or nowhere))
        for p in pairs
    ]  # fmt: skip
    frame = pd.DataFrame(rows, columns=list(PAIR_COLUMNS))
    numbers = ["distance_km", *(c for c in PAIR_COLUMNS if c.endswith(("latitude", "longitude")))]
    frame[numbers] = frame[numbers].astype(float)
    return frame


def check_meetings(meetings: object) -> tuple[int, int]:
    """The fewest and most meetings per pair, from an int or a (min, max) pair.

    Examples
    --------
    >>> check_meetings(9), check_meetings((8, 10))
    ((9, 9), (8, 10))
    """
    bounds = (meetings, meetings) if isinstance(meetings, int) else meetings
    if (
        isinstance(bounds, tuple | list)
        and len(bounds) == 2
        and all(isinstance(b, int) and not isinstance(b, bool) for b in bounds)
        and 2 <= bounds[0] <= bounds[1] <= 24
    ):
        return int(bounds[0]), int(bounds[1])
    raise InputError(
        Violation(
            "expected a whole number of meetings per pair, or (fewest, most), between 2 and 24 "
            f"(the first and the last meetings are two), got {meetings!r}",
            argument="meetings",
        )
    )


def _check_hours(value: object, argument: str) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool) and 1 <= value <= 3:
        return float(value)
    raise InputError(
        Violation(
            f"expected 1 to 3 hours (as the programme says), got {value!r}", argument=argument
        )
    )


def _check_count(value: object, argument: str, most: int) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= most:
        return value
    raise InputError(
        Violation(f"expected a whole number from 0 to {most}, got {value!r}", argument=argument)
    )


def _audiences(gatherings: object) -> list[str]:
    if isinstance(gatherings, int) and not isinstance(gatherings, bool):
        count = _check_count(gatherings, "gatherings", 24)
        return [AUDIENCES[i % 2] for i in range(count)]
    if isinstance(gatherings, Sequence) and not isinstance(gatherings, str):
        bad = [g for g in gatherings if g not in AUDIENCES]
        if not bad and len(gatherings) <= 24:
            return [str(g) for g in gatherings]
    raise InputError(
        Violation(
            "expected a number of gatherings, or a list of at most 24 audiences, each "
            f"'mentors' or 'mentors and mentees', got {gatherings!r}",
            argument="gatherings",
        )
    )


def _at(day: dt.date, time: dt.time, hours: float) -> tuple[pd.Timestamp, pd.Timestamp]:
    begin = pd.Timestamp(dt.datetime.combine(day, time))
    return begin, begin + pd.Timedelta(hours=hours)


def _gathering_days(days: Sequence[dt.date], count: int) -> list[dt.date]:
    """The first gathering on the first day; the others evenly from a week later to the end."""
    if count == 0:
        return []
    later = days[min(KICKOFF_AFTER, len(days) - 1) :]
    rest = count - 1
    picks = [round(j * (len(later) - 1) / max(rest - 1, 1)) for j in range(rest)]
    return [days[0], *(later[i] for i in picks)]


def _events(
    within: Period,
    audiences: Sequence[str],
    steering: int,
    countries: Sequence[str],
    zone: str,
    language: Language,
) -> pd.DataFrame:
    days = working_days(within, countries)
    rows: list[dict[str, Any]] = []
    for day, audience, title in zip(
        _gathering_days(days, len(audiences)), audiences, _gathering_titles(audiences), strict=True
    ):
        start, end = _at(day, _GATHERING[0], 0)[0], _at(day, _GATHERING[1], 0)[0]
        rows.append(
            {"kind": "gathering", "audience": audience, "start": start, "end": end,
             "mode": "in person", "title": say(title, language),
             "where": say("place gathering", language)}
        )  # fmt: skip
    gathering_days = {r["start"].date() for r in rows}
    length = (within.end - within.start).days + 1
    for q in range(steering):
        first = within.start + dt.timedelta(days=q * length // steering)
        last = within.start + dt.timedelta(days=(q + 1) * length // steering - 1)
        part = Period(first, last)
        free = [d for d in days if d in part and d not in gathering_days]
        free = free or working_days(part, (), gathering_days) or [first]
        start, end = _at(free[int(0.8 * len(free))], _STEERING[0], 1.5)
        rows.append(
            {"kind": "steering group", "audience": "steering group", "start": start, "end": end,
             "mode": "remote", "title": say("steering", language, number=q + 1, count=steering),
             "where": say("place steering", language)}
        )  # fmt: skip
    events = pd.DataFrame(
        rows, columns=["kind", "audience", "start", "end", "mode", "title", "where"]
    )
    events = events.sort_values(["start", "kind"], kind="stable", ignore_index=True)
    events.insert(0, "number", range(1, len(events) + 1))
    events["timezone"] = zone
    events["start"] = pd.to_datetime(events["start"])
    events["end"] = pd.to_datetime(events["end"])
    return events


def _gathering_titles(audiences: Sequence[str]) -> list[str]:
    joint = [i for i, a in enumerate(audiences) if a == "mentors and mentees"]
    titles = []
    for i, audience in enumerate(audiences):
        if audience == "mentors":
            first = audiences.index("mentors") == i
            titles.append("gathering mentors first" if first else "gathering mentors")
        elif i == joint[0]:
            titles.append("gathering all first")
        elif len(joint) > 1 and i == joint[-1]:
            titles.append("gathering all last")
        else:
            titles.append("gathering all")
    return titles


def _window(within: Period, events: pd.DataFrame) -> Period:
    """The pairs meet after the kick-off (the first joint gathering) and before the closing."""
    joint = events.loc[events["audience"] == "mentors and mentees", "start"].dt.date.tolist()
    first = joint[0] + dt.timedelta(days=1) if joint else within.start
    last = joint[-1] - dt.timedelta(days=1) if len(joint) > 1 else within.end
    return Period(first, last)


def _meetings(
    pairs: Sequence[Pair],
    window: Period,
    blocked: set[dt.date],
    settings: Mapping[str, Any],
    language: Language,
) -> pd.DataFrame:
    lo, hi = settings["meetings"]
    rows: list[dict[str, Any]] = []
    for index, pair in enumerate(pairs):
        count = min(max(2 + len({t.partition("/")[0] for t in pair.sought}), lo), hi)
        days = working_days(window, pair.countries or settings["countries"], blocked)
        if len(days) < count * _SHIFTS:
            raise InputError(
                Violation(
                    f"pair {pair.mentor_id}-{pair.mentee_id}: {count} meetings need at least "
                    f"{count * _SHIFTS} working days between the kick-off and the closing, "
                    f"the plan has {len(days)}; plan fewer meetings or a longer programme",
                    argument="meetings",
                )
            )
        zone = TIMEZONES.get(pair.countries[0], settings["timezone"]) if pair.countries else None
        far = pair.km > settings["remote_km"]  # False when the distance is not known
        themes = ["intro", *pair.themes(count - 2), "kick-out"]
        shift = index % _SHIFTS - _SHIFTS // 2
        for number, (day, theme) in enumerate(
            zip(spread(days, count, shift), themes, strict=True), 1
        ):
            mode = "remote" if far and 1 < number < count else "in person"
            hours = settings[f"{mode.replace(' ', '_')}_hours"]
            start, end = _at(day, _MEETING_TIMES[mode], hours)
            prompts = pair.prompts(theme) if theme in catalogue() else []
            rows.append(
                {
                    "mentor_id": pair.mentor_id,
                    "mentee_id": pair.mentee_id,
                    "number": number,
                    "count": count,
                    "start": start,
                    "end": end,
                    "timezone": zone or settings["timezone"],
                    "mode": mode,
                    "theme": theme,
                    "title": f"{say('meeting', language, number=number, count=count)}: "
                    f"{theme_text(theme, language)}",
                    "follow_up": say("follow_up_first" if number == 1 else "follow_up", language),
                    "challenge": say("challenge", language),
                    "deep_dive": say("deep_dive", language, theme=theme_text(theme, language)),
                    "prompts": "; ".join(subtheme_text(p, language) for p in prompts),
                    "where": say(f"place {mode}", language),
                    "mentor_name": pair.mentor_name,
                    "mentee_name": pair.mentee_name,
                }
            )
    meetings = pd.DataFrame(rows)
    meetings["start"] = pd.to_datetime(meetings["start"])
    meetings["end"] = pd.to_datetime(meetings["end"])
    return meetings


def plan_frames(
    pairs: Sequence[Pair],
    start: object,
    *,
    meetings: object,
    language: object,
    months: object,
    remote_km: object,
    in_person_hours: object,
    remote_hours: object,
    gatherings: object,
    steering: object,
    timezone: object,
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, Any]]:
    """Validate the settings (every problem at once) and build the meetings and the events."""
    checks: dict[str, Callable[[], object]] = {
        "start": lambda: check_start(start),
        "meetings": lambda: check_meetings(meetings),
        "language": lambda: check_language(language),
        "months": lambda: _check_months(months),
        "remote_km": lambda: _check_km(remote_km),
        "in_person_hours": lambda: _check_hours(in_person_hours, "in_person_hours"),
        "remote_hours": lambda: _check_hours(remote_hours, "remote_hours"),
        "gatherings": lambda: _audiences(gatherings),
        "steering": lambda: _check_count(steering, "steering", 12),
        "timezone": lambda: None if timezone is None else check_timezone(timezone).key,
    }
    settings = gather(checks)
    countries = Counter(p.countries[0] for p in pairs if p.countries)
    settings["countries"] = tuple(sorted(countries))
    if settings["timezone"] is None:
        common = countries.most_common(1)[0][0] if countries else "NO"
        settings["timezone"] = TIMEZONES.get(common, "Europe/Oslo")
    within = period(settings["start"], settings["months"])
    settings["end"] = within.end
    events = _events(
        within,
        settings["gatherings"],
        settings["steering"],
        settings["countries"],
        settings["timezone"],
        settings["language"],
    )
    gathering_days = set(events.loc[events["kind"] == "gathering", "start"].dt.date)
    table = _meetings(
        pairs, _window(within, events), gathering_days, settings, settings["language"]
    )
    return table, events, settings


def _check_months(value: object) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and 3 <= value <= 36:
        return value
    raise InputError(
        Violation(
            f"expected a whole number of months from 3 to 36, got {value!r}", argument="months"
        )
    )


def _check_km(value: object) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0:
        return float(value)
    raise InputError(
        Violation(f"expected a distance in km >= 0, got {value!r}", argument="remote_km")
    )
