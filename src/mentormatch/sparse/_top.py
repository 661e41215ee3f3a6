"""The scan for a pair-count limit far below the cohort: only the pairs near the top.

With the pilot's 15 pairs among 10^5 people a side, the optimum sits among the very
best pairs, and whatever scores below the chosen pairs' prices cannot improve it.
So instead of scoring every pair, mentors are put in groups alike in what they score
(:meth:`~mentormatch.scoring.PairScorer.mentor_groups`), and a provable upper bound
is computed for every group with every mentee
(:meth:`~mentormatch.scoring.PairScorer.upper_bounds`, a few small products per
criterion). Only a group whose bound reaches a *threshold* is scored with that
mentee; every other pair scores below the threshold, and the certificate
(:mod:`mentormatch.sparse._solve`) treats it so. The threshold starts where the
best few thousand bounds are, and comes down until the flow's prices prove the
candidates' optimum optimal over every pair.

The bounds also bound each person's best pair, which is what the reasons of the
people left out need when that bound is below the lowest chosen pair.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from mentormatch.scoring import PairScorer
from mentormatch.scoring._bounds import MentorGroups
from mentormatch.scoring._scorer import one_blas_thread
from mentormatch.sparse._problem import SparseProblem
from mentormatch.sparse._scan import Candidates, cores

__all__ = [
    "GROUP_SIZE",
    "Bounds",
    "bounds_of",
    "thresholds",
    "top_candidates",
    "worth_it",
]

GROUP_SIZE = 64
"""Mentors per group (measured: smaller groups bound tighter, larger ones score faster)."""
BLOCK_MENTEES = 2048
"""Mentees bounded at once against every group."""
FIRST_DISTANCE = 1e-3
"""The first threshold lies this far below the best bound."""
SLACK = 1e-6
"""Kept below a threshold, for float32 rounding of scores near it."""


def worth_it(problem: SparseProblem) -> bool:
    """Whether the pair-count limit is far enough below the cohort for the top scan:
    at most one pair per 50 people of the smaller side."""
    return problem.max_pairs * 50 <= min(problem.shape)


@dataclass(frozen=True, eq=False)
class Bounds:
    """Upper bounds of every group of mentors with every mentee.

    ``table[g, j]`` bounds what any mentor of group ``g`` scores with mentee ``j``;
    ``mentee[j]`` bounds mentee ``j``'s best pair, ``mentor[i]`` mentor ``i``'s.
    """

    groups: MentorGroups
    table: NDArray[np.float32]
    mentee: NDArray[np.float64]
    mentor: NDArray[np.float64]


def bounds_of(problem: SparseProblem, scorer: PairScorer) -> Bounds:
    """Every group's bound with every mentee, in blocks of mentees on every core."""
    m, n = problem.shape
    groups = scorer.mentor_groups(GROUP_SIZE)
    blocks = [np.arange(s, min(n, s + BLOCK_MENTEES)) for s in range(0, n, BLOCK_MENTEES)]
    with one_blas_thread(), ThreadPoolExecutor(max_workers=cores()) as pool:
        parts = list(pool.map(lambda cols: scorer.upper_bounds(groups, cols), blocks))
    table = np.concatenate(parts, axis=1) if parts else np.zeros((len(groups), 0), np.float32)
    room = np.zeros(len(groups), dtype=bool)  # a group whose mentors take nobody bounds nothing
    np.logical_or.at(
        room,
        np.repeat(np.arange(len(groups)), np.diff(groups.starts)),
        problem.capacity[groups.members] > 0,
    )
    table[~room] = -np.inf
    by_group = table.max(axis=1, initial=-np.inf).astype(np.float64)
    mentor = np.full(m, -np.inf)
    mentor[groups.members] = np.repeat(by_group, np.diff(groups.starts))
    mentor[problem.capacity == 0] = -np.inf
    return Bounds(groups, table, table.max(axis=0, initial=-np.inf).astype(np.float64), mentor)


def thresholds(bounds: Bounds) -> Iterator[float]:
    """The thresholds to try, highest first: just below the best bound (where the best
    pairs are), then ever further below it, doubling the distance, down to every pair."""
    top = float(bounds.table.max(initial=-np.inf))
    if np.isfinite(top):
        distance = FIRST_DISTANCE
        while top - distance > 0:
            yield top - distance
            distance *= 2
    yield -np.inf


def top_candidates(
    problem: SparseProblem, scorer: PairScorer, bounds: Bounds, threshold: float
) -> Candidates:
    """Every allowed pair scoring at least ``threshold``, found by scoring only the groups
    whose bound reaches it; every other pair is known to score below it."""
    n = problem.shape[1]
    groups = bounds.groups
    threshold -= SLACK  # the scores are float32: keep what rounds a hair below
    rows: list[NDArray[np.intp]] = []
    columns: list[NDArray[np.intp]] = []
    scores: list[NDArray[np.float32]] = []
    reaching = np.flatnonzero(bounds.table.max(axis=1, initial=-np.inf) >= threshold)
    with one_blas_thread():
        for g in reaching.tolist():
            members = groups.group(g)
            wanted = np.flatnonzero(bounds.table[g] >= threshold)
            block = scorer.block(members, wanted)
            usable = problem.usable(members, wanted)
            at_row, at_column = np.nonzero(usable & (block >= threshold))
            rows.append(members[at_row])
            columns.append(wanted[at_column])
            scores.append(block[at_row, at_column])
    found_rows = np.concatenate(rows) if rows else np.zeros(0, dtype=np.intp)
    found_columns = np.concatenate(columns) if columns else np.zeros(0, dtype=np.intp)
    found_scores = np.concatenate(scores).astype(np.float64) if scores else np.zeros(0)
    order = np.argsort(found_rows.astype(np.int64) * n + found_columns)
    return Candidates.of_bounds(
        found_rows[order],
        found_columns[order],
        found_scores[order],
        threshold=np.minimum(threshold, bounds.mentee),
        complete=threshold == -np.inf,
        mentee_bound=bounds.mentee,
        mentor_bound=bounds.mentor,
    )
