"""The limits of a large problem and its rules' block tests, compiled once."""

from __future__ import annotations

from collections.abc import Callable, Sequence
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
from mentormatch.solvers import flow

__all__ = ["SparseProblem", "compile_sparse"]


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

    def ruled_out_by_rule(
        self, rule: str
    ) -> Callable[[NDArray[np.intp], NDArray[np.intp]], NDArray[np.bool_]]:
        """The test of the pairs one rule (as written) rules out, for any block."""
        tests = self.tests[rule]

        def ruled(rows: NDArray[np.intp], columns: NDArray[np.intp]) -> NDArray[np.bool_]:
            found: NDArray[np.bool_] = np.logical_or.reduce([test(rows, columns) for test in tests])
            return found

        return ruled

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
        groups=tightest(tuple(draft.groups), most),
        locked=tuple(sorted(draft.locks)),
        labels={bound: label for bound, (_, label) in draft.bounds.items()},
        tests=draft.tests,
    )
    awkward = [g.rule for g in problem.groups if g.side == "pairs" or g.min > 0]
    if flow.overlapping(problem):
        awkward.append("group limits over overlapping people")
    if draft.preferences is not None:
        awkward.append(draft.preferences.rule)
    if awkward:
        raise InputError(
            Violation(
                f"{', '.join(awkward)}: the sparse path for large cohorts holds only "
                "maxima on one side's people, each person in one group, and no stability; "
                "give candidates=None to solve densely",
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
