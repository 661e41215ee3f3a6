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
from mentormatch.programme._agenda import agenda_of, agenda_page
from mentormatch.programme._budget import (
    COST_PER_KM,
    DAY_HOURS,
    HOURLY_COST,
    NIGHT_KM,
    PILOT_DAYS,
    SPEED_KMH,
    Budget,
    budget,
)
from mentormatch.programme._forms import add_form
from mentormatch.programme._ics import calendar, file_name, uid, write_calendar
from mentormatch.programme._log import LOG_SHEET, log_columns
from mentormatch.programme._progress import progress
from mentormatch.programme._schedule import pairs_frame, pairs_of, plan_frames
from mentormatch.programme._steering import steering_report
from mentormatch.programme._texts import Language, say
from mentormatch.result import MatchResult
from mentormatch.sheets import tables_book

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

    def progress(
        self, log: object, today: object = None, *, quiet_weeks: float = 10, pace: float = 0.5
    ) -> pd.DataFrame:
        """Each pair's meetings held so far against the plan, and whether it is falling behind.

        Parameters
        ----------
        log : DataFrame, str or Path
            The meetings held, one row per meeting: ``mentee_id`` (the pair),
            ``date``, and optionally ``mentor_id``, ``mode`` and ``theme``: the
            ``log`` sheet of the plan's workbook (pass the workbook's path), or
            any ``.xlsx``, ``.csv`` or ``.json`` table or DataFrame with these
            columns. Checked against the plan: every problem is named with its
            row and column, all at once.
        today : date or str, optional
            The day to judge on; default: the current date. No meeting can be
            logged after it.
        quiet_weeks : float, default 10
            A pair is behind after more than this many weeks without a meeting
            (counted from the kick-off until its first meeting).
        pace : float, default 0.5
            From the middle of the programme on, a pair is behind when it has
            held fewer than this share of the meetings planned up to today.

        Returns
        -------
        DataFrame
            One row per pair: ``mentor_id``, ``mentee_id``, ``held``,
            ``planned`` (the pair's meetings in the plan), ``due`` (those
            planned up to today), ``in_person`` (held in person), ``last`` and
            ``weeks_since_last`` (NaN before the first), ``next`` (the next
            planned date), ``themes_covered`` (``;``-separated catalogue keys, in
            the order first held), ``behind`` and ``reason`` (in the plan's
            language). A pair that has held all its meetings is never behind.

        Examples
        --------
        >>> import pandas as pd, mentormatch as mm
        >>> plan = mm.plan_programme(mm.match(mm.example_cohort()), "2027-02-01")
        >>> log = pd.DataFrame({"mentee_id": ["E016", "E016", "E005"],
        ...                     "date": ["2027-02-18", "2027-04-20", "2027-02-19"],
        ...                     "theme": ["intro", "crisis", "intro"]})
        >>> table = plan.progress(log, today="2027-06-01")
        >>> shown = table[table["mentee_id"].isin(["E016", "E005"])]
        >>> print(shown[["mentee_id", "held", "due", "weeks_since_last", "behind"]].to_string(
        ...     index=False))
        mentee_id  held  due  weeks_since_last  behind
             E016     2    3               6.0   False
             E005     1    3              14.6    True
        >>> print(shown["reason"].iloc[1])
        no meeting in 15 weeks (the last on 2027-02-19)
        """
        return progress(self, log, today, quiet_weeks=quiet_weeks, pace=pace)

    def budget(
        self,
        *,
        place: str | tuple[float, float] | None = None,
        traveller: str = "mentee",
        cost_per_km: float = COST_PER_KM,
        hourly_cost: float = HOURLY_COST,
        support_hourly_cost: float | None = None,
        speed_kmh: float = SPEED_KMH,
        detour: float = 1.0,
        night_km: float = NIGHT_KM,
        night_cost: float = 0.0,
        day_hours: float = DAY_HOURS,
        secretariat_days: float | tuple[float, float] = PILOT_DAYS,
        support_days: float | tuple[float, float] = PILOT_DAYS,
        currency: str = "NOK",
    ) -> Budget:
        """The programme's cost estimate: travel to meetings and gatherings, and days of work.

        Every in-person meeting is a round trip over the pair's distance by
        the ``traveller``; every gathering a round trip from each participant's
        organisation to ``place`` (mentors to all gatherings, mentees to the
        joint ones). The plan must know the pairs' distances and, for the
        gatherings, everyone's coordinates (make it with ``cohort=``).

        Parameters
        ----------
        place : str, (float, float) or None
            Where the gatherings are: the name of an organisation of the plan
            (e.g. ``"Trondheim"``), or (latitude, longitude) in decimal degrees;
            default: the participants' organisation with the least travel.
        traveller : {"mentee", "mentor", "both"}, default "mentee"
            Who travels to the pair's in-person meetings ("both": they meet
            halfway).
        cost_per_km : float, default 4.90
            Per km travelled: the Norwegian state's allowance for driving
            one's own car from 1 January 2024, in NOK.
        hourly_cost : float, default 1000
            Per hour of travel and of the secretariat's work (an assumption:
            set your own).
        support_hourly_cost : float, optional
            Per hour of external support; default ``hourly_cost``.
        speed_kmh : float, default 60
            Average speed door to door, for the hours of travel.
        detour : float, default 1
            Kilometres travelled per great-circle kilometre (1: as the crow
            flies; about 1.3 on Nordic roads).
        night_km, night_cost : float, default 250 and 0
            A trip longer than ``night_km`` one way needs a night away, at
            ``night_cost`` (0: nights counted, not costed).
        day_hours : float, default 7.5
            Hours in a day of work.
        secretariat_days, support_days : float or (float, float), default (10, 10)
            Days of work for the development and for the programme year (the
            pilot's "up to 10 days each"); one number is development alone.
        currency : str, default "NOK"
            The currency the rates are in, for reports.

        Returns
        -------
        Budget
            ``.pairs`` (one row per pair: ``mentor_id``, ``mentee_id``, ``km``,
            ``hours``, ``cost``, ...), ``.gatherings``, ``.work``, ``.lines``
            (the budget as a table) and ``.total``.

        Raises
        ------
        mm.InputError
            Naming every bad parameter at once, or the pairs and people whose
            distances or coordinates the plan lacks.

        Examples
        --------
        >>> import mentormatch as mm
        >>> cohort = mm.example_cohort()
        >>> plan = mm.plan_programme(mm.match(cohort), "2027-02-01", cohort=cohort)
        >>> estimate = plan.budget(place=(63.43, 10.39), night_cost=1500)
        >>> list(estimate.pairs.columns[:2]), round(estimate.total) > 0
        (['mentor_id', 'mentee_id'], True)
        >>> estimate.lines["item"].tolist()[:2]
        ['pair meetings', 'gatherings']
        """
        return budget(
            self,
            place=place,
            traveller=traveller,
            cost_per_km=cost_per_km,
            hourly_cost=hourly_cost,
            support_hourly_cost=support_hourly_cost,
            speed_kmh=speed_kmh,
            detour=detour,
            night_km=night_km,
            night_cost=night_cost,
            day_hours=day_hours,
            secretariat_days=secretariat_days,
            support_days=support_days,
            currency=currency,
        )

    def report(
        self,
        path: str | Path,
        log: object,
        today: object = None,
        *,
        budget: Budget | None = None,
        language: str | None = None,
        quiet_weeks: float = 10,
        pace: float = 0.5,
    ) -> Path:
        """Write the steering group's quarterly summary as one self-contained HTML page.

        As of ``today``: the meetings held against the plan, the pairs behind
        and why (the rule of :meth:`progress`, in words), every pair's progress
        and themes covered, the meetings over time, the gatherings and
        steering-group meetings held and coming, and the budget when given.
        Pairs are named by their ids only.

        Parameters
        ----------
        path : str or Path
            The ``.html`` file to write.
        log, today, quiet_weeks, pace
            As for :meth:`progress`.
        budget : Budget, optional
            From :meth:`budget`: shown as a table with its assumptions.
        language : {"en", "sv", "nb"}, optional
            The page's language; default: the plan's.

        Examples
        --------
        >>> import tempfile, pathlib, pandas as pd, mentormatch as mm
        >>> cohort = mm.example_cohort()
        >>> plan = mm.plan_programme(mm.match(cohort), "2027-02-01", cohort=cohort, language="nb")
        >>> log = pd.DataFrame({"mentee_id": ["E016"], "date": ["2027-02-18"]})
        >>> out = pathlib.Path(tempfile.mkdtemp()) / "styring.html"
        >>> path = plan.report(out, log, today="2027-06-01", budget=plan.budget())
        >>> "Sammendrag for styringsgruppen: programmets kvartal 2" in path.read_text("utf-8")
        True
        """
        return steering_report(self, path, log, today, budget=budget, language=language,
                               quiet_weeks=quiet_weeks, pace=pace)  # fmt: skip

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
        path = Path(path)
        if path.suffix.lower() != ".xlsx":
            raise InputError(
                Violation(
                    f"expected a file name ending in .xlsx, got '{path.name}'", argument="path"
                )
            )
        about = pd.DataFrame(
            [(name, str(value)) for name, value in self.settings.items()],
            columns=["setting", "value"],
        )
        tables = {"meetings": self.meetings, "events": self.events, "pairs": self.pairs}
        book = tables_book({**tables, "about": about})
        add_form(book, LOG_SHEET, log_columns(self), self.language, index=3)
        book.save(path)
        return path

    def to_ics(self, folder: str | Path) -> list[Path]:
        """Write an iCalendar file per pair and one for the programme; return their paths.

        ``programme.ics`` holds the gatherings and steering-group meetings (no
        names); ``pair-<mentor id>-<mentee id>.ics`` holds one pair's meetings,
        each with its agenda. The folder is made if missing; files of the same
        names in it are replaced.

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
        folder = Path(folder)
        if folder.exists() and not folder.is_dir():
            raise InputError(
                Violation(f"'{folder.name}' is a file, expected a folder", argument="folder")
            )
        folder.mkdir(parents=True, exist_ok=True)
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
                folder / file_name("programme", taken=taken),
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
                    folder / file_name("pair", str(mentor_id), str(mentee_id), taken=taken),
                )
            )
        return paths

    def to_agendas(self, folder: str | Path) -> list[Path]:
        """Write each pair's printable agendas, one HTML file per pair, a page per meeting.

        Examples
        --------
        >>> import tempfile, mentormatch as mm
        >>> plan = mm.plan_programme(mm.match(mm.example_cohort()), "2027-02-01")
        >>> paths = plan.to_agendas(tempfile.mkdtemp())
        >>> len(paths), paths[0].suffix
        (15, '.html')
        """
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        taken: set[str] = set()
        paths = []
        for (mentor_id, mentee_id), rows in self.meetings.groupby(["mentor_id", "mentee_id"]):
            name = file_name("agenda", str(mentor_id), str(mentee_id), taken=taken)
            path = folder / name.removesuffix(".ics")
            paths.append(
                agenda_page(rows, self._pair_title(rows), self.language, path.with_suffix(".html"))
            )
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
