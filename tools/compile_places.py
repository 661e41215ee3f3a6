"""Compile the package's place table from the shared municipality data.

Reads ``../shared/data/municipalities/`` (the repository root's parent) and
writes the only facts mentormatch needs at run time, in its own data folder:

- ``src/mentormatch/data/places.csv``: one row per Norwegian and Swedish
  municipality and county: ``id`` (``NO-1804``, ``NO-18``, ``SE-0114``,
  ``SE-01``), ``country``, ``level``, ``name``, ``aliases`` (other names of the
  same place, ``;``-separated), ``county_id``, ``county``, ``population``,
  ``latitude``, ``longitude``. A municipality's coordinates are its polygon
  centroid; a county's are the population-weighted mean of its municipalities'
  centroids, and its population their sum.
- ``src/mentormatch/data/place_borders.csv``: pairs of municipalities that share
  a border: ``a``, ``b`` (place ids, ``a < b``), ``kind``: ``edge`` (a shared
  boundary segment) or ``corner`` (Swedish pairs that touch at one point of the
  simplified boundaries, ``vertex_only`` in the source).

Run from the repository root after the shared data changes, then run the tests
(``tests/test_places.py`` checks the compiled tables against the shared files)::

    .venv/bin/python tools/compile_places.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data" / "municipalities"
DATA = ROOT / "src" / "mentormatch" / "data"

NO_POPULATION = 5_550_203  # the sums SOURCES.md gives, checked on every run
SE_POPULATION = 9_995_153

MUNICIPALITY_ALIASES = {"SE-2080": ("Falu",)}  # "Falu kommun": Falun's irregular genitive
COUNTY_ALIASES = {  # the regions' own names where they differ from the län's
    "SE-04": ("Sörmland",),
    "SE-14": ("Västra Götalandsregionen",),
    "SE-23": ("Jämtland Härjedalen",),
}
"""A Swedish county is also known by its län name's stem ("Dalarnas län" -> "Dalarna",
as in "Region Dalarna"); these are the regions whose own names differ from that stem."""
COLUMNS = [
    "id",
    "country",
    "level",
    "name",
    "aliases",
    "county_id",
    "county",
    "population",
    "latitude",
    "longitude",
]


def _norway() -> pd.DataFrame:
    raw = pd.read_csv(SHARED / "no_kommuner_2024.csv", dtype=str)
    assert raw["population"].astype(int).sum() == NO_POPULATION

    def aliases(row: pd.Series) -> str:
        names = [row["name"], *(part.strip() for part in row["topojson_name"].split(" - "))]
        return ";".join(dict.fromkeys(n for n in names if n != row["name_no"]))

    return pd.DataFrame(
        {
            "id": "NO-" + raw["kommunenummer"],
            "country": "NO",
            "level": "municipality",
            "name": raw["name_no"],
            "aliases": raw.apply(aliases, axis=1),
            "county_id": "NO-" + raw["fylkesnummer"],
            "county": raw["fylke"],
            "population": raw["population"].astype(int),
            "latitude": raw["centroid_lat"].astype(float),
            "longitude": raw["centroid_lon"].astype(float),
        }
    )


def _sweden() -> pd.DataFrame:
    raw = pd.read_csv(SHARED / "se_kommuner.csv", dtype=str)
    assert raw["population_2016_12_31"].astype(int).sum() == SE_POPULATION
    return pd.DataFrame(
        {
            "id": "SE-" + raw["kommunkod"],
            "country": "SE",
            "level": "municipality",
            "name": raw["name"],
            "aliases": "",
            "county_id": "SE-" + raw["lanskod"],
            "county": raw["lan"],
            "population": raw["population_2016_12_31"].astype(int),
            "latitude": raw["centroid_lat"].astype(float),
            "longitude": raw["centroid_lon"].astype(float),
        }
    )


def _counties(municipalities: pd.DataFrame) -> pd.DataFrame:
    """One row per county: population summed, coordinates population-weighted."""
    weighted = municipalities.assign(
        lat_x_pop=municipalities["latitude"] * municipalities["population"],
        lon_x_pop=municipalities["longitude"] * municipalities["population"],
    )
    sums = weighted.groupby(["county_id", "country", "county"], as_index=False)[
        ["population", "lat_x_pop", "lon_x_pop"]
    ].sum()
    return pd.DataFrame(
        {
            "id": sums["county_id"],
            "country": sums["country"],
            "level": "county",
            "name": sums["county"],
            "aliases": "",
            "county_id": sums["county_id"],
            "county": sums["county"],
            "population": sums["population"],
            "latitude": sums["lat_x_pop"] / sums["population"],
            "longitude": sums["lon_x_pop"] / sums["population"],
        }
    )


def _stem(county: str) -> str:
    """ "Dalarnas län" -> "Dalarna", "Skåne län" -> "Skåne": the name without län and genitive."""
    name = county.removesuffix(" län")
    return name.removesuffix("s") if county.endswith("s län") else name


def _borders(known: set[str]) -> pd.DataFrame:
    norway = pd.read_csv(SHARED / "no_kommuner_2024_adjacency.csv", dtype=str)
    sweden = pd.read_csv(SHARED / "se_kommuner_adjacency.csv", dtype=str)
    assert set(sweden["shared"]) == {"edge", "vertex_only"}
    pairs = pd.concat(
        [
            pd.DataFrame(
                {
                    "a": "NO-" + norway["kommunenummer_a"],
                    "b": "NO-" + norway["kommunenummer_b"],
                    "kind": "edge",
                }
            ),
            pd.DataFrame(
                {
                    "a": "SE-" + sweden["kommunkod_a"],
                    "b": "SE-" + sweden["kommunkod_b"],
                    "kind": sweden["shared"].replace({"vertex_only": "corner"}),
                }
            ),
        ]
    )
    low = pairs[["a", "b"]].min(axis=1)
    high = pairs[["a", "b"]].max(axis=1)
    pairs = pairs.assign(a=low, b=high)
    assert (pairs["a"] != pairs["b"]).all() and set(pairs["a"]) | set(pairs["b"]) <= known
    assert not pairs.duplicated(["a", "b"]).any()
    return pairs.sort_values(["a", "b"]).reset_index(drop=True)


def main() -> int:
    """Write the two tables; print what was written."""
    municipalities = pd.concat([_norway(), _sweden()], ignore_index=True)
    for place, names in MUNICIPALITY_ALIASES.items():
        municipalities.loc[municipalities["id"] == place, "aliases"] = ";".join(names)
    counties = _counties(municipalities)
    for row in counties.itertuples():
        stem = [_stem(row.name)] if row.country == "SE" else []
        names = [*stem, *COUNTY_ALIASES.get(row.id, ())]
        counties.loc[row.Index, "aliases"] = ";".join(names)
    places = pd.concat([municipalities, counties], ignore_index=True)
    places = places.sort_values("id").reset_index(drop=True)[COLUMNS]
    places[["latitude", "longitude"]] = places[["latitude", "longitude"]].round(5)
    assert places["id"].is_unique
    borders = _borders(set(places["id"]))
    places.to_csv(DATA / "places.csv", index=False, encoding="utf-8", lineterminator="\n")
    borders.to_csv(DATA / "place_borders.csv", index=False, encoding="utf-8", lineterminator="\n")
    print(f"{DATA / 'places.csv'}: {len(places)} places")
    print(f"{DATA / 'place_borders.csv'}: {len(borders)} borders")
    return 0


if __name__ == "__main__":
    sys.exit(main())
