"""The sparse path for large cohorts: candidate pairs and a certificate, never an n x m table.

A national cohort (10^4 to 10^5 people a side) has too many pairs to hold their
scores at once, and an optimum uses few of them. So:

1. **Scan.** The mentees are scored in blocks against every mentor
   (:meth:`~mentormatch.scoring.PairScorer.block`) and the rules' block tests
   applied; each mentee keeps the pairs within a common *reach* of its best
   allowed score (the reach chosen on the first block to leave about
   ``candidates`` pairs per mentee), and each mentor its best pair.
2. **Solve.** The candidates go to the min-cost flow
   (:func:`~mentormatch.solvers.flow.solve_pairs`) under the same capacities,
   pair counts, one-sided quotas and locks.
3. **Certify.** The flow's prices bound what any pair may score without
   improving the optimum (LP duality). A mentee whose every excluded pair lies
   below its reach, and so below its prices, passes without rescoring; the
   others are rescored against every mentor, and a pair above its prices
   joins the candidates for another solve. The answer is "optimal" only when
   every one of the n x m pairs has passed.

Memory grows with the candidates and one block, not with n x m.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray

from mentormatch.cohort import Cohort
from mentormatch.errors import InfeasibleError, InputError, Violation
from mentormatch.feasibility import lock_conflicts
from mentormatch.problem import GroupLimit, Problem, tightest
from mentormatch.rules import Rule
from mentormatch.rules._base import Context, Draft, PairTest
from mentormatch.rules._compile import check_rule
from mentormatch.scoring import PairScorer
from mentormatch.scoring._scorer import one_blas_thread
from mentormatch.solvers import NoSolutionError, flow
from mentormatch.solvers.flow import Solved, solve_pairs

__all__ = ["DEFAULT_CANDIDATES", "Candidates", "SparseProblem", "solve_sparse"]

DEFAULT_CANDIDATES = 8
"""Pairs kept per mentee in the first scan when ``candidates`` is not given."""
BLOCK_CELLS = 1 << 22
"""Pairs scored at a time (16 MB of float32)."""


@dataclass(frozen=True, eq=False)
class SparseProblem:
    """The limits of a large problem (what :func:`solve_pairs` needs besides the pairs),
    with the rules' block tests; the scores come from a :class:`PairScorer`."""

    shape: tuple[int, int]
    capacity: NDArray[np.int64]
    min_pairs: int
    max_pairs: int
    groups: tuple[GroupLimit, ...]
    locked: tuple[tuple[int, int], ...]
    labels: dict[str, str]
    tests: dict[str, list[PairTest]]

    def ruled_out(
        self, rows: NDArray[np.intp], columns: NDArray[np.intp]
    ) -> dict[str, NDArray[np.bool_]]:
        """Per rule, the pairs among ``rows`` x ``columns`` it rules out."""
        return {
            rule: np.logical_or.reduce([test(rows, columns) for test in tests])
            for rule, tests in self.tests.items()
        }

    def allowed(self, rows: NDArray[np.intp], columns: NDArray[np.intp]) -> NDArray[np.bool_]:
        """The pairs among ``rows`` x ``columns`` the rules allow."""
        allowed = np.ones((len(rows), len(columns)), dtype=bool)
        for tests in self.tests.values():
            for test in tests:
                allowed &= ~test(rows, columns)
        return allowed

    def usable(self, rows: NDArray[np.intp], columns: NDArray[np.intp]) -> NDArray[np.bool_]:
        """The pairs the rules allow with a mentor whose capacity is above 0."""
        usable: NDArray[np.bool_] = self.allowed(rows, columns) & (self.capacity[rows] > 0)[:, None]
        return usable


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


def compile_sparse(cohort: Cohort, rules: Sequence[Rule], scorer: PairScorer) -> SparseProblem:
    """The rules over the scorer's people (sorted by id), as limits and block tests.

    Raises ``InputError`` for a rule the flow cannot hold at this size, and
    ``InfeasibleError`` for clashing bounds or locks.
    """
    context = Context(scorer.mentors.profiles, scorer.mentees.profiles)
    draft = Draft(context)
    for position, rule in enumerate(rules, start=1):
        check_rule(rule, position).compile(draft)
    contradictions = draft.conflicts()
    if contradictions:
        raise InfeasibleError(contradictions)
    m, n = context.shape
    capacity = np.minimum(np.array([p.capacity for p in context.mentors], dtype=np.int64), n)
    most = int(min(n, capacity.sum()))
    problem = SparseProblem(
        shape=(m, n),
        capacity=capacity,
        min_pairs=draft.bounds["min_pairs"][0] if "min_pairs" in draft.bounds else 0,
        max_pairs=min(draft.bounds["max_pairs"][0], most) if "max_pairs" in draft.bounds else most,
        groups=tightest(tuple(draft.groups)),
        locked=tuple(sorted(draft.locks)),
        labels={bound: label for bound, (_, label) in draft.bounds.items()},
        tests=draft.tests,
    )
    awkward = [g.rule for g in problem.groups if g.side == "pairs"]
    if flow.overlapping(problem):
        awkward.append("group limits over overlapping people")
    if awkward:
        raise InputError(
            Violation(
                f"{', '.join(awkward)}: the sparse path for large cohorts holds only limits "
                "on one side's people, each person in one group; give candidates=None to "
                "solve densely",
                argument="rules",
            )
        )
    _check_locks(problem, draft)
    return problem


def _check_locks(problem: SparseProblem, draft: Draft) -> None:
    """The locks' clashes, found on the small problem of the locked people alone."""
    if not problem.locked:
        return
    rows = np.unique([i for i, _ in problem.locked])
    columns = np.unique([j for _, j in problem.locked])
    sliced = tuple(
        replace(
            g,
            mentors=None if g.mentors is None else g.mentors[rows],
            mentees=None if g.mentees is None else g.mentees[columns],
        )
        for g in problem.groups
    )
    forbidden_by = draft.forbidden_by(rows, columns)
    allowed = np.ones((len(rows), len(columns)), dtype=bool)
    for pairs in forbidden_by.values():
        allowed &= ~pairs
    small = Problem.build(
        np.zeros((len(rows), len(columns))),
        allowed=allowed,
        capacity=problem.capacity[rows],
        max_pairs=problem.max_pairs,
        groups=sliced,
        locked=tuple(
            (int(np.searchsorted(rows, i)), int(np.searchsorted(columns, j)))
            for i, j in problem.locked
        ),
        labels=problem.labels,
        forbidden_by=forbidden_by,
        mentor_ids=tuple(draft.context.mentors[i].id for i in rows),
        mentee_ids=tuple(draft.context.mentees[j].id for j in columns),
    )
    clashes = lock_conflicts(small)
    if clashes:
        raise InfeasibleError(clashes)


def _blocks(n: int, m: int) -> Iterator[NDArray[np.intp]]:
    step = max(1, BLOCK_CELLS // max(m, 1))
    for start in range(0, n, step):
        yield np.arange(start, min(n, start + step))


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
    blocks = list(_blocks(n, m))
    if not blocks:
        blocks = [np.zeros(0, dtype=np.intp)]
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
    for start in range(0, doubtful.size, max(1, BLOCK_CELLS // max(m, 1))):
        columns = doubtful[start : start + max(1, BLOCK_CELLS // max(m, 1))]
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
