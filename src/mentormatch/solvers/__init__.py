"""The solvers behind :func:`mm.assign`, one module each, all reading a lock-free :class:`Problem`.

Each module declares what it supports (``supports(problem) -> str | None``: ``None``
when it can solve the problem exactly, else why not) and solves it
(``solve(problem, time_limit, seed) -> Solution``):

- ``lsa``: scipy's ``linear_sum_assignment``, for plain assignment (capacities,
  forbidden pairs, no binding pair-count bound, no group limits);
- ``flow``: OR-Tools' min-cost flow, for every problem that is a network flow
  (pair-count bounds and one-sided group limits too);
- ``cpsat``: OR-Tools' CP-SAT, for every problem.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["NoSolutionError", "Solution"]


@dataclass(frozen=True)
class Solution:
    """What a solver found: chosen ``(mentor, mentee)`` index pairs, whether proven optimal,
    and a proven upper bound on the total score (``None`` when the pairs are proven optimal)."""

    pairs: list[tuple[int, int]]
    status: Literal["optimal", "feasible"]
    bound: float | None = None


class NoSolutionError(Exception):
    """Raised by a solver that proved the problem has no feasible pairing."""
