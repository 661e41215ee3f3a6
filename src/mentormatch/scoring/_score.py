"""Scoring a whole cohort: the compatibility matrix, its breakdown, and reasons in words."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

import pandas as pd

from mentormatch.cohort import Cohort
from mentormatch.scoring._people import Criterion
from mentormatch.scoring._scorer import PairScorer

__all__ = ["Breakdown", "Scores", "score"]


class Breakdown(Mapping[str, pd.DataFrame]):
    """The scores per criterion, read-only: each frame is computed when first read, then kept.

    Keys are the criterion names in criterion order; each value is a float32
    DataFrame shaped like ``Scores.matrix`` (missing inputs score 0.5). Reading
    one criterion computes only that one (:meth:`PairScorer.criterion_matrix`),
    so scoring a large cohort never holds a table per criterion unless asked.

    Examples
    --------
    >>> from mentormatch.intake import example_cohort
    >>> from mentormatch.scoring import score
    >>> breakdown = score(example_cohort()).breakdown
    >>> breakdown.computed
    ()
    >>> breakdown["level"].shape, breakdown.computed
    ((20, 30), ('level',))
    """

    def __init__(self, scorer: PairScorer) -> None:
        self._scorer = scorer
        self._frames: dict[str, pd.DataFrame] = {}

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in self._scorer.weights:
            raise KeyError(name)
        if name not in self._frames:
            self._frames[name] = self._scorer.frame(self._scorer.criterion_matrix(name))
        return self._frames[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._scorer.weights)

    def __len__(self) -> int:
        return len(self._scorer.weights)

    @property
    def computed(self) -> tuple[str, ...]:
        """The criteria whose frames have been computed so far."""
        return tuple(name for name in self if name in self._frames)

    def __repr__(self) -> str:
        return f"Breakdown({', '.join(self)}; computed: {', '.join(self.computed) or 'none'})"


@dataclass(frozen=True, eq=False)
class Scores:
    """Compatibility of every mentor with every mentee, and what it is made of.

    Attributes
    ----------
    matrix : DataFrame
        float64 in [0, 1]: index mentor ids, columns mentee ids, both sorted.
    breakdown : Breakdown
        A read-only mapping criterion name -> DataFrame of the same shape
        (float32), in criterion order; each frame is computed when first read.
    weights : dict of str to float
        The weight of every criterion used, normalised to sum to 1 (zeros included).
    scorer : PairScorer
        What computed them: scores any block or list of pairs again without the matrix.

    Examples
    --------
    >>> from mentormatch.intake import example_cohort
    >>> from mentormatch.scoring import score
    >>> scores = score(example_cohort())
    >>> scores.matrix.shape, list(scores.breakdown)[:2]
    ((20, 30), ['themes', 'experience'])
    """

    matrix: pd.DataFrame
    breakdown: Mapping[str, pd.DataFrame]
    weights: Mapping[str, float]
    scorer: PairScorer = field(repr=False)

    @classmethod
    def of(cls, scorer: PairScorer) -> Scores:
        """The whole table a scorer gives, with its lazy breakdown.

        Examples
        --------
        >>> from mentormatch.intake import example_cohort
        >>> Scores.of(PairScorer.of(example_cohort())).matrix.shape
        (20, 30)
        """
        return cls(
            matrix=scorer.frame(scorer.matrix()),
            breakdown=Breakdown(scorer),
            weights=dict(scorer.weights),
            scorer=scorer,
        )

    def reason(self, mentor_id: str, mentee_id: str) -> str:
        """The pair's score in plain words, criterion by criterion (weighted ones only);
        see :meth:`PairScorer.reason`.

        Examples
        --------
        >>> from mentormatch.intake import example_cohort
        >>> from mentormatch.scoring import score
        >>> score(example_cohort()).reason("M001", "E001").split("; ")[0]
        'offers 1 of the 2 themes sought (political-turbulence)'
        """
        return self.scorer.reason(mentor_id, mentee_id)


def score(
    cohort: Cohort,
    weights: Mapping[str, float] | None = None,
    criteria: Iterable[Criterion] = (),
) -> Scores:
    """Score every mentor with every mentee: per criterion, and as their weighted mean.

    Parameters
    ----------
    cohort : Cohort
        From :func:`mentormatch.intake.read_cohort` or ``Cohort.from_frame``.
    weights : mapping of str to float, optional
        Non-negative weights by criterion name. Criteria not named keep their
        default (:data:`DEFAULT_WEIGHTS`; custom criteria 1); give 0 to leave
        one out. The compatibility is ``sum(w_c * C_c) / sum(w_c)``, in [0, 1].
    criteria : iterable of Criterion, optional
        Custom criteria (see :class:`Criterion`); one named like a built-in replaces it.

    Returns
    -------
    Scores
        Mentors and mentees sorted by id, so the file's row order never matters.
        The matrix is computed tile by tile (:meth:`PairScorer.matrix`); the
        breakdown per criterion only when read (see :class:`Breakdown`).

    Raises
    ------
    InputError
        Naming the argument: a cohort that is not a ``Cohort``; unknown weight
        names, negative, NaN or non-numeric weights, all weights zero or a sum
        that overflows; a criterion without a name, or returning anything but
        real numbers in [0, 1] (or NaN) of shape (mentors, mentees) (a criterion
        weighted 0 is first called when its breakdown is read).

    Examples
    --------
    >>> from mentormatch.intake import example_cohort
    >>> from mentormatch.scoring import score
    >>> scores = score(example_cohort(), weights={"themes": 3, "experience": 1, "size": 0})
    >>> round(scores.weights["themes"], 3), scores.weights["size"]
    (0.429, 0.0)
    >>> score(example_cohort(), weights={"theme": 1, "size": -1})
    Traceback (most recent call last):
    ...
    mentormatch.errors.InputError: 2 problems found:
      - argument 'weights': expected names of criteria (themes, experience, size, ...
      - argument 'weights': expected a finite number >= 0 for 'size', got -1
    """
    return Scores.of(PairScorer.of(cohort, weights, criteria))
