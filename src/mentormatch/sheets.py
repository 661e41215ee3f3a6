"""Tables written for spreadsheets: text stays text, never a formula.

A cell such as ``=HYPERLINK(...)`` in a name or a note must not run when a
secretariat opens an export. In ``.xlsx`` files every text cell is written as
a text cell (openpyxl would otherwise store it as a formula); for ``.csv``
files, which carry no cell types, :func:`neutralise` prefixes such text with
an apostrophe, as OWASP advises against CSV injection.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.utils import get_column_letter

from mentormatch.errors import InputError, Violation
from mentormatch.profiles import is_blank

__all__ = ["FORMULA_STARTS", "neutralise", "save_book", "tables_book", "write_xlsx", "xlsx_path"]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""Leading characters that make a spreadsheet read a cell as a formula."""


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a copy whose text cells cannot run as formulas in a spreadsheet.

    Examples
    --------
    >>> import pandas as pd
    >>> safe = neutralise(pd.DataFrame({"name": ["=1+1", "Åsa"], "score": [-0.5, 1.0]}))
    >>> safe["name"].tolist(), safe["score"].tolist()
    (["'=1+1", 'Åsa'], [-0.5, 1.0])
    """

    def safe(value: object) -> object:
        if isinstance(value, str) and value.startswith(FORMULA_STARTS):
            return "'" + value
        return value

    return frame.map(safe)


def xlsx_path(path: object, argument: str = "path") -> Path:
    """``path`` as a Path when it names an ``.xlsx`` workbook, else an ``InputError``.

    Examples
    --------
    >>> xlsx_path("plan.csv")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    mentormatch.errors.InputError: argument 'path': expected a file name ending in .xlsx, got ...
    """
    target = Path(path) if isinstance(path, str | Path) else None
    if target is not None and target.suffix.lower() == ".xlsx":
        return target
    name = target.name if target is not None else type(path).__name__
    raise InputError(
        Violation(f"expected a file name ending in .xlsx, got '{name}'", argument=argument)
    )


def write_xlsx(sheets: Mapping[str, pd.DataFrame], path: str | Path) -> Path:
    """Write one or more tables to an ``.xlsx`` workbook, text cells as text.

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
    >>> _ = write_xlsx({"pairs": pd.DataFrame({"note": ["=2+2"]})}, path)
    >>> openpyxl.load_workbook(path)["pairs"]["A2"].value
    '=2+2'
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
    mentormatch.errors.InputError: t.xlsx: cannot write the file: No such file or directory
    """
    try:
        book.save(path)
    except OSError as error:
        raise InputError(Violation(f"cannot write the file: {error.strerror}", path.name)) from None
    return path


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
    for title, frame in sheets.items():
        sheet = book.create_sheet(title)
        sheet.append([str(c) for c in frame.columns])
        for row in frame.itertuples(index=False):
            sheet.append([None if is_blank(v) else v for v in row])
        for cells in sheet.iter_rows(min_row=2):
            for cell in cells:
                if isinstance(cell.value, str):
                    cell.data_type = TYPE_STRING
        for index, column in enumerate(frame.columns, start=1):
            width = max([len(str(column)), *(len(str(v)) for v in frame[column])], default=8)
            sheet.column_dimensions[get_column_letter(index)].width = min(width + 2, 60)
    return book
