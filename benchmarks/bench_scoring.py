"""Benchmark: score a synthetic n x n cohort against one matrix product of its feature matrices.

Peers, timed in the same run (medians):

- ``score(cohort)``: the whole pinned call (featurize, every criterion, the float64 matrix);
- the reference: one float64 product of the mentors' and mentees' feature matrices
  (n x ~40 @ ~40 x n, NaN as 0), the size of work scoring is measured against;
- the old reference, an n x n @ n x n float64 product (2 n^3 flops), kept for comparison;
- the reference again with BLAS on one thread, against ``PairScorer`` on one thread;
- ``PairScorer``: ``matrix`` on one thread and on all, and the throughput of ``block``
  (slices and random index sets) and ``pairs`` (random pairs), in million pairs per second.

Peak memory is the process's maximum resident set size (``resource.getrusage``),
read right after scoring (the products run later), next to the size before it.

Run:  python benchmarks/bench_scoring.py [--n 5000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import time
from collections.abc import Callable
from typing import Literal

import numpy as np
from threadpoolctl import threadpool_limits

from mentormatch.cohort import Cohort
from mentormatch.profiles import Profile
from mentormatch.scoring import PairScorer, score
from mentormatch.themes import catalogue

TARGET_RATIO = 10.0
TARGET_PEAK_GB = 1.5
LANGUAGES = ("nb", "nn", "sv", "da", "en", "fi")


def synthetic_cohort(n_mentors: int, n_mentees: int, seed: int = 0) -> Cohort:
    """A random cohort with every field filled for 90% of people, the rest missing."""
    rng = np.random.default_rng(seed)
    entries = [
        entry
        for key, theme in catalogue().items()
        for entry in (key, *(f"{key}/{sub}" for sub in theme.subtheme_keys))
    ]

    def person(index: int, role: Literal["mentor", "mentee"]) -> Profile:
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


def block_rate(scorer: PairScorer, repeat: int, seed: int = 0) -> dict[str, float]:
    """Million pairs per second of ``block`` and ``pairs`` on a few fixed workloads."""
    rng = np.random.default_rng(seed)
    n, m = len(scorer.mentors), len(scorer.mentees)
    rows, cols = rng.choice(n, 1000, replace=False), rng.choice(m, 1000, replace=False)
    i, j = rng.integers(0, n, 1_000_000), rng.integers(0, m, 1_000_000)
    strip = min(n, 256)
    cases: dict[str, tuple[Callable[[], object], int]] = {
        f"block, slices {strip} x {m}": (
            lambda: scorer.block(slice(0, strip), slice(None)),
            strip * m,
        ),
        "block, 1000 x 1000 random index sets": (lambda: scorer.block(rows, cols), 10**6),
        "pairs, 1,000,000 random pairs": (lambda: scorer.pairs(i, j), 10**6),
        "criterion_pairs('themes'), 1,000,000": (
            lambda: scorer.criterion_pairs("themes", i, j),
            10**6,
        ),
    }
    return {name: cells / median_seconds(run, repeat) / 1e6 for name, (run, cells) in cases.items()}


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print a table; exit 1 when a target is missed."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--n", type=int, default=5000, help="mentors and mentees (default 5000)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per timing (median)")
    args = parser.parse_args(argv)
    n = args.n

    cohort = synthetic_cohort(n, n)
    before_gb = peak_gb()
    score_s = median_seconds(lambda: score(cohort), args.repeat)
    score_peak = peak_gb()

    scorer = PairScorer.of(cohort)
    of_s = median_seconds(lambda: PairScorer.of(cohort), args.repeat)
    one_thread_s = median_seconds(lambda: scorer.matrix(n_jobs=1), args.repeat)
    threads_s = median_seconds(scorer.matrix, args.repeat)
    a = np.nan_to_num(scorer.mentors.features)
    b = np.nan_to_num(scorer.mentees.features)
    features_s = median_seconds(lambda: a @ b.T, args.repeat)
    with threadpool_limits(limits=1, user_api="blas"):
        features_one_s = median_seconds(lambda: a @ b.T, args.repeat)
    rates = block_rate(scorer, args.repeat)
    rng = np.random.default_rng(1)
    big_a, big_b = rng.random((n, n)), rng.random((n, n))
    cube_s = median_seconds(lambda: big_a @ big_b, max(1, args.repeat // 2))

    k = a.shape[1]
    ratio = score_s / features_s
    rows = [
        ("score(cohort)", score_s, ""),
        ("  PairScorer.of (featurize, terms)", of_s, ""),
        ("  PairScorer.matrix, 1 thread", one_thread_s, ""),
        (f"  PairScorer.matrix, {os.cpu_count()} threads", threads_s, ""),
        (f"features @ features.T, {n}x{k} @ {k}x{n} f64", features_s, "reference"),
        ("  the same on 1 BLAS thread", features_one_s, ""),
        (f"old reference: {n}x{n} @ {n}x{n} f64", cube_s, "(2 n^3 flops)"),
    ]
    print(f"scoring {n} mentors x {n} mentees, median of {args.repeat} runs, {os.cpu_count()} CPUs")
    print(f"{'what':<46}{'seconds':>9}{'ratio':>8}  note")
    for what, seconds, note in rows:
        print(f"{what:<46}{seconds:>9.3f}{seconds / features_s:>8.2f}  {note}")
    print(f"{'score / feature product (target <= 10)':<46}{ratio:>17.2f}")
    single = (of_s + one_thread_s) / features_one_s
    print(f"{'1 thread: (of + matrix) / feature product':<46}{single:>17.2f}")
    print(f"{'score / old n^3 product':<46}{score_s / cube_s:>17.2f}")
    print(f"{'peak RSS before scoring, GB':<46}{before_gb:>17.2f}")
    print(f"{'peak RSS after scoring, GB (target < 1.5)':<46}{score_peak:>17.2f}")
    print(f"{'peak RSS overall, GB':<46}{peak_gb():>17.2f}")
    print(f"{'throughput':<46}{'M pairs/s':>17}")
    for name, rate in rates.items():
        print(f"{'  ' + name:<46}{rate:>17.1f}")
    met = ratio <= TARGET_RATIO and score_peak < TARGET_PEAK_GB
    print("targets:", "PASS" if met else "FAIL")
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
