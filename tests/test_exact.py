"""Exact on any finite scores: every solver path against scipy on the unscaled matrix or brute
force, honest bounds and statuses, full assignments at scipy's speed, and the certificate of
the candidate path (the reference instances are read in place from ../shared)."""

from __future__ import annotations

import itertools
import math
import sys
from collections.abc import Callable
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray
from scipy.optimize import linear_sum_assignment

import mentormatch as mm
from mentormatch.assignment import SOLVERS, refusal, solve
from mentormatch.problem import GroupLimit, Problem, largest_score
from mentormatch.solvers import OPTIMALITY_GAP, candidates, lsa
from mentormatch.solvers.candidates import certified_assignment, prices
from reference import lap_cost_eps, orlib_optima, read_orlib

OPTIMA = orlib_optima()
SOME = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def scipy_best(scores: NDArray[np.float64]) -> float:
    """The best total of a plain problem, capacities 1: scipy on the positive part."""
    gains = np.maximum(scores, 0.0)
    rows, columns = linear_sum_assignment(gains, maximize=True)
    return float(gains[rows, columns].sum())


def assert_honest(result: mm.Assignment, best: float) -> None:
    """The bound is proven (never below the true optimum) and "optimal" is within the gap."""
    largest = 1.0
    assert result.bound >= best - 1e-12 * max(abs(best), 1e-300)
    assert result.bound >= result.objective
    if result.status == "optimal":
        largest = max(abs(result.bound), abs(result.objective))
        assert best - result.objective <= OPTIMALITY_GAP * largest + 1e-300


# --- any magnitude, through every solver ------------------------------------------------


@pytest.mark.parametrize("magnitude", [1e-12, 1e-6, 1.0, 1e6, 1e12, 1e15])
@pytest.mark.parametrize("solver", ["lsa", "flow", "cpsat"])
def test_any_magnitude_reaches_scipy_on_the_unscaled_matrix(magnitude: float, solver: str) -> None:
    rng = np.random.default_rng(int(np.log10(magnitude)) + 20)
    scores = magnitude * (1 + rng.random((12, 14)))
    result = solve(Problem.build(scores), solver=solver)
    best = scipy_best(scores)
    assert result.status == "optimal"
    assert result.objective == pytest.approx(best, rel=1e-9)
    assert_honest(result, best)


@pytest.mark.parametrize("solver", ["flow", "cpsat"])
def test_costs_of_1e12_to_1e15_as_a_full_assignment(solver: str) -> None:
    cost = np.random.default_rng(3).uniform(1e12, 1e15, (10, 10))
    rows, columns = linear_sum_assignment(cost)
    result = solve(Problem.build(-cost, min_pairs=10), solver=solver)
    assert -result.objective == pytest.approx(cost[rows, columns].sum(), rel=1e-12)
    assert result.status == "optimal"
    assert_honest(result, -float(cost[rows, columns].sum()))


@SOME
@given(
    st.integers(-15, 15),
    st.integers(0, 2**32 - 1),
    st.sampled_from(["flow", "cpsat"]),
    st.booleans(),
)
def test_mixed_magnitudes_never_claim_more_than_the_arithmetic_backs(
    exponent: int, seed: int, solver: str, mixed: bool
) -> None:
    rng = np.random.default_rng(seed)
    scores = rng.choice([-1.0, 1.0], (5, 6)) * 10.0 ** rng.integers(-15, 16, (5, 6))
    scores = scores if mixed else rng.random((5, 6)) * 10.0**exponent
    result = solve(Problem.build(scores), solver=solver)
    assert_honest(result, scipy_best(scores))


def test_cpsat_scale_comes_from_the_largest_absolute_score() -> None:
    # the negative scores dwarf the positive ones: a scale from the largest score alone
    # would round the positive ones to nothing or overflow on the negative ones
    scores = np.array([[-100.0, 0.003, 0.001], [0.002, -100.0, 0.004]])
    result = solve(Problem.build(scores, min_pairs=2), solver="cpsat")
    assert result.pairs == [(0, 1), (1, 2)]
    assert result.objective == pytest.approx(0.007)


# --- the largest scores accepted: totals and bounds stay finite, or the input is refused --


def at_the_limit(pairs: int) -> float:
    """The largest power of two accepted for ``pairs`` pairs: scaling by it is exact."""
    return 2.0 ** math.floor(math.log2(largest_score(pairs)))


@pytest.mark.parametrize(
    ("solver", "limits"),
    [
        *((solver, limits) for solver in ("lsa", "flow", "cpsat") for limits in ("none", "full")),
        *((solver, "max_pairs") for solver in ("flow", "cpsat")),
        ("cpsat", "group minimums"),
    ],
)
@pytest.mark.parametrize("shape", [(2, 2), (6, 7), (9, 5)])
def test_scores_at_the_limit_give_the_pairs_of_the_scaled_down_problem(
    solver: str, shape: tuple[int, int], limits: str
) -> None:
    rng = np.random.default_rng(sum(shape))
    unit = rng.uniform(-1, 1, shape)
    m, n = shape
    quota = GroupLimit(2, "q", mentees=np.arange(n) < 3, min=2)
    either = GroupLimit(3, "p", mentors=np.arange(m) < 2, mentees=np.arange(n) % 2 == 0, min=1)
    extra: dict[str, object] = {
        "none": {},
        "full": {"min_pairs": min(shape)},
        "max_pairs": {"max_pairs": 1},
        "group minimums": {"groups": (quota, replace(either, either=True)), "min_pairs": 2},
    }[limits]
    small = Problem.build(unit, **extra)  # type: ignore[arg-type]
    assert refusal(solver, small) is None
    scale = at_the_limit(min(shape))
    expected = solve(small, solver=solver)
    found = solve(Problem.build(unit * scale, **extra), solver=solver)  # type: ignore[arg-type]
    assert found.pairs == expected.pairs
    assert found.status == expected.status
    assert math.isfinite(found.objective) and math.isfinite(found.bound)
    assert found.objective == pytest.approx(expected.objective * scale, rel=1e-12)
    assert found.bound >= found.objective


def test_the_largest_score_follows_the_most_pairs_there_can_be() -> None:
    two = mm.assign([[1e307] * 2] * 2)  # 2e307 is a float: accepted
    assert (two.pairs, two.objective, two.status) == ([(0, 0), (1, 1)], 2e307, "optimal")
    assert math.isfinite(two.bound)
    many = mm.assign(np.full((1000, 1000), 1e300))  # 1,000 pairs of 1e300: 1e303
    assert len(many.pairs) == 1000 and many.status == "optimal"
    assert many.objective == pytest.approx(1e303) and math.isfinite(many.bound)
    limit = largest_score(2)
    assert limit == pytest.approx(sys.float_info.max / 8)
    assert mm.assign([[limit, 0.0], [0.0, limit]]).objective == 2 * limit
    with pytest.raises(mm.InputError, match=r"argument 'scores': expected scores of at most "):
        mm.assign([[np.nextafter(limit, np.inf), 0.0], [0.0, 0.0]])


@pytest.mark.parametrize(
    ("scores", "extra", "words"),
    [
        ([[1e308] * 2] * 2, {}, ["at most 2.25e+307 in", "got 1e+308 at (0, 0) and 3 more"]),
        ([[-1e308, 1.0], [1.0, -1e308]], {"min_pairs": 2}, ["got -1e+308", "as forbidden"]),
        (np.full((3, 1000), 1e305), {"capacity": 1000}, ["at most 4.49e+304 in", "4 x 1000"]),
        ([[5e307, 5e307, 5e307]], {"capacity": 3}, ["/ (4 x 3, the most pairs there can be)"]),
    ],
)
def test_scores_whose_total_could_overflow_are_refused(
    scores: object, extra: dict[str, object], words: list[str]
) -> None:
    with pytest.raises(mm.InputError) as info:
        mm.assign(scores, **extra)  # type: ignore[arg-type]
    assert info.value.violations[0].argument == "scores"
    assert all(word in str(info.value) for word in words), str(info.value)


# --- negative scores on every solver path, against brute force --------------------------


def brute_force_plain(
    scores: NDArray[np.float64], allowed: NDArray[np.bool_], min_pairs: int
) -> float | None:
    """Best total over every way to give each mentee one mentor (capacity 1) or none."""
    m, n = scores.shape
    best = None
    for choice in itertools.product(range(-1, m), repeat=n):
        mentors = [i for i in choice if i >= 0]
        if len(set(mentors)) < len(mentors) or len(mentors) < min_pairs:
            continue
        if not all(allowed[i, j] for j, i in enumerate(choice) if i >= 0):
            continue
        total = sum(scores[i, j] for j, i in enumerate(choice) if i >= 0)
        best = total if best is None else max(best, total)
    return best


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 3), st.integers(1, 4), st.integers(0, 2**32 - 1), st.booleans())
def test_negative_scores_on_every_solver_path(m: int, n: int, seed: int, full: bool) -> None:
    rng = np.random.default_rng(seed)
    scores = np.round(rng.uniform(-1, 1, (m, n)), 2)
    allowed = rng.random((m, n)) < 0.8
    min_pairs = min(m, n) if full else 0
    best = brute_force_plain(scores, allowed, min_pairs)
    problem = Problem.build(scores, allowed=allowed, min_pairs=min_pairs)
    for name, module in SOLVERS.items():
        if module.supports(problem) is not None:
            continue
        if best is None:
            with pytest.raises(mm.InfeasibleError):
                solve(problem, solver=name)
            continue
        result = solve(problem, solver=name)
        assert result.objective == pytest.approx(best, abs=1e-9), name
        assert all(allowed[i, j] for i, j in result.pairs), name


# --- inputs refused or capped at the door -----------------------------------------------


@pytest.mark.parametrize("capacity", [2**62, sys.maxsize, 2**64, 2**100, 1e300, [1, 2**70]])
def test_huge_capacities_mean_unlimited_and_never_overflow(capacity: object) -> None:
    scores = np.array([[0.9, 0.8, 0.7], [0.1, 0.2, 0.3]])
    result = mm.assign(scores, capacity=capacity, min_pairs=1, max_pairs=3)
    one_mentor = not isinstance(capacity, list)  # mentor 0 may take every mentee
    assert result.pairs == ([(0, 0), (0, 1), (0, 2)] if one_mentor else [(0, 0), (1, 1), (1, 2)])
    assert Problem.build(scores, capacity=capacity).capacity.max() <= 3


@pytest.mark.parametrize(
    ("scores", "words"),
    [
        ([[1 + 2j, 1.0]], "complex"),
        ([["0.5", "0.7"]], "<U"),
        ([[None, 1.0]], "NoneType"),
        (np.array([[1.0, "a"]], dtype=object), "str 'a' at (0, 1)"),
        ([[b"1"]], "|S1"),
    ],
)
def test_scores_that_are_not_real_numbers_are_refused(scores: object, words: str) -> None:
    with pytest.raises(mm.InputError, match="argument 'scores': expected real numbers") as info:
        mm.assign(scores)  # type: ignore[arg-type]
    assert words in str(info.value)


# --- full assignments: scipy's speed, the OR-Library and lap's epsilon case --------------


@pytest.mark.parametrize("name", list(OPTIMA["dense"]))
def test_orlib_dense_as_scipy_users_write_it(name: str) -> None:
    cost, _ = read_orlib(name)
    n = len(cost)
    result = mm.assign(-cost, min_pairs=n)
    assert result.solver == "lsa"
    assert (-result.objective, result.status, len(result.pairs)) == (
        OPTIMA["dense"][name],
        "optimal",
        n,
    )


@pytest.mark.parametrize("name", ["assignp800", "assignp1500"])
def test_orlib_sparse_with_missing_pairs_forbidden(name: str) -> None:
    cost, allowed = read_orlib(name)
    n = len(cost)
    result = mm.assign(-cost, min_pairs=n, forbidden=~allowed)
    assert result.solver == "lsa"
    assert all(allowed[i, j] for i, j in result.pairs)
    assert -result.objective == OPTIMA["sparse_forbidden_missing"][name]


def test_lap_cost_eps_full_assignment() -> None:
    cost, minimum = lap_cost_eps()
    result = mm.assign(-cost, min_pairs=len(cost))
    assert -result.objective == pytest.approx(minimum, rel=1e-12)
    assert result.status == "optimal"


def test_a_full_assignment_that_cannot_exist_is_infeasible() -> None:
    forbidden = np.array([[False, True], [False, True]])  # nobody may take mentee 1
    with pytest.raises(mm.InfeasibleError, match="min_pairs=2"):
        mm.assign(np.ones((2, 2)), min_pairs=2, forbidden=forbidden)


def test_full_assignment_takes_negative_pairs_it_must() -> None:
    result = mm.assign([[-1.0, -3.0], [-2.0, -5.0]], min_pairs=2)
    assert (result.solver, result.pairs, result.objective) == ("lsa", [(0, 1), (1, 0)], -5.0)


# --- the candidate path and its certificate ---------------------------------------------

Matrix = Callable[[np.random.Generator, int, int], NDArray[np.float64]]
SHAPES: dict[str, Matrix] = {
    "uniform": lambda rng, m, n: rng.random((m, n)),
    "column quality": lambda rng, m, n: rng.random(n)[None, :] + 0.01 * rng.random((m, n)),
    "row quality": lambda rng, m, n: rng.random(m)[:, None] + 0.01 * rng.random((m, n)),
    "ties": lambda rng, m, n: np.floor(rng.random((m, n)) * 4),
    "mostly absent": lambda rng, m, n: np.where(
        rng.random((m, n)) < 0.85, -np.inf, rng.random((m, n))
    ),
    "negative": lambda rng, m, n: -rng.exponential(1.0, (m, n)),
}


def counting(calls: list[int]) -> Callable[..., NDArray[np.int64]]:
    """The certificate's check, recording how many violated pairs each call finds."""
    check = candidates._violations

    def counted(*args: object) -> NDArray[np.int64]:
        found = check(*args)  # type: ignore[arg-type]
        calls.append(found.size)
        return found

    return counted


@pytest.mark.parametrize("kind", list(SHAPES))
@pytest.mark.parametrize("shape", [(300, 300), (120, 400)])
def test_certified_assignment_equals_scipy(kind: str, shape: tuple[int, int]) -> None:
    gains = SHAPES[kind](np.random.default_rng(len(kind)), *shape)
    found = certified_assignment(gains)
    try:
        rows, columns = linear_sum_assignment(gains, maximize=True)
    except ValueError:  # no full assignment exists at all
        assert found is None
        return
    best = float(gains[rows, columns].sum())
    assert found is not None
    assert sorted(found.rows.tolist()) == list(range(shape[0]))
    assert len(set(found.columns.tolist())) == shape[0]
    total = float(gains[found.rows, found.columns].sum())
    assert total == pytest.approx(best, rel=1e-12, abs=1e-12)
    finite = gains[np.isfinite(gains)]
    allowance = shape[0] * candidates.CERTIFIED_TOLERANCE * np.abs(finite).max()
    assert best - 1e-12 <= found.bound <= total + allowance + 1e-12 * abs(total)


@SOME
@given(
    st.integers(2, 40), st.integers(0, 30), st.integers(0, 2**32 - 1), st.sampled_from(list(SHAPES))
)
def test_one_candidate_per_row_is_repaired_by_the_certificate(
    m: int, extra: int, seed: int, kind: str
) -> None:
    gains = SHAPES[kind](np.random.default_rng(seed), m, m + extra)
    calls: list[int] = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(candidates, "CANDIDATES_PER_ROW", 1)
        patch.setattr(candidates, "_violations", counting(calls))
        found = certified_assignment(gains)
    try:
        rows, columns = linear_sum_assignment(gains, maximize=True)
    except ValueError:
        assert found is None
        return
    assert found is not None
    assert calls and calls[-1] == 0  # the last check found no violated pair
    best = float(gains[rows, columns].sum())
    assert float(gains[found.rows, found.columns].sum()) == pytest.approx(best, abs=1e-9)


def test_repairs_happen_when_the_candidates_miss_the_optimum() -> None:
    rng = np.random.default_rng(5)
    gains = rng.random((60, 60))
    calls: list[int] = []
    diagonal = np.arange(60, dtype=np.int64) * 61  # a full matching, far from the best
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(candidates, "_first_candidates", lambda gains: diagonal)
        patch.setattr(candidates, "_violations", counting(calls))
        found = certified_assignment(gains)
    rows, columns = linear_sum_assignment(gains, maximize=True)
    assert found is not None and len(calls) >= 2 and calls[0] > 0 and calls[-1] == 0
    assert gains[found.rows, found.columns].sum() == pytest.approx(gains[rows, columns].sum())


@SOME
@given(st.integers(1, 12), st.integers(0, 6), st.integers(0, 2**32 - 1))
def test_prices_bound_every_pair_and_are_tight_on_the_optimum(
    m: int, extra: int, seed: int
) -> None:
    n = m + extra
    values = np.round(np.random.default_rng(seed).uniform(-3, 3, (m, n)), 1)
    rows, columns = linear_sum_assignment(values, maximize=True)
    matched = np.empty(m, dtype=np.intp)
    matched[rows] = columns
    every_row, every_column = np.divmod(np.arange(m * n), n)
    row, column = prices(every_row, every_column, values.ravel(), matched, n, 1e-12)
    assert row is not None and column is not None
    assert (row[:, None] + column[None, :] >= values - 1e-9).all()
    assert np.allclose(row + column[matched], values[np.arange(m), matched])
    taken = np.zeros(n, dtype=bool)
    taken[matched] = True
    assert (column >= 0).all() and np.allclose(column[~taken], 0.0)


def test_large_plain_problems_go_through_the_certificate(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lsa, "CERTIFY_FROM", 0)
    scores = np.random.default_rng(9).random((150, 170))
    scores[scores < 0.05] = -0.5  # negative pairs are left out of a plain problem
    forbidden = np.random.default_rng(10).random((150, 170)) < 0.3
    result = mm.assign(scores, capacity=[1, 2] * 75, forbidden=forbidden)
    gains = np.where(forbidden, 0.0, np.maximum(scores, 0))
    rows = np.repeat(np.arange(150), [1, 2] * 75)
    r, c = linear_sum_assignment(gains[rows], maximize=True)
    assert result.objective == pytest.approx(gains[rows][r, c].sum(), rel=1e-12)
    assert result.status == "optimal" and result.solver == "lsa"
    assert not any(forbidden[i, j] for i, j in result.pairs)


@pytest.mark.parametrize("gap", [1e-7, 4e-13])
def test_the_certificate_sees_small_gaps_and_its_bound_covers_the_tolerance(gap: float) -> None:
    # Candidates on the diagonal only; the off-diagonal assignment is better by 2 * gap.
    gains = np.array([[1.0, 1.0 + gap], [1.0 + gap, 1.0]])
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(candidates, "_first_candidates", lambda gains: np.array([0, 3]))
        found = certified_assignment(gains)
    assert found is not None
    best = 2.0 + 2 * gap
    assert found.bound >= best  # proven, even where the gap is below the tolerance
    if gap > candidates.CERTIFIED_TOLERANCE:  # a violation above the tolerance is repaired
        assert gains[found.rows, found.columns].sum() == best
