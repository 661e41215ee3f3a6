"""CP-SAT (OR-Tools) for every problem, including group limits that break the flow structure.

One Boolean per usable pair, as in OR-Tools' ``assignment_sat.py`` sample. Scores
are scaled to integers with ``RESOLUTION`` of the largest absolute score as one
unit; the objective is recomputed in floats from the chosen pairs, and the
reported bound adds one unit per pair for the rounding, so it stays a proven
bound; the status is "optimal" only within :data:`~mentormatch.solvers.OPTIMALITY_GAP`.

The flow relaxation (the problem without the limits that are not a flow) is
solved first: when its pairs keep every limit they are optimal and CP-SAT is not
run; otherwise they bound the objective. The search runs on one worker with a
fixed seed, so the same problem and seed give the same pairs.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from ortools.sat.python import cp_model

from mentormatch.errors import InfeasibleError
from mentormatch.problem import Problem
from mentormatch.solvers import Integers, Solution, flow, proven

__all__ = ["solve", "supports"]

Pair = tuple[int, int]

NAME = "cpsat"
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
    its pairs returned when they keep every limit, else used as CP-SAT's hint.

    Raises ``NoSolutionError`` when the flow relaxation has no pairing, and
    ``InfeasibleError`` naming the clashing limits when CP-SAT proves there is none.
    """
    relaxation = flow.solve(_relaxed(problem)) if use_relaxation else None
    if relaxation is not None and _keeps_limits(problem, relaxation.pairs):
        return relaxation
    fallback = _repaired(problem, relaxation.pairs) if relaxation else None
    model, x, rounded = _model(problem)
    for pair in fallback or []:
        model.add_hint(x[pair], True)
    solver = _solver(time_limit, seed)
    status = solver.solve(model)
    if status == cp_model.INFEASIBLE:
        raise InfeasibleError(_clashes(problem))
    taken = sorted(p for p, var in x.items() if solver.boolean_value(var))
    if status == cp_model.OPTIMAL:
        bound = rounded.bound(solver.objective_value, problem.max_pairs)
        return proven(taken, problem.total(taken), bound, rounded.largest)
    bounds = [relaxation.bound] if relaxation is not None and relaxation.bound is not None else []
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
    ``None`` when too few are left for ``min_pairs``."""
    kept = sorted(pairs, key=lambda pair: -problem.scores[pair])
    for group in problem.groups:
        inside = [pair for pair in kept if group.count([pair])]
        dropped = set(inside[group.max :])
        kept = [pair for pair in kept if pair not in dropped]
    return sorted(kept) if len(kept) >= problem.min_pairs else None


def _relaxed(problem: Problem) -> Problem:
    """The problem without the group limits that break the flow structure."""
    return replace(problem, groups=flow.flow_groups(problem))


def _keeps_limits(problem: Problem, pairs: list[tuple[int, int]]) -> bool:
    return all(g.count(pairs) <= g.max for g in problem.groups)


def _model(
    problem: Problem, assumptions: bool = False
) -> tuple[cp_model.CpModel, dict[Pair, cp_model.IntVar], Integers]:
    """The model, one Boolean per usable pair, and the scores as it holds them.

    With ``assumptions``, the pair-count minimum and each group limit hold only
    under an assumption literal named after it, so an infeasible model tells
    which of them clash.
    """
    model = cp_model.CpModel()
    usable = problem.usable
    rows, columns = np.nonzero(usable)
    x = {
        (i, j): model.new_bool_var(f"pair_{i}_{j}")
        for i, j in zip(rows.tolist(), columns.tolist(), strict=True)
    }
    for j in range(problem.shape[1]):
        model.add_at_most_one(x[int(i), j] for i in np.flatnonzero(usable[:, j]))
    for i in range(problem.shape[0]):
        mentees = [x[i, int(j)] for j in np.flatnonzero(usable[i])]
        model.add(sum(mentees) <= int(problem.capacity[i]))
    total = sum(x.values())
    model.add(total <= problem.max_pairs)
    limits = {"min_pairs": model.add(total >= problem.min_pairs)}
    for index, group in enumerate(problem.groups):
        inside = group.contains(rows, columns)
        members = [
            x[i, j] for i, j in zip(rows[inside].tolist(), columns[inside].tolist(), strict=True)
        ]
        limits[f"group {index}"] = model.add(sum(members) <= group.max)
    if assumptions:
        for name, constraint in limits.items():
            flag = model.new_bool_var(name)
            constraint.only_enforce_if(flag)
            model.add_assumption(flag)
    rounded = Integers.of(problem.scores[rows, columns], 1.0 / RESOLUTION)
    model.maximize(
        sum(int(g) * var for g, var in zip(rounded.gains.tolist(), x.values(), strict=True))
    )
    return model, x, rounded


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
    names = [
        problem.label("min_pairs") if name == "min_pairs" else problem.groups[int(name[6:])].rule
        for name in core
    ]
    return [
        "these rules cannot hold together: "
        + ", ".join(names)
        + f" (the allowed pairs and capacities alone admit {flow.most_pairs(problem)} pairs)"
    ]
