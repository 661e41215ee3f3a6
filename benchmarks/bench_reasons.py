"""Benchmark: where ``mm.match`` spends its time, reasons and the pairs table included.

Builds a random 2,000 x 3,000 cohort (``bench_scoring.synthetic_cohort``: every field
filled for 90% of people) and runs ``mm.match`` under the pilot's rules plus
``RegionQuota(max=3)`` and ``MaxDistance(km=500, skip_missing=True)``, so that about
4,970 people are left out and each needs a reason. Each phase is timed on its own in
the same run: scoring, compiling the rules, solving, and writing the reasons and the
pairs table (``mentormatch.matching._result``: every reason in both voices, the
explanations and the tables); then ``mm.match`` end to end. The ratio column compares
each phase with scoring, the pipeline's first step. Target: the reasons and the pairs
table take at most a quarter of ``mm.match`` (exit status 1 otherwise); before they were
surveyed in bulk they took about half of it (3.4-4.0 s of 6.6-7.1 s, see the README).

Run:  python benchmarks/bench_reasons.py [--mentors 2000] [--mentees 3000] [--repeat 3]
"""

from __future__ import annotations

import argparse

import mentormatch as mm
from bench_scoring import median_seconds, synthetic_cohort
from mentormatch.assignment import solve
from mentormatch.explain import Outcome
from mentormatch.matching import _result
from mentormatch.rules import compile_rules

TARGET_SHARE = 0.25


def main() -> None:
    """Time the phases and print one table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentors", type=int, default=2000)
    parser.add_argument("--mentees", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    cohort = synthetic_cohort(args.mentors, args.mentees, seed=1)
    rules = [
        *mm.pilot_rules(),
        mm.RegionQuota(max=3),
        mm.MaxDistance(km=500, skip_missing=True),
    ]
    scores = mm.score(cohort)
    problem = compile_rules(cohort, rules, scores.matrix)
    assignment = solve(problem)
    result = mm.match(cohort, rules=rules)

    def reasons() -> object:
        outcome = Outcome(problem, assignment.pairs, scores.reason)
        return _result(cohort, scores, rules, assignment, outcome)

    phases = {
        "score": median_seconds(lambda: mm.score(cohort), args.repeat),
        "compile rules": median_seconds(
            lambda: compile_rules(cohort, rules, scores.matrix), args.repeat
        ),
        "solve": median_seconds(lambda: solve(problem), args.repeat),
        "reasons and pairs table": median_seconds(reasons, args.repeat),
        "mm.match, end to end": median_seconds(lambda: mm.match(cohort, rules=rules), args.repeat),
    }
    print(
        f"{args.mentors} mentors x {args.mentees} mentees; {len(result.pairs)} pairs, "
        f"{len(result.unmatched)} unmatched; medians of {args.repeat}"
    )
    print(f"| {'phase':<26} | {'seconds':>8} | {'x score':>8} |")
    print(f"| {'-' * 26} | {'-' * 8}:| {'-' * 8}:|")
    for name, seconds in phases.items():
        print(f"| {name:<26} | {seconds:8.3f} | {seconds / phases['score']:8.2f} |")
    share = phases["reasons and pairs table"] / phases["mm.match, end to end"]
    verdict = "PASS" if share <= TARGET_SHARE else "FAIL"
    print(f"\n{verdict}: reasons and pairs table {share:.0%} of mm.match (target <= 25%)")
    if verdict == "FAIL":
        raise SystemExit(1)


if __name__ == "__main__":
    main()
