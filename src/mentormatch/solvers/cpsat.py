"""CP-SAT (OR-Tools) for every problem, including what breaks the flow structure: group
limits over pairs or overlapping people, group minimums, and stability.

A table of the usable pairs drives the model, as in OR-Tools' ``assignment_sat.py``
sample: one Boolean per pair, at most one mentor per mentee, capacity per mentor,
each group limit a sum over the pairs it contains. Stability is the linear form of
the hospital-resident condition (Baiou and Balinski): for every pair ``(i, j)`` that
could block, mentee ``j`` has ``i`` or a mentor it prefers, or mentor ``i`` is full
with mentees it prefers to ``j``. Scores
are scaled to integers with ``RESOLUTION`` of the largest absolute score as one
unit; the objective is recomputed in floats from the chosen pairs, and the
reported bound adds one unit per pair for the rounding, so it stays a proven
bound; the status is "optimal" only within :data:`~mentormatch.solvers.OPTIMALITY_GAP`.

The flow relaxation (the problem without what is not a flow) is
solved first: when its pairs keep every limit they are optimal and CP-SAT is not
run; otherwise they bound the objective. The search runs on one worker with a
fixed seed, so the same problem and seed give the same pairs.
"""

from __future__ import annotations

import time
from dataclasses import replace

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from ortools.sat.python import cp_model

from mentormatch.problem import Problem
from mentormatch.solvers import (
    Integers,
    NoSolutionError,
    OutOfTimeError,
    Solution,
    flow,
    lp,
    proven,
)
from mentormatch.solvers.lp import stability_rows

__all__ = ["HANDLES", "core", "solve", "supports"]

Pair = tuple[int, int]

NAME = "cpsat"
MODEL_PAIRS = 300_000
"""Under a time limit, larger problems are modelled on candidate pairs (creating a
Boolean per pair costs about 4 microseconds: 15 s for 2,000 x 2,000)."""
CANDIDATES = 16
"""Each mentee's and each mentor's best pairs kept in a model on candidate pairs."""
PRICE_TOLERANCE = 1e-3
"""The search for the price of short minimums stops within this fraction of it."""
HANDLES = frozenset({"group minimums", "stability"})
"""What this solver holds beyond a network flow (see ``Problem.needs``)."""
CORE_EFFORT = 5.0
"""CP-SAT's deterministic time (roughly seconds) for proving a clash without one of its
limits, when a set of clashing limits is made smaller (see :func:`core`)."""
RESOLUTION = 1e-9
"""One integer unit of the objective, as a fraction of the largest absolute score."""


def supports(problem: Problem) -> str | None:
    """CP-SAT supports every lock-free problem."""
    return "has locked pairs (solve the problem without them)" if problem.locked else None


def solve(
    problem: Problem, time_limit: float | None = None, seed: int = 0, use_relaxation: bool = True
) -> Solution:
    """Solve exactly, or return the best pairs found within ``time_limit`` seconds.

    With ``use_relaxation`` (the default) the flow relaxation is solved first and
    its pairs returned when they keep every limit, else used as CP-SAT's hint; then
    the LP relaxation of the whole model (:mod:`~mentormatch.solvers.lp`), whose
    optimum is returned when it is integral and proven, else bounds CP-SAT's answer.
    Under a time limit, a problem of more than :data:`MODEL_PAIRS` usable pairs is
    modelled on candidate pairs only (:func:`_candidates`): what CP-SAT finds there
    keeps every rule, and the relaxations bound it; without one, on every pair.

    When the limit is reached, the best pairs found (by CP-SAT or the repaired relaxation)
    are returned with the best proven bound (finite: at worst :func:`_ceiling`), status
    "feasible" unless that bound proves them optimal.

    Raises ``NoSolutionError`` when the flow relaxation has no pairing or CP-SAT proves
    there is none (:func:`core` then says which limits clash), and ``OutOfTimeError``
    when the time limit ran out before any pairing was found.
    """
    start = time.perf_counter()
    relaxation = flow.solve(_relaxed(problem)) if use_relaxation else None
    if relaxation is not None and _keeps_limits(problem, relaxation.pairs):
        return relaxation
    bounds = [relaxation.bound] if relaxation is not None and relaxation.bound is not None else []
    if use_relaxation and (time_limit is None or time_limit > 0):
        exact, bound = lp.relaxation(problem, time_limit)
        if exact is not None and exact.status == "optimal":
            return exact
        bounds.append(bound)
    fallback = _repaired(problem, relaxation.pairs) if relaxation else None
    whole = time_limit is None or int(problem.usable.sum()) <= MODEL_PAIRS
    subset = None if whole else _candidates(problem, relaxation.pairs if relaxation else [])
    largest = float(np.abs(problem.scores).max(initial=0.0))
    left = _left(time_limit, start)
    if subset is not None and relaxation is not None and left is not None:
        large = _large(problem, relaxation, subset, bounds, left)
        if large is not None:
            return large
    model, x, rounded = _model(problem, subset=subset)
    for pair in fallback or []:
        if pair in x:
            model.add_hint(x[pair], True)
    solver = _solver(_left(time_limit, start), seed)
    status = solver.solve(model)
    if status == cp_model.MODEL_INVALID:
        raise RuntimeError(f"mentormatch built an invalid CP-SAT model: {model.validate()}")
    if status == cp_model.INFEASIBLE and whole:
        raise NoSolutionError
    found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    taken = sorted(p for p, var in x.items() if found and solver.boolean_value(var))
    if status == cp_model.OPTIMAL and whole:
        bound = rounded.bound(solver.objective_value, problem.max_pairs)
        return proven(taken, problem.total(taken), bound, rounded.largest)
    if status == cp_model.FEASIBLE and whole:
        bounds.append(rounded.bound(solver.best_objective_bound, problem.max_pairs))
    bound = min(bounds, default=_ceiling(problem))
    if found and (fallback is None or problem.total(taken) >= problem.total(fallback)):
        return _settled(problem, taken, bound, largest)
    if fallback is None:
        held = status == cp_model.INFEASIBLE
        raise OutOfTimeError("" if subset is None else _narrowed(problem, subset, held))
    return _settled(problem, fallback, bound, largest)


def _large(
    problem: Problem,
    relaxation: Solution,
    subset: NDArray[np.bool_],
    bounds: list[float],
    left: float,
) -> Solution | None:
    """A pairing of a problem too large for the whole model, found in ``left`` seconds: the
    best of the candidates' LP (integral for one-sided limits) and the priced relaxations
    (:func:`_priced`), with the best proven bound; ``None`` when neither found one."""
    start = time.perf_counter()
    found, bound = _priced(problem, relaxation, left / 2)
    bounds.append(bound)
    narrowed = replace(problem, allowed=problem.allowed & subset)
    within, _ = lp.relaxation(narrowed, max(0.0, left - (time.perf_counter() - start)))
    options = [pairs for pairs in (found, None if within is None else within.pairs) if pairs]
    if not options:
        return None
    best = max(options, key=problem.total)
    return _settled(problem, best, min(bounds), float(np.abs(problem.scores).max(initial=0.0)))


def _priced(problem: Problem, relaxation: Solution, left: float) -> tuple[list[Pair] | None, float]:
    """Group minimums priced into the flow relaxation (Lagrange): with the pairs of each group
    short of its minimum scoring ``price`` more, the relaxation's optimum less ``price`` times
    those minimums bounds every pairing (a pairing keeping the minimums loses nothing by
    the prices), and its pairs, when they keep every rule, are a pairing. The price is
    found by bisection while ``left`` seconds last; the best pairing and bound are kept."""
    short = [g for g in problem.groups if g.min > g.count(relaxation.pairs)]
    if not short:
        return None, np.inf
    m, n = problem.shape
    rows, columns = np.divmod(np.arange(m * n), n)
    members = np.zeros(m * n)
    for group in short:
        members += group.contains(rows, columns)
    priced, owed = replace(_relaxed(problem), scores=problem.scores), sum(g.min for g in short)
    spread = float(np.ptp(problem.scores[problem.usable])) if problem.usable.any() else 0.0
    low, high = 0.0, max(spread, 1e-12)
    price, best, bound = high, None, float(np.inf)
    start, took = time.perf_counter(), 0.0
    while high - low > PRICE_TOLERANCE * high and time.perf_counter() - start + took < left:
        tick = time.perf_counter()
        solved = flow.solve(replace(priced, scores=problem.scores + price * members.reshape(m, n)))
        took = time.perf_counter() - tick
        if solved.bound is not None:
            bound = min(bound, solved.bound - price * owed)
        if problem.keeps(solved.pairs):
            if best is None or problem.total(solved.pairs) > problem.total(best):
                best = solved.pairs
            high = price
        elif best is None and price == high:
            break  # even the highest price leaves a minimum short
        else:
            low = price
        price = (low + high) / 2
    return best, bound


def _narrowed(problem: Problem, subset: NDArray[np.bool_], empty: bool) -> str:
    """What was searched when a large problem was modelled on its candidate pairs (``empty``:
    proven to hold no pairing)."""
    held = ", which hold none" if empty else ""
    return (
        f"it was modelled on its {int(subset.sum()):,} best candidate pairs of "
        f"{int(problem.usable.sum()):,}{held}; without a time limit every pair is modelled"
    )


def _ceiling(problem: Problem) -> float:
    """A finite bound on every pairing's total: each mentee's best usable score (0 when
    negative), the ``max_pairs`` largest of them summed (a pair scores at most its
    mentee's best, and a negative pair only lowers the total)."""
    best = np.where(problem.usable, problem.scores, -np.inf).max(axis=0, initial=0.0)
    top = np.sort(np.maximum(best, 0.0))[::-1][: problem.max_pairs]
    return float(top.sum())


def _left(time_limit: float | None, start: float) -> float | None:
    """What is left of ``time_limit`` since ``start``."""
    return None if time_limit is None else max(0.0, time_limit - (time.perf_counter() - start))


def _settled(problem: Problem, pairs: list[Pair], bound: float, largest: float) -> Solution:
    """Pairs found before the time limit, with the best proven bound (never below their
    total): "optimal" only if that bound proves it."""
    return proven(pairs, problem.total(pairs), bound, largest)


def _candidates(problem: Problem, pairs: list[Pair]) -> NDArray[np.bool_]:
    """Each mentee's and each mentor's :data:`CANDIDATES` best usable pairs, and ``pairs``."""
    values = np.where(problem.usable, problem.scores, -np.inf)
    keep = np.zeros(problem.shape, dtype=bool)
    for axis in (0, 1):
        k = min(CANDIDATES, values.shape[axis])
        best = np.argpartition(-values, k - 1, axis=axis).take(np.arange(k), axis=axis)
        np.put_along_axis(keep, best, True, axis=axis)
    for i, j in pairs:
        keep[i, j] = True
    chosen: NDArray[np.bool_] = keep & problem.usable
    return chosen


def _repaired(problem: Problem, pairs: list[Pair]) -> list[Pair] | None:
    """The relaxation's pairs with the lowest-scoring pairs of each overfull group dropped;
    ``None`` when they then break a limit (too few pairs, a minimum, stability)."""
    kept = sorted(pairs, key=lambda pair: -problem.scores[pair])
    for group in problem.groups:
        inside = [pair for pair in kept if group.count([pair])]
        dropped = set(inside[group.max :])
        kept = [pair for pair in kept if pair not in dropped]
    if len(kept) < problem.min_pairs or not _keeps_limits(problem, kept):
        return None
    return sorted(kept)


def _relaxed(problem: Problem) -> Problem:
    """The problem without what breaks the flow structure: group limits over pairs or
    overlapping people, group minimums, stability."""
    groups = tuple(replace(g, min=0) for g in flow.flow_groups(problem))
    return replace(problem, groups=groups, preferences=None)


def _keeps_limits(problem: Problem, pairs: list[tuple[int, int]]) -> bool:
    return all(g.min <= g.count(pairs) <= g.max for g in problem.groups) and not (
        problem.blocking_pairs(pairs)
    )


def _model(
    problem: Problem, assumptions: bool = False, subset: NDArray[np.bool_] | None = None
) -> tuple[cp_model.CpModel, dict[Pair, cp_model.IntVar], Integers]:
    """The model, one Boolean per usable pair (of ``subset`` only, when given: its
    solutions keep every rule, but it may miss the optimum), and the scores as it holds them.

    With ``assumptions``, the pair-count bounds, each group limit, stability and each
    locked pair (taken) hold only under an assumption literal named after them, so an
    infeasible model tells which of them clash.
    """
    model = cp_model.CpModel()
    rows, columns = np.nonzero(problem.usable if subset is None else problem.usable & subset)
    pairs = pd.DataFrame({"mentor": rows, "mentee": columns, "room": problem.capacity[rows]})
    x = model.new_bool_var_series(name="pair", index=pairs.index)
    for _, chosen in pairs.groupby("mentee"):
        model.add_at_most_one(x[chosen.index])
    for _, chosen in pairs.groupby("mentor"):
        model.add(_sum(x[chosen.index]) <= int(chosen["room"].iloc[0]))
    total = _sum(x)
    limits: dict[str, list[cp_model.Constraint]] = {}
    most = model.add(total <= problem.max_pairs)
    if "max_pairs" in problem.labels:  # a rule's bound, not only the most pairs there can be
        limits["max_pairs"] = [most]
    if problem.min_pairs:
        limits["min_pairs"] = [model.add(total >= problem.min_pairs)]
    for index, group in enumerate(problem.groups):
        inside = _sum(x[group.contains(rows, columns)])
        limits[f"group {index}"] = [model.add(inside <= group.max)]
        if group.min:
            limits[f"group {index} min"] = [model.add(inside >= group.min)]
    stability = [
        model.add(
            cp_model.LinearExpr.weighted_sum(x.iloc[list(terms)].tolist(), list(terms.values()))
            >= need
        )
        for terms, need in stability_rows(problem, rows, columns)
    ]
    if stability:
        limits["stability"] = stability
    for index, (i, j) in enumerate(problem.locked):
        at = int(np.flatnonzero((rows == i) & (columns == j))[0])
        limits[f"lock {index}"] = [model.add(x.iloc[at] == 1)]
    if assumptions:
        for name, constraints in limits.items():
            flag = model.new_bool_var(name)
            for constraint in constraints:
                constraint.only_enforce_if(flag)
            model.add_assumption(flag)
    rounded = Integers.of(problem.scores[rows, columns], 1.0 / RESOLUTION)
    model.maximize(cp_model.LinearExpr.weighted_sum(x.tolist(), rounded.gains.tolist()))
    return (
        model,
        dict(zip(zip(rows.tolist(), columns.tolist(), strict=True), x, strict=True)),
        rounded,
    )


def _sum(chosen: pd.Series) -> cp_model.LinearExpr:
    """The sum of some of the model's Booleans, built by OR-Tools at once (pandas' ``sum``
    would add them one by one in Python)."""
    return cp_model.LinearExpr.sum(chosen.tolist())


def _solver(time_limit: float | None, seed: int) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    solver.parameters.linearization_level = 2
    if time_limit is not None:
        solver.parameters.max_time_in_seconds = float(time_limit)
    return solver


def core(problem: Problem) -> list[str]:
    """The limits of a small set CP-SAT proves cannot hold together, each as the model names
    it: ``"min_pairs"``, ``"max_pairs"``, ``"group <k>"`` (its maximum), ``"group <k> min"``,
    ``"stability"`` or ``"lock <k>"`` (the k-th of ``problem.locked``). The problem may
    have locks; empty when it has a pairing.

    CP-SAT's set is then made smaller: a limit without which the rest still cannot hold
    (proven within :data:`CORE_EFFORT`) is left out, so that every limit named is needed.

    Examples
    --------
    >>> import numpy as np
    >>> from mentormatch.problem import GroupLimit
    >>> one = GroupLimit(1, "at most one pair", mentees=np.array([True, True]))
    >>> core(Problem.build(np.ones((2, 2)), groups=(one,), locked=((0, 0), (1, 1))))
    ['group 0', 'lock 0', 'lock 1']
    >>> two = GroupLimit(2, "at least two pairs", mentees=np.array([True, False]), min=2)
    >>> core(Problem.build(np.ones((2, 2)), groups=(one, two), min_pairs=1))
    ['group 1 min']
    """
    model, _, _ = _model(problem, assumptions=True)
    solver = _solver(None, 0)
    if solver.solve(model) != cp_model.INFEASIBLE:
        return []
    needed = sorted(solver.sufficient_assumptions_for_infeasibility())
    for limit in list(needed):
        rest = [k for k in needed if k != limit]
        model.clear_assumptions()
        model.add_assumptions([model.get_bool_var_from_proto_index(k) for k in rest])
        check = _solver(None, 0)
        check.parameters.max_deterministic_time = CORE_EFFORT
        if check.solve(model) == cp_model.INFEASIBLE:
            needed = rest
    return [model.proto.variables[k].name for k in needed]
