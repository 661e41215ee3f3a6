"""Rules that count pairs or demand them: pair-count bounds, region quotas, locks."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from mentormatch.errors import InputError, Violation
from mentormatch.problem import GroupLimit
from mentormatch.rules._base import Draft, _call_only, _column, _Pair, _region, _Rule

__all__ = ["Lock", "PairCount", "RegionQuota"]


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
    min: int | None = Field(default=None, ge=0)
    max: int | None = Field(default=None, ge=0)

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
    max: int | None = Field(default=None, ge=0)
    regions: dict[str, Annotated[int, Field(ge=0)]] | None = None

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
        context = into.context
        own = {
            name.strip().casefold(): (name, limit) for name, limit in (self.regions or {}).items()
        }
        known = {_region(p) for p in (*context.mentors, *context.mentees)}
        unknown = [name for key, (name, _) in own.items() if key not in known]
        if unknown:
            raise InputError(
                Violation(f"{self}: no one in the cohort is from {', '.join(map(repr, unknown))}")
            )
        regions = _column(context.mentees, _region)
        spelling: dict[str, str] = {}  # folded region -> its first spelling among the mentees
        for mentee in context.mentees:
            spelling.setdefault(_region(mentee), mentee.region)
        for key in sorted(spelling):
            limit = own[key][1] if key in own else self.max
            if limit is not None:
                into.limit(GroupLimit(limit, f"{self}: {spelling[key]}", mentees=regions == key))


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
