"""mm.match end to end: every rule checked on the returned pairs from the profiles themselves,
optimality against brute force, row-order invariance, exports, formula neutralising."""

from __future__ import annotations

import itertools
import json
import warnings
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import mentormatch as mm
from mentormatch.cli import main
from oracles import great_circle_km, keeps
from strategies_cohort import cohorts, rule_sets

EXAMPLE = mm.example_cohort()
SLOW = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def brute_force(cohort: mm.Cohort, rules: list[mm.Rule], scores: pd.DataFrame) -> float | None:
    """The best total over every way to give each mentee one mentor or none."""
    mentors = [p.id for p in cohort.mentors]
    mentees = [p.id for p in cohort.mentees]
    best: float | None = None
    for choice in itertools.product([None, *mentors], repeat=len(mentees)):
        pairs = [(m, e) for m, e in zip(choice, mentees, strict=True) if m is not None]
        if keeps(cohort, rules, pairs):
            total = sum(float(scores.loc[m, e]) for m, e in pairs)
            best = total if best is None else max(best, total)
    return best


@SLOW
@given(data=st.data())
def test_random_rules_hold_or_clash_and_pairs_are_optimal(data: st.DataObject) -> None:
    cohort = data.draw(cohorts(max_mentors=3, max_mentees=4))
    rules = data.draw(rule_sets(cohort))
    scores = mm.score(cohort).matrix
    best = brute_force(cohort, rules, scores)
    event("infeasible" if best is None else "feasible")
    if best is None:
        with pytest.raises(mm.InfeasibleError) as info:
            mm.match(cohort, rules=rules)
        assert info.value.conflicts
        return
    result = mm.match(cohort, rules=rules)
    pairs = list(zip(result.pairs["mentor_id"], result.pairs["mentee_id"], strict=True))
    assert keeps(cohort, rules, pairs)
    assert result.objective == pytest.approx(best, abs=1e-6)
    assert result.objective == pytest.approx(result.pairs["score"].sum())
    assert result.status == "optimal"
    assert result.bound >= result.objective - 1e-9
    paired = {m for m, _ in pairs} | {e for _, e in pairs}
    assert set(result.unmatched["id"]) == {p.id for p in cohort.profiles} - paired


def test_pilot_rules_on_the_example_cohort() -> None:
    result = mm.match(EXAMPLE)
    pairs = list(zip(result.pairs["mentor_id"], result.pairs["mentee_id"], strict=True))
    assert len(pairs) == 15
    assert keeps(EXAMPLE, list(mm.pilot_rules()), pairs)
    assert ("M002", "E017") not in pairs and ("M010", "E017") not in pairs
    expected = mm.assign(
        result.scores.to_numpy(),
        capacity=[EXAMPLE[m].capacity for m in result.scores.index],
        max_pairs=15,
        forbidden=np.array(
            [
                [
                    not keeps(EXAMPLE, list(mm.pilot_rules())[1:], [(m, e)])
                    for e in result.scores.columns
                ]
                for m in result.scores.index
            ]
        ),
    )
    assert result.objective == pytest.approx(expected.objective)


def test_every_rule_kind_holds_on_the_example_cohort() -> None:
    rules: list[mm.Rule] = [
        mm.PairCount(8, 12),
        mm.AvoidSameOrganisation(),
        mm.AvoidDeclared(),
        mm.DifferentRegion(),
        mm.MaxDistance(km=700),
        mm.RegionQuota(max=1),
        mm.Lock("M006", "E005"),
        mm.Forbid("M010", "E003"),
    ]
    result = mm.match(EXAMPLE, rules=rules)
    pairs = list(zip(result.pairs["mentor_id"], result.pairs["mentee_id"], strict=True))
    assert keeps(EXAMPLE, rules, pairs)
    assert ("M006", "E005") in pairs
    assert 8 <= len(pairs) <= 12
    assert result.explain("E005").startswith("E005 is paired with M006")


def shuffled(cohort: mm.Cohort, seed: int) -> mm.Cohort:
    frame = cohort.to_frame()
    return mm.Cohort.from_frame(frame.sample(frac=1, random_state=seed).reset_index(drop=True))


def test_row_order_never_changes_the_pairs() -> None:
    rules = [mm.PairCount(8, 15), mm.AvoidSameOrganisation(), mm.RegionQuota(max=2)]
    first = mm.match(EXAMPLE, rules=rules).pairs
    for seed in range(3):
        again = mm.match(shuffled(EXAMPLE, seed), rules=rules).pairs
        pd.testing.assert_frame_equal(first, again)


@SLOW
@given(data=st.data())
def test_row_order_invariance_on_random_cohorts_with_ties(data: st.DataObject) -> None:
    cohort = data.draw(cohorts(max_mentors=5, max_mentees=6))
    seed = data.draw(st.integers(0, 1000))
    try:
        first = mm.match(cohort, rules=[mm.PairCount(max=3)]).pairs
    except mm.InfeasibleError:
        return
    pd.testing.assert_frame_equal(
        first, mm.match(shuffled(cohort, seed), rules=[mm.PairCount(max=3)]).pairs
    )


def test_infeasible_rules_name_the_rules_that_clash() -> None:
    with pytest.raises(mm.InfeasibleError) as info:
        mm.match(EXAMPLE, rules=[mm.PairCount(8, 15), mm.MaxDistance(km=1)])
    (conflict,) = info.value.conflicts
    assert "PairCount(min=8)" in conflict and "MaxDistance(km=1)" in conflict
    with pytest.raises(mm.InfeasibleError, match=r"Lock\('M002', 'E017'\).*AvoidSameOrganisation"):
        mm.match(EXAMPLE, rules=[mm.AvoidSameOrganisation(), mm.Lock("M002", "E017")])


def test_region_quota_with_pair_count_clash_is_explained() -> None:
    regions = {p.region for p in EXAMPLE.mentees}
    with pytest.raises(mm.InfeasibleError) as info:
        mm.match(EXAMPLE, rules=[mm.PairCount(min=len(regions) + 1), mm.RegionQuota(max=1)])
    assert "RegionQuota(max=1)" in info.value.conflicts[0]


def test_result_has_the_pinned_fields() -> None:
    result = mm.match(EXAMPLE, rules=[mm.PairCount(8, 10)], weights={"themes": 5})
    assert list(result.pairs.columns[:3]) == ["mentor_id", "mentee_id", "score"]
    assert set(result.scores.columns) == {p.id for p in EXAMPLE.mentees}
    assert set(result.scores.index) == {p.id for p in EXAMPLE.mentors}
    assert {"themes", "experience", "size", "proximity", "level", "language"} <= set(
        result.pairs.columns
    )
    assert list(result.unmatched.columns) == ["id", "role", "reason"]
    assert result.status == "optimal"
    assert result.bound == pytest.approx(result.objective)
    assert result.objective == pytest.approx(result.pairs["score"].sum())
    for row in result.pairs.itertuples():
        assert row.score == pytest.approx(result.scores.loc[row.mentor_id, row.mentee_id])
    with pytest.raises(mm.InputError, match="nobody"):
        result.explain("nobody")
    with pytest.raises(mm.InputError, match="argument 'cohort'"):
        mm.match(EXAMPLE.to_frame())  # type: ignore[arg-type]


def test_exports_read_back_equal(tmp_path: Path) -> None:
    result = mm.match(EXAMPLE)
    csv = pd.read_csv(result.to_csv(tmp_path / "pairs.csv"), dtype=str, encoding="utf-8-sig")
    paired = csv.dropna(subset=["mentor_id", "mentee_id"]).reset_index(drop=True)
    assert paired[["mentor_id", "mentee_id", "reason"]].equals(
        result.pairs[["mentor_id", "mentee_id", "reason"]]
    )
    np.testing.assert_allclose(paired["score"].astype(float), result.pairs["score"], atol=5e-4)
    sheet = pd.read_excel(result.to_excel(tmp_path / "pairs.xlsx"), sheet_name="pairs")
    pd.testing.assert_frame_equal(sheet, result.pairs, check_dtype=False)
    document = json.loads(result.to_json(tmp_path / "pairs.json").read_text(encoding="utf-8"))
    pd.testing.assert_frame_equal(pd.DataFrame(document["pairs"]), result.pairs, check_dtype=False)
    assert document["internal"]["explanations"]["E017"] == result.explain("E017")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pairs.csv", "pairs.json", "pairs.xlsx"]


def test_formulas_in_names_are_neutralised(tmp_path: Path) -> None:
    frame = EXAMPLE.to_frame()
    frame.loc[frame["id"] == "M001", "name"] = '=HYPERLINK("http://x","y")'
    frame.loc[frame["id"] == "M001", "organisation"] = "+cmd|' /C calc'!A0"
    before = frame.copy()
    result = mm.match(mm.Cohort.from_frame(frame), rules=[mm.Lock("M001", "E016")])
    pd.testing.assert_frame_equal(frame, before)
    text = result.to_csv(tmp_path / "p.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text
    assert "'+cmd" in text
    book = openpyxl.load_workbook(result.to_excel(tmp_path / "p.xlsx"))
    cells = [cell for row in book["pairs"].iter_rows() for cell in row]
    formulas = [c for c in cells if c.data_type == "f"]
    assert not formulas
    assert any(str(c.value).endswith('HYPERLINK("http://x","y")') for c in cells)
    assert result.pairs.loc[0, "mentor_name"] == '=HYPERLINK("http://x","y")'


def test_names_never_appear_in_errors() -> None:
    names = [p.name for p in EXAMPLE.profiles if p.name]
    with pytest.raises(mm.InfeasibleError) as info:
        mm.match(EXAMPLE, rules=[mm.PairCount(min=30), mm.SameRegion()])
    assert not any(name in str(info.value) for name in names)


def test_seed_and_time_limit_are_accepted() -> None:
    rules = [mm.PairCount(8, 15), mm.RegionQuota(max=2)]
    a = mm.match(EXAMPLE, rules=rules, seed=1, time_limit=5)
    b = mm.match(EXAMPLE, rules=rules, seed=1, time_limit=5)
    pd.testing.assert_frame_equal(a.pairs, b.pairs)


class SameCountry:
    """A user's own criterion: 1 when mentor and mentee are in the same country."""

    name = "country"

    def __call__(self, mentors: object, mentees: object) -> np.ndarray:
        a = np.array([p.country for p in mentors.profiles], dtype=object)  # type: ignore[attr-defined]
        b = np.array([p.country for p in mentees.profiles], dtype=object)  # type: ignore[attr-defined]
        return (a[:, None] == b[None, :]).astype(float)


def test_own_criteria_are_scored_and_reported() -> None:
    result = mm.match(EXAMPLE, weights={"country": 50}, criteria=[SameCountry()])
    assert "country" in result.pairs.columns
    same = [
        EXAMPLE[m].country == EXAMPLE[e].country
        for m, e in result.pairs[["mentor_id", "mentee_id"]].itertuples(index=False)
    ]
    assert all(same)
    assert (result.pairs["country"] == 1.0).all()


def test_every_pair_distance_in_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("mentormatch.matching._KM_BLOCK", 4)
    result = mm.match(EXAMPLE)
    for row in result.pairs.itertuples():
        expected = great_circle_km(EXAMPLE[row.mentor_id], EXAMPLE[row.mentee_id])
        assert row.distance_km == pytest.approx(expected, abs=1e-6)


def test_rules_that_leave_the_cohorts_declarations_unheeded_are_warned_about(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    cohort = mm.example_cohort()
    avoiding = sum(1 for p in cohort.profiles if p.avoid)
    assert avoiding > 0
    with pytest.warns(mm.RuleWarning, match=f"^{avoiding} people declared whom to avoid"):
        mm.match(cohort, rules=[mm.PairCount(max=10)])
    with pytest.warns(mm.RuleWarning, match="Stable\\(\\) has no effect"):
        mm.match(cohort, rules=[*mm.pilot_rules(), mm.Stable()])
    with warnings.catch_warnings():
        warnings.simplefilter("error", mm.RuleWarning)
        mm.match(cohort)  # the pilot's rules honour the avoid column
        mm.match(cohort, rules=[mm.AvoidDeclared(), mm.PairCount(max=10)])
    rules = tmp_path / "rules.toml"
    mm.save_rules([mm.PairCount(max=10)], rules)
    cohort_file = mm.write_cohort(cohort, tmp_path / "cohort.csv")
    assert main(["match", str(cohort_file), "--rules", str(rules)]) == 0
    assert f"warning: {avoiding} people declared whom to avoid" in capsys.readouterr().err
