"""Reading and writing cohort files (.csv, .xlsx, .json) as users really make them.

CSV is read the way Nordic spreadsheets export it: comma, semicolon or tab
separated (detected from the header), UTF-8 with or without a byte-order mark
(Windows-1252 as a fallback), decimal commas, and every cell as text first, so
that ids stay text (``007`` is never ``7``).

A header may show a label in the reader's language as long as it ends with the
schema column in brackets, ``"Rolle (role)"``; several columns of one list
column (``"Tema 1 (themes)"``, ``"Tema 2 (themes)"``) are read as one, their
cells joined with ``;``. This is how the sign-up sheet
(:func:`mentormatch.programme.signup_sheet`) shows Norwegian or Swedish headers
and one drop-down per theme, and still reads as the schema.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import replace
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from mentormatch.cohort import Cohort, header
from mentormatch.errors import InputError, Violation, gather
from mentormatch.files import output_path, writing
from mentormatch.profiles import COLUMNS, REQUIRED_COLUMNS, as_text
from mentormatch.sheets import neutralise, restore, write_xlsx
from mentormatch.tablefiles import (
    SheetChoice,
    Table,
    csv_table,
    decode,
    excel_table,
    json_records,
)
from mentormatch.validation import shown

__all__ = [
    "LIST_COLUMNS",
    "example_cohort",
    "file_bytes",
    "header_key",
    "keyed_columns",
    "keyed_header",
    "read_cohort",
    "write_cohort",
]

_SUFFIXES = (".csv", ".xlsx", ".json")

LIST_COLUMNS = ("themes", "languages", "avoid")
"""Schema columns holding ``;``-separated lists: several columns of one of them are joined."""

_KEYED = re.compile(r"\(\s*([A-Za-z_]+)\s*\)\s*$")


def read_cohort(path: str | Path, *, sheet: str | None = None) -> Cohort:
    """Read and validate a cohort file.

    Parameters
    ----------
    path : str or Path
        A ``.csv``, ``.xlsx`` or ``.json`` file (a JSON list of objects), one
        person per row, columns as in the cohort file schema. CSV files may be
        UTF-8, UTF-16 (Excel's "Unicode text") or Windows-1252, separated by
        commas, semicolons or tabs, with any line endings.
    sheet : str, optional
        In a workbook, the sheet to read, by name (case ignored; a hidden sheet
        too). Without it: the visible sheet named ``cohort`` (as
        :func:`write_cohort` writes it) or like the sign-up sheet's form
        (:func:`mentormatch.signup_sheet`), else the only visible sheet, else the
        only visible sheet whose first row names a required column. A workbook
        where that leaves a choice is refused, its sheets listed; a hidden sheet
        is never read unless named. ``cohort.notes`` say which sheet was read when
        there were others.

    Returns
    -------
    Cohort

    Raises
    ------
    mm.InputError
        Naming the file, row (header = row 1), column and what was expected,
        for every problem of the file at once; or the argument that is not a
        path (or a sheet name).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "c.csv"
    >>> _ = path.write_text("id;role;organisation;region;years_in_role\\n"
    ...                     "007;mentor;Bodø;Nordland;12,5\\ne1;mentee;Moss;Østfold;1\\n")
    >>> cohort = read_cohort(path)
    >>> cohort.mentors[0].id, cohort.mentors[0].years_in_role
    ('007', 12.5)
    >>> read_cohort(None)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    mentormatch.errors.InputError: argument 'path': expected the path of a .csv, .xlsx or .json ...
    """
    found = gather({"path": lambda: _cohort_path(path), "sheet": lambda: _sheet(sheet, path)})
    where: Path = found["path"]
    name, suffix = where.name, where.suffix.lower()
    data = file_bytes(where)
    if suffix == ".csv":
        table = csv_table(decode(data, name), name, _known_header)
        table = replace(table, frame=restore(table.frame))  # write_cohort's apostrophes
    elif suffix == ".xlsx":
        choice = SheetChoice(sheet, _data_sheets(), _looks_like_cohort, _SHEET_ADVICE)
        table = excel_table(data, name, choice)
    else:
        records = json_records(decode(data, name, "JSON"), name)
        table = Table(_json_frame(records, name), first_row=1)
    if table.problems:
        raise InputError(table.problems)
    frame = keyed_columns(table.frame, name)
    cohort = Cohort.from_frame(frame, source=name, first_row=table.first_row)
    if not table.others:
        return cohort
    note = f"read the sheet '{table.sheet}' of the workbook; not read: " + ", ".join(
        f"'{title}'" for title in table.others
    )
    return cohort.model_copy(update={"notes": (note, *cohort.notes)})


_SHEET_ADVICE = (
    "name it, as in mm.read_cohort(path, sheet='...'), or call the sheet 'cohort', or hide "
    "the others (mentors and mentees belong on one sheet)"
)


def _cohort_path(path: object) -> Path:
    if isinstance(path, str | os.PathLike) and not isinstance(path, bytes):
        return Path(path)
    table = isinstance(path, pd.DataFrame)
    hint = "; make a cohort of a table with mm.Cohort.from_frame(df)" if table else ""
    raise InputError(
        Violation(
            "expected the path of a .csv, .xlsx or .json file (a str or pathlib.Path), "
            f"got {shown(path)}{hint}",
            argument="path",
        )
    )


def _sheet(sheet: object, path: object) -> str | None:
    if sheet is None:
        return None
    if not isinstance(sheet, str) or not sheet.strip():
        raise InputError(
            Violation(f"expected a sheet's name, or None, got {sheet!r}", argument="sheet")
        )
    if isinstance(path, str | os.PathLike) and Path(path).suffix.lower() != ".xlsx":
        raise InputError(
            Violation("only a workbook (.xlsx) has sheets; leave sheet out", argument="sheet")
        )
    return sheet


def _known_header(cell: object) -> bool:
    """Whether a header cell names a schema column (as written, or in brackets at its end)."""
    return header(cell) in COLUMNS or header_key(cell) is not None


def _looks_like_cohort(row: Sequence[object]) -> bool:
    """Whether a sheet's first row names a required column: a sheet of people."""
    return any(
        (header_key(cell) or header(cell)) in REQUIRED_COLUMNS for cell in row if cell is not None
    )


def _data_sheets() -> tuple[str, ...]:
    """The names of the sheet that holds the people: ``cohort``, and the sign-up form's."""
    from mentormatch.programme._texts import TEXTS  # programme imports intake: import late

    return ("cohort", *TEXTS["signup sheet"].values())


def file_bytes(path: Path, suffixes: Sequence[str] = _SUFFIXES) -> bytes:
    """The bytes of a table file, or an ``InputError`` naming it: a type not in ``suffixes``,
    a file that cannot be read, or an empty one.

    Examples
    --------
    >>> file_bytes(Path("cohort.txt"))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    mentormatch.errors.InputError: cohort.txt: unsupported file type '.txt'; expected one of ...
    """
    name, suffix = path.name, path.suffix.lower()
    if suffix not in suffixes:
        expected = ", ".join(suffixes)
        raise InputError(
            Violation(f"unsupported file type '{suffix}'; expected one of {expected}", name)
        )
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(Violation(f"cannot read the file: {error.strerror}", name)) from None
    if not data.strip():
        raise InputError(Violation("the file is empty", name))
    return data


def keyed_header(label: str, column: str) -> str:
    """The header a sheet shows for a schema column: a label, then the column in brackets.

    Examples
    --------
    >>> keyed_header("Antall år som leder", "years_in_role")
    'Antall år som leder (years_in_role)'
    """
    return f"{label} ({column})"


def header_key(header: object, known: Collection[str] = COLUMNS) -> str | None:
    """The known column a header names in brackets at its end, if any.

    Examples
    --------
    >>> header_key("Fylke (region)"), header_key("Fylke (fylke)"), header_key("region")
    ('region', None, None)
    """
    found = _KEYED.search(str(header))
    key = found.group(1).casefold() if found else None
    return key if key in known else None


def _listed(headers: Iterable[object], names: list[str], name: str) -> str:
    return " and ".join(repr(str(h)) for h, n in zip(headers, names, strict=True) if n == name)


def keyed_columns(frame: pd.DataFrame, source: str | None = None) -> pd.DataFrame:
    """The table with headers ending in ``(column)`` read as that schema column.

    Several columns naming one list column (:data:`LIST_COLUMNS`) become one,
    their non-blank cells joined with ``;`` in column order; two naming one
    other column are refused; two unknown columns of one name are kept apart
    (for :meth:`Cohort.from_frame` to refuse). A table without such headers is
    returned as it is; otherwise a new table (the one given is not modified).

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"ID (id)": ["e1"], "Tema 1 (themes)": ["Krise"],
    ...                       "Tema 2 (themes)": [None], "Tema 3 (themes)": ["strategy "]})
    >>> keyed_columns(frame).to_dict(orient="records")
    [{'id': 'e1', 'themes': 'Krise;strategy'}]
    """
    keys = [header_key(c) for c in frame.columns]
    if not any(keys):
        return frame
    names = [key or str(c).strip() for c, key in zip(frame.columns, keys, strict=True)]
    problems = [
        Violation(
            f"the columns {_listed(frame.columns, names, name)} read as one column, "
            f"'{name}'; keep one",
            source,
            1,
            name,
        )
        for name in dict.fromkeys(names)
        if names.count(name) > 1 and name not in LIST_COLUMNS and name in keys
    ]
    if problems:
        raise InputError(problems)
    kept: list[str] = []
    cells: list[list[object]] = []
    for index, name in enumerate(names):
        column = frame.iloc[:, index].tolist()
        if name in LIST_COLUMNS and name in kept:
            at = kept.index(name)
            cells[at] = [
                ";".join(t for t in (as_text(a), as_text(b)) if t)
                for a, b in zip(cells[at], column, strict=True)
            ]
        else:  # two unknown columns of one name stay two: Cohort.from_frame names them
            kept.append(name)
            cells.append(column)
    table = pd.DataFrame(dict(enumerate(cells)), index=frame.index, dtype=object)
    return table.set_axis(kept, axis=1)


def example_cohort() -> Cohort:
    """Return the bundled example: a fictional pilot cohort of 20 mentors and 30 mentees.

    The people are invented; their municipalities, regions, populations and
    coordinates are real Norwegian and Swedish data (see the package's
    ``data/SOURCES.md``).

    Examples
    --------
    >>> cohort = example_cohort()
    >>> len(cohort.mentors), len(cohort.mentees)
    (20, 30)
    """
    with resources.as_file(resources.files("mentormatch") / "data/example_cohort.csv") as path:
        return read_cohort(path)


def write_cohort(cohort: Cohort, path: str | Path) -> Path:
    """Write a cohort to ``.csv`` (UTF-8, comma separated), ``.xlsx`` or ``.json``.

    What is written reads back equal with :func:`read_cohort`. No cell runs as a
    formula when a spreadsheet opens the file: in ``.xlsx`` text cells are text; in
    ``.csv`` text beginning with ``=``, ``+``, ``-``, ``@`` (a tab, a carriage return)
    is written after an apostrophe, which :func:`read_cohort` takes off again (see
    :func:`mentormatch.sheets.neutralise`).

    Examples
    --------
    >>> import tempfile, pathlib, pandas as pd
    >>> cohort = Cohort.from_frame(pd.DataFrame({"id": ["007", "e1"],
    ...     "role": ["mentor", "mentee"], "organisation": ["Bodø", "Moss"],
    ...     "region": ["Nordland", "Østfold"]}))
    >>> path = write_cohort(cohort, pathlib.Path(tempfile.mkdtemp()) / "c.json")
    >>> read_cohort(path) == cohort
    True
    """
    if not isinstance(cohort, Cohort):
        raise InputError(
            Violation(f"expected a mm.Cohort, got {type(cohort).__name__}", argument="cohort")
        )
    path = output_path(path, _SUFFIXES)
    suffix = path.suffix.lower()
    frame = cohort.to_frame()
    if suffix == ".xlsx":
        write_xlsx({"cohort": frame}, path)
    else:
        with writing(path):
            if suffix == ".csv":
                safe = neutralise(frame)  # CRLF: a cell holding a carriage return is quoted
                # with a byte-order mark, as Excel needs to read å, ä, ø in a CSV file
                safe.to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\r\n")
            else:
                records = frame.to_dict(orient="records")
                path.write_text(json.dumps(records, ensure_ascii=False, indent=1), "utf-8")
    return path


def _json_frame(records: list[Any], name: str) -> pd.DataFrame:
    """A JSON list of people as a table; items that are not objects, and cells that hold an
    object (or a list, outside the list columns), are refused by item and column."""
    problems = []
    lists: dict[str, bool] = {}  # key -> whether it is a list column
    for item, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            got = f"expected an object (one person), got {shown(record)}"
            problems.append(Violation(got, name, item))
            continue
        for key, value in record.items():
            if not isinstance(value, dict | list):
                continue
            listed = lists.setdefault(key, header(key) in _LISTS)
            if (
                isinstance(value, list)
                and listed
                and not any(isinstance(v, dict | list) for v in value)
            ):
                continue
            expected = "text, a number or a list of them" if listed else "text or a number"
            got = "an object" if isinstance(value, dict) else "a list"
            problems.append(Violation(f"expected {expected}, got {got}", name, item, key))
    if problems:
        raise InputError(problems)
    return pd.DataFrame.from_records(records)


_LISTS = (*LIST_COLUMNS, "preferences")
"""Columns a JSON cell may give as a list."""
