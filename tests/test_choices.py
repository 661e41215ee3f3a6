"""Objectives, alternatives, shortlists, re-matching and robustness against brute force."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray

import mentormatch as mm
from mentormatch.assignment import SOLVERS, _without_locks, refusal, solve
from mentormatch.choices._changes import id_pairs, index_pairs
from mentormatch.choices._robustness import _run, perturbed
from mentormatch.cli import main
from mentormatch.objectives import optimise
from mentormatch.problem import UNRANKED, GroupLimit, Preferences, Problem
from mentormatch.profiles import Profile
from mentormatch.solvers import NoSolutionError, lp
from oracles import all_pairings, keeps_every_rule, lexicographic
from small_cohorts import small_cohort

SOME = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FEW = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ROOT = Path(__file__).resolve().parents[1]
OBJECTIVES = ["total", "fair", "coverage"]


def ranks(rng: np.random.Generator, people: int, others: int) -> NDArray[np.int64]:
    """Each person lists a random subset of the others in random order."""
    table = np.full((people, others), UNRANKED, dtype=np.int64)
    for k in range(people):
        order = rng.permutation(others)
        listed = order[rng.random(others) < 0.7]
        table[k, listed] = np.arange(len(listed))
    return table


@st.composite
def choice_problems(draw: st.DrawFn, locks: bool = True, ranked: bool | None = None) -> Problem:
    """Tiny problems with everything: minimums on groups of every kind, preferences (always
    with ``ranked=True``, never with False, else at random), a lock (unless ``locks=False``)."""
    m, n = draw(st.integers(1, 3)), draw(st.integers(1, 4))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    scores = rng.integers(-1, 5, (m, n)) / 4  # ties and negatives
    groups = []
    kinds = draw(st.lists(st.sampled_from(["mentee", "mentor", "pairs", "either"]), max_size=2))
    for kind in kinds:
        low = int(rng.integers(0, 2))
        high = int(rng.integers(low, 3))
        mentors, mentees = rng.random(m) < 0.5, rng.random(n) < 0.5
        if kind == "mentee":
            groups.append(GroupLimit(high, "mentee group", mentees=mentees, min=low))
        elif kind == "mentor":
            groups.append(GroupLimit(high, "mentor group", mentors=mentors, min=low))
        elif kind == "either":
            groups.append(
                GroupLimit(
                    high, "either group", mentors=mentors, mentees=mentees, min=low, either=True
                )
            )
        else:
            pairs = np.argwhere(rng.random((m, n)) < 0.5).astype(np.int64)
            groups.append(GroupLimit(high, "pairs group", pairs=pairs, min=low))
    preferences = None
    if draw(st.booleans()) if ranked is None else ranked:
        preferences = Preferences.of(ranks(rng, m, n), ranks(rng, n, m).T, "Stable()")
    lock = locks and draw(st.booleans())
    locked = [(int(rng.integers(0, m)), int(rng.integers(0, n)))] if lock else []
    low = draw(st.integers(0, 2))
    return Problem.build(
        scores,
        allowed=rng.random((m, n)) < 0.8,
        capacity=rng.integers(0, 3, m),
        min_pairs=low,
        max_pairs=draw(st.integers(low, 4)),
        groups=tuple(groups),
        locked=tuple(locked),
        preferences=preferences,
    )


@SOME
@given(choice_problems(), st.sampled_from(OBJECTIVES))
def test_every_objective_matches_brute_force(problem: Problem, objective: str) -> None:
    feasible = all_pairings(problem)
    if not feasible:
        with pytest.raises(mm.InfeasibleError) as info:
            optimise(problem, objective)  # type: ignore[arg-type]
        assert info.value.conflicts
        return
    best = max(lexicographic(problem, pairs, objective) for pairs in feasible)
    found = optimise(problem, objective)  # type: ignore[arg-type]
    assert keeps_every_rule(problem, found.pairs)
    assert lexicographic(problem, found.pairs, objective) == pytest.approx(best, abs=1e-6)
    assert found.status == "optimal"
    assert found.bound >= found.objective - 1e-9


@SOME
@given(st.one_of(choice_problems(locks=False), choice_problems(locks=False, ranked=True)))
def test_cpsat_model_alone_holds_minimums_and_stability(problem: Problem) -> None:
    feasible = all_pairings(problem)  # the model reads lock-free problems (solve takes locks out)
    if not feasible:  # the solver's neutral outcome; mm.InfeasibleError comes from solve
        with pytest.raises(NoSolutionError):
            SOLVERS["cpsat"].solve(problem, use_relaxation=False)
        return
    found = SOLVERS["cpsat"].solve(problem, use_relaxation=False)
    assert keeps_every_rule(problem, found.pairs)
    best = max(lexicographic(problem, pairs, "total") for pairs in feasible)
    assert problem.total(found.pairs) == pytest.approx(best[0], abs=1e-6)


def test_only_cpsat_takes_minimums_and_stability() -> None:
    at_least = GroupLimit(2, "Quota('country', min=1): NO", mentees=np.array([True, False]), min=1)
    prefs = Preferences.of([[0, 1], [0, 1]], [[0, 0], [1, 1]], "Stable()")
    for problem, need in [
        (Problem.build(np.ones((2, 2)), groups=(at_least,)), "group minimums"),
        (Problem.build(np.ones((2, 2)), preferences=prefs), "stability"),
    ]:
        assert problem.needs == {need}
        assert refusal("lsa", problem) == refusal("flow", problem) == f"needs {need}"
        assert refusal("cpsat", problem) is None
        assert solve(problem).solver == "cpsat"
        with pytest.raises(mm.InputError, match=f"does not apply: the problem needs {need}"):
            solve(problem, solver="flow")


def test_fair_gives_up_total_for_the_worst_pair_and_coverage_for_more_pairs() -> None:
    fair = Problem.build([[0.9, 0.5], [0.5, 0.2]])
    assert optimise(fair).pairs == [(0, 0), (1, 1)]
    assert optimise(fair, "fair").pairs == [(0, 1), (1, 0)]
    wide = Problem.build([[0.3, 0.0], [1.0, 0.3]], allowed=[[True, False], [True, True]])
    assert optimise(wide).pairs == [(1, 0)]
    assert optimise(wide, "coverage").pairs == [(0, 0), (1, 1)]
    with pytest.raises(mm.InputError, match="argument 'objective'"):
        mm.match(mm.example_cohort(), objective="fairness")  # type: ignore[arg-type]


def test_flow_problems_stay_on_the_flow_under_every_objective() -> None:
    result = mm.match(mm.example_cohort(), objective="fair")
    assert result.solver == "flow" and result.status == "optimal"
    scores = result.pairs["score"]
    assert scores.min() >= mm.match(mm.example_cohort()).pairs["score"].min() - 1e-12


# -- alternatives -------------------------------------------------------------------------


def small_rules(seed: int, cohort: mm.Cohort) -> list[mm.Rule]:
    rng = np.random.default_rng(seed)
    options: list[mm.Rule] = [
        mm.PairCount(min=1, max=3),
        mm.AvoidSameOrganisation(),
        mm.Quota("country", min=1),
        mm.Quota("level", side="mentor", max=1),
        mm.Quota("region", side="pair", max=2),
        mm.Stable(),
        mm.Forbid(cohort.mentors[0].id, cohort.mentees[0].id),
        mm.Lock(cohort.mentors[-1].id, cohort.mentees[-1].id),
    ]
    return [rule for rule in options if rng.random() < 0.35]


def match_or_none(cohort: mm.Cohort, rules: list[mm.Rule], objective: str) -> mm.MatchResult | None:
    try:
        return mm.match(cohort, rules=rules, objective=objective)  # type: ignore[arg-type]
    except mm.InfeasibleError:
        return None


@FEW
@given(st.integers(0, 2**32 - 1), st.sampled_from(OBJECTIVES))
def test_alternatives_are_the_k_best_distinct_pairings(seed: int, objective: str) -> None:
    cohort = small_cohort(seed, 3, 4)
    result = match_or_none(cohort, small_rules(seed, cohort), objective)
    if result is None:
        return
    assert result.setup is not None
    problem = result.setup.problem
    every = sorted(
        (lexicographic(problem, pairs, objective) for pairs in all_pairings(problem)), reverse=True
    )
    found = result.alternatives(6)
    assert len(found) == min(6, len(every))
    chosen = [index_pairs(result.setup, id_pairs(alternative)) for alternative in found]
    assert len({tuple(pairs) for pairs in chosen}) == len(chosen)
    assert chosen[0] == index_pairs(result.setup, id_pairs(result))
    for rank, (alternative, pairs) in enumerate(zip(found, chosen, strict=True)):
        assert keeps_every_rule(problem, pairs)
        assert lexicographic(problem, pairs, objective) == pytest.approx(every[rank], abs=1e-6)
        assert alternative.status == "optimal"
        out = set(
            zip(
                alternative.changes.query("change == 'out'")["mentor_id"],
                alternative.changes.query("change == 'out'")["mentee_id"],
                strict=True,
            )
        )
        into = set(
            zip(
                alternative.changes.query("change == 'in'")["mentor_id"],
                alternative.changes.query("change == 'in'")["mentee_id"],
                strict=True,
            )
        )
        assert out == set(id_pairs(result)) - set(id_pairs(alternative))
        assert into == set(id_pairs(alternative)) - set(id_pairs(result))


def test_alternatives_on_the_pilot_are_fast_path_and_ordered() -> None:
    result = mm.match(mm.example_cohort())
    found = result.alternatives(4)
    totals = [alternative.objective for alternative in found]
    assert totals == sorted(totals, reverse=True) and totals[0] == result.objective
    assert all(alternative.solver == "flow" for alternative in found[1:])
    assert found[0].changes.empty and not found[1].changes.empty
    with pytest.raises(mm.InputError, match="argument 'k'"):
        result.alternatives(0)


# -- shortlists ---------------------------------------------------------------------------


@FEW
@given(st.integers(0, 2**32 - 1), st.sampled_from(["mentee", "mentor"]))
def test_shortlists_hold_the_best_partners_some_pairing_allows(seed: int, side: str) -> None:
    cohort = small_cohort(seed, 3, 4)
    result = match_or_none(cohort, small_rules(seed, cohort), "total")
    if result is None:
        return
    assert result.setup is not None
    problem = result.setup.problem
    possible = {pair for pairs in all_pairings(problem) for pair in pairs}
    table = result.shortlist(k=2, side=side)  # type: ignore[arg-type]
    ids = problem.mentee_ids if side == "mentee" else problem.mentor_ids
    others = problem.mentor_ids if side == "mentee" else problem.mentee_ids
    for index, person in enumerate(ids):

        def pair(partner: int, index: int = index) -> tuple[int, int]:
            return (partner, index) if side == "mentee" else (index, partner)

        ranked = sorted(
            (p for p in range(len(others)) if pair(p) in possible),
            key=lambda p: (-problem.scores[pair(p)], others[p]),
        )
        listed = table[table["id"] == person]
        assert listed["partner_id"].tolist() == [others[p] for p in ranked[:2]]
        assert listed["rank"].tolist() == list(range(1, len(listed) + 1))


def test_a_locked_mentee_has_only_its_lock_on_the_shortlist() -> None:
    cohort = mm.example_cohort()
    result = mm.match(cohort, rules=[mm.PairCount(8, 15), mm.Lock("M004", "E006")])
    table = result.shortlist(3)
    assert table[table["id"] == "E006"]["partner_id"].tolist() == ["M004"]
    assert table[table["id"] == "E006"]["reason"].iloc[0].endswith("paired in this result")
    assert (table.groupby("id").size() == 3).drop("E006").all()


# -- rematch ------------------------------------------------------------------------------


def joiner(cohort: mm.Cohort) -> Profile:
    return Profile(
        id="e9",
        role="mentee",
        organisation="org9",
        region="Troms",
        country="NO",
        preferences=";".join(p.id for p in cohort.mentors),
    )


@FEW
@given(st.integers(0, 2**32 - 1), st.sampled_from(OBJECTIVES))
def test_rematch_keeps_the_most_earlier_pairs_then_optimises(seed: int, objective: str) -> None:
    cohort = small_cohort(seed, 3, 4)
    result = match_or_none(cohort, small_rules(seed, cohort), objective)
    if result is None or result.pairs.empty:
        return
    leaver = str(result.pairs["mentee_id"].iloc[0])
    staying = [
        p.model_copy(update={"preferences": tuple(x for x in p.preferences if x != leaver)})
        for p in cohort.profiles
        if p.id != leaver
    ]
    now = mm.Cohort(profiles=(*staying, joiner(cohort)))
    rules = [
        rule
        for rule in small_rules(seed, cohort)
        if not isinstance(rule, mm.Lock | mm.Forbid) or leaver != rule.mentee_id
    ]
    try:
        mm.match(now, rules=rules, objective=objective)  # type: ignore[arg-type]
    except mm.InfeasibleError:
        with pytest.raises(mm.InfeasibleError):
            mm.rematch(result, cohort, leaving=[leaver], joining=[joiner(cohort)])
        return
    after = mm.rematch(result, cohort, leaving=[leaver], joining=[joiner(cohort)])
    assert after.setup is not None
    problem = after.setup.problem
    earlier = set(index_pairs(after.setup, [p for p in id_pairs(result) if leaver not in p]))
    pairings = all_pairings(problem)
    most = max(len(earlier & set(pairs)) for pairs in pairings)
    kept = [pairs for pairs in pairings if len(earlier & set(pairs)) == most]
    best = max(lexicographic(problem, pairs, objective) for pairs in kept)
    now = index_pairs(after.setup, id_pairs(after))
    assert len(earlier & set(now)) == most
    assert lexicographic(problem, now, objective) == pytest.approx(best, abs=1e-6)
    assert after.status == "optimal"
    left = after.changes[after.changes["mentee_id"] == leaver]
    assert left["change"].tolist() == ["out"] and left["reason"].iloc[0] == f"{leaver} left"
    assert set(after.changes.query("change == 'in'")["mentee_id"]) <= {
        e for _, e in id_pairs(after)
    }


def test_rematch_on_the_pilot_changes_only_what_it_must() -> None:
    cohort = mm.example_cohort()
    before = mm.match(cohort)
    mentor = str(before.pairs["mentor_id"].iloc[0])
    after = mm.rematch(before, cohort, leaving=[mentor])
    changed = after.changes
    assert (changed["change"] == "out").sum() == 1
    assert len(set(id_pairs(before)) ^ set(id_pairs(after))) == len(changed)
    kept = after.pairs[after.pairs["reason"].str.startswith("kept from the earlier round")]
    assert len(kept) == len(before.pairs) - 1
    with pytest.raises(mm.InputError, match="argument 'leaving'"):
        mm.rematch(before, cohort, leaving=["X404"])
    with pytest.raises(mm.InputError, match="argument 'joining'"):
        mm.rematch(before, cohort, joining=["X404"])
    with pytest.raises(mm.InputError, match="argument 'result'"):
        mm.rematch(before.pairs, cohort)  # type: ignore[arg-type]


# -- robustness ---------------------------------------------------------------------------


def test_robustness_is_reproducible_for_a_seed_on_any_backend() -> None:
    result = mm.match(mm.example_cohort())
    first = result.robustness(n=12, noise=0.3, seed=5)
    assert first.equals(result.robustness(n=12, noise=0.3, seed=5))
    assert first.equals(result.robustness(n=12, noise=0.3, seed=5, n_jobs=2))
    assert set(zip(first["mentor_id"], first["mentee_id"], strict=True)) == set(id_pairs(result))
    assert first["survival"].between(0, 1).all() and first["survival"].min() < 1
    assert not first.equals(result.robustness(n=12, noise=0.3, seed=6))
    for bad in [{"n": 0}, {"noise": -1.0}, {"noise": float("nan")}, {"seed": -1}]:
        with pytest.raises(mm.InputError, match=f"argument '{next(iter(bad))}'"):
            result.robustness(**bad)  # type: ignore[arg-type]


NOISES = [0.0, 5e-324, 1e-12, 0.1, 3.0, 50.0, 1e6, 1e308, sys.float_info.max]


@pytest.mark.parametrize("noise", NOISES)
def test_every_run_under_any_accepted_noise_keeps_the_rules(noise: float) -> None:
    rules = [mm.PairCount(min=12, max=15), mm.AvoidSameOrganisation(), mm.RegionQuota(max=2)]
    result = mm.match(mm.example_cohort(), rules=rules)
    setup = result.setup
    assert setup is not None
    names = list(setup.scores.weights)
    weights = np.array([setup.scores.weights[name] for name in names])
    blocks = np.stack(
        [
            setup.scores.breakdown[name]
            .loc[list(setup.problem.mentor_ids), list(setup.problem.mentee_ids)]
            .to_numpy(dtype=np.float64)
            for name in names
        ]
    )
    for stream in np.random.SeedSequence(3).spawn(4):
        pairs = _run(setup, blocks, weights, noise, stream)  # never an InfeasibleError
        assert keeps_every_rule(setup.problem, pairs) and len(pairs) >= 12
    table = result.robustness(n=4, noise=noise, seed=3)
    assert table["survival"].between(0, 1).all() and len(table) == len(result.pairs)


@SOME
@given(
    st.lists(st.floats(0, 1e6), min_size=1, max_size=6).filter(any),
    st.floats(0, sys.float_info.max),
    st.integers(0, 2**32 - 1),
)
def test_perturbed_weights_are_finite_and_follow_the_multiplicative_noise(
    given_weights: list[float], noise: float, seed: int
) -> None:
    weights = np.array(given_weights)
    drawn = perturbed(weights, noise, np.random.default_rng(seed))
    assert np.isfinite(drawn).all() and (drawn >= 0).all()
    assert drawn.sum() == pytest.approx(1.0)
    assert (drawn[weights == 0] == 0).all()
    if noise <= 5:  # where the plain formula does not overflow, it is the same draw
        z = np.random.default_rng(seed).standard_normal(len(weights))
        plain = weights * np.exp(noise * z)
        np.testing.assert_allclose(drawn, plain / plain.sum(), rtol=1e-9, atol=1e-300)


def test_robustness_refuses_what_it_cannot_run_naming_the_argument() -> None:
    result = mm.match(mm.example_cohort())
    for bad, words in [
        ({"n": 10**30}, "argument 'n': expected a whole number from 1 to 1,000,000"),
        ({"n_jobs": 10**30}, "argument 'n_jobs'"),
        ({"noise": float("inf")}, "argument 'noise': expected a finite number >= 0, got inf"),
        ({"noise": 10**400}, "argument 'noise': expected a finite number >= 0"),
        ({"noise": -1e-300}, "argument 'noise'"),
        ({"n": 0, "noise": "x", "seed": -1}, "3 problems found"),
    ]:
        with pytest.raises(mm.InputError) as info:
            result.robustness(**bad)  # type: ignore[arg-type]
        assert words in str(info.value)
    assert result.robustness(n=2, noise=np.float64(0.5), seed=np.int64(1)).shape[0] == 15


# -- the command line ---------------------------------------------------------------------


def test_cli_shortlist_sheet_history_and_objective(tmp_path: Path) -> None:
    cohort = str(ROOT / "examples" / "pilot_cohort.csv")
    first = tmp_path / "round1.xlsx"
    assert main(["match", cohort, "--out", str(first)]) == 0
    second = tmp_path / "round2.xlsx"
    args = ["match", cohort, "--history", str(first), "--shortlist", "3", "--objective", "fair"]
    assert main([*args, "--out", str(second)]) == 0
    book = openpyxl.load_workbook(second)
    assert "shortlist" in book.sheetnames
    before, after = (pd.read_excel(path, sheet_name="pairs") for path in (first, second))
    pairs = [set(zip(t["mentor_id"], t["mentee_id"], strict=True)) for t in (before, after)]
    assert not pairs[0] & pairs[1]
    shortlist = pd.read_excel(second, sheet_name="shortlist")
    assert list(shortlist.columns) == ["id", "rank", "partner_id", "score", "reason"]
    assert main(["match", cohort, "--shortlist", "3", "--out", str(tmp_path / "p.csv")]) == 2
    assert not (tmp_path / "p.csv").exists()
    assert main(["match", cohort, "--history", str(tmp_path / "missing.xlsx")]) == 2


@SOME
@given(st.one_of(choice_problems(locks=False), choice_problems(locks=False, ranked=True)))
def test_the_lp_relaxation_bounds_every_pairing_and_is_exact_when_integral(
    problem: Problem,
) -> None:
    found, bound = lp.relaxation(problem)
    feasible = all_pairings(problem)
    best = max((problem.total(pairs) for pairs in feasible), default=None)
    if best is not None:
        assert bound >= best - 1e-9
    if found is not None:
        assert best is not None and keeps_every_rule(problem, found.pairs)
        assert problem.total(found.pairs) == pytest.approx(best, abs=1e-9)
        assert found.status == "optimal"


def test_one_sided_minimums_are_solved_by_the_lp_without_search() -> None:
    rng = np.random.default_rng(3)
    scores = rng.random((60, 60))
    scores[:, :15] *= 0.2
    groups = (
        GroupLimit(30, "first quarter", mentees=np.arange(60) < 15, min=10),
        GroupLimit(30, "mentors 0-9", mentors=np.arange(60) < 10, min=8),
    )
    problem = Problem.build(scores, capacity=2, max_pairs=40, groups=groups)
    found, bound = lp.relaxation(problem)
    assert found is not None and found.status == "optimal"
    exact = SOLVERS["cpsat"].solve(problem, use_relaxation=False)
    assert problem.total(found.pairs) == pytest.approx(problem.total(exact.pairs), abs=1e-6)
    assert bound >= problem.total(exact.pairs) - 1e-9


@pytest.mark.parametrize(
    ("call", "argument"),
    [
        (lambda r: r.robustness(n=2, n_jobs="x"), "n_jobs"),
        (lambda r: r.shortlist(3, side="x"), "side"),
        (lambda r: mm.rematch(r, mm.example_cohort(), leaving="M001"), "leaving"),
        (
            lambda r: mm.rematch(
                r, mm.example_cohort(), leaving=[f"M{k:03d}" for k in range(1, 21)]
            ),
            "leaving",
        ),
        (
            lambda r: mm.rematch(r, mm.example_cohort(), joining=[mm.example_cohort().mentors[0]]),
            "joining",
        ),
        (lambda r: mm.rematch(r, None), "cohort"),
    ],
)
def test_bad_arguments_to_the_choices_are_named(call: object, argument: str) -> None:
    result = mm.match(mm.example_cohort())
    with pytest.raises(mm.InputError, match=f"argument '{argument}'"):
        call(result)  # type: ignore[operator]


def test_rematch_drops_the_fewest_pairs_when_not_all_can_stay() -> None:
    lists = {"h0": ["r0"], "h1": ["r1"]}, {"r0": ["h0"], "r1": ["h1"]}
    before = hr_frame(*lists)
    result = mm.match(mm.Cohort.from_frame(before), rules=[mm.Stable()])
    assert set(id_pairs(result)) == {("h0", "r0"), ("h1", "r1")}
    now = hr_frame({"h0": ["r9", "r0"], "h1": ["r1"]}, {"r0": ["h0"], "r1": ["h1"], "r9": ["h0"]})
    after = mm.rematch(result, mm.Cohort.from_frame(now), joining=["r9"])
    assert set(id_pairs(after)) == {("h0", "r9"), ("h1", "r1")}
    assert after.changes[["change", "mentor_id", "mentee_id"]].to_numpy().tolist() == [
        ["out", "h0", "r0"],
        ["in", "h0", "r9"],
    ]
    assert after.changes["reason"].tolist() == [
        "not every earlier pair can be kept under the rules: 1 of 2 are, the most possible",
        "r9 joined",
    ]


def hr_frame(mentors: dict[str, list[str]], mentees: dict[str, list[str]]) -> pd.DataFrame:
    rows = [
        {
            "id": person,
            "role": role,
            "organisation": person,
            "region": "R",
            "preferences": ";".join(listed),
        }
        for role, people in (("mentor", mentors), ("mentee", mentees))
        for person, listed in people.items()
    ]
    return pd.DataFrame(rows)


@pytest.mark.parametrize("scores", [[[1.0, 0.0], [0.0, 1.0]], [[0.0, 1.0], [1.0, 0.0]]])
def test_both_stable_pairings_of_a_two_by_two_are_reached(scores: list[list[float]]) -> None:
    """Mentors' first choices and mentees' first choices cross: both pairings are stable."""
    prefs = Preferences.of([[0, 1], [1, 0]], [[1, 0], [0, 1]], "Stable()")
    problem = Problem.build(scores, preferences=prefs)
    assert sorted(map(sorted, all_pairings(problem)))[-2:] == [[(0, 0), (1, 1)], [(0, 1), (1, 0)]]
    for found in (SOLVERS["cpsat"].solve(problem, use_relaxation=False), solve(problem)):
        assert problem.total(found.pairs) == 2.0 and keeps_every_rule(problem, found.pairs)


def test_a_locked_pair_the_mentor_prefers_keeps_it_full_under_stability() -> None:
    """m0 (capacity 1) is locked to e0, whom it ranks first; e1 ranks m0 first but m0 is
    full with a mentee it prefers, so (m0, e1) does not block and e1 goes to m1."""
    prefs = Preferences.of([[0, 1], [UNRANKED, 0]], [[0, 0], [UNRANKED, 1]], "Stable()")
    problem = Problem.build(np.ones((2, 2)), locked=((0, 0),), preferences=prefs)
    assert all_pairings(problem) == [[(0, 0), (1, 1)]]
    assert solve(problem).pairs == [(0, 0), (1, 1)]
    free = _without_locks(problem)  # as solve() hands it to the model
    assert SOLVERS["cpsat"].solve(free, use_relaxation=False).pairs == [(1, 1)]


def test_a_minimum_survives_a_tighter_maximum_over_the_same_people() -> None:
    north = np.array([True, True, True, False])
    groups = (
        GroupLimit(3, "at most 3", mentees=north),
        GroupLimit(4, "at least 2", mentees=north, min=2),
    )
    scores = np.array([[0.1, 0.1, 0.1, 1.0], [0.1, 0.1, 0.1, 1.0], [0.1, 0.1, 0.1, 1.0]])
    problem = Problem.build(scores, groups=groups, max_pairs=3)
    assert {g.rule for g in problem.groups} == {"at most 3", "at least 2"}
    assert sum(j < 3 for _, j in solve(problem).pairs) == 2


def test_large_problems_under_a_time_limit_are_feasible_and_bounded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """As at 2,000 x 2,000 (benchmarks/bench_choices.py), shrunk: candidate pairs, priced
    relaxations; the answer keeps every rule and the bound holds the exact optimum."""
    monkeypatch.setattr(SOLVERS["cpsat"], "MODEL_PAIRS", 100)
    monkeypatch.setattr(SOLVERS["cpsat"], "CANDIDATES", 3)
    monkeypatch.setattr(lp, "MAX_PAIRS", 300)  # the candidates' LP, not the whole one
    calls: list[float] = []
    large = SOLVERS["cpsat"]._large

    def spy(*args: object) -> object:
        calls.append(1.0)
        return large(*args)

    monkeypatch.setattr(SOLVERS["cpsat"], "_large", spy)
    rng = np.random.default_rng(5)
    scores = rng.random((30, 30))
    scores[:, ::4] *= 0.3
    groups = [
        GroupLimit(12, f"mentees {c}", mentees=np.arange(30) % 4 == c, min=3) for c in range(4)
    ]
    groups.append(GroupLimit(12, "mentors 0-9", mentors=np.arange(30) < 10, min=4))
    problem = Problem.build(scores, capacity=2, min_pairs=10, max_pairs=20, groups=tuple(groups))
    found = solve(problem, time_limit=5.0)
    assert calls
    exact = solve(problem)
    assert exact.status == "optimal"
    assert keeps_every_rule(problem, found.pairs)
    assert found.objective <= exact.objective + 1e-9 <= found.bound + 2e-9
    assert found.status == "feasible" or found.objective == pytest.approx(exact.objective)
    cp = SOLVERS["cpsat"]
    relaxation = SOLVERS["flow"].solve(cp._relaxed(problem))
    priced, bound = cp._priced(problem, relaxation, 5.0)
    assert exact.objective - 1e-9 <= bound < relaxation.bound  # sound, and tighter
    assert priced is not None and keeps_every_rule(problem, priced)
