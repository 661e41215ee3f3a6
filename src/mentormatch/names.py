"""How organisation names are compared: one key per employer, whatever the spelling.

"Bergen", "Bergen kommune" and " bergen  Kommune" are one employer; so are
"Region Skåne" and "Skåne". The key folds case, collapses spacing and drops
the generic words Norwegian, Swedish and English use around a municipality's
or county's name. A Swedish genitive ("Stockholms stad") is kept as written.
"""

from __future__ import annotations

import re

__all__ = ["GENERIC_WORDS", "organisation_key"]

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
