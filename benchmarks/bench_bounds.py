"""Benchmark: upper bounds on groups of mentors against scoring, and what a scan could skip.

On ``mm.synthetic_cohort(mentors, mentees, seed=0)`` (default 20,000 x 20,000):

- **speed**: ``PairScorer.upper_bounds`` for every group x a block of 1,000 mentees,
  against its peer ``PairScorer.block`` of every mentor x the same mentees (both on
  one BLAS thread, medians), per group size: nanoseconds per (group, mentee)
  bound, per mentor-mentee pair the bounds cover, and the ratio of the two times;
- **tightness**: every mentee's best score (every pair scored, block by block);
  then, per group size, the share of groups whose bound lies below the mentee's
  best minus 0.05, 0.1 and 0.2 (what a scan could skip), averaged over mentees.
  Next to it the same share for the groups' true maxima (what exact bounds on
  these groups would skip), for random groups of the same size through the same
  bounds (the peer grouping), and per single mentor (the most any grouping can).

Run:  python benchmarks/bench_bounds.py [--mentors 20000] [--mentees 20000]
      [--sizes 8 16 32 64 128] [--repeat 3]
Target: at the default group size, bounds cost under a tenth of scoring the block.
"""

from __future__ import annotations

import argparse
import os
import time
import warnings

import numpy as np
from numpy.typing import NDArray

import mentormatch as mm
from bench_scoring import median_seconds  # a script: its folder is on the path
from mentormatch.scoring import MentorGroups, PairScorer
from mentormatch.scoring._scorer import GROUP_SIZE

BELOW = (0.05, 0.1, 0.2)
"""How far below a mentee's best a group's bound must lie to be skipped."""
TIMED_MENTEES = 1000
TARGET_RATIO = 0.1
SCAN_BLOCK = 500
"""Mentees scored at a time when measuring tightness."""


def skipped(bounds: NDArray[np.float32], best: NDArray[np.float32]) -> NDArray[np.float64]:
    """Per threshold of :data:`BELOW`, how many (group, mentee) bounds lie that far below best."""
    return np.array([(bounds < best[None, :] - below).sum() for below in BELOW], dtype=float)


def tightness(
    scorer: PairScorer, groupings: dict[str, MentorGroups]
) -> tuple[dict[str, NDArray[np.float64]], NDArray[np.float64]]:
    """Per grouping, the skippable shares through the bounds and through the true maxima;
    and per single mentor. Every pair is scored once, block of mentees by block."""
    counts = {name: np.zeros(len(BELOW)) for name in groupings}
    exact = {f"{name}, true maxima": np.zeros(len(BELOW)) for name in groupings}
    single = np.zeros(len(BELOW))
    n = len(scorer.mentees)
    for start in range(0, n, SCAN_BLOCK):
        cols = np.arange(start, min(n, start + SCAN_BLOCK))
        scores = scorer.block(slice(None), cols)
        best = scores.max(axis=0)
        single += skipped(scores, best)
        for name, groups in groupings.items():
            counts[name] += skipped(scorer.upper_bounds(groups, cols), best)
            maxima = np.maximum.reduceat(scores[groups.members], groups.starts[:-1], axis=0)
            exact[f"{name}, true maxima"] += skipped(maxima, best)
    shares = {name: counts[name] / (len(groupings[name]) * n) for name in groupings}
    shares |= {name: exact[name] / (len(groupings[name.split(",")[0]]) * n) for name in exact}
    return shares, single / (len(scorer.mentors) * n)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its tables; exit 1 when the target is missed."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--mentors", type=int, default=20000)
    parser.add_argument("--mentees", type=int, default=20000)
    parser.add_argument("--sizes", type=int, nargs="+", default=[8, 16, GROUP_SIZE, 64, 128])
    parser.add_argument("--repeat", type=int, default=3, help="runs per timing (median)")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    with warnings.catch_warnings():  # organisations taken as one employer: not our concern here
        warnings.simplefilter("ignore", mm.CohortWarning)
        cohort = mm.synthetic_cohort(args.mentors, args.mentees, seed=0)
    scorer = PairScorer.of(cohort)
    m, n = len(scorer.mentors), len(scorer.mentees)
    cols = np.random.default_rng(0).choice(n, min(n, TIMED_MENTEES), replace=False)
    block_s = median_seconds(lambda: scorer.block(slice(None), cols), args.repeat)
    print(f"bounds on groups of mentors, synthetic cohort {m} x {n}, {os.cpu_count()} CPUs")
    print(f"block: {m} mentors x {len(cols)} mentees in {block_s:.3f} s, ", end="")
    print(f"{block_s / (m * len(cols)) * 1e9:.1f} ns per pair (one thread)")
    print()
    print(f"{'size':>5}{'groups':>8}{'group s':>9}{'bounds s':>10}{'ns/bound':>10}", end="")
    print(f"{'ns/pair':>9}{'bounds/block':>14}")
    groupings: dict[str, MentorGroups] = {}
    ratios = {}
    rng = np.random.default_rng(1)
    for size in args.sizes:
        start = time.perf_counter()
        groups = scorer.mentor_groups(size)
        group_s = time.perf_counter() - start
        bounds_s = median_seconds(lambda g=groups: scorer.upper_bounds(g, cols), args.repeat)
        ratios[size] = bounds_s / block_s
        per_bound = bounds_s / (len(groups) * len(cols)) * 1e9
        print(
            f"{size:>5}{len(groups):>8}{group_s:>9.2f}{bounds_s:>10.4f}{per_bound:>10.1f}", end=""
        )
        print(f"{bounds_s / (m * len(cols)) * 1e9:>9.2f}{ratios[size]:>14.3f}")
        groupings[f"size {size}"] = groups
        parts = np.array_split(rng.permutation(m), len(groups))
        groupings[f"size {size}, random groups"] = scorer.group_mentors(parts)

    shares, single = tightness(scorer, groupings)
    print()
    print("share of (group, mentee) bounds below the mentee's best score minus ...")
    print(f"{'grouping':<34}" + "".join(f"{below:>8}" for below in BELOW))
    for size in args.sizes:
        for name in (f"size {size}", f"size {size}, true maxima", f"size {size}, random groups"):
            print(f"{name:<34}" + "".join(f"{share:>8.3f}" for share in shares[name]))
    print(f"{'single mentors (scored)':<34}" + "".join(f"{share:>8.3f}" for share in single))
    print(f"\n{time.perf_counter() - started:.0f} s in all")
    ratio = ratios.get(GROUP_SIZE)
    if ratio is None:
        print(f"target: not measured (size {GROUP_SIZE} not among --sizes)")
        return 0
    met = ratio < TARGET_RATIO
    print(f"target: bounds / block at size {GROUP_SIZE} = {ratio:.3f} < {TARGET_RATIO}:", end=" ")
    print("PASS" if met else "FAIL")
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
