"""Rules that rule pairs out: each compiles into the allowed-pair mask."""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray
from pydantic import Field

from mentormatch.errors import InputError, Violation
from mentormatch.geo import distance_km
from mentormatch.profiles import Profile
from mentormatch.rules._base import (
    Context,
    Mask,
    _call_only,
    _Forbidding,
    _organisation,
    _Pair,
    _region,
)
from mentormatch.rules._history import earlier_pairs

__all__ = [
    "AvoidDeclared",
    "AvoidSameOrganisation",
    "DifferentRegion",
    "Forbid",
    "MaxDistance",
    "NoRepeat",
    "SameRegion",
]


class AvoidSameOrganisation(_Forbidding):
    """Never pair two people of one organisation (compared case-insensitively).

    Examples
    --------
    >>> from mentormatch.intake import example_cohort
    >>> cohort = example_cohort()
    >>> mask = AvoidSameOrganisation().forbids(Context(cohort.mentors, cohort.mentees))
    >>> [(cohort.mentors[i].id, cohort.mentees[j].id) for i, j in zip(*mask.nonzero())]
    [('M002', 'E017')]
    """

    kind: Literal["AvoidSameOrganisation"] = "AvoidSameOrganisation"

    def forbids(self, context: Context) -> Mask:
        """Pairs of one organisation."""
        return context.same(_organisation)


class AvoidDeclared(_Forbidding):
    """Honour the ``avoid`` column, both directions.

    An entry names a person by id (exactly) or an organisation (case-insensitively);
    a pair is ruled out when either person's entries name the other.

    Examples
    --------
    >>> from mentormatch.intake import example_cohort
    >>> cohort = example_cohort()
    >>> mask = AvoidDeclared().forbids(Context(cohort.mentors, cohort.mentees))
    >>> [(cohort.mentors[i].id, cohort.mentees[j].id) for i, j in zip(*mask.nonzero())]
    [('M003', 'E004'), ('M010', 'E017')]
    """

    kind: Literal["AvoidDeclared"] = "AvoidDeclared"

    def forbids(self, context: Context) -> Mask:
        """Pairs where one names the other, or the other's organisation, in ``avoid``."""
        mentor_ids, mentee_ids = context.values(lambda p: p.id)
        mentor_orgs, mentee_orgs = context.values(_organisation)
        by_mentor = [_names(p, mentee_ids, mentee_orgs) for p in context.mentors]
        by_mentee = [_names(p, mentor_ids, mentor_orgs) for p in context.mentees]
        rows: Mask = np.array(by_mentor, dtype=bool).reshape(context.shape)
        columns: Mask = np.array(by_mentee, dtype=bool).reshape(context.shape[::-1])
        return rows | columns.T


def _names(person: Profile, ids: NDArray[np.str_], organisations: NDArray[np.str_]) -> Mask:
    """Which of the others (given by ids and folded organisations) ``person.avoid`` names."""
    entries = np.array(person.avoid, dtype=str)
    folded = np.array([entry.casefold() for entry in person.avoid], dtype=str)
    named: Mask = np.isin(ids, entries) | np.isin(organisations, folded)
    return named


class SameRegion(_Forbidding):
    """Mentor and mentee in the same region (compared case-insensitively).

    Examples
    --------
    >>> from mentormatch.intake import example_cohort
    >>> cohort = example_cohort()
    >>> int((~SameRegion().forbids(Context(cohort.mentors, cohort.mentees))).sum())
    25
    """

    kind: Literal["SameRegion"] = "SameRegion"

    def forbids(self, context: Context) -> Mask:
        """Pairs from different regions."""
        return ~context.same(_region)


class DifferentRegion(_Forbidding):
    """Mentor and mentee in different regions (compared case-insensitively).

    Examples
    --------
    >>> from mentormatch.intake import example_cohort
    >>> cohort = example_cohort()
    >>> int(DifferentRegion().forbids(Context(cohort.mentors, cohort.mentees)).sum())
    25
    """

    kind: Literal["DifferentRegion"] = "DifferentRegion"

    def forbids(self, context: Context) -> Mask:
        """Pairs from one region."""
        return context.same(_region)


class MaxDistance(_Forbidding):
    """At most ``km`` kilometres between mentor and mentee, great-circle.

    A person without ``latitude`` and ``longitude`` is an ``InputError`` naming
    their id, unless ``skip_missing=True``: then pairs with that person are left
    allowed (the rule cannot judge them).

    Examples
    --------
    >>> from mentormatch.intake import example_cohort
    >>> cohort = example_cohort()
    >>> rule = MaxDistance(km=400)
    >>> rule, int(rule.forbids(Context(cohort.mentors, cohort.mentees)).sum())
    (MaxDistance(km=400), 390)
    >>> MaxDistance(km=-1)
    Traceback (most recent call last):
    ...
    mentormatch.errors.InputError: MaxDistance, argument 'km': input should be greater than ...
    """

    kind: Literal["MaxDistance"] = "MaxDistance"
    km: float = Field(ge=0, allow_inf_nan=False)
    skip_missing: bool = False

    def forbids(self, context: Context) -> Mask:
        """Pairs farther apart than ``km``."""
        people = (*context.mentors, *context.mentees)
        missing = [p.id for p in people if p.latitude is None or p.longitude is None]
        if missing and not self.skip_missing:
            raise InputError(
                [
                    Violation(
                        f"{self}: {person_id} has no latitude/longitude; add them, or use "
                        f"skip_missing=True to leave pairs with {person_id} allowed"
                    )
                    for person_id in missing
                ]
            )
        distance = distance_km(context.mentors, context.mentees)
        far: Mask = np.nan_to_num(distance, nan=0.0) > self.km  # NaN: a missing coordinate
        return far


class Forbid(_Pair, _Forbidding):
    """Never pair this mentor with this mentee.

    Examples
    --------
    >>> from mentormatch.intake import example_cohort
    >>> cohort = example_cohort()
    >>> Forbid("M001", "E003").forbids(Context(cohort.mentors, cohort.mentees)).sum()
    np.int64(1)
    """

    kind: Literal["Forbid"] = "Forbid"

    def forbids(self, context: Context) -> Mask:
        """Just this pair."""
        pairs = np.zeros(context.shape, dtype=bool)
        pairs[self.index(context)] = True
        return pairs


class NoRepeat(_Forbidding):
    """Nobody is paired again with an earlier partner (for repeated rounds).

    ``history`` is what :func:`~mentormatch.rules._history.earlier_pairs` reads:
    earlier results, pairs tables, the files they were written to, or
    ``(mentor_id, mentee_id)`` pairs; several rounds as a list. Only the pairs are
    kept (rule files hold them as ``pairs``). Two people once paired are never
    paired again, whichever of them mentors now; people no longer in the cohort
    are passed over.

    Examples
    --------
    >>> from mentormatch.intake import example_cohort
    >>> cohort = example_cohort()
    >>> rule = NoRepeat([("M001", "E003"), ("M999", "E001")])
    >>> rule, int(rule.forbids(Context(cohort.mentors, cohort.mentees)).sum())
    (NoRepeat(history=<2 earlier pairs>), 1)
    """

    kind: Literal["NoRepeat"] = "NoRepeat"
    pairs: tuple[tuple[str, str], ...]

    @_call_only
    def __init__(self, history: object = None, **data: Any) -> None:
        if history is not None:
            data["pairs"] = earlier_pairs(history)
        super().__init__(**data)

    def __str__(self) -> str:
        count = len(self.pairs)
        return f"NoRepeat(history=<{count} earlier pair{'' if count == 1 else 's'}>)"

    def forbids(self, context: Context) -> Mask:
        """The pairs of two people paired before, in either role."""
        mentors = {p.id: i for i, p in enumerate(context.mentors)}
        mentees = {p.id: j for j, p in enumerate(context.mentees)}
        again = np.zeros(context.shape, dtype=bool)
        for a, b in self.pairs:
            for mentor, mentee in ((a, b), (b, a)):
                if mentor in mentors and mentee in mentees:
                    again[mentors[mentor], mentees[mentee]] = True
        return again
