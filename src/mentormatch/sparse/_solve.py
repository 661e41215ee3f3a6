"""The flow over the candidates, and the certificate that proves it optimal over all pairs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np
from numpy.typing import NDArray

from mentormatch.errors import InfeasibleError
from mentormatch.scoring import PairScorer
from mentormatch.solvers import NoSolutionError
from mentormatch.solvers.flow import Solved, solve_pairs
from mentormatch.sparse._problem import SparseProblem
from mentormatch.sparse._scan import Candidates, in_blocks, scan

__all__ = ["solve_sparse"]


def solve_sparse(
    problem: SparseProblem, scorer: PairScorer, candidates: int
) -> tuple[Solved, Candidates, list[tuple[int, int]]]:
    """The optimum over every pair, from candidates, proven by the flow's prices.

    Returns the flow over the pairs not locked, the candidates it was proven over, and
    the locked pairs (which the flow's problem left out). Raises ``InfeasibleError``
    when no pairing keeps the limits.
    """
    n = problem.shape[1]
    found = scan(problem, scorer, candidates)
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
            found = scan(problem, scorer, None)  # the minimum may need any allowed pair
            continue
        violated, checked = _violations(problem, scorer, found, solved, locked_mentees)
        rescored += checked
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


def _violations(
    problem: SparseProblem,
    scorer: PairScorer,
    found: Candidates,
    solved: Solved,
    locked_mentees: NDArray[np.bool_],
) -> tuple[tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.float64]], int]:
    """The pairs outside the candidates whose score exceeds their prices, and how many
    mentees had to be rescored to know."""
    m, n = problem.shape
    mentor_price, mentee_price = solved.prices()
    scale = solved.rounded.scale
    # A pair (i, j) outside the candidates scores below mentee j's threshold and at most
    # mentor i's best score; it beats its prices only if that bound does. The mentees
    # for whom no mentor's bound does pass without rescoring.
    most = _most_over_price(found, mentor_price / scale, problem.capacity > 0)
    doubtful = np.flatnonzero(
        np.isfinite(found.mentee_best)
        & (most(found.threshold) > (mentee_price - 1) / scale)
        & ~locked_mentees
    )
    keys = found.rows.astype(np.int64) * n + found.columns
    rows_out: list[NDArray[np.intp]] = []
    columns_out: list[NDArray[np.intp]] = []
    scores_out: list[NDArray[np.float64]] = []
    all_rows = np.arange(m)
    for columns in in_blocks(doubtful, m):
        scores = scorer.block(all_rows, columns).astype(np.float64)
        allowed = problem.usable(all_rows, columns)
        limit = (mentor_price[:, None] + mentee_price[columns][None, :] - 1) / scale
        over = allowed & (scores > limit)
        rows, at = np.nonzero(over)
        fresh = ~np.isin(rows.astype(np.int64) * n + columns[at], keys)
        rows_out.append(rows[fresh])
        columns_out.append(columns[at][fresh])
        scores_out.append(scores[rows[fresh], at[fresh]])
    if not rows_out:
        empty = np.zeros(0, dtype=np.intp)
        return (empty, empty, np.zeros(0)), 0
    return (
        (np.concatenate(rows_out), np.concatenate(columns_out), np.concatenate(scores_out)),
        int(doubtful.size),
    )


def _most_over_price(
    found: Candidates, price: NDArray[np.float64], room: NDArray[np.bool_]
) -> Callable[[NDArray[np.float64]], NDArray[np.float64]]:
    """``most(t)``: per value of ``t``, the largest ``min(t, best_i) - price_i`` over the
    mentors with room, ``best_i`` being mentor i's best allowed score: a bound on how far
    any pair below ``t`` can exceed its mentor's price."""
    best = found.mentor_best[room]
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
