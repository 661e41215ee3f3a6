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

import csv
import io
import json
import re
import warnings
from collections.abc import Collection, Iterable, Sequence
from importlib import resources
from pathlib import Path

import pandas as pd

from mentormatch.cohort import Cohort
from mentormatch.errors import InputError, Violation
from mentormatch.files import output_path, writing
from mentormatch.profiles import COLUMNS, as_text
from mentormatch.sheets import neutralise, restore, write_xlsx

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


def read_cohort(path: str | Path) -> Cohort:
    """Read and validate a cohort file.

    Parameters
    ----------
    path : str or Path
        A ``.csv``, ``.xlsx`` or ``.json`` file (a JSON list of objects), one
        person per row, columns as in the cohort file schema.

    Returns
    -------
    Cohort

    Raises
    ------
    mm.InputError
        Naming the file, row (header = row 1), column and what was expected,
        for every problem of the file at once.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "c.csv"
    >>> _ = path.write_text("id;role;organisation;region;years_in_role\\n"
    ...                     "007;mentor;Bodø;Nordland;12,5\\ne1;mentee;Moss;Østfold;1\\n")
    >>> cohort = read_cohort(path)
    >>> cohort.mentors[0].id, cohort.mentors[0].years_in_role
    ('007', 12.5)
    """
    path = Path(path)
    name = path.name
    suffix = path.suffix.lower()
    data = file_bytes(path)
    if suffix == ".csv":
        frame, first_row = restore(_read_csv(data, name)), 2  # write_cohort's apostrophes
    elif suffix == ".xlsx":
        frame, first_row = _read_excel(data, name), 2
    else:
        frame, first_row = _read_json(data, name), 1
    return Cohort.from_frame(keyed_columns(frame, name), source=name, first_row=first_row)


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
    other column are refused. A table without such headers is returned as it
    is; otherwise a new table (the one given is not modified).

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
    columns: dict[str, list[object]] = {}
    for index, name in enumerate(names):
        cells = frame.iloc[:, index].tolist()
        if name in columns:
            columns[name] = [
                ";".join(t for t in (as_text(a), as_text(b)) if t)
                for a, b in zip(columns[name], cells, strict=True)
            ]
        else:
            columns[name] = cells
    return pd.DataFrame(columns, index=frame.index, dtype=object)


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
                safe.to_csv(path, index=False, encoding="utf-8", lineterminator="\r\n")
            else:
                records = frame.to_dict(orient="records")
                path.write_text(json.dumps(records, ensure_ascii=False, indent=1), "utf-8")
    return path


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _delimiter(text: str) -> str:
    """The separator that splits the header into the most schema columns (then the most columns)."""
    header = text.splitlines()[0]

    def fit(sep: str) -> tuple[int, int]:
        cells = next(csv.reader([header], delimiter=sep))
        return sum(c.strip() in COLUMNS for c in cells), len(cells)

    return max([",", ";", "\t"], key=fit)


def _read_csv(data: bytes, name: str) -> pd.DataFrame:
    text = _decode(data)
    separator = _delimiter(text)
    overfull = _overfull_rows(text, separator, name)
    if overfull:
        raise InputError(overfull)
    try:
        with warnings.catch_warnings():  # blank cells past the header's end are dropped
            warnings.simplefilter("ignore", pd.errors.ParserWarning)
            return pd.read_csv(
                io.StringIO(text),
                sep=separator,
                dtype=str,
                keep_default_na=False,
                skip_blank_lines=True,
                index_col=False,
            )
    except (pd.errors.ParserError, ValueError) as error:
        raise InputError(Violation(f"not a readable CSV table: {error}", name)) from None


def _overfull_rows(text: str, separator: str, name: str) -> list[Violation]:
    """Rows with filled cells past the header's last column (pandas would silently take the
    first cells as an index): most often a list such as ``crisis;strategy`` left unquoted
    in a file separated by ``;``. Blank cells there (trailing separators) are harmless."""
    rows = csv.reader(io.StringIO(text), delimiter=separator)
    width = len(next(rows, []))
    return [
        Violation(
            f"{len(cells)} cells, but the header has {width} columns; a cell that holds the "
            f"separator '{separator}' (such as a list of themes or avoid entries) must be "
            "in quotes",
            name,
            row,
        )
        for row, cells in enumerate(rows, start=2)
        if any(cell.strip() for cell in cells[width:])
    ]


def _read_excel(data: bytes, name: str) -> pd.DataFrame:
    try:
        frame = pd.read_excel(
            io.BytesIO(data), dtype=object, engine="openpyxl", keep_default_na=False
        )
    except Exception as error:  # openpyxl raises many types for a damaged workbook
        raise InputError(Violation(f"not a readable Excel workbook: {error}", name)) from None
    return frame


def _read_json(data: bytes, name: str) -> pd.DataFrame:
    try:
        records = json.loads(_decode(data))
    except json.JSONDecodeError as error:
        raise InputError(
            Violation(f"not valid JSON: {error.msg} (line {error.lineno})", name)
        ) from None
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise InputError(Violation("expected a JSON list of objects, one per person", name))
    return pd.DataFrame.from_records(records)
