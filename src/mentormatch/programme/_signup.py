"""The sign-up sheet: a workbook candidates fill in and ``mm.read_cohort`` reads as it is.

Its first sheet has one column per cohort column a candidate can answer, headed
by a label in the chosen language and the schema column in brackets
(``"Fylke (region)"``; :func:`mentormatch.intake.keyed_columns` reads the
bracket), and one column per choice for themes and languages, which
``read_cohort`` joins into one list. Excel checks what is typed: drop-downs for
role, level, country, county, themes and languages (from a hidden ``lists``
sheet), ranges for years, inhabitants and capacity, and an ID that is filled in
and unique. The heading row is locked. A second sheet explains it all in the
language. What Excel lets through (pasted values, numbers stored as text, blank
rows, stray spaces) is read or refused by ``read_cohort``, by row and column.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from mentormatch.errors import InputError, Violation, gather
from mentormatch.places import place_table
from mentormatch.profiles import REQUIRED_COLUMNS, role_of
from mentormatch.programme._forms import Check, FormColumn, add_form
from mentormatch.programme._texts import (
    FORM_COLUMNS,
    Language,
    check_language,
    say,
    subtheme_text,
    theme_text,
)
from mentormatch.sheets import save_book, xlsx_path
from mentormatch.themes import catalogue

__all__ = ["counties", "signup_columns", "signup_sheet"]

THEME_COLUMNS = 5
"""Columns for themes: one theme each."""

LANGUAGE_COLUMNS = 3
"""Columns for languages: one language code each."""

LANGUAGE_CODES = ("nb", "nn", "sv", "da", "fi", "se", "en")
"""The language codes offered (Norwegian bokmål and nynorsk, Swedish, Danish, Finnish,
Northern Sami, English)."""

COUNTRIES = ("NO", "SE")
YEARS = (0, 60)
POPULATION = (0, 10_000_000)
CAPACITY = (1, 5)

ROLE_WORDS: dict[Language, tuple[str, str]] = {
    "en": ("mentor", "mentee"),
    "sv": ("mentor", "adept"),
    "nb": ("mentor", "mentee"),
}
"""The words the role drop-down offers (mentor, mentee), each one ``read_cohort`` reads."""

LEVEL_WORDS: dict[Language, tuple[str, str]] = {
    "en": ("municipality", "county"),
    "sv": ("kommun", "region"),
    "nb": ("kommune", "fylkeskommune"),
}
"""The words the level drop-down offers (municipality, county), each one ``read_cohort`` reads."""


@cache
def counties() -> tuple[tuple[str, str], ...]:
    """The counties of Norway (fylker, 2024) and Sweden (län) as (country, name), by county number,
    from the package's place table (:mod:`mentormatch.places`).

    Examples
    --------
    >>> [name for country, name in counties() if country == "NO"][:3]
    ['Oslo', 'Rogaland', 'Møre og Romsdal']
    >>> len(counties())
    36
    """
    table = place_table()
    rows = table[table["level"] == "county"].sort_values("id")
    return tuple(zip(rows["country"], rows["name"], strict=True))


def _regions(language: Language) -> tuple[str, ...]:
    """County names, alphabetically, those of the sheet's country (Sweden for sv) first."""
    first = "SE" if language == "sv" else "NO"
    ordered = sorted(counties(), key=lambda c: (c[0] != first, c[1]))
    return tuple(name for _, name in ordered)


def _text(key: str, part: str, language: Language, **fields: object) -> str:
    return FORM_COLUMNS[key][part][language].format(**fields)


def signup_columns(language: Language, role: str | None = None) -> list[FormColumn]:
    """The sign-up sheet's columns, in order, for one role or (``None``) both.

    Examples
    --------
    >>> [c.header for c in signup_columns("nb")][:5]
    ['ID (id)', 'Rolle (role)', 'Navn (name)', 'Organisasjon (organisation)', 'Fylke (region)']
    >>> [c.title for c in signup_columns("sv", "mentee") if c.key == "themes"][:2]
    ['Önskat tema 1', 'Önskat tema 2']
    """
    roles = ROLE_WORDS[language]
    shown = roles if role is None else (roles[("mentor", "mentee").index(role)],)
    themes = tuple(theme_text(key, language) for key in catalogue())
    theme_key = "themes" if role is None else f"themes {role}"

    def column(key: str, check: Check, width: float = 16, text_key: str | None = None,
               number: int | None = None) -> FormColumn:  # fmt: skip
        source = text_key or key
        return FormColumn(
            key=key,
            title=_text(source, "label", language, number=number),
            help=_text(source, "help", language),
            check=check,
            required=key in REQUIRED_COLUMNS,
            width=width,
        )

    columns = [
        column("id", Check("id"), 12),
        column("role", Check("list", shown), 12),
        column("name", Check("text"), 24),
        column("organisation", Check("text"), 24),
        column("region", Check("list", _regions(language)), 22),
        column("country", Check("list", COUNTRIES), 10),
        column("level", Check("list", LEVEL_WORDS[language]), 16),
        column("years_in_role", Check("decimal", low=YEARS[0], high=YEARS[1]), 14),
        column("population", Check("whole", low=POPULATION[0], high=POPULATION[1]), 14),
        *(
            column("themes", Check("list", themes), 30, theme_key, n)
            for n in range(1, THEME_COLUMNS + 1)
        ),
        *(
            column("languages", Check("list", LANGUAGE_CODES), 11, number=n)
            for n in range(1, LANGUAGE_COLUMNS + 1)
        ),
    ]
    if role != "mentee":
        columns.append(column("capacity", Check("whole", low=CAPACITY[0], high=CAPACITY[1]), 14))
    columns.append(column("avoid", Check("text"), 28))
    return columns


def _role(role: object) -> str | None:
    chosen = role_of(role) if isinstance(role, str) else None
    if role is not None and chosen is None:
        raise InputError(
            Violation(f"expected 'mentor', 'mentee' or None, got {role!r}", argument="role")
        )
    return chosen


def _paragraph(sheet: Worksheet, row: int, text: str, *, bold: bool = False,
               size: float = 11) -> int:  # fmt: skip
    """Write text across columns A-C, wrapped; return the next free row."""
    cell = sheet.cell(row, 1, text)
    cell.data_type = "s"
    cell.font = Font(bold=bold, size=size)
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
    sheet.row_dimensions[row].height = 15 * max(1, math.ceil(len(text) / 95)) * size / 11
    return row + 1


def _table(sheet: Worksheet, row: int, rows: Sequence[tuple[str, ...]]) -> int:
    """Write a table (the first row its header); return the next free row."""
    for offset, values in enumerate(rows):
        for index, value in enumerate(values, start=1):
            cell = sheet.cell(row + offset, index, value)
            cell.data_type = "s"
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.font = Font(bold=offset == 0)
        longest = max(len(values[0]) / 26, len(values[-1]) / 60, 1)
        sheet.row_dimensions[row + offset].height = 15 * math.ceil(longest)
    return row + len(rows) + 1


def _instructions(sheet: Worksheet, columns: list[FormColumn], form: str,
                  language: Language) -> None:  # fmt: skip
    sheet.column_dimensions["A"].width = 30
    sheet.column_dimensions["B"].width = 14
    sheet.column_dimensions["C"].width = 70
    row = _paragraph(sheet, 1, say("signup title", language), bold=True, size=14)
    row = _paragraph(sheet, row + 1, say("signup intro", language, sheet=form))
    steps = say("signup steps", language).splitlines()
    for number, step in enumerate(steps, start=1):
        row = _paragraph(sheet, row, f"{number}. {step}")
    row = _paragraph(sheet, row + 1, say("signup columns", language), bold=True, size=12)
    seen: set[str] = set()
    listed = [(say("column", language), say("required", language), say("what to write", language))]
    for column in columns:
        if column.key in seen:  # one line for the theme and language columns
            continue
        seen.add(column.key)
        needed = say("yes" if column.required else "no", language)
        listed.append((column.header, needed, column.help))
    row = _table(sheet, row, listed)
    row = _paragraph(sheet, row, say("signup themes", language), bold=True, size=12)
    themes = [(say("theme", language).capitalize(), "", say("subthemes", language))]
    for key, theme in catalogue().items():
        prompts = "; ".join(subtheme_text(f"{key}/{s}", language) for s in theme.subtheme_keys)
        themes.append((theme_text(key, language), "", prompts))
    row = _table(sheet, row, themes)
    _paragraph(sheet, row, say("signup privacy", language))


def signup_sheet(path: str | Path, language: str = "nb", role: str | None = None) -> Path:
    """Write the sign-up sheet candidates fill in; ``mm.read_cohort`` reads it back as it is.

    Parameters
    ----------
    path : str or Path
        The ``.xlsx`` workbook to write (replaced if it exists).
    language : {"nb", "sv", "en"}, default "nb"
        The language of the headings, lists, help and instructions.
    role : {"mentor", "mentee"}, optional
        A sheet for one role only: its role list offers that role, its theme
        columns ask for themes offered (mentors) or sought (mentees), and a
        mentees' sheet has no capacity column. Default: a sheet for both.

    Returns
    -------
    Path
        The workbook written: the form first (one row per person, headings
        ``"Label (column)"``), then the instructions, then a hidden ``lists``
        sheet that feeds the drop-downs.

    Raises
    ------
    mm.InputError
        Naming each bad argument (path, language, role), all at once; nothing is written.

    Examples
    --------
    >>> import tempfile, pathlib, openpyxl, mentormatch as mm
    >>> path = mm.signup_sheet(pathlib.Path(tempfile.mkdtemp()) / "påmelding.xlsx")
    >>> book = openpyxl.load_workbook(path)
    >>> book.sheetnames, book["Påmelding"]["E1"].value
    (['Påmelding', 'Veiledning', 'lists'], 'Fylke (region)')
    """
    found = gather(
        {
            "path": lambda: xlsx_path(path),
            "language": lambda: check_language(language),
            "role": lambda: _role(role),
        }
    )
    code = found["language"]
    columns = signup_columns(code, found["role"])
    book = Workbook()
    book.properties.creator = "mentormatch"
    first = book.active
    form = add_form(book, say("signup sheet", code), columns, code, 0)
    if first is not None:
        book.remove(first)
    book.active = form
    instructions = book.create_sheet(say("instructions sheet", code), 1)
    _instructions(instructions, columns, form.title, code)
    return save_book(book, found["path"])
