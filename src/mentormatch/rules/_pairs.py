"""Rules that rule pairs out: each compiles into the allowed-pair mask."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from mentormatch.errors import InputError, Violation
from mentormatch.geo import farther_than, terms_of
from mentormatch.names import employer_level, organisation_key
from mentormatch.profiles import Profile
from mentormatch.rules._base import (
    Context,
    Kilometres,
    Mask,
    PairTest,
    _call_only,
    _Forbidding,
    _organisation,
    _Pair,
    _region,
    _same,
    listed_pairs,
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
    """Never pair two people of one organisation.

    Organisation names are compared as one employer whatever the spelling: case,
    spacing and words such as "kommune", "kommun", "municipality" or "region" do not
    matter, so "Bergen" and "Bergen kommune" are one (see
    :func:`mentormatch.names.organisation_key`; ``cohort.warnings`` lists the
    spellings taken as one). Two people of different countries, or of different
    levels, are never of one organisation: "Lund kommun" (SE) and "Lund kommune" (NO)
    are two, and so are "Region Uppsala" (the county) and "Uppsala kommun" (the
    municipality). A person's level is the ``level`` column, or else what the words of
    their organisation's name say (:func:`mentormatch.names.employer_level`);
    a person whose country or level is unknown may be of either.

    Examples
    --------
    >>> from mentormatch.intake import example_cohort
    >>> cohort = example_cohort()
    >>> mask = AvoidSameOrganisation().forbids(Context(cohort.mentors, cohort.mentees))
    >>> [(cohort.mentors[i].id, cohort.mentees[j].id) for i, j in zip(*mask.nonzero())]
    [('M002', 'E017')]
    """

    kind: Literal["AvoidSameOrganisation"] = "AvoidSameOrganisation"

    def ruled_out(self, context: Context) -> PairTest:
        """Pairs of one organisation, country and level (where both are known)."""
        same_name = _same(context, _organisation)
        same_country = _unless_known_apart(context, _country)
        same_level = _unless_known_apart(context, _level)

        def same(rows: NDArray[np.intp], columns: NDArray[np.intp]) -> Mask:
            found: Mask = same_name(rows, columns)
            found &= same_country(rows, columns)
            found &= same_level(rows, columns)
            return found

        return same


def _unless_known_apart(context: Context, key: Callable[[Profile], str]) -> PairTest:
    """A test of the pairs whose ``key`` is the same or unknown (empty) for one of them."""
    same = _same(context, key)
    mentor_open = np.array([not key(p) for p in context.mentors], dtype=bool)
    mentee_open = np.array([not key(p) for p in context.mentees], dtype=bool)

    def maybe(rows: NDArray[np.intp], columns: NDArray[np.intp]) -> Mask:
        found: Mask = same(rows, columns) | mentor_open[rows][:, None] | mentee_open[columns]
        return found

    return maybe


def _country(person: Profile) -> str:
    return (person.country or "").casefold()


def _level(person: Profile) -> str:
    return employer_level(person.organisation, person.level) or ""


class AvoidDeclared(_Forbidding):
    """Honour the ``avoid`` column, both directions.

    An entry names a person by id (exactly) or an organisation (as one employer
    whatever the spelling, as in :class:`AvoidSameOrganisation`: an entry whose words
    say the level, "Uppsala kommun", does not name the people of "Region Uppsala");
    a pair is ruled out when either person's entries name the other. An entry that
    names no one is listed in ``cohort.warnings``.

    Examples
    --------
    >>> from mentormatch.intake import example_cohort
    >>> cohort = example_cohort()
    >>> mask = AvoidDeclared().forbids(Context(cohort.mentors, cohort.mentees))
    >>> [(cohort.mentors[i].id, cohort.mentees[j].id) for i, j in zip(*mask.nonzero())]
    [('M003', 'E004'), ('M010', 'E017')]
    """

    kind: Literal["AvoidDeclared"] = "AvoidDeclared"

    def ruled_out(self, context: Context) -> PairTest:
        """Pairs where one names the other, or the other's organisation, in ``avoid``."""
        found: list[tuple[int, int]] = []
        for mentor, named in _named(context.mentors, context.mentees):
            found += [(mentor, mentee) for mentee in named]
        for mentee, named in _named(context.mentees, context.mentors):
            found += [(mentor, mentee) for mentor in named]
        return listed_pairs(found)


def _named(people: Sequence[Profile], others: Sequence[Profile]) -> Iterator[tuple[int, list[int]]]:
    """For each of ``people`` who avoids someone: its position and the positions of the
    ``others`` its entries name, by id (exactly) or organisation (as one employer whatever
    the spelling, see :func:`mentormatch.names.organisation_key`, and of the level the
    entry's words say, if they say one)."""
    by_id = {other.id: [position] for position, other in enumerate(others)}
    by_organisation: dict[str, list[tuple[int, str]]] = {}
    for position, other in enumerate(others):
        by_organisation.setdefault(_organisation(other), []).append((position, _level(other)))
    for position, person in enumerate(people):
        if person.avoid:
            named = {
                other
                for entry in person.avoid
                for other in by_id.get(entry, []) + _of_level(by_organisation, entry)
            }
            yield position, sorted(named)


def _of_level(by_organisation: dict[str, list[tuple[int, str]]], entry: str) -> list[int]:
    """The positions of the people of the organisation ``entry`` names, at its level."""
    level = employer_level(entry) or ""
    found = by_organisation.get(organisation_key(entry), [])
    return [position for position, theirs in found if not (level and theirs) or level == theirs]


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

    def ruled_out(self, context: Context) -> PairTest:
        """Pairs from different regions."""
        same = _same(context, _region)
        return lambda rows, columns: ~same(rows, columns)


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

    def ruled_out(self, context: Context) -> PairTest:
        """Pairs from one region."""
        return _same(context, _region)


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
    km: Kilometres
    skip_missing: bool = False

    def ruled_out(self, context: Context) -> PairTest:
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
        mentors, mentees = context.coordinates("mentor"), context.coordinates("mentee")
        both = np.concatenate([mentors, mentees])
        known = both[~np.isnan(both[:, 0])]
        origin = (float(known[:, 0].mean()), float(known[:, 1].mean())) if len(known) else (0, 0)
        mentor_terms, mentee_terms = terms_of(mentors, origin), terms_of(mentees, origin)

        def far(rows: NDArray[np.intp], columns: NDArray[np.intp]) -> Mask:
            terms = (mentor_terms[rows], mentee_terms[columns])
            return farther_than(mentors[rows], mentees[columns], self.km, terms)

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

    def ruled_out(self, context: Context) -> PairTest:
        """Just this pair."""
        return listed_pairs([self.index(context)])


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
        if history is None and "pairs" not in data:
            raise InputError(
                Violation(
                    "NoRepeat, argument 'history': missing; it is required (earlier results, "
                    "a pairs table, a file of one, or (mentor_id, mentee_id) pairs)"
                )
            )
        if history is not None:
            try:
                data["pairs"] = earlier_pairs(history)
            except InputError as error:
                raise InputError(
                    [replace(v, message=f"NoRepeat, {v}", argument=None) for v in error.violations]
                ) from None
        super().__init__(**data)

    def __str__(self) -> str:
        count = len(self.pairs)
        return f"NoRepeat(history=<{count} earlier pair{'' if count == 1 else 's'}>)"

    def ruled_out(self, context: Context) -> PairTest:
        """The pairs of two people paired before, in either role."""
        mentors, mentees = context._positions("mentor"), context._positions("mentee")
        again = [
            (mentors[mentor], mentees[mentee])
            for a, b in self.pairs
            for mentor, mentee in ((a, b), (b, a))
            if mentor in mentors and mentee in mentees
        ]
        return listed_pairs(again)
