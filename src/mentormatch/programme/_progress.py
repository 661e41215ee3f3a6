"""Following the year as it runs: the meetings each pair has held against its plan.

``progress`` counts, for every pair of the plan, the meetings held (from the
log), planned and due by today, the weeks since the last one and the themes
covered, and flags the pairs falling behind by a rule in words
(:class:`Behind`): no meeting for more than ``quiet_weeks`` weeks (counted
from the kick-off until a pair's first meeting), or, from the middle of the
programme on, fewer than ``pace`` of the meetings planned up to today. A pair
that has held all its planned meetings is never behind.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from mentormatch.errors import check_number, gather
from mentormatch.programme._calendar import check_start
from mentormatch.programme._log import read_log
from mentormatch.programme._texts import Language, say

if TYPE_CHECKING:
    from mentormatch.programme._plan import Plan

__all__ = [
    "PROGRESS_COLUMNS",
    "Behind",
    "checked",
    "kickoff",
    "middle",
    "progress",
    "progress_table",
    "today_or",
]

PROGRESS_COLUMNS = (
    "mentor_id", "mentee_id", "held", "planned", "due", "in_person", "last",
    "weeks_since_last", "next", "themes_covered", "behind", "reason",
)  # fmt: skip
"""The columns of ``Plan.progress``."""


def today_or(today: object) -> dt.date:
    """``today`` as a date; the current date when None."""
    return dt.date.today() if today is None else check_start(today, "today")


def kickoff(plan: Plan) -> dt.date:
    """The day the pairs start: the first joint gathering (the kick-off), else the start."""
    events = plan.events
    joint = events.loc[events["audience"] == "mentors and mentees", "start"]
    return min(joint).date() if len(joint) else plan.start


def middle(plan: Plan) -> dt.date:
    """The middle day of the programme."""
    return plan.start + (plan.end - plan.start) / 2


@dataclass(frozen=True)
class Behind:
    """The rule that flags a pair as behind, with its parameters.

    Examples
    --------
    >>> rule = Behind(quiet_weeks=10, pace=0.5)
    >>> text = rule.describe("en", dt.date(2027, 3, 1), dt.date(2027, 8, 1))
    >>> print(text)  # doctest: +NORMALIZE_WHITESPACE
    A pair is behind when it has had no meeting for more than 10 weeks (counted from the
    kick-off, 2027-03-01, until its first meeting), or when, from the middle of the programme
    (2027-08-01) on, it has held fewer than 50% of the meetings planned up to the day. A pair
    that has held all its planned meetings is never behind.
    """

    quiet_weeks: float = 10
    pace: float = 0.5

    @classmethod
    def checked(cls, quiet_weeks: object, pace: object) -> Behind:
        """The rule, or an ``InputError`` naming each bad parameter."""
        found = gather(
            {
                "quiet_weeks": lambda: check_number(quiet_weeks, "quiet_weeks", 0, 52, above=True),
                "pace": lambda: check_number(pace, "pace", 0, 1),
            }
        )
        return cls(**found)

    def describe(self, language: Language, start: dt.date, half: dt.date) -> str:
        """The rule in words, with the kick-off and the middle of the programme."""
        return say(
            "behind rule",
            language,
            weeks=f"{self.quiet_weeks:g}",
            kickoff=start.isoformat(),
            middle=half.isoformat(),
            share=f"{100 * self.pace:g}",
        )

    def judge(
        self, pair: dict[str, Any], today: dt.date, start: dt.date, half: dt.date
    ) -> tuple[bool, list[tuple[str, dict[str, object]]]]:
        """Whether the pair is behind, and why (texts to say, with their fields)."""
        if pair["held"] >= pair["planned"]:
            return False, [("progress done", {"planned": pair["planned"]})]
        if today < start:
            return False, [("progress not started", {"kickoff": start.isoformat()})]
        last = pair["last"]
        since = last if last is not None else start
        reasons: list[tuple[str, dict[str, object]]] = []
        if (today - since).days > 7 * self.quiet_weeks:
            weeks = f"{(today - since).days / 7:.1f}"  # "10.1", never a rounded "10"
            if last is None:
                reasons.append(
                    ("progress quiet none", {"weeks": weeks, "kickoff": start.isoformat()})
                )
            else:
                reasons.append(("progress quiet", {"weeks": weeks, "last": last.isoformat()}))
        fields = {"held": pair["held"], "due": pair["due"], "share": f"{100 * self.pace:g}"}
        if today >= half and pair["held"] < self.pace * pair["due"]:
            reasons.append(("progress pace", fields))
        if reasons:
            return True, reasons
        return False, [("progress on track", fields)]


def checked(today: object, quiet_weeks: object, pace: object) -> tuple[dt.date, Behind]:
    """The day to judge on and the rule, or an ``InputError`` naming every bad argument."""
    found = gather(
        {"today": lambda: today_or(today), "rule": lambda: Behind.checked(quiet_weeks, pace)}
    )
    return found["today"], found["rule"]


def progress(
    plan: Plan,
    log: object,
    today: object = None,
    *,
    quiet_weeks: float = 10,
    pace: float = 0.5,
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
    no meeting in 14.6 weeks (the last on 2027-02-19)
    """
    day, rule = checked(today, quiet_weeks, pace)
    return progress_table(plan, read_log(log, plan, day), day, rule, plan.language)


def progress_table(
    plan: Plan, held: pd.DataFrame, day: dt.date, rule: Behind, language: Language
) -> pd.DataFrame:
    """The progress of every pair from the meetings held (as :func:`read_log` gives them)."""
    start, half = kickoff(plan), middle(plan)
    rows = []
    for mentor_id, mentee_id in zip(plan.pairs["mentor_id"], plan.pairs["mentee_id"], strict=True):
        planned = plan.meetings[plan.meetings["mentee_id"] == mentee_id]
        mine = held[held["mentee_id"] == mentee_id]
        dates = planned["start"].dt.date
        last = max(mine["date"]) if len(mine) else None
        upcoming = dates[dates > day]
        themes = [t for t in mine["theme"] if t is not None and t not in ("intro", "kick-out")]
        pair: dict[str, Any] = {
            "mentor_id": mentor_id,
            "mentee_id": mentee_id,
            "held": len(mine),
            "planned": len(planned),
            "due": int((dates <= day).sum()),
            "in_person": int((mine["mode"] == "in person").sum()),
            "last": last,
            "weeks_since_last": math.nan if last is None else round((day - last).days / 7, 1),
            "next": min(upcoming) if len(upcoming) else None,
            "themes_covered": ";".join(dict.fromkeys(themes)),
        }
        behind, reasons = rule.judge(pair, day, start, half)
        pair["behind"] = behind
        pair["reason"] = "; ".join(say(key, language, **f) for key, f in reasons)
        rows.append(pair)
    return pd.DataFrame(rows, columns=list(PROGRESS_COLUMNS))
