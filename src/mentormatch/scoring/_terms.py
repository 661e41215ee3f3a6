"""Per-person terms of a criterion, and the two ways of pairing them: a block, or listed pairs.

A built-in criterion reduces each person to a few numbers, its *terms*, so that
the score of a pair needs only the two people's terms. Paired up by
:class:`Block` (every selected mentor with every selected mentee) the terms
multiply out as a matrix product ``x @ y.T``; paired up by :class:`Pairs`
(mentor ``k`` with mentee ``k``) as row-wise dot products. A criterion whose
values are that product is *bilinear* (themes, level); the others apply a
formula of a few elementwise steps to one or more such products (experience,
size, language, proximity), and the same formula serves both pairings.

Missing inputs are per person: ``known`` masks say whose input is there, and a
block fills whole rows and columns with the neutral score instead of
searching the values for NaN.

**Bounds over groups of mentors.** A :class:`Box` holds, per group of mentors,
the least and greatest of each term over its members whose input is known. A
product ``x . y`` over the group then lies in :meth:`Box.span`; a criterion's
``bound`` turns those spans into an upper bound of its values (its formula is
monotone in each span), and :meth:`Terms.upper` adds the missing inputs'
neutral score. The spans include the float32 rounding of the products that
:meth:`Terms.values` computes, so the bounds hold for the values as computed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Protocol

import numpy as np
from numpy.typing import ArrayLike, NDArray

from mentormatch.scoring._people import NEUTRAL

__all__ = [
    "BLOCK_PAIRS",
    "Block",
    "Bound",
    "Box",
    "Formula",
    "Pairing",
    "Pairs",
    "Product",
    "ScoreBlock",
    "Selection",
    "Terms",
    "float32_rounding",
    "interval_product",
    "rows_of",
]

BLOCK_PAIRS = 512
"""Listed pairs scored through one block (at most this squared) by :meth:`Pairs.from_blocks`."""

Selection = slice | NDArray[np.intp]
"""Positions of people: a slice, or a 1-D array of indices."""

Product = Callable[[NDArray[np.float32], NDArray[np.float32]], NDArray[np.float32]]
"""Pairs up mentor terms ``x`` (one row each) with mentee terms ``y`` and sums their products."""

ScoreBlock = Callable[[Selection, Selection], NDArray[np.float32]]
"""``(rows, cols) -> values``: scores a block of mentors x mentees (e.g. a custom criterion)."""

Formula = Callable[[NDArray[np.float32], NDArray[np.float32], Product], NDArray[np.float32]]
"""``(x, y, product) -> values``: a criterion's values from its paired terms (a new array)."""

Bound = Callable[["Box", NDArray[np.float32]], NDArray[np.float32]]
"""``(box, y) -> bounds``: for each group of ``box`` and each mentee's terms ``y``, at least
the largest value the criterion's formula gives a member of the group (as computed in float32)."""


class Pairing(Protocol):
    """Which mentors meet which mentees: a :class:`Block` or listed :class:`Pairs`."""

    @property
    def rows(self) -> Selection:
        """The mentors' positions."""

    @property
    def cols(self) -> Selection:
        """The mentees' positions."""

    def product(self, x: NDArray[np.float32], y: NDArray[np.float32]) -> NDArray[np.float32]:
        """Sum of products of the paired rows of ``x`` (mentors) and ``y`` (mentees)."""

    def fill(
        self,
        values: NDArray[np.float32],
        mentor_known: NDArray[np.bool_],
        mentee_known: NDArray[np.bool_],
        value: float,
    ) -> None:
        """Set ``value`` wherever the mentor's or the mentee's input is unknown."""

    def from_blocks(self, score_block: ScoreBlock) -> NDArray[np.float32]:
        """The values, from a function that scores blocks (for criteria without terms)."""


@dataclass(frozen=True)
class Block:
    """Every mentor at ``rows`` with every mentee at ``cols``: values of shape (rows, cols).

    Examples
    --------
    >>> import numpy as np
    >>> block = Block(slice(0, 2), np.array([1, 0]))
    >>> block.product(np.ones((2, 3), np.float32), np.eye(2, 3, dtype=np.float32)).shape
    (2, 2)
    """

    rows: Selection
    cols: Selection

    def product(self, x: NDArray[np.float32], y: NDArray[np.float32]) -> NDArray[np.float32]:
        """``x @ y.T``."""
        values: NDArray[np.float32] = np.matmul(x, y.T)
        return values

    def fill(
        self,
        values: NDArray[np.float32],
        mentor_known: NDArray[np.bool_],
        mentee_known: NDArray[np.bool_],
        value: float,
    ) -> None:
        """Fill the rows of unknown mentors and the columns of unknown mentees."""
        if not mentor_known.all():
            values[~mentor_known, :] = value
        if not mentee_known.all():
            values[:, ~mentee_known] = value

    def from_blocks(self, score_block: ScoreBlock) -> NDArray[np.float32]:
        """``score_block(rows, cols)``."""
        return score_block(self.rows, self.cols)


@dataclass(frozen=True)
class Pairs:
    """Mentor ``rows[k]`` with mentee ``cols[k]``: values of shape (len(rows),).

    Examples
    --------
    >>> import numpy as np
    >>> pairs = Pairs(np.array([0, 1]), np.array([1, 1]))
    >>> pairs.product(np.ones((2, 3), np.float32), np.full((2, 3), 2, np.float32)).tolist()
    [6.0, 6.0]
    """

    rows: NDArray[np.intp]
    cols: NDArray[np.intp]

    def product(self, x: NDArray[np.float32], y: NDArray[np.float32]) -> NDArray[np.float32]:
        """Row-wise dot products."""
        values: NDArray[np.float32] = np.einsum("ij,ij->i", x, y)
        return values

    def fill(
        self,
        values: NDArray[np.float32],
        mentor_known: NDArray[np.bool_],
        mentee_known: NDArray[np.bool_],
        value: float,
    ) -> None:
        """Fill the pairs where either side is unknown."""
        values[~(mentor_known & mentee_known)] = value

    def from_blocks(self, score_block: ScoreBlock) -> NDArray[np.float32]:
        """Each run of :data:`BLOCK_PAIRS` pairs read off the block of their distinct people."""
        values = np.empty(len(self.rows), dtype=np.float32)
        for start in range(0, len(self.rows), BLOCK_PAIRS):
            part = slice(start, start + BLOCK_PAIRS)
            rows, at_row = np.unique(self.rows[part], return_inverse=True)
            cols, at_col = np.unique(self.cols[part], return_inverse=True)
            values[part] = score_block(rows, cols)[at_row, at_col]
        return values


@dataclass(frozen=True, eq=False)
class Terms:
    """A criterion's per-person terms, and how paired terms become its values.

    Build with :meth:`of`, which zeroes the rows of people whose input is
    unknown (their values are filled in afterwards), so NaN never enters a product.

    Attributes
    ----------
    mentor, mentee : ndarray of float32, shapes (n_mentors, k) and (n_mentees, k)
    mentor_known, mentee_known : ndarray of bool
        Whose input is there.
    formula : Formula or None
        None for a bilinear criterion: its values are the paired product itself.
    bound : Bound or None
        The formula's upper bound over a group (:meth:`upper`); without one, a
        criterion with a formula is bounded by 1.
    """

    mentor: NDArray[np.float32]
    mentee: NDArray[np.float32]
    mentor_known: NDArray[np.bool_]
    mentee_known: NDArray[np.bool_]
    formula: Formula | None = None
    bound: Bound | None = None

    @classmethod
    def of(
        cls,
        mentor: ArrayLike,
        mentee: ArrayLike,
        mentor_known: ArrayLike,
        mentee_known: ArrayLike,
        formula: Formula | None = None,
        bound: Bound | None = None,
    ) -> Terms:
        """Terms as contiguous float32, zero where the person is unknown.

        Examples
        --------
        >>> import numpy as np
        >>> terms = Terms.of([[1.0], [np.nan]], [[2.0]], [True, False], [True])
        >>> terms.values(Block(slice(None), slice(None))).tolist()
        [[2.0], [0.5]]
        """
        known_m = np.asarray(mentor_known, dtype=bool)
        known_e = np.asarray(mentee_known, dtype=bool)
        return cls(
            _zeroed(mentor, known_m),
            _zeroed(mentee, known_e),
            known_m,
            known_e,
            formula,
            bound,
        )

    def values(self, pairing: Pairing, missing: float = NEUTRAL) -> NDArray[np.float32]:
        """The criterion's values for the paired people; ``missing`` where an input is unknown."""
        x, y = rows_of(self.mentor, pairing.rows), rows_of(self.mentee, pairing.cols)
        values = (
            pairing.product(x, y) if self.formula is None else self.formula(x, y, pairing.product)
        )
        known = rows_of(self.mentor_known, pairing.rows), rows_of(self.mentee_known, pairing.cols)
        pairing.fill(values, *known, missing)
        return values

    @cached_property
    def rounding(self) -> float:
        """How far float32 rounding may move a product of a mentor's and a mentee's terms,
        as :meth:`values` computes it, plus as far for a bound's product (:meth:`Box.span`).

        Both sum ``k`` nonzero products of terms no larger than the mentors' in their
        column (a span's product has ``2 k`` columns, but for each column one of its
        two products is an exact zero), so twice :func:`float32_rounding` covers both.

        Examples
        --------
        >>> terms = Terms.of([[1.0, 1.0]], [[1.0, -0.5]], [True], [True])
        >>> bool(0 < terms.rounding < 1e-6)
        True
        """
        return 2 * float32_rounding(self.mentor, self.mentee, self.mentor.shape[1])

    def upper(self, box: Box, cols: Selection) -> NDArray[np.float32]:
        """At least the largest value of the criterion over each group of ``box``, for each
        mentee at ``cols``: shape (groups, mentees), float32.

        The bilinear product's top (:meth:`Box.top`), or the formula's ``bound``
        (1 without one); where a group has a member whose input is missing, or the
        mentee's is, at least the neutral 0.5 (:meth:`Box.neutral`).

        Examples
        --------
        >>> import numpy as np
        >>> terms = Terms.of([[1.0], [0.25], [np.nan]], [[0.5]], [True, True, False], [True])
        >>> box = Box.of(terms, np.array([0, 1, 2]), np.array([0, 2, 3]))
        >>> terms.upper(box, slice(None)).round(6).tolist()
        [[0.5], [0.5]]
        """
        y = rows_of(self.mentee, cols)
        if self.formula is None:
            values = box.top(y)
        elif self.bound is None:
            values = np.ones((len(box), len(y)), dtype=np.float32)
        else:
            values = self.bound(box, y)
        return box.neutral(values, rows_of(self.mentee_known, cols))


def float32_rounding(x: NDArray[np.float32], y: NDArray[np.float32], k: int) -> float:
    """A bound on ``|fl32(c . y_j) - c . y_j|`` for every row ``y_j`` of ``y`` and every
    ``c`` whose elements are each no larger than the largest of its column of ``x`` (a
    row of ``x``, or a corner of a box of its rows), the float32 sum running over at
    most ``k`` nonzero products.

    A float32 dot product of ``k`` terms, summed in any order, is within
    ``gamma_k * sum |c_i y_i|`` of the exact one, ``gamma_k = k u / (1 - k u)`` with
    ``u = 2**-24`` (Higham, *Accuracy and Stability of Numerical Algorithms*, 3.1).
    ``sum |c_i y_i|`` is at most the largest ``|x|`` times the largest ``|y|`` row
    sum, and at most the columns' largest ``|x|`` dotted with the columns' largest
    ``|y|``: the smaller is used. (The largest ``|x|`` row sum would not do: a
    corner of a box can have more large elements than any of its rows.)

    Examples
    --------
    >>> import numpy as np
    >>> float32_rounding(np.ones((2, 3), np.float32), np.ones((1, 3), np.float32), 3) < 1e-6
    True
    """
    if not x.size or not y.size:
        return 0.0
    ax, ay = np.abs(x.astype(np.float64)), np.abs(y.astype(np.float64))
    total = min(ax.max() * ay.sum(axis=1).max(), ax.max(axis=0) @ ay.max(axis=0))
    unit = 2.0**-24
    return float(k * unit / (1 - k * unit) * total)


@dataclass(frozen=True, eq=False)
class Box:
    """Per group of mentors, the least and greatest of each term over its members whose
    input is known; built with :meth:`of`.

    Attributes
    ----------
    low, high : ndarray of float32, shape (groups, k)
        Zero for a group without a known member.
    known, unknown : ndarray of bool, shape (groups,)
        Whether some member's input is known; whether some member's is missing.
    rounding : float
        The terms' :attr:`Terms.rounding`, by which :meth:`span` widens its intervals.

    Examples
    --------
    >>> import numpy as np
    >>> terms = Terms.of([[1.0, 0.0], [0.0, 2.0]], [[1.0, -1.0]], [True, True], [True])
    >>> box = Box.of(terms, np.array([0, 1]), np.array([0, 2]))
    >>> least, most = box.span(terms.mentee)
    >>> round(float(least[0, 0]), 4), round(float(most[0, 0]), 4), box.top(terms.mentee).shape
    (-2.0, 1.0, (1, 1))
    """

    low: NDArray[np.float32]
    high: NDArray[np.float32]
    known: NDArray[np.bool_]
    unknown: NDArray[np.bool_]
    rounding: float

    @classmethod
    def of(cls, terms: Terms, members: NDArray[np.intp], starts: NDArray[np.intp]) -> Box:
        """The box of each group: group ``g`` is ``members[starts[g]:starts[g + 1]]`` (not empty).

        Examples
        --------
        >>> import numpy as np
        >>> terms = Terms.of([[1.0], [3.0], [2.0]], [[1.0]], [True, True, False], [True])
        >>> box = Box.of(terms, np.array([0, 1, 2]), np.array([0, 2, 3]))
        >>> box.low.tolist(), box.high.tolist(), box.unknown.tolist()
        ([[1.0], [0.0]], [[3.0], [0.0]], [False, True])
        """
        heads, known = starts[:-1], terms.mentor_known[members]
        x = terms.mentor[members]
        low = np.zeros((len(heads), x.shape[1]), np.float32)
        high = low.copy()
        if not len(heads):
            none = np.zeros(0, dtype=bool)
            return cls(low, high, none, none, terms.rounding)
        known_groups = np.logical_or.reduceat(known, heads)
        unknown_groups = ~np.logical_and.reduceat(known, heads)
        if x.shape[1]:
            inf = np.float32(np.inf)
            low = np.minimum.reduceat(np.where(known[:, None], x, inf), heads)
            high = np.maximum.reduceat(np.where(known[:, None], x, -inf), heads)
            low[~known_groups], high[~known_groups] = 0, 0
        return cls(low, high, known_groups, unknown_groups, terms.rounding)

    def __len__(self) -> int:
        return len(self.known)

    def top(self, y: NDArray[np.float32]) -> NDArray[np.float32]:
        """The greatest float32 product ``x . y`` over the box, for each group and row ``y``:
        :func:`interval_product`'s top, raised by :attr:`rounding`."""
        return self.interval(self.low, self.high, y, least=False)[1]

    def span(self, y: NDArray[np.float32]) -> tuple[NDArray[np.float32], NDArray[np.float32]]:
        """The least and greatest float32 product ``x . y`` over the box, for each group and
        row ``y``: :func:`interval_product` widened by :attr:`rounding`."""
        return self.interval(self.low, self.high, y)

    def interval(
        self,
        low: NDArray[np.float32],
        high: NDArray[np.float32],
        y: NDArray[np.float32],
        least: bool = True,
    ) -> tuple[NDArray[np.float32], NDArray[np.float32]]:
        """:meth:`span` over a box derived from this one (some of its columns, or a signed
        permutation of them), which the terms' rounding also covers; with ``least=False``
        the least is not computed (an empty array)."""
        lowest, most = interval_product(low, high, y, least)
        lowest -= np.float32(self.rounding)
        most += np.float32(self.rounding)
        return lowest, most

    def neutral(
        self, values: NDArray[np.float32], mentee_known: NDArray[np.bool_]
    ) -> NDArray[np.float32]:
        """``values`` raised to the neutral score where a pair may score it: in the rows of
        groups with a member whose input is missing, in the columns of mentees whose input
        is; exactly neutral where every member's is missing."""
        neutral = np.float32(NEUTRAL)
        if self.unknown.any():
            values[self.unknown, :] = np.maximum(values[self.unknown, :], neutral)
            values[~self.known, :] = neutral
        if not mentee_known.all():
            values[:, ~mentee_known] = neutral
        return values


def interval_product(
    low: NDArray[np.float32], high: NDArray[np.float32], y: NDArray[np.float32], least: bool = True
) -> tuple[NDArray[np.float32], NDArray[np.float32]]:
    """The least and greatest ``x . y`` over ``low <= x <= high`` (a box per row of ``low``
    and ``high``), for every row of ``y``: two arrays of shape (boxes, len(y)), in float32
    (an empty least with ``least=False``).

    Each term ``x_k y_k`` is greatest at ``x_k = high_k`` where ``y_k >= 0`` and at
    ``low_k`` where ``y_k < 0``, and least the other way round; the terms vary
    independently in a box, so the sums of those ends are attained.

    Examples
    --------
    >>> import numpy as np
    >>> least, most = interval_product(np.array([[0.0, 1.0]], np.float32),
    ...                                np.array([[2.0, 3.0]], np.float32),
    ...                                np.array([[1.0, -1.0]], np.float32))
    >>> float(least[0, 0]), float(most[0, 0])
    (-3.0, 1.0)
    """
    zero = np.float32(0)
    if not (y < 0).any():
        most: NDArray[np.float32] = high @ y.T
        return (low @ y.T if least else most[:0]), most
    signed = np.hstack([np.maximum(y, zero), np.minimum(y, zero)]).T
    most = np.hstack([high, low]) @ signed
    return (np.hstack([low, high]) @ signed if least else most[:0]), most


def rows_of(array: NDArray[Any], selection: Selection) -> NDArray[Any]:
    """The rows of ``array`` at ``selection``: a view for a slice, else a gathered copy."""
    if isinstance(selection, slice):
        return array[selection]
    return np.take(array, selection, axis=0)


def _zeroed(values: ArrayLike, known: NDArray[np.bool_]) -> NDArray[np.float32]:
    array = np.asarray(values, dtype=np.float64)
    return np.ascontiguousarray(np.where(known[:, None], array, 0.0), dtype=np.float32)
