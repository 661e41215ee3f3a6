"""The scan: every pair scored once, in blocks of mentees, keeping the candidates."""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray

from mentormatch.scoring import PairScorer
from mentormatch.scoring._scorer import one_blas_thread
from mentormatch.sparse._problem import SparseProblem

__all__ = ["Candidates", "in_blocks", "scan"]

BLOCK_CELLS = 1 << 22
"""Pairs scored at a time (16 MB of float32)."""


@dataclass(frozen=True, eq=False)
class Candidates:
    """What the scan and the certificate found.

    ``rows``, ``columns``, ``scores``: the candidate pairs; per mentee, ``threshold``
    (every allowed pair of it outside the candidates scores below it), ``best``
    (its best allowed score, -inf without any), ``best_mentor`` (-1 without any),
    ``ruled_best`` and ``ruled_mentor`` (the best pair a rule rules out) and
    ``allowed`` (how many mentors it may have); per mentor, the best and the count.
    """

    rows: NDArray[np.intp]
    columns: NDArray[np.intp]
    scores: NDArray[np.float64]
    threshold: NDArray[np.float64]
    mentee_best: NDArray[np.float64]
    mentee_best_mentor: NDArray[np.intp]
    mentee_ruled_best: NDArray[np.float64]
    mentee_ruled_mentor: NDArray[np.intp]
    mentee_allowed: NDArray[np.int64]
    mentor_best: NDArray[np.float64]
    mentor_best_mentee: NDArray[np.intp]
    mentor_allowed: NDArray[np.int64]
    rounds: int
    rescored: int
    complete: bool = False


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
    mentor_best: NDArray[np.float32]
    mentor_best_at: NDArray[np.intp]


def _scan_block(
    problem: SparseProblem, scorer: PairScorer, columns: NDArray[np.intp], reach: float
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
        mentor_best=scores.max(axis=1),
        mentor_best_at=scores.argmax(axis=1),
    )


def scan(problem: SparseProblem, scorer: PairScorer, candidates: int | None) -> Candidates:
    """Score every pair once, block by block, and keep the candidates (see the module);
    ``candidates=None`` keeps every allowed pair. Blocks after the first are scored on
    every core at once; the result does not depend on how many."""
    m, n = problem.shape
    blocks = list(in_blocks(np.arange(n), m)) or [np.zeros(0, dtype=np.intp)]
    if candidates is None:
        reach = np.inf
        first = _scan_block(problem, scorer, blocks[0], reach)
    else:
        # the reach comes from the first block, so every block keeps pairs alike
        first = _scan_block(problem, scorer, blocks[0], np.inf)
        reach = _reach(first, candidates)
        first = _trimmed(first, reach)

    def scanned_block(columns: NDArray[np.intp]) -> _Scanned:
        return _scan_block(problem, scorer, columns, reach)

    # one BLAS thread for the whole pool: the limit is process-wide (see one_blas_thread)
    with one_blas_thread(), ThreadPoolExecutor(max_workers=_cores()) as pool:
        rest = list(pool.map(scanned_block, blocks[1:]))
    scanned = [first, *rest]
    mentor_best = np.full(m, -np.inf)
    mentor_best_mentee = np.full(m, -1, dtype=np.intp)
    for block in scanned:  # in block order: ties keep the first mentee
        better = block.mentor_best > mentor_best
        mentor_best[better] = block.mentor_best[better]
        mentor_best_mentee[better] = block.columns[block.mentor_best_at[better]]
    has_best = mentor_best_mentee >= 0
    rows = np.concatenate([*(b.rows for b in scanned), np.flatnonzero(has_best)])
    columns = np.concatenate([*(b.columns[b.at] for b in scanned), mentor_best_mentee[has_best]])
    scores = np.concatenate(
        [*(b.scores for b in scanned), mentor_best[has_best].astype(np.float32)]
    )
    keys, unique = np.unique(rows.astype(np.int64) * n + columns, return_index=True)
    mentee_best = np.concatenate([b.best for b in scanned]).astype(np.float64)
    return Candidates(
        rows=(keys // n).astype(np.intp),
        columns=(keys % n).astype(np.intp),
        scores=scores[unique].astype(np.float64),
        threshold=mentee_best - reach,
        complete=candidates is None,
        mentee_best=mentee_best,
        mentee_best_mentor=np.concatenate([b.best_mentor for b in scanned]),
        mentee_ruled_best=np.concatenate([b.ruled_best for b in scanned]).astype(np.float64),
        mentee_ruled_mentor=np.concatenate([b.ruled_mentor for b in scanned]),
        mentee_allowed=np.concatenate([b.allowed for b in scanned]),
        mentor_best=mentor_best,
        mentor_best_mentee=mentor_best_mentee,
        mentor_allowed=np.sum([b.mentor_allowed for b in scanned], axis=0),
        rounds=0,
        rescored=0,
    )


def _cores() -> int:
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
