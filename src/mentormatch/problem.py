"""The solver-neutral pairing problem: what every rule compiles into, and all a solver reads.

Mentors are rows ``0..m-1`` and mentees columns ``0..n-1``. The problem is to
choose pairs maximising the total score such that

- a pair is taken only where ``allowed`` is True;
- a mentee gets at most one mentor; mentor ``i`` at most ``capacity[i]`` mentees;
- the number of pairs lies in ``[min_pairs, max_pairs]``;
- for each group limit, at least ``limit.min`` and at most ``limit.max`` chosen pairs
  lie in the group;
- every locked pair is taken;
- with ``preferences``, no blocking pair (see :class:`Preferences`).

A pair with a negative score is taken only when ``min_pairs`` (or a lock) demands it.
"""

from __future__ import annotations

import numbers
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Literal, TypeVar

import numpy as np
from numpy.typing import NDArray

from mentormatch.errors import InputError, Violation

__all__ = [
    "COUNTABLE",
    "HEADROOM",
    "UNRANKED",
    "GroupLimit",
    "Preferences",
    "Problem",
    "largest_score",
    "tightest",
]

Side = Literal["mentee", "mentor", "pairs"]
UNRANKED = 2**31 - 1
"""The rank of a partner a person did not list: below every listed one."""
COUNTABLE = 2**31 - 1
"""More pairs than any cohort holds; group limits beyond it are lowered (see :func:`tightest`)."""
HEADROOM = 4
"""Scores are refused when ``HEADROOM`` times the most pairs there can be times the largest
absolute score exceeds the largest float (see :func:`largest_score`)."""
_T = TypeVar("_T", bound=np.generic)


@dataclass(frozen=True, eq=False)
class GroupLimit:
    """At least ``min`` and at most ``max`` chosen pairs in a group of pairs.

    The group is the pairs of the mentors marked in ``mentors`` with the mentees
    marked in ``mentees`` (``None`` marks everyone on that side), so a quota over
    the mentees' regions is one label vector, never an n x m mask. With ``either``
    the group is instead the pairs whose mentor *or* mentee is marked (a pair counts
    once). A group that neither describes lists its ``pairs`` (see :meth:`from_mask`).

    Parameters
    ----------
    max : int
        The most pairs that may be chosen in the group.
    rule : str
        The rule it comes from, in the programme's words, for conflicts and explanations.
    mentors, mentees : ndarray of bool, shape (m,) and (n,), optional
        The people on each side the group counts; ``None`` counts everyone.
    pairs : ndarray of int, shape (k, 2), optional
        Instead of ``mentors``/``mentees``: the (mentor, mentee) pairs the group counts.
    min : int, default 0
        The fewest pairs that must be chosen in the group. Only CP-SAT holds minimums.
    either : bool, default False
        Count the pairs whose mentor is in ``mentors`` or whose mentee is in ``mentees``
        (both must be given), rather than those whose mentor and mentee both are.

    Examples
    --------
    >>> import numpy as np
    >>> nordland = GroupLimit(1, "RegionQuota(max=1): Nordland", mentees=np.array([True, False]))
    >>> nordland.side, nordland.contains(np.array([0, 1]), np.array([0, 1])).tolist()
    ('mentee', [True, False])
    >>> GroupLimit.from_mask(np.eye(2, dtype=bool), 1, "diagonal").side
    'pairs'
    >>> oslo = GroupLimit(2, "Quota('region', side='pair', max=2): Oslo", either=True,
    ...                   mentors=np.array([True, False]), mentees=np.array([False, True]))
    >>> oslo.side, oslo.contains(np.array([0, 1, 1]), np.array([0, 1, 0])).tolist()
    ('pairs', [True, True, False])
    """

    max: int
    rule: str
    mentors: NDArray[np.bool_] | None = None
    mentees: NDArray[np.bool_] | None = None
    pairs: NDArray[np.int64] | None = None
    min: int = 0
    either: bool = False

    @classmethod
    def from_mask(cls, mask: object, max: int, rule: str) -> GroupLimit:
        """The group of the pairs marked True in a dense (m, n) mask, stored as its side's
        people when it is whole mentee columns or mentor rows, else as a list of pairs.

        Examples
        --------
        >>> import numpy as np
        >>> GroupLimit.from_mask(np.array([[True, False], [True, False]]), 2, "q").side
        'mentee'
        """
        pairs = np.array(mask, dtype=bool)
        columns = np.asarray(pairs.any(axis=0), dtype=np.bool_)
        if np.array_equal(pairs, np.broadcast_to(columns, pairs.shape)):
            return cls(max, rule, mentees=columns)
        rows = np.asarray(pairs.any(axis=1), dtype=np.bool_)
        if np.array_equal(pairs, np.broadcast_to(rows[:, None], pairs.shape)):
            return cls(max, rule, mentors=rows)
        return cls(max, rule, pairs=np.argwhere(pairs).astype(np.int64))

    @cached_property
    def side(self) -> Side:
        """``"mentee"`` when the group is whole mentee columns, ``"mentor"`` when whole
        mentor rows, else ``"pairs"``. One-sided groups keep the problem a network flow."""
        if self.pairs is not None or self.either:
            return "pairs"
        if self.mentors is None or bool(self.mentors.all()):
            return "mentee"
        if self.mentees is None or bool(self.mentees.all()):
            return "mentor"
        return "pairs"

    def members(self, size: int) -> NDArray[np.bool_]:
        """The people on the group's side (mentees for ``"mentee"``, mentors for
        ``"mentor"``) it counts, of ``size`` people; only for one-sided groups."""
        marked = self.mentees if self.side == "mentee" else self.mentors
        return np.ones(size, dtype=bool) if marked is None else marked

    def contains(self, mentors: NDArray[np.intp], mentees: NDArray[np.intp]) -> NDArray[np.bool_]:
        """Whether each pair ``(mentors[k], mentees[k])`` is in the group."""
        mentors, mentees = np.asarray(mentors, dtype=np.intp), np.asarray(mentees, dtype=np.intp)
        if self.pairs is not None:
            inside: NDArray[np.bool_] = np.isin(_keys(mentors, mentees), self._keys)
            return inside
        if self.either:
            assert self.mentors is not None and self.mentees is not None
            either: NDArray[np.bool_] = self.mentors[mentors] | self.mentees[mentees]
            return either
        inside = np.ones(mentors.shape, dtype=bool)
        if self.mentors is not None:
            inside &= self.mentors[mentors]
        if self.mentees is not None:
            inside &= self.mentees[mentees]
        return inside

    @cached_property
    def _keys(self) -> NDArray[np.int64]:
        assert self.pairs is not None
        return np.unique(_keys(self.pairs[:, 0], self.pairs[:, 1]))

    def count(self, pairs: Iterable[tuple[int, int]]) -> int:
        """How many of ``pairs`` are in the group."""
        chosen = np.array(list(pairs), dtype=np.intp).reshape(-1, 2)
        return int(self.contains(chosen[:, 0], chosen[:, 1]).sum())


@dataclass(frozen=True, eq=False)
class Preferences:
    """Who ranked whom, for a rule of stability (``mm.Stable()``).

    ``mentor_rank[i, j]`` is mentee ``j``'s place in mentor ``i``'s list (0 = first) and
    ``mentee_rank[i, j]`` mentor ``i``'s place in mentee ``j``'s list; :data:`UNRANKED`
    where not listed, so a listed partner is preferred to an unlisted one or to none.

    A pair ``(i, j)`` not chosen *blocks* a pairing when both listed each other, the
    rules allow the pair (``blockable``), mentee ``j`` is unpaired or prefers ``i`` to
    its mentor, and mentor ``i`` has room (fewer mentees than its capacity) or prefers
    ``j`` to one of its mentees: the hospital-resident definition, mentors being the
    side with capacity. ``taken`` are pairs already fixed outside the problem (locks
    taken out by the solver), which count as chosen.

    Examples
    --------
    >>> import numpy as np
    >>> prefs = Preferences.of(np.array([[0, 1]]), np.array([[0, 0]]), "Stable()")
    >>> prefs.blockable.tolist()
    [[True, True]]
    """

    mentor_rank: NDArray[np.int64]
    mentee_rank: NDArray[np.int64]
    rule: str
    blockable: NDArray[np.bool_]
    taken: tuple[tuple[int, int], ...] = ()

    @classmethod
    def of(cls, mentor_rank: object, mentee_rank: object, rule: str) -> Preferences:
        """Preferences from two rank matrices (mentors x mentees), every mutual pair
        blockable until :meth:`Problem.build` removes those the rules forbid."""
        mentors = np.array(mentor_rank, dtype=np.int64)
        mentees = np.array(mentee_rank, dtype=np.int64)
        mutual = (mentors < UNRANKED) & (mentees < UNRANKED)
        return cls(_frozen(mentors), _frozen(mentees), rule, _frozen(mutual))


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
    preferences: Preferences | None = None
    """With a rule of stability: who ranked whom; no chosen pairing may have a blocking pair."""

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
        preferences: Preferences | None = None,
    ) -> Problem:
        """Validate and copy the inputs into a read-only problem.

        ``allowed=None`` allows every pair; ``max_pairs=None`` means as many as
        capacities allow; ``min_pairs=None`` means 0.

        Raises ``mm.InputError`` naming the argument for NaN/inf or non-numeric
        scores, scores so large that a total of them could overflow (beyond
        :func:`largest_score` of the most pairs there can be), a mask of another shape,
        a negative capacity, or ``min_pairs > max_pairs``.

        Group limits beyond :data:`COUNTABLE` are lowered to one more than the most
        pairs there can be (out of reach all the same), so that no solver meets a count
        beyond its integers.

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
        caps = _capacity(capacity, m, n)
        most = int(min(n, caps.sum()))
        _check_magnitude(matrix, most)
        low = 0 if min_pairs is None else _count(min_pairs, "min_pairs")
        high = most if max_pairs is None else min(_count(max_pairs, "max_pairs"), most)
        if max_pairs is not None and min_pairs is not None and low > max_pairs:
            raise _error(f"expected min_pairs <= max_pairs, got {low} > {max_pairs}", "min_pairs")
        for group in groups:
            _check_group(group, m, n)
        for i, j in locked:
            if not (0 <= i < m and 0 <= j < n):
                raise _error(
                    f"expected (mentor, mentee) indices in range, got ({i}, {j})", "locked"
                )
        if preferences is not None:
            for ranks in (preferences.mentor_rank, preferences.mentee_rank):
                if ranks.shape != (m, n):
                    raise _error(f"expected ranks of shape {(m, n)}", "preferences")
        problem = cls(
            scores=_frozen(matrix),
            allowed=_frozen(mask),
            capacity=_frozen(caps),
            min_pairs=low,
            max_pairs=high,
            groups=tightest(groups, most),
            locked=tuple(sorted({(int(i), int(j)) for i, j in locked})),
            labels=dict(labels or {}),
            mentor_ids=_ids(mentor_ids, m, "mentor_ids"),
            mentee_ids=_ids(mentee_ids, n, "mentee_ids"),
            forbidden_by={
                rule: _frozen(_mask(pairs, (m, n), rule))
                for rule, pairs in (forbidden_by or {}).items()
            },
        )
        return problem if preferences is None else problem.with_preferences(preferences)

    def with_preferences(self, preferences: Preferences) -> Problem:
        """The problem under a rule of stability: pairs the rules forbid, or with a mentor of
        capacity 0, never block."""
        blockable = _frozen(preferences.blockable & self.usable)
        return replace(self, preferences=replace(preferences, blockable=blockable))

    def keeps(self, pairs: Sequence[tuple[int, int]]) -> bool:
        """Whether ``pairs`` keep every rule of the problem.

        Examples
        --------
        >>> p = Problem.build([[1.0, 1.0]], max_pairs=1)
        >>> p.keeps([(0, 0)]), p.keeps([(0, 0), (0, 1)])
        (True, False)
        """
        chosen = np.array(pairs, dtype=np.intp).reshape(-1, 2)
        mentors, mentees = chosen[:, 0], chosen[:, 1]
        return bool(
            len(set(mentees.tolist())) == len(mentees)
            and self.allowed[mentors, mentees].all()
            and (np.bincount(mentors, minlength=self.shape[0]) <= self.capacity).all()
            and self.min_pairs <= len(chosen) <= self.max_pairs
            and all(g.min <= g.count(pairs) <= g.max for g in self.groups)
            and set(self.locked) <= set(map(tuple, chosen.tolist()))
            and not self.blocking_pairs(pairs)
        )

    @cached_property
    def needs(self) -> frozenset[str]:
        """What the problem asks beyond a network flow: ``"group minimums"``, ``"stability"``.

        Examples
        --------
        >>> import numpy as np
        >>> at_least = GroupLimit(2, "q", mentees=np.array([True, True]), min=1)
        >>> sorted(Problem.build(np.ones((2, 2)), groups=(at_least,)).needs)
        ['group minimums']
        """
        needs = set()
        if any(group.min > 0 for group in self.groups):
            needs.add("group minimums")
        if self.preferences is not None and self.preferences.blockable.any():
            needs.add("stability")
        return frozenset(needs)

    def blocking_pairs(self, pairs: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
        """The pairs that block ``pairs`` under :attr:`preferences` (none without them).

        Examples
        --------
        >>> import numpy as np
        >>> prefs = Preferences.of([[0, 1], [0, 1]], [[1, 1], [0, 0]], "Stable()")
        >>> p = Problem.build(np.ones((2, 2)), preferences=prefs)
        >>> p.blocking_pairs([(0, 0), (1, 1)])  # mentee 0 prefers mentor 1, who prefers it
        [(1, 0)]
        >>> p.blocking_pairs([(1, 0), (0, 1)])
        []
        """
        prefs = self.preferences
        if prefs is None:
            return []
        m, n = self.shape
        chosen = np.array([*pairs, *prefs.taken], dtype=np.intp).reshape(-1, 2)
        rows, columns = chosen[:, 0], chosen[:, 1]
        locked = np.array([i for i, _ in prefs.taken], dtype=np.intp)
        capacity = self.capacity + np.bincount(locked, minlength=m)
        current = np.full(n, UNRANKED, dtype=np.int64)
        current[columns] = prefs.mentee_rank[rows, columns]
        worst = np.full(m, -1, dtype=np.int64)
        np.maximum.at(worst, rows, prefs.mentor_rank[rows, columns])
        room = np.bincount(rows, minlength=m) < capacity
        taken = np.zeros((m, n), dtype=bool)
        taken[rows, columns] = True
        block = (
            prefs.blockable
            & ~taken
            & (prefs.mentee_rank < current[None, :])
            & (room[:, None] | (prefs.mentor_rank < worst[:, None]))
        )
        return [(int(i), int(j)) for i, j in np.argwhere(block)]

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


def largest_score(pairs: int) -> float:
    """The largest absolute score accepted in a problem where at most ``pairs`` pairs can be
    chosen: the largest float over ``HEADROOM`` times ``pairs`` (at least one), so that a
    total of chosen scores, its bound and the solvers' sums of a few of them stay finite.

    Examples
    --------
    >>> f"{largest_score(2):.3g}", f"{largest_score(1000):.3g}"
    ('2.25e+307', '4.49e+304')
    """
    return sys.float_info.max / (HEADROOM * max(pairs, 1))


def tightest(groups: tuple[GroupLimit, ...], most: int | None = None) -> tuple[GroupLimit, ...]:
    """The groups, with one-sided groups over the same people merged: a group that is no
    looser than another on both bounds (``max`` and ``min``) replaces it.

    With ``most`` (the most pairs there can be), a ``max`` or ``min`` beyond
    :data:`COUNTABLE` is lowered to ``most + 1``: a limit no pairing reaches either way,
    in numbers every solver's integers hold.

    Examples
    --------
    >>> north = np.array([True, False])
    >>> [g.rule for g in tightest((GroupLimit(3, "loose", mentees=north),
    ...                            GroupLimit(1, "tight", mentees=north)))]
    ['tight']
    """
    kept: dict[tuple[str, bytes], list[GroupLimit]] = {}
    for index, given in enumerate(groups):
        group = given if most is None else _within(given, most)
        if group.side == "pairs":
            key = ("pairs", str(index).encode())
        else:
            marked = group.mentees if group.side == "mentee" else group.mentors
            members = b"*" if marked is None or marked.all() else np.packbits(marked).tobytes()
            key = (group.side, members)
        same = kept.setdefault(key, [])
        if any(k.max <= group.max and k.min >= group.min for k in same):
            continue
        same[:] = [k for k in same if not (group.max <= k.max and group.min >= k.min)] + [group]
    return tuple(group for same in kept.values() for group in same)


def _keys(mentors: NDArray[np.intp], mentees: NDArray[np.intp]) -> NDArray[np.int64]:
    """One integer per (mentor, mentee) pair, for set look-ups."""
    return (np.asarray(mentors, dtype=np.int64) << 32) | np.asarray(mentees, dtype=np.int64)


def _check_group(group: GroupLimit, m: int, n: int) -> None:
    argument = f"groups ({group.rule})"
    if _count(group.min, argument) > _count(group.max, argument):
        raise _error(f"expected min <= max, got {group.min} > {group.max}", argument)
    if group.either and (group.mentors is None or group.mentees is None):
        raise _error("expected both mentors and mentees with either=True", argument)
    for people, size, side in ((group.mentors, m, "mentors"), (group.mentees, n, "mentees")):
        if people is not None:
            _mask(people, (size,), f"{argument}.{side}")
    if group.pairs is not None:
        pairs = np.asarray(group.pairs)
        if (
            pairs.ndim != 2
            or pairs.shape[1] != 2
            or (pairs < 0).any()
            or (len(pairs) and (pairs.max(axis=0) >= (m, n)).any())
        ):
            raise _error(f"expected (mentor, mentee) index pairs in range of {(m, n)}", argument)


def _error(message: str, argument: str) -> InputError:
    return InputError(Violation(message, argument=argument))


def _frozen(array: NDArray[_T]) -> NDArray[_T]:
    """The array made read-only; callers hand in a copy of their own."""
    array.flags.writeable = False
    return array


def _scores(scores: object) -> NDArray[np.float64]:
    try:
        given = np.asarray(scores)
    except (TypeError, ValueError) as exc:
        raise _error(f"expected a 2-D array of numbers: {exc}", "scores") from None
    if given.ndim != 2:
        raise _error(f"expected a 2-D array (mentors x mentees), got {given.ndim}-D", "scores")
    if given.dtype.kind == "O":
        unreal = [
            (i, j, value)
            for (i, j), value in np.ndenumerate(given)
            if isinstance(value, bool) or not isinstance(value, numbers.Real)
        ]
        if unreal:
            i, j, value = unreal[0]
            raise _error(
                f"expected real numbers, got {type(value).__name__} {value!r} at ({i}, {j})"
                + (f" and {len(unreal) - 1} more" if len(unreal) > 1 else ""),
                "scores",
            )
    elif given.dtype.kind not in "iuf":
        raise _error(f"expected real numbers, got an array of dtype {given.dtype}", "scores")
    matrix = given.astype(np.float64)  # always a copy of the caller's array
    if matrix.size and not (np.isfinite(matrix.min()) and np.isfinite(matrix.max())):
        bad = np.argwhere(~np.isfinite(matrix))
        where = ", ".join(f"({i}, {j})" for i, j in bad[:5])
        raise _error(f"expected finite numbers, found NaN or inf at {where}", "scores")
    return matrix


def _check_magnitude(matrix: NDArray[np.float64], pairs: int) -> None:
    """``InputError`` for scores beyond :func:`largest_score` of ``pairs``, naming where."""
    limit = largest_score(pairs)
    if matrix.size == 0 or max(-float(matrix.min()), float(matrix.max())) <= limit:
        return
    beyond = np.argwhere(np.abs(matrix) > limit)
    if len(beyond):
        i, j = beyond[0]
        more = f" and {len(beyond) - 1} more" if len(beyond) > 1 else ""
        raise _error(
            f"expected scores of at most {limit:.3g} in absolute value (the largest float "
            f"/ ({HEADROOM} x {max(pairs, 1)}, the most pairs there can be), so that every "
            f"total stays finite), got {matrix[i, j]:g} at ({i}, {j}){more}; rescale the "
            "scores, and mark pairs that must not be taken as forbidden rather than with a "
            "huge negative score",
            "scores",
        )


def _within(group: GroupLimit, pairs: int) -> GroupLimit:
    """The group with a ``max`` or ``min`` beyond :data:`COUNTABLE` lowered to ``pairs + 1``:
    no pairing reaches either, so the limit is the same on every pairing (such a maximum
    never binds, such a minimum is never met), in numbers every solver's integers hold."""
    if group.max <= COUNTABLE and group.min <= COUNTABLE:
        return group
    most, least = (pairs + 1 if k > COUNTABLE else k for k in (group.max, group.min))
    return replace(group, max=most, min=least)


def _mask(mask: object, shape: tuple[int, ...], argument: str = "allowed") -> NDArray[np.bool_]:
    array = np.array(mask)
    if array.shape != shape:
        raise _error(f"expected a mask of shape {shape}, got {array.shape}", argument)
    if array.dtype != np.bool_:
        raise _error(f"expected a mask of booleans, got dtype {array.dtype}", argument)
    return array


def _capacity(capacity: object, m: int, n: int) -> NDArray[np.int64]:
    """Whole numbers >= 0, one per mentor, each capped at ``n`` (more is the same as
    unlimited), so that no sum over them can overflow."""
    array = np.asarray(capacity)
    if array.ndim == 0:
        array = np.full(m, array, dtype=array.dtype)
    if array.shape != (m,):
        raise _error(
            f"expected an int or one int per mentor ({m}), got shape {array.shape}", "capacity"
        )
    values = array.tolist()
    if array.dtype.kind == "O" and all(type(v) is int for v in values):  # beyond int64
        array = np.array([min(max(v, -1), n) for v in values], dtype=np.int64)
    kind = array.dtype.kind
    if not (kind in "iu" or (kind == "f" and np.isfinite(array).all() and _whole(array))):
        raise _error(f"expected whole numbers, got {values[:5]}", "capacity")
    if (array < 0).any():
        raise _error(f"expected numbers >= 0, got {array.min():g}", "capacity")
    capped: NDArray[np.int64] = np.minimum(array, n).astype(np.int64)
    return capped


def _whole(array: NDArray[np.floating]) -> bool:
    return bool((array == np.round(array)).all())


def _ids(ids: tuple[str, ...], size: int, argument: str) -> tuple[str, ...]:
    if ids and len(ids) != size:
        raise _error(f"expected {size} ids, got {len(ids)}", argument)
    return tuple(ids)


def _count(value: object, argument: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 0:
        raise _error(f"expected a whole number >= 0, got {value!r}", argument)
    return int(value)
