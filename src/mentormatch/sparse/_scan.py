"""The scan: every pair scored once, in blocks of mentees, keeping the candidates."""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from functools import partial

import numpy as np
from numpy.typing import NDArray

from mentormatch.scoring import PairScorer
from mentormatch.scoring._scorer import one_blas_thread
from mentormatch.sparse._problem import SparseProblem

__all__ = ["MENTOR_TOP", "Candidates", "cores", "in_blocks", "scan"]

MENTOR_TOP = 16
"""Each mentor's best pairs kept, for the certificate and for its reason when left out."""

BLOCK_CELLS = 1 << 22
"""Pairs scored at a time (16 MB of float32)."""


@dataclass(frozen=True, eq=False)
class Candidates:
    """What the scan and the certificate found.

    ``rows``, ``columns``, ``scores``: the candidate pairs, by key (row, column). Per
    mentee, ``threshold``: every allowed pair of it outside the candidates scores below
    it; ``mentee_bound`` and, per mentor, ``mentor_bound``: at least their best allowed
    pair (-inf when they have none for certain).

    When ``exact`` (every pair was scored), also per mentee: ``best`` (its best allowed
    score, -inf without any), ``best_mentor`` (-1 without any), ``ruled_best`` and
    ``ruled_mentor`` (the best pair a rule rules out), ``allowed`` (how many mentors it
    may have); per mentor: its best pairs (``mentor_top``, best first, -inf where it
    has fewer) and the count. Without ``exact`` (the top scan) those are unknown: -inf,
    -1 and counts of -1.
    """

    rows: NDArray[np.intp]
    columns: NDArray[np.intp]
    scores: NDArray[np.float64]
    threshold: NDArray[np.float64]
    mentee_bound: NDArray[np.float64]
    mentor_bound: NDArray[np.float64]
    mentee_best: NDArray[np.float64]
    mentee_best_mentor: NDArray[np.intp]
    mentee_ruled_best: NDArray[np.float64]
    mentee_ruled_mentor: NDArray[np.intp]
    mentee_allowed: NDArray[np.int64]
    mentor_best: NDArray[np.float64]
    mentor_best_mentee: NDArray[np.intp]
    mentor_top: NDArray[np.float64]
    mentor_top_mentee: NDArray[np.intp]
    mentor_allowed: NDArray[np.int64]
    rounds: int = 0
    rescored: int = 0
    complete: bool = False
    exact: bool = True

    @classmethod
    def of_bounds(
        cls,
        rows: NDArray[np.intp],
        columns: NDArray[np.intp],
        scores: NDArray[np.float64],
        threshold: NDArray[np.float64],
        mentee_bound: NDArray[np.float64],
        mentor_bound: NDArray[np.float64],
        complete: bool = False,
    ) -> Candidates:
        """Candidates of the top scan: bounds, and no exact facts per person."""
        m, n = len(mentor_bound), len(mentee_bound)
        return cls(
            rows=rows,
            columns=columns,
            scores=scores,
            threshold=threshold,
            mentee_bound=mentee_bound,
            mentor_bound=mentor_bound,
            mentee_best=np.full(n, -np.inf),
            mentee_best_mentor=np.full(n, -1, dtype=np.intp),
            mentee_ruled_best=np.full(n, -np.inf),
            mentee_ruled_mentor=np.full(n, -1, dtype=np.intp),
            mentee_allowed=np.full(n, -1, dtype=np.int64),
            mentor_best=np.full(m, -np.inf),
            mentor_best_mentee=np.full(m, -1, dtype=np.intp),
            mentor_top=np.full((m, MENTOR_TOP), -np.inf),
            mentor_top_mentee=np.full((m, MENTOR_TOP), -1, dtype=np.intp),
            mentor_allowed=np.full(m, -1, dtype=np.int64),
            complete=complete,
            exact=False,
        )


def in_blocks(people: NDArray[np.intp], partners: int) -> Iterator[NDArray[np.intp]]:
    """``people`` in runs small enough that each, with ``partners`` others, is one block."""
    step = max(1, BLOCK_CELLS // max(partners, 1))
    for start in range(0, len(people), step):
        yield people[start : start + step]


@dataclass(frozen=True)
class _Scanned:
    """What one block of mentees (``columns``) gave: its kept pairs and per-person facts."""

    columns: NDArray[np.intp]
    rows: NDArray[np.intp]
    at: NDArray[np.intp]
    scores: NDArray[np.float32]
    best: NDArray[np.float32]
    best_mentor: NDArray[np.intp]
    ruled_best: NDArray[np.float32]
    ruled_mentor: NDArray[np.intp]
    allowed: NDArray[np.int64]
    mentor_allowed: NDArray[np.int64]
    listed: tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.float32]]
    """Pairs at or above their mentor's running ``MENTOR_TOP``-th best: rows, mentees, scores."""


def _scan_block(
    problem: SparseProblem,
    scorer: PairScorer,
    columns: NDArray[np.intp],
    reach: float,
    kth: NDArray[np.float32],
) -> _Scanned:
    all_rows = np.arange(problem.shape[0])
    scores = scorer.block(all_rows, columns)
    allowed = problem.allowed(all_rows, columns)
    ruled = np.where(allowed, -np.inf, scores)
    allowed &= (problem.capacity > 0)[:, None]
    scores[~allowed] = -np.inf
    best = scores.max(axis=0)
    ruled_best = ruled.max(axis=0)
    near = allowed & (scores >= (best - reach)[None, :])
    rows, at = np.nonzero(near)
    high_rows, high_at = np.nonzero(allowed & (scores >= kth[:, None]))
    return _Scanned(
        columns=columns,
        rows=rows,
        at=at,
        scores=scores[rows, at],
        best=best,
        best_mentor=np.where(np.isfinite(best), scores.argmax(axis=0), -1),
        ruled_best=ruled_best,
        ruled_mentor=np.where(np.isfinite(ruled_best), ruled.argmax(axis=0), -1),
        allowed=allowed.sum(axis=0),
        mentor_allowed=allowed.sum(axis=1),
        listed=(high_rows, columns[high_at], scores[high_rows, high_at]),
    )


def scan(problem: SparseProblem, scorer: PairScorer, candidates: int | None) -> Candidates:
    """Score every pair once, block by block, and keep the candidates (see the module);
    ``candidates=None`` keeps every allowed pair. Blocks after the first are scored on
    every core at once; the result does not depend on how many."""
    m, n = problem.shape
    blocks = list(in_blocks(np.arange(n), m)) or [np.zeros(0, dtype=np.intp)]
    tops = _Tops.empty(m)
    everyone = np.full(m, -np.inf, dtype=np.float32)
    if candidates is None:
        reach = np.inf
        first = _scan_block(problem, scorer, blocks[0], reach, everyone)
    else:
        # the reach comes from the first block, so every block keeps pairs alike
        first = _scan_block(problem, scorer, blocks[0], np.inf, everyone)
        reach = _reach(first, candidates)
        first = _trimmed(first, reach)
    tops = tops.merged(*first.listed)
    scanned = [first]
    workers = cores()
    # one BLAS thread for the whole pool: the limit is process-wide (see one_blas_thread)
    with one_blas_thread(), ThreadPoolExecutor(max_workers=workers) as pool:
        for start in range(1, len(blocks), workers):  # a round of blocks per core at a time
            kth = tops.kth()
            scanning = partial(_scan_block, problem, scorer, reach=reach, kth=kth)
            found = list(pool.map(scanning, blocks[start : start + workers]))
            for block in found:  # in block order: the same result on any number of cores
                tops = tops.merged(*block.listed)
            scanned += found
    top, top_at = tops.values, tops.mentees
    listed = np.isfinite(top)
    rows = np.concatenate([*(b.rows for b in scanned), np.nonzero(listed)[0]])
    columns = np.concatenate([*(b.columns[b.at] for b in scanned), top_at[listed]])
    scores = np.concatenate([*(b.scores for b in scanned), top[listed]])
    keys, unique = np.unique(rows.astype(np.int64) * n + columns, return_index=True)
    mentee_best = np.concatenate([b.best for b in scanned]).astype(np.float64)
    return Candidates(
        rows=(keys // n).astype(np.intp),
        columns=(keys % n).astype(np.intp),
        scores=scores[unique].astype(np.float64),
        threshold=mentee_best - reach,
        complete=candidates is None,
        mentee_bound=mentee_best,
        mentor_bound=top[:, 0].astype(np.float64),
        mentee_best=mentee_best,
        mentee_best_mentor=np.concatenate([b.best_mentor for b in scanned]),
        mentee_ruled_best=np.concatenate([b.ruled_best for b in scanned]).astype(np.float64),
        mentee_ruled_mentor=np.concatenate([b.ruled_mentor for b in scanned]),
        mentee_allowed=np.concatenate([b.allowed for b in scanned]),
        mentor_best=top[:, 0].astype(np.float64),
        mentor_best_mentee=np.where(listed[:, 0], top_at[:, 0], -1),
        mentor_top=top.astype(np.float64),
        mentor_top_mentee=np.where(listed, top_at, -1),
        mentor_allowed=np.sum([b.mentor_allowed for b in scanned], axis=0),
    )


@dataclass(frozen=True)
class _Tops:
    """Per mentor, its ``MENTOR_TOP`` best allowed pairs so far: scores (-inf where it has
    fewer) and mentees, best first, ties by the lower mentee position."""

    values: NDArray[np.float32]
    mentees: NDArray[np.intp]

    @classmethod
    def empty(cls, m: int) -> _Tops:
        return cls(
            np.full((m, MENTOR_TOP), -np.inf, dtype=np.float32),
            np.zeros((m, MENTOR_TOP), dtype=np.intp),
        )

    def kth(self) -> NDArray[np.float32]:
        """Per mentor, the score a pair must reach to enter its list."""
        return self.values[:, -1].copy()

    def merged(
        self, rows: NDArray[np.intp], mentees: NDArray[np.intp], scores: NDArray[np.float32]
    ) -> _Tops:
        """The lists with these pairs (mentor ``rows[k]``, mentee ``mentees[k]``) offered."""
        if not len(rows):
            return self
        touched = np.unique(rows)
        k = MENTOR_TOP
        all_rows = np.concatenate([np.repeat(touched, k), rows])
        all_mentees = np.concatenate([self.mentees[touched].ravel(), mentees])
        all_scores = np.concatenate([self.values[touched].ravel(), scores])
        order = np.lexsort((all_mentees, -all_scores, all_rows))
        all_rows, all_mentees, all_scores = all_rows[order], all_mentees[order], all_scores[order]
        starts = np.searchsorted(all_rows, touched)
        sizes = np.diff(np.append(starts, len(all_rows)))
        rank = np.arange(len(all_rows)) - np.repeat(starts, sizes)
        keep = rank < k
        values, chosen = self.values.copy(), self.mentees.copy()
        values[all_rows[keep], rank[keep]] = all_scores[keep]
        chosen[all_rows[keep], rank[keep]] = all_mentees[keep]
        return _Tops(values, chosen)


def cores() -> int:
    """The cores this process may run on."""
    return max(1, len(os.sched_getaffinity(0)))


def _trimmed(block: _Scanned, reach: float) -> _Scanned:
    """The block with only the pairs within ``reach`` of their mentee's best kept."""
    near = block.scores >= block.best[block.at] - reach
    return replace(block, rows=block.rows[near], at=block.at[near], scores=block.scores[near])


def _reach(block: _Scanned, candidates: int) -> float:
    """How far below each mentee's best a pair stays a candidate: the distance that leaves
    about ``candidates`` pairs per mentee of this block (holding every allowed pair)."""
    below = block.best[block.at] - block.scores
    if below.size == 0:
        return 0.0
    share = min(1.0, candidates * len(block.columns) / below.size)
    return float(np.quantile(below, share))
