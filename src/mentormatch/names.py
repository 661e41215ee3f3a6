"""How names are compared: one key per employer, and the known name a misspelling means.

"Bergen", "Bergen kommune" and " bergen  Kommune" are one employer; so are
"Region Skåne" and "Skåne". The key folds case, collapses spacing and drops
the generic words Norwegian, Swedish and English use around a municipality's
or county's name. A Swedish genitive ("Stockholms stad") is kept as written.
The words dropped may say the level (:func:`organisation_level`): "Region Uppsala"
is the county and "Uppsala kommun" the municipality, two employers of one key.

:func:`closest` finds the known name (a column, a criterion) that a misspelt one
most likely means, for "did you mean ...?" in messages.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from typing import Literal

__all__ = [
    "COUNTY_WORDS",
    "GENERIC_WORDS",
    "MUNICIPALITY_WORDS",
    "Level",
    "closest",
    "employer_level",
    "organisation_key",
    "organisation_level",
]

SIMILAR = 0.8
"""How alike (difflib's ratio, 0 to 1) a name must be to a known one to be taken for it."""

GENERIC_WORDS = frozenset(
    {
        "kommune",
        "kommun",
        "fylkeskommune",
        "fylkeskommun",
        "fylke",
        "municipality",
        "municipal",
        "county",
        "council",
        "stad",
        "län",
        "region",
        "landsting",
        "city",
        "of",
    }
)
"""Words that name the kind of organisation, not which one it is."""

MUNICIPALITY_WORDS = frozenset({"kommune", "kommun", "stad", "city", "municipality"})
"""Generic words that say a name is a municipality's."""
COUNTY_WORDS = frozenset(
    {"fylke", "fylkeskommune", "fylkeskommun", "län", "region", "landsting", "county"}
)
"""Generic words that say a name is a county's (or a Swedish region's)."""

Level = Literal["municipality", "county"]

_WORD = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*")


def organisation_key(name: str) -> str:
    """The name folded for comparison: lower case, single spaces, generic words dropped.

    A name made only of generic words keeps them, so it never becomes empty.

    Examples
    --------
    >>> organisation_key("Bergen kommune") == organisation_key(" bergen ") == "bergen"
    True
    >>> organisation_key("Region  Skåne"), organisation_key("Nord-Fron kommune")
    ('skåne', 'nord-fron')
    >>> organisation_key("Kommune")
    'kommune'
    """
    words = _WORD.findall(name.casefold())
    kept = [word for word in words if word not in GENERIC_WORDS]
    return " ".join(kept or words)


def organisation_level(name: str) -> Level | None:
    """The level a name's generic words say (``kommun`` -> municipality, ``län`` or
    ``region`` -> county); ``None`` when they say neither, or both.

    Examples
    --------
    >>> organisation_level("Region Uppsala"), organisation_level("Uppsala kommun")
    ('county', 'municipality')
    >>> organisation_level("Uppsala") is None
    True
    """
    words = set(_WORD.findall(name.casefold()))
    municipality, county = bool(words & MUNICIPALITY_WORDS), bool(words & COUNTY_WORDS)
    if municipality == county:
        return None
    return "municipality" if municipality else "county"


def employer_level(organisation: str, level: str | None = None) -> str | None:
    """The level of an employer: ``level`` as given (a person's ``level`` column), or else
    what the words of its name say (:func:`organisation_level`); ``None`` when neither tells.
    Two people of one :func:`organisation_key` and country are one employer unless their
    levels are both known and differ.

    Examples
    --------
    >>> employer_level("Uppsala", "county"), employer_level("Uppsala kommun")
    ('county', 'municipality')
    """
    return level or organisation_level(organisation)


def closest(name: str, known: Iterable[str]) -> str | None:
    """The known name most like ``name`` (case and spacing ignored), if one is alike enough.

    Examples
    --------
    >>> closest("Organization", ["id", "organisation", "region"])
    'organisation'
    >>> closest("langauges", ["languages", "latitude"]), closest("notes", ["name", "role"])
    ('languages', None)
    """
    folded = {_folded(k): k for k in known}
    found = difflib.get_close_matches(_folded(name), list(folded), n=1, cutoff=SIMILAR)
    return folded[found[0]] if found else None


def _folded(name: str) -> str:
    return re.sub(r"[\s_-]+", "_", name.strip().casefold())
