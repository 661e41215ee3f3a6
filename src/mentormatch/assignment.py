"""Solve a pairing problem exactly: ``mm.assign`` on a score matrix, ``solve`` on a Problem.

``solve`` checks locked pairs, takes them out of the problem, lets the fastest
solver that supports the rest find the optimum (scipy's assignment for plain
problems, min-cost flow for network flows, CP-SAT for the others), and explains
in plain words why there is no pairing when there is none.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from types import ModuleType
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

from mentormatch.errors import InfeasibleError, InputError, TimeLimitError, Violation
from mentormatch.feasibility import lock_conflicts, pair_count_conflicts, rule_conflicts
from mentormatch.problem import Problem
from mentormatch.solvers import NoSolutionError, OutOfTimeError, cpsat, flow, lsa
from mentormatch.validation import check_arguments

__all__ = ["SOLVERS", "Assignment", "assign", "refusal", "solve"]

SOLVERS: dict[str, ModuleType] = {"lsa": lsa, "flow": flow, "cpsat": cpsat}
"""The solvers by name, fastest first; ``"auto"`` takes the first that supports the problem."""


def refusal(solver: str, problem: Problem) -> str | None:
    """Why the named solver cannot solve the (lock-free) problem exactly, or ``None``.

    A solver module declares what it handles beyond a network flow in ``HANDLES``
    (see :attr:`Problem.needs`: group minimums, stability); the rest it judges itself.

    Examples
    --------
    >>> import numpy as np
    >>> from mentormatch.problem import GroupLimit
    >>> quota = GroupLimit(2, "Quota('country', min=1): NO", mentees=np.array([True, False]), min=1)
    >>> p = Problem.build(np.ones((2, 2)), groups=(quota,))
    >>> refusal("flow", p), refusal("cpsat", p)
    ('needs group minimums', None)
    """
    module = SOLVERS[solver]
    missing = sorted(problem.needs - getattr(module, "HANDLES", frozenset()))
    if missing:
        return "needs " + " and ".join(missing)
    why_not: str | None = module.supports(problem)
    return why_not


@dataclass(frozen=True)
class Assignment:
    """The chosen pairs and how they were found.

    Attributes
    ----------
    pairs : list of (int, int)
        ``(mentor_index, mentee_index)``, sorted.
    objective : float
        The sum of the given scores over ``pairs``.
    status : {"optimal", "feasible"}
        ``"optimal"`` only when proven: exactly (scipy, in floating point) or, for the
        solvers that round scores to integers, to within
        :data:`~mentormatch.solvers.OPTIMALITY_GAP` (1e-6) of the larger of the bound and
        the objective.
    bound : float
        A proven upper bound on the best total, rounding included (equal to ``objective``
        or within the gap above it when optimal).
    solver : str
        Which solver found the pairs: ``"lsa"``, ``"flow"`` or ``"cpsat"``.
    wall_time : float
        Seconds spent, checks included.
    """

    pairs: list[tuple[int, int]]
    objective: float
    status: Literal["optimal", "feasible"]
    bound: float
    solver: str
    wall_time: float


def assign(
    scores: ArrayLike,
    capacity: ArrayLike = 1,
    min_pairs: int | None = None,
    max_pairs: int | None = None,
    forbidden: ArrayLike | None = None,
    time_limit: float | None = None,
    seed: int = 0,
) -> Assignment:
    """Choose mentor–mentee pairs with the largest total score.

    A mentee gets at most one mentor and mentor ``i`` at most ``capacity[i]``
    mentees; a forbidden pair is never taken; a pair with a negative score is
    taken only when ``min_pairs`` demands it.

    Parameters
    ----------
    scores : array-like of float, shape (n_mentors, n_mentees)
        Finite real scores, maximised, of any magnitude up to the largest float over four
        times the most pairs there can be (``k``, the fewer of the mentees and the
        mentors' total capacity): 2.2e307 for ``k = 2``, 4.5e304 for ``k = 1000``
        (:func:`~mentormatch.problem.largest_score`), so that every total and bound is
        finite; larger scores are refused with ``mm.InputError`` rather than summed to
        infinity (rescale them; a pair that must not be taken belongs in ``forbidden``,
        not under a huge negative score). The integer solvers scale scores relative to
        the largest absolute one (resolution about 1e-9 of it or finer), and report the
        rounding in ``bound``.
    capacity : int or array-like of int, default 1
        The most mentees each mentor takes; any number above the number of mentees
        (``sys.maxsize``, say) means unlimited.
    min_pairs, max_pairs : int, optional
        Bounds on the number of pairs. ``min_pairs`` equal to the most pairs that can
        exist asks for a full assignment (as scipy's ``linear_sum_assignment`` gives), in
        which negative scores are taken and forbidden pairs are infeasible entries.
    forbidden : array-like of bool, optional
        True where a pair is not allowed.
    time_limit : float, optional
        Seconds (>= 0); ``None`` means no limit. Only CP-SAT can run long, and
        returns its best pairs with status ``"feasible"`` and the proven (finite)
        bound when the limit is reached, or raises ``mm.TimeLimitError`` when it
        found none by then; ``0`` gives it no search time at all. The exact fast
        paths (scipy, min-cost flow) always finish.
    seed : int, default 0
        A whole number from 0 to 2**31 - 1; the same input and seed give the same pairs.

    Returns
    -------
    Assignment

    Raises
    ------
    mm.InputError
        For bad arguments, every one named (see ``mentormatch.validation``).
    mm.InfeasibleError
        When no pairing satisfies the bounds; ``.conflicts`` says why.
    mm.TimeLimitError
        When ``time_limit`` ran out before any pairing was found (none is proven not to
        exist: a larger limit may find one).

    Examples
    --------
    >>> import mentormatch as mm
    >>> a = mm.assign([[0.9, 0.8], [0.7, 0.1]])
    >>> a.pairs, round(a.objective, 2), a.status
    ([(0, 1), (1, 0)], 1.5, 'optimal')
    >>> mm.assign([[0.9, 0.8], [0.7, 0.1]], max_pairs=1).pairs
    [(0, 0)]

    A minimum-cost assignment, as with scipy: negate the costs and ask for every pair.

    >>> cost = [[4.0, 1.0], [2.0, 3.0]]
    >>> a = mm.assign([[-c for c in row] for row in cost], min_pairs=2)
    >>> a.pairs, -a.objective, a.solver
    ([(0, 1), (1, 0)], 3.0, 'lsa')
    """
    check_arguments("assign", locals())
    problem = Problem.build(
        scores,
        allowed=None if forbidden is None else ~np.asarray(forbidden),
        capacity=capacity,
        min_pairs=min_pairs,
        max_pairs=max_pairs,
    )
    return solve(problem, time_limit=time_limit, seed=seed)


def solve(
    problem: Problem, solver: str = "auto", time_limit: float | None = None, seed: int = 0
) -> Assignment:
    """Solve a problem with the named solver, or the fastest that supports it.

    Examples
    --------
    >>> p = Problem.build([[0.9, 0.8], [0.7, 0.1]], max_pairs=1)
    >>> a = solve(p)
    >>> a.pairs, a.solver
    ([(0, 0)], 'flow')
    >>> solve(p, solver="cpsat").pairs
    [(0, 0)]
    """
    check_arguments("solve", locals())
    start = time.perf_counter()
    conflicts = lock_conflicts(problem)
    if conflicts:
        raise InfeasibleError(conflicts)
    free = _without_locks(problem)
    name, module = _choose(free, solver)
    try:
        solution = module.solve(free, time_limit=time_limit, seed=seed)
    except NoSolutionError:
        raise InfeasibleError(
            pair_count_conflicts(free, problem.locked) or rule_conflicts(problem)
        ) from None
    except OutOfTimeError as out:
        raise TimeLimitError(time_limit or 0.0, out.detail) from None
    pairs = sorted([*solution.pairs, *problem.locked])
    objective = problem.total(pairs)
    bound = objective if solution.bound is None else solution.bound + problem.total(problem.locked)
    return Assignment(
        pairs=pairs,
        objective=objective,
        status=solution.status,
        bound=bound,
        solver=name,
        wall_time=time.perf_counter() - start,
    )


def _choose(problem: Problem, solver: str) -> tuple[str, ModuleType]:
    if solver == "auto":
        return next((n, s) for n, s in SOLVERS.items() if refusal(n, problem) is None)
    if solver not in SOLVERS:
        raise InputError(
            Violation(
                f"expected one of 'auto', {', '.join(map(repr, SOLVERS))}, got {solver!r}",
                argument="solver",
            )
        )
    why_not = refusal(solver, problem)
    if why_not is not None:
        raise InputError(
            Violation(f"solver {solver!r} does not apply: the problem {why_not}", argument="solver")
        )
    return solver, SOLVERS[solver]


def _without_locks(problem: Problem) -> Problem:
    """The same problem with the locked pairs taken: their mentees and capacity removed
    (stability still counts them, as ``preferences.taken``)."""
    if not problem.locked:
        return problem
    mentors = np.array([i for i, _ in problem.locked])
    mentees = np.array([j for _, j in problem.locked])
    allowed = problem.allowed.copy()
    allowed[:, mentees] = False
    capacity = problem.capacity - np.bincount(mentors, minlength=problem.shape[0])
    inside = [int(g.contains(mentors, mentees).sum()) for g in problem.groups]
    groups = tuple(
        replace(g, max=g.max - k, min=max(0, g.min - k))
        for g, k in zip(problem.groups, inside, strict=True)
    )
    preferences = problem.preferences and replace(problem.preferences, taken=problem.locked)
    taken = len(problem.locked)
    return replace(
        problem,
        allowed=allowed,
        capacity=capacity,
        min_pairs=max(0, problem.min_pairs - taken),
        max_pairs=problem.max_pairs - taken,
        groups=groups,
        locked=(),
        preferences=preferences,
    )
