"""Earlier rounds' pairs, for ``NoRepeat``: from results, tables or the files they wrote.

The library's own exports read back to the ids they were written from: a CSV export
puts ``'`` before text a spreadsheet would run as a formula (``=A1``, ``+47``,
``-x``, ``@y``; :func:`mentormatch.sheets.neutralise`), and that mark is taken off
again (:func:`mentormatch.sheets.restore`). No id begins with ``'`` (the intake refuses it), so the
mark is never part of an id. An ``.xlsx`` export keeps such text as text cells, and
replaces only control characters, which no id holds either.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from mentormatch.errors import InputError, Violation
from mentormatch.profiles import as_text
from mentormatch.result import LEFT_OUT
from mentormatch.sheets import restore
from mentormatch.tablefiles import csv_table, decode

__all__ = ["earlier_pairs", "read_pairs"]

Pairs = tuple[tuple[str, str], ...]
_COLUMNS = ("mentor_id", "mentee_id")
_KNOWN = (*_COLUMNS, "score", "reason")
"""Columns of a pairs export: the CSV separator is the one that finds them."""


def earlier_pairs(history: object) -> Pairs:
    """The (mentor id, mentee id) pairs of earlier rounds, sorted, each once.

    ``history`` is an earlier result (``mm.MatchResult``), a pairs table (a DataFrame
    with ``mentor_id`` and ``mentee_id``), a file such a table was written to
    (``.xlsx`` from ``to_excel``: its ``pairs`` sheet; ``.csv``; ``.json`` from
    ``to_json`` or a list of records), ``(mentor_id, mentee_id)`` tuples, or a list of
    any of these (several rounds).

    Examples
    --------
    >>> import pandas as pd
    >>> earlier_pairs([pd.DataFrame({"mentor_id": ["M1"], "mentee_id": ["E2"]}), ("M3", "E1")])
    (('M1', 'E2'), ('M3', 'E1'))
    """
    return tuple(sorted(set(_pairs(history))))


def _pairs(history: object) -> Iterable[tuple[str, str]]:
    table = getattr(history, "pairs", None)
    if isinstance(table, pd.DataFrame):  # an earlier MatchResult
        return _from_table(table, "history")
    if isinstance(history, pd.DataFrame):
        return _from_table(history, "history")
    if isinstance(history, str | Path):
        return _from_file(Path(history))
    if isinstance(history, tuple) and all(isinstance(h, str) for h in history):
        if len(history) != 2:
            raise InputError(
                Violation(
                    f"expected (mentor_id, mentee_id) pairs, got {history!r}", argument="history"
                )
            )
        return [(history[0], history[1])]
    if isinstance(history, list | tuple):
        return [pair for item in history for pair in _pairs(item)]
    raise InputError(
        Violation(
            "expected earlier results, a pairs table (mentor_id, mentee_id), a file of one, "
            f"or (mentor_id, mentee_id) pairs, got {type(history).__name__}",
            argument="history",
        )
    )


def _from_table(table: pd.DataFrame, where: str, file: str | None = None) -> list[tuple[str, str]]:
    missing = [column for column in _COLUMNS if column not in table.columns]
    if missing:
        raise InputError(
            Violation(
                f"expected columns mentor_id and mentee_id, missing {', '.join(missing)}",
                file=file,
                argument=None if file else where,
            )
        )
    mentors, mentees = (table[column].map(as_text) for column in _COLUMNS)
    blank = [row for row, (m, e) in enumerate(zip(mentors, mentees, strict=True)) if not (m and e)]
    if blank:
        raise InputError(
            [Violation("a pair without both ids", file=file, row=row + 2) for row in blank]
        )
    return list(zip(mentors, mentees, strict=True))


def read_pairs(path: str | Path) -> pd.DataFrame:
    """The pairs table of a round's export: ``.xlsx`` (its ``pairs`` sheet, else the first),
    ``.csv`` (any separator, any encoding :func:`mentormatch.tablefiles.decode` reads;
    text and headers as they were before the export marked formula-like text, see
    :func:`mentormatch.sheets.restore`) or ``.json`` (``to_json``'s document, or a list of records).

    Examples
    --------
    >>> read_pairs("missing.xlsx")
    Traceback (most recent call last):
    ...
    mentormatch.errors.InputError: missing.xlsx: no such file
    """
    path = Path(path)
    name, suffix = path.name, path.suffix.lower()
    if suffix not in (".xlsx", ".csv", ".json"):
        raise InputError(Violation("expected a .xlsx, .csv or .json pairs file", name))
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(Violation("no such file", name)) from None
    except OSError as error:
        raise InputError(Violation(f"cannot read the pairs: {error.strerror}", name)) from None
    try:
        if suffix == ".xlsx":
            ids = {"mentor_id": str, "mentee_id": str}
            sheets = pd.read_excel(io.BytesIO(data), sheet_name=None, dtype=ids)
            return sheets.get("pairs", next(iter(sheets.values())))
        if suffix == ".csv":  # after the pairs, the export lists the people left out: skip them
            read = csv_table(decode(data, name), name, lambda cell: cell.strip() in _KNOWN)
            if read.problems:
                raise InputError(read.problems)
            table = restore(read.frame)
            reasons = table.get("reason", pd.Series("", index=table.index)).fillna("")
            return table[~reasons.str.startswith(LEFT_OUT)]
        document = json.loads(data.decode("utf-8-sig"))
        records = document.get("pairs") if isinstance(document, dict) else document
        return pd.DataFrame(records, dtype=object)
    except Exception as error:  # pandas, openpyxl and json raise many types for damaged files
        raise InputError(Violation(f"not a readable pairs table: {error}", name)) from None


def _from_file(path: Path) -> list[tuple[str, str]]:
    return _from_table(read_pairs(path), "history", file=path.name)
