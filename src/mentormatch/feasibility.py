"""Why a problem has no pairing, in plain words, found without a solver where possible.

Two checks: the locked pairs against the other limits, and the pair-count
minimum against the largest number of pairs the allowed pairs, capacities and
one-sided group limits permit (a max-flow). Each names the rules and people concerned.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from numpy.typing import NDArray

from mentormatch.problem import Problem
from mentormatch.solvers.flow import most_pairs

__all__ = ["lock_conflicts", "pair_count_conflicts"]

_LISTED = 8
"""At most this many ids are listed in one statement."""


def _listing(names: list[str]) -> str:
    more = f" and {len(names) - _LISTED} more" if len(names) > _LISTED else ""
    return ", ".join(names[:_LISTED]) + more


def _ruling(problem: Problem, i: int, j: int) -> str:
    rules = [rule for rule, mask in problem.forbidden_by.items() if mask[i, j]]
    return ", ".join(rules) or "the allowed pairs"


def lock_conflicts(problem: Problem) -> list[str]:
    """The locked pairs that cannot all be kept, with the limit each breaks.

    Examples
    --------
    >>> import numpy as np
    >>> p = Problem.build(np.ones((2, 1)), locked=((0, 0), (1, 0)))
    >>> lock_conflicts(p)
    ['mentee 0 is locked to 2 mentors (mentor 0, mentor 1), but a mentee has one mentor']
    """
    conflicts = []
    locks = problem.locked
    for i, j in locks:
        if not problem.allowed[i, j]:
            why = _ruling(problem, i, j)
            conflicts.append(
                f"the locked pair {problem.mentor(i)}-{problem.mentee(j)} is ruled out by {why}"
            )
    mentors = np.array([i for i, _ in locks], dtype=np.int64)
    mentees = np.array([j for _, j in locks], dtype=np.int64)
    for j in np.flatnonzero(np.bincount(mentees, minlength=problem.shape[1]) > 1):
        others = [problem.mentor(i) for i, jj in locks if jj == j]
        conflicts.append(
            f"{problem.mentee(j)} is locked to {len(others)} mentors ({', '.join(others)}), "
            "but a mentee has one mentor"
        )
    load = np.bincount(mentors, minlength=problem.shape[0])
    for i in np.flatnonzero(load > problem.capacity):
        conflicts.append(
            f"{problem.mentor(i)} is locked to {load[i]} mentees, above its capacity "
            f"{problem.capacity[i]}"
        )
    if not conflicts and len(locks) > problem.max_pairs:
        conflicts.append(f"{len(locks)} locked pairs, but {problem.label('max_pairs')}")
    for group in problem.groups:
        inside = int(group.pairs[mentors, mentees].sum())
        if inside > group.max:
            conflicts.append(f"{inside} locked pairs fall under {group.rule}")
    return conflicts


def pair_count_conflicts(problem: Problem) -> list[str]:
    """Why fewer than ``min_pairs`` pairs can be formed, when that is so.

    Examples
    --------
    >>> import numpy as np
    >>> allowed = np.array([[True, False, False], [True, False, False]])
    >>> p = Problem.build(np.ones((2, 3)), allowed=allowed, min_pairs=2)
    >>> print(*pair_count_conflicts(p))  # doctest: +NORMALIZE_WHITESPACE
    min_pairs=2, but at most 1 pair is possible: only 1 mentee has any allowed mentor
    (mentee 0); none for mentee 1, mentee 2
    """
    most = most_pairs(problem)
    if problem.min_pairs <= most:
        return []
    usable = problem.allowed & (problem.capacity > 0)[:, None]
    plural = "" if most == 1 else "s"
    head = f"{problem.label('min_pairs')}, but at most {most} pair{plural} {_is(most)} possible: "
    return [head + _bottleneck(problem, usable, most)]


def _is(count: int) -> str:
    return "is" if count == 1 else "are"


def _bottleneck(problem: Problem, usable: NDArray[np.bool_], most: int) -> str:
    reachable = np.flatnonzero(usable.any(axis=0))
    if reachable.size == most:
        stranded = [problem.mentee(j) for j in np.flatnonzero(~usable.any(axis=0))]
        rules = [
            f"{rule} rules out {int(mask.sum())} pairs"
            for rule, mask in problem.forbidden_by.items()
            if mask.any()
        ]
        ruled = f" ({'; '.join(rules)})" if rules else ""
        return (
            f"only {most} mentee{'' if most == 1 else 's'} {'has' if most == 1 else 'have'} "
            f"any allowed mentor ({_listing([problem.mentee(j) for j in reachable])}); "
            f"none for {_listing(stranded)}{ruled}"
        )
    room = int(np.minimum(problem.capacity, usable.sum(axis=1)).sum())
    if room == most:
        return (
            f"the mentors can take only {room} mentees in all (their capacity, counting "
            "only allowed mentees)"
        )
    if problem.groups and most_pairs(replace(problem, groups=())) > most:
        return "the group limits leave room for no more: " + _listing(
            [g.rule for g in problem.groups if g.side != "pairs"]
        )
    return (
        "the mentees with allowed mentors share too few of them: the allowed pairs admit "
        f"no more than {most} at once"
    )
