"""Plain assignment, exact in floating point: scipy's ``linear_sum_assignment``, or
for large matrices the candidate pairs with a certificate of optimality.

Capacities become repeated mentor rows. Without a pair-count minimum, forbidden
pairs and negative scores become 0 and are dropped from the answer, which keeps
the optimum because taking a pair is never required. When the minimum asks for
as many pairs as can exist (a full assignment, as in the OR-Library's
instances), every pair counts as it is and forbidden pairs are infeasible
entries. Large matrices (``CERTIFY_FROM`` cells and up, decided by
``benchmarks/``) are solved on candidate pairs and proven optimal over all pairs
by :mod:`~mentormatch.solvers.candidates`, falling back to scipy when that
cannot be done.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import linear_sum_assignment

from mentormatch.problem import Problem
from mentormatch.solvers import NoSolutionError, Solution, proven
from mentormatch.solvers.candidates import certified_assignment

__all__ = ["CERTIFY_FROM", "solve", "supports"]

NAME = "lsa"
MAX_ROW_GROWTH = 2
"""Repeat mentor rows for capacities only while the matrix grows at most this much."""
CERTIFY_FROM = 1_000_000
"""Matrices of at least this many cells (n = 1,000 and up) go through candidates and a
certificate: measured faster than scipy from there, slower on small or tie-heavy ones."""


def supports(problem: Problem) -> str | None:
    """``None`` when the problem is plain assignment, else why this solver does not apply.

    Examples
    --------
    >>> supports(Problem.build([[1.0, 2.0]], min_pairs=1)) is None  # the full assignment
    True
    >>> supports(Problem.build([[1.0, 2.0], [3.0, 4.0]], max_pairs=1))
    'has a binding maximum number of pairs'
    """
    m, n = problem.shape
    if problem.groups or problem.locked:
        return "has group limits or locked pairs"
    full = min(n, int(problem.capacity.sum()))
    if 0 < problem.min_pairs < full:
        return "has a minimum number of pairs below the most that can exist"
    if problem.max_pairs < full:
        return "has a binding maximum number of pairs"
    if problem.capacity.sum() > MAX_ROW_GROWTH * max(m, n):
        return "capacities would repeat too many mentor rows"
    return None


def solve(problem: Problem, time_limit: float | None = None, seed: int = 0) -> Solution:
    """Solve a plain problem exactly (``time_limit`` and ``seed`` do not apply).

    Raises ``NoSolutionError`` when a full assignment is demanded and the allowed
    pairs hold none.
    """
    if problem.min_pairs > min(problem.shape[1], int(problem.capacity.sum())):
        raise NoSolutionError
    whole = problem.min_pairs > 0
    gains = _gains(problem, whole)
    capacity = problem.capacity
    rows = None if (capacity == 1).all() else np.repeat(np.arange(problem.shape[0]), capacity)
    matrix = gains if rows is None else gains[rows]
    chosen_rows, mentees, bound = _assignment(matrix)
    mentors = chosen_rows if rows is None else rows[chosen_rows]
    keep = problem.allowed[mentors, mentees]
    if not whole:
        keep &= problem.scores[mentors, mentees] > 0
    pairs = sorted(zip(mentors[keep].tolist(), mentees[keep].tolist(), strict=True))
    if bound is None:
        return Solution(pairs, "optimal")
    scores = problem.scores  # the largest absolute score, without an absolute copy
    largest = max(-float(scores.min(initial=0.0)), float(scores.max(initial=0.0)))
    return proven(pairs, problem.total(pairs), bound, largest)


def _assignment(
    matrix: NDArray[np.float64],
) -> tuple[NDArray[np.intp], NDArray[np.intp], float | None]:
    """Rows, columns and (when proven by prices rather than solved densely) the bound of a
    largest-total assignment of the smaller side."""
    tall = matrix.shape[0] > matrix.shape[1]
    if matrix.size >= CERTIFY_FROM:
        found = certified_assignment(np.ascontiguousarray(matrix.T) if tall else matrix)
        if found is not None:
            rows, columns = (found.columns, found.rows) if tall else (found.rows, found.columns)
            return rows, columns, found.bound
    try:
        rows, columns = linear_sum_assignment(matrix, maximize=True)
    except ValueError:  # scipy: "cost matrix is infeasible"
        raise NoSolutionError from None
    return rows, columns, None


def _gains(problem: Problem, whole: bool) -> NDArray[np.float64]:
    """The scores as the assignment maximises them, copied only when needed: for a full
    assignment, -inf where not allowed; else forbidden pairs and negative scores at 0."""
    if whole:
        if problem.allowed.all():
            return problem.scores
        return np.where(problem.allowed, problem.scores, -np.inf)
    if problem.allowed.all() and problem.scores.min(initial=0.0) >= 0:
        return problem.scores
    gains: NDArray[np.float64] = np.where(problem.allowed, np.maximum(problem.scores, 0.0), 0.0)
    return gains
