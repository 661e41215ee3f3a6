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
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
from numpy.typing import ArrayLike, NDArray

from mentormatch.scoring._people import NEUTRAL

__all__ = [
    "BLOCK_PAIRS",
    "Block",
    "Formula",
    "Pairing",
    "Pairs",
    "Product",
    "ScoreBlock",
    "Selection",
    "Terms",
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
    """

    mentor: NDArray[np.float32]
    mentee: NDArray[np.float32]
    mentor_known: NDArray[np.bool_]
    mentee_known: NDArray[np.bool_]
    formula: Formula | None = None

    @classmethod
    def of(
        cls,
        mentor: ArrayLike,
        mentee: ArrayLike,
        mentor_known: ArrayLike,
        mentee_known: ArrayLike,
        formula: Formula | None = None,
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


def rows_of(array: NDArray[Any], selection: Selection) -> NDArray[Any]:
    """The rows of ``array`` at ``selection``: a view for a slice, else a gathered copy."""
    if isinstance(selection, slice):
        return array[selection]
    return np.take(array, selection, axis=0)


def _zeroed(values: ArrayLike, known: NDArray[np.bool_]) -> NDArray[np.float32]:
    array = np.asarray(values, dtype=np.float64)
    return np.ascontiguousarray(np.where(known[:, None], array, 0.0), dtype=np.float32)
