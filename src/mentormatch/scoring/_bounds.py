"""Upper bounds on the compatibility of groups of mentors, so a scan may skip a group unscored.

A :class:`MentorGroups` splits the mentors into groups and keeps, per group and
built-in criterion, the :class:`~mentormatch.scoring._terms.Box` of its
members' terms. For a mentee, :meth:`MentorGroups.upper_bounds` bounds each
criterion over each group (:meth:`~mentormatch.scoring._terms.Terms.upper`:
interval arithmetic on the terms, the neutral 0.5 where an input may be
missing, 1 for a criterion without terms) and adds them up with the weights:

    for every mentor ``i`` of group ``g``: ``PairScorer.block(i, j) <= bounds[g, j]``.

The per-criterion bounds hold for the float32 values as the criteria compute
them (their spans include the products' rounding); the weighted sum adds the
rounding of the scorer's folded bilinear product and :data:`MARGIN`.

Homogeneous groups give tight bounds: :func:`homogeneous_groups` splits the
mentors as a k-d tree does, always across the feature over which a part is
widest, each feature a term scaled by what it can move the score
(:func:`grouping_features`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from mentormatch.scoring._criteria import BuiltIn
from mentormatch.scoring._people import NEUTRAL
from mentormatch.scoring._terms import Box, Terms

__all__ = ["MARGIN", "MentorGroups", "grouping_features", "homogeneous_groups"]

MARGIN = 1e-5
"""Added to every bound for the float32 steps that the spans do not cover.

Those are the formulas' elementwise steps in the scores and again in the bounds
(``exp`` within 2.4 units of 2**-24, measured; ``clip`` and the neutral score
exact), the weights' products and the sums of the criteria (one rounding each,
of values at most 2), and the bound's own additions: with six criteria, under
80 units of 2**-24 (4.8e-6), half the margin.
"""


CHUNK_CELLS = 1 << 19
"""Bounds computed at a time (2 MB per float32 array, so that a criterion's arrays stay in
cache): 1.2x faster than 2,000 mentees at once for 3,125 groups (32 of 100,000 mentors)."""


@dataclass(frozen=True, eq=False)
class MentorGroups:
    """Mentors in groups, with the box of each group's terms per weighted built-in criterion.

    Made by :meth:`PairScorer.mentor_groups` (homogeneous groups of about a
    size) or :meth:`PairScorer.group_mentors` (groups given), for that scorer.

    Attributes
    ----------
    members : ndarray of intp
        Mentor positions, group after group (each group in increasing order).
    starts : ndarray of intp, shape (groups + 1,)
        Group ``g`` is ``members[starts[g]:starts[g + 1]]``; none is empty.
    parts : tuple of (weight, Terms, Box)
        Per weighted built-in criterion, its weight, terms and the groups' boxes.
    fixed : float
        The total weight of the criteria without terms (custom ones), each bounded by 1.
    margin : float
        Added to every bound: :data:`MARGIN` and the folded product's rounding.
    scorer : object
        The :class:`PairScorer` they were made by (and are for).

    Examples
    --------
    >>> from mentormatch.intake import example_cohort
    >>> from mentormatch.scoring import PairScorer
    >>> groups = PairScorer.of(example_cohort()).group_mentors([[4, 0], [7]])
    >>> len(groups), groups.group(0).tolist(), groups.starts.tolist()
    (2, [4, 0], [0, 2, 3])
    """

    members: NDArray[np.intp]
    starts: NDArray[np.intp]
    parts: tuple[tuple[float, Terms, Box], ...] = field(repr=False)
    fixed: float
    margin: float
    scorer: object = field(repr=False)

    @classmethod
    def of(
        cls,
        members: NDArray[np.intp],
        starts: NDArray[np.intp],
        weighted: Sequence[tuple[float, Terms]],
        fixed: float,
        margin: float,
        scorer: object,
    ) -> MentorGroups:
        """Groups ``members[starts[g]:starts[g + 1]]``, boxing each of the ``weighted`` terms."""
        parts = tuple((w, terms, Box.of(terms, members, starts)) for w, terms in weighted)
        return cls(members, starts, parts, fixed, margin, scorer)

    def __len__(self) -> int:
        return len(self.starts) - 1

    def __repr__(self) -> str:
        sizes = self.sizes
        spread = f"{sizes.min()}-{sizes.max()}" if len(sizes) else "0"
        return f"MentorGroups({len(self)} groups of {spread} mentors)"

    @property
    def sizes(self) -> NDArray[np.intp]:
        """How many mentors each group has."""
        sizes: NDArray[np.intp] = np.diff(self.starts)
        return sizes

    def group(self, g: int) -> NDArray[np.intp]:
        """The mentor positions of group ``g``."""
        return self.members[self.starts[g] : self.starts[g + 1]]

    def upper_bounds(self, cols: NDArray[np.intp]) -> NDArray[np.float32]:
        """For each group and each mentee at ``cols`` (positions, unchecked), at least what any
        member scores with it: :meth:`PairScorer.upper_bounds` after checking its arguments.

        Examples
        --------
        >>> import numpy as np
        >>> from mentormatch.intake import example_cohort
        >>> from mentormatch.scoring import PairScorer
        >>> scorer = PairScorer.of(example_cohort())
        >>> bounds = scorer.mentor_groups(10).upper_bounds(np.arange(30))
        >>> bounds.shape, bool((bounds <= 1).all())
        ((2, 30), True)
        """
        bounds = np.empty((len(self), len(cols)), dtype=np.float32)
        step = max(1, CHUNK_CELLS // max(len(self), 1))
        for start in range(0, len(cols), step):
            total = bounds[:, start : start + step]
            total[...] = self.fixed + self.margin
            for weight, terms, box in self.parts:
                values = terms.upper(box, cols[start : start + step])
                values *= np.float32(weight)
                total += values
            np.minimum(total, 1, out=total)
        return bounds


def grouping_features(
    parts: Sequence[tuple[float, BuiltIn, Terms]], n_mentors: int
) -> NDArray[np.float64]:
    """Each mentor's features for grouping: per weighted built-in, its :meth:`BuiltIn.grouping`
    times the weight, and where some mentor's input is missing, whether it is, times
    half the weight (what the neutral score may add to a group's bound).

    Examples
    --------
    >>> from mentormatch.intake import example_cohort
    >>> from mentormatch.scoring import Level, People
    >>> mentors, mentees = People.of(example_cohort())
    >>> terms = Level().terms(mentors, mentees)
    >>> grouping_features([(0.5, Level(), terms)], len(mentors)).shape
    (20, 2)
    """
    columns: list[NDArray[np.float64]] = [np.zeros((n_mentors, 0))]
    for weight, criterion, terms in parts:
        columns.append(weight * criterion.grouping(terms))
        if not terms.mentor_known.all():
            columns.append(np.where(terms.mentor_known[:, None], 0.0, weight * NEUTRAL))
    return np.hstack(columns)


def homogeneous_groups(
    features: NDArray[np.float64], size: int
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Split the rows of ``features`` into ``ceil(n / size)`` groups of equal sizes (within
    one), as a k-d tree does: a run of ``q`` groups is sorted by the column over which its
    rows spread widest (ties keep their order) and cut where ``q // 2`` groups' rows end.

    Returns ``(members, starts)`` as :class:`MentorGroups` holds them, each group's rows
    in increasing order. Written out rather than taken from scikit-learn's ``KDTree``,
    whose leaves hold between one and two times its ``leaf_size`` rows and whose
    median split does not keep ties in order.

    Examples
    --------
    >>> import numpy as np
    >>> members, starts = homogeneous_groups(np.array([[5.0, 0], [1, 1], [4, 0], [2, 1]]), 2)
    >>> members.tolist(), starts.tolist()
    ([1, 3, 0, 2], [0, 2, 4])
    """
    n = len(features)
    count = -(-n // size)
    starts = (np.arange(count + 1) * n) // max(count, 1)
    order = np.arange(n)
    runs = [(0, count)]
    while runs:
        first, last = runs.pop()
        if last - first < 2:
            continue
        rows = order[starts[first] : starts[last]]
        values = features[rows]
        widths = values.max(axis=0) - values.min(axis=0) if values.shape[1] else np.zeros(1)
        widest = int(np.argmax(widths))
        if widths[widest] > 0:
            order[starts[first] : starts[last]] = rows[np.argsort(values[:, widest], kind="stable")]
        middle = (first + last) // 2
        runs += [(first, middle), (middle, last)]
    group = np.repeat(np.arange(count), np.diff(starts))
    members = order[np.lexsort((order, group))]
    return members.astype(np.intp), starts.astype(np.intp)
