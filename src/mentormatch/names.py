"""How names are compared: one key per employer, and the known name a misspelling means.

"Bergen", "Bergen kommune" and " bergen  Kommune" are one employer; so are
"Region Skåne" and "Skåne". The key folds case, collapses spacing and drops
the generic words Norwegian, Swedish and English use around a municipality's
or county's name. A Swedish genitive ("Stockholms stad") is kept as written.

:func:`closest` finds the known name (a column, a criterion) that a misspelt one
most likely means, for "did you mean ...?" in messages.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

__all__ = ["GENERIC_WORDS", "closest", "organisation_key"]

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
