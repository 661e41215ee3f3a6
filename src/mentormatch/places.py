"""Norwegian and Swedish municipalities and counties: which place a name means, and where it is.

The package's own table (``data/places.csv``, compiled by ``tools/compile_places.py``
from Kartverket, SSB and SCB data; attribution in ``data/SOURCES.md``) holds every
municipality (357 Norwegian, 2024 structure; 290 Swedish) and county (15 fylker,
21 län) with its population and coordinates: a municipality's polygon centroid, a
county's population-weighted mean of its municipalities' centroids.
``data/place_borders.csv`` holds which municipalities share a border.

A name is matched through :func:`mentormatch.names.organisation_key`, so
``"Bodø kommune"``, ``"bodø"`` and ``"Bodø Municipality"`` are one place; a
Swedish genitive is understood (``"Stockholms stad"``, ``"Göteborgs kommun"``,
``"Falu kommun"``), and so are county names (``"Nordland fylke"``,
``"Stockholms län"``, ``"Region Skåne"``). A word such as *kommune* or *län*
says which level is meant. When a name can still mean several places with
different coordinates (``"Herøy"`` is in Møre og Romsdal and in Nordland,
``"Lund"`` in both countries, ``"Uppsala"`` a municipality and a county), the
person's ``country`` decides first, then ``level`` and ``region``; what stays
open is reported as ambiguous, never guessed.

:func:`fill_coordinates` is the hook intake uses: it gives people without
``latitude``/``longitude`` the coordinates of the place their organisation (or,
failing that, their region) names, and says so in notes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Literal

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from mentormatch.names import Level, organisation_key, organisation_level
from mentormatch.profiles import Profile

__all__ = [
    "Finding",
    "Place",
    "ambiguity",
    "fill_coordinates",
    "find_places",
    "locate",
    "neighbour_matrix",
    "notes",
    "place_of",
    "place_table",
    "places",
]

_COUNTRIES = {"NORWAY": "NO", "NORGE": "NO", "NOREG": "NO", "SWEDEN": "SE", "SVERIGE": "SE"}
_CACHED = 1 << 16  # distinct names remembered; a sheet names far fewer places


@dataclass(frozen=True)
class Place:
    """A Norwegian or Swedish municipality or county.

    Examples
    --------
    >>> place = find_places("Bodø kommune")[0]
    >>> place.id, str(place)
    ('NO-1804', 'Bodø (municipality in Nordland, NO)')
    """

    id: str
    country: str
    level: Level
    name: str
    county_id: str
    county: str
    population: int
    latitude: float
    longitude: float

    def __str__(self) -> str:
        where = "county" if self.level == "county" else f"municipality in {self.county}"
        return f"{self.name} ({where}, {self.country})"


def place_table() -> pd.DataFrame:
    """The place table as a new DataFrame, one row per municipality or county, sorted by id.

    Columns: ``id``, ``country``, ``level``, ``name``, ``aliases`` (other names,
    ``;``-separated), ``county_id``, ``county``, ``population``, ``latitude``,
    ``longitude``.

    Examples
    --------
    >>> table = place_table()
    >>> table.groupby(["country", "level"]).size().to_dict()
    {('NO', 'county'): 15, ('NO', 'municipality'): 357, ('SE', 'county'): 21, ...}
    """
    return _table().copy()


def _read(name: str) -> pd.DataFrame:
    with resources.files("mentormatch").joinpath("data", name).open(encoding="utf-8") as f:
        return pd.read_csv(f, dtype=str, keep_default_na=False)


@cache
def _table() -> pd.DataFrame:
    table = _read("places.csv")
    return table.astype({"population": np.int64, "latitude": float, "longitude": float})


@cache
def places() -> tuple[Place, ...]:
    """Every place, in the order of :func:`place_table`.

    Examples
    --------
    >>> len(places()), places()[0]
    (683, Place(id='NO-03', country='NO', level='county', name='Oslo', ...))
    """
    table = _table().drop(columns="aliases")
    return tuple(
        Place(**{str(k): v for k, v in row.items()}) for row in table.to_dict(orient="records")
    )


_FORMS = {
    "municipality": ("{}", "{} kommune", "{} kommun"),
    "county": ("{}", "{} fylke", "{} fylkeskommune", "{} län", "Region {}"),
}
"""How names are written with their generic words; they differ from the bare name's key
only for a name that is itself a generic word (the Norwegian municipality Stad)."""


@cache
def _index() -> dict[str, tuple[int, ...]]:
    """Name key (official name and every alias, as written) -> positions in :func:`places`."""
    found: dict[str, list[int]] = {}
    table = _table()[["name", "aliases", "level"]]
    for position, (name, aliases, level) in enumerate(table.itertuples(False)):
        for text in (name, *filter(None, aliases.split(";"))):
            for form in _FORMS[level]:
                positions = found.setdefault(organisation_key(form.format(text)), [])
                if position not in positions:
                    positions.append(position)
    return {key: tuple(positions) for key, positions in found.items()}


def _narrowed(found: list[int], keep: Callable[[Place], bool]) -> list[int]:
    """``found`` where ``keep`` holds, or all of it when ``keep`` holds for none (a soft filter)."""
    kept = [p for p in found if keep(places()[p])]
    return kept or found


@lru_cache(maxsize=_CACHED)
def _candidates(name: str) -> tuple[int, ...]:
    """Places a name can mean, its own level words considered; Swedish genitive understood."""
    key = organisation_key(name)
    level = organisation_level(name)
    variants = [key, key[:-1]] if key.endswith("s") else [key]
    hits = [_index().get(variant, ()) for variant in variants]
    if level is not None:
        for found in hits:
            matching = [p for p in found if places()[p].level == level]
            if matching:
                return tuple(matching)
    return next((found for found in hits if found), ())


def _country(text: str | None) -> str | None:
    """A country cell as an ISO code (``"Norge"`` -> ``"NO"``); None when blank."""
    if text is None or not text.strip():
        return None
    code = text.strip().upper()
    return _COUNTRIES.get(code, code)


@lru_cache(maxsize=_CACHED)
def _county_ids(region: str, country: str | None) -> frozenset[str]:
    """The counties a region names (empty when it names none)."""
    country = _country(country)
    return frozenset(
        places()[p].county_id
        for p in _candidates(region)
        if places()[p].level == "county" and country in (None, places()[p].country)
    )


@lru_cache(maxsize=_CACHED)
def find_places(
    name: str, country: str | None = None, region: str | None = None, level: Level | None = None
) -> tuple[Place, ...]:
    """Every place ``name`` can mean, narrowed by what else is known of the person.

    ``country`` (``"NO"``, ``"SE"``; ``"Norge"``, ``"Sweden"``... also do) rules
    out places elsewhere; ``level`` and ``region`` (a county) only choose among
    candidates, and are ignored when none fits. Candidates that share their
    coordinates (Oslo municipality and county, Gotland municipality and län)
    count as one place, the municipality.

    Parameters
    ----------
    name : str
        A municipality or county as people write it.
    country, region, level : str, optional
        The person's other cells.

    Returns
    -------
    tuple of Place
        Empty when nothing matches; more than one when the name is ambiguous.

    Examples
    --------
    >>> [str(p) for p in find_places("Stockholms stad")]
    ['Stockholm (municipality in Stockholms län, SE)']
    >>> [str(p) for p in find_places("Region Skåne")]
    ['Skåne län (county, SE)']
    >>> [p.county for p in find_places("Herøy kommune")]
    ['Møre og Romsdal', 'Nordland']
    >>> [p.county for p in find_places("Herøy kommune", region="Nordland")]
    ['Nordland']
    >>> [p.country for p in find_places("Lund", country="SE")]
    ['SE']
    """
    table = places()
    found = list(_candidates(name))
    country = _country(country)
    if country is not None:
        found = [p for p in found if table[p].country == country]
    if level is not None:
        found = _narrowed(found, lambda place: place.level == level)
    counties = _county_ids(region, country) if region else frozenset()
    if counties:
        found = _narrowed(found, lambda place: place.county_id in counties)
    if len({(table[p].latitude, table[p].longitude) for p in found}) == 1:
        found = sorted(found, key=lambda p: table[p].level != "municipality")[:1]
    return tuple(table[p] for p in found)


def place_of(person: Profile) -> tuple[Place, ...]:
    """The places a person's organisation can mean, given their country, region and level.

    Examples
    --------
    >>> from mentormatch.profiles import Profile
    >>> person = Profile(id="e1", role="mentee", organisation="Våler kommune",
    ...                  region="Innlandet", country="NO")
    >>> [p.id for p in place_of(person)]
    ['NO-3419']
    """
    return find_places(person.organisation, person.country, person.region, person.level)


def ambiguity(options: Sequence[Place]) -> str:
    """What an ambiguous name may mean, and which of the person's cells would settle it.

    Examples
    --------
    >>> ambiguity(find_places("Uppsala"))
    'may mean Uppsala län (county, SE) or Uppsala (municipality in Uppsala län, SE); give the level'
    """
    cells = [
        cell
        for cell, values in (
            ("country", {p.country for p in options}),
            ("region", {p.county_id for p in options}),
            ("level", {p.level for p in options}),
        )
        if len(values) > 1
    ]
    return f"may mean {' or '.join(map(str, options))}; give the {' or '.join(cells)}"


Kind = Literal["organisation", "region", "ambiguous", "unknown"]


@dataclass(frozen=True)
class Finding:
    """Where one person without coordinates was placed, or why they were not.

    ``kind`` is ``"organisation"`` (their organisation names ``places[0]``),
    ``"region"`` (their organisation names no place, their region the county
    ``places[0]``), ``"ambiguous"`` (their organisation may mean any of
    ``places``) or ``"unknown"`` (neither names a known place); ``name`` is the
    organisation as written.
    """

    person_id: str
    kind: Kind
    name: str
    places: tuple[Place, ...] = ()


def locate(people: Sequence[Profile]) -> tuple[Finding, ...]:
    """Find the place of everyone who has neither ``latitude`` nor ``longitude``, by id.

    Examples
    --------
    >>> from mentormatch.profiles import Profile
    >>> people = [Profile(id="m1", role="mentor", organisation="Bodø", region="Nordland"),
    ...           Profile(id="e1", role="mentee", organisation="Lund", region="?")]
    >>> [(f.person_id, f.kind, len(f.places)) for f in locate(people)]
    [('e1', 'ambiguous', 2), ('m1', 'organisation', 1)]
    """
    findings: list[Finding] = []
    for person in sorted(people, key=lambda p: p.id):
        if person.latitude is not None or person.longitude is not None:
            continue
        found = place_of(person)
        if found:
            kind: Kind = "organisation" if len(found) == 1 else "ambiguous"
            findings.append(Finding(person.id, kind, person.organisation, found))
            continue
        county = _county_ids(person.region, person.country)
        if len(county) == 1:
            place = next(p for p in places() if p.id in county)
            findings.append(Finding(person.id, "region", person.organisation, (place,)))
        else:
            findings.append(Finding(person.id, "unknown", person.organisation))
    return tuple(findings)


def notes(findings: Sequence[Finding]) -> tuple[str, ...]:
    """The findings in words, one line per place or name, each listing the people's ids.

    Examples
    --------
    >>> from mentormatch.profiles import Profile
    >>> people = [Profile(id=i, role="mentee", organisation=o, region="Troms")
    ...           for i, o in [("e1", "Tromsø"), ("e2", "Tromsø kommune"), ("e3", "Atlantis")]]
    >>> for line in notes(locate(people)):
    ...     print(line)
    coordinates of Tromsø (municipality in Troms, NO), from the organisation's name: e1, e2
    coordinates of Troms (county, NO), from the region, as 'Atlantis' names no known place: e3
    """
    order: list[Kind] = ["organisation", "region", "ambiguous", "unknown"]
    groups: dict[tuple[int, str, tuple[str, ...]], list[Finding]] = {}
    for finding in findings:
        key = organisation_key(finding.name) if finding.kind != "organisation" else ""
        where = tuple(place.id for place in finding.places)
        groups.setdefault((order.index(finding.kind), key, where), []).append(finding)
    lines = []
    for _, group in sorted(groups.items()):
        first = group[0]
        ids = ", ".join(sorted(f.person_id for f in group))
        if first.kind == "organisation":
            lines.append(f"coordinates of {first.places[0]}, from the organisation's name: {ids}")
        elif first.kind == "region":
            lines.append(
                f"coordinates of {first.places[0]}, from the region, as "
                f"'{first.name}' names no known place: {ids}"
            )
        elif first.kind == "ambiguous":
            lines.append(
                f"no coordinates: '{first.name}' {ambiguity(first.places)}, "
                f"or the coordinates: {ids}"
            )
        else:
            lines.append(
                f"no coordinates: neither '{first.name}' nor the region names a known "
                f"Norwegian or Swedish municipality or county: {ids}"
            )
    return tuple(lines)


def fill_coordinates(people: Sequence[Profile]) -> tuple[tuple[Profile, ...], tuple[str, ...]]:
    """People with coordinates from the names of their places where they had none, and notes.

    Someone with neither ``latitude`` nor ``longitude`` gets those of the place
    their organisation names (see :func:`find_places`) or, when it names none,
    of the county their region names. The notes (:func:`notes`) say who got
    coordinates from which place, and which names were ambiguous or unknown,
    each name once. The profiles handed in are not modified.

    Examples
    --------
    >>> from mentormatch.profiles import Profile
    >>> people = [Profile(id="e1", role="mentee", organisation="Göteborgs Stad", region="-")]
    >>> filled, said = fill_coordinates(people)
    >>> filled[0].latitude, filled[0].longitude
    (57.74404, 11.97932)
    >>> print(said[0])
    coordinates of Göteborg (municipality in Västra Götalands län, SE), from the organisation's ...
    """
    findings = locate(people)
    coordinates = {
        f.person_id: {"latitude": f.places[0].latitude, "longitude": f.places[0].longitude}
        for f in findings
        if f.kind in ("organisation", "region")
    }
    filled = tuple(
        p.model_copy(update=coordinates[p.id]) if p.id in coordinates else p for p in people
    )
    return filled, notes(findings)


@cache
def neighbour_matrix(corners: bool = True) -> NDArray[np.bool_]:
    """Which places are neighbours: a symmetric boolean matrix in the order of :func:`places`.

    Two municipalities are neighbours when they share a land border
    (``data/place_borders.csv``); with ``corners=False``, Swedish pairs that
    touch at a single point of the simplified boundaries do not count. A
    county's territory is its municipalities': a county neighbours the
    municipalities inside it, the municipalities bordering one of those, and
    the counties with a municipality that does. A place is not its own
    neighbour, and borders between the countries are not in the data. The
    matrix is read-only.

    Examples
    --------
    >>> ids = {p.id: i for i, p in enumerate(places())}
    >>> near = neighbour_matrix()
    >>> bool(near[ids["NO-1804"], ids["NO-1841"]]), bool(near[ids["NO-1804"], ids["NO-5501"]])
    (True, False)
    >>> bool(near[ids["NO-18"], ids["NO-1804"]]), bool(near[ids["NO-18"], ids["NO-55"]])
    (True, True)
    """
    table = _table()
    position = {place: i for i, place in enumerate(table["id"])}
    size = len(position)
    borders = _read("place_borders.csv")
    if not corners:
        borders = borders[borders["kind"] == "edge"]
    a = borders["a"].map(position).to_numpy()
    b = borders["b"].map(position).to_numpy()
    touching = np.zeros((size, size))  # float: the products below run in BLAS
    touching[a, b] = touching[b, a] = 1.0
    within = np.zeros((size, size))  # within[m, c]: municipality m lies in county c
    municipality = (table["level"] == "municipality").to_numpy()
    within[np.flatnonzero(municipality), table["county_id"][municipality].map(position)] = 1.0
    territory = within + touching @ within  # [m, c]: municipality m in or touching county c
    county_county = within.T @ territory  # [c, d]: a municipality of c is in or touches d
    near = (touching + territory + territory.T + county_county) > 0
    np.fill_diagonal(near, False)
    near.setflags(write=False)
    return near
