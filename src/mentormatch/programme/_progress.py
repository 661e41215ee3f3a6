"""Following the year as it runs: the meetings each pair has held against its plan.

``progress`` counts, for every pair of the plan, the meetings held (from the
log), planned and due by today, the weeks since the last one and the themes
covered, and flags the pairs falling behind by a rule in words
(:func:`behind_rule`): no meeting for more than ``quiet_weeks`` weeks (counted
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

from mentormatch.errors import InputError, Violation
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
        problems = []
        if not _number(quiet_weeks) or not 0 < float(quiet_weeks) <= 52:  # type: ignore[arg-type]
            problems.append(
                Violation(
                    f"expected a number of weeks above 0, at most 52, got {quiet_weeks!r}",
                    argument="quiet_weeks",
                )
            )
        if not _number(pace) or not 0 <= float(pace) <= 1:  # type: ignore[arg-type]
            problems.append(
                Violation(f"expected a share from 0 to 1, got {pace!r}", argument="pace")
            )
        if problems:
            raise InputError(problems)
        return cls(float(quiet_weeks), float(pace))  # type: ignore[arg-type]

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
            weeks = f"{(today - since).days / 7:.0f}"
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


def _number(value: object) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(float(value))
    )


def checked(today: object, quiet_weeks: object, pace: object) -> tuple[dt.date, Behind]:
    """The day to judge on and the rule, or an ``InputError`` naming every bad argument."""
    problems: list[Violation] = []
    day, rule = None, None
    try:
        day = today_or(today)
    except InputError as error:
        problems += error.violations
    try:
        rule = Behind.checked(quiet_weeks, pace)
    except InputError as error:
        problems += error.violations
    if problems or day is None or rule is None:
        raise InputError(problems)
    return day, rule


def progress(
    plan: Plan,
    log: object,
    today: object = None,
    *,
    quiet_weeks: float = 10,
    pace: float = 0.5,
) -> pd.DataFrame:
    """Each pair's meetings held against the plan, and whether it is behind (``Plan.progress``)."""
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
