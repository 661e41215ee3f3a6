"""mm.synthetic_cohort: counts, valid profiles, determinism, real places, marginals within
tolerance, national scale, and the ``mentormatch synthetic`` command."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import mentormatch as mm
from mentormatch.cli import main
from mentormatch.places import find_places, place_table
from mentormatch.synthetic import THEME_WEIGHTS
from oracles import shared_municipalities

ORGANISATIONS = 681  # 683 places; Oslo and Gotland are one organisation each


def _frame(cohort: mm.Cohort) -> pd.DataFrame:
    return pd.DataFrame([p.model_dump() for p in cohort.profiles])


def test_counts_ids_and_roles() -> None:
    cohort = mm.synthetic_cohort(7, 12, seed=3)
    assert len(cohort.mentors) == 7 and len(cohort.mentees) == 12
    assert [p.id for p in cohort.mentors] == [f"M{k:04d}" for k in range(1, 8)]
    assert [p.id for p in cohort.mentees] == [f"E{k:04d}" for k in range(1, 13)]
    assert [p.role for p in cohort.profiles] == ["mentor"] * 7 + ["mentee"] * 12
    assert cohort.notes == ()


def test_the_cohort_is_valid_and_round_trips(tmp_path: Path) -> None:
    cohort = mm.synthetic_cohort(40, 60, seed=5)
    assert mm.Cohort.from_frame(cohort.to_frame()) == cohort
    again = mm.read_cohort(mm.write_cohort(cohort, tmp_path / "c.csv"))
    assert again == cohort and again.notes == ()


def test_same_seed_same_cohort_whatever_the_order_of_countries() -> None:
    first = mm.synthetic_cohort(30, 40, seed=11)
    assert mm.synthetic_cohort(30, 40, seed=11, countries=["se", "NO"]) == first
    assert mm.synthetic_cohort(30, 40, seed=11, countries=("NO", "SE", "NO")) == first
    assert mm.synthetic_cohort(np.int64(30), 40, seed=np.int32(11)) == first
    assert mm.synthetic_cohort(30, 40, seed=12) != first


def test_people_lead_real_places_whose_facts_they_carry() -> None:
    cohort = mm.synthetic_cohort(300, 380, seed=2)  # 680 people: fewer than organisations
    table = place_table().set_index("id")
    for person in cohort.profiles:
        (place,) = find_places(person.organisation, person.country, person.region, person.level)
        assert person.level == place.level and person.region == place.county
        assert person.population == place.population
        assert (person.latitude, person.longitude) == (place.latitude, place.longitude)
        if place.level == "municipality":
            shared = shared_municipalities()[place.id]
            assert person.latitude == pytest.approx(float(shared["centroid_lat"]), abs=5e-6)
        assert table.loc[place.id, "country"] == person.country
    organisations = Counter((p.organisation, p.region) for p in cohort.profiles)
    assert max(organisations.values()) == 1  # without replacement while possible


def test_each_organisation_appears_once_per_round() -> None:
    cohort = mm.synthetic_cohort(ORGANISATIONS - 100, 105, seed=4)  # one round and 5
    counts = Counter((p.organisation, p.region) for p in cohort.profiles)
    assert len(counts) == ORGANISATIONS
    assert sorted(Counter(counts.values()).items()) == [(1, ORGANISATIONS - 5), (2, 5)]
    # two whole rounds: sizes are the real organisations' sizes, each twice
    cohort = mm.synthetic_cohort(ORGANISATIONS, ORGANISATIONS, seed=4)
    sizes = sorted(p.population for p in cohort.profiles)
    table = place_table()
    real = table[~table["id"].isin(["NO-03", "SE-09"])]["population"].tolist()
    assert sizes == sorted(real * 2)
    assert Counter(p.level for p in cohort.profiles)["county"] == 2 * 34
    # roles are independent of the organisation: mentors are not simply the first round
    mentors = Counter((p.organisation, p.region) for p in cohort.mentors)
    both = sum(k == 2 for k in mentors.values())  # about a quarter of the organisations
    assert 0.18 * ORGANISATIONS < both < 0.32 * ORGANISATIONS


def test_one_country() -> None:
    cohort = mm.synthetic_cohort(20, 20, seed=1, countries="SE")
    assert {p.country for p in cohort.profiles} == {"SE"}
    assert all(p.region.endswith(" län") for p in cohort.profiles)
    assert all("sv" in p.languages for p in cohort.profiles)
    norway = mm.synthetic_cohort(400, 400, seed=1, countries=["NO"])
    assert {p.country for p in norway.profiles} == {"NO"}
    assert any(p.organisation.endswith(" fylkeskommune") for p in norway.profiles)


def test_marginals_are_within_tolerance() -> None:
    cohort = mm.synthetic_cohort(6_000, 14_000, seed=7)
    frame = _frame(cohort)
    mentors, mentees = frame[frame["role"] == "mentor"], frame[frame["role"] == "mentee"]
    assert mentees["years_in_role"].mean() == pytest.approx(1.5, abs=0.05)
    assert (mentees["years_in_role"] < 3).mean() == pytest.approx(0.865, abs=0.015)
    assert mentors["years_in_role"].min() >= 4 and mentors["years_in_role"].max() <= 40
    assert mentors["years_in_role"].mean() == pytest.approx(12, abs=0.3)
    assert (mentors["capacity"] == 2).mean() == pytest.approx(0.3, abs=0.02)
    assert set(mentors["capacity"]) == {1, 2} and set(mentees["capacity"]) == {1}
    counts = mentees["themes"].map(len).value_counts(normalize=True)
    assert counts.sort_index().tolist() == pytest.approx([0.3, 0.45, 0.25], abs=0.015)
    assert set(mentors["themes"].map(len)) == {2, 3, 4, 5}
    single = Counter(t[0].split("/")[0] for t in mentees["themes"] if len(t) == 1)
    for theme, weight in THEME_WEIGHTS.items():
        assert single[theme] / sum(single.values()) == pytest.approx(weight, abs=0.015)
    entries = [entry for t in frame["themes"] for entry in t]
    assert np.mean(["/" in e for e in entries]) == pytest.approx(0.15 * 8 / 9, abs=0.02)
    assert frame["languages"].map(lambda x: "en" in x).mean() == pytest.approx(0.4, abs=0.015)
    assert frame["avoid"].map(len).mean() == pytest.approx(0.02, abs=0.005)
    assert (frame["level"] == "county").mean() == pytest.approx(34 / ORGANISATIONS, abs=0.005)
    assert frame["name"].nunique() > 1_000 and frame["id"].is_unique


def test_declared_conflicts_name_someone_of_the_other_role() -> None:
    cohort = mm.synthetic_cohort(500, 500, seed=9)
    declared = [p for p in cohort.profiles if p.avoid]
    assert 3 <= len(declared) <= 40
    for person in declared:
        (entry,) = person.avoid
        others = cohort.mentees if person.role == "mentor" else cohort.mentors
        assert entry in {p.id for p in others} | {p.organisation for p in others}


def test_a_hundred_thousand_people() -> None:
    cohort = mm.synthetic_cohort(40_000, 60_000, seed=1)
    assert len(cohort.profiles) == 100_000
    assert len({p.id for p in cohort.profiles}) == 100_000
    assert cohort.mentees[-1].id == "E60000"


def test_bad_arguments_are_all_named_at_once() -> None:
    with pytest.raises(mm.InputError) as caught:
        mm.synthetic_cohort(0, 2.5, seed=-1, countries=["NO", "DK"])  # type: ignore[arg-type]
    arguments = [v.argument for v in caught.value.violations]
    assert arguments == ["n_mentors", "n_mentees", "seed", "countries"]
    for bad in ([], None, True):
        with pytest.raises(mm.InputError, match="countries"):
            mm.synthetic_cohort(1, 1, countries=bad)  # type: ignore[arg-type]
    with pytest.raises(mm.InputError, match="n_mentors"):
        mm.synthetic_cohort(True, 1)


def test_a_synthetic_round_matches_under_the_new_rules() -> None:
    cohort = mm.synthetic_cohort(25, 35, seed=6)
    rules = [mm.PairCount(8, 15), mm.AvoidSameOrganisation(), mm.AvoidDeclared()]
    rules += [mm.AvoidNeighbours(), mm.MaxDistance(km=800), mm.RegionQuota(max=2)]
    result = mm.match(cohort, rules=rules)
    assert result.status == "optimal" and len(result.pairs) == 15
    assert (result.pairs["distance_km"] <= 800).all()


# --- the command line ------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".json"])
def test_cli_writes_the_cohort_the_function_makes(tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"cohort{suffix}"
    argv = ["synthetic", "12", "18", "--seed", "4", "--countries", "NO,SE", "--out", str(out)]
    assert main(argv) == 0
    assert list(tmp_path.iterdir()) == [out]
    assert mm.read_cohort(out) == mm.synthetic_cohort(12, 18, seed=4)


def test_cli_without_out_prints_csv(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["synthetic", "2", "3", "--countries", "SE"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("id,role,name,organisation,region,country")
    assert len(lines) == 6 and all(",SE," in line for line in lines[1:])


def test_cli_refuses_before_work_and_never_overwrites(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["synthetic", "5", "5", "--out", str(tmp_path / "c.txt")]) == 2
    assert "'--out': expected a file name ending in .csv, .xlsx or .json" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
    existing = tmp_path / "mine.csv"
    existing.write_text("precious", encoding="utf-8")
    assert main(["synthetic", "5", "5", "--out", str(existing)]) == 2
    assert "exists" in capsys.readouterr().err
    assert existing.read_text(encoding="utf-8") == "precious"
    assert main(["synthetic", "5", "5", "--out", str(existing), "--force"]) == 0
    assert len(mm.read_cohort(existing).profiles) == 10
    assert main(["synthetic", "0", "5", "--countries", "DK"]) == 2
    err = capsys.readouterr().err
    assert "'n_mentors'" in err and "'countries'" in err


def test_match_refuses_to_write_over_its_inputs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cohort = mm.write_cohort(mm.synthetic_cohort(10, 10), tmp_path / "c.csv")
    before = cohort.read_bytes()
    assert main(["match", str(cohort), "--out", str(cohort)]) == 2
    assert "is an input" in capsys.readouterr().err and cohort.read_bytes() == before
    assert main(["match", str(cohort), "--out", str(tmp_path / "pairs.txt")]) == 2
    assert list(tmp_path.iterdir()) == [cohort]
