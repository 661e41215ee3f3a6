"""PairScorer: the weighted compatibility of any block of mentors x mentees, or of listed pairs.

A :class:`PairScorer` is made once from a cohort, the weights and the
criteria (:meth:`PairScorer.of`, which checks them as :func:`score` does).
It turns every built-in criterion into per-person terms
(:mod:`mentormatch.scoring._terms`) and folds the weighted bilinear ones
(themes, level) and the neutral score of their missing inputs into one pair of
matrices, so that a block of the weighted sum is one matrix product plus a
few elementwise steps per other criterion, accumulated in float32 in place.
Custom criteria are called on the block's people (:meth:`People.take`) and
checked. Nothing larger than the block asked for is built: :meth:`matrix`
and :meth:`criterion_matrix` fill the whole table tile by tile, and
:meth:`pairs` scores listed pairs in chunks.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache, cached_property, partial
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from threadpoolctl import ThreadpoolController

from mentormatch.cohort import Cohort
from mentormatch.errors import InputError, Violation
from mentormatch.names import closest
from mentormatch.profiles import Profile
from mentormatch.scoring._bounds import (
    MARGIN,
    MentorGroups,
    grouping_features,
    homogeneous_groups,
)
from mentormatch.scoring._criteria import BUILT_IN, DEFAULT_WEIGHTS, BuiltIn
from mentormatch.scoring._people import NEUTRAL, RESERVED_NAMES, Criterion, People
from mentormatch.scoring._terms import (
    Block,
    Pairs,
    Selection,
    Terms,
    float32_rounding,
    rows_of,
)
from mentormatch.validation import WEIGHTS, check_arguments, shown

__all__ = ["PairScorer", "one_blas_thread"]

_F32 = np.float32

TILE_COLUMNS = 8192
"""At most this many mentees per tile when :meth:`PairScorer.matrix` fills the whole table."""

TILE_CELLS = 1 << 18
"""Pairs per tile (1 MB of float32): measured fastest on 5,000 x 5,000 (benchmarks/)."""

PAIRS_CHUNK = 1 << 13
"""Listed pairs scored at a time by :meth:`PairScorer.pairs` (fastest of 2k-256k measured)."""

GROUP_SIZE = 32
"""Mentors per group of :meth:`PairScorer.mentor_groups` by default (benchmarks/bench_bounds.py)."""


@dataclass(frozen=True, eq=False)
class PairScorer:
    """The weighted compatibility of any mentors with any mentees: a block or listed pairs.

    Make one with :meth:`of`. Positions index the people sorted by id
    (``mentors`` and ``mentees``). Every value is in [0, 1], a missing input
    scoring the neutral 0.5 on its criterion, as in :func:`score`; blocks are
    float32, listed pairs float64 (computed in float32).

    Attributes
    ----------
    mentors, mentees : People
        Sorted by id, with their features.
    weights : dict of str to float
        Every criterion's weight, normalised to sum to 1 (zeros included).
    criteria : tuple of Criterion
        The criteria, built-ins first (each replaced by a custom one of its name).

    Examples
    --------
    >>> import numpy as np
    >>> from mentormatch.intake import example_cohort
    >>> scorer = PairScorer.of(example_cohort(), weights={"themes": 1, "experience": 1})
    >>> scorer.block(slice(0, 3), np.array([5, 0])).shape
    (3, 2)
    >>> pair = scorer.pairs(np.array([2]), np.array([0]))
    >>> bool(np.isclose(pair[0], scorer.block(slice(0, 3), slice(0, 1))[2, 0]))
    True
    >>> float(scorer.criterion_pairs("level", np.array([0]), np.array([0]))[0])
    1.0
    >>> repr(scorer).split(";")[0]
    'PairScorer(20 mentors x 30 mentees'
    >>> round(scorer.weights["themes"], 3)
    0.167
    """

    mentors: People = field(repr=False)
    mentees: People = field(repr=False)
    weights: Mapping[str, float]
    criteria: tuple[Criterion, ...] = field(repr=False)
    _terms: Mapping[str, Terms] = field(init=False, repr=False)
    _left: NDArray[np.float32] = field(init=False, repr=False)
    _right: NDArray[np.float32] = field(init=False, repr=False)
    _pointwise: tuple[tuple[float, Terms], ...] = field(init=False, repr=False)
    _custom: tuple[tuple[float, Criterion], ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        terms = {
            c.name: c.terms(self.mentors, self.mentees)
            for c in self.criteria
            if isinstance(c, BuiltIn)
        }
        weighted = [(self.weights[c.name], c) for c in self.criteria if self.weights[c.name]]
        prepared = [(w, terms[c.name]) for w, c in weighted if c.name in terms]
        bilinear = [(w, t) for w, t in prepared if t.formula is None]
        left, right = _folded(bilinear, len(self.mentors), len(self.mentees))
        object.__setattr__(self, "_terms", terms)
        object.__setattr__(self, "_left", left)
        object.__setattr__(self, "_right", right)
        object.__setattr__(
            self, "_pointwise", tuple((w, t) for w, t in prepared if t.formula is not None)
        )
        object.__setattr__(
            self, "_custom", tuple((w, c) for w, c in weighted if c.name not in terms)
        )

    @classmethod
    def of(
        cls,
        cohort: Cohort,
        weights: Mapping[str, float] | None = None,
        criteria: Iterable[Criterion] = (),
    ) -> PairScorer:
        """Check the cohort, weights and criteria as :func:`score` does; prepare every criterion.

        Parameters
        ----------
        cohort : Cohort
        weights : mapping of str to float, optional
            Merged over the defaults, normalised to sum to 1 (see :func:`score`).
        criteria : iterable of Criterion, optional
            Custom criteria; one named like a built-in replaces it.

        Raises
        ------
        InputError
            For a cohort that is not a Cohort, bad weights or bad criteria.

        Examples
        --------
        >>> from mentormatch.intake import example_cohort
        >>> scorer = PairScorer.of(example_cohort())
        >>> len(scorer.mentors), len(scorer.mentees), round(sum(scorer.weights.values()), 6)
        (20, 30, 1.0)
        """
        check_arguments("score", {"cohort": cohort, "weights": weights, "criteria": criteria})
        used = _criteria(criteria)
        normalised = _weights(weights, used)
        mentors, mentees = People.of(cohort)
        return cls(mentors, mentees, normalised, used)

    def __repr__(self) -> str:
        weights = ", ".join(f"{name}={w:.3g}" for name, w in self.weights.items())
        return f"PairScorer({len(self.mentors)} mentors x {len(self.mentees)} mentees; {weights})"

    @cached_property
    def mentor_index(self) -> Mapping[str, int]:
        """Mentor id -> position."""
        return {person: i for i, person in enumerate(self.mentors.ids)}

    @cached_property
    def mentee_index(self) -> Mapping[str, int]:
        """Mentee id -> position."""
        return {person: j for j, person in enumerate(self.mentees.ids)}

    def reason(self, mentor_id: str, mentee_id: str) -> str:
        """The pair's score in plain words, criterion by criterion (weighted ones only).

        Computes the one pair's values (never the breakdown). Raises
        ``InputError`` when an id is not a mentor or a mentee of the scores.

        Examples
        --------
        >>> from mentormatch.intake import example_cohort
        >>> for part in PairScorer.of(example_cohort()).reason("M001", "E001").split("; "):
        ...     print(part)
        offers 1 of the 2 themes sought (political-turbulence)
        14 more years in the role
        different size (53,712 vs 13,469 inhabitants)
        172 km apart
        both municipalities
        common language (nb)
        """
        positions = []
        for person, index, role in (
            (mentor_id, self.mentor_index, "mentor"),
            (mentee_id, self.mentee_index, "mentee"),
        ):
            if person not in index:
                raise InputError(
                    Violation(f"no {role} with id '{person}' in the scores", argument=f"{role}_id")
                )
            positions.append(np.array([index[person]]))
        i, j = (int(p[0]) for p in positions)
        mentor, mentee = self.mentors.profiles[i], self.mentees.profiles[j]
        return "; ".join(
            _describe(c, mentor, mentee, float(self.criterion_pairs(c.name, *positions)[0]))
            for c in self.criteria
            if self.weights[c.name] > 0
        )

    def block(
        self, mentor_rows: Selection | ArrayLike, mentee_cols: Selection | ArrayLike
    ) -> NDArray[np.float32]:
        """The weighted compatibility of ``mentor_rows`` (mentors) x ``mentee_cols`` (mentees).

        Parameters
        ----------
        mentor_rows, mentee_cols : slice or 1-D array of int
            Positions in ``mentors`` and ``mentees``.

        Returns
        -------
        ndarray of float32, shape (len(mentor_rows), len(mentee_cols))
            In [0, 1]; nothing larger than this block is built.
        """
        block = self._block(mentor_rows, mentee_cols)
        with one_blas_thread():
            return self._weighted(block)

    def criterion_block(
        self, name: str, mentor_rows: Selection | ArrayLike, mentee_cols: Selection | ArrayLike
    ) -> NDArray[np.float32]:
        """One criterion's values (unweighted, missing inputs 0.5) for a block, as :meth:`block`."""
        name, block = self._name(name), self._block(mentor_rows, mentee_cols)
        with one_blas_thread():
            return self._criterion(name, block)

    def pairs(self, mentor_idx: ArrayLike, mentee_idx: ArrayLike) -> NDArray[np.float64]:
        """The weighted compatibility of mentor ``mentor_idx[k]`` with mentee ``mentee_idx[k]``.

        Parameters
        ----------
        mentor_idx, mentee_idx : 1-D arrays of int, of equal length
            Positions in ``mentors`` and ``mentees``.

        Returns
        -------
        ndarray of float64, shape (len(mentor_idx),)
            Computed in float32, chunk by chunk, never as a len x len matrix.
        """
        return self._chunked(mentor_idx, mentee_idx, self._weighted)

    def criterion_pairs(
        self, name: str, mentor_idx: ArrayLike, mentee_idx: ArrayLike
    ) -> NDArray[np.float64]:
        """One criterion's values (unweighted; 0.5 for missing inputs) for listed pairs."""
        return self._chunked(mentor_idx, mentee_idx, partial(self._criterion, self._name(name)))

    def matrix(self, n_jobs: int | None = None) -> NDArray[np.float64]:
        """The whole weighted compatibility, (mentors, mentees) float64, filled tile by tile.

        Up to ``n_jobs`` threads share the tiles; None means as many as BLAS
        would use (one per core, unless limited by ``OPENBLAS_NUM_THREADS``,
        ``threadpoolctl`` or a joblib worker). The values are the same for any ``n_jobs``.
        """
        return self._table(np.float64, self._weighted, n_jobs)

    def criterion_matrix(self, name: str, n_jobs: int | None = None) -> NDArray[np.float32]:
        """One criterion's values for all pairs, (mentors, mentees) float32, as :meth:`matrix`."""
        return self._table(_F32, partial(self._criterion, self._name(name)), n_jobs)

    def frame(self, values: NDArray[np.floating]) -> pd.DataFrame:
        """A (mentors, mentees) table as a DataFrame: index mentor ids, columns mentee ids."""
        return pd.DataFrame(
            values,
            index=pd.Index(self.mentors.ids, name="mentor_id"),
            columns=pd.Index(self.mentees.ids, name="mentee_id"),
            copy=False,
        )

    def mentor_groups(self, size: int = GROUP_SIZE) -> MentorGroups:
        """The mentors in groups of at most ``size`` alike in what they score, for
        :meth:`upper_bounds`.

        Each mentor is placed by its terms for the weighted built-in criteria, each
        scaled by what it can move the score (:meth:`BuiltIn.grouping`, times the
        weight); the groups are the leaves of a k-d tree over them
        (:func:`~mentormatch.scoring._bounds.homogeneous_groups`): ``ceil(mentors /
        size)`` groups of equal sizes (within one). The same scorer and size give the
        same groups.

        Examples
        --------
        >>> from mentormatch.intake import example_cohort
        >>> groups = PairScorer.of(example_cohort()).mentor_groups(8)
        >>> groups, sorted(groups.members.tolist()) == list(range(20))
        (MentorGroups(3 groups of 6-7 mentors), True)
        """
        if isinstance(size, bool) or not isinstance(size, int | np.integer) or size < 1:
            raise InputError(
                Violation(f"expected a whole number >= 1, got {shown(size)}", argument="size")
            )
        parts = [(w, c, self._terms[c.name]) for w, c in self._bounded]
        features = grouping_features(parts, len(self.mentors))
        return self._grouped(*homogeneous_groups(features, int(size)))

    def group_mentors(self, groups: Iterable[ArrayLike]) -> MentorGroups:
        """Groups of mentors given by their positions, for :meth:`upper_bounds`.

        Parameters
        ----------
        groups : iterable of 1-D arrays of int
            Positions in ``mentors``; no group empty. Groups may overlap, and need not
            cover every mentor.

        Examples
        --------
        >>> from mentormatch.intake import example_cohort
        >>> PairScorer.of(example_cohort()).group_mentors([[0, 1, 2], [5]]).sizes.tolist()
        [3, 1]
        """
        if isinstance(groups, np.ndarray | str) or not isinstance(groups, Iterable):
            raise InputError(
                Violation(
                    f"expected a list of arrays of mentor positions, got {shown(groups)}",
                    argument="groups",
                )
            )
        positions = [
            _positions(group, len(self.mentors), f"groups[{k}]") for k, group in enumerate(groups)
        ]
        empty = [k for k, group in enumerate(positions) if not len(group)]
        if empty:
            raise InputError(
                Violation(
                    f"expected groups of one mentor or more, got empty groups {empty}",
                    argument="groups",
                )
            )
        sizes = [len(group) for group in positions]
        members = np.concatenate(positions) if positions else np.zeros(0, dtype=np.intp)
        return self._grouped(members, np.concatenate([[0], np.cumsum(sizes)]).astype(np.intp))

    def upper_bounds(
        self, groups: MentorGroups | Iterable[ArrayLike], mentee_cols: Selection | ArrayLike
    ) -> NDArray[np.float32]:
        """For each group of mentors and each mentee, at least what any member scores with it.

        ``bounds[g, j] >= block(i, mentee_cols[j])`` for every mentor ``i`` of group
        ``g``, including the float32 rounding of :meth:`block`. Each criterion is
        bounded over the group's box of terms by interval arithmetic (the neutral 0.5
        where a member's or the mentee's input is missing, 1 for a custom criterion),
        and the weighted sum, plus a margin for rounding (:data:`MARGIN` and the
        folded product's), is clipped to 1 (:mod:`mentormatch.scoring._bounds`).
        Tight when the members are alike: a group of one mentor is bounded within
        1e-4 of its score (about 2e-5 at the default weights). Costs a few products of
        (groups x terms) per criterion: about as much per group as scoring one pair.

        Parameters
        ----------
        groups : MentorGroups or iterable of 1-D arrays of int
            From :meth:`mentor_groups` or :meth:`group_mentors` (made once, used for
            every block), or positions in ``mentors``, grouped anew on every call.
        mentee_cols : slice or 1-D array of int
            Positions in ``mentees``.

        Returns
        -------
        ndarray of float32, shape (groups, len(mentee_cols))

        Examples
        --------
        >>> import numpy as np
        >>> from mentormatch.intake import example_cohort
        >>> scorer = PairScorer.of(example_cohort())
        >>> groups = scorer.mentor_groups(4)
        >>> bounds = scorer.upper_bounds(groups, slice(0, 30))
        >>> scores = scorer.block(groups.members, slice(0, 30))
        >>> best = np.maximum.reduceat(scores, groups.starts[:-1], axis=0)
        >>> bounds.shape, bool((best <= bounds).all())
        ((5, 30), True)
        """
        if not isinstance(groups, MentorGroups):
            groups = self.group_mentors(groups)
        elif groups.scorer is not self:
            raise InputError(
                Violation(
                    "expected groups made by this PairScorer (its mentor_groups or "
                    "group_mentors), got groups made by another",
                    argument="groups",
                )
            )
        cols = _selection(mentee_cols, len(self.mentees), "mentee_cols")
        if isinstance(cols, slice):
            cols = np.arange(len(self.mentees))[cols]
        with one_blas_thread():
            return groups.upper_bounds(cols)

    @cached_property
    def _bounded(self) -> tuple[tuple[float, BuiltIn], ...]:
        """The weighted built-in criteria, bounded through their terms."""
        return tuple(
            (self.weights[c.name], c)
            for c in self.criteria
            if isinstance(c, BuiltIn) and self.weights[c.name]
        )

    def _grouped(self, members: NDArray[np.intp], starts: NDArray[np.intp]) -> MentorGroups:
        bounded = {c.name for _, c in self._bounded}
        fixed = sum(w for name, w in self.weights.items() if name not in bounded)
        columns = self._left.shape[1]
        margin = MARGIN + float32_rounding(self._left, self._right, columns + 1)
        weighted = [(w, self._terms[c.name]) for w, c in self._bounded]
        return MentorGroups.of(members, starts, weighted, fixed, margin, scorer=self)

    def _table(
        self,
        dtype: type[np.floating],
        score: Callable[[Block], NDArray[np.float32]],
        n_jobs: int | None,
    ) -> NDArray[Any]:
        workers = _jobs(n_jobs)
        table = np.empty((len(self.mentors), len(self.mentees)), dtype=dtype)

        def fill(tile: Block) -> None:
            table[tile.rows, tile.cols] = score(tile)

        _by_tiles(table.shape, fill, workers)
        return table

    def _block(self, rows: Selection | ArrayLike, cols: Selection | ArrayLike) -> Block:
        return Block(
            _selection(rows, len(self.mentors), "mentor_rows"),
            _selection(cols, len(self.mentees), "mentee_cols"),
        )

    def _name(self, name: str) -> str:
        if name not in self.weights:
            raise InputError(
                Violation(
                    f"no criterion named {name!r}; valid: {', '.join(self.weights)}",
                    argument="name",
                )
            )
        return name

    def _weighted(self, pairing: Block | Pairs) -> NDArray[np.float32]:
        left, right = rows_of(self._left, pairing.rows), rows_of(self._right, pairing.cols)
        total = pairing.product(left, right)
        for weight, terms in self._pointwise:
            _add(total, weight, terms.values(pairing))
        for weight, criterion in self._custom:
            _add(total, weight, pairing.from_blocks(partial(self._evaluate, criterion)))
        np.clip(total, 0, 1, out=total)
        return total

    def _criterion(self, name: str, pairing: Block | Pairs) -> NDArray[np.float32]:
        terms = self._terms.get(name)
        if terms is not None:
            return terms.values(pairing)
        criterion = next(c for c in self.criteria if c.name == name)
        return pairing.from_blocks(partial(self._evaluate, criterion))

    def _evaluate(
        self, criterion: Criterion, rows: Selection, cols: Selection
    ) -> NDArray[np.float32]:
        return _evaluate(criterion, self.mentors.take(rows), self.mentees.take(cols))

    def _chunked(
        self,
        mentor_idx: ArrayLike,
        mentee_idx: ArrayLike,
        score: Callable[[Pairs], NDArray[np.float32]],
    ) -> NDArray[np.float64]:
        rows = _positions(mentor_idx, len(self.mentors), "mentor_idx")
        cols = _positions(mentee_idx, len(self.mentees), "mentee_idx")
        if len(rows) != len(cols):
            raise InputError(
                Violation(
                    f"expected as many mentees as mentors, got {len(rows)} and {len(cols)}",
                    argument="mentee_idx",
                )
            )
        values = np.empty(len(rows), dtype=np.float64)
        with one_blas_thread():
            for start in range(0, len(rows), PAIRS_CHUNK):
                part = slice(start, start + PAIRS_CHUNK)
                values[part] = score(Pairs(rows[part], cols[part]))
        return values


def _folded(
    bilinear: Sequence[tuple[float, Terms]], n_mentors: int, n_mentees: int
) -> tuple[NDArray[np.float32], NDArray[np.float32]]:
    """One pair of term matrices whose product is the weighted sum of the bilinear criteria.

    The neutral score of a missing input takes two more columns per criterion:
    ``w [1 - known_i, known_i] . [1/2, (1 - known_j) / 2]`` is ``w/2`` exactly
    where the mentor's or the mentee's input is missing (their terms are zero there).
    """
    left: list[NDArray[np.floating]] = [np.zeros((n_mentors, 0))]
    right: list[NDArray[np.floating]] = [np.zeros((n_mentees, 0))]
    for weight, terms in bilinear:
        left.append(weight * terms.mentor)
        right.append(terms.mentee)
        if terms.mentor_known.all() and terms.mentee_known.all():
            continue
        known_m, known_e = terms.mentor_known[:, None], terms.mentee_known[:, None]
        left.append(weight * np.hstack([~known_m, known_m]))
        right.append(NEUTRAL * np.hstack([np.ones_like(known_e), ~known_e]))
    return (
        np.ascontiguousarray(np.hstack(left), dtype=_F32),
        np.ascontiguousarray(np.hstack(right), dtype=_F32),
    )


def _add(total: NDArray[np.float32], weight: float, values: NDArray[np.float32]) -> None:
    values *= _F32(weight)
    total += values


def _by_tiles(shape: tuple[int, ...], fill: Callable[[Block], None], workers: int) -> None:
    """Call ``fill`` on tiles covering ``shape``, on up to ``workers`` threads."""
    columns = max(1, min(shape[1], TILE_COLUMNS))
    rows = max(1, TILE_CELLS // columns)
    tiles = [
        Block(slice(i, i + rows), slice(j, j + columns))
        for i in range(0, shape[0], rows)
        for j in range(0, shape[1], columns)
    ]
    with one_blas_thread():
        if workers == 1 or len(tiles) == 1:
            for tile in tiles:
                fill(tile)
            return
        with ThreadPoolExecutor(max_workers=min(workers, len(tiles))) as pool:
            for _ in pool.map(fill, tiles):
                pass


@cache
def _blas() -> ThreadpoolController:
    return ThreadpoolController()


def one_blas_thread() -> Any:
    """A context in which BLAS runs on one thread.

    The products here are small (a few to ~50 terms); threading each of them
    costs more than it saves (6x slower measured on 2 busy cores), and it keeps
    the values independent of how many threads share the tiles.
    """
    return _blas().limit(limits=1, user_api="blas")


def _jobs(n_jobs: int | None) -> int:
    if n_jobs is None:
        blas = [lib["num_threads"] for lib in _blas().select(user_api="blas").info()]
        return max(1, min(blas, default=1))
    if isinstance(n_jobs, bool) or not isinstance(n_jobs, int | np.integer) or n_jobs < 1:
        raise InputError(
            Violation(f"expected None or an integer >= 1, got {n_jobs!r}", argument="n_jobs")
        )
    return int(n_jobs)


def _selection(value: Selection | ArrayLike, size: int, argument: str) -> Selection:
    """``value`` as a slice, or as a 1-D array of positions in ``range(size)``; else InputError."""
    return value if isinstance(value, slice) else _positions(value, size, argument, "a slice or ")


def _positions(value: ArrayLike, size: int, argument: str, other: str = "") -> NDArray[np.intp]:
    """``value`` as a 1-D array of positions in ``range(size)``, or an InputError."""
    try:
        array = np.asarray(value)
    except (TypeError, ValueError):
        array = np.asarray(None, dtype=object)
    if array.ndim != 1 or (array.size and array.dtype.kind not in "iu"):
        raise InputError(
            Violation(
                f"expected {other}a 1-D array of integer positions, got {_described(value)}",
                argument=argument,
            )
        )
    if array.size and (array.min() < 0 or array.max() >= size):
        raise InputError(
            Violation(
                f"positions must be in 0..{size - 1}, got {int(array.min())}..{int(array.max())}",
                argument=argument,
            )
        )
    return array.astype(np.intp, copy=False)


def _described(value: object) -> str:
    if isinstance(value, np.ndarray):
        return f"an array of dtype {value.dtype} and shape {value.shape}"
    return type(value).__name__


def _criteria(extra: Iterable[Criterion]) -> tuple[Criterion, ...]:
    """The built-ins, each replaced by a given criterion of its name, then the others."""
    given = list(extra)
    bad = [shown(c) for c in given if not isinstance(c, Criterion) or not _named(c)]
    if bad:
        raise _criteria_error(
            "criteria, each with a non-empty text `name` and a call (mentors, mentees) -> array",
            ", ".join(bad),
        )
    names = [c.name for c in given]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise _criteria_error("criteria with different names", f"{', '.join(twice)} twice")
    taken = [n for n in names if n in RESERVED_NAMES]
    if taken:
        raise _criteria_error(
            "criteria named otherwise than the pairs table's own columns "
            f"({', '.join(RESERVED_NAMES)})",
            ", ".join(f"a criterion named {n!r}" for n in taken),
        )
    by_name = dict(zip(names, given, strict=True))
    return (*(by_name.pop(c.name, c) for c in BUILT_IN), *by_name.values())


def _criteria_error(expected: str, got: str) -> InputError:
    return InputError(Violation(f"expected {expected}, got {got}", argument="criteria"))


def _named(criterion: Criterion) -> bool:
    return isinstance(criterion.name, str) and bool(criterion.name)


def _weights(
    weights: Mapping[str, float] | None, criteria: Sequence[Criterion]
) -> dict[str, float]:
    """Validate ``weights`` over the defaults (custom criteria default to 1); normalise to sum 1."""
    if weights is not None and not isinstance(weights, Mapping):
        raise InputError(
            Violation(f"expected {WEIGHTS.expected}, got {shown(weights)}", argument="weights")
        )
    valid = [c.name for c in criteria]
    merged = {name: DEFAULT_WEIGHTS.get(name, 1.0) for name in valid} | dict(weights or {})
    problems = [
        f"expected names of criteria ({', '.join(valid)}), got {name!r}"
        + (f"; did you mean {guess!r}?" if (guess := closest(str(name), valid)) else "")
        for name in merged
        if name not in valid
    ]
    problems += [
        f"expected a finite number >= 0 for {name!r}, got {weight!r}"
        for name, weight in merged.items()
        if not _is_weight(weight)
    ]
    total = sum(float(w) for w in merged.values()) if not problems else 1.0
    if total == 0:
        problems.append(
            f"expected at least one weight above 0, got all zero; give one of {', '.join(valid)} "
            "a weight"
        )
    elif not math.isfinite(total):
        problems.append(
            "expected weights whose sum is a finite number, got a sum that overflows ("
            + " + ".join(f"{float(w):g}" for w in merged.values())
            + "); only their ratios matter, so scale them down"
        )
    if problems:
        raise InputError([Violation(p, argument="weights") for p in problems])
    return {name: float(merged[name]) / total for name in valid}


def _is_weight(value: object) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float | np.number):
        return False
    return math.isfinite(float(value)) and float(value) >= 0


def _evaluate(criterion: Criterion, mentors: People, mentees: People) -> NDArray[np.float32]:
    """Run a custom criterion on some people: check its type, shape and range; NaN is neutral."""
    where = f"criterion '{criterion.name}' to return"
    raw = np.asarray(criterion(mentors, mentees))
    try:
        if raw.dtype.kind not in "biufO":
            raise TypeError
        with np.errstate(over="ignore"):
            values = raw.astype(_F32)
    except (TypeError, ValueError):
        raise _criteria_error(f"{where} real numbers in [0, 1] or NaN", shown(raw)) from None
    expected = (len(mentors), len(mentees))
    if values.shape != expected:
        raise _criteria_error(f"{where} an array of shape {expected}", f"shape {values.shape}")
    np.copyto(values, _F32(NEUTRAL), where=np.isnan(values))
    if values.size and (values.min() < 0 or values.max() > 1):
        low, high = float(values.min()), float(values.max())
        raise _criteria_error(f"{where} values in [0, 1]", f"values from {low:g} to {high:g}")
    return values


def _describe(criterion: Criterion, mentor: Profile, mentee: Profile, value: float) -> str:
    describe = getattr(criterion, "describe", None)
    if describe is None:
        return f"{criterion.name} {value:.2f}"
    return str(describe(mentor, mentee, value))
