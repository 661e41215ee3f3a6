"""The programme year as a value: ``plan_programme`` and the ``Plan`` it returns, with its exports.

A plan is two tables (pandas): ``meetings``, one row per pair meeting, and
``events``, the programme-wide gatherings and steering-group meetings. Its
exports write only what is asked: a workbook, iCalendar files, printable
agendas. What goes to one pair (its calendar, its agendas) names the two of
them and nobody else.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from mentormatch.cohort import Cohort
from mentormatch.errors import InputError, Violation
from mentormatch.files import file_name, output_folder
from mentormatch.programme._agenda import agenda_of, agenda_page
from mentormatch.programme._budget import budget as _budget
from mentormatch.programme._forms import add_form
from mentormatch.programme._ics import calendar, uid, write_calendar
from mentormatch.programme._log import LOG_SHEET, log_columns
from mentormatch.programme._progress import progress as _progress
from mentormatch.programme._schedule import pairs_frame, pairs_of, plan_frames
from mentormatch.programme._steering import steering_report as _steering_report
from mentormatch.programme._texts import Language, say
from mentormatch.result import MatchResult
from mentormatch.sheets import save_book, tables_book, xlsx_path

__all__ = ["Plan", "plan_programme"]


@dataclass(frozen=True, eq=False)
class Plan:
    """A programme year: every pair's meetings and the programme-wide events.

    Attributes
    ----------
    meetings : DataFrame
        One row per meeting, by pair and number: ``mentor_id``, ``mentee_id``,
        ``number`` (1, 2, ...), ``count`` (the pair's meetings), ``start`` and
        ``end`` (local wall-clock time in ``timezone``), ``timezone``, ``mode``
        (``"in person"`` or ``"remote"``), ``theme`` (a catalogue key;
        ``intro`` first, ``kick-out`` last), then the texts in the plan's
        language: ``title``, the three parts ``follow_up``, ``challenge`` and
        ``deep_dive``, ``prompts`` (the theme's sub-themes), ``where``; and
        ``mentor_name``, ``mentee_name`` when known.
    events : DataFrame
        ``number``, ``kind`` (``"gathering"`` or ``"steering group"``),
        ``audience`` (``"mentors"``, ``"mentors and mentees"`` or ``"steering
        group"``), ``start``, ``end``, ``mode``, ``title``, ``where``, ``timezone``.
    pairs : DataFrame
        One row per pair, by ids: ``mentor_id``, ``mentee_id``, their names and
        organisations, ``distance_km`` and each one's latitude and longitude
        (``mentor_latitude``, ...; blank when not known): what the budget needs.
    start, end : date
        The programme's first and last day.
    language : {"en", "sv", "nb"}
        The language of the texts.
    settings : mapping
        The settings the plan was made with.

    Examples
    --------
    >>> import mentormatch as mm
    >>> plan = mm.plan_programme(mm.match(mm.example_cohort()), "2027-02-01")
    >>> plan.meetings.groupby("mentee_id")["number"].max().between(8, 10).all()
    np.True_
    """

    meetings: pd.DataFrame
    events: pd.DataFrame
    pairs: pd.DataFrame
    start: dt.date
    end: dt.date
    language: Language
    settings: Mapping[str, Any] = field(repr=False)

    def summary(self) -> str:
        """One line: pairs, meetings, events and the period.

        Examples
        --------
        >>> import mentormatch as mm
        >>> plan = mm.plan_programme(mm.match(mm.example_cohort()), "2027-02-01")
        >>> for part in plan.summary().split("; "):
        ...     print(part)
        15 pairs, 120 meetings (66 in person, 54 remote), 8 gatherings, 4 steering-group meetings
        2027-02-01 to 2028-01-31
        """
        pairs = len(self.meetings.groupby(["mentor_id", "mentee_id"]))
        modes = self.meetings["mode"].value_counts()
        kinds = self.events["kind"].value_counts()
        return (
            f"{pairs} pairs, {len(self.meetings)} meetings ({modes.get('in person', 0)} in person, "
            f"{modes.get('remote', 0)} remote), {kinds.get('gathering', 0)} gatherings, "
            f"{kinds.get('steering group', 0)} steering-group meetings; "
            f"{self.start.isoformat()} to {self.end.isoformat()}"
        )

    def __repr__(self) -> str:
        return f"<Plan: {self.summary()}>"

    def pair(self, mentee_id: str) -> pd.DataFrame:
        """The meetings of the pair of this mentee (a copy).

        Examples
        --------
        >>> import mentormatch as mm
        >>> plan = mm.plan_programme(mm.match(mm.example_cohort()), "2027-02-01")
        >>> plan.pair("E016")["theme"].iloc[[0, -1]].tolist()
        ['intro', 'kick-out']
        """
        rows = self.meetings[self.meetings["mentee_id"] == str(mentee_id)]
        if rows.empty:
            raise InputError(
                Violation(f"no pair with mentee '{mentee_id}' in the plan", argument="mentee_id")
            )
        return rows.copy()

    def agenda(self, mentee_id: str, number: int) -> str:
        """The printable agenda of one meeting of the pair of this mentee, as text.

        Examples
        --------
        >>> import mentormatch as mm
        >>> plan = mm.plan_programme(mm.match(mm.example_cohort()), "2027-02-01", language="sv")
        >>> print(plan.agenda("E016", 1).splitlines()[0])
        Mentorsmöte 1 av 8: Introduktion: att lära känna varandra, förväntningar och spelregler
        """
        rows = self.pair(mentee_id)
        chosen = rows[rows["number"] == number]
        if chosen.empty:
            raise InputError(
                Violation(
                    f"expected a meeting number from 1 to {len(rows)}, got {number!r}",
                    argument="number",
                )
            )
        return agenda_of(chosen.iloc[0].to_dict(), self.language).text()

    progress = _progress

    budget = _budget

    report = _steering_report

    def to_excel(self, path: str | Path) -> Path:
        """Write a workbook: ``meetings``, ``events``, ``pairs``, ``log`` and ``about``.

        ``log`` is the meeting log to fill in as the year runs (one row per
        meeting held, with drop-downs; see :meth:`progress`), ``about`` the
        settings; :func:`read_plan` reads the workbook back.

        Examples
        --------
        >>> import tempfile, pathlib, openpyxl, mentormatch as mm
        >>> plan = mm.plan_programme(mm.match(mm.example_cohort()), "2027-02-01")
        >>> path = plan.to_excel(pathlib.Path(tempfile.mkdtemp()) / "plan.xlsx")
        >>> openpyxl.load_workbook(path).sheetnames
        ['meetings', 'events', 'pairs', 'log', 'about', 'lists']
        """
        path = xlsx_path(path)
        about = pd.DataFrame(
            [(name, str(value)) for name, value in self.settings.items()],
            columns=["setting", "value"],
        )
        tables = {"meetings": self.meetings, "events": self.events, "pairs": self.pairs}
        book = tables_book({**tables, "about": about})
        add_form(book, LOG_SHEET, log_columns(self), self.language, index=3)
        save_book(book, path)
        return path

    def to_ics(self, folder: str | Path) -> list[Path]:
        """Write an iCalendar file per pair and one for the programme; return their paths.

        ``programme.ics`` holds the gatherings and steering-group meetings (no
        names); ``pair-<mentor id>-<mentee id>.ics`` holds one pair's meetings,
        each with its agenda (ids made safe as file names, long ones cut; see
        :func:`mentormatch.files.file_name`: no two pairs share a file). The
        folder is made if missing; files of the same names in it are replaced.

        Examples
        --------
        >>> import tempfile, icalendar, mentormatch as mm
        >>> plan = mm.plan_programme(mm.match(mm.example_cohort()), "2027-02-01")
        >>> paths = plan.to_ics(tempfile.mkdtemp())
        >>> len(paths), paths[0].name
        (16, 'programme.ics')
        >>> cal = icalendar.Calendar.from_ical(paths[1].read_bytes())
        >>> len(cal.events), cal.events[0].start.tzinfo.key
        (8, 'Europe/Oslo')
        """
        folder = output_folder(folder)
        stamp = dt.datetime.now(dt.UTC).replace(microsecond=0)
        taken: set[str] = set()
        title = say("programme", self.language, start=self.start, end=self.end)
        events = [
            {
                "uid": uid(self.start, "event", row["kind"], row["start"]),
                "summary": row["title"],
                "description": row["title"],
                "location": row["where"],
                "start": row["start"],
                "end": row["end"],
                "timezone": row["timezone"],
            }
            for row in self.events.to_dict(orient="records")
        ]
        paths = [
            write_calendar(
                calendar(title, events, self.start, self.end, stamp),
                folder / file_name("programme", suffix=".ics", taken=taken),
            )
        ]
        for (mentor_id, mentee_id), rows in self.meetings.groupby(["mentor_id", "mentee_id"]):
            entries = [
                {
                    "uid": uid(self.start, mentor_id, mentee_id, row["number"]),
                    "summary": row["title"],
                    "description": agenda_of(row, self.language).text(),
                    "location": row["where"],
                    "start": row["start"],
                    "end": row["end"],
                    "timezone": row["timezone"],
                }
                for row in rows.to_dict(orient="records")
            ]
            name = self._pair_title(rows)
            paths.append(
                write_calendar(
                    calendar(name, entries, self.start, self.end, stamp),
                    folder
                    / file_name("pair", str(mentor_id), str(mentee_id), suffix=".ics", taken=taken),
                )
            )
        return paths

    def to_agendas(self, folder: str | Path) -> list[Path]:
        """Write each pair's printable agendas, one HTML file per pair, a page per meeting.

        Files are named ``agenda-<mentor id>-<mentee id>.html``, as :meth:`to_ics`
        names the pairs' calendars; the folder is made if missing.

        Examples
        --------
        >>> import tempfile, mentormatch as mm
        >>> plan = mm.plan_programme(mm.match(mm.example_cohort()), "2027-02-01")
        >>> paths = plan.to_agendas(tempfile.mkdtemp())
        >>> len(paths), paths[0].suffix
        (15, '.html')
        """
        folder = output_folder(folder)
        taken: set[str] = set()
        paths = []
        for (mentor_id, mentee_id), rows in self.meetings.groupby(["mentor_id", "mentee_id"]):
            name = file_name("agenda", str(mentor_id), str(mentee_id), suffix=".html", taken=taken)
            paths.append(agenda_page(rows, self._pair_title(rows), self.language, folder / name))
        return paths

    def _pair_title(self, rows: pd.DataFrame) -> str:
        first = rows.iloc[0]
        names = [
            first[f"{role}_name"] if isinstance(first[f"{role}_name"], str) else first[f"{role}_id"]
            for role in ("mentor", "mentee")
        ]
        return say("pair calendar", self.language, mentor=names[0], mentee=names[1])


def plan_programme(
    result: MatchResult | pd.DataFrame,
    start: dt.date | str,
    *,
    meetings: int | tuple[int, int] = (8, 10),
    language: str = "en",
    cohort: Cohort | None = None,
    months: int = 12,
    remote_km: float = 300.0,
    in_person_hours: float = 3.0,
    remote_hours: float = 1.5,
    gatherings: int | Sequence[str] = 8,
    steering: int = 4,
    timezone: str | None = None,
) -> Plan:
    """Plan the programme year for a round's pairs.

    Parameters
    ----------
    result : MatchResult or DataFrame
        The round (from :func:`mm.match`), or a pairs table with at least
        ``mentor_id`` and ``mentee_id`` (e.g. the ``pairs`` sheet of
        ``result.to_excel``); ``distance_km``, ``mentor_name`` and
        ``mentee_name`` are used when present.
    start : date or str
        The programme's first day; it ends ``months`` later (the day before).
    meetings : int or (int, int), default (8, 10)
        Meetings per pair, or the fewest and the most: each pair gets two
        (``intro`` and ``kick-out``) plus one per main theme the mentee seeks,
        within these bounds.
    language : {"en", "sv", "nb"}, default "en"
        The language of the titles, parts, prompts and agendas.
    cohort : Cohort, optional
        The round's cohort: its themes order the deep dives (sought and
        offered first, then the rest sought, then the catalogue), its
        countries set each pair's time zone and public holidays, its
        coordinates give distances a pairs table lacks. Without it the deep
        dives follow the catalogue.
    months : int, default 12
        The programme's length.
    remote_km : float, default 300
        Pairs further apart than this meet remotely between the first and the
        last meeting (which are always in person).
    in_person_hours, remote_hours : float, default 3 and 1.5
        Length of a meeting, within the programme's 1 to 3 hours.
    gatherings : int or sequence of str, default 8
        Joint gatherings: a number (alternately for mentors alone, with
        training in mentoring principles, and for mentors and mentees, the
        first of these the kick-off and the last the closing), or their
        audiences in order, each ``"mentors"`` or ``"mentors and mentees"``.
        The pairs meet between the kick-off and the closing, never on a
        gathering day.
    steering : int, default 4
        Digital steering-group meetings, one in each equal part of the
        programme (4: one per quarter).
    timezone : str, optional
        The time zone of the programme-wide events and of pairs whose country
        is not known; default: that of the country most pairs' mentees are in,
        else Europe/Oslo.

    Returns
    -------
    Plan

    Raises
    ------
    mm.InputError
        Naming every bad argument at once.

    Examples
    --------
    >>> import mentormatch as mm
    >>> cohort = mm.example_cohort()
    >>> plan = mm.plan_programme(mm.match(cohort), "2027-02-01", cohort=cohort, language="nb")
    >>> first = plan.meetings.iloc[0]
    >>> first["number"], first["mode"], first["theme"], first["timezone"]
    (np.int64(1), 'in person', 'intro', 'Europe/Oslo')
    """
    pairs = pairs_of(result, cohort)
    if not pairs:
        raise InputError(Violation("there are no pairs to plan for", argument="result"))
    table, events, settings = plan_frames(
        pairs,
        start,
        meetings=meetings,
        language=language,
        months=months,
        remote_km=remote_km,
        in_person_hours=in_person_hours,
        remote_hours=remote_hours,
        gatherings=gatherings,
        steering=steering,
        timezone=timezone,
    )
    return Plan(
        meetings=table,
        events=events,
        pairs=pairs_frame(pairs),
        start=settings["start"],
        end=settings["end"],
        language=settings["language"],
        settings=settings,
    )
