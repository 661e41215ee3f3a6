"""What "best" means: the total, or a lexicographic objective solved exactly in stages.

- ``"total"``: the largest sum of pair scores (the default).
- ``"coverage"``: first the most pairs the rules allow, then the largest total among
  pairings with that many pairs. For programmes that want everyone they can pair
  paired, even where a few weak pairs lower the total.
- ``"fair"``: as many pairs as ``"coverage"``, then the best *worst* pair, then the
  largest total among those. For programmes where one poor pair costs more than a
  slightly lower average (a sum can hide one bad pair behind many good ones).
  Fewer pairs would always raise the worst one, so the number of pairs is fixed
  first.

Each stage is solved exactly and fixed as a constraint of the next, through
:func:`~mentormatch.assignment.solve`, so network-flow problems stay on the flow
path: the most pairs is a solve with every score 1; the best worst pair is a binary
search over the distinct scores, each step asking whether that many pairs exist
among the pairs scoring at least the threshold. The result's bound is on the total
among pairings that reach the earlier stages' values; its status is "optimal" only
when every stage was proven.
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Literal, get_args

import numpy as np

from mentormatch.assignment import Assignment, solve
from mentormatch.errors import InfeasibleError, InputError, TimeLimitError, Violation
from mentormatch.problem import Problem

__all__ = ["OBJECTIVES", "Objective", "best_worst", "check_objective", "optimise"]

Objective = Literal["total", "fair", "coverage"]
OBJECTIVES: tuple[str, ...] = get_args(Objective)


def check_objective(objective: object) -> Objective:
    """The objective, or ``InputError`` naming the argument.

    Examples
    --------
    >>> check_objective("fairness")
    Traceback (most recent call last):
    ...
    mentormatch.errors.InputError: argument 'objective': expected one of 'total', 'fair', ...
    """
    if objective not in OBJECTIVES:
        raise InputError(
            Violation(
                f"expected one of {', '.join(map(repr, OBJECTIVES))}, got {objective!r}",
                argument="objective",
            )
        )
    chosen: Objective = objective  # type: ignore[assignment]
    return chosen


def optimise(
    problem: Problem,
    objective: Objective = "total",
    time_limit: float | None = None,
    seed: int = 0,
) -> Assignment:
    """The best pairs under ``objective``, solved exactly stage by stage.

    ``time_limit`` bounds the whole; a stage it cuts short makes the status "feasible".

    Examples
    --------
    >>> p = Problem.build([[0.9, 0.5], [0.5, 0.2]])
    >>> [(a.pairs, round(a.objective, 2)) for a in (optimise(p), optimise(p, "fair"))]
    [([(0, 0), (1, 1)], 1.1), ([(0, 1), (1, 0)], 1.0)]
    >>> p = Problem.build([[1.0, 0.2], [0.0, 0.0]], allowed=[[True, True], [False, True]])
    >>> optimise(p).pairs, optimise(p, "coverage").pairs
    ([(0, 0)], [(0, 0), (1, 1)])
    """
    check_objective(objective)
    if objective == "total":
        return solve(problem, time_limit=time_limit, seed=seed)
    clock = _Clock(time_limit)
    most = solve(_counting(problem), time_limit=clock.left(), seed=seed)
    proven = most.status == "optimal"
    covered = replace(problem, min_pairs=len(most.pairs))
    if objective == "fair" and most.pairs:
        threshold, settled = _best_worst(covered, clock, seed)
        proven &= settled
        covered = replace(covered, allowed=covered.allowed & (covered.scores >= threshold))
    found = solve(covered, time_limit=clock.left(), seed=seed)
    return replace(
        found,
        status="optimal" if proven and found.status == "optimal" else "feasible",
        wall_time=clock.spent(),
    )


def best_worst(
    problem: Problem, pairs: int, time_limit: float | None = None, seed: int = 0
) -> float:
    """The largest worst pair score of any pairing with ``pairs`` pairs under the rules.

    Examples
    --------
    >>> best_worst(Problem.build([[0.9, 0.5], [0.5, 0.2]]), 2)
    0.5
    """
    threshold, _ = _best_worst(replace(problem, min_pairs=pairs), _Clock(time_limit), seed)
    return threshold


def _counting(problem: Problem) -> Problem:
    """The problem with every score 1: its optimum is the most pairs."""
    ones = np.ones(problem.shape)
    ones.flags.writeable = False
    return replace(problem, scores=ones)


def _best_worst(problem: Problem, clock: _Clock, seed: int) -> tuple[float, bool]:
    """The largest threshold at which ``min_pairs`` pairs scoring at least it exist, found
    by binary search over the distinct scores; and whether every step was settled."""
    values = np.unique(problem.scores[problem.usable])
    low, high = 0, len(values) - 1  # values[low] is always reachable: every usable pair
    settled = True
    while low < high:
        middle = (low + high + 1) // 2
        reachable, known = _reachable(problem, float(values[middle]), clock, seed)
        settled &= known
        if reachable:
            low = middle
        else:
            high = middle - 1
    return float(values[low]), settled


def _reachable(problem: Problem, threshold: float, clock: _Clock, seed: int) -> tuple[bool, bool]:
    """Whether ``min_pairs`` pairs scoring at least ``threshold`` keep every rule, and
    whether that was settled before the time limit."""
    trial = replace(_counting(problem), allowed=problem.allowed & (problem.scores >= threshold))
    try:
        found = solve(trial, time_limit=clock.left(), seed=seed)
    except InfeasibleError:
        return False, True
    except TimeLimitError:
        return False, False
    return len(found.pairs) >= problem.min_pairs, True


class _Clock:
    """What is left of a time limit shared by several solves."""

    def __init__(self, limit: float | None) -> None:
        self.limit, self.start = limit, time.perf_counter()

    def spent(self) -> float:
        return time.perf_counter() - self.start

    def left(self) -> float | None:
        return None if self.limit is None else max(0.0, self.limit - self.spent())
