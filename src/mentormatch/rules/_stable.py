"""Stability: no blocking pair among people who ranked each other."""

from __future__ import annotations

from typing import Literal

import numpy as np

from mentormatch.errors import InputError, Violation
from mentormatch.problem import UNRANKED, Preferences
from mentormatch.profiles import Profile
from mentormatch.rules._base import Context, Draft, _Rule

__all__ = ["Stable"]


class Stable(_Rule):
    """No blocking pair among people who ranked each other (the ``preferences`` column).

    A mentee and a mentor who listed each other, and whom the other rules allow
    together, *block* a pairing when the mentee is unpaired or prefers that mentor
    to their own, and the mentor has room or prefers that mentee to one of theirs:
    both would rather leave their pairs for each other. With ``Stable()`` no
    pairing with a blocking pair is chosen; among the stable ones, the best by the
    objective. A listed partner is preferred to an unlisted one or to none.

    Entries must name people of the other role in the cohort; a blank column
    means the person ranked no one (and blocks nothing).

    Examples
    --------
    >>> import mentormatch as mm
    >>> cohort = mm.Cohort.from_frame(__import__("pandas").DataFrame({
    ...     "id": ["m1", "m2", "e1", "e2"], "role": ["mentor"] * 2 + ["mentee"] * 2,
    ...     "organisation": ["A", "B", "C", "D"], "region": ["R"] * 4,
    ...     "preferences": ["e1;e2", "e1", "m2;m1", "m1"]}))
    >>> result = mm.match(cohort, rules=[mm.Stable()])
    >>> sorted(zip(result.pairs["mentor_id"], result.pairs["mentee_id"]))
    [('m1', 'e2'), ('m2', 'e1')]
    """

    kind: Literal["Stable"] = "Stable"

    def compile(self, into: Draft) -> None:
        """Demand a pairing without blocking pairs under the cohort's preferences."""
        into.prefer(preferences(into.context, str(self)))


def preferences(context: Context, rule: str) -> Preferences:
    """The cohort's ``preferences`` as rank matrices; ``InputError`` for every entry that
    names no one of the other role in the cohort.

    Examples
    --------
    >>> from mentormatch.intake import example_cohort
    >>> cohort = example_cohort()
    >>> prefs = preferences(Context(cohort.mentors, cohort.mentees), "Stable()")
    >>> prefs.mentor_rank.shape, bool(prefs.blockable.any())
    ((20, 30), False)
    """
    mentor_rank = _ranks(context.mentors, context.mentees, rule)
    mentee_rank = _ranks(context.mentees, context.mentors, rule).T
    return Preferences.of(mentor_rank, mentee_rank, rule)


def _ranks(people: tuple[Profile, ...], others: tuple[Profile, ...], rule: str) -> np.ndarray:
    """``ranks[k, l]``: the place of ``others[l]`` in ``people[k]``'s list, or UNRANKED."""
    column = {person.id: index for index, person in enumerate(others)}
    ranks = np.full((len(people), len(others)), UNRANKED, dtype=np.int64)
    unknown = []
    for row, person in enumerate(people):
        for place, other in enumerate(person.preferences):
            if other in column:
                ranks[row, column[other]] = place
            else:
                unknown.append(
                    Violation(
                        f"{rule}: {person.id} ranks '{other}', who is not a "
                        f"{'mentee' if person.role == 'mentor' else 'mentor'} in the cohort",
                        column="preferences",
                    )
                )
    if unknown:
        raise InputError(unknown)
    return ranks
