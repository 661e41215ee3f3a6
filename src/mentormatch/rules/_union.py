"""The union of every rule kind, as files name them, and the pilot's rule set."""

from __future__ import annotations

from typing import Annotated, TypeAlias, get_args

from pydantic import Field, TypeAdapter

from mentormatch.rules._counts import Lock, PairCount, Quota, RegionQuota
from mentormatch.rules._neighbours import AvoidNeighbours
from mentormatch.rules._pairs import (
    AvoidDeclared,
    AvoidSameOrganisation,
    DifferentRegion,
    Forbid,
    MaxDistance,
    NoRepeat,
    SameRegion,
)
from mentormatch.rules._stable import Stable

__all__ = ["KINDS", "RULE", "Rule", "pilot_rules"]

Rule: TypeAlias = Annotated[
    PairCount
    | AvoidSameOrganisation
    | AvoidDeclared
    | SameRegion
    | DifferentRegion
    | MaxDistance
    | AvoidNeighbours
    | RegionQuota
    | Lock
    | Forbid
    | Quota
    | Stable
    | NoRepeat,
    Field(discriminator="kind"),
]
"""Any rule; a ``kind`` field tells which when it is read from a file."""

RULE: TypeAdapter[Rule] = TypeAdapter(Rule)
"""Validates one rule read from a file."""
KINDS: tuple[str, ...] = tuple(kind.__name__ for kind in get_args(get_args(Rule)[0]))


def pilot_rules() -> tuple[Rule, ...]:
    """The Norwegian pilot's rules, used when none are given.

    Examples
    --------
    >>> pilot_rules()
    (PairCount(min=8, max=15), AvoidSameOrganisation(), AvoidDeclared())
    """
    return PairCount(8, 15), AvoidSameOrganisation(), AvoidDeclared()
