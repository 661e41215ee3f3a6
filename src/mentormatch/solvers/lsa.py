"""Plain assignment with scipy's ``linear_sum_assignment``, exact in floating point.

Capacities become repeated mentor rows; forbidden pairs and negative scores
become 0 and are dropped from the answer, which keeps the optimum because
taking a pair is never required when ``min_pairs`` is 0.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import linear_sum_assignment

from mentormatch.problem import Problem
from mentormatch.solvers import Solution

__all__ = ["solve", "supports"]

NAME = "lsa"
MAX_ROW_GROWTH = 2
"""Repeat mentor rows for capacities only while the matrix grows at most this much."""


def supports(problem: Problem) -> str | None:
    """``None`` when the problem is plain assignment, else why this solver does not apply."""
    m, n = problem.shape
    if problem.groups or problem.locked:
        return "has group limits or locked pairs"
    if problem.min_pairs > 0:
        return "has a minimum number of pairs"
    if problem.max_pairs < min(n, int(problem.capacity.sum())):
        return "has a binding maximum number of pairs"
    if np.minimum(problem.capacity, n).sum() > MAX_ROW_GROWTH * max(m, n):
        return "capacities would repeat too many mentor rows"
    return None


def solve(problem: Problem, time_limit: float | None = None, seed: int = 0) -> Solution:
    """Solve a plain problem exactly (``time_limit`` and ``seed`` do not apply)."""
    gain = _gains(problem)
    capacity = np.minimum(problem.capacity, problem.shape[1])
    if (capacity == 1).all():
        mentors, mentees = linear_sum_assignment(gain, maximize=True)
    else:
        rows = np.repeat(np.arange(problem.shape[0]), capacity)
        chosen_rows, mentees = linear_sum_assignment(gain[rows], maximize=True)
        mentors = rows[chosen_rows]
    keep = problem.allowed[mentors, mentees] & (problem.scores[mentors, mentees] > 0)
    pairs = sorted(zip(mentors[keep].tolist(), mentees[keep].tolist(), strict=True))
    return Solution(pairs, "optimal")


def _gains(problem: Problem) -> NDArray[np.float64]:
    """The scores with forbidden pairs and negative scores at 0, copied only when needed."""
    if problem.allowed.all() and problem.scores.min(initial=0.0) >= 0:
        return problem.scores
    gains: NDArray[np.float64] = np.where(problem.allowed, np.maximum(problem.scores, 0.0), 0.0)
    return gains
