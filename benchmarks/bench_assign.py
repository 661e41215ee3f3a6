"""Benchmark: ``mm.assign`` against scipy, lap, OR-Tools, CP-SAT, HiGHS and CBC, one table.

Three kinds of cases, all n mentors x n mentees with scores uniform in [0, 1):

- plain: dense assignment, n = 15, 100, 1000, 2000, 5000, against scipy's
  ``linear_sum_assignment(maximize=True)``, ``lap.lapjv`` (negated costs), OR-Tools'
  ``SimpleLinearSumAssignment`` (integer costs) and a plain CP-SAT model (n <= 100);
- constrained (the pilot's rules): capacity 2 per mentor, 5% of pairs forbidden at
  random, between 8 and 15 pairs, n = 200 and 2000, against the same model in CP-SAT,
  HiGHS (``scipy.optimize.milp``) and PuLP/CBC;
- pilot size: the constrained case at 100 x 100, ours only (target < 0.2 s, optimal).

Every run (ours included) is a fresh process that generates its instance from a
fixed seed, then times only the call that goes from the score matrix to the pairs:
for the peers this includes building their model (shown as "build" in the notes),
as ``mm.assign`` builds its own. A run is killed (with its children, e.g. CBC) once
it passes ``--timeout`` seconds and shown as "timeout >Ns"; a solver that stops on
its own time limit without proving optimality counts as a timeout too. Each worker
may use at most ``--memory-gb`` of address space. A case's timings are the median of
``--repeat`` runs; a method stops at its first failed run. Objectives are recomputed
in floats from the pairs and compared with ours; integer-cost peers (OR-Tools LSA,
CP-SAT) are allowed ``pairs / S``, S being their cost scale. "ours/peer" is the
ratio of median times (below 1: ours is faster).

Run:  .venv/bin/python benchmarks/bench_assign.py [--quick] [--repeat 3] [--timeout 120]
      [--sizes 15,100,1000,2000,5000] [--constrained-sizes 200,2000] [--memory-gb 12]

Exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import os
import platform
import queue
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import IO, Any

import numpy as np
from numpy.typing import NDArray

SEED = 20240601
FORBIDDEN_SHARE = 0.05
PILOT = {"capacity": 2, "min_pairs": 8, "max_pairs": 15}
PILOT_N = 100
CPSAT_RESOLUTION = 1e-6
"""CP-SAT costs are round(score / CPSAT_RESOLUTION) (scores are below 1)."""
LSA_COST_BUDGET = 1e18
"""OR-Tools LSA costs are round(-score x S), S = LSA_COST_BUDGET / (n + 1)^2."""
CPSAT_PLAIN_MAX_N = 100
SETUP_LIMIT = 600.0
"""Seconds a worker may take to import and generate its instance before it is killed."""
TARGET_PLAIN_RATIO = 1.3
TARGET_SPEEDUP = 20.0
TARGET_PILOT_SECONDS = 0.2
TARGET_N = 2000

Pairs = tuple[NDArray[np.int64], NDArray[np.int64]]


# ---------------------------------------------------------------------------- instances


@dataclass(frozen=True)
class Instance:
    """n mentors x n mentees; ``forbidden`` is None for plain cases."""

    kind: str
    n: int
    scores: NDArray[np.float64]
    forbidden: NDArray[np.bool_] | None
    capacity: int
    min_pairs: int
    max_pairs: int

    @property
    def allowed(self) -> NDArray[np.bool_]:
        if self.forbidden is None:
            return np.ones(self.scores.shape, dtype=bool)
        return ~self.forbidden


def make_instance(kind: str, n: int) -> Instance:
    """The instance of a case, the same in every process."""
    rng = np.random.default_rng([SEED, n, 0 if kind == "plain" else 1])
    scores = rng.random((n, n))
    if kind == "plain":
        return Instance(kind, n, scores, None, 1, 0, n)
    forbidden = rng.random((n, n)) < FORBIDDEN_SHARE
    return Instance(kind, n, scores, forbidden, **PILOT)


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

    if inst.kind == "plain":
        result = mm.assign(inst.scores)
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


def lsa_scale(n: int) -> float:
    """OR-Tools LSA refuses costs once max|cost| x (n + 1)^2 passes about 2.5e18."""
    return LSA_COST_BUDGET / (n + 1) ** 2


def solve_ortools_lsa(inst: Instance, timeout: float) -> Found:
    from ortools.graph.python import linear_sum_assignment

    start = time.perf_counter()
    n, scale = inst.n, lsa_scale(inst.n)
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
    if inst.kind != "plain":
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
    x = [pulp.LpVariable(f"x{k}", cat="Binary") for k in range(len(mentors))]
    problem = pulp.LpProblem("pairs", pulp.LpMaximize)
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
class Method:
    """A solver, the modules it imports (loaded before the clock starts) and where it runs."""

    label: str
    solve: Callable[[Instance, float], Found]
    modules: tuple[str, ...]
    kinds: tuple[str, ...]
    max_plain_n: int | None = None


ORTOOLS_LSA = "ortools.graph.python.linear_sum_assignment"
METHODS: dict[str, Method] = {
    "ours": Method("mm.assign", solve_ours, ("mentormatch",), ("plain", "constrained")),
    "scipy": Method("scipy LSA", solve_scipy, ("scipy.optimize",), ("plain",)),
    "lap": Method("lap.lapjv", solve_lap, ("lap",), ("plain",)),
    "ortools": Method("OR-Tools LSA", solve_ortools_lsa, (ORTOOLS_LSA,), ("plain",)),
    "cpsat": Method(
        "CP-SAT",
        solve_cpsat,
        ("ortools.sat.python.cp_model",),
        ("plain", "constrained"),
        CPSAT_PLAIN_MAX_N,
    ),
    "highs": Method(
        "HiGHS milp", solve_highs, ("scipy.optimize", "scipy.sparse"), ("constrained",)
    ),
    "cbc": Method("PuLP/CBC", solve_cbc, ("pulp",), ("constrained",)),
}
MIP_PEERS = ("highs", "cbc")


# ---------------------------------------------------------------------------- worker


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


def worker(method: str, kind: str, n: int, timeout: float, memory_gb: float) -> None:
    """Generate the instance, say "ready", time one solve, print the result as JSON."""
    limit = int(memory_gb * 2**30)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    inst = make_instance(kind, n)
    for module in METHODS[method].modules:
        importlib.import_module(module)  # timed after import, as the targets say
    solve = METHODS[method].solve
    print("ready", flush=True)
    start = time.perf_counter()
    found = solve(inst, timeout)
    seconds = time.perf_counter() - start
    rows, cols = found.pairs
    report = {
        "seconds": seconds,
        "build": found.build,
        "status": found.status,
        "objective": float(inst.scores[rows, cols].sum()),
        "pairs": len(rows),
        "tolerance": len(rows) / found.scale if found.scale else 0.0,
        "broken": check(inst, found.pairs),
        "note": found.note,
    }
    print(json.dumps(report), flush=True)


# ---------------------------------------------------------------------------- runner


@dataclass
class Outcome:
    """The runs of one method on one case."""

    seconds: list[float] = field(default_factory=list)
    builds: list[float] = field(default_factory=list)
    report: dict[str, Any] = field(default_factory=dict)
    failure: str = ""
    timed_out: bool = False

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


def _pump(stream: IO[str], lines: queue.Queue[str | None]) -> None:
    for line in stream:
        lines.put(line)
    lines.put(None)


def _kill(process: subprocess.Popen[str]) -> None:
    """Kill the worker and everything it started (its own process group)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def _next_line(lines: queue.Queue[str | None], seconds: float) -> str | None:
    """The worker's next line; None at its end; raises queue.Empty after ``seconds``."""
    return lines.get(timeout=seconds)


def _last_words(path: Path) -> str:
    text = path.read_text(errors="replace").strip().splitlines()
    return text[-1][:80] if text else ""


def run_once(
    method: str, kind: str, n: int, timeout: float, memory_gb: float
) -> dict[str, Any] | str:
    """One run in a fresh process: its JSON report, or why it failed ("timeout", ...)."""
    with tempfile.TemporaryDirectory(prefix="bench_assign_") as scratch:
        env = {**os.environ, "TMPDIR": scratch, "TMP": scratch}
        errors = Path(scratch) / "stderr.txt"
        command = [sys.executable, __file__, "--worker", method, kind, str(n)]
        command += ["--timeout", str(timeout), "--memory-gb", str(memory_gb)]
        with errors.open("w") as stderr:
            process = subprocess.Popen(
                command,
                stdout=subprocess.PIPE,
                stderr=stderr,
                text=True,
                env=env,
                start_new_session=True,  # its own process group, so a kill reaches CBC too
            )
            assert process.stdout is not None
            lines: queue.Queue[str | None] = queue.Queue()
            threading.Thread(target=_pump, args=(process.stdout, lines), daemon=True).start()
            ready: str | None = None
            try:
                ready = _next_line(lines, SETUP_LIMIT)
                line = _next_line(lines, timeout + 1.0) if ready == "ready\n" else None
            except queue.Empty:
                _kill(process)
                return "timeout" if ready == "ready\n" else f"setup took > {SETUP_LIMIT:g} s"
            _kill(process)
        if line is None:
            return f"failed (exit {process.returncode}: {_last_words(errors)})"
        report: dict[str, Any] = json.loads(line)
        return report


def run_method(
    method: str, kind: str, n: int, repeat: int, timeout: float, memory_gb: float
) -> Outcome:
    """``repeat`` runs, stopping at the first failure."""
    outcome = Outcome()
    for _ in range(repeat):
        report = run_once(method, kind, n, timeout, memory_gb)
        if isinstance(report, str):
            outcome.failure, outcome.timed_out = report, report == "timeout"
            break
        if report["status"] != "optimal" and report["seconds"] >= timeout * 0.98:
            outcome.failure, outcome.timed_out = "timeout", True
            break
        outcome.seconds.append(report["seconds"])
        if report["build"] is not None:
            outcome.builds.append(report["build"])
        outcome.report = report
    return outcome


# ---------------------------------------------------------------------------- table

COLUMNS = f"{'case':<22}{'solver':<14}{'median s':>11}{'ours/peer':>11}  {'check':<10}notes"


def _seconds(value: float) -> str:
    if value < 1e-3:
        return f"{value:.6f}"
    return f"{value:.4f}" if value < 10 else f"{value:.1f}"


def _time_cell(outcome: Outcome, timeout: float) -> str:
    if outcome.timed_out:
        return f"timeout >{timeout:g}s"
    if outcome.failure:
        return "failed"
    return _seconds(outcome.median)


def _ratio_cell(ours: Outcome, peer: Outcome, timeout: float) -> str:
    if ours.failure or (peer.failure and not peer.timed_out):
        return "—"
    if peer.timed_out:
        return f"<{ours.median / timeout:.2g}"
    return f"{ours.median / peer.median:.3g}"


def _check_cell(ours: Outcome, peer: Outcome) -> str:
    if peer.failure:
        return ""
    if peer.report["broken"]:
        return "INVALID"
    if peer is ours or ours.failure:
        return "ok"
    gap = peer.report["objective"] - ours.report["objective"]
    allowed = (
        peer.report["tolerance"]
        + ours.report["tolerance"]
        + 1e-9 * max(1.0, abs(ours.report["objective"]))
    )
    return "ok" if abs(gap) <= allowed else f"MISMATCH {gap:+.2e}"


def _notes(outcome: Outcome, is_ours: bool) -> str:
    if outcome.failure and not outcome.timed_out:
        return outcome.failure
    if outcome.timed_out:
        return ""
    report = outcome.report
    parts = [report["status"]] if is_ours or report["status"] != "optimal" else []
    if is_ours:
        parts.append(f"objective {report['objective']:.6f}, {report['pairs']} pairs")
    if outcome.builds:
        parts.append(f"build {_seconds(statistics.median(outcome.builds))} s")
    if report["note"]:
        parts.append(report["note"])
    if report["broken"]:
        parts.append(report["broken"])
    return ", ".join(parts)


def print_row(case: str, name: str, ours: Outcome, peer: Outcome | None, timeout: float) -> None:
    """One table row; ``peer`` None means the method was skipped for this case."""
    label = METHODS[name].label
    if peer is None:
        print(f"{case:<22}{label:<14}{'—':>11}{'—':>11}  {'':<10}skipped", flush=True)
        return
    time_cell = _time_cell(peer, timeout)
    ratio = "" if peer is ours else _ratio_cell(ours, peer, timeout)
    check_cell = _check_cell(ours, peer)
    notes = _notes(peer, peer is ours)
    print(f"{case:<22}{label:<14}{time_cell:>11}{ratio:>11}  {check_cell:<10}{notes}", flush=True)


# ---------------------------------------------------------------------------- header and targets


def _package(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _memory_gb() -> float:
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30


def print_header(args: argparse.Namespace) -> None:
    usable = len(os.sched_getaffinity(0))
    print(f"machine: {_cpu_model()}, {os.cpu_count()} cores ({usable} usable), ", end="")
    print(f"{_memory_gb():.1f} GB RAM, {platform.system()} {platform.release()}")
    names = ("mentormatch", "numpy", "scipy", "ortools", "lap", "PuLP", "highspy")
    print(f"python {platform.python_version()}; " + ", ".join(f"{p} {_package(p)}" for p in names))
    print("HiGHS: the one bundled with scipy (scipy.optimize.milp); CBC: the one bundled with PuLP")
    print(
        f"median of {args.repeat} runs, each in a fresh process killed after {args.timeout:g} s, "
        f"<= {args.memory_gb:g} GB address space; times exclude import and instance generation"
    )
    print(
        f"OR-Tools LSA costs round(-score x S), S = {LSA_COST_BUDGET:.0e}/(n+1)^2; "
        f"CP-SAT costs round(score / {CPSAT_RESOLUTION:g}); "
        f"constrained: capacity {PILOT['capacity']}, {FORBIDDEN_SHARE:.0%} forbidden, "
        f"{PILOT['min_pairs']}-{PILOT['max_pairs']} pairs"
    )
    print()
    print(COLUMNS)
    print("-" * len(COLUMNS.expandtabs()) + "-" * 30)


def _verdict(ok: bool | None) -> str:
    return "not run" if ok is None else ("PASS" if ok else "FAIL")


def print_targets(results: dict[tuple[str, int], dict[str, Outcome]], timeout: float) -> bool:
    """Print the targets with PASS/FAIL; True when none failed."""
    print()
    print("targets")
    verdicts: list[bool | None] = []

    plain = results.get(("plain", TARGET_N))
    ok: bool | None = None
    text = "not run"
    if plain and not plain["ours"].failure and not plain["scipy"].failure:
        ratio = plain["ours"].median / plain["scipy"].median
        ok, text = ratio <= TARGET_PLAIN_RATIO, f"ours/scipy = {ratio:.2f}"
    verdicts.append(ok)
    print(f"  plain n={TARGET_N} within {TARGET_PLAIN_RATIO}x of scipy: {text}  {_verdict(ok)}")

    constrained = results.get(("constrained", TARGET_N))
    ok, text = None, "not run"
    if constrained and not constrained["ours"].failure:
        ours = constrained["ours"]
        peers = [constrained[m] for m in MIP_PEERS if m in constrained]
        best = min(timeout if p.failure else p.median for p in peers)
        speedup = best / ours.median
        sign = ">=" if all(p.failure for p in peers) else "="
        proven = ours.report["status"] == "optimal"
        ok = proven and speedup >= TARGET_SPEEDUP
        text = f"status {ours.report['status']}, best of HiGHS/CBC / ours {sign} {speedup:.0f}x"
    verdicts.append(ok)
    print(
        f"  constrained n={TARGET_N} optimal and >= {TARGET_SPEEDUP:g}x faster than HiGHS/CBC: "
        f"{text}  {_verdict(ok)}"
    )

    pilot = results.get(("pilot", PILOT_N))
    ok, text = None, "not run"
    if pilot and not pilot["ours"].failure:
        ours = pilot["ours"]
        ok = ours.report["status"] == "optimal" and ours.median < TARGET_PILOT_SECONDS
        text = f"{ours.median:.4f} s, status {ours.report['status']}"
    verdicts.append(ok)
    print(
        f"  pilot size {PILOT_N}x{PILOT_N} proven optimal in < {TARGET_PILOT_SECONDS} s: "
        f"{text}  {_verdict(ok)}"
    )
    return all(v is not False for v in verdicts)


# ---------------------------------------------------------------------------- main


def cases(args: argparse.Namespace) -> list[tuple[str, int]]:
    """(kind, n) in the order they are run; "pilot" is the constrained kind, ours only."""
    plain = [("plain", n) for n in args.sizes]
    constrained = [("constrained", n) for n in args.constrained_sizes]
    return [*plain, *constrained, ("pilot", PILOT_N)]


def run_case(kind: str, n: int, args: argparse.Namespace) -> dict[str, Outcome]:
    """Run ours, then every peer that applies, printing a row each."""
    case = f"{kind} n={n}"
    solver_kind = "constrained" if kind == "pilot" else kind
    names = ["ours"] if kind == "pilot" else [m for m, v in METHODS.items() if kind in v.kinds]
    outcomes: dict[str, Outcome] = {}
    for name in names:
        cap = METHODS[name].max_plain_n
        if kind == "plain" and cap is not None and n > cap:
            print_row(case, name, outcomes["ours"], None, args.timeout)
            continue
        outcome = run_method(name, solver_kind, n, args.repeat, args.timeout, args.memory_gb)
        outcomes[name] = outcome
        print_row(case, name, outcomes["ours"], outcome, args.timeout)
    return outcomes


def _sizes(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part.strip()]


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", type=_sizes, help="plain n (default 15,100,1000,2000,5000)")
    parser.add_argument("--constrained-sizes", type=_sizes, help="constrained n (default 200,2000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per timing (median)")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per peer run")
    parser.add_argument("--memory-gb", type=float, default=12.0, help="address space per run")
    parser.add_argument("--quick", action="store_true", help="small sizes, 1 run, <= 30 s")
    parser.add_argument("--worker", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    quick = args.quick
    if args.sizes is None:
        args.sizes = [15, 100, 500] if quick else [15, 100, 1000, 2000, 5000]
    if args.constrained_sizes is None:
        args.constrained_sizes = [50, 200] if quick else [200, 2000]
    if quick:
        args.repeat, args.timeout = 1, min(args.timeout, 30.0)
    return args


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the table; exit 1 when a target is missed."""
    args = parse(argv)
    if args.worker:
        method, kind, n = args.worker
        worker(method, kind, int(n), args.timeout, args.memory_gb)
        return 0
    print_header(args)
    results = {(kind, n): run_case(kind, n, args) for kind, n in cases(args)}
    return 0 if print_targets(results, args.timeout) else 1


if __name__ == "__main__":
    raise SystemExit(main())
