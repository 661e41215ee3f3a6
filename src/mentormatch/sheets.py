"""Tables written for spreadsheets: text stays text, never a formula, and nothing is lost
without a word.

A cell such as ``=HYPERLINK(...)`` in a name or a note must not run when a
secretariat opens an export. In ``.xlsx`` files every text cell, the header row
included, is written as a text cell (openpyxl would otherwise store it as a
formula); for ``.csv`` files, which carry no cell types, :func:`neutralise`
prefixes such text with an apostrophe, as OWASP advises against CSV injection,
and :func:`restore` takes it off again when the library reads its own files
back (a cohort, a round's pairs), so that they read as written. Control
characters that an ``.xlsx`` file cannot hold are replaced by U+FFFD (the
replacement character), and a last sheet, ``note``, lists the cells where that
happened.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, TYPE_STRING
from openpyxl.utils import get_column_letter

from mentormatch.errors import InputError, Violation
from mentormatch.files import output_path, writing
from mentormatch.profiles import is_blank

__all__ = [
    "FORMULA_STARTS",
    "NOTE_SHEET",
    "REPLACEMENT",
    "check_sheets",
    "neutralise",
    "restore",
    "save_book",
    "tables_book",
    "write_xlsx",
    "xlsx_path",
]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""Leading characters that make a spreadsheet read a cell as a formula."""

REPLACEMENT = "\ufffd"
"""What stands in an ``.xlsx`` cell for a control character the format cannot hold."""

NOTE_SHEET = "note"
"""The sheet listing the cells whose control characters were replaced."""

_TITLE_LENGTH = 31
_TITLE_CHARACTERS = frozenset("[]:*?/\\")
"""What Excel allows in a sheet's name: at most 31 characters, none of these."""

_NOTED = 100
"""At most this many replaced cells are listed one by one in the ``note`` sheet."""


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a copy whose text cells and headers cannot run as formulas in a spreadsheet.

    Text that begins with one of :data:`FORMULA_STARTS`, after any apostrophes, gets one
    more apostrophe in front; :func:`restore` takes exactly that one off again, so that
    text which began with apostrophes reads back as it was too.

    Examples
    --------
    >>> import pandas as pd
    >>> safe = neutralise(pd.DataFrame({"name": ["=1+1", "'=1+1", "'s-Hertogenbosch"],
    ...                                 "@x": [-0.5, 1.0, 2.0]}))
    >>> safe["name"].tolist(), list(safe.columns), safe["'@x"].tolist()
    (["'=1+1", "''=1+1", "'s-Hertogenbosch"], ['name', "'@x"], [-0.5, 1.0, 2.0])
    """
    return frame.map(_safe).rename(columns=_safe)


def restore(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a copy with the apostrophe :func:`neutralise` put before text cells and headers
    taken off: ``restore(neutralise(frame))`` equals ``frame``.

    For the library's readers of its own CSV files; an apostrophe that does not stand
    before (further apostrophes and) a formula's first character is kept.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"@x": ["=1+1", "'=1+1", "'s-Hertogenbosch", "-3"]})
    >>> restore(neutralise(frame)).equals(frame)
    True
    >>> restore(pd.DataFrame({"id": ["'007", "'-7"]}))["id"].tolist()
    ["'007", '-7']
    """
    return frame.map(_restored).rename(columns=_restored)


def _safe(value: object) -> object:
    if isinstance(value, str) and value.lstrip("'").startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _restored(value: object) -> object:
    """The text :func:`_safe` made this from, if it made it; else the value as it is."""
    if isinstance(value, str) and value.startswith("'") and _safe(value[1:]) == value:
        return value[1:]
    return value


def xlsx_path(path: object, argument: str = "path") -> Path:
    """``path`` as a Path when it names an ``.xlsx`` workbook, else an ``InputError``.

    Examples
    --------
    >>> xlsx_path("plan.csv")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    mentormatch.errors.InputError: argument 'path': expected a file name ending in .xlsx, got ...
    """
    return output_path(path, [".xlsx"], argument)


def check_sheets(
    sheets: object, taken: Iterable[str] = (), argument: str = "sheets"
) -> dict[str, pd.DataFrame]:
    """``sheets`` as a dict when it maps names Excel accepts to DataFrames, else an
    ``InputError`` naming every problem: a name Excel refuses (blank, longer than 31
    characters, with one of ``[]:*?/\\``, beginning or ending with ``'``, or
    ``History``), two names Excel reads as one (case ignored), a name in ``taken``
    (the writer's own sheets), a table that is no DataFrame.

    Names are refused, not shortened or renamed: whoever reads the workbook looks
    for the sheet by the name given.

    Examples
    --------
    >>> import pandas as pd
    >>> list(check_sheets({"shortlist": pd.DataFrame()}, taken=["pairs"]))
    ['shortlist']
    >>> check_sheets({"Pairs": pd.DataFrame(), "a/b": pd.DataFrame()}, taken=["pairs"])
    Traceback (most recent call last):
    ...
    mentormatch.errors.InputError: 2 problems found:
      - argument 'sheets': 'Pairs' is a sheet the workbook has already (its sheets: pairs)
      - argument 'sheets': Excel does not allow '/' in a sheet's name, got 'a/b'
    """
    own = list(taken)
    if not isinstance(sheets, Mapping):
        what = f"a {type(sheets).__name__}"
        raise InputError(
            Violation(
                f"expected a mapping of new sheet names to DataFrames, such as "
                f"{{'shortlist': result.shortlist()}}, got {what}; the workbook's own sheets "
                f"({', '.join(own)}) are always written",
                argument=argument,
            )
        )
    problems: list[Violation] = []
    seen = {name.casefold(): name for name in own}
    for name, table in sheets.items():
        problem = _title_problem(name)
        if problem is None and name.casefold() in seen:
            already = seen[name.casefold()]
            problem = (
                f"{name!r} is a sheet the workbook has already (its sheets: {', '.join(own)})"
                if already in own
                else f"{name!r} and {already!r} are one sheet to Excel (case is ignored)"
            )
        if problem is None and not isinstance(table, pd.DataFrame):
            problem = f"the sheet {name!r}: expected a DataFrame, got {type(table).__name__}"
        if problem is not None:
            problems.append(Violation(problem, argument=argument))
        elif isinstance(name, str):
            seen[name.casefold()] = name
    if problems:
        raise InputError(problems)
    return dict(sheets)


def _title_problem(name: object) -> str | None:
    """Why Excel would refuse this sheet name, or None."""
    if not isinstance(name, str) or not name.strip():
        return f"expected a sheet name (text), got {name!r}"
    if len(name) > _TITLE_LENGTH:
        return f"a sheet's name has at most {_TITLE_LENGTH} characters in Excel, got {name!r}"
    bad = sorted(set(name) & _TITLE_CHARACTERS)
    if bad:
        return f"Excel does not allow {' or '.join(map(repr, bad))} in a sheet's name, got {name!r}"
    if name.startswith("'") or name.endswith("'"):
        return f"Excel does not allow a sheet's name to begin or end with ', got {name!r}"
    if name.casefold() == "history":
        return "Excel keeps the sheet name 'History' for itself"
    return None


def write_xlsx(sheets: Mapping[str, pd.DataFrame], path: str | Path) -> Path:
    """Write one or more tables to an ``.xlsx`` workbook, text cells as text.

    Control characters a workbook cannot hold are replaced by :data:`REPLACEMENT`,
    and a sheet, ``note``, lists the cells concerned. A file that cannot be
    written is an ``mm.InputError`` naming it.

    Parameters
    ----------
    sheets : mapping of sheet name to DataFrame
        Written in order, with the header in row 1 and the index left out.
    path : str or Path
        The workbook to write.

    Examples
    --------
    >>> import tempfile, pathlib, pandas as pd, openpyxl
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "t.xlsx"
    >>> _ = write_xlsx({"pairs": pd.DataFrame({"=1+1": ["=2+2", "a\x07b"]})}, path)
    >>> book = openpyxl.load_workbook(path)
    >>> [c.value for c in book["pairs"]["A"]], book.sheetnames
    (['=1+1', '=2+2', 'a�b'], ['pairs', 'note'])
    """
    return save_book(tables_book(sheets), Path(path))


def save_book(book: Workbook, path: Path) -> Path:
    """Save a workbook; a place that cannot be written is an ``InputError`` naming the file.

    Examples
    --------
    >>> from pathlib import Path
    >>> save_book(Workbook(), Path("/no/such/folder/t.xlsx"))
    Traceback (most recent call last):
    ...
    mentormatch.errors.InputError: /no/such/folder/t.xlsx: cannot write the file: No such file ...
    """
    with writing(path) as target:
        book.save(target)
    return target


def tables_book(sheets: Mapping[str, pd.DataFrame]) -> Workbook:
    """The workbook :func:`write_xlsx` writes, not yet saved (to add to it first).

    Examples
    --------
    >>> import pandas as pd
    >>> tables_book({"a": pd.DataFrame({"x": [1]}), "b": pd.DataFrame()}).sheetnames
    ['a', 'b']
    """
    book = Workbook()
    book.remove(book.active)
    replaced: list[tuple[str, str]] = []
    for title, frame in check_sheets(sheets).items():
        sheet = book.create_sheet(title)
        rows = [[str(c) for c in frame.columns], *frame.itertuples(index=False)]
        for number, row in enumerate(rows, start=1):
            values = [None if is_blank(v) else v for v in row]
            stored = [_storable(v) for v in values]
            replaced += [
                (title, f"{get_column_letter(column)}{number}")
                for column, (a, b) in enumerate(zip(values, stored, strict=True), start=1)
                if a is not b
            ]
            sheet.append(stored)
        for cells in sheet.iter_rows():
            for cell in cells:
                if isinstance(cell.value, str):
                    cell.data_type = TYPE_STRING
        for index, column in enumerate(frame.columns, start=1):
            width = max([len(str(column)), *(len(str(v)) for v in frame[column])], default=8)
            sheet.column_dimensions[get_column_letter(index)].width = min(width + 2, 60)
    if replaced:
        _note(book.create_sheet(NOTE_SHEET), replaced)
    return book


def _storable(value: object) -> object:
    """Text without the control characters a workbook cannot hold (the same object when
    there are none)."""
    if isinstance(value, str) and ILLEGAL_CHARACTERS_RE.search(value):
        return ILLEGAL_CHARACTERS_RE.sub(REPLACEMENT, value)
    return value


def _note(sheet: Any, replaced: list[tuple[str, str]]) -> None:
    sheet.append(["sheet", "cell", "note"])
    what = f"control characters Excel cannot store were replaced by {REPLACEMENT} (U+FFFD)"
    for title, cell in replaced[:_NOTED]:
        sheet.append([title, cell, what])
    if len(replaced) > _NOTED:
        sheet.append(["", "", f"and {len(replaced) - _NOTED} more cells"])
    for cells in sheet.iter_rows():
        for cell in cells:
            cell.data_type = TYPE_STRING
