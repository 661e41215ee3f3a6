"""The bytes of a table file as a table of cells: CSV text, an Excel sheet, a JSON list.

What a secretariat saves is read as it is: CSV in UTF-8 (with or without a
byte-order mark), UTF-16 (Excel's "Unicode text"; with or without a byte-order
mark) or Windows-1252 (older Excel "CSV"; Latin-1 reads the same for Nordic
letters), any line endings (``\\r\\n``, ``\\n``, the old Mac ``\\r``). What cannot
be a table is refused by name, never with a ``csv``, ``json`` or openpyxl
traceback: a workbook, an image or another binary file saved under a ``.csv``
name, text in another encoding, a quote left open, JSON nested too deeply to parse.

Headers are kept as written, two equal ones included (pandas would rename the
second ``avoid.1`` and lose it among the unknown columns): whoever reads the
table decides what two columns of one name mean. The header is the first row
that is not blank; a blank line or row below it stays in the table as a blank
row, so that row numbers are those a spreadsheet shows. Nothing here knows the
cohort schema beyond the callables it is given.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
from openpyxl import load_workbook

from mentormatch.errors import InputError, Violation
from mentormatch.profiles import as_text

__all__ = ["SheetChoice", "Table", "csv_table", "decode", "excel_table", "json_records"]

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
"""Byte-order marks and the codec that reads past them (UTF-32's before UTF-16's, which
they begin with)."""

_KINDS = (
    (b"PK\x03\x04", "a zipped file, such as an Excel workbook (.xlsx)"),
    (b"\xd0\xcf\x11\xe0", "an old Office file, such as an Excel 97-2003 workbook (.xls)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"%PDF", "a PDF document"),
)
"""How common non-text files begin, to say what a file is instead of what it is not."""

_SEPARATORS = (",", ";", "\t")

CSV_CELL_LIMIT = csv.field_size_limit()
"""The longest cell a CSV file may hold (the ``csv`` module's limit, 131,072 characters)."""


@dataclass(frozen=True)
class Table:
    """A table read from a file.

    Parameters
    ----------
    frame : DataFrame
        The cells under the header, as text (CSV) or as the workbook holds them.
    first_row : int
        The row number, as a spreadsheet shows it, of the frame's first row: the
        row after the header (the first row that is not blank).
    problems : tuple of Violation
        Rows whose cells cannot be placed under the header.
    sheet : str, optional
        The sheet read, in a workbook.
    others : tuple of str
        The workbook's sheets not read.
    """

    frame: pd.DataFrame
    first_row: int = 2
    problems: tuple[Violation, ...] = ()
    sheet: str | None = None
    others: tuple[str, ...] = ()


def decode(data: bytes, name: str, kind: str = "CSV") -> str:
    """The text of a file's bytes, or an ``InputError`` saying what the file is instead.

    UTF-8, UTF-16 and UTF-32 by their byte-order marks, UTF-16 without one (by
    its zero bytes), then UTF-8, then Windows-1252; never a guess that loses
    letters silently: bytes that none of them reads are refused.

    Examples
    --------
    >>> decode("Bodø".encode("utf-16"), "c.csv"), decode("Bodø".encode("cp1252"), "c.csv")
    ('Bodø', 'Bodø')
    >>> decode(b"PK\\x03\\x04...", "c.csv")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    mentormatch.errors.InputError: c.csv: this is a zipped file, such as an Excel workbook ...
    """
    codec = next((codec for bom, codec in _BOMS if data.startswith(bom)), None)
    marked = codec is not None  # text by its byte-order mark, whatever it holds
    what = next((what for start, what in _KINDS if data.startswith(start)), None)
    if codec is None and what is None and b"\x00" in data:
        codec = _utf16_without_bom(data)
        what = None if codec else "a binary file (it holds zero bytes)"
    if what is not None:
        save = "save the table as CSV UTF-8" if kind == "CSV" else f"give a {kind} file"
        raise InputError(
            Violation(
                f"this is {what}, not {kind} text; {save}, or a workbook under a .xlsx name", name
            )
        )
    for candidate in (codec,) if codec else ("utf-8", "cp1252"):
        try:
            text = data.decode(candidate)
        except UnicodeDecodeError:
            continue
        if "\x00" in text and not marked:
            break
        return text
    raise InputError(
        Violation(
            "not text in a known encoding (UTF-8, UTF-16 or Windows-1252); "
            f"save it as {kind} UTF-8",
            name,
        )
    )


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 of mostly Latin text: one byte of each pair is zero, always the same one."""
    even, odd = data[0::2].count(0), data[1::2].count(0)
    pairs = len(data) // 2
    if len(data) % 2 or pairs == 0:
        return None
    if odd > pairs / 2 and even == 0:
        return "utf-16-le"
    if even > pairs / 2 and odd == 0:
        return "utf-16-be"
    return None


def csv_table(text: str, name: str, known: Callable[[str], bool]) -> Table:
    """A CSV text as a table of text cells, with the rows that cannot be placed in it.

    The header is the first row that is not blank. The separator is the one of
    ``,``, ``;`` and tab that splits it into the most cells ``known`` accepts (then
    the most cells). Every line ending is read; a blank line is a blank row. A
    row with filled cells past the header's last column is a problem (its cells
    cannot be placed), a short row is padded with blank cells, and a header cell
    left blank over a blank column is dropped (one over filled cells is named
    ``Unnamed: <position from 0>``, as pandas names it).

    Examples
    --------
    >>> known = {"id", "role"}.__contains__
    >>> table = csv_table("\\nid;role\\r007;mentor\\r\\r", "c.csv", known)
    >>> table.frame.to_dict(orient="records"), table.first_row, table.problems
    ([{'id': '007', 'role': 'mentor'}, {'id': '', 'role': ''}], 3, ())
    """
    separator = _separator(text, known)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=True)
    rows: list[list[str]] = []
    try:
        rows.extend(reader)
    except csv.Error as error:
        raise InputError(_csv_problem(str(error), name, len(rows) + 1)) from None
    skipped = _blank_rows(rows)
    header, *body = rows[skipped:] or [[]]
    width = len(header)
    problems = tuple(
        Violation(
            f"{len(cells)} cells, but the header has {width} columns; a cell that holds the "
            f"separator '{separator}' (such as a list of themes or avoid entries) must be "
            "in quotes",
            name,
            row,
        )
        for row, cells in enumerate(body, start=skipped + 2)
        if any(cell.strip() for cell in cells[width:])
    )
    cells = [[*row[:width], *[""] * (width - len(row))] for row in body]
    return Table(_table(header, cells), skipped + 2, problems)


def _blank_rows(rows: Sequence[Sequence[object]]) -> int:
    """How many rows at the top are blank (the header is the first that is not)."""
    return next((k for k, row in enumerate(rows) if any(_filled(c) for c in row)), len(rows))


def _separator(text: str, known: Callable[[str], bool]) -> str:
    """The separator that splits the header into the most known columns (then the most columns)."""
    header = next((line for line in text.splitlines() if line.strip()), "")

    def fit(separator: str) -> tuple[int, int]:
        try:
            cells = next(csv.reader([header], delimiter=separator), [])
        except csv.Error:  # a quote left open: the reading proper says where
            return 0, 0
        return sum(known(c) for c in cells), len(cells)

    return max(_SEPARATORS, key=fit)


def _csv_problem(message: str, name: str, row: int) -> Violation:
    """A ``csv.Error`` in words, at the row being read (header = row 1)."""
    if "field larger than field limit" in message:
        text = (
            f'a cell longer than {CSV_CELL_LIMIT:,} characters; most likely a quote (") '
            "opened in this row is never closed"
        )
    elif "unexpected end of data" in message:
        text = 'a quote (") opened in this row is never closed; close it, or remove it'
    elif "expected after" in message:
        text = (
            'text after the closing quote of a cell; quote the whole cell, with each " '
            'inside it written twice ("")'
        )
    else:
        text = f"not readable as CSV ({message})"
    return Violation(text, name, row)


def _table(header: Sequence[object], rows: list[list[Any]]) -> pd.DataFrame:
    """Rows under a header, names as written (duplicates kept); nameless blank columns dropped."""
    names = [h if isinstance(h, str) else as_text(h) for h in header]
    keep = [
        index
        for index, title in enumerate(names)
        if title.strip() or any(_filled(row[index]) for row in rows)
    ]
    columns = [names[i] if names[i].strip() else f"Unnamed: {i}" for i in keep]
    return pd.DataFrame([[row[i] for i in keep] for row in rows], columns=columns, dtype=object)


def _filled(cell: object) -> bool:
    return cell is not None and not (isinstance(cell, str) and not cell.strip())


@dataclass(frozen=True)
class SheetChoice:
    """Which sheet of a workbook holds the table.

    ``sheet`` names one (case ignored; a hidden sheet too). Otherwise: the one
    visible sheet whose name is in ``names`` (case ignored); else the only visible
    sheet; else the only visible sheet whose first row ``looks_like_data``
    accepts. Anything else is ambiguous and refused with every sheet listed. A
    hidden sheet is read only when named.
    """

    sheet: str | None
    names: Collection[str]
    looks_like_data: Callable[[Sequence[object]], bool]
    advice: str = "name the sheet to read"

    def choose(self, book: Any, name: str) -> Any:
        """The worksheet to read, or an ``InputError`` listing the sheets."""
        sheets = list(book.worksheets)
        if self.sheet is not None:
            wanted = [s for s in sheets if s.title.casefold() == self.sheet.strip().casefold()]
            if wanted:
                return wanted[0]
            raise InputError(
                Violation(f"no sheet '{self.sheet}' (the sheets: {_listed(sheets)})", name)
            )
        visible = [s for s in sheets if s.sheet_state == "visible"]
        names = {n.casefold() for n in self.names}
        named = [s for s in visible if s.title.casefold() in names]
        if len(named) == 1:
            return named[0]
        if len(visible) == 1:
            return visible[0]
        data = [s for s in visible if self.looks_like_data(_first_row(s))]
        if len(data) == 1:
            return data[0]
        why = "no visible sheet" if not visible else "more than one sheet could be it"
        raise InputError(
            Violation(
                f"cannot tell which sheet holds the table: {why} (the sheets: {_listed(sheets)}); "
                f"{self.advice}",
                name,
            )
        )


def _first_row(sheet: Any, looked_at: int = 20) -> Sequence[object]:
    """The sheet's first row that is not blank, among its first ``looked_at``."""
    sheet.reset_dimensions()  # some writers record no size, or a wrong one
    rows = list(sheet.iter_rows(min_row=1, max_row=looked_at, values_only=True))
    return next((row for row in rows if any(_filled(c) for c in row)), ())


def _listed(sheets: list[Any]) -> str:
    return (
        ", ".join(
            f"'{s.title}'" + ("" if s.sheet_state == "visible" else " (hidden)") for s in sheets
        )
        or "none"
    )


def excel_table(data: bytes, name: str, choice: SheetChoice) -> Table:
    """The chosen sheet of an ``.xlsx`` workbook as a table (values, not formulas), its
    title, and the titles of the sheets not read.

    Rows and columns are as the sheet shows them: the header is the first row that
    is not blank, blank rows below it stay (so row numbers match), trailing blank
    rows and nameless blank columns are dropped, and two equal headers stay two
    columns.
    """
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a damaged or foreign file
        raise InputError(
            Violation(f"not a readable Excel workbook: {_not_a_workbook(data, error)}", name)
        ) from None
    try:
        sheet = choice.choose(book, name)
        sheet.reset_dimensions()  # some writers record no size: read every row there is
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        others = [s.title for s in book.worksheets if s is not sheet]
    finally:
        book.close()
    while rows and not any(_filled(cell) for cell in rows[-1]):
        rows.pop()
    skipped = _blank_rows(rows)
    width = max((len(row) for row in rows), default=0)
    header, *body = [[*row, *[None] * (width - len(row))] for row in rows[skipped:]] or [[]]
    return Table(_table(header, body), skipped + 2, sheet=sheet.title, others=tuple(others))


def _not_a_workbook(data: bytes, error: Exception) -> str:
    """Why a file is not an ``.xlsx`` workbook, in words."""
    if data.startswith(b"PK"):  # a zip: a damaged workbook, or another zipped document
        return str(error)
    kind = next((what for start, what in _KINDS if data.startswith(start)), None)
    if kind is not None:
        return f"this is {kind}; save it as an Excel workbook (.xlsx)"
    return "it is not a zipped workbook (a CSV file must be named .csv)"


def json_records(text: str, name: str) -> list[Any]:
    """The items of a JSON list, or an ``InputError`` saying what the document is instead.

    Examples
    --------
    >>> json_records('[{"id": "m1"}]', "c.json")
    [{'id': 'm1'}]
    >>> json_records('{"m1": {"id": "m1"}}', "c.json")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    mentormatch.errors.InputError: c.json: expected a JSON list of objects, one per person, got ...
    """
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(
            Violation(f"not valid JSON: {error.msg} (line {error.lineno})", name)
        ) from None
    except RecursionError:  # the parser recurses once per level: [[[[...]]]]
        raise InputError(
            Violation(
                "JSON nested too deeply to read; expected a list of objects, one per person", name
            )
        ) from None
    if not isinstance(document, list):
        raise InputError(
            Violation(
                f"expected a JSON list of objects, one per person, got {_kind(document)}", name
            )
        )
    return document


def _kind(value: object) -> str:
    """A JSON value's kind in words, as an error message shows it."""
    if isinstance(value, dict):
        if value and all(isinstance(v, dict) for v in value.values()):
            return "an object of objects; write them as a list: [{...}, {...}]"
        return "an object; write a list of them: [{...}, {...}]"
    kinds = {bool: "true or false", int: "a number", float: "a number", str: "text"}
    return "null" if value is None else kinds.get(type(value), type(value).__name__)
