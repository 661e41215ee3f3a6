"""Rules that count pairs or demand them: pair-count bounds, quotas, locks.

``Quota`` and ``RegionQuota`` compile alike: one group limit per value of a column,
on the mentee side, the mentor side, or the pair (see :func:`_per_value`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal

import numpy as np
from pydantic import Field, model_validator

from mentormatch.errors import InputError, Violation
from mentormatch.problem import GroupLimit
from mentormatch.profiles import COLUMNS, Profile, is_blank
from mentormatch.rules._base import Count, Draft, _call_only, _Pair, _region, _Rule

__all__ = ["Lock", "PairCount", "Quota", "RegionQuota"]

QuotaSide = Literal["mentee", "mentor", "pair"]
Bounds = tuple[int, int | None]


class PairCount(_Rule):
    """The number of pairs: at least ``min``, at most ``max`` (either may be left out).

    Examples
    --------
    >>> PairCount(8, 15), PairCount(max=15)
    (PairCount(min=8, max=15), PairCount(max=15))
    >>> PairCount(min=9, max=3)
    Traceback (most recent call last):
    ...
    mentormatch.errors.InputError: PairCount: expected min <= max, got min=9 > max=3
    """

    kind: Literal["PairCount"] = "PairCount"
    min: Count | None = None
    max: Count | None = None

    @_call_only
    def __init__(self, min: int | None = None, max: int | None = None, **data: Any) -> None:
        super().__init__(min=min, max=max, **data)

    @model_validator(mode="after")
    def _check(self) -> PairCount:
        if self.min is None and self.max is None:
            raise ValueError("expected min, max or both, e.g. PairCount(min=8, max=15)")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"expected min <= max, got min={self.min} > max={self.max}")
        return self

    def compile(self, into: Draft) -> None:
        """Bound the number of pairs, labelled ``PairCount(min=8)`` / ``PairCount(max=15)``."""
        if self.min is not None:
            into.bound("min_pairs", self.min, f"PairCount(min={self.min})")
        if self.max is not None:
            into.bound("max_pairs", self.max, f"PairCount(max={self.max})")


class RegionQuota(_Rule):
    """At most ``max`` pairs whose mentee is in any one region.

    ``regions`` maps a region (case-insensitively) to its own limit, overriding
    ``max`` there; with ``max=None`` only the regions listed are limited. A region
    that no one in the cohort is from is an ``InputError`` (likely a typo).

    Examples
    --------
    >>> RegionQuota(max=3), RegionQuota(regions={"Nordland": 1})
    (RegionQuota(max=3), RegionQuota(regions={'Nordland': 1}))
    """

    kind: Literal["RegionQuota"] = "RegionQuota"
    max: Count | None = None
    regions: dict[str, Count] | None = None

    @model_validator(mode="after")
    def _check(self) -> RegionQuota:
        if self.max is None and not self.regions:
            raise ValueError("expected max, regions or both, e.g. RegionQuota(max=3)")
        seen: set[str] = set()
        for region in self.regions or {}:
            key = region.strip().casefold()
            if not key or key in seen:
                raise ValueError(f"region {region!r} is empty or listed twice")
            seen.add(key)
        return self

    def compile(self, into: Draft) -> None:
        """One mentee-side group limit per region of the mentees, ``max`` or its own."""
        own = {_fold(name): limit for name, limit in (self.regions or {}).items()}
        known = {_region(p) for p in (*into.context.mentors, *into.context.mentees)}
        named = {_fold(name): name for name in self.regions or {}}
        _known_values(self, named, known, "no one in the cohort is from")
        _per_value(
            into,
            str(self),
            "mentee",
            lambda person: (person.region,),
            lambda key: (0, own.get(key, self.max)) if own.get(key, self.max) is not None else None,
        )


class Quota(_Rule):
    """At least ``min`` and at most ``max`` pairs per value of a cohort column.

    ``column`` is any column of the cohort: ``country``, ``region``, ``level``,
    ``organisation``, a list column such as ``languages`` (a person counts under each
    of their values), or a column of your own. Values are compared case-insensitively;
    a person without a value counts under none.

    ``side`` says whose value counts:

    - ``"mentee"``: the pairs whose mentee has the value;
    - ``"mentor"``: the pairs whose mentor has the value (a mentor with capacity 2
      can count twice);
    - ``"pair"``: the pairs whose mentor *or* mentee has the value, each pair once
      (a pair of two Norwegians is one pair involving Norway, not two).

    Every value found on that side (for ``"pair"``: on either side) gets the bounds;
    ``values`` limits them to the values named. Minimums and limits over both sides
    are not a network flow: they are solved exactly by CP-SAT.

    Examples
    --------
    >>> Quota("country", min=2, max=6), Quota("region", side="pair", max=4)
    (Quota('country', min=2, max=6), Quota('region', side='pair', max=4))
    >>> Quota("level", side="mentor", min=1, values=["county"])
    Quota('level', side='mentor', min=1, values=('county',))
    >>> Quota("country", min=3, max=2)
    Traceback (most recent call last):
    ...
    mentormatch.errors.InputError: Quota: expected min <= max, got min=3 > max=2
    """

    kind: Literal["Quota"] = "Quota"
    column: str = Field(min_length=1)
    side: QuotaSide = "mentee"
    min: Count | None = None
    max: Count | None = None
    values: tuple[str, ...] | None = None

    @_call_only
    def __init__(
        self,
        column: str,
        side: QuotaSide = "mentee",
        min: int | None = None,
        max: int | None = None,
        **data: Any,
    ) -> None:
        super().__init__(column=column, side=side, min=min, max=max, **data)

    @model_validator(mode="after")
    def _check(self) -> Quota:
        if self.min is None and self.max is None:
            raise ValueError("expected min, max or both, e.g. Quota('country', min=2, max=6)")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"expected min <= max, got min={self.min} > max={self.max}")
        folded = [value.strip().casefold() for value in self.values or ()]
        if self.values is not None and (
            not folded or not all(folded) or len(set(folded)) < len(folded)
        ):
            raise ValueError("expected one value or more, none empty nor listed twice")
        return self

    def __str__(self) -> str:
        shown = [repr(self.column)] + [
            f"{name}={getattr(self, name)!r}"
            for name in ("side", "min", "max", "values")
            if getattr(self, name) != type(self).model_fields[name].default
        ]
        return f"Quota({', '.join(shown)})"

    def compile(self, into: Draft) -> None:
        """One group limit per value of the column on ``side``."""
        context = into.context
        people = [*context.mentors, *context.mentees]
        if not any(self.column in p.extra for p in people) and self.column not in COLUMNS:
            own = sorted({column for p in people for column in p.extra})
            raise InputError(
                Violation(
                    f"{self}: the cohort has no column '{self.column}'; columns: "
                    + ", ".join([*COLUMNS, *own])
                )
            )
        counted = {
            "mentee": context.mentees,
            "mentor": context.mentors,
            "pair": people,
        }[self.side]
        found = {_fold(value) for p in counted for value in self._values(p)}
        named = {_fold(value): value for value in self.values or ()}
        on = "either side" if self.side == "pair" else f"the {self.side}s"
        _known_values(self, named, found, f"no one among {on} has {self.column} =")
        bounds: Bounds = (self.min or 0, self.max)
        _per_value(
            into,
            str(self),
            self.side,
            self._values,
            lambda key: bounds if not named or key in named else None,
        )

    def _values(self, person: Profile) -> tuple[str, ...]:
        """The person's values in the column, as text (a list column gives several)."""
        value = (
            getattr(person, self.column)
            if self.column in COLUMNS
            else person.extra.get(self.column)
        )
        if isinstance(value, tuple):
            return tuple(str(v) for v in value)
        return () if is_blank(value) else (str(value).strip(),)


def _fold(value: str) -> str:
    return value.strip().casefold()


def _known_values(rule: _Rule, named: Mapping[str, str], found: set[str], message: str) -> None:
    """``InputError`` for named values (folded -> as written) no one has (likely a typo)."""
    unknown = [value for key, value in named.items() if key not in found]
    if unknown:
        raise InputError(Violation(f"{rule}: {message} {', '.join(map(repr, unknown))}"))


def _per_value(
    into: Draft,
    rule: str,
    side: QuotaSide,
    values_of: Callable[[Profile], Sequence[str]],
    bounds: Callable[[str], Bounds | None],
) -> None:
    """One group limit per value (compared case-insensitively, in sorted order) of the
    people on ``side``, labelled ``"<rule>: <value as first written>"``, with the
    ``(min, max)`` that ``bounds`` gives it (``max=None``: no maximum); ``None`` skips it."""
    context = into.context
    marks = {
        role: [{_fold(v): v for v in values_of(p)} for p in people]
        for role, people in (("mentee", context.mentees), ("mentor", context.mentors))
    }
    spelling: dict[str, str] = {}
    for role in ("mentee", "mentor") if side == "pair" else (side,):
        for values in marks[role]:
            for key, value in values.items():
                spelling.setdefault(key, value)
    most = len(context.mentees)
    for key in sorted(spelling):
        limit = bounds(key)
        if limit is None:
            continue
        low, high = limit
        mentees = np.array([key in values for values in marks["mentee"]], dtype=bool)
        mentors = np.array([key in values for values in marks["mentor"]], dtype=bool)
        label = f"{rule}: {spelling[key]}"
        high = max(most, low) if high is None else high
        if side == "mentee":
            into.limit(GroupLimit(high, label, mentees=mentees, min=low))
        elif side == "mentor":
            into.limit(GroupLimit(high, label, mentors=mentors, min=low))
        else:
            into.limit(
                GroupLimit(high, label, mentors=mentors, mentees=mentees, min=low, either=True)
            )


class Lock(_Pair):
    """Always pair this mentor with this mentee.

    Examples
    --------
    >>> Lock("M001", "E003")
    Lock('M001', 'E003')
    """

    kind: Literal["Lock"] = "Lock"

    def compile(self, into: Draft) -> None:
        """Lock the pair."""
        into.lock(self.index(into.context), str(self))
