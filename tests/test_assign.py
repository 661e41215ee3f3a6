"""mm.assign and solve against independent oracles: brute force, scipy, OR-Library optima."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray
from scipy.optimize import linear_sum_assignment

import mentormatch as mm
from mentormatch.assignment import SOLVERS, solve
from mentormatch.problem import GroupLimit, Problem
from mentormatch.solvers import NoSolutionError, cpsat
from oracles import keeps_every_rule
from reference import orlib_optima, read_orlib

OPTIMA = orlib_optima()


def brute_force(problem: Problem) -> float | None:
    """The best total over every way to give each mentee one mentor or none; None if none fits."""
    m, n = problem.shape
    best: float | None = None
    for choice in itertools.product(range(-1, m), repeat=n):
        pairs = [(i, j) for j, i in enumerate(choice) if i >= 0]
        if keeps_every_rule(problem, pairs):
            total = sum(problem.scores[i, j] for i, j in pairs)
            best = total if best is None else max(best, total)
    return best


@st.composite
def small_problems(draw: st.DrawFn) -> Problem:
    """Tiny problems with every kind of limit: brute force can check them."""
    m = draw(st.integers(1, 3))
    n = draw(st.integers(1, 4))
    shape = (m, n)
    values = st.floats(-1, 1, allow_nan=False).map(lambda x: round(x, 3))
    scores = np.array(draw(st.lists(values, min_size=m * n, max_size=m * n))).reshape(shape)
    allowed = np.array(draw(st.lists(st.booleans(), min_size=m * n, max_size=m * n)))
    capacity = draw(st.lists(st.integers(0, 2), min_size=m, max_size=m))
    low = draw(st.integers(0, 3))
    high = draw(st.integers(low, 4))
    groups = []
    for kind in draw(st.lists(st.sampled_from(["mentee", "mentor", "pairs"]), max_size=2)):
        if kind == "mentee":
            cols = np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)))
            mask = np.broadcast_to(cols, shape).copy()
        elif kind == "mentor":
            rows = np.array(draw(st.lists(st.booleans(), min_size=m, max_size=m)))
            mask = np.broadcast_to(rows[:, None], shape).copy()
        else:
            mask = np.array(draw(st.lists(st.booleans(), min_size=m * n, max_size=m * n)))
        groups.append(
            GroupLimit.from_mask(mask.reshape(shape), draw(st.integers(0, 2)), f"group {kind}")
        )
    locked = draw(st.lists(st.tuples(st.integers(0, m - 1), st.integers(0, n - 1)), max_size=1))
    return Problem.build(
        scores,
        allowed=allowed.reshape(shape),
        capacity=capacity,
        min_pairs=low,
        max_pairs=high,
        groups=tuple(groups),
        locked=tuple(locked),
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_problems())
def test_every_applicable_solver_matches_brute_force(problem: Problem) -> None:
    best = brute_force(problem)
    for name in ["auto", *SOLVERS]:
        if name != "auto" and problem.locked:
            continue
        if name != "auto" and SOLVERS[name].supports(problem) is not None:
            continue
        if best is None:
            with pytest.raises(mm.InfeasibleError) as info:
                solve(problem, solver=name)
            assert info.value.conflicts
            continue
        result = solve(problem, solver=name)
        assert keeps_every_rule(problem, result.pairs), name
        assert result.objective == pytest.approx(best, abs=1e-5), name
        assert result.status == "optimal"
        assert result.bound >= result.objective - 1e-9


def test_cpsat_model_alone_matches_brute_force_where_flow_cannot() -> None:
    rng = np.random.default_rng(7)
    for _ in range(40):
        scores = rng.uniform(-0.2, 1, (3, 4)).round(3)
        group = GroupLimit.from_mask(rng.random((3, 4)) < 0.6, int(rng.integers(0, 3)), "diagonal")
        problem = Problem.build(scores, capacity=2, min_pairs=1, max_pairs=4, groups=(group,))
        best = brute_force(problem)
        if best is None:
            with pytest.raises(mm.InfeasibleError, match="diagonal"):
                solve(problem, solver="cpsat")
        else:
            result = solve(problem, solver="cpsat")
            assert result.objective == pytest.approx(best, abs=1e-5)
            assert keeps_every_rule(problem, result.pairs)


def lsa_total(scores: NDArray[np.float64]) -> float:
    rows, cols = linear_sum_assignment(scores, maximize=True)
    return float(scores[rows, cols].sum())


@pytest.mark.parametrize("shape", [(15, 15), (30, 45), (60, 20)])
def test_plain_assignment_matches_scipy(shape: tuple[int, int]) -> None:
    scores = np.random.default_rng(sum(shape)).random(shape)
    for name in SOLVERS:
        result = solve(Problem.build(scores), solver=name)
        assert result.objective == pytest.approx(lsa_total(scores), abs=1e-6), name
        assert len(result.pairs) == min(shape)


def test_capacities_match_scipy_on_repeated_mentor_rows() -> None:
    rng = np.random.default_rng(3)
    scores = rng.random((12, 30))
    capacity = rng.integers(1, 4, 12)
    expected = lsa_total(np.repeat(scores, capacity, axis=0))
    for name in SOLVERS:
        result = solve(Problem.build(scores, capacity=capacity), solver=name)
        assert result.objective == pytest.approx(expected, abs=1e-6), name
        load = np.bincount([i for i, _ in result.pairs], minlength=12)
        assert (load <= capacity).all()


def test_negative_scores_are_left_out_unless_needed() -> None:
    rng = np.random.default_rng(5)
    scores = rng.uniform(-1, 1, (20, 20))
    expected = lsa_total(np.clip(scores, 0, None))
    result = mm.assign(scores)
    assert result.objective == pytest.approx(expected, abs=1e-6)
    assert all(scores[i, j] > 0 for i, j in result.pairs)
    forced = mm.assign(scores, min_pairs=20)
    assert len(forced.pairs) == 20
    assert forced.objective == pytest.approx(lsa_total(scores), abs=1e-6)


def test_forbidden_pairs_are_never_taken() -> None:
    rng = np.random.default_rng(11)
    scores = rng.random((25, 25))
    forbidden = rng.random((25, 25)) < 0.4
    result = mm.assign(scores, forbidden=forbidden, min_pairs=10, max_pairs=15)
    assert not any(forbidden[i, j] for i, j in result.pairs)
    assert 10 <= len(result.pairs) <= 15
    by_cpsat = solve(
        Problem.build(scores, allowed=~forbidden, min_pairs=10, max_pairs=15), solver="cpsat"
    )
    assert result.objective == pytest.approx(by_cpsat.objective, abs=1e-4)


@pytest.mark.parametrize(
    ("name", "optimum"),
    [*OPTIMA["dense"].items(), *list(OPTIMA["sparse_forbidden_missing"].items())[:1]],
)
@pytest.mark.parametrize("solver", ["auto", "flow"])
def test_orlib_published_optima(name: str, optimum: int, solver: str) -> None:
    cost, allowed = read_orlib(name)
    n = len(cost)
    result = solve(Problem.build(-cost, allowed=allowed, min_pairs=n), solver=solver)
    assert len(result.pairs) == n
    assert -result.objective == optimum
    assert result.status == "optimal"


@pytest.mark.parametrize("name", list(OPTIMA["dense"]))
@pytest.mark.parametrize("solver", ["lsa", "flow"])
def test_orlib_dense_optima_as_positive_gains(name: str, solver: str) -> None:
    cost, _ = read_orlib(name)
    gains = cost.max() + 1 - cost  # all positive: every solver pairs everyone
    result = solve(Problem.build(gains), solver=solver)
    assert len(result.pairs) == len(cost)
    assert sum(cost[i, j] for i, j in result.pairs) == OPTIMA["dense"][name]


def test_orlib_assign100_by_the_cpsat_model_itself() -> None:
    cost, _ = read_orlib("assign100")
    problem = Problem.build(-cost, min_pairs=100)
    solution = cpsat.solve(problem, use_relaxation=False)
    assert sum(cost[i, j] for i, j in solution.pairs) == OPTIMA["dense"]["assign100"]
    assert solution.status == "optimal"


def test_time_limit_returns_best_found_with_a_bound() -> None:
    rng = np.random.default_rng(0)
    scores = rng.random((40, 40))
    group = GroupLimit.from_mask(rng.random((40, 40)) < 0.5, 10, "half the pairs")
    problem = Problem.build(scores, groups=(group,))
    result = solve(problem, time_limit=0.05)
    assert keeps_every_rule(problem, result.pairs)
    assert result.bound >= result.objective
    assert result.status in ("optimal", "feasible")


def test_no_time_at_all_returns_the_repaired_relaxation_with_its_bound() -> None:
    scores = np.random.default_rng(2).random((30, 30))
    diagonal = GroupLimit.from_mask(
        np.eye(30, dtype=bool) | np.eye(30, k=1, dtype=bool), 3, "diagonal"
    )
    problem = Problem.build(scores + 5 * np.eye(30), groups=(diagonal,))
    result = solve(problem, time_limit=0.0)
    assert result.status == "feasible"
    assert keeps_every_rule(problem, result.pairs)
    relaxed = solve(Problem.build(problem.scores))
    assert result.bound == pytest.approx(relaxed.objective)
    assert result.objective < result.bound


def minimums_on_both_sides(seed: int, n: int = 40) -> Problem:
    """A feasible problem whose flow relaxation breaks its minimums, and whose repair fails:
    quotas with minimums over mentees, mentors and pairs (the numbers at n = 40)."""
    scores = np.random.default_rng(seed).random((n, n))
    people = np.arange(n)
    north = GroupLimit(n, "Quota('region', min=15): North", mentees=people < n // 2, min=n * 3 // 8)
    county = GroupLimit(
        n, "Quota('level', side='mentor', min=12): county", mentors=people % 3 == 0, min=n * 3 // 10
    )
    sweden = GroupLimit(
        n,
        "Quota('country', side='pair', min=20): SE",
        mentors=people % 2 == 0,
        mentees=people % 5 == 0,
        min=n // 2,
        either=True,
    )
    groups = (north, county, sweden)
    return Problem.build(scores, groups=groups, min_pairs=n * 5 // 8, max_pairs=n * 3 // 4)


@pytest.mark.parametrize("seed", range(3))
def test_no_pairing_found_in_time_is_a_time_limit_error_not_infeasibility(seed: int) -> None:
    problem = minimums_on_both_sides(seed)
    with pytest.raises(mm.TimeLimitError) as info:
        solve(problem, time_limit=0.0)  # no search time: the repaired relaxation breaks a minimum
    assert not isinstance(info.value, mm.InfeasibleError)
    assert isinstance(info.value, mm.InputError) and info.value.time_limit == 0.0
    assert info.value.violations[0].argument == "time_limit"
    assert "larger time_limit" in str(info.value) and "does not prove there is none" in str(
        info.value
    )
    exact = solve(problem)  # there is one: infeasibility would have been a false claim
    assert exact.status == "optimal" and keeps_every_rule(problem, exact.pairs)


@settings(max_examples=8, deadline=None)
@given(st.integers(0, 2**32 - 1), st.sampled_from([0.0, 0.01, 0.05, 0.3]))
def test_under_any_time_limit_every_claim_holds(seed: int, time_limit: float) -> None:
    """Whatever the clock allows: pairs that keep every rule with a finite bound at or above
    the optimum, "optimal" only when it is, or a time-limit error; never infeasibility."""
    problem = minimums_on_both_sides(seed % 1000, n=30)
    exact = solve(problem)
    try:
        found = solve(problem, time_limit=time_limit, seed=seed % 7)
    except mm.TimeLimitError:
        return
    assert keeps_every_rule(problem, found.pairs)
    assert np.isfinite(found.bound) and found.bound >= exact.objective - 1e-9
    assert found.objective <= exact.objective + 1e-9
    if found.status == "optimal":
        assert found.objective == pytest.approx(exact.objective, abs=1e-6)


def test_large_problems_modelled_on_candidates_say_so_when_out_of_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(cpsat, "MODEL_PAIRS", 10)
    monkeypatch.setattr(cpsat, "_large", lambda *args: None)  # neither relaxation finds one
    problem = minimums_on_both_sides(0, n=30)
    with pytest.raises(mm.TimeLimitError, match=r"best candidate pairs of 900") as info:
        solve(problem, time_limit=0.0)
    assert "without a time limit every pair is modelled" in str(info.value)


def test_the_bound_under_a_time_limit_is_finite_without_relaxations(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Modelled on candidate pairs with no relaxation to bound it, CP-SAT's answer is bounded
    by each mentee's best score: finite, and above the optimum."""
    monkeypatch.setattr(cpsat, "MODEL_PAIRS", 10)
    problem = minimums_on_both_sides(1, n=30)
    exact = solve(problem)
    found = cpsat.solve(problem, time_limit=30.0, use_relaxation=False)
    assert keeps_every_rule(problem, found.pairs)
    assert np.isfinite(found.bound) and found.bound >= exact.objective - 1e-9
    best = np.sort(problem.scores.max(axis=0))[::-1][: problem.max_pairs].sum()
    assert found.bound == pytest.approx(best)
    assert found.status == "feasible"  # the ceiling proves nothing here


def test_infeasible_pair_count_is_explained_in_plain_words() -> None:
    forbidden = np.ones((4, 8), dtype=bool)
    forbidden[:, :5] = False
    with pytest.raises(mm.InfeasibleError) as info:
        mm.assign(np.ones((4, 8)), capacity=3, forbidden=forbidden, min_pairs=8)
    assert info.value.conflicts == (
        "min_pairs=8, but at most 5 pairs are possible: only 5 mentees have any allowed mentor "
        "(mentee 0, mentee 1, mentee 2, mentee 3, mentee 4); none for mentee 5, mentee 6, mentee 7 "
        "(12 of their 12 pairs are forbidden)",
    )
    with pytest.raises(mm.InfeasibleError, match="can take only 4 mentees in all"):
        mm.assign(np.ones((4, 8)), min_pairs=5)


def test_group_limits_in_conflicts_are_named() -> None:
    north = GroupLimit.from_mask(
        np.broadcast_to(np.arange(6) < 4, (3, 6)).copy(), 1, "RegionQuota(max=1)"
    )
    problem = Problem.build(
        np.ones((3, 6)),
        allowed=np.broadcast_to(np.arange(6) < 4, (3, 6)).copy(),
        min_pairs=2,
        groups=(north,),
        labels={"min_pairs": "PairCount(min=2)"},
    )
    with pytest.raises(mm.InfeasibleError, match=r"PairCount\(min=2\).*RegionQuota\(max=1\)"):
        solve(problem)


def test_locks_are_kept_and_clashing_locks_named() -> None:
    scores = np.array([[0.9, 0.1], [0.8, 0.2]])
    result = solve(Problem.build(scores, locked=((1, 0),)))
    assert (1, 0) in result.pairs
    assert result.pairs == [(0, 1), (1, 0)]
    ruled = Problem.build(
        scores,
        allowed=np.array([[True, True], [False, True]]),
        locked=((1, 0),),
        forbidden_by={"Forbid('m2', 'e1')": np.array([[False, False], [True, False]])},
        mentor_ids=("m1", "m2"),
        mentee_ids=("e1", "e2"),
    )
    with pytest.raises(
        mm.InfeasibleError, match=r"Lock\('m2', 'e1'\) clashes with Forbid\('m2', 'e1'\)"
    ):
        solve(ruled)


def test_unknown_solver_is_refused() -> None:
    with pytest.raises(mm.InputError, match="argument 'solver'"):
        solve(Problem.build(np.ones((2, 2))), solver="gurobi")
    with pytest.raises(mm.InputError, match="does not apply"):
        solve(Problem.build(np.ones((2, 2)), max_pairs=1), solver="lsa")


def test_same_input_same_pairs_and_inputs_untouched() -> None:
    rng = np.random.default_rng(1)
    scores = rng.integers(0, 3, (30, 30)).astype(float)  # many ties
    forbidden = rng.random((30, 30)) < 0.2
    before = scores.copy(), forbidden.copy()
    runs = [mm.assign(scores, forbidden=forbidden, max_pairs=12, seed=4).pairs for _ in range(3)]
    assert runs[0] == runs[1] == runs[2]
    np.testing.assert_array_equal(scores, before[0])
    np.testing.assert_array_equal(forbidden, before[1])


@st.composite
def pruned_problems(draw: st.DrawFn) -> Problem:
    """Problems where max_pairs is small enough for the flow solver to prune pairs,
    with ties, capacities and disjoint group limits on both sides."""
    m, n = draw(st.integers(3, 8)), draw(st.integers(2, 10))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    scores = rng.integers(-2, 6, (m, n)) / 4  # many ties
    groups = (
        GroupLimit.from_mask(
            np.broadcast_to(np.arange(n) % 3 == 0, (m, n)).copy(), 1, "mentees 0, 3, .."
        ),
        GroupLimit.from_mask(
            np.broadcast_to((np.arange(m) < 2)[:, None], (m, n)).copy(), 1, "mentors 0, 1"
        ),
    )
    return Problem.build(
        scores,
        allowed=rng.random((m, n)) > 0.2,
        capacity=rng.integers(0, 3, m),
        min_pairs=draw(st.integers(0, 1)),
        max_pairs=draw(st.integers(1, 3)),
        groups=groups[: draw(st.integers(0, 2))],
    )


@settings(max_examples=150, deadline=None)
@given(pruned_problems())
def test_pruned_flow_matches_the_full_cpsat_model(problem: Problem) -> None:
    try:
        exact = cpsat.solve(problem, use_relaxation=False)
    except NoSolutionError:  # the solver's neutral outcome: proven to have no pairing
        with pytest.raises(mm.InfeasibleError):
            solve(problem, solver="flow")
        return
    fast = solve(problem, solver="flow")
    assert keeps_every_rule(problem, fast.pairs)
    assert fast.objective == pytest.approx(sum(problem.scores[p] for p in exact.pairs), abs=1e-6)


def test_small_max_pairs_prunes_but_keeps_the_optimum() -> None:
    rng = np.random.default_rng(9)
    scores = rng.random((60, 80))
    allowed = rng.random((60, 80)) > 0.05
    quota = GroupLimit.from_mask(np.broadcast_to(np.arange(80) % 7 == 0, (60, 80)).copy(), 2, "q")
    problem = Problem.build(scores, allowed=allowed, capacity=2, max_pairs=15, groups=(quota,))
    fast = solve(problem)
    assert fast.solver == "flow"
    exact = cpsat.solve(problem, use_relaxation=False)
    total = sum(scores[i, j] for i, j in exact.pairs)
    assert fast.objective == pytest.approx(total, abs=1e-4)
    assert keeps_every_rule(problem, fast.pairs)


def test_quotas_over_the_same_mentees_merge_into_the_tightest() -> None:
    north = np.broadcast_to(np.arange(6) < 3, (4, 6)).copy()
    loose, tight = (
        GroupLimit.from_mask(north, 3, "RegionQuota(max=3): North"),
        GroupLimit.from_mask(north, 1, "tight"),
    )
    problem = Problem.build(np.ones((4, 6)), groups=(loose, tight))
    assert [g.rule for g in problem.groups] == ["tight"]
    result = solve(problem)
    assert result.solver == "flow"
    assert sum(j < 3 for _, j in result.pairs) == 1
