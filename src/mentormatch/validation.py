"""Arguments checked at the door of every public function, in one voice.

Each entry point (``assign``, ``solve``, ``match``, ``score``) has a table in
:data:`PARAMETERS`: argument name -> :class:`Constraint`, what the argument must be.
:func:`check_arguments` checks a call against its table and reports every bad
argument together in one ``mm.InputError``, each as
``argument 'seed': expected a whole number from 0 to 2147483647, got 'x'``.

A constraint without a check (``where`` says where instead) is checked where the
value is used: the score matrix, capacities and pair bounds by ``Problem.build``,
the solver's name by the solver registry, weights by ``mm.score`` (which knows the
criteria's names, so that every problem of the weights is reported at once), each
rule and criterion as it is read.
Its ``expected`` text still documents it, and the tests walk every entry.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from numbers import Real
from typing import TypeGuard

import numpy as np
import pandas as pd

from mentormatch.cohort import Cohort
from mentormatch.errors import InputError, Violation
from mentormatch.problem import Problem
from mentormatch.rules._base import _Rule

__all__ = ["PARAMETERS", "Constraint", "check_arguments", "shown"]

MAX_SEED = 2**31 - 1
"""The largest seed: CP-SAT's random seed is a 32-bit integer."""

Check = Callable[[object, Mapping[str, object]], bool]
"""``(value, all arguments of the call) -> whether the value is acceptable``."""


@dataclass(frozen=True)
class Constraint:
    """What one argument must be.

    Parameters
    ----------
    expected : str
        In words, completing "expected ...".
    holds : callable, optional
        ``(value, arguments) -> bool``; ``None`` when the value is checked where it
        is used, named by ``where``.
    advice : callable, optional
        ``value -> str`` or ``None``: a hint added after a refusal, such as
        ``pass a list: rules=[PairCount(min=8)]``.
    where : str
        Where a constraint without ``holds`` is checked.

    Examples
    --------
    >>> SEED.holds(3, {}), SEED.holds("3", {})
    (True, False)
    """

    expected: str
    holds: Check | None = None
    advice: Callable[[object], str | None] | None = None
    where: str = ""


def _real(value: object) -> TypeGuard[float | np.integer | np.floating]:
    return isinstance(value, Real | np.integer | np.floating) and not isinstance(
        value, bool | np.bool_
    )


def _whole(value: object) -> TypeGuard[int | np.integer]:
    return isinstance(value, int | np.integer) and not isinstance(value, bool | np.bool_)


def _seconds(value: object, _: Mapping[str, object]) -> bool:
    return value is None or (_real(value) and math.isfinite(float(value)) and float(value) >= 0)


def _objective(value: object, _: Mapping[str, object]) -> bool:
    from mentormatch.objectives import OBJECTIVES  # it solves through assignment: import late

    return isinstance(value, str) and value in OBJECTIVES


def _seed(value: object, _: Mapping[str, object]) -> bool:
    return _whole(value) and 0 <= int(value) <= MAX_SEED


def _many(value: object) -> bool:
    """An iterable of several things, not text, a mapping or a lone model."""
    return isinstance(value, Iterable) and not isinstance(
        value, str | bytes | Mapping | _Rule | pd.DataFrame
    )


def _rules(value: object, _: Mapping[str, object]) -> bool:
    return value is None or _many(value)


def _criteria(value: object, _: Mapping[str, object]) -> bool:
    return _many(value)


def _lone(name: str) -> Callable[[object], str | None]:
    """Advice for one thing passed where a list of them is expected."""

    def advice(value: object) -> str | None:
        if isinstance(value, _Rule):
            return f"pass a list: {name}=[{value!r}]"
        if hasattr(value, "name") and callable(value):
            return f"pass a list: {name}=[{type(value).__name__}(...)]"
        return None

    return advice


def _cohort_advice(value: object) -> str | None:
    if isinstance(value, pd.DataFrame):
        return "make one with mm.Cohort.from_frame(df)"
    if isinstance(value, str) or hasattr(value, "__fspath__"):
        return "read the file with mm.read_cohort(path)"
    return None


def _forbidden(value: object, arguments: Mapping[str, object]) -> bool:
    if value is None:
        return True
    mask = np.asarray(value)
    scores = np.shape(np.asarray(arguments.get("scores"), dtype=object))
    same = mask.shape == scores or len(scores) != 2  # a bad matrix: Problem.build says why
    return mask.dtype == np.bool_ and same


def _problem(value: object, _: Mapping[str, object]) -> bool:
    return isinstance(value, Problem)


def _cohort(value: object, _: Mapping[str, object]) -> bool:
    return isinstance(value, Cohort)


TIME_LIMIT = Constraint("a number of seconds >= 0, or None for no limit", _seconds)
SEED = Constraint(f"a whole number from 0 to {MAX_SEED}", _seed)
COHORT = Constraint(
    "a mm.Cohort (from mm.read_cohort or mm.Cohort.from_frame)", _cohort, _cohort_advice
)
RULES = Constraint(
    "a list of rules such as [mm.PairCount(min=8, max=15)], or None for the pilot's",
    _rules,
    _lone("rules"),
)
WEIGHTS = Constraint(
    "a mapping of criterion name to a finite number >= 0 such as {'themes': 3}, "
    "or None for the defaults",
    where="mm.score, which knows the criteria's names",
)
CRITERIA = Constraint(
    "a list of criteria, each with a text `name` and a call (mentors, mentees) -> array",
    _criteria,
    _lone("criteria"),
)
FORBIDDEN = Constraint(
    "a mask of booleans shaped like scores (True = not allowed), or None", _forbidden
)
PROBLEM = Constraint("a Problem (from mentormatch.problem.Problem.build)", _problem)
CANDIDATES = Constraint(
    "a whole number >= 1 of candidate pairs per mentee, or None to choose by size",
    lambda value, _: value is None or (_whole(value) and int(value) >= 1),
)
OBJECTIVE = Constraint("'total', 'fair' or 'coverage' (see mentormatch.objectives)", _objective)


def _built(expected: str) -> Constraint:
    return Constraint(expected, where="Problem.build")


PARAMETERS: Mapping[str, Mapping[str, Constraint]] = {
    "assign": {
        "scores": _built("a 2-D array of finite real numbers (mentors x mentees), maximised"),
        "capacity": _built("a whole number >= 0, or one per mentor"),
        "min_pairs": _built("a whole number >= 0, at most max_pairs, or None"),
        "max_pairs": _built("a whole number >= 0, or None for as many as capacities allow"),
        "forbidden": FORBIDDEN,
        "time_limit": TIME_LIMIT,
        "seed": SEED,
    },
    "solve": {
        "problem": PROBLEM,
        "solver": Constraint("'auto' or a solver's name", where="the solver registry"),
        "time_limit": TIME_LIMIT,
        "seed": SEED,
    },
    "match": {
        "cohort": COHORT,
        "rules": RULES,
        "weights": WEIGHTS,
        "time_limit": TIME_LIMIT,
        "seed": SEED,
        "criteria": CRITERIA,
        "objective": OBJECTIVE,
        "candidates": CANDIDATES,
    },
    "score": {"cohort": COHORT, "weights": WEIGHTS, "criteria": CRITERIA},
}
"""Per public function, what each of its arguments must be."""


def check_arguments(function: str, arguments: Mapping[str, object]) -> None:
    """Check a call's arguments against ``PARAMETERS[function]``; report every bad one.

    Raises
    ------
    mm.InputError
        One violation per bad argument, each naming it.

    Examples
    --------
    >>> check_arguments("solve", {"problem": Problem.build([[1.0]]), "solver": "auto",
    ...                           "time_limit": -1, "seed": "x"})
    Traceback (most recent call last):
    ...
    mentormatch.errors.InputError: 2 problems found:
      - argument 'time_limit': expected a number of seconds >= 0, or None for no limit, got -1
      - argument 'seed': expected a whole number from 0 to 2147483647, got 'x'
    """
    table = PARAMETERS[function]
    violations = []
    for name, constraint in table.items():
        value = arguments.get(name)
        if constraint.holds is None or constraint.holds(value, arguments):
            continue
        message = f"expected {constraint.expected}, got {shown(value)}"
        advice = constraint.advice(value) if constraint.advice else None
        violations.append(Violation(f"{message}; {advice}" if advice else message, argument=name))
    if violations:
        raise InputError(violations)


def shown(value: object, width: int = 60) -> str:
    """A value as an error message shows it: short, and arrays by dtype and shape.

    Examples
    --------
    >>> import numpy as np
    >>> shown("x"), shown(np.zeros((2, 3))), shown(list(range(40)))[-12:]
    ("'x'", 'an array of float64, shape (2, 3)', '... (list)')
    """
    if isinstance(value, np.ndarray):
        return f"an array of {value.dtype}, shape {value.shape}"
    if isinstance(value, pd.DataFrame):
        return f"a DataFrame, shape {value.shape}"
    text = repr(value)
    return text if len(text) <= width else f"{text[: width - 3]}... ({type(value).__name__})"
