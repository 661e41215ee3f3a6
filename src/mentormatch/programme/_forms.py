"""Sheets people fill in: a locked heading row, a check and a help text on every column.

A form is a worksheet whose first row holds headings of the form
``"Label (column)"`` (:func:`mentormatch.intake.keyed_header`) and whose columns
carry Excel data validation: drop-downs fed from a hidden ``lists`` sheet,
number, whole-number and date ranges, and an ID that is filled in and unique.
Excel shows each column's help when a cell is selected, refuses what the check
does not allow when it is typed, and keeps the heading row from being edited.
The sign-up sheet and the plan's meeting log are forms.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.protection import SheetProtection
from openpyxl.worksheet.worksheet import Worksheet

from mentormatch.intake import keyed_header
from mentormatch.programme._texts import Language, say

__all__ = ["LAST_ROW", "LIST_SHEET", "Check", "FormColumn", "add_form"]

LAST_ROW = 1_048_576
"""Excel's last row: the checks cover whole columns, however many rows are filled in."""

LIST_SHEET = "lists"
"""The hidden sheet holding the drop-downs' values."""

_EXCEL_EPOCH = dt.date(1899, 12, 30)
_HEADER_FILL = PatternFill("solid", fgColor="DDE5F0")
_REQUIRED_FILL = PatternFill("solid", fgColor="F6D7A7")
_UNLOCKED = Protection(locked=False)
_SPARE_COLUMNS = 10
"""Unlocked columns after the form's own, for notes of the person filling it in."""


@dataclass(frozen=True)
class Check:
    """What Excel accepts in a column.

    ``kind`` is ``"list"`` (one of ``choices``), ``"decimal"``, ``"whole"`` or
    ``"date"`` (from ``low`` to ``high``, both included), ``"id"`` (filled in and
    unique in the column) or ``"text"`` (anything; the help is still shown).
    """

    kind: str
    choices: tuple[str, ...] = ()
    low: float | dt.date = 0
    high: float | dt.date = 0


@dataclass(frozen=True)
class FormColumn:
    """One column of a form: the key it is read as, its title, help, check, and whether required.

    Examples
    --------
    >>> FormColumn("region", "Fylke", "Velg fra listen.", Check("list", ("Nordland",))).header
    'Fylke (region)'
    """

    key: str
    title: str
    help: str
    check: Check
    required: bool = False
    width: float = 16

    @property
    def header(self) -> str:
        """The heading cell: the title and the key in brackets."""
        return keyed_header(self.title, self.key)


def _lists(book: Workbook, columns: list[FormColumn]) -> dict[tuple[str, ...], str]:
    """Each distinct drop-down list in a column of the hidden lists sheet; their ranges."""
    sheet = book[LIST_SHEET] if LIST_SHEET in book.sheetnames else book.create_sheet(LIST_SHEET)
    sheet.sheet_state = "hidden"
    ranges: dict[tuple[str, ...], str] = {}
    for column in columns:
        values = column.check.choices
        if column.check.kind != "list" or values in ranges:
            continue
        index = (sheet.max_column if sheet.cell(1, 1).value is not None else 0) + 1
        letter = get_column_letter(index)
        sheet.cell(1, index, column.key)
        for row, value in enumerate(values, start=2):
            sheet.cell(row, index, value).data_type = "s"
        ranges[values] = f"{LIST_SHEET}!${letter}$2:${letter}${len(values) + 1}"
    return ranges


def _bound(value: float | dt.date) -> tuple[str, str]:
    """A bound as Excel's formula (a date is its serial number) and as shown in a message."""
    if isinstance(value, dt.date):
        return str((value - _EXCEL_EPOCH).days), value.isoformat()
    return str(value), f"{value:,.0f}"


def _validation(
    column: FormColumn, letter: str, ranges: dict[tuple[str, ...], str], language: Language
) -> DataValidation:
    check = column.check
    texts = {"promptTitle": column.title, "prompt": column.help, "showInputMessage": True}
    if check.kind != "text":
        texts |= {"errorTitle": say("not valid", language), "showErrorMessage": True}
    (low, shown_low), (high, shown_high) = _bound(check.low), _bound(check.high)
    if check.kind == "list":
        rule = DataValidation(type="list", formula1=ranges[check.choices], allow_blank=True,
                              error=say("pick from list", language), **texts)  # fmt: skip
    elif check.kind in ("decimal", "whole", "date"):
        message = say(f"{check.kind} between", language, low=shown_low, high=shown_high)
        rule = DataValidation(type=check.kind, operator="between", formula1=low, formula2=high,
                              allow_blank=True, error=message, **texts)  # fmt: skip
    elif check.kind == "id":
        cells = f"${letter}$2:${letter}${LAST_ROW}"
        unique = f"AND(LEN(TRIM({letter}2))>0,COUNTIF({cells},{letter}2)=1)"
        rule = DataValidation(type="custom", formula1=unique, allow_blank=False,
                              error=say("id rule", language), **texts)  # fmt: skip
    else:
        rule = DataValidation(allow_blank=True, **texts)
    rule.add(f"{letter}2:{letter}{LAST_ROW}")
    return rule


_FORMATS = {"id": "@", "text": "@", "date": "yyyy-mm-dd"}
"""Number formats by check: text stays text ("007" is not 7, "=..." is no formula)."""


def add_form(
    book: Workbook, title: str, columns: list[FormColumn], language: Language, index: int
) -> Worksheet:
    """Add a form sheet at ``index``: headings, checks, help, widths, the heading row locked."""
    sheet = book.create_sheet(title, index)
    ranges = _lists(book, columns)
    for number, column in enumerate(columns, start=1):
        letter = get_column_letter(number)
        cell = sheet.cell(1, number, column.header)
        cell.data_type = "s"
        cell.font = Font(bold=True)
        cell.fill = _REQUIRED_FILL if column.required else _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.add_data_validation(_validation(column, letter, ranges, language))
        dimension = sheet.column_dimensions[letter]
        dimension.width = column.width
        dimension.protection = _UNLOCKED
        if column.check.kind in _FORMATS:
            dimension.number_format = _FORMATS[column.check.kind]
    for number in range(len(columns) + 1, len(columns) + 1 + _SPARE_COLUMNS):
        sheet.column_dimensions[get_column_letter(number)].protection = _UNLOCKED
    sheet.row_dimensions[1].height = 45
    sheet.freeze_panes = "A2"
    sheet.protection = SheetProtection(
        sheet=True, formatCells=False, formatColumns=False, formatRows=False,
        insertRows=False, deleteRows=False, sort=False, autoFilter=False,
    )  # fmt: skip
    return sheet
