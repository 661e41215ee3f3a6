"""The people scored (mentors or mentees with their features) and what a criterion is."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Protocol, runtime_checkable

import numpy as np
from numpy.typing import ArrayLike, NDArray

from mentormatch.cohort import Cohort
from mentormatch.features import ProfileFeaturizer
from mentormatch.profiles import Profile

__all__ = ["NEUTRAL", "RESERVED_NAMES", "Criterion", "People"]

NEUTRAL = 0.5
"""The score of a pair on a criterion whose input is missing."""


@dataclass(frozen=True, eq=False)
class People:
    """The mentors or the mentees of a cohort, sorted by id, with their features.

    :meth:`take` picks some of them (a block), in the order given.

    Parameters
    ----------
    profiles : tuple of Profile
        Sorted by id.
    features : ndarray of shape (len(profiles), n_features)
        From a :class:`~mentormatch.features.ProfileFeaturizer` fitted on the whole cohort.
    featurizer : ProfileFeaturizer
        The fitted featurizer (its ``blocks_`` and ``languages_`` name the columns).

    Examples
    --------
    >>> from mentormatch.intake import example_cohort
    >>> mentors, mentees = People.of(example_cohort())
    >>> len(mentors), mentees.block("coordinates").shape
    (20, (30, 2))
    """

    profiles: tuple[Profile, ...]
    features: NDArray[np.float64]
    featurizer: ProfileFeaturizer

    @classmethod
    def of(cls, cohort: Cohort) -> tuple[People, People]:
        """The cohort's mentors and mentees, each sorted by id, featurized together.

        Examples
        --------
        >>> from mentormatch.intake import example_cohort
        >>> mentors, _ = People.of(example_cohort())
        >>> mentors.ids[:2]
        ('M001', 'M002')
        """
        featurizer = ProfileFeaturizer().fit(_by_id(cohort.profiles))
        mentors, mentees = _by_id(cohort.mentors), _by_id(cohort.mentees)
        return (
            cls(mentors, featurizer.transform(list(mentors)), featurizer),
            cls(mentees, featurizer.transform(list(mentees)), featurizer),
        )

    def __len__(self) -> int:
        return len(self.profiles)

    @cached_property
    def ids(self) -> tuple[str, ...]:
        """The ids, in order."""
        return tuple(p.id for p in self.profiles)

    def take(self, indices: slice | ArrayLike) -> People:
        """The people at ``indices`` (a slice or positions), in that order, with their features.

        Examples
        --------
        >>> from mentormatch.intake import example_cohort
        >>> mentors, _ = People.of(example_cohort())
        >>> some = mentors.take([3, 0])
        >>> some.ids, some.features.shape == (2, mentors.features.shape[1])
        (('M004', 'M001'), True)
        """
        if isinstance(indices, slice):
            return People(self.profiles[indices], self.features[indices], self.featurizer)
        positions = np.asarray(indices, dtype=np.intp).reshape(-1)
        return People(
            tuple(self.profiles[i] for i in positions.tolist()),
            self.features[positions],
            self.featurizer,
        )

    def block(self, name: str) -> NDArray[np.float64]:
        """One feature block (see :data:`mentormatch.features.BLOCKS`), one row per person."""
        return self.features[:, self.featurizer.blocks_[name]]

    def column(self, name: str) -> NDArray[np.float64]:
        """A one-column block as a vector."""
        return self.block(name)[:, 0]


def _by_id(profiles: Iterable[Profile]) -> tuple[Profile, ...]:
    return tuple(sorted(profiles, key=lambda p: p.id))


_SIDES = ("mentor", "mentee")

RESERVED_NAMES: tuple[str, ...] = (
    "mentor_id",
    "mentee_id",
    "score",
    *(f"{side}_{column}" for column in ("name", "organisation", "region") for side in _SIDES),
    "distance_km",
    "reason",
)
"""Names no criterion may take: the columns ``result.pairs`` has beside one per criterion."""


@runtime_checkable
class Criterion(Protocol):
    """What :func:`score` needs of a criterion: a ``name`` and a call scoring all pairs.

    The call gets some mentors and some mentees (:class:`People`: the
    cohort's, sorted by id, or a block of them, see :meth:`People.take`) and
    returns an array of shape (mentors, mentees) with values in [0, 1], NaN
    where it cannot tell (scored 0.5). It is called once per block, so large
    cohorts never need it to return the whole table. A criterion may also have a
    ``describe(mentor, mentee, value) -> str`` method for :meth:`Scores.reason`;
    without it the reason shows ``name value``.

    Examples
    --------
    >>> import numpy as np
    >>> from mentormatch.intake import example_cohort
    >>> from mentormatch.scoring import score
    >>> class SameCountry:
    ...     name = "country"
    ...     def __call__(self, mentors, mentees):
    ...         a = np.array([p.country for p in mentors.profiles], dtype=object)
    ...         b = np.array([p.country for p in mentees.profiles], dtype=object)
    ...         return (a[:, None] == b[None, :]).astype(float)
    >>> scores = score(example_cohort(), weights={"country": 2}, criteria=[SameCountry()])
    >>> isinstance(SameCountry(), Criterion), round(scores.weights["country"], 3)
    (True, 0.182)
    """

    @property
    def name(self) -> str:
        """The criterion's name, a key of ``weights`` and of ``Scores.breakdown``, and a column
        of ``result.pairs``: none of the :data:`RESERVED_NAMES`."""

    def __call__(self, mentors: People, mentees: People) -> ArrayLike:
        """Score all pairs: shape (mentors, mentees), values in [0, 1] or NaN."""
