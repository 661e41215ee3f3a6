"""Scoring a cohort: the criteria's weighted mean, checked, with reasons in words."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from mentormatch.cohort import Cohort
from mentormatch.errors import InputError, Violation
from mentormatch.profiles import Profile
from mentormatch.scoring._criteria import BUILT_IN, DEFAULT_WEIGHTS
from mentormatch.scoring._people import NEUTRAL, Criterion, People

__all__ = ["Scores", "score"]

_F32 = np.float32


@dataclass(frozen=True, eq=False)
class Scores:
    """Compatibility of every mentor with every mentee, and what it is made of.

    Attributes
    ----------
    matrix : DataFrame
        float64 in [0, 1]: index mentor ids, columns mentee ids, both sorted.
    breakdown : dict of str to DataFrame
        One frame per criterion (float32, same shape), in criterion order.
    weights : dict of str to float
        The weight of every criterion used, normalised to sum to 1 (zeros included).

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
    profiles: Mapping[str, Profile] = field(repr=False)
    criteria: tuple[Criterion, ...] = field(repr=False)

    def reason(self, mentor_id: str, mentee_id: str) -> str:
        """The pair's score in plain words, criterion by criterion (weighted ones only).

        Raises ``InputError`` when an id is not a mentor or a mentee of the scores.

        Examples
        --------
        >>> from mentormatch.intake import example_cohort
        >>> from mentormatch.scoring import score
        >>> for part in score(example_cohort()).reason("M001", "E001").split("; "):
        ...     print(part)
        offers 1 of the 2 themes sought (political-turbulence)
        14 more years in the role
        different size (53,712 vs 13,469 inhabitants)
        172 km apart
        both municipalities
        common language (nb)
        """
        for person, axis, role in (
            (mentor_id, self.matrix.index, "mentor"),
            (mentee_id, self.matrix.columns, "mentee"),
        ):
            if person not in axis:
                raise InputError(
                    Violation(f"no {role} with id '{person}' in the scores", argument=f"{role}_id")
                )
        mentor, mentee = self.profiles[mentor_id], self.profiles[mentee_id]
        return "; ".join(
            _describe(c, mentor, mentee, _cell(self.breakdown[c.name], mentor_id, mentee_id))
            for c in self.criteria
            if self.weights[c.name] > 0
        )


def _cell(frame: pd.DataFrame, row: str, column: str) -> float:
    return float(np.asarray(frame.loc[row, column]))


def _describe(criterion: Criterion, mentor: Profile, mentee: Profile, value: float) -> str:
    describe = getattr(criterion, "describe", None)
    if describe is None:
        return f"{criterion.name} {value:.2f}"
    return str(describe(mentor, mentee, value))


def _criteria(extra: Iterable[Criterion]) -> tuple[Criterion, ...]:
    """The built-ins, each replaced by a given criterion of its name, then the others."""
    given = list(extra)
    bad = [repr(c) for c in given if not isinstance(c, Criterion) or not _named(c)]
    if bad:
        raise InputError(
            Violation(
                "expected criteria with a non-empty text `name` and a call "
                f"(mentors, mentees) -> array; got {', '.join(bad)}",
                argument="criteria",
            )
        )
    names = [c.name for c in given]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise InputError(
            Violation(f"criteria named twice: {', '.join(twice)}", argument="criteria")
        )
    by_name = dict(zip(names, given, strict=True))
    return (*(by_name.pop(c.name, c) for c in BUILT_IN), *by_name.values())


def _named(criterion: Criterion) -> bool:
    return isinstance(criterion.name, str) and bool(criterion.name)


def _weights(
    weights: Mapping[str, float] | None, criteria: Sequence[Criterion]
) -> dict[str, float]:
    """Validate ``weights`` over the defaults (custom criteria default to 1); normalise to sum 1."""
    if weights is not None and not isinstance(weights, Mapping):
        raise InputError(
            Violation(
                f"expected a mapping criterion -> weight, got {type(weights).__name__}",
                argument="weights",
            )
        )
    valid = [c.name for c in criteria]
    merged = {name: DEFAULT_WEIGHTS.get(name, 1.0) for name in valid} | dict(weights or {})
    problems = []
    unknown = [name for name in merged if name not in valid]
    if unknown:
        problems.append(
            f"unknown criteria {', '.join(map(repr, unknown))}; valid: {', '.join(valid)}"
        )
    bad = [name for name, w in merged.items() if not _is_weight(w)]
    if bad:
        problems.append(
            "expected a finite number >= 0 for "
            + ", ".join(f"'{name}' (got {merged[name]!r})" for name in bad)
        )
    if not problems and sum(float(w) for w in merged.values()) == 0:
        problems.append(f"all weights are zero; give at least one of {', '.join(valid)} a weight")
    if problems:
        raise InputError([Violation(p, argument="weights") for p in problems])
    total = sum(float(w) for w in merged.values())
    return {name: float(merged[name]) / total for name in valid}


def _is_weight(value: object) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float | np.number):
        return False
    return math.isfinite(float(value)) and float(value) >= 0


def _evaluate(criterion: Criterion, mentors: People, mentees: People) -> NDArray[np.float32]:
    """Run one criterion: check its shape and range, and score NaN (unknown) as neutral."""
    values = np.asarray(criterion(mentors, mentees), dtype=_F32)
    expected = (len(mentors), len(mentees))
    where = f"criterion '{criterion.name}'"
    if values.shape != expected:
        raise InputError(
            Violation(
                f"{where} returned shape {values.shape}, expected {expected}", argument="criteria"
            )
        )
    missing = np.isnan(values)
    np.copyto(values, _F32(NEUTRAL), where=missing)
    if values.size and (values.min() < 0 or values.max() > 1):
        raise InputError(Violation(f"{where} returned values outside [0, 1]", argument="criteria"))
    return values


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

    Raises
    ------
    InputError
        For unknown weight names, negative, NaN or non-numeric weights, all
        weights zero, or a criterion returning a wrong shape or values outside [0, 1].

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
      - argument 'weights': unknown criteria 'theme'; valid: themes, experience, size, ...
      - argument 'weights': expected a finite number >= 0 for 'size' (got -1)
    """
    if not isinstance(cohort, Cohort):
        raise InputError(
            Violation(f"expected a Cohort, got {type(cohort).__name__}", argument="cohort")
        )
    used = _criteria(criteria)
    normalised = _weights(weights, used)
    mentors, mentees = People.of(cohort)
    matrix = np.zeros((len(mentors), len(mentees)), dtype=np.float64)
    breakdown: dict[str, pd.DataFrame] = {}
    for criterion in used:
        values = _evaluate(criterion, mentors, mentees)
        if normalised[criterion.name]:
            matrix += np.multiply(values, normalised[criterion.name], dtype=np.float64)
        breakdown[criterion.name] = _frame(values, mentors, mentees)
    np.clip(matrix, 0, 1, out=matrix)
    return Scores(
        matrix=_frame(matrix, mentors, mentees),
        breakdown=breakdown,
        weights=normalised,
        profiles={p.id: p for p in (*mentors.profiles, *mentees.profiles)},
        criteria=used,
    )


def _frame(values: NDArray[np.floating], mentors: People, mentees: People) -> pd.DataFrame:
    return pd.DataFrame(
        values,
        index=pd.Index(mentors.ids, name="mentor_id"),
        columns=pd.Index(mentees.ids, name="mentee_id"),
        copy=False,
    )
