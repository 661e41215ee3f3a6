"""The solvers behind :func:`mm.assign`, one module each, all reading a lock-free :class:`Problem`.

Each module declares what it supports (``supports(problem) -> str | None``: ``None``
when it can solve the problem exactly, else why not) and solves it
(``solve(problem, time_limit, seed) -> Solution``), raising only neutral outcomes
(:class:`NoSolutionError` when there is proven to be no pairing, :class:`OutOfTimeError`
when time ran out before one was found), which ``mentormatch.assignment.solve`` alone
turns into the user's errors. The solvers:

- ``lsa``: scipy's ``linear_sum_assignment``, for plain assignment (capacities,
  forbidden pairs, no binding pair-count bound, no group limits);
- ``flow``: OR-Tools' min-cost flow, for every problem that is a network flow
  (pair-count bounds and one-sided group limits too);
- ``cpsat``: OR-Tools' CP-SAT, for every problem.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

__all__ = ["OPTIMALITY_GAP", "Integers", "NoSolutionError", "OutOfTimeError", "Solution", "proven"]

OPTIMALITY_GAP = 1e-6
"""A solution is "optimal" only when its proven bound exceeds its total by at most this
fraction of the larger of the two in magnitude (or of the largest score, if larger).
Integer solvers round the scores; the rounding allowance is part of the bound, so the
bound is always proven, and their resolution (about 1e-9 of the largest score or finer)
keeps the gap far below this."""

EXACT_INTEGERS = 2.0**51
"""Scaled scores stay below this magnitude, where float64 still rounds to within 1/4."""


@dataclass(frozen=True)
class Solution:
    """What a solver found: chosen ``(mentor, mentee)`` index pairs, whether proven optimal,
    and a proven upper bound on the total score (``None`` when the pairs are exactly optimal)."""

    pairs: list[tuple[int, int]]
    status: Literal["optimal", "feasible"]
    bound: float | None = None


class NoSolutionError(Exception):
    """Raised by a solver that proved the problem has no feasible pairing."""


class OutOfTimeError(Exception):
    """Raised by a solver whose time limit ran out before it found any feasible pairing
    (nor proved there is none); ``detail`` says what it searched, if more than the problem."""

    def __init__(self, detail: str = "") -> None:
        super().__init__(detail)
        self.detail = detail


@dataclass(frozen=True)
class Integers:
    """Scores rounded to integers for an integer solver, with what the rounding may cost.

    ``gains`` are ``round(score * scale)``; every pair's scaled score lies within
    ``slack`` units of its integer (float arithmetic included), so a bound ``B`` on the
    integer problem with at most ``k`` pairs bounds the scores by ``(B + k * slack) / scale``.

    Examples
    --------
    >>> import numpy as np
    >>> rounded = Integers.of(np.array([1e-12, 3e-12]), headroom=1e9)
    >>> rounded.gains.tolist(), round(rounded.slack, 3)
    ([333333333, 1000000000], 0.333)
    >>> Integers.of(np.zeros(2), headroom=1e9).slack
    0.0
    """

    gains: NDArray[np.int64]
    scale: float
    slack: float
    largest: float

    @classmethod
    def of(
        cls, scores: NDArray[np.float64], headroom: float, largest: float | None = None
    ) -> Integers:
        """Scale so the largest absolute score (or ``largest``, when scores to be rounded
        later may be larger) becomes ``headroom`` units (at most 2**51, where float64
        still holds integers), relative to the scores, never an absolute cap."""
        largest = max(float(np.abs(scores).max(initial=0.0)), largest or 0.0)
        scale = min(headroom, EXACT_INTEGERS) / largest if largest > 0 else 1.0
        scaled = scores * scale
        gains = np.rint(scaled)
        slack = float(np.abs(scaled - gains).max(initial=0.0)) + largest * scale * 2.0**-52
        return cls(gains.astype(np.int64), scale, slack, largest)

    def bound(self, integer_bound: float, pairs: int) -> float:
        """A proven bound on the float total, from a bound on the integer total of ``pairs``
        pairs at most."""
        return (integer_bound + pairs * self.slack) / self.scale


def proven(
    pairs: Sequence[tuple[int, int]], total: float, bound: float, largest: float
) -> Solution:
    """The solution of an integer solver: "optimal" only within :data:`OPTIMALITY_GAP`.

    ``total`` is the float sum of the pairs' scores, ``bound`` a proven upper bound and
    ``largest`` the largest absolute score, the measure of the gap when the total is smaller.

    Examples
    --------
    >>> proven([(0, 0)], 0.5, bound=0.5 + 1e-12, largest=1.0).status
    'optimal'
    >>> proven([(0, 0)], 0.5, bound=0.6, largest=1.0).status
    'feasible'
    """
    bound = max(bound, total)
    scale = max(abs(bound), abs(total), largest)
    status: Literal["optimal", "feasible"] = (
        "optimal" if bound - total <= OPTIMALITY_GAP * scale else "feasible"
    )
    return Solution(sorted(pairs), status, bound)
