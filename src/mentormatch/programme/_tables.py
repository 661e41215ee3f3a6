"""Reading tables people send back (answers, meeting logs): .xlsx, .csv, .json or a DataFrame.

CSV files are read as Nordic spreadsheets export them: comma, semicolon or tab
separated (the one whose header names the most known columns), UTF-8 with or
without a byte-order mark, Windows-1252 as a fallback, every cell as text.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Collection
from pathlib import Path

import pandas as pd

from mentormatch.errors import InputError, Violation
from mentormatch.intake import file_bytes

__all__ = ["read_table", "source_name"]

_SUFFIXES = (".xlsx", ".csv", ".json")


def source_name(source: object) -> str | None:
    """The file name errors give for a table: None for a DataFrame.

    Examples
    --------
    >>> source_name("answers/svar.xlsx"), source_name(pd.DataFrame())
    ('svar.xlsx', None)
    """
    return None if isinstance(source, pd.DataFrame) else Path(str(source)).name


def read_table(
    source: object,
    known: Collection[str],
    normalise: Callable[[str], str],
    *,
    sheet: str | None = None,
    argument: str = "path",
) -> tuple[pd.DataFrame, int, str | None]:
    """The table, the row number of its first row (2 below a header, 1 in a JSON list), and
    where it came from for error messages (the file name, and the sheet when one was asked for).

    Parameters
    ----------
    source : DataFrame, str or Path
        The table, or a ``.xlsx``, ``.csv`` or ``.json`` file holding it.
    known : collection of str
        Known headers, normalised: a CSV file's separator is the one that
        splits its header into the most of them.
    normalise : callable
        How a header is normalised before it is compared with ``known``.
    sheet : str, optional
        In a workbook, the sheet of this name (case ignored); a workbook of
        one sheet may name it otherwise.
    argument : str, default "path"
        The argument named when ``source`` is neither a path nor a DataFrame.
    """
    if isinstance(source, pd.DataFrame):
        return source, 2, None
    if not isinstance(source, str | Path):
        raise InputError(
            Violation(
                f"expected a file path or a DataFrame, got {type(source).__name__}",
                argument=argument,
            )
        )
    path = Path(source)
    name, suffix = path.name, path.suffix.lower()
    data = file_bytes(path, _SUFFIXES)
    try:
        if suffix == ".xlsx":
            with pd.ExcelFile(io.BytesIO(data), engine="openpyxl") as book:
                names = [str(n) for n in book.sheet_names]
            wanted = [n for n in names if sheet is not None and n.casefold() == sheet.casefold()]
            if sheet is not None and not wanted and len(names) > 1:
                listed = ", ".join(repr(n) for n in names)
                raise InputError(Violation(f"no sheet '{sheet}' (the sheets: {listed})", name))
            chosen = wanted[0] if wanted else names[0]
            frame = pd.read_excel(
                io.BytesIO(data), sheet_name=chosen, dtype=object, keep_default_na=False
            )
            return frame, 2, name if sheet is None else f"{name}, sheet '{chosen}'"
        text = _decode(data)
        if suffix == ".csv":
            separator = _delimiter(text, known, normalise)
            frame = pd.read_csv(io.StringIO(text), sep=separator, dtype=str, keep_default_na=False)
            return frame, 2, name
        records = json.loads(text)
    except InputError:
        raise
    except Exception as error:  # pandas, openpyxl and json raise many types for damaged files
        raise InputError(Violation(f"not a readable {suffix[1:]} table: {error}", name)) from None
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise InputError(Violation("expected a JSON list of objects, one per row", name))
    return pd.DataFrame.from_records(records), 1, name


def _delimiter(text: str, known: Collection[str], normalise: Callable[[str], str]) -> str:
    """The separator that splits the header into the most known columns (then the most columns)."""
    header = text.splitlines()[0]

    def fit(sep: str) -> tuple[int, int]:
        cells = next(csv.reader([header], delimiter=sep))
        return sum(normalise(c) in known for c in cells), len(cells)

    return max([",", ";", "\t"], key=fit)


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")
