"""Synthetic cohorts: fictional chief executives of real Norwegian and Swedish municipalities.

For benchmarks, tests and research: :func:`synthetic_cohort` draws a cohort of
any size from the package's place table (``mentormatch.places``), with
marginals modelled on the associations' programmes (documented on the
function), deterministically for a seed.
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from typing import Any, TypeGuard

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from mentormatch.cohort import Cohort
from mentormatch.errors import InputError, Violation
from mentormatch.places import place_table
from mentormatch.profiles import COLUMNS
from mentormatch.themes import catalogue

__all__ = ["COUNTRIES", "THEME_WEIGHTS", "synthetic_cohort"]

COUNTRIES = ("NO", "SE")
"""The countries whose municipalities and counties the package knows."""

THEME_WEIGHTS: dict[str, float] = {
    "strategic-leadership": 0.17,
    "hard-leadership": 0.15,
    "golden-zone": 0.14,
    "political-turbulence": 0.12,
    "strategy": 0.11,
    "life-balance": 0.10,
    "crisis": 0.09,
    "complex-inquiries": 0.07,
    "regional-development": 0.05,
}
"""How often each theme is chosen, relative to the others (invented, plausible: leadership
and the politics-administration boundary most, regional development least)."""

SUBTHEME_SHARE = 0.15
"""Share of chosen themes (that have sub-themes) narrowed to one sub-theme."""

_FIRST = {
    "NO": (  # noqa: SIM905 -- a list of names reads better as text
        "Anne Kari Ingrid Marit Hilde Silje Ida Nina Hege Tone Line Randi Solveig Eli Astrid "
        "Jan Per Bjørn Ole Lars Kjell Knut Arne Svein Terje Geir Tor Morten Håkon Espen Trond"
    ).split(),
    "SE": (  # noqa: SIM905
        "Anna Maria Karin Sara Eva Lena Kerstin Emma Ingrid Malin Helena Johanna Sofia Elin Ulla "
        "Erik Lars Karl Anders Johan Per Nils Mikael Jan Hans Peter Fredrik Magnus Mattias Jonas"
    ).split(),
}
_LAST = {
    "NO": (  # noqa: SIM905 -- a list of names reads better as text
        "Hansen Johansen Olsen Larsen Andersen Pedersen Nilsen Kristiansen Jensen Karlsen "
        "Johnsen Pettersen Eriksen Berg Haugen Hagen Johannessen Andreassen Jacobsen Dahl "
        "Jørgensen Halvorsen Lund Moen Solberg Strand Bakken Lie Eide Lunde"
    ).split(),
    "SE": (  # noqa: SIM905
        "Andersson Johansson Karlsson Nilsson Eriksson Larsson Olsson Persson Svensson "
        "Gustafsson Pettersson Jonsson Jansson Hansson Bengtsson Jönsson Lindberg Jakobsson "
        "Magnusson Lindström Olofsson Lindqvist Lindgren Berg Axelsson Bergström Lundberg Lind "
        "Lundgren Mattsson"
    ).split(),
}


def synthetic_cohort(
    n_mentors: int,
    n_mentees: int,
    seed: int = 0,
    countries: Sequence[str] | str = COUNTRIES,
) -> Cohort:
    """A fictional cohort at real Norwegian and Swedish municipalities and counties.

    The people are invented; their organisations, regions, populations and
    coordinates are real (``mentormatch.places``). The same arguments give the
    same cohort, whatever the order of ``countries``. The marginals:

    - **organisations**: every municipality and county of ``countries`` is one
      chief executive's employer (Oslo and Gotland, municipality and county in
      one, count once, as municipalities). Organisations are drawn without
      replacement, so each appears once until all are used (681 in both
      countries), then again; organisation sizes (``population``) therefore
      follow the real distribution, and about 5% of people work at county level
      (fylkeskommune, region). Roles are independent of the organisation.
    - **names**: ``"Bodø kommune"``, ``"Nordland fylkeskommune"``,
      ``"Umeå kommun"``, ``"Region Dalarna"``; ``region`` is the county, as in
      the place table; ``country``, ``level``, ``population``, ``latitude`` and
      ``longitude`` are the organisation's.
    - **years in role**: mentees are mostly new: exponential with mean 1.5
      years (86% under 3); mentors are experienced: 4 plus a gamma(2, 4)
      variable (mean 12, median about 10.7), at most 40.
    - **themes**: mentees seek 1, 2 or 3 (30%, 45%, 25%), mentors offer 2 to 5
      (equally likely): the first with the probabilities of
      :data:`THEME_WEIGHTS`, further ones without repetition in proportion to
      the weights left; 15% of them narrowed to a sub-theme.
    - **languages**: the country's (``nb``, ``sv``); the neighbour's as well
      for 10%; ``en`` for 40%.
    - **capacity**: mentors take 1 mentee, 30% of them 2; mentees leave it blank.
    - **declared conflicts**: 2% of people ``avoid`` one person of the other
      role, by id (two in three) or by organisation.
    - **people's names**: a common first and last name of the country, paired at
      random: fictional people. Ids are ``M0001``... and ``E0001``..., mentors
      first.

    Parameters
    ----------
    n_mentors, n_mentees : int
        At least 1 each.
    seed : int, default 0
        A non-negative integer for ``numpy.random.default_rng``.
    countries : sequence of str or str, default ("NO", "SE")
        ``"NO"``, ``"SE"`` or both.

    Returns
    -------
    Cohort
        Validated as :meth:`Cohort.from_frame` validates a file.

    Examples
    --------
    >>> cohort = synthetic_cohort(3, 4, seed=1)
    >>> len(cohort.mentors), len(cohort.mentees), cohort.mentees[0].id
    (3, 4, 'E0001')
    >>> synthetic_cohort(3, 4, seed=1) == cohort
    True
    >>> {p.country for p in synthetic_cohort(5, 5, countries="SE").profiles}
    {'SE'}
    """
    chosen = _check(n_mentors, n_mentees, seed, countries)
    rng = np.random.default_rng(seed)
    organisations = _organisations(chosen)
    n = n_mentors + n_mentees
    rounds = -(-n // len(organisations))
    draw = np.argsort(rng.random((rounds, len(organisations))), axis=1).ravel()[:n]
    rng.shuffle(draw)
    people = organisations.iloc[draw].reset_index(drop=True)
    mentor = np.arange(n) < n_mentors
    country = people["country"].to_numpy(dtype=str)
    frame = pd.DataFrame(
        {
            "id": _ids("M", n_mentors) + _ids("E", n_mentees),
            "role": np.where(mentor, "mentor", "mentee"),
            "name": _names(rng, country),
            "organisation": people["organisation"],
            "region": people["county"],
            "country": country,
            "level": people["level"],
            "years_in_role": _years(rng, mentor),
            "population": people["population"],
            "themes": _themes(rng, mentor),
            "languages": _languages(rng, country),
            "capacity": np.where(mentor, 1.0 + (rng.random(n) < 0.3), np.nan),
            "avoid": None,
            "latitude": people["latitude"],
            "longitude": people["longitude"],
        },
        columns=list(COLUMNS),
    )
    frame["avoid"] = _avoid(rng, frame, n_mentors)
    return Cohort.from_frame(frame)


def _check(
    n_mentors: object, n_mentees: object, seed: object, countries: Sequence[str] | str
) -> tuple[str, ...]:
    """The countries chosen, sorted; every problem with the arguments in one ``InputError``."""
    problems = [
        Violation(f"expected an integer >= {least}, got {value!r}", argument=name)
        for name, value, least in (
            ("n_mentors", n_mentors, 1),
            ("n_mentees", n_mentees, 1),
            ("seed", seed, 0),
        )
        if not _is_int(value) or operator.index(value) < least
    ]
    listed = [countries] if isinstance(countries, str) else countries
    try:
        chosen = tuple(sorted({str(c).strip().upper() for c in listed}))
    except TypeError:
        chosen = ()
    if not chosen or not set(chosen) <= set(COUNTRIES):
        problems.append(
            Violation(
                f"expected one or more of {', '.join(COUNTRIES)}, got {countries!r}",
                argument="countries",
            )
        )
    if problems:
        raise InputError(problems)
    return chosen


def _is_int(value: object) -> TypeGuard[int | np.integer[Any]]:
    return isinstance(value, int | np.integer) and not isinstance(value, bool | np.bool_)


def _organisations(countries: tuple[str, ...]) -> pd.DataFrame:
    """One row per employer: the places, single-municipality counties left out, with a name."""
    table = place_table()
    table = table[table["country"].isin(countries)]
    municipalities = table["county_id"][table["level"] == "municipality"].value_counts()
    single = set(municipalities.index[municipalities == 1])
    table = table[(table["level"] == "municipality") | ~table["id"].isin(single)]
    stem = table["aliases"].str.split(";").str[0]  # "Dalarna" for Dalarnas län
    written = {
        ("NO", "municipality"): table["name"] + " kommune",
        ("NO", "county"): table["name"] + " fylkeskommune",
        ("SE", "municipality"): table["name"] + " kommun",
        ("SE", "county"): "Region " + stem,
    }
    organisation = pd.Series("", index=table.index)
    for (country, level), names in written.items():
        where = (table["country"] == country) & (table["level"] == level)
        organisation[where] = names[where]
    return table.assign(organisation=organisation).reset_index(drop=True)


def _ids(prefix: str, count: int) -> list[str]:
    width = max(4, len(str(count)))
    return [f"{prefix}{k:0{width}d}" for k in range(1, count + 1)]


def _names(rng: np.random.Generator, country: NDArray[np.str_]) -> NDArray[np.str_]:
    names = np.empty(country.size, dtype=object)
    for code in COUNTRIES:
        where = country == code
        first = np.array(_FIRST[code])[rng.integers(len(_FIRST[code]), size=where.sum())]
        last = np.array(_LAST[code])[rng.integers(len(_LAST[code]), size=where.sum())]
        names[where] = np.char.add(np.char.add(first, " "), last)
    return names.astype(str)


def _years(rng: np.random.Generator, mentor: NDArray[np.bool_]) -> NDArray[np.float64]:
    new = rng.exponential(1.5, mentor.size)
    experienced = np.minimum(4 + rng.gamma(2.0, 4.0, mentor.size), 40.0)
    return np.round(np.where(mentor, experienced, new), 1).astype(np.float64)


def _themes(rng: np.random.Generator, mentor: NDArray[np.bool_]) -> list[str]:
    """Each person's themes, ``;``-joined: weighted draws without repetition (Gumbel top-k)."""
    keys = list(THEME_WEIGHTS)
    weights = np.array([THEME_WEIGHTS[k] for k in keys])
    n = mentor.size
    count = np.where(mentor, rng.integers(2, 6, n), rng.choice([1, 2, 3], n, p=[0.3, 0.45, 0.25]))
    order = np.argsort(-(np.log(weights) + rng.gumbel(size=(n, len(keys)))), axis=1)
    subthemes = [catalogue()[k].subtheme_keys for k in keys]
    narrowed = rng.random((n, len(keys))) < SUBTHEME_SHARE
    pick = rng.random((n, len(keys)))
    themes = []
    for person in range(n):
        chosen = []
        for slot in range(count[person]):
            theme = order[person, slot]
            subs = subthemes[theme]
            if subs and narrowed[person, slot]:
                chosen.append(f"{keys[theme]}/{subs[int(pick[person, slot] * len(subs))]}")
            else:
                chosen.append(keys[theme])
        themes.append(";".join(chosen))
    return themes


def _languages(rng: np.random.Generator, country: NDArray[np.str_]) -> list[str]:
    own = np.where(country == "NO", "nb", "sv")
    other = np.where(country == "NO", "sv", "nb")
    neighbour = rng.random(country.size) < 0.10
    english = rng.random(country.size) < 0.40
    return [
        ";".join([o, *([x] if n else []), *(["en"] if e else [])])
        for o, x, n, e in zip(own, other, neighbour, english, strict=True)
    ]


def _avoid(rng: np.random.Generator, frame: pd.DataFrame, n_mentors: int) -> list[str | None]:
    """2% of people avoid one person of the other role, by id or by organisation."""
    n = len(frame)
    declares = np.flatnonzero(rng.random(n) < 0.02)
    mentor = declares < n_mentors
    other = np.where(
        mentor,
        n_mentors + rng.integers(0, n - n_mentors, declares.size),
        rng.integers(0, n_mentors, declares.size),
    )
    by_id = rng.random(declares.size) < 2 / 3
    avoid: list[str | None] = [None] * n
    ids, organisations = frame["id"].to_numpy(), frame["organisation"].to_numpy()
    for person, target, use_id in zip(declares, other, by_id, strict=True):
        avoid[person] = ids[target] if use_id else organisations[target]
    return avoid
