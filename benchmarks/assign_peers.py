"""Assignment instances and the solvers compared on them: ``mm.assign`` and its peers.

Instances (n mentors x n mentees, the same in every process):

- ``plain``: scores uniform in [0, 1), a full assignment maximised (three draws a run);
- ``constrained`` (the pilot's rules): the same scores, capacity 2 per mentor, 5% of
  pairs forbidden at random, between 8 and 15 pairs;
- ``orlib``: J.E. Beasley's OR-Library instance ``assign<n>`` (n = 100 ... 800,
  integer costs 1-100), read in place from ``../shared/reference/orlib/`` with the
  tests' reader; scores are ``-cost`` and every mentor must be paired
  (``mm.assign(-C, min_pairs=n)``), so the objective is minus the published optimum.

Every solver takes the scores to maximise (a peer that minimises gets ``-scores``:
for ``orlib`` that is the cost matrix itself) and returns its pairs; its objective is
recomputed from the pairs and the pairs are checked against the rules.
:func:`prepare` is the harness's task (see ``harness.py``).
"""

from __future__ import annotations

import importlib
import importlib.util
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
from numpy.typing import NDArray

from harness import Prepared

SEED = 20240601
FORBIDDEN_SHARE = 0.05
PILOT = {"capacity": 2, "min_pairs": 8, "max_pairs": 15}
CPSAT_RESOLUTION = 1e-6
"""CP-SAT costs are round(score / CPSAT_RESOLUTION) (scores are below 1)."""
LSA_COST_BUDGET = 1e18
"""OR-Tools LSA costs are round(-score x S), S = LSA_COST_BUDGET / ((n + 1)^2 max|score|)."""
KINDS = ("plain", "constrained", "orlib")
PLAIN_DRAWS = 3
"""Random instances a ``plain`` run solves one after the other: a solver's time on a single
random instance moves by 2-3x from one draw to the next (lap's most), so each timed run
is the sum over three."""
TESTS = Path(__file__).resolve().parents[1] / "tests"

Pairs = tuple[NDArray[np.int64], NDArray[np.int64]]


# ---------------------------------------------------------------------------- instances


@dataclass(frozen=True)
class Instance:
    """n mentors x n mentees; ``forbidden`` is None without forbidden pairs; ``known`` is
    the published optimum of the scores' total, where there is one."""

    kind: str
    n: int
    scores: NDArray[np.float64]
    forbidden: NDArray[np.bool_] | None
    capacity: int
    min_pairs: int
    max_pairs: int
    known: float | None = None

    @property
    def allowed(self) -> NDArray[np.bool_]:
        if self.forbidden is None:
            return np.ones(self.scores.shape, dtype=bool)
        return ~self.forbidden


def reference() -> ModuleType:
    """The tests' reader of the shared reference instances (``tests/reference.py``)."""
    spec = importlib.util.spec_from_file_location("reference", TESTS / "reference.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def orlib_missing(n: int) -> str | None:
    """Why the OR-Library instance ``assign<n>`` cannot be read, or None."""
    path = reference().ORLIB / f"assign{n}.txt"
    return None if path.is_file() else f"not found: {path}"


def make_instance(kind: str, n: int, draw: int = 0) -> Instance:
    """The instance of a case, the same in every process (``draw``: another of the kind)."""
    if kind == "orlib":
        shared = reference()
        cost, _ = shared.read_orlib(f"assign{n}")
        optimum = shared.orlib_optima()["dense"][f"assign{n}"]
        return Instance(kind, n, -cost, None, 1, n, n, known=-float(optimum))
    rng = np.random.default_rng([SEED, n, 0 if kind == "plain" else 1, *([draw] if draw else [])])
    scores = rng.random((n, n))
    if kind == "plain":
        return Instance(kind, n, scores, None, 1, 0, n)
    forbidden = rng.random((n, n)) < FORBIDDEN_SHARE
    return Instance(kind, n, scores, forbidden, **PILOT)


def check(inst: Instance, pairs: Pairs) -> str:
    """ "" when the pairs keep every rule of the instance, else what they break."""
    rows, cols = pairs
    if len(np.unique(cols)) != len(cols):
        return "a mentee twice"
    if len(rows) and np.bincount(rows).max() > inst.capacity:
        return "a mentor over capacity"
    if inst.forbidden is not None and inst.forbidden[rows, cols].any():
        return "a forbidden pair"
    if not inst.min_pairs <= len(rows) <= inst.max_pairs:
        return f"{len(rows)} pairs"
    return ""


# ---------------------------------------------------------------------------- solvers


@dataclass
class Found:
    """A solver's pairs, its status, and how its time splits."""

    pairs: Pairs
    status: str
    build: float | None = None
    scale: float | None = None
    note: str = ""


def _arrays(rows: object, cols: object) -> Pairs:
    return np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64)


def solve_ours(inst: Instance, timeout: float) -> Found:
    import mentormatch as mm

    if inst.forbidden is None:
        result = mm.assign(inst.scores, min_pairs=inst.min_pairs or None)
    else:
        result = mm.assign(
            inst.scores,
            capacity=inst.capacity,
            min_pairs=inst.min_pairs,
            max_pairs=inst.max_pairs,
            forbidden=inst.forbidden,
        )
    rows, cols = zip(*result.pairs, strict=True) if result.pairs else ((), ())
    return Found(_arrays(rows, cols), result.status, note=f"solver {result.solver}")


def solve_scipy(inst: Instance, timeout: float) -> Found:
    from scipy.optimize import linear_sum_assignment

    rows, cols = linear_sum_assignment(inst.scores, maximize=True)
    return Found(_arrays(rows, cols), "optimal")


def solve_lap(inst: Instance, timeout: float) -> Found:
    import lap

    _, x, _ = lap.lapjv(-inst.scores)  # lap 0.5: (cost, column of each row, row of each column)
    rows = np.flatnonzero(x >= 0)
    return Found(_arrays(rows, x[rows]), "optimal")


def lsa_scale(n: int, largest: float = 1.0) -> float:
    """OR-Tools LSA refuses costs once max|cost| x (n + 1)^2 passes about 2.5e18."""
    return LSA_COST_BUDGET / (n + 1) ** 2 / max(1.0, largest)


def solve_ortools_lsa(inst: Instance, timeout: float) -> Found:
    from ortools.graph.python import linear_sum_assignment

    start = time.perf_counter()
    n, scale = inst.n, lsa_scale(inst.n, float(np.abs(inst.scores).max()))
    assignment = linear_sum_assignment.SimpleLinearSumAssignment()
    left = np.repeat(np.arange(n, dtype=np.int32), n)
    right = np.tile(np.arange(n, dtype=np.int32), n)
    costs = np.rint(-inst.scores * scale).astype(np.int64).ravel()
    assignment.add_arcs_with_cost(left, right, costs)
    build = time.perf_counter() - start
    status = assignment.solve()
    if status != assignment.OPTIMAL:
        return Found(_arrays([], []), f"status {status}", build, scale)
    cols = [assignment.right_mate(i) for i in range(n)]
    return Found(_arrays(range(n), cols), "optimal", build, scale, f"S={scale:.1e}")


def solve_networkx(inst: Instance, timeout: float) -> Found:
    """networkx's blossom algorithm (``max_weight_matching``, pure Python) on the bipartite
    graph of the allowed pairs, largest cardinality first: a full assignment."""
    import networkx as nx

    start = time.perf_counter()
    rows, cols = np.nonzero(inst.allowed)
    graph = nx.Graph()
    weights = inst.scores[rows, cols].tolist()
    mentees = (cols + inst.n).tolist()  # one node per mentor, then one per mentee
    graph.add_weighted_edges_from(zip(rows.tolist(), mentees, weights, strict=True))
    build = time.perf_counter() - start
    matching = nx.max_weight_matching(graph, maxcardinality=True)
    pairs = sorted((min(a, b), max(a, b) - inst.n) for a, b in matching)
    chosen = np.array(pairs, dtype=np.int64).reshape(-1, 2)
    return Found(_arrays(chosen[:, 0], chosen[:, 1]), "optimal", build)


def solve_cpsat(inst: Instance, timeout: float) -> Found:
    """One Boolean per allowed pair, one worker, ``linearization_level=2``."""
    from ortools.sat.python import cp_model

    start = time.perf_counter()
    model = cp_model.CpModel()
    pairs = np.argwhere(inst.allowed)
    x = [model.new_bool_var(f"x{i}_{j}") for i, j in pairs]
    by_mentee: list[list[Any]] = [[] for _ in range(inst.n)]
    by_mentor: list[list[Any]] = [[] for _ in range(inst.n)]
    for (i, j), var in zip(pairs.tolist(), x, strict=True):
        by_mentee[j].append(var)
        by_mentor[i].append(var)
    for column in by_mentee:
        model.add_at_most_one(column)
    for row in by_mentor:
        if inst.capacity == 1:
            model.add_at_most_one(row)
        else:
            model.add(sum(row) <= inst.capacity)
    if inst.min_pairs > 0 or inst.max_pairs < inst.n:
        model.add_linear_constraint(sum(x), inst.min_pairs, inst.max_pairs)
    gains = np.rint(inst.scores[pairs[:, 0], pairs[:, 1]] / CPSAT_RESOLUTION).astype(np.int64)
    model.maximize(cp_model.LinearExpr.weighted_sum(x, gains.tolist()))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.linearization_level = 2
    solver.parameters.max_time_in_seconds = timeout
    build = time.perf_counter() - start
    status = solver.solve(model)
    chosen = [k for k, var in enumerate(x) if solver.boolean_value(var)]
    name = "optimal" if status == cp_model.OPTIMAL else solver.status_name(status).lower()
    return Found(_arrays(pairs[chosen, 0], pairs[chosen, 1]), name, build, 1 / CPSAT_RESOLUTION)


def solve_highs(inst: Instance, timeout: float) -> Found:
    """scipy ``milp``: one binary per allowed pair (forbidden pairs left out)."""
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import csr_array, vstack

    start = time.perf_counter()
    mentors, mentees = np.nonzero(inst.allowed)
    k, n = len(mentors), inst.n
    ones, columns = np.ones(k), np.arange(k)
    matrix = vstack(
        [
            csr_array((ones, (mentees, columns)), shape=(n, k)),
            csr_array((ones, (mentors, columns)), shape=(n, k)),
            csr_array(ones[None, :]),
        ],
        format="csr",
    )
    lower = np.concatenate([np.zeros(2 * n), [inst.min_pairs]])
    upper = np.concatenate([np.ones(n), np.full(n, inst.capacity), [inst.max_pairs]])
    build = time.perf_counter() - start
    result = milp(
        -inst.scores[mentors, mentees],
        integrality=np.ones(k),
        bounds=Bounds(0, 1),
        constraints=LinearConstraint(matrix, lower, upper),
        options={"time_limit": timeout, "disp": False, "mip_rel_gap": 0.0},
    )
    if result.x is None:
        return Found(_arrays([], []), f"status {result.status}", build)
    chosen = result.x > 0.5
    status = "optimal" if result.status == 0 else f"status {result.status}"
    return Found(_arrays(mentors[chosen], mentees[chosen]), status, build)


def solve_cbc(inst: Instance, timeout: float) -> Found:
    """PuLP with CBC: one binary per allowed pair (forbidden pairs left out)."""
    import pulp

    start = time.perf_counter()
    mentors, mentees = np.nonzero(inst.allowed)
    problem = pulp.LpProblem("pairs", pulp.LpMaximize)
    x = [problem.add_variable(f"x{k}", cat="Binary") for k in range(len(mentors))]
    weights = inst.scores[mentors, mentees].tolist()
    problem += pulp.LpAffineExpression(zip(x, weights, strict=True))
    by_mentee: list[list[Any]] = [[] for _ in range(inst.n)]
    by_mentor: list[list[Any]] = [[] for _ in range(inst.n)]
    for i, j, var in zip(mentors.tolist(), mentees.tolist(), x, strict=True):
        by_mentee[j].append(var)
        by_mentor[i].append(var)
    for column in by_mentee:
        problem += pulp.lpSum(column) <= 1
    for row in by_mentor:
        problem += pulp.lpSum(row) <= inst.capacity
    total = pulp.lpSum(x)
    problem += total >= inst.min_pairs
    problem += total <= inst.max_pairs
    build = time.perf_counter() - start
    problem.solve(pulp.PULP_CBC_CMD(msg=False, timeLimit=timeout))
    chosen = np.array([(var.varValue or 0.0) > 0.5 for var in x], dtype=bool)
    status = "optimal" if problem.sol_status == pulp.LpSolutionOptimal else "not proven"
    return Found(_arrays(mentors[chosen], mentees[chosen]), status, build)


@dataclass(frozen=True)
class Solver:
    """A solver, its label, and the modules it imports (loaded before the clock starts;
    a run without them is shown as not installed)."""

    label: str
    solve: Callable[[Instance, float], Found]
    modules: tuple[str, ...]


ORTOOLS_LSA = "ortools.graph.python.linear_sum_assignment"
SOLVERS: dict[str, Solver] = {
    "ours": Solver("mm.assign", solve_ours, ("mentormatch",)),
    "scipy": Solver("scipy LSA", solve_scipy, ("scipy.optimize",)),
    "lap": Solver("lap.lapjv", solve_lap, ("lap",)),
    "ortools": Solver("OR-Tools LSA", solve_ortools_lsa, (ORTOOLS_LSA,)),
    "networkx": Solver("networkx blossom", solve_networkx, ("networkx",)),
    "cpsat": Solver("CP-SAT", solve_cpsat, ("ortools.sat.python.cp_model",)),
    "highs": Solver("HiGHS milp", solve_highs, ("scipy.optimize", "scipy.sparse")),
    "cbc": Solver("PuLP/CBC", solve_cbc, ("pulp",)),
}


def missing(solver: str) -> str | None:
    """ "not installed: <module>" when a module the solver imports is missing, else None."""
    for module in SOLVERS[solver].modules:
        if importlib.util.find_spec(module.split(".")[0]) is None:
            return f"not installed: {module.split('.')[0]}"
    return None


def prepare(solver: str, kind: str, n: str, *, timeout: float) -> Prepared:
    """The harness's task: build the instance, import the solver's modules, and time
    the call from the scores to the pairs (for the peers, building their model too)."""
    draws = PLAIN_DRAWS if kind == "plain" else 1
    instances = [make_instance(kind, int(n), draw) for draw in range(draws)]
    for module in SOLVERS[solver].modules:
        importlib.import_module(module)  # timed after import, as the targets say
    solve = SOLVERS[solver].solve

    def report(found: list[Found]) -> dict[str, Any]:
        solved = list(zip(instances, found, strict=True))
        builds = [f.build for f in found if f.build is not None]
        return {
            "build": sum(builds) if builds else None,
            "status": found[0].status if len({f.status for f in found}) == 1 else "mixed",
            "objective": sum(float(i.scores[f.pairs].sum()) for i, f in solved),
            "known": instances[0].known,
            "pairs": sum(len(f.pairs[0]) for f in found),
            "tolerance": sum(len(f.pairs[0]) / f.scale for f in found if f.scale),
            "broken": next((b for i, f in solved if (b := check(i, f.pairs))), ""),
            "note": found[0].note,
        }

    return Prepared(run=lambda: [solve(inst, timeout) for inst in instances], report=report)
