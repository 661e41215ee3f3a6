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
from ortools.sat.python import cp_model

from mentormatch.errors import InfeasibleError
from mentormatch.problem import Problem
from mentormatch.solvers import Integers, Solution, flow, lp, proven
from mentormatch.solvers.lp import stability_rows

__all__ = ["HANDLES", "solve", "supports"]

Pair = tuple[int, int]

NAME = "cpsat"
HANDLES = frozenset({"group minimums", "stability"})
"""What this solver holds beyond a network flow (see ``Problem.needs``)."""
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

    Raises ``NoSolutionError`` when the flow relaxation has no pairing, and
    ``InfeasibleError`` naming the clashing limits when CP-SAT proves there is none.
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
    model, x, rounded = _model(problem)
    for pair in fallback or []:
        model.add_hint(x[pair], True)
    left = None if time_limit is None else max(0.0, time_limit - (time.perf_counter() - start))
    solver = _solver(left, seed)
    status = solver.solve(model)
    if status == cp_model.INFEASIBLE:
        raise InfeasibleError(_clashes(problem))
    taken = sorted(p for p, var in x.items() if solver.boolean_value(var))
    if status == cp_model.OPTIMAL:
        bound = rounded.bound(solver.objective_value, problem.max_pairs)
        return proven(taken, problem.total(taken), bound, rounded.largest)
    if status == cp_model.FEASIBLE:
        bounds.append(rounded.bound(solver.best_objective_bound, problem.max_pairs))
        if fallback is None or problem.total(taken) >= problem.total(fallback):
            return _feasible(problem, taken, min(bounds))
    if fallback is None:
        raise TimeoutError(f"no pairing found within time_limit={time_limit} s")
    return _feasible(problem, fallback, min(bounds))


def _feasible(problem: Problem, pairs: list[Pair], bound: float) -> Solution:
    """Pairs found before the time limit, with the best proven bound (never below their total)."""
    return Solution(pairs, "feasible", max(bound, problem.total(pairs)))


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
    problem: Problem, assumptions: bool = False
) -> tuple[cp_model.CpModel, dict[Pair, cp_model.IntVar], Integers]:
    """The model, one Boolean per usable pair, and the scores as it holds them.

    With ``assumptions``, the pair-count bounds, each group limit and stability hold
    only under an assumption literal named after them, so an infeasible model tells
    which of them clash.
    """
    model = cp_model.CpModel()
    rows, columns = np.nonzero(problem.usable)
    pairs = pd.DataFrame({"mentor": rows, "mentee": columns, "room": problem.capacity[rows]})
    x = model.new_bool_var_series(name="pair", index=pairs.index)
    for _, chosen in pairs.groupby("mentee"):
        model.add_at_most_one(x[chosen.index])
    for _, chosen in pairs.groupby("mentor"):
        model.add(x[chosen.index].sum() <= int(chosen["room"].iloc[0]))
    total = x.sum()
    limits: dict[str, list[cp_model.Constraint]] = {}
    most = model.add(total <= problem.max_pairs)
    if "max_pairs" in problem.labels:  # a rule's bound, not only the most pairs there can be
        limits["max_pairs"] = [most]
    if problem.min_pairs:
        limits["min_pairs"] = [model.add(total >= problem.min_pairs)]
    for index, group in enumerate(problem.groups):
        inside = x[group.contains(rows, columns)].sum()
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


def _solver(time_limit: float | None, seed: int) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    solver.parameters.linearization_level = 2
    if time_limit is not None:
        solver.parameters.max_time_in_seconds = float(time_limit)
    return solver


def _clashes(problem: Problem) -> list[str]:
    """The limits in a set CP-SAT proves cannot hold together, in the rules' words."""
    model, _, _ = _model(problem, assumptions=True)
    solver = _solver(None, 0)
    solver.solve(model)
    proto = model.proto.variables
    core = [proto[k].name for k in solver.sufficient_assumptions_for_infeasibility()]
    names = [_rule(problem, name) for name in core]
    return [
        "these rules cannot hold together: "
        + ", ".join(dict.fromkeys(names))
        + f" (the allowed pairs and capacities alone admit {flow.most_pairs(problem)} pairs)"
    ]


def _rule(problem: Problem, limit: str) -> str:
    """The rule behind a limit of the model, in the rules' words."""
    if limit in ("min_pairs", "max_pairs"):
        return problem.label(limit)
    if limit == "stability":
        assert problem.preferences is not None
        return problem.preferences.rule
    return problem.groups[int(limit.split()[1])].rule
