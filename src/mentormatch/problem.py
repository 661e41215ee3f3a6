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

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal, TypeVar

import numpy as np
from numpy.typing import NDArray

from mentormatch.errors import InputError, Violation

__all__ = ["GroupLimit", "Problem"]

Side = Literal["mentee", "mentor", "pairs"]
_T = TypeVar("_T", bound=np.generic)


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

    @cached_property
    def side(self) -> Side:
        """``"mentee"`` when the group is whole mentee columns, ``"mentor"`` when whole
        mentor rows, else ``"pairs"``. One-sided groups keep the problem a network flow."""
        columns = self.pairs.any(axis=0)
        if np.array_equal(self.pairs, np.broadcast_to(columns, self.pairs.shape)):
            return "mentee"
        rows = self.pairs.any(axis=1, keepdims=True)
        if np.array_equal(self.pairs, np.broadcast_to(rows, self.pairs.shape)):
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
    forbidden_by: dict[str, NDArray[np.bool_]] = field(default_factory=dict)
    """Per rule (as written), the pairs it rules out, so that conflicts can name it."""
    mentor_ids: tuple[str, ...] = ()
    """The mentors' ids, for messages; empty means "mentor 0", "mentor 1", ..."""
    mentee_ids: tuple[str, ...] = ()
    """The mentees' ids, for messages; empty means "mentee 0", "mentee 1", ..."""

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
        forbidden_by: dict[str, NDArray[np.bool_]] | None = None,
        mentor_ids: tuple[str, ...] = (),
        mentee_ids: tuple[str, ...] = (),
    ) -> Problem:
        """Validate and copy the inputs into a read-only problem.

        ``allowed=None`` allows every pair; ``max_pairs=None`` means as many as
        capacities allow; ``min_pairs=None`` means 0.

        Raises ``mm.InputError`` naming the argument for NaN/inf or non-numeric
        scores, a mask of another shape, a negative capacity, or
        ``min_pairs > max_pairs``.

        Examples
        --------
        >>> Problem.build([[1.0, float("nan")]])
        Traceback (most recent call last):
        ...
        mentormatch.errors.InputError: argument 'scores': expected finite numbers, ...
        """
        matrix = _scores(scores)
        m, n = matrix.shape
        mask = np.ones((m, n), dtype=bool) if allowed is None else _mask(allowed, (m, n))
        caps = _capacity(capacity, m)
        most = int(min(n, caps.sum()))
        low = 0 if min_pairs is None else _count(min_pairs, "min_pairs")
        high = most if max_pairs is None else min(_count(max_pairs, "max_pairs"), most)
        if max_pairs is not None and min_pairs is not None and low > max_pairs:
            raise _error(f"expected min_pairs <= max_pairs, got {low} > {max_pairs}", "min_pairs")
        for group in groups:
            _mask(group.pairs, (m, n), f"groups ({group.rule})")
        for i, j in locked:
            if not (0 <= i < m and 0 <= j < n):
                raise _error(
                    f"expected (mentor, mentee) indices in range, got ({i}, {j})", "locked"
                )
        return cls(
            scores=_frozen(matrix),
            allowed=_frozen(mask),
            capacity=_frozen(caps),
            min_pairs=low,
            max_pairs=high,
            groups=_tightest(groups),
            locked=tuple(sorted({(int(i), int(j)) for i, j in locked})),
            labels=dict(labels or {}),
            mentor_ids=_ids(mentor_ids, m, "mentor_ids"),
            mentee_ids=_ids(mentee_ids, n, "mentee_ids"),
            forbidden_by={
                rule: _frozen(_mask(pairs, (m, n), rule))
                for rule, pairs in (forbidden_by or {}).items()
            },
        )

    @cached_property
    def usable(self) -> NDArray[np.bool_]:
        """Pairs the rules allow with a mentor whose capacity is above 0.

        Examples
        --------
        >>> Problem.build([[1.0, 1.0]], allowed=[[True, False]]).usable.tolist()
        [[True, False]]
        """
        usable: NDArray[np.bool_] = self.allowed & (self.capacity > 0)[:, None]
        return usable

    def total(self, pairs: Iterable[tuple[int, int]]) -> float:
        """The sum of the scores over ``pairs``, in floats.

        Examples
        --------
        >>> Problem.build([[0.5, 0.25]]).total([(0, 0), (0, 1)])
        0.75
        """
        return float(sum(self.scores[i, j] for i, j in pairs))

    def ruled_out_by(self, i: int, j: int) -> list[str]:
        """The rules (as written in ``forbidden_by``) that rule out mentor ``i`` with mentee ``j``.

        Examples
        --------
        >>> import numpy as np
        >>> ruled = {"Forbid('m', 'e')": np.array([[True]])}
        >>> p = Problem.build([[1.0]], allowed=np.array([[False]]), forbidden_by=ruled)
        >>> p.ruled_out_by(0, 0)
        ["Forbid('m', 'e')"]
        """
        return [rule for rule, mask in self.forbidden_by.items() if mask[i, j]]

    def mentor(self, i: int) -> str:
        """``"mentor <id>"``, or ``"mentor <i>"`` without ids, for messages."""
        return f"mentor {self.mentor_ids[i] if self.mentor_ids else i}"

    def mentee(self, j: int) -> str:
        """``"mentee <id>"``, or ``"mentee <j>"`` without ids, for messages."""
        return f"mentee {self.mentee_ids[j] if self.mentee_ids else j}"

    def label(self, bound: str) -> str:
        """How messages name a pair-count bound, e.g. ``"PairCount(min=8)"`` or ``"min_pairs=8"``.

        Examples
        --------
        >>> Problem.build([[1.0]], min_pairs=1).label("min_pairs")
        'min_pairs=1'
        """
        return self.labels.get(bound, f"{bound}={getattr(self, bound)}")


def _tightest(groups: tuple[GroupLimit, ...]) -> tuple[GroupLimit, ...]:
    """The groups, with one-sided groups over the same people merged into the tightest."""
    kept: dict[tuple[str, bytes], GroupLimit] = {}
    for index, group in enumerate(groups):
        if group.side == "pairs":
            key = ("pairs", str(index).encode())
        else:
            members = group.pairs.any(axis=0 if group.side == "mentee" else 1)
            key = (group.side, np.packbits(members).tobytes())
        if key not in kept or group.max < kept[key].max:
            kept[key] = group
    return tuple(kept.values())


def _error(message: str, argument: str) -> InputError:
    return InputError(Violation(message, argument=argument))


def _frozen(array: NDArray[_T]) -> NDArray[_T]:
    """The array made read-only; callers hand in a copy of their own."""
    array.flags.writeable = False
    return array


def _scores(scores: object) -> NDArray[np.float64]:
    try:
        matrix = np.array(scores, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise _error(f"expected a 2-D array of numbers: {exc}", "scores") from None
    if matrix.ndim != 2:
        raise _error(f"expected a 2-D array (mentors x mentees), got {matrix.ndim}-D", "scores")
    if not np.isfinite(matrix).all():
        bad = np.argwhere(~np.isfinite(matrix))
        where = ", ".join(f"({i}, {j})" for i, j in bad[:5])
        raise _error(f"expected finite numbers, found NaN or inf at {where}", "scores")
    return matrix


def _mask(mask: object, shape: tuple[int, int], argument: str = "allowed") -> NDArray[np.bool_]:
    array = np.array(mask)
    if array.shape != shape:
        raise _error(f"expected a mask of shape {shape}, got {array.shape}", argument)
    if array.dtype != np.bool_:
        raise _error(f"expected a mask of booleans, got dtype {array.dtype}", argument)
    return array


def _capacity(capacity: object, m: int) -> NDArray[np.int64]:
    array = np.asarray(capacity)
    if array.ndim == 0:
        array = np.full(m, array)
    if array.shape != (m,):
        raise _error(
            f"expected an int or one int per mentor ({m}), got shape {array.shape}", "capacity"
        )
    if array.dtype.kind not in "iu" and not (
        array.dtype.kind == "f" and np.all(np.isfinite(array)) and np.all(array == np.round(array))
    ):
        raise _error(f"expected whole numbers, got {array.tolist()[:5]}", "capacity")
    caps = array.astype(np.int64)
    if (caps < 0).any():
        raise _error(f"expected numbers >= 0, got {int(caps.min())}", "capacity")
    return caps


def _ids(ids: tuple[str, ...], size: int, argument: str) -> tuple[str, ...]:
    if ids and len(ids) != size:
        raise _error(f"expected {size} ids, got {len(ids)}", argument)
    return tuple(ids)


def _count(value: object, argument: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 0:
        raise _error(f"expected a whole number >= 0, got {value!r}", argument)
    return int(value)
