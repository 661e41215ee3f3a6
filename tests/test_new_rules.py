"""Quota, Stable and NoRepeat: against an independent MILP, the matching package and a direct
check of blocking pairs; reasons and clashes name them; rule files round-trip."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from matching.games import HospitalResident
from scipy.optimize import LinearConstraint, milp
from scipy.sparse import lil_matrix

import mentormatch as mm
from mentormatch.choices._changes import id_pairs, index_pairs
from mentormatch.objectives import optimise
from mentormatch.problem import UNRANKED, Preferences, Problem
from mentormatch.rules._base import Context
from mentormatch.rules._stable import preferences
from oracles import all_pairings, blocking, same_employer
from reference import SHARED
from small_cohorts import small_cohort
from strategies_cohort import cohorts

FEW = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# -- quotas against an independent MILP (scipy's HiGHS) -----------------------------------

QUOTAS = [
    mm.Quota("country", min=2, max=4),
    mm.Quota("level", side="mentor", min=1, max=3),
    mm.Quota("region", side="pair", max=3),
    mm.Quota("region", side="pair", min=1, values=["Dalarna"]),
]


def milp_optimum(cohort: mm.Cohort, scores: pd.DataFrame, low: int, high: int) -> float | None:
    """The best total under PairCount(low, high), AvoidSameOrganisation and QUOTAS, modelled
    from the profiles themselves with scipy's MILP; None when infeasible."""
    mentors = sorted(cohort.mentors, key=lambda p: p.id)
    mentees = sorted(cohort.mentees, key=lambda p: p.id)
    pairs = [(a, b) for a in mentors for b in mentees if not same_employer(a, b)]
    rows: list[tuple[list[int], float, float]] = []

    def add(members: list[int], low_: float, high_: float) -> None:
        rows.append((members, low_, high_))

    for b in mentees:
        add([k for k, (_, e) in enumerate(pairs) if e is b], 0, 1)
    for a in mentors:
        add([k for k, (m, _) in enumerate(pairs) if m is a], 0, a.capacity)
    add(list(range(len(pairs))), low, high)
    for country in {b.country for b in mentees}:
        add([k for k, (_, e) in enumerate(pairs) if e.country == country], 2, 4)
    for level in {a.level for a in mentors}:
        add([k for k, (m, _) in enumerate(pairs) if m.level == level], 1, 3)
    for region in {p.region for p in cohort.profiles}:
        inside = [k for k, (m, e) in enumerate(pairs) if region in (m.region, e.region)]
        add(inside, 1 if region == "Dalarna" else 0, 3)
    matrix = lil_matrix((len(rows), len(pairs)))
    for r, (members, _, _) in enumerate(rows):
        for k in members:
            matrix[r, k] = 1
    gains = np.array([scores.loc[m.id, e.id] for m, e in pairs])
    found = milp(
        -gains,
        integrality=np.ones(len(pairs)),
        bounds=(0, 1),
        constraints=LinearConstraint(matrix.tocsr(), [r[1] for r in rows], [r[2] for r in rows]),
    )
    return None if found.status == 2 else -float(found.fun)


@pytest.mark.parametrize("seed", range(12))
def test_quotas_with_minimums_on_both_sides_match_an_independent_milp(seed: int) -> None:
    cohort = small_cohort(seed, 7, 9)
    rng = np.random.default_rng(seed)
    low = int(rng.integers(2, 6))
    high = int(rng.integers(low, 8))
    rules = [mm.PairCount(low, high), mm.AvoidSameOrganisation(), *QUOTAS]
    scores = mm.score(cohort).matrix
    best = milp_optimum(cohort, scores, low, high)
    if best is None:
        with pytest.raises(mm.InfeasibleError) as info:
            mm.match(cohort, rules=rules)
        assert "Quota" in str(info.value) or "PairCount" in str(info.value)
        return
    result = mm.match(cohort, rules=rules)
    assert result.objective == pytest.approx(best, abs=1e-6)
    assert result.status == "optimal" and result.solver == "cpsat"
    pairs = result.pairs
    assert pairs.groupby("mentee_id").size().max() == 1
    for country, count in (
        pairs.merge(
            pd.DataFrame(
                {
                    "mentee_id": [p.id for p in cohort.mentees],
                    "country": [p.country for p in cohort.mentees],
                }
            )
        )
        .groupby("country")
        .size()
        .items()
    ):
        assert 2 <= count <= 4, country


def test_pair_quotas_count_a_pair_once_when_both_have_the_value() -> None:
    frame = pd.DataFrame(
        {
            "id": ["m1", "m2", "e1", "e2"],
            "role": ["mentor", "mentor", "mentee", "mentee"],
            "organisation": ["A", "B", "C", "D"],
            "region": ["Oslo", "Oslo", "Oslo", "Troms"],
        }
    )
    cohort = mm.Cohort.from_frame(frame)
    both = mm.match(cohort, rules=[mm.Quota("region", side="pair", max=1, values=["oslo"])])
    assert len(both.pairs) == 1  # every pair involves Oslo: m1/m2 are from Oslo
    assert mm.match(cohort, rules=[mm.Quota("region", side="mentee", max=1)]).pairs.shape[0] == 2
    with pytest.raises(mm.InfeasibleError, match=r"Quota\('region', side='pair', min=3\)"):
        mm.match(cohort, rules=[mm.Quota("region", side="pair", min=3)])


def test_region_quota_compiles_as_a_mentee_quota() -> None:
    cohort = mm.example_cohort()
    region = mm.match(cohort, rules=[mm.PairCount(8, 15), mm.RegionQuota(max=1)])
    quota = mm.match(cohort, rules=[mm.PairCount(8, 15), mm.Quota("region", max=1)])
    assert id_pairs(region) == id_pairs(quota)
    assert region.solver == "flow"


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        (mm.Quota("sector", max=2), "the cohort has no column 'sector'; columns: id, role"),
        (mm.Quota("country", values=["DK"], max=1), "no one among the mentees has country = 'DK'"),
        (mm.RegionQuota(regions={"Atlantis": 1}), "no one in the cohort is from 'Atlantis'"),
    ],
)
def test_quota_typos_are_named(rule: mm.Rule, words: str) -> None:
    with pytest.raises(mm.InputError, match=words):
        mm.match(mm.example_cohort(), rules=[rule])


def test_own_columns_and_list_columns_can_carry_quotas() -> None:
    frame = mm.example_cohort().to_frame()
    frame["sector"] = ["health" if k % 3 else "schools" for k in range(len(frame))]
    cohort = mm.Cohort.from_frame(frame)
    rules = [
        mm.PairCount(8, 15),
        mm.Quota("sector", min=6),
        mm.Quota("languages", side="mentor", max=10),
    ]
    result = mm.match(cohort, rules=rules)
    sectors = {p.id: p.extra["sector"] for p in cohort.mentees}
    counts = pd.Series([sectors[e] for e in result.pairs["mentee_id"]]).value_counts()
    assert counts.min() >= 6


# -- stability ----------------------------------------------------------------------------


def hr_problem(
    mentor_lists: dict[str, list[str]],
    mentee_lists: dict[str, list[str]],
    capacity: dict[str, int],
    scores: np.ndarray | None = None,
) -> Problem:
    """A problem where only stability and capacity apply: a pair only where both ranked."""
    mentors, mentees = sorted(mentor_lists), sorted(mentee_lists)
    m_rank = np.full((len(mentors), len(mentees)), UNRANKED)
    e_rank = np.full((len(mentors), len(mentees)), UNRANKED)
    for i, name in enumerate(mentors):
        for place, other in enumerate(mentor_lists[name]):
            m_rank[i, mentees.index(other)] = place
    for j, name in enumerate(mentees):
        for place, other in enumerate(mentee_lists[name]):
            e_rank[mentors.index(other), j] = place
    prefs = Preferences.of(m_rank, e_rank, "Stable()")
    return Problem.build(
        np.ones(m_rank.shape) if scores is None else scores,
        allowed=prefs.blockable,
        capacity=[capacity[name] for name in mentors],
        preferences=prefs,
        mentor_ids=tuple(mentors),
        mentee_ids=tuple(mentees),
    )


def package_matching(
    mentor_lists: dict[str, list[str]],
    mentee_lists: dict[str, list[str]],
    capacity: dict[str, int],
    optimal: str,
) -> set[tuple[str, str]]:
    game = HospitalResident.create_from_dictionaries(
        mentee_lists, mentor_lists, capacity, clean=True
    )
    solved = game.solve(optimal=optimal)
    assert game.check_stability()
    return {(str(h.name), str(r.name)) for h, residents in solved.items() for r in residents}


def extreme(problem: Problem, side: str) -> set[tuple[str, str]]:
    """Our stable pairing that is best for one side: scores rewarding that side's ranks."""
    prefs = problem.preferences
    assert prefs is not None
    rank = prefs.mentee_rank if side == "resident" else prefs.mentor_rank
    scores = np.where(prefs.blockable, 1000.0 - np.minimum(rank, 999), 0.0)
    found = optimise(
        Problem.build(
            scores, allowed=problem.allowed, capacity=problem.capacity, preferences=prefs
        ),
        "total",
    )
    return {(problem.mentor_ids[i], problem.mentee_ids[j]) for i, j in found.pairs}


@st.composite
def hr_instances(
    draw: st.DrawFn,
) -> tuple[dict[str, list[str]], dict[str, list[str]], dict[str, int]]:
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    mentors = [f"h{i}" for i in range(draw(st.integers(1, 3)))]
    mentees = [f"r{j}" for j in range(draw(st.integers(1, 5)))]
    mentee_lists = {
        r: [h for h in rng.permutation(mentors).tolist() if rng.random() < 0.8] for r in mentees
    }
    mentor_lists = {
        h: [r for r in rng.permutation(mentees).tolist() if rng.random() < 0.8] for h in mentors
    }
    capacity = {h: int(rng.integers(1, 3)) for h in mentors}
    return mentor_lists, mentee_lists, capacity


@FEW
@given(hr_instances())
def test_stable_pairings_are_those_of_brute_force_and_the_matching_package(
    instance: tuple[dict[str, list[str]], dict[str, list[str]], dict[str, int]],
) -> None:
    mentor_lists, mentee_lists, capacity = instance
    problem = hr_problem(mentor_lists, mentee_lists, capacity)
    named = [
        {(problem.mentor_ids[i], problem.mentee_ids[j]) for i, j in pairs}
        for pairs in all_pairings(problem)
    ]
    brute = [pairs for pairs in named if not blocking_ids(problem, pairs)]
    assert named == brute  # every pairing the problem allows is stable ...
    for optimal in ("resident", "hospital"):  # ... and the package's are among them
        assert package_matching(mentor_lists, mentee_lists, capacity, optimal) in brute
        assert extreme(problem, optimal) == package_matching(
            mentor_lists, mentee_lists, capacity, optimal
        )
    cohort = hr_cohort(mentor_lists, mentee_lists, capacity)
    forbids = [
        mm.Forbid(m, e)
        for m in mentor_lists
        for e in mentee_lists
        if e not in mentor_lists[m] or m not in mentee_lists[e]
    ]
    result = mm.match(cohort, rules=[mm.Stable(), *forbids])
    assert result.blocking_pairs().empty
    ours = [set(id_pairs(alternative)) for alternative in result.alternatives(500)]
    assert sorted(map(sorted, ours)) == sorted(map(sorted, brute))


def blocking_ids(problem: Problem, pairs: set[tuple[str, str]]) -> list[tuple[int, int]]:
    index = [(problem.mentor_ids.index(m), problem.mentee_ids.index(e)) for m, e in pairs]
    return blocking(problem, index)


def hr_cohort(
    mentor_lists: dict[str, list[str]], mentee_lists: dict[str, list[str]], capacity: dict[str, int]
) -> mm.Cohort:
    rows = [
        {
            "id": h,
            "role": "mentor",
            "organisation": h,
            "region": "R",
            "capacity": capacity[h],
            "preferences": ";".join(mentor_lists[h]),
        }
        for h in mentor_lists
    ]
    rows += [
        {
            "id": r,
            "role": "mentee",
            "organisation": r,
            "region": "R",
            "preferences": ";".join(mentee_lists[r]),
        }
        for r in mentee_lists
    ]
    return mm.Cohort.from_frame(pd.DataFrame(rows))


def test_matching_issue_159_resident_and_hospital_optimal() -> None:
    """The `matching` package's issue 159 instance (daffidwilde/matching, MIT), read in place."""
    data = json.loads((SHARED / "peers" / "matching" / "issue_159.json").read_text("utf-8"))
    mentor_lists = {f"h{k}": [f"r{v}" for v in prefs] for k, prefs in data["hospitals"].items()}
    mentee_lists = {f"r{k}": [f"h{v}" for v in prefs] for k, prefs in data["residents"].items()}
    capacity = {h: 1 for h in mentor_lists}
    problem = hr_problem(mentor_lists, mentee_lists, capacity)
    for optimal in ("resident", "hospital"):
        ours = extreme(problem, optimal)
        assert ours == package_matching(mentor_lists, mentee_lists, capacity, optimal)
        assert not blocking_ids(problem, ours)


@FEW
@given(st.integers(0, 2**32 - 1))
def test_blocking_pairs_of_any_result_match_the_direct_check(seed: int) -> None:
    cohort = small_cohort(seed, 3, 5, ranked=0.8)
    plain = mm.match(cohort, rules=[mm.PairCount(max=3)])
    assert plain.setup is not None
    table = plain.blocking_pairs()
    prefs_problem = plain.setup.problem
    context = Context(
        tuple(cohort[i] for i in prefs_problem.mentor_ids),
        tuple(cohort[j] for j in prefs_problem.mentee_ids),
    )
    problem = prefs_problem.with_preferences(preferences(context, "p"))
    expected = blocking(problem, index_pairs(plain.setup, id_pairs(plain)))
    assert sorted(zip(table["mentor_id"], table["mentee_id"], strict=True)) == [
        (problem.mentor_ids[i], problem.mentee_ids[j]) for i, j in expected
    ]
    try:
        stable = mm.match(cohort, rules=[mm.PairCount(max=3), mm.Stable()])
    except mm.InfeasibleError as error:
        assert "Stable()" in str(error)
        return
    assert stable.blocking_pairs().empty


def test_blocking_pairs_say_why() -> None:
    cohort = hr_cohort(
        {"h0": ["r0", "r1"], "h1": ["r0"]}, {"r0": ["h1", "h0"], "r1": ["h0"]}, {"h0": 1, "h1": 1}
    )
    plain = mm.match(cohort, rules=[mm.Lock("h0", "r0")])
    table = plain.blocking_pairs()
    assert table[["mentor_id", "mentee_id", "mentor_rank", "mentee_rank"]].to_numpy().tolist() == [
        ["h1", "r0", 1, 1]
    ]
    assert table["reason"].iloc[0] == (
        "r0 ranks h1 1st and is paired with h0 (ranked 2nd); h1 ranks r0 1st and prefers r0 "
        "to r1 (unranked)"
    )
    with pytest.raises(mm.InfeasibleError, match=r"Lock\('h0', 'r0'\)|Stable\(\)"):
        mm.match(cohort, rules=[mm.Lock("h0", "r0"), mm.Stable(), mm.PairCount(min=2)])


def test_preferences_are_checked() -> None:
    frame = mm.example_cohort().to_frame()
    frame.loc[0, "preferences"] = f"{frame.loc[0, 'id']};E001"
    with pytest.raises(mm.InputError, match="column 'preferences': 'M001' ranks themself"):
        mm.Cohort.from_frame(frame)
    frame.loc[0, "preferences"] = "E001;X9;M002"
    cohort = mm.Cohort.from_frame(frame)
    assert mm.Cohort.from_frame(cohort.to_frame()) == cohort
    with pytest.raises(mm.InputError) as info:
        mm.match(cohort, rules=[mm.Stable()])
    assert [str(v) for v in info.value.violations] == [
        "column 'preferences': Stable(): M001 ranks 'X9', who is not a mentee in the cohort",
        "column 'preferences': Stable(): M001 ranks 'M002', who is not a mentee in the cohort",
    ]


# -- NoRepeat -----------------------------------------------------------------------------


@FEW
@given(cohorts(min_mentors=2, max_mentors=4, min_mentees=2, max_mentees=5))
def test_no_repeat_never_pairs_earlier_partners(cohort: mm.Cohort) -> None:
    first = mm.match(cohort, rules=[])
    second = mm.match(cohort, rules=[mm.NoRepeat(first)])
    assert not set(id_pairs(first)) & set(id_pairs(second))
    third = mm.match(cohort, rules=[mm.NoRepeat([first, second])])
    assert not (set(id_pairs(first)) | set(id_pairs(second))) & set(id_pairs(third))


def test_no_repeat_holds_when_roles_swap_and_reads_every_history(tmp_path: Path) -> None:
    cohort = mm.example_cohort()
    first = mm.match(cohort)
    swapped = [(e, m) for m, e in id_pairs(first)]  # as if the mentees had mentored
    result = mm.match(cohort, rules=[mm.NoRepeat(swapped)])
    assert not set(id_pairs(first)) & set(id_pairs(result))
    paths = [
        first.to_excel(tmp_path / "r.xlsx"),
        first.to_csv(tmp_path / "r.csv"),
        first.to_json(tmp_path / "r.json"),
    ]
    for path in [*paths, str(paths[0])]:
        assert mm.NoRepeat(path).pairs == mm.NoRepeat(first).pairs
    assert mm.NoRepeat(first.pairs).pairs == tuple(sorted(id_pairs(first)))


@pytest.mark.parametrize(
    ("history", "words"),
    [
        (pd.DataFrame({"mentor": ["M1"]}), "argument 'history': expected columns mentor_id and"),
        (42, "argument 'history': expected earlier results"),
        ("missing.xlsx", "missing.xlsx: no such file"),
        ("notes.txt", "expected a .xlsx, .csv or .json pairs file"),
    ],
)
def test_bad_history_is_named(history: object, words: str, tmp_path: Path) -> None:
    if isinstance(history, str) and history == "notes.txt":
        history = tmp_path / "notes.txt"
        history.write_text("x", encoding="utf-8")
    with pytest.raises(mm.InputError, match=words):
        mm.NoRepeat(history)


# -- files, reasons, clashes --------------------------------------------------------------

NEW_RULES = [
    mm.Quota("country", min=2, max=6),
    mm.Quota("region", side="pair", max=4, values=["Nordland", "Troms"]),
    mm.Quota("level", side="mentor", min=1),
    mm.Stable(),
    mm.NoRepeat([("M001", "E003"), ("M002", "E001")]),
]


@pytest.mark.parametrize("suffix", [".toml", ".json"])
def test_new_rules_round_trip_through_rule_files(tmp_path: Path, suffix: str) -> None:
    path = mm.save_rules(NEW_RULES, tmp_path / f"rules{suffix}")
    assert mm.load_rules(path) == tuple(NEW_RULES)
    assert [str(rule) for rule in mm.load_rules(path)] == [str(rule) for rule in NEW_RULES]


def test_reasons_name_quota_minimums_maximums_and_no_repeat() -> None:
    cohort = mm.example_cohort()
    swedes = sum(p.country == "SE" for p in cohort.mentees)
    assert swedes >= 9
    first = mm.match(cohort)
    best = first.pairs[first.pairs["reason"].str.contains(r"is E\d+'s best allowed mentor")].iloc[
        -1
    ]
    earlier = (str(best["mentor_id"]), str(best["mentee_id"]))
    rules = [
        mm.PairCount(8, 15),
        mm.Quota("country", min=9, values=["SE"]),
        mm.Quota("region", side="mentor", max=1),
        mm.NoRepeat([earlier]),
    ]
    result = mm.match(cohort, rules=rules)
    reasons = " ".join(result.pairs["reason"])
    assert "one of the 9 pairs Quota('country', min=9, values=('SE',)): SE requires" in reasons
    assert "under Quota('country', min=9, values=('SE',)): SE" in reasons
    unmatched = " ".join(result.unmatched["reason"])
    assert "because Quota('region', side='mentor', max=1): " in unmatched
    again = mm.match(cohort, rules=[*mm.pilot_rules(), mm.NoRepeat([earlier])])
    assert earlier[1] in set(again.pairs["mentee_id"])
    assert "ruled out by NoRepeat(history=<1 earlier pair>)" in again.explain(earlier[1])


def test_clashes_name_the_new_rules() -> None:
    cohort = mm.example_cohort()
    with pytest.raises(mm.InfeasibleError) as info:
        mm.match(cohort, rules=[mm.PairCount(max=3), mm.Quota("country", min=2)])
    assert "PairCount(max=3)" in str(info.value) and "Quota('country', min=2)" in str(info.value)
    earlier = [(m.id, e.id) for m in cohort.mentors for e in cohort.mentees]
    with pytest.raises(mm.InfeasibleError, match=r"NoRepeat\(history=<600 earlier pairs>\)"):
        mm.match(cohort, rules=[mm.PairCount(min=1), mm.NoRepeat(earlier)])


def test_quota_values_and_history_tuples_are_checked() -> None:
    with pytest.raises(mm.InputError, match="expected one value or more"):
        mm.Quota("country", max=1, values=[])
    with pytest.raises(mm.InputError, match="expected \\(mentor_id, mentee_id\\) pairs"):
        mm.NoRepeat([("M1", "E1", "x")])
