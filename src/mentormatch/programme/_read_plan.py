"""Reading a plan back from the workbook ``Plan.to_excel`` wrote, to follow the year from it.

The secretariat keeps the plan's workbook through the year (and may move a
meeting's date in it); :func:`read_plan` reads its ``meetings``, ``events``,
``pairs`` and ``about`` sheets back into a :class:`Plan`, naming every cell it
cannot read by sheet, row and column.
"""

from __future__ import annotations

import io
import math
from pathlib import Path
from typing import Any

import pandas as pd

from mentormatch.errors import InputError, Violation
from mentormatch.profiles import as_text, is_blank
from mentormatch.programme._calendar import check_start
from mentormatch.programme._plan import Plan
from mentormatch.programme._schedule import PAIR_COLUMNS
from mentormatch.programme._texts import check_language

__all__ = ["read_plan"]

_NEEDED = {
    "meetings": ("mentor_id", "mentee_id", "number", "start", "end", "mode", "theme"),
    "events": ("kind", "audience", "start", "end"),
    "about": ("setting", "value"),
}
_TIMES = ("start", "end")
_WHOLE = ("number", "count")
_NUMBERS = tuple(c for c in PAIR_COLUMNS if c.endswith(("_km", "latitude", "longitude")))


def _sheets(path: Path) -> dict[str, pd.DataFrame]:
    name = path.name
    if path.suffix.lower() != ".xlsx":
        raise InputError(Violation("expected the plan's .xlsx workbook (Plan.to_excel)", name))
    try:
        data = path.read_bytes()
        return pd.read_excel(io.BytesIO(data), sheet_name=None, dtype=object)
    except OSError as error:
        raise InputError(Violation(f"cannot read the file: {error.strerror}", name)) from None
    except Exception as error:  # openpyxl raises many types for a damaged workbook
        raise InputError(Violation(f"not a readable Excel workbook: {error}", name)) from None


def _column(frame: pd.DataFrame, column: str, where: str, problems: list[Violation]) -> list[Any]:
    """A column's cells read as their kind (time, whole number, number, text); bad ones named."""
    values: list[Any] = []
    for row, cell in enumerate(frame[column], start=2):
        try:
            if column in _TIMES:
                values.append(pd.Timestamp(cell) if not is_blank(cell) else pd.NaT)
            elif column in _WHOLE:
                values.append(int(as_text(cell)))
            elif column in _NUMBERS:
                values.append(math.nan if is_blank(cell) else float(as_text(cell)))
            else:
                values.append(as_text(cell) or None)
        except (TypeError, ValueError):
            kind = "a whole number" if column in _WHOLE else "a number"
            kind = "a date and time" if column in _TIMES else kind
            problems.append(Violation(f"expected {kind}, got {cell!r}", where, row, column))
            values.append(None)
    return values


def _table(sheets: dict[str, pd.DataFrame], sheet: str, name: str,
           columns: tuple[str, ...], problems: list[Violation]) -> pd.DataFrame:  # fmt: skip
    """A sheet with its needed columns read (the others kept as written)."""
    where = f"{name}, sheet '{sheet}'"
    frame = sheets[sheet]
    missing = [c for c in columns if c not in frame.columns]
    problems += [Violation(f"missing the column '{c}'", where, 1, c) for c in missing]
    read = frame.copy()
    for column in columns:
        if column not in missing:
            read[column] = _column(frame, column, where, problems)
    return read


def read_plan(path: str | Path) -> Plan:
    """Read the plan back from the workbook ``Plan.to_excel`` wrote.

    Parameters
    ----------
    path : str or Path
        The plan's ``.xlsx`` workbook. Its ``meetings``, ``events`` and
        ``about`` sheets are needed; ``pairs`` (distances and places, for the
        budget) is read when present; ``log`` is left for :meth:`Plan.progress`.

    Returns
    -------
    Plan
        Its ``settings`` are the ``about`` sheet's, as text, with ``start``,
        ``end`` and ``language`` read.

    Raises
    ------
    mm.InputError
        Naming the sheet, row and column of every cell it cannot read.

    Examples
    --------
    >>> import tempfile, pathlib, mentormatch as mm
    >>> plan = mm.plan_programme(mm.match(mm.example_cohort()), "2027-02-01", language="sv")
    >>> path = plan.to_excel(pathlib.Path(tempfile.mkdtemp()) / "plan.xlsx")
    >>> again = mm.read_plan(path)
    >>> again.summary() == plan.summary(), again.language
    (True, 'sv')
    """
    path = Path(path)
    name = path.name
    sheets = _sheets(path)
    missing = [s for s in _NEEDED if s not in sheets]
    if missing:
        raise InputError(
            [Violation(f"the workbook has no sheet '{s}' (Plan.to_excel writes it)", name)
             for s in missing]
        )  # fmt: skip
    problems: list[Violation] = []
    meetings, events, about = (_table(sheets, s, name, c, problems) for s, c in _NEEDED.items())
    if "pairs" in sheets:
        pairs = _table(sheets, "pairs", name, PAIR_COLUMNS, problems)[list(PAIR_COLUMNS)]
    else:
        pairs = meetings[["mentor_id", "mentee_id"]].drop_duplicates(ignore_index=True)
        pairs = pairs.reindex(columns=list(PAIR_COLUMNS))
    settings: dict[str, Any] = {}
    if not problems:
        settings = dict(zip(about["setting"], about["value"], strict=True))
        for key, check in (("start", check_start), ("end", check_start),
                           ("language", check_language)):  # fmt: skip
            try:
                settings[key] = check(settings.get(key), key)
            except InputError as error:
                message = error.violations[0].message
                problems.append(Violation(f"setting '{key}': {message}", f"{name}, sheet 'about'"))
    if problems:
        raise InputError(problems)
    return Plan(
        meetings=meetings,
        events=events,
        pairs=pairs.sort_values(["mentor_id", "mentee_id"], ignore_index=True),
        start=settings["start"],
        end=settings["end"],
        language=settings["language"],
        settings=settings,
    )
