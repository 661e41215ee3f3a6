"""The place table against the shared data it is compiled from, name look-ups, and coordinates
filled from names at intake (notes in the cohort, the result and the command line)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import mentormatch as mm
from mentormatch.cli import main
from mentormatch.places import ambiguity, find_places, neighbour_matrix, place_table, places
from mentormatch.profiles import Profile
from oracles import are_neighbours, shared_borders, shared_municipalities

# --- the compiled table against ../shared, read in place --------------------------------------


def test_every_municipality_matches_the_shared_files() -> None:
    table = place_table().set_index("id")
    shared = shared_municipalities()
    municipalities = table[table["level"] == "municipality"]
    assert sorted(municipalities.index) == sorted(shared)
    assert (municipalities["country"] == "NO").sum() == 357
    assert (municipalities["country"] == "SE").sum() == 290
    for place, row in shared.items():
        ours = municipalities.loc[place]
        norwegian = place.startswith("NO-")
        assert ours["name"] == (row["name_no"] if norwegian else row["name"])
        assert ours["county"] == (row["fylke"] if norwegian else row["lan"])
        assert ours["county_id"] == row["county_id"]
        assert ours["population"] == int(
            row["population"] if norwegian else row["population_2016_12_31"]
        )
        assert ours["latitude"] == pytest.approx(float(row["centroid_lat"]), abs=5e-6)
        assert ours["longitude"] == pytest.approx(float(row["centroid_lon"]), abs=5e-6)
        if norwegian:
            names = {row["name"], *(part.strip() for part in row["topojson_name"].split(" - "))}
            assert names - {row["name_no"]} == set(filter(None, ours["aliases"].split(";")))


def test_counties_sum_population_and_weight_coordinates_by_it() -> None:
    table = place_table().set_index("id")
    counties = table[table["level"] == "county"]
    assert (counties["country"] == "NO").sum() == 15 and (counties["country"] == "SE").sum() == 21
    members: dict[str, list[dict[str, str]]] = {}
    for row in shared_municipalities().values():
        members.setdefault(row["county_id"], []).append(row)
    assert sorted(members) == sorted(counties.index)
    for county, rows in members.items():
        people = [
            int(r["population"] if county.startswith("NO") else r["population_2016_12_31"])
            for r in rows
        ]
        total = sum(people)
        lat = sum(k * float(r["centroid_lat"]) for k, r in zip(people, rows, strict=True)) / total
        lon = sum(k * float(r["centroid_lon"]) for k, r in zip(people, rows, strict=True)) / total
        ours = counties.loc[county]
        assert ours["population"] == total
        assert (ours["latitude"], ours["longitude"]) == pytest.approx((lat, lon), abs=1e-5)
        assert ours["county_id"] == county and ours["name"] == ours["county"]
    assert counties["population"].groupby(counties["country"]).sum().to_dict() == {
        "NO": 5_550_203,
        "SE": 9_995_153,
    }


def test_borders_are_the_shared_adjacency_with_vertex_only_as_corners() -> None:
    data = Path(mm.__file__).parent / "data" / "place_borders.csv"
    ours = pd.read_csv(data, dtype=str)
    pairs = {frozenset(p) for p in zip(ours["a"], ours["b"], strict=True)}
    assert pairs == shared_borders(corners=True)
    edges = ours[ours["kind"] == "edge"]
    assert {frozenset(p) for p in zip(edges["a"], edges["b"], strict=True)} == shared_borders(
        corners=False
    )
    assert (ours["kind"] == "corner").sum() == 38 and (ours["a"] < ours["b"]).all()


def test_the_package_data_is_compiled_not_copied() -> None:
    shared = Path(__file__).resolve().parents[2] / "shared" / "data" / "municipalities"
    data = Path(mm.__file__).parent / "data"
    ours = {path.read_bytes() for path in data.glob("*.csv")}
    assert not ours & {path.read_bytes() for path in shared.glob("*.csv")}


# --- neighbours: the matrix against the territory oracle, pair by pair --------------------------


@pytest.mark.parametrize("corners", [True, False])
def test_neighbour_matrix_matches_the_oracle_for_every_pair(corners: bool) -> None:
    ids = [p.id for p in places()]
    near = neighbour_matrix(corners)
    assert not near.flags.writeable and (near == near.T).all()
    if not corners:  # only Swedish pairs can differ; check those exhaustively
        ids = [place for place in ids if place.startswith("SE")]
        positions = [k for k, p in enumerate(places()) if p.id.startswith("SE")]
        near = near[np.ix_(positions, positions)]
    expected = np.array([[are_neighbours(a, b, corners) for b in ids] for a in ids])
    np.testing.assert_array_equal(near, expected)


# --- names -> places ------------------------------------------------------------------------


def _ids(name: str, **known: str) -> list[str]:
    return [place.id for place in find_places(name, **known)]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("name", "place"),
    [
        ("Bodø kommune", "NO-1804"),
        ("  bodø   KOMMUNE ", "NO-1804"),
        ("Bodø Municipality", "NO-1804"),
        ("Stad kommune", "NO-4649"),  # a name that is itself a generic word
        ("Guovdageaidnu", "NO-5612"),  # Sami name of Kautokeino
        ("Kautokeino kommune", "NO-5612"),
        ("Stockholms stad", "SE-0180"),  # Swedish genitive
        ("Stockholms kommun", "SE-0180"),
        ("Göteborgs Stad", "SE-1480"),
        ("Falu kommun", "SE-2080"),
        ("Bergs kommun", "SE-2326"),
        ("Lilla Edets kommun", "SE-1462"),
        ("Malung-Sälens kommun", "SE-2023"),
        ("Nordland fylke", "NO-18"),
        ("Nordland fylkeskommune", "NO-18"),
        ("Møre og Romsdal fylkeskommune", "NO-15"),
        ("Stockholms län", "SE-01"),
        ("Region Stockholm", "SE-01"),
        ("Region Skåne", "SE-12"),
        ("Skåne län", "SE-12"),
        ("Region Jönköpings län", "SE-06"),
        ("Region Dalarna", "SE-20"),
        ("Västra Götalandsregionen", "SE-14"),
        ("Region Sörmland", "SE-04"),
        ("Region Jämtland Härjedalen", "SE-23"),
        ("Oslo", "NO-0301"),  # municipality and county in one: one place
        ("Region Gotland", "SE-09"),  # the municipality that is a region
    ],
)
def test_names_people_write_find_their_place(name: str, place: str) -> None:
    assert _ids(name) == [place]


def test_ambiguous_names_are_settled_by_country_region_or_level_or_stay_ambiguous() -> None:
    assert _ids("Herøy kommune") == ["NO-1515", "NO-1818"]
    assert _ids("Herøy kommune", region="Nordland") == ["NO-1818"]
    assert _ids("Herøy", region="Møre og Romsdal fylke") == ["NO-1515"]
    assert _ids("Våler", region="Innlandet") == ["NO-3419"]
    assert _ids("Lund") == ["NO-1112", "SE-1281"]
    assert _ids("Lund", country="se") == ["SE-1281"]
    assert _ids("Lund", country=" Sverige ") == ["SE-1281"]
    assert _ids("Lund", country="Norway") == ["NO-1112"]
    assert _ids("Lund", region="Region Skåne") == ["SE-1281"]
    assert _ids("Lund kommune", region="Rogaland") == ["NO-1112"]
    assert _ids("Uppsala") == ["SE-03", "SE-0380"]
    assert _ids("Uppsala", level="county") == ["SE-03"]
    assert _ids("Uppsala kommun") == ["SE-0380"]
    assert _ids("Herøy", region="Troms") == ["NO-1515", "NO-1818"]  # a region that settles nothing
    assert ambiguity(find_places("Lund")).endswith("; give the country or region")


def test_names_that_match_nothing_find_nothing() -> None:
    assert _ids("Atlantis kommune") == []
    assert _ids("Bergen", country="SE") == []  # the country is never overruled
    assert _ids("") == []
    assert _ids("kommune") == []


# --- coordinates from names at intake -------------------------------------------------------

SHEET = """id;role;organisation;region;country;latitude;longitude
M1;mentor;Bodø kommune;Nordland;;;
M2;mentor;Stockholms stad;Stockholms län;SE;;
M3;mentor;Herøy kommune;Vestland;NO;;
E1;mentee;Herøy kommune;Nordland;;;
E2;mentee;Atlantis kommune;Nordland;;;
E3;mentee;Atlantis kommune;Nowhere;;;
E4;mentee;atlantis  KOMMUNE;Nowhere;;;
E5;mentee;Tromsø kommune;Troms;;69,5;19,0
E6;mentee;Herøy kommune;Vestland;;;
E7;mentee;Bodø;Nordland;;;
"""


def _read(tmp_path: Path, text: str = SHEET, name: str = "sheet.csv") -> mm.Cohort:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return mm.read_cohort(path)


def test_a_sheet_without_coordinates_gets_them_from_names(tmp_path: Path) -> None:
    cohort = _read(tmp_path)
    bodo = shared_municipalities()["NO-1804"]
    bodo_point = (float(bodo["centroid_lat"]), float(bodo["centroid_lon"]))
    assert (cohort["M1"].latitude, cohort["M1"].longitude) == pytest.approx(bodo_point)
    assert (cohort["E7"].latitude, cohort["E7"].longitude) == pytest.approx(bodo_point)
    stockholm = shared_municipalities()["SE-0180"]
    assert cohort["M2"].latitude == pytest.approx(float(stockholm["centroid_lat"]))
    heroy = shared_municipalities()["NO-1818"]  # settled by the region
    assert cohort["E1"].longitude == pytest.approx(float(heroy["centroid_lon"]))
    nordland = place_table().set_index("id").loc["NO-18"]  # from the region
    assert cohort["E2"].latitude == pytest.approx(nordland["latitude"])
    assert (cohort["E5"].latitude, cohort["E5"].longitude) == (69.5, 19.0)  # given: kept
    for unplaced in ("M3", "E3", "E4", "E6"):
        assert cohort[unplaced].latitude is None and cohort[unplaced].longitude is None


def test_notes_say_who_got_coordinates_and_list_each_problem_name_once(tmp_path: Path) -> None:
    notes = _read(tmp_path).notes
    assert notes == (
        "coordinates of Bodø (municipality in Nordland, NO), from the organisation's name: E7, M1",
        "coordinates of Herøy (municipality in Nordland, NO), from the organisation's name: E1",
        "coordinates of Stockholm (municipality in Stockholms län, SE), from the organisation's "
        "name: M2",
        "coordinates of Nordland (county, NO), from the region, as 'Atlantis kommune' names no "
        "known place: E2",
        "no coordinates: 'Herøy kommune' may mean Herøy (municipality in Møre og Romsdal, NO) or "
        "Herøy (municipality in Nordland, NO); give the region, or the coordinates: E6, M3",
        "no coordinates: neither 'Atlantis kommune' nor the region names a known Norwegian or "
        "Swedish municipality or county: E3, E4",
    )
    assert all("E5" not in note for note in notes)


def test_notes_and_coordinates_do_not_depend_on_row_order(tmp_path: Path) -> None:
    header, *rows = SHEET.splitlines()
    shuffled = "\n".join([header, *reversed(rows)]) + "\n"
    first, again = _read(tmp_path), _read(tmp_path, shuffled, "shuffled.csv")
    assert first.notes == again.notes
    assert {p.id: p for p in first.profiles} == {p.id: p for p in again.profiles}


@pytest.mark.parametrize("coordinates", [True, False])
def test_filled_coordinates_are_written_and_read_back_equal(
    tmp_path: Path, coordinates: bool
) -> None:
    text = SHEET if coordinates else "id,role,organisation,region\nm,mentor,Bodø,-\ne,mentee,X,-\n"
    cohort = _read(tmp_path, text)
    assert cohort.columns[-2:] == ("latitude", "longitude")
    for suffix in (".csv", ".xlsx", ".json"):
        again = mm.read_cohort(mm.write_cohort(cohort, tmp_path / f"out{suffix}"))
        assert again == cohort
        assert not any(note.startswith("coordinates of") for note in again.notes)


_PLACED = Profile(id="e", role="mentee", organisation="-", region="-", latitude=0, longitude=0)
"""A mentee whose position is given: a cohort needs both roles."""


def test_a_half_given_position_is_left_as_given() -> None:
    half = Profile(id="m", role="mentor", organisation="Bodø", region="Nordland", latitude=67.3)
    cohort = mm.Cohort(profiles=(half, _PLACED))
    assert cohort.profiles == (half, _PLACED) and cohort.notes == ()


def test_the_callers_profiles_are_not_changed() -> None:
    blank = Profile(id="m", role="mentor", organisation="Bodø", region="Nordland")
    cohort = mm.Cohort(profiles=(blank, _PLACED))
    assert cohort.profiles[0].latitude is not None and cohort.notes
    assert blank.latitude is None and blank.longitude is None


def test_max_distance_and_proximity_work_on_a_sheet_without_coordinates(tmp_path: Path) -> None:
    text = "id,role,organisation,region\nM1,mentor,Bodø kommune,Nordland\n"
    text += "M2,mentor,Kiruna kommun,Norrbottens län\nE1,mentee,Fauske kommune,Nordland\n"
    cohort = _read(tmp_path, text)
    result = mm.match(cohort, rules=[mm.MaxDistance(km=100)])
    assert result.pairs[["mentor_id", "mentee_id"]].to_numpy().tolist() == [["M1", "E1"]]
    assert result.pairs["distance_km"].iloc[0] < 100
    assert result.notes == cohort.notes and len(result.notes) == 3
    saved = json.loads(result.to_json(tmp_path / "r.json").read_text(encoding="utf-8"))
    assert saved["notes"] == list(cohort.notes)


def test_validate_and_match_print_the_notes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "sheet.csv"
    path.write_text(SHEET, encoding="utf-8")
    assert main(["validate", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Notes:" in out and out.count("Atlantis") == 2  # two notes, each naming it once
    assert "from the organisation's name: E7, M1" in out
    assert main(["match", str(path), "--rules", str(_rules(tmp_path))]) == 0
    assert "may mean Herøy" in capsys.readouterr().out


def _rules(tmp_path: Path) -> Path:
    return mm.save_rules([mm.PairCount(max=3)], tmp_path / "rules.toml")
