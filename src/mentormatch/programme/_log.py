"""The meeting log: the meetings the pairs have held, as the secretariat writes them down.

The plan's workbook has a ``log`` sheet for it, one row per meeting held: the
pair's mentee (and, optionally, its mentor), the date, the mode and the theme,
with drop-downs. :func:`read_log` reads that sheet, or any table with these
columns, with the cohort's discipline: every problem with its row, column and
what was expected, all at once. Modes and themes are read in any of the three
languages; dates as dates, ISO text (``2027-03-10``) or ``10.03.2027``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Hashable
from functools import cache
from typing import TYPE_CHECKING, Any

import pandas as pd

from mentormatch.errors import InputError, Violation
from mentormatch.intake import header_key
from mentormatch.profiles import as_text, is_blank
from mentormatch.programme._forms import Check, FormColumn
from mentormatch.programme._tables import read_table
from mentormatch.programme._texts import FORM_COLUMNS, LANGUAGES, say, theme_text
from mentormatch.themes import catalogue, parse_theme

if TYPE_CHECKING:
    from mentormatch.programme._plan import Plan

__all__ = ["LOG_COLUMNS", "LOG_SHEET", "MODES", "log_columns", "read_log"]

LOG_SHEET = "log"
"""The name of the log sheet in the plan's workbook."""

LOG_COLUMNS = ("mentor_id", "mentee_id", "date", "mode", "theme")
"""The log's columns; ``mentee_id`` and ``date`` are required, the rest may be left blank."""

_REQUIRED = ("mentee_id", "date")

MODES = ("in person", "remote")
_OTHER_MODE_WORDS = {
    "in-person": "in person", "fysisk": "in person", "fysiskt": "in person",
    "digital": "remote", "digitalt": "remote", "video": "remote", "online": "remote",
}  # fmt: skip
_NORDIC_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


def log_columns(plan: Plan) -> list[FormColumn]:
    """The log sheet's columns for this plan, with drop-downs of its pairs, modes and themes."""
    language = plan.language

    def column(key: str, check: Check, width: float) -> FormColumn:
        texts = FORM_COLUMNS[f"log {key}"]
        return FormColumn(key, texts["label"][language], texts["help"][language], check,
                          required=key in _REQUIRED, width=width)  # fmt: skip

    mentors = tuple(dict.fromkeys(sorted(plan.pairs["mentor_id"])))
    mentees = tuple(sorted(plan.pairs["mentee_id"]))
    themes = ("intro", *catalogue(), "kick-out")
    return [
        column("mentor_id", Check("list", mentors), 12),
        column("mentee_id", Check("list", mentees), 12),
        column("date", Check("date", low=plan.start, high=plan.end), 14),
        column("mode", Check("list", tuple(say(m, language) for m in MODES)), 18),
        column("theme", Check("list", tuple(theme_text(t, language) for t in themes)), 40),
    ]


@cache
def _mode_words() -> dict[str, str]:
    words = {m: m for m in MODES} | _OTHER_MODE_WORDS
    for language in LANGUAGES:
        words |= {say(m, language).casefold(): m for m in MODES}
    return words


@cache
def _opening_and_closing() -> dict[str, str]:
    """``intro`` and ``kick-out`` by key, by title in any language, or by the title's first part."""
    words = {}
    for key in ("intro", "kick-out"):
        words[key] = key
        for language in LANGUAGES:
            title = say(key, language).casefold()
            words[title] = words[title.partition(":")[0].strip()] = key
    return words


def _mode(value: object) -> str | None:
    text = " ".join(as_text(value).casefold().split())
    if text in _mode_words():
        return _mode_words()[text]
    raise ValueError(
        f"expected 'in person' or 'remote' (or the plan's words for them), got {as_text(value)!r}"
    )


def _theme(value: object) -> str:
    text = as_text(value)
    if text.casefold() in _opening_and_closing():
        return _opening_and_closing()[text.casefold()]
    try:
        return parse_theme(text).partition("/")[0]
    except ValueError as error:
        raise ValueError(f"{error}, intro or kick-out") from None


def _day(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = as_text(value)
    try:
        if _ISO_DATE.match(text):
            return dt.date.fromisoformat(text[:10])
        nordic = _NORDIC_DATE.match(text)
        if nordic:
            day, month, year = (int(g) for g in nordic.groups())
            return dt.date(year, month, day)
    except ValueError:
        pass
    raise ValueError(f"expected a date such as 2027-03-10 or 10.03.2027, got {as_text(value)!r}")


def _key(header: object) -> str:
    """The log column a header names, as its key (case and spaces ignored) or as ``Label (key)``;
    empty when it names none."""
    plain = str(header).strip().casefold()
    return header_key(header, LOG_COLUMNS) or (plain if plain in LOG_COLUMNS else "")


def _columns(frame: pd.DataFrame, source: str | None) -> dict[Hashable, str]:
    """The log's columns by their headers."""
    mapping: dict[Hashable, str] = {}
    problems = []
    for column in frame.columns:
        key = _key(column)
        if not key:
            continue
        if key in mapping.values():
            problems.append(Violation(f"a second column for '{key}'", source, 1, str(column)))
        mapping[column] = key
    for key in _REQUIRED:
        if key not in mapping.values():
            found = ", ".join(repr(str(c)) for c in frame.columns) or "none"
            problems.append(
                Violation(f"missing the column '{key}' (the columns found: {found})", source, 1)
            )
    if problems:
        raise InputError(problems)
    return mapping


def read_log(log: object, plan: Plan, today: dt.date) -> pd.DataFrame:
    """The meetings held up to ``today``, checked against the plan, one row per meeting.

    Parameters
    ----------
    log : DataFrame, str or Path
        The log: a table, or a ``.xlsx`` (its ``log`` sheet, else its first),
        ``.csv`` or ``.json`` file. Columns ``mentee_id`` and ``date``, and
        optionally ``mentor_id``, ``mode`` and ``theme``, as keys or as
        ``Label (key)``; other columns are left alone.
    plan : Plan
        The plan the pairs and the programme's dates come from.
    today : date
        No meeting can have been held after it.

    Returns
    -------
    DataFrame
        ``row`` (as the sheet numbers it), ``mentor_id``, ``mentee_id``,
        ``date``, ``mode`` (``"in person"``, ``"remote"`` or None) and ``theme``
        (a catalogue key, ``intro``, ``kick-out`` or None), by pair and date.

    Raises
    ------
    mm.InputError
        Naming the file, row, column and what was expected, for every problem.
    """
    frame, first_row, source = read_table(log, LOG_COLUMNS, _key, sheet=LOG_SHEET, argument="log")
    mapping = _columns(frame, source)
    mentor_of = dict(zip(plan.pairs["mentee_id"], plan.pairs["mentor_id"], strict=True))
    rows: list[dict[str, Any]] = []
    problems: list[Violation] = []
    seen: dict[tuple[str, dt.date], int] = {}
    for number, record in enumerate(frame.to_dict(orient="records"), start=first_row):
        cells = {key: record[column] for column, key in mapping.items()}
        if all(is_blank(v) for v in cells.values()):
            continue
        where = (source, number)
        found, wrong = _row(cells, mentor_of, where)
        problems += wrong
        day, mentee = found.get("date"), found.get("mentee_id")
        if isinstance(day, dt.date):
            problems += _date_problems(day, plan, today, where)
        if isinstance(day, dt.date) and isinstance(mentee, str):
            if (mentee, day) in seen:
                message = (
                    f"pair {mentor_of[mentee]}-{mentee} already has a meeting on "
                    f"{day.isoformat()} (row {seen[mentee, day]})"
                )
                problems.append(Violation(message, *where, "date"))
            seen.setdefault((mentee, day), number)
        rows.append(found)
    if problems:
        raise InputError(problems)
    held = pd.DataFrame(rows, columns=["row", *LOG_COLUMNS], dtype=object)  # blanks stay None
    held["row"] = held["row"].astype(int)
    return held.sort_values(["mentor_id", "mentee_id", "date"], ignore_index=True)


def _row(
    cells: dict[str, object], mentor_of: dict[str, str], where: tuple[str | None, int]
) -> tuple[dict[str, Any], list[Violation]]:
    """One log row read, and what is wrong with it."""
    found: dict[str, Any] = {"row": where[1]}
    problems = []
    for key, read in (("date", _day), ("mode", _mode), ("theme", _theme)):
        value = cells.get(key)
        try:
            found[key] = None if is_blank(value) else read(value)
        except ValueError as error:
            problems.append(Violation(str(error), *where, key))
    if "date" in found and found["date"] is None:
        problems.append(Violation("the date is empty; log a meeting once held", *where, "date"))
    mentee, mentor = as_text(cells.get("mentee_id")), as_text(cells.get("mentor_id"))
    if not mentee:
        problems.append(Violation("the mentee_id is empty; it names the pair", *where, "mentee_id"))
    elif mentee not in mentor_of:
        problems.append(
            Violation(f"no pair with mentee '{mentee}' in the plan", *where, "mentee_id")
        )
    elif mentor and mentor != mentor_of[mentee]:
        message = (
            f"'{mentor}' is not the mentor of '{mentee}' in the plan; "
            f"expected '{mentor_of[mentee]}' or a blank cell"
        )
        problems.append(Violation(message, *where, "mentor_id"))
    if mentee in mentor_of:
        found |= {"mentor_id": mentor_of[mentee], "mentee_id": mentee}
    return found, problems


def _date_problems(
    day: dt.date, plan: Plan, today: dt.date, where: tuple[str | None, int]
) -> list[Violation]:
    if day > today:
        message = f"the meeting is dated after today ({today.isoformat()}); log meetings once held"
    elif not plan.start <= day <= plan.end:
        message = (
            f"expected a date within the programme, {plan.start.isoformat()} to "
            f"{plan.end.isoformat()}, got {day.isoformat()}"
        )
    else:
        return []
    return [Violation(message, *where, "date")]
