"""The solver-neutral pairing problem: what every rule compiles into, and all a solver reads.

Mentors are rows ``0..m-1`` and mentees columns ``0..n-1``. The problem is to
choose pairs maximising the total score such that

- a pair is taken only where ``allowed`` is True;
- a mentee gets at most one mentor; mentor ``i`` at most ``capacity[i]`` mentees;
- the number of pairs lies in ``[min_pairs, max_pairs]``;
- for each group limit, at most ``limit.max`` chosen pairs lie in ``limit.pairs``;
- every locked pair is taken.

A pair with a negative score is taken only when ``min_pairs`` (or a lock) demands it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from numpy.typing import NDArray

__all__ = ["GroupLimit", "Problem"]

Side = Literal["mentee", "mentor", "pairs"]


@dataclass(frozen=True, eq=False)
class GroupLimit:
    """At most ``max`` chosen pairs among the pairs marked in ``pairs``.

    Parameters
    ----------
    pairs : ndarray of bool, shape (m, n)
        The pairs the limit counts.
    max : int
        The most pairs that may be chosen among them.
    rule : str
        The rule it comes from, in the programme's words, for conflicts and explanations.

    Examples
    --------
    >>> import numpy as np
    >>> nordland = np.array([[True, False], [True, False]])   # pairs whose mentee is 0
    >>> GroupLimit(nordland, max=1, rule="RegionQuota(max=1): Nordland").side
    'mentee'
    """

    pairs: NDArray[np.bool_]
    max: int
    rule: str

    @property
    def side(self) -> Side:
        """``"mentee"`` when the group is whole mentee columns, ``"mentor"`` when whole
        mentor rows, else ``"pairs"``. One-sided groups keep the problem a network flow."""
        columns = self.pairs.any(axis=0)
        if np.array_equal(self.pairs, np.broadcast_to(columns, self.pairs.shape)):
            return "mentee"
        rows = self.pairs.any(axis=1)
        if np.array_equal(self.pairs, np.broadcast_to(rows[:, None], self.pairs.shape)):
            return "mentor"
        return "pairs"


@dataclass(frozen=True, eq=False)
class Problem:
    """A pairing problem, independent of any solver.

    Build it with :meth:`Problem.build`, which validates and copies its inputs.

    Examples
    --------
    >>> p = Problem.build([[0.9, 0.1], [0.4, 0.8]], capacity=1, max_pairs=2)
    >>> p.shape, p.capacity.tolist(), p.min_pairs, p.max_pairs
    ((2, 2), [1, 1], 0, 2)
    """

    scores: NDArray[np.float64]
    allowed: NDArray[np.bool_]
    capacity: NDArray[np.int64]
    min_pairs: int
    max_pairs: int
    groups: tuple[GroupLimit, ...] = ()
    locked: tuple[tuple[int, int], ...] = ()
    labels: dict[str, str] = field(default_factory=dict)
    """How to name the pair-count bounds in messages, e.g.
    ``{"min_pairs": "PairCount(min=8)"}``; defaults to the argument names."""

    @property
    def shape(self) -> tuple[int, int]:
        """(number of mentors, number of mentees)."""
        m, n = self.scores.shape
        return m, n

    @classmethod
    def build(
        cls,
        scores: object,
        *,
        allowed: object = None,
        capacity: object = 1,
        min_pairs: int | None = None,
        max_pairs: int | None = None,
        groups: tuple[GroupLimit, ...] = (),
        locked: tuple[tuple[int, int], ...] = (),
        labels: dict[str, str] | None = None,
    ) -> Problem:
        """Validate and copy the inputs into a read-only problem.

        Raises ``mm.InputError`` naming the argument for NaN/inf or non-numeric
        scores, a mask of another shape, a negative capacity, or
        ``min_pairs > max_pairs``.

        Examples
        --------
        >>> Problem.build([[1.0, float("nan")]])
        Traceback (most recent call last):
        ...
        mentormatch.errors.InputError: argument 'scores': expected finite numbers, found NaN or inf at (0, 1)
        """
        raise NotImplementedError  # the solver issue (#3) writes this
