"""The errors of mentormatch (bad input; rules that cannot hold together; a time limit
reached before any pairing was found) and its one warning (a cohort that is valid but
probably not what was meant).

The errors carry their findings as fields (``violations``, ``conflicts``), so a
notebook can list them and a program can act on them, and render every finding in
the message, so a secretariat can fix a sheet in one pass. Both kinds of "no
pairing" are ``InputError``: ``InfeasibleError`` when it is proven that none exists,
``TimeLimitError`` when the search stopped before finding one (there may be one).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = [
    "CohortWarning",
    "InfeasibleError",
    "InputError",
    "TimeLimitError",
    "Violation",
    "check_number",
    "gather",
]

MAX_REPORTED = 50
"""At most this many violations are spelled out in one message (all are kept in the field)."""


@dataclass(frozen=True)
class Violation:
    """One problem in the input: where it is and what was expected.

    Parameters
    ----------
    message : str
        What is wrong and what was expected, e.g. ``"expected a number >= 0, got '-3'"``.
    file : str or None
        The file name, when the input came from a file.
    row : int or None
        The spreadsheet row as the user sees it (header = row 1), or the
        1-based item number in a JSON list.
    column : str or None
        The column concerned.
    argument : str or None
        The function argument concerned, for input that did not come from a table.

    Examples
    --------
    >>> str(Violation("expected a number >= 0, got '-3'", "c.csv", 4, "years_in_role"))
    "c.csv, row 4, column 'years_in_role': expected a number >= 0, got '-3'"
    """

    message: str
    file: str | None = None
    row: int | None = None
    column: str | None = None
    argument: str | None = None

    def __str__(self) -> str:
        where = []
        if self.file:
            where.append(self.file)
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column '{self.column}'")
        if self.argument:
            where.append(f"argument '{self.argument}'")
        return f"{', '.join(where)}: {self.message}" if where else self.message


class InputError(ValueError):
    """Bad input: the message names the file, row, column and what was expected.

    Parameters
    ----------
    violations : str, Violation or sequence of Violation
        Every problem found; all are kept in ``.violations``.

    Examples
    --------
    >>> err = InputError([Violation("must not be empty", "c.csv", 3, "id")])
    >>> print(err)
    c.csv, row 3, column 'id': must not be empty
    >>> isinstance(err, ValueError)
    True
    """

    def __init__(self, violations: str | Violation | Sequence[Violation]) -> None:
        if isinstance(violations, str):
            violations = [Violation(violations)]
        elif isinstance(violations, Violation):
            violations = [violations]
        self.violations: tuple[Violation, ...] = tuple(violations)
        super().__init__(_render([str(v) for v in self.violations], "problem"))


class InfeasibleError(InputError):
    """No pairing satisfies the rules; ``.conflicts`` says which rules clash and why.

    Parameters
    ----------
    conflicts : sequence of str
        Plain-words statements of the clash, each naming the rules and people concerned.

    Examples
    --------
    >>> err = InfeasibleError(["min_pairs=8, but at most 5 pairs are possible"])
    >>> err.conflicts
    ('min_pairs=8, but at most 5 pairs are possible',)
    """

    def __init__(self, conflicts: Sequence[str]) -> None:
        self.conflicts: tuple[str, ...] = tuple(conflicts)
        super().__init__([Violation(c) for c in self.conflicts])


class TimeLimitError(InputError):
    """The time limit was reached before any pairing that keeps every rule was found.

    Infeasibility is not proven: a pairing may exist, and a larger ``time_limit`` (or
    ``None``, no limit) may find it. The message names the argument ``time_limit``;
    ``.time_limit`` holds the seconds given.

    Parameters
    ----------
    time_limit : float
        The seconds given.
    detail : str, optional
        What was searched, e.g. that a large problem was modelled on candidate pairs.

    Examples
    --------
    >>> err = TimeLimitError(0.5)
    >>> print(err)  # doctest: +NORMALIZE_WHITESPACE
    argument 'time_limit': no pairing that keeps every rule was found within 0.5 s;
    that does not prove there is none: give a larger time_limit, or None for no limit
    >>> err.time_limit, isinstance(err, InfeasibleError)
    (0.5, False)
    """

    def __init__(self, time_limit: float, detail: str = "") -> None:
        self.time_limit = time_limit
        super().__init__(
            Violation(
                f"no pairing that keeps every rule was found within {time_limit:g} s"
                + (f" ({detail})" if detail else "")
                + "; that does not prove there is none: give a larger time_limit, or None "
                "for no limit",
                argument="time_limit",
            )
        )


class RuleWarning(UserWarning):
    """Rules that are valid but likely do not do what was meant; the match runs as asked.

    Raised as a Python warning by ``mm.match`` (and printed by ``mentormatch match``):
    a cohort whose people declared whom to avoid, matched under rules without
    ``AvoidDeclared`` (own rules replace the pilot's, which include it); ``Stable()``
    on a cohort where nobody ranked anyone (no ``preferences``).

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warnings.warn("Stable() has no effect ...", RuleWarning)
    >>> caught[0].category.__name__
    'RuleWarning'
    """


class CohortWarning(UserWarning):
    """A cohort that is valid but likely not what was meant; it is read and kept as written.

    Raised as a Python warning by ``mm.read_cohort`` and ``mm.Cohort.from_frame`` (one
    per finding; ``cohort.warnings`` lists them again), and printed by
    ``mentormatch validate``: a column whose name is close to a known one, an
    ``avoid`` entry that names no one in the cohort, two spellings of one organisation.

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warnings.warn("column 'theme' ...", CohortWarning)
    >>> caught[0].category.__name__
    'CohortWarning'
    """


def gather(checks: Mapping[str, Callable[[], Any]]) -> dict[str, Any]:
    """Run every check; return each one's value by name, or raise one ``InputError`` with the
    problems of all of them, so that every bad argument is named at once.

    Examples
    --------
    >>> def positive(value, argument):
    ...     if value > 0:
    ...         return value
    ...     raise InputError(Violation(f"expected a number > 0, got {value}", argument=argument))
    >>> gather({"a": lambda: positive(1, "a"), "b": lambda: positive(2, "b")})
    {'a': 1, 'b': 2}
    >>> gather({"a": lambda: positive(0, "a"), "b": lambda: positive(-1, "b")})
    Traceback (most recent call last):
    ...
    mentormatch.errors.InputError: 2 problems found:
      - argument 'a': expected a number > 0, got 0
      - argument 'b': expected a number > 0, got -1
    """
    values: dict[str, Any] = {}
    problems: list[Violation] = []
    for name, check in checks.items():
        try:
            values[name] = check()
        except InputError as error:
            problems += error.violations
    if problems:
        raise InputError(problems)
    return values


def check_number(
    value: object, argument: str, low: float = 0.0, high: float = math.inf, *, above: bool = False
) -> float:
    """``value`` as a float when it is a finite real number (numpy's too) from ``low`` (or
    ``above`` it) to ``high``, else an ``InputError`` naming the argument.

    Examples
    --------
    >>> check_number(2, "pace", 0, 1)
    Traceback (most recent call last):
    ...
    mentormatch.errors.InputError: argument 'pace': expected a finite number >= 0, at most 1, got 2
    >>> check_number(1e308, "noise"), check_number(__import__("numpy").int64(3), "noise")
    (1e+308, 3.0)
    """
    if isinstance(value, numbers.Real) and not isinstance(value, bool | np.bool_):
        try:
            number = float(value)
        except OverflowError:  # an int beyond every float
            number = math.inf
        if math.isfinite(number) and low <= number <= high and not (above and number == low):
            return number
    bounds = f"above {low:g}" if above else f">= {low:g}"
    bounds += f", at most {high:g}" if high < math.inf else ""
    shown = repr(value) if len(repr(value)) <= 40 else repr(value)[:37] + "..."
    raise InputError(
        Violation(f"expected a finite number {bounds}, got {shown}", argument=argument)
    )


def _render(lines: list[str], noun: str) -> str:
    if len(lines) == 1:
        return lines[0]
    shown = lines[:MAX_REPORTED]
    head = f"{len(lines)} {noun}s found:"
    more = [f"... and {len(lines) - MAX_REPORTED} more"] if len(lines) > MAX_REPORTED else []
    return "\n".join([head, *(f"  - {line}" for line in shown), *more])
