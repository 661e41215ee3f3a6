"""The LP relaxation of the CP-SAT model, solved by HiGHS (scipy): exact when integral.

Pair-count bounds with minimums and maximums on disjoint groups of one side each are
still a network flow with lower bounds, whose constraint matrix is totally
unimodular: the relaxation's vertex optimum (HiGHS' dual simplex returns one) is
then integral, so it is the optimum of the pairing problem, found in a fraction of
the time CP-SAT needs to prove it. Other structures (groups over pairs, overlapping
groups, stability) often relax to integral optima too; when one does not, the
relaxation still bounds CP-SAT's answer.

The bound is proven whatever the LP solver's tolerances: by weak duality, for any
multipliers ``y >= 0`` of the rows ``A x <= b`` and ``0 <= x <= 1``, the total of any
pairing is at most ``b.y + sum(max(0, c - A'y))``; HiGHS' duals, clipped at 0, are
such multipliers.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import linprog
from scipy.sparse import coo_matrix, csr_matrix, vstack

from mentormatch.problem import Problem
from mentormatch.solvers import Solution, proven

__all__ = ["MAX_PAIRS", "relaxation", "stability_rows"]

MAX_PAIRS = 300_000
"""Relaxations over more usable pairs are not tried (HiGHS' simplex slows down well
before CP-SAT's search does at 2,000 x 2,000; measured in ``benchmarks/``)."""
_INTEGRAL = 1e-6
"""Values this close to 0 or 1 count as integral (the pairs are then checked exactly)."""


def relaxation(problem: Problem, time_limit: float | None = None) -> tuple[Solution | None, float]:
    """The relaxation's optimum as pairs when it is integral (status by its proven bound),
    else ``None``; and the proven bound (``inf`` when none was found in time).

    Examples
    --------
    >>> import numpy as np
    >>> from mentormatch.problem import GroupLimit
    >>> at_least = GroupLimit(2, "q", mentees=np.array([False, True]), min=1)
    >>> p = Problem.build([[0.9, 0.1], [0.8, 0.2]], groups=(at_least,), max_pairs=1)
    >>> found, bound = relaxation(p)
    >>> found.pairs, found.status
    ([(1, 1)], 'optimal')
    """
    rows, columns = np.nonzero(problem.usable)
    if not 0 < len(rows) <= MAX_PAIRS:
        return None, np.inf
    gains = problem.scores[rows, columns]
    matrix, low, high = _rows(problem, rows, columns)
    floor, ceiling = low > 0, np.isfinite(high)
    bounds = np.concatenate([high[ceiling], -low[floor]])
    stacked = vstack([matrix[ceiling], -matrix[floor]]).tocsr()
    options = {} if time_limit is None else {"time_limit": max(float(time_limit), 0.01)}
    found = linprog(
        -gains, A_ub=stacked, b_ub=bounds, bounds=(0, 1), method="highs-ds", options=options
    )
    if found.status != 0 or found.x is None:
        return None, np.inf
    duals = np.maximum(-np.asarray(found.ineqlin.marginals), 0.0)
    reduced = gains - stacked.T @ duals
    bound = float(bounds @ duals + np.maximum(reduced, 0.0).sum())
    bound += 1e-12 * float(np.abs(bounds) @ duals + np.abs(gains).sum())  # float rounding
    values = np.asarray(found.x)
    if np.abs(values - np.round(values)).max(initial=0.0) > _INTEGRAL:
        return None, bound
    taken = values > 0.5
    pairs = list(zip(rows[taken].tolist(), columns[taken].tolist(), strict=True))
    if not problem.keeps(pairs):
        return None, bound
    largest = float(np.abs(gains).max(initial=0.0))
    return proven(pairs, problem.total(pairs), bound, largest), bound


def _rows(
    problem: Problem, rows: NDArray[np.intp], columns: NDArray[np.intp]
) -> tuple[csr_matrix, NDArray[np.float64], NDArray[np.float64]]:
    """The model's constraints as ranged rows ``low <= A x <= high`` over the usable pairs."""
    m, n = problem.shape
    k = np.arange(len(rows))
    entries = [(columns, k, np.ones(len(k))), (n + rows, k, np.ones(len(k)))]
    low: list[NDArray[np.float64] | list[float]] = [np.zeros(n), np.zeros(m), [problem.min_pairs]]
    high: list[NDArray[np.float64] | list[float]] = [
        np.ones(n),
        problem.capacity.astype(float),
        [problem.max_pairs],
    ]
    entries.append((np.full(len(k), n + m), k, np.ones(len(k))))
    row = n + m + 1
    for group in problem.groups:
        inside = np.flatnonzero(group.contains(rows, columns))
        entries.append((np.full(len(inside), row), inside, np.ones(len(inside))))
        low.append([group.min])
        high.append([group.max])
        row += 1
    for coefficients, need in stability_rows(problem, rows, columns):
        members = np.array(list(coefficients), dtype=np.intp)
        entries.append(
            (
                np.full(len(members), row),
                members,
                np.array(list(coefficients.values()), dtype=float),
            )
        )
        low.append([need])
        high.append([np.inf])
        row += 1
    matrix = coo_matrix(
        (
            np.concatenate([e[2] for e in entries]),
            (np.concatenate([e[0] for e in entries]), np.concatenate([e[1] for e in entries])),
        ),
        shape=(row, len(k)),
    ).tocsr()
    return matrix, np.concatenate(low).astype(float), np.concatenate(high).astype(float)


def stability_rows(
    problem: Problem, rows: NDArray[np.intp], columns: NDArray[np.intp]
) -> Iterator[tuple[dict[int, int], int]]:
    """Stability as rows ``sum(coefficient * x[k]) >= need`` over the pairs ``(rows[k],
    columns[k])``: for each pair ``(i, j)`` that could block, mentee ``j`` has ``i`` or a
    mentor it holds at least as dear (coefficient ``need``), or mentor ``i`` has ``need``
    other mentees it holds at least as dear as ``j`` (coefficient 1): a mentor full of
    mentees it likes as well blocks nothing, as :meth:`Problem.blocking_pairs` says, ties
    included; ``need`` is ``i``'s capacity less such mentees it has by locks taken out of
    the problem (``preferences.taken``)."""
    if "stability" not in problem.needs:
        return
    position = np.full(problem.shape, -1, dtype=np.int64)
    position[rows, columns] = np.arange(len(rows))
    for better_mentees, better_mentors, need in _stability(problem, position):
        terms = dict.fromkeys(better_mentees.tolist(), 1)
        for k in better_mentors.tolist():
            terms[k] = terms.get(k, 0) + need
        yield terms, need


def _stability(
    problem: Problem, position: NDArray[np.int64]
) -> Iterator[tuple[NDArray[np.int64], NDArray[np.int64], int]]:
    """For each pair that could block: the positions of the other mentees its mentor holds
    at least as dear, of the mentors (itself included) its mentee holds at least as dear,
    and ``need``, the
    mentees the mentor must have among the first unless the mentee has one of the second.
    Locked pairs taken out of the problem (``preferences.taken``) count as held."""
    prefs = problem.preferences
    assert prefs is not None
    taken = np.array(prefs.taken, dtype=np.intp).reshape(-1, 2)
    capacity = problem.capacity + np.bincount(taken[:, 0], minlength=problem.shape[0])
    held_by = dict(zip(taken[:, 1].tolist(), taken[:, 0].tolist(), strict=True))
    for i, j in np.argwhere(prefs.blockable).tolist():
        rank = prefs.mentee_rank[i, j]
        if j in held_by:
            if prefs.mentee_rank[held_by[j], j] <= rank:
                continue  # the mentee's lock is one it likes at least as well
            better_mentors = np.zeros(0, dtype=np.int64)
        else:
            near = position[:, j]
            better_mentors = near[(near >= 0) & (prefs.mentee_rank[:, j] <= rank)]
        place = prefs.mentor_rank[i, j]
        near = position[i]
        others = np.arange(len(near)) != j  # mentees it holds at least as dear, j aside
        better_mentees = near[(near >= 0) & (prefs.mentor_rank[i] <= place) & others]
        locked_better = int((prefs.mentor_rank[i, taken[taken[:, 0] == i, 1]] <= place).sum())
        need = int(capacity[i]) - locked_better
        if need > 0:
            yield better_mentees, better_mentors, need
