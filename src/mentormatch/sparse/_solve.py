"""The flow over the candidates, and the certificate that proves it optimal over all pairs."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace

import numpy as np
from numpy.typing import NDArray

from mentormatch.errors import InfeasibleError
from mentormatch.scoring import PairScorer
from mentormatch.solvers import NoSolutionError
from mentormatch.solvers.flow import Solved, solve_pairs
from mentormatch.sparse._problem import SparseProblem
from mentormatch.sparse._scan import Candidates, in_blocks, scan
from mentormatch.sparse._top import Bounds, bounds_of, thresholds, top_candidates, worth_it

__all__ = ["solve_sparse"]


DOUBTFUL_RESCORED = 256
"""In the top scan, at most this many mentees are rescored per round; beyond, the
threshold comes down instead (more candidates at once)."""


def solve_sparse(
    problem: SparseProblem, scorer: PairScorer, candidates: int
) -> tuple[Solved, Candidates, list[tuple[int, int]]]:
    """The optimum over every pair, from candidates, proven by the flow's prices.

    For a pair-count limit far below the cohort the candidates come from the top scan
    (bounds, :mod:`mentormatch.sparse._top`), else from scoring every pair once. Returns
    the flow over the pairs not locked, the candidates it was proven over, and the
    locked pairs (which the flow's problem left out). Raises ``InfeasibleError`` when
    no pairing keeps the limits.
    """
    n = problem.shape[1]
    bounds = bounds_of(problem, scorer) if worth_it(problem) else None
    levels = thresholds(bounds) if bounds is not None else iter(())
    if bounds is None:
        found = scan(problem, scorer, candidates)
    else:
        found = top_candidates(problem, scorer, bounds, next(levels))
    free = _without_locks(problem)
    locked_mentees = np.zeros(n, dtype=bool)
    locked_mentees[[j for _, j in problem.locked]] = True
    rescored = 0
    for rounds in range(1, 100):
        usable = ~locked_mentees[found.columns]
        try:
            solved = solve_pairs(
                free,
                found.rows[usable],
                found.columns[usable],
                found.scores[usable],
                largest=1.0,
            )
        except NoSolutionError:
            if found.complete:
                raise InfeasibleError(_too_few(problem, found)) from None
            if bounds is None:
                found = scan(problem, scorer, None)  # the minimum may need any allowed pair
            else:
                found = top_candidates(problem, scorer, bounds, next(levels))
            continue
        doubtful = _doubtful(problem, found, solved, locked_mentees)
        if bounds is not None and doubtful.size > DOUBTFUL_RESCORED and not found.complete:
            # too many to rescore: let more pairs in at once
            found = top_candidates(problem, scorer, bounds, next(levels))
            continue
        violated = _violations(problem, scorer, found, solved, doubtful, bounds)
        rescored += int(doubtful.size)
        if violated[0].size == 0:
            return solved, replace(found, rounds=rounds, rescored=rescored), list(problem.locked)
        found = _joined(found, *violated, n)
    raise RuntimeError("the certificate did not settle")  # pragma: no cover - LP duality


def _too_few(problem: SparseProblem, found: Candidates) -> list[str]:
    reachable = int((found.mentee_allowed > 0).sum())
    label = problem.labels.get("min_pairs", f"min_pairs={problem.min_pairs}")
    return [
        f"{label}, but no pairing keeps every rule with that many pairs "
        f"({reachable} of {problem.shape[1]} mentees have any allowed mentor)"
    ]


def _without_locks(problem: SparseProblem) -> SparseProblem:
    """The same problem with the locked pairs taken: their capacity and counts removed
    (their mentees are left out of the pairs handed to the flow)."""
    if not problem.locked:
        return problem
    mentors = np.array([i for i, _ in problem.locked])
    mentees = np.array([j for _, j in problem.locked])
    taken = len(problem.locked)
    return replace(
        problem,
        capacity=problem.capacity - np.bincount(mentors, minlength=problem.shape[0]),
        min_pairs=max(0, problem.min_pairs - taken),
        max_pairs=problem.max_pairs - taken,
        groups=tuple(
            replace(g, max=g.max - int(g.contains(mentors, mentees).sum())) for g in problem.groups
        ),
        locked=(),
    )


def _doubtful(
    problem: SparseProblem, found: Candidates, solved: Solved, locked_mentees: NDArray[np.bool_]
) -> NDArray[np.intp]:
    """The mentees some pair of whom outside the candidates might beat its prices.

    A pair (i, j) outside the candidates scores below mentee j's threshold and at most
    mentor i's bound; it beats its prices only if that bound does. The mentees for whom
    no mentor's bound does pass without rescoring.
    """
    mentor_price, mentee_price = solved.prices()
    scale = solved.rounded.scale
    most = _most_over_price(found, mentor_price / scale, problem.capacity > 0)
    return np.flatnonzero(
        np.isfinite(found.mentee_bound)
        & (most(found.threshold) > (mentee_price - 1) / scale)
        & ~locked_mentees
    )


def _violations(
    problem: SparseProblem,
    scorer: PairScorer,
    found: Candidates,
    solved: Solved,
    doubtful: NDArray[np.intp],
    bounds: Bounds | None,
) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.float64]]:
    """The pairs of the doubtful mentees, outside the candidates, whose score exceeds
    their prices: rescored against every mentor, or with ``bounds`` against the groups
    of mentors whose bound could exceed them."""
    n = problem.shape[1]
    mentor_price, mentee_price = solved.prices()
    scale = solved.rounded.scale
    keys = found.rows.astype(np.int64) * n + found.columns
    rows_out: list[NDArray[np.intp]] = []
    columns_out: list[NDArray[np.intp]] = []
    scores_out: list[NDArray[np.float64]] = []
    for rows, columns in _rescored(problem, doubtful, bounds, mentor_price, mentee_price, scale):
        scores = scorer.block(rows, columns).astype(np.float64)
        allowed = problem.usable(rows, columns)
        limit = (mentor_price[rows][:, None] + mentee_price[columns][None, :] - 1) / scale
        over_rows, at = np.nonzero(allowed & (scores > limit))
        pair_rows, pair_columns = rows[over_rows], columns[at]
        fresh = ~_among(pair_rows.astype(np.int64) * n + pair_columns, keys)
        rows_out.append(pair_rows[fresh])
        columns_out.append(pair_columns[fresh])
        scores_out.append(scores[over_rows[fresh], at[fresh]])
    if not rows_out:
        empty = np.zeros(0, dtype=np.intp)
        return empty, empty, np.zeros(0)
    return np.concatenate(rows_out), np.concatenate(columns_out), np.concatenate(scores_out)


def _among(values: NDArray[np.int64], keys: NDArray[np.int64]) -> NDArray[np.bool_]:
    """Which ``values`` are in ``keys`` (sorted): a search, not a sort per call."""
    at = np.searchsorted(keys, values)
    inside: NDArray[np.bool_] = at < len(keys)
    inside[inside] = keys[at[inside]] == values[inside]
    return inside


def _rescored(
    problem: SparseProblem,
    doubtful: NDArray[np.intp],
    bounds: Bounds | None,
    mentor_price: NDArray[np.int64],
    mentee_price: NDArray[np.int64],
    scale: float,
) -> Iterator[tuple[NDArray[np.intp], NDArray[np.intp]]]:
    """Blocks (mentor rows, mentee columns) that hold every pair to rescore."""
    m = problem.shape[0]
    if bounds is None:
        for columns in in_blocks(doubtful, m):
            yield np.arange(m), columns
        return
    groups = bounds.groups
    cheapest = np.minimum.reduceat(mentor_price[groups.members], groups.starts[:-1])
    for j in doubtful.tolist():
        reaching = bounds.table[:, j] > (cheapest + mentee_price[j] - 1) / scale
        rows = np.concatenate(
            [
                groups.members[groups.starts[g] : groups.starts[g + 1]]
                for g in np.flatnonzero(reaching)
            ]
            or [np.zeros(0, dtype=np.intp)]
        )
        yield rows, np.array([j], dtype=np.intp)


def _most_over_price(
    found: Candidates, price: NDArray[np.float64], room: NDArray[np.bool_]
) -> Callable[[NDArray[np.float64]], NDArray[np.float64]]:
    """``most(t)``: per value of ``t``, the largest ``min(t, best_i) - price_i`` over the
    mentors with room, ``best_i`` being mentor i's best allowed score: a bound on how far
    any pair below ``t`` can exceed its mentor's price."""
    best = found.mentor_bound[room]
    cost = price[room]
    order = np.argsort(best)
    best, cost = best[order], cost[order]
    # for t above best_i the bound is best_i - price_i; below it, t - price_i
    below = np.maximum.accumulate(np.concatenate([[-np.inf], best - cost]))
    above = np.minimum.accumulate(np.concatenate([[np.inf], cost[::-1]]))[::-1]

    def most(t: NDArray[np.float64]) -> NDArray[np.float64]:
        split = np.searchsorted(best, t, side="left")  # mentors [split:] have best >= t
        bound: NDArray[np.float64] = np.maximum(below[split], t - above[split])
        return bound

    return most


def _joined(
    found: Candidates,
    rows: NDArray[np.intp],
    columns: NDArray[np.intp],
    scores: NDArray[np.float64],
    n: int,
) -> Candidates:
    all_rows = np.concatenate([found.rows, rows])
    all_columns = np.concatenate([found.columns, columns])
    all_scores = np.concatenate([found.scores, scores])
    keys, first = np.unique(all_rows.astype(np.int64) * n + all_columns, return_index=True)
    return replace(
        found,
        rows=(keys // n).astype(np.intp),
        columns=(keys % n).astype(np.intp),
        scores=all_scores[first],
    )
