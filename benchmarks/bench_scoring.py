"""Benchmark: score a synthetic n x n cohort against one numpy matrix product of the same size.

The reference is ``a @ b`` with ``a`` and ``b`` both n x n float64 (2 n^3 flops),
timed in the same run. Peak memory is the process's maximum resident set size
(``resource.getrusage``), which includes the reference's three n x n arrays.

Run:  python benchmarks/bench_scoring.py [--n 5000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time
from collections.abc import Callable

import numpy as np

from mentormatch.cohort import Cohort
from mentormatch.profiles import Profile
from mentormatch.scoring import score
from mentormatch.themes import catalogue

TARGET_RATIO = 5.0
TARGET_PEAK_GB = 2.0
LANGUAGES = ("nb", "nn", "sv", "da", "en", "fi")


def synthetic_cohort(n_mentors: int, n_mentees: int, seed: int = 0) -> Cohort:
    """A random cohort with every field filled for 90% of people, the rest missing."""
    rng = np.random.default_rng(seed)
    entries = [
        entry
        for key, theme in catalogue().items()
        for entry in (key, *(f"{key}/{sub}" for sub in theme.subtheme_keys))
    ]

    def person(index: int, role: str) -> Profile:
        known = rng.random(6) < 0.9
        prefix = "m" if role == "mentor" else "e"
        return Profile.model_construct(
            id=f"{prefix}{index:06d}",
            role=role,
            organisation=f"org{rng.integers(400)}",
            region=f"region{rng.integers(20)}",
            level=("municipality", "county")[int(rng.random() < 0.1)] if known[0] else None,
            years_in_role=float(rng.integers(0, 30)) if known[1] else None,
            population=int(rng.lognormal(9.5, 1.3)) if known[2] else None,
            themes=tuple(rng.choice(entries, size=rng.integers(0, 5), replace=False))
            if known[3]
            else (),
            languages=tuple(rng.choice(LANGUAGES, size=rng.integers(1, 3), replace=False))
            if known[4]
            else (),
            latitude=float(rng.uniform(55, 71)) if known[5] else None,
            longitude=float(rng.uniform(5, 24)) if known[5] else None,
            capacity=1,
            avoid=(),
            extra={},
        )

    people = [person(i, "mentor") for i in range(n_mentors)]
    people += [person(j, "mentee") for j in range(n_mentees)]
    return Cohort.model_construct(profiles=tuple(people))


def median_seconds(run: Callable[[], object], repeat: int) -> float:
    """Median wall time of ``repeat`` runs."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def peak_gb() -> float:
    """The process's peak resident memory so far, in GB (Linux reports kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print a table; exit 1 when a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=5000, help="mentors and mentees (default 5000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per timing (median)")
    args = parser.parse_args(argv)

    cohort = synthetic_cohort(args.n, args.n)
    score_s = median_seconds(lambda: score(cohort), args.repeat)
    score_peak = peak_gb()
    rng = np.random.default_rng(1)
    a, b = rng.random((args.n, args.n)), rng.random((args.n, args.n))
    matmul_s = median_seconds(lambda: a @ b, args.repeat)
    ratio = score_s / matmul_s

    print(f"scoring {args.n} mentors x {args.n} mentees, median of {args.repeat} runs")
    print(f"{'what':<34}{'seconds':>10}")
    print(f"{'score(cohort)':<34}{score_s:>10.2f}")
    print(f"{f'a @ b, {args.n}x{args.n} float64':<34}{matmul_s:>10.2f}")
    print(f"{'ratio (target <= 5)':<34}{ratio:>10.2f}")
    print(f"{'peak RSS after scoring, GB':<34}{score_peak:>10.2f}")
    print(f"{'peak RSS overall, GB (target < 2)':<34}{peak_gb():>10.2f}")
    return 0 if ratio <= TARGET_RATIO and score_peak < TARGET_PEAK_GB else 1


if __name__ == "__main__":
    raise SystemExit(main())
