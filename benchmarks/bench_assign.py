"""Benchmark: ``mm.assign`` against scipy, lap, OR-Tools, CP-SAT, HiGHS and CBC, with targets.

Three kinds of cases, all n mentors x n mentees with scores uniform in [0, 1)
(instances and solvers in ``assign_peers.py``):

- plain: dense assignment, n = 15, 100, 1000, 2000, 5000, against scipy's
  ``linear_sum_assignment(maximize=True)``, ``lap.lapjv`` (negated costs), OR-Tools'
  ``SimpleLinearSumAssignment`` (integer costs) and a plain CP-SAT model (n <= 100);
- constrained (the pilot's rules): capacity 2 per mentor, 5% of pairs forbidden at
  random, between 8 and 15 pairs, n = 200 and 2000, against the same model in CP-SAT,
  HiGHS (``scipy.optimize.milp``) and PuLP/CBC;
- pilot size: the constrained case at 100 x 100, ours only (target < 0.2 s, optimal).

Every run (ours included) is a fresh process (``harness.py``) that builds its
instance from a fixed seed, then times only the call that goes from the score matrix
to the pairs: for the peers this includes building their model (shown as "build" in
the notes), as ``mm.assign`` builds its own. A run is killed (with its children, e.g.
CBC) once it passes ``--timeout`` seconds and shown as "timeout >Ns"; a solver that
stops on its own time limit without proving optimality counts as a timeout too. Each
worker may use at most ``--memory-gb`` of address space. A case's timings are the
median of ``--repeat`` runs; a method stops at its first failed run. Objectives are
recomputed in floats from the pairs and compared with ours; integer-cost peers
(OR-Tools LSA, CP-SAT) are allowed ``pairs / S``, S being their cost scale. "ratio"
is a row's median time over the fastest other solver's in the case (below 1: faster
than every other).

``benchmarks/run.py`` runs the same solvers among all the cases; this script keeps
the exact solver's targets.

Run:  .venv/bin/python benchmarks/bench_assign.py [--quick] [--repeat 3] [--timeout 120]
      [--sizes 15,100,1000,2000,5000] [--constrained-sizes 200,2000] [--memory-gb 12]

Exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse

from assign_peers import FORBIDDEN_SHARE, LSA_COST_BUDGET, PILOT, SOLVERS, missing
from harness import Outcome, Task, cells, machine, markdown_row, markdown_table, run_repeats

PILOT_N = 100
CPSAT_PLAIN_MAX_N = 100
TARGET_PLAIN_RATIO = 1.3
TARGET_SPEEDUP = 20.0
TARGET_PILOT_SECONDS = 0.2
TARGET_N = 2000
MIP_PEERS = ("highs", "cbc")
METHODS = {
    "plain": ("ours", "scipy", "lap", "ortools", "cpsat"),
    "constrained": ("ours", "cpsat", "highs", "cbc"),
    "pilot": ("ours",),
}
HEADER = ["case", "solver", "median s", "ratio", "peak MiB", "check", "notes"]


def print_header(args: argparse.Namespace) -> None:
    for line in machine():
        print(line)
    print(
        f"median of {args.repeat} runs, each in a fresh process killed after {args.timeout:g} s, "
        f"<= {args.memory_gb:g} GB address space; times exclude import and instance generation"
    )
    print(
        f"OR-Tools LSA costs round(-score x S), S = {LSA_COST_BUDGET:.0e}/(n+1)^2; "
        f"CP-SAT costs round(score / 1e-6); constrained: capacity {PILOT['capacity']}, "
        f"{FORBIDDEN_SHARE:.0%} forbidden, {PILOT['min_pairs']}-{PILOT['max_pairs']} pairs"
    )
    print()
    print(markdown_table(HEADER, [], align="llrrr"))


def run_case(kind: str, n: int, args: argparse.Namespace) -> dict[str, Outcome]:
    """Run ours, then every peer that applies, and print the case's rows."""
    solver_kind = "constrained" if kind == "pilot" else kind
    outcomes: dict[str, Outcome] = {}
    for name in METHODS[kind]:
        skipped = missing(name)
        if name == "cpsat" and kind == "plain" and n > CPSAT_PLAIN_MAX_N:
            skipped = f"skipped above n = {CPSAT_PLAIN_MAX_N}"
        if skipped:
            outcomes[name] = Outcome(skipped=skipped)
            continue
        task = Task("assign_peers", "prepare", (name, solver_kind, str(n)))
        outcomes[name] = run_repeats(task, args.repeat, args.timeout, args.memory_gb)
    table = cells(outcomes, args.timeout)
    for name, row in table.items():
        label = [f"{kind} n={n}", SOLVERS[name].label]
        print(markdown_row([*label, *(row[c] for c in HEADER[2:])]), flush=True)
    return outcomes


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
    if plain and plain["ours"].ran and plain["scipy"].ran:
        ratio = plain["ours"].median / plain["scipy"].median
        ok, text = ratio <= TARGET_PLAIN_RATIO, f"ours/scipy = {ratio:.2f}"
    verdicts.append(ok)
    print(f"  plain n={TARGET_N} within {TARGET_PLAIN_RATIO}x of scipy: {text}  {_verdict(ok)}")

    constrained = results.get(("constrained", TARGET_N))
    ok, text = None, "not run"
    if constrained and constrained["ours"].ran:
        ours = constrained["ours"]
        peers = [constrained[m] for m in MIP_PEERS if not constrained[m].skipped]
        best = min((p.median if p.ran else timeout for p in peers), default=None)
        if best is not None:
            speedup = best / ours.median
            sign = "=" if any(p.ran for p in peers) else ">="
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
    if pilot and pilot["ours"].ran:
        ours = pilot["ours"]
        ok = ours.report["status"] == "optimal" and ours.median < TARGET_PILOT_SECONDS
        text = f"{ours.median:.4f} s, status {ours.report['status']}"
    verdicts.append(ok)
    print(
        f"  pilot size {PILOT_N}x{PILOT_N} proven optimal in < {TARGET_PILOT_SECONDS} s: "
        f"{text}  {_verdict(ok)}"
    )
    return all(v is not False for v in verdicts)


def cases(args: argparse.Namespace) -> list[tuple[str, int]]:
    """(kind, n) in the order they are run; "pilot" is the constrained kind, ours only."""
    plain = [("plain", n) for n in args.sizes]
    constrained = [("constrained", n) for n in args.constrained_sizes]
    return [*plain, *constrained, ("pilot", PILOT_N)]


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
    print_header(args)
    results = {(kind, n): run_case(kind, n, args) for kind, n in cases(args)}
    return 0 if print_targets(results, args.timeout) else 1


if __name__ == "__main__":
    raise SystemExit(main())
