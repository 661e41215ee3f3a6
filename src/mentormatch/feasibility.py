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


def _ruling(problem: Problem, i: int, j: int) -> list[str]:
    """The rules that rule out pair (i, j), or "the allowed pairs" when none is named."""
    if problem.allowed[i, j]:
        return []
    return problem.ruled_out_by(i, j) or ["the allowed pairs"]


def _lock(problem: Problem, i: int, j: int) -> str:
    if problem.mentor_ids and problem.mentee_ids:
        return f"Lock({problem.mentor_ids[i]!r}, {problem.mentee_ids[j]!r})"
    return f"the lock {problem.mentor(i)}-{problem.mentee(j)}"


def _locks_per(problem: Problem, side: int) -> dict[int, list[str]]:
    """The locks per mentor (side 0) or per mentee (side 1), in the rules' words."""
    grouped: dict[int, list[str]] = {}
    for pair in problem.locked:
        grouped.setdefault(pair[side], []).append(_lock(problem, *pair))
    return grouped


def lock_conflicts(problem: Problem) -> list[str]:
    """The locked pairs that cannot all be kept, with the rule or limit each breaks.

    Examples
    --------
    >>> import numpy as np
    >>> p = Problem.build(np.ones((2, 1)), locked=((0, 0), (1, 0)))
    >>> lock_conflicts(p)  # doctest: +NORMALIZE_WHITESPACE
    ['the lock mentor 0-mentee 0 and the lock mentor 1-mentee 0 give mentee 0 2 mentors;
      a mentee has at most one']
    """
    found = [
        f"{_lock(problem, i, j)} clashes with {rule}, which rules out "
        f"{problem.mentor(i)} with {problem.mentee(j)}"
        for i, j in problem.locked
        for rule in _ruling(problem, i, j)
    ]
    found += [
        f"{' and '.join(locks)} give {problem.mentee(j)} {len(locks)} mentors; "
        "a mentee has at most one"
        for j, locks in _locks_per(problem, 1).items()
        if len(locks) > 1
    ]
    found += [
        f"{' and '.join(locks)} give {problem.mentor(i)} {len(locks)} mentees, "
        f"but its capacity is {problem.capacity[i]}"
        for i, locks in _locks_per(problem, 0).items()
        if len(locks) > problem.capacity[i]
    ]
    locks = [_lock(problem, i, j) for i, j in problem.locked]
    if len(locks) > problem.max_pairs and not found:
        found.append(
            f"{len(locks)} locks ({', '.join(locks)}) but {problem.label('max_pairs')} "
            f"allows at most {problem.max_pairs} pairs"
        )
    for group in problem.groups:
        inside = [_lock(problem, i, j) for i, j in problem.locked if group.count([(i, j)])]
        if len(inside) > group.max:
            found.append(
                f"{' and '.join(inside)} lock {len(inside)} pairs under {group.rule}, "
                f"which allows at most {group.max}"
            )
    return found


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
    plural = "" if most == 1 else "s"
    head = f"{problem.label('min_pairs')}, but at most {most} pair{plural} {_is(most)} possible: "
    return [head + _bottleneck(problem, most)]


def _mentees(problem: Problem, indices: NDArray[np.intp]) -> str:
    """Mentees listed by id (``E001, E002``), or as ``mentee 0, mentee 1`` without ids."""
    if problem.mentee_ids:
        return _listing([problem.mentee_ids[j] for j in indices])
    return _listing([problem.mentee(int(j)) for j in indices])


def _is(count: int) -> str:
    return "is" if count == 1 else "are"


def _bottleneck(problem: Problem, most: int) -> str:
    usable = problem.usable
    reachable = np.flatnonzero(usable.any(axis=0))
    if reachable.size == most:
        stranded = np.flatnonzero(~usable.any(axis=0))
        pairs = problem.shape[0] * stranded.size
        rules = [
            f"{rule} rules out {int(mask[:, stranded].sum())} of their {pairs} pairs"
            for rule, mask in problem.forbidden_by.items()
            if mask[:, stranded].any()
        ]
        ruled = f" ({'; '.join(rules)})" if rules else ""
        return (
            f"only {most} mentee{'' if most == 1 else 's'} {'has' if most == 1 else 'have'} "
            f"any allowed mentor ({_mentees(problem, reachable)}); "
            f"none for {_mentees(problem, stranded)}{ruled}"
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
