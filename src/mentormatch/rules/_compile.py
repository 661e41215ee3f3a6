"""Compile a cohort's rules, each once, into one solver-neutral problem."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from mentormatch.cohort import Cohort
from mentormatch.errors import InputError, Violation
from mentormatch.problem import Problem
from mentormatch.rules._base import Context, Draft, _Rule
from mentormatch.rules._union import Rule

__all__ = ["check_rule", "compile_rules"]


def compile_rules(cohort: Cohort, rules: Iterable[Rule], matrix: pd.DataFrame) -> Problem:
    """Compile the rules, each once, into one problem over the score matrix.

    Parameters
    ----------
    cohort : Cohort
        The people; mentor capacity comes from their ``capacity``. Not modified.
    rules : iterable of Rule
        The programme's rules.
    matrix : DataFrame
        Scores, index the cohort's mentor ids and columns its mentee ids; the
        problem's rows and columns follow its order.

    Returns
    -------
    Problem
        Rows are mentors, columns mentees, in the order of the matrix, with the
        ids, and per rule (``str(rule)``) the pairs it rules out.

    Raises
    ------
    InputError
        For ids the cohort lacks (in ``Lock``/``Forbid`` or the matrix), missing
        coordinates under ``MaxDistance``, or something that is not a rule.
    InfeasibleError
        When locks clash with other rules, capacities or limits, or pair-count
        bounds contradict; ``.conflicts`` names the rules and the people's ids.

    Examples
    --------
    >>> from mentormatch.intake import example_cohort
    >>> cohort = example_cohort()
    >>> ids = sorted(p.id for p in cohort.mentors), sorted(p.id for p in cohort.mentees)
    >>> matrix = pd.DataFrame(0.5, *ids)
    >>> from mentormatch.rules import Forbid, Lock, PairCount
    >>> rules = [Forbid("M001", "E003"), Lock("M001", "E003")]
    >>> compile_rules(cohort, rules, matrix)
    Traceback (most recent call last):
    ...
    mentormatch.errors.InfeasibleError: Lock('M001', 'E003') clashes with Forbid('M001', ...
    >>> compile_rules(cohort, [PairCount(8, 15)], matrix).labels["min_pairs"]
    'PairCount(min=8)'
    """
    draft = Draft(_context(cohort, matrix))
    for position, rule in enumerate(rules, start=1):
        check_rule(rule, position).compile(draft)
    return draft.finish(matrix.to_numpy(dtype=np.float64))


def _context(cohort: Cohort, matrix: pd.DataFrame) -> Context:
    if not isinstance(matrix, pd.DataFrame):
        raise InputError(
            Violation(f"expected a DataFrame, got {type(matrix).__name__}", argument="matrix")
        )
    for role, axis, people in (
        ("mentor", matrix.index, cohort.mentors),
        ("mentee", matrix.columns, cohort.mentees),
    ):
        if sorted(map(str, axis)) != sorted(p.id for p in people) or not axis.is_unique:
            raise InputError(
                Violation(
                    f"expected the {'index' if role == 'mentor' else 'columns'} to be "
                    f"the cohort's {role} ids, each once",
                    argument="matrix",
                )
            )
    by_id = {p.id: p for p in cohort.profiles}
    return Context(
        tuple(by_id[str(i)] for i in matrix.index), tuple(by_id[str(j)] for j in matrix.columns)
    )


def check_rule(rule: object, position: int) -> _Rule:
    """The rule at ``position`` (from 1) of a rule list; ``InputError`` if it is not one."""
    if not isinstance(rule, _Rule):
        raise InputError(
            Violation(
                f"item {position}: expected a rule such as PairCount(min=8, max=15), "
                f"got {type(rule).__name__}",
                argument="rules",
            )
        )
    return rule
