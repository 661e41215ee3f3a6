"""Why a problem has no pairing, in plain words, found without a solver where possible.

Two checks: the locked pairs against the other limits, and the pair-count
minimum against the largest number of pairs the allowed pairs, capacities and
one-sided group limits permit (a max-flow; locked pairs count among them). Each
names the rules and people concerned: what limits the count, and every rule or
group limit without which more pairs would be possible. When neither finds the
clash (group minimums, limits over pairs, stability), :func:`rule_conflicts` asks
CP-SAT for a small set of the rules that cannot hold together.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import replace

import numpy as np
from numpy.typing import NDArray

from mentormatch.problem import GroupLimit, Problem
from mentormatch.solvers.cpsat import core
from mentormatch.solvers.flow import most_pairs

__all__ = ["lock_conflicts", "pair_count_conflicts", "rule_conflicts"]

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
    most = problem.max_pairs
    if len(locks) > most and not found:
        found.append(
            f"{len(locks)} lock{_s(len(locks))} ({', '.join(locks)}) but "
            f"{problem.label('max_pairs')} allows at most {most} pair{_s(most)}"
        )
    for group in problem.groups:
        inside = [_lock(problem, i, j) for i, j in problem.locked if group.count([(i, j)])]
        if len(inside) > group.max:
            found.append(
                f"{' and '.join(inside)} lock {len(inside)} pairs under {group.rule}, "
                f"which allows at most {group.max}"
            )
    return found


def rule_conflicts(problem: Problem) -> list[str]:
    """The rules (pair counts, group limits, stability, locks) of a small set that cannot
    hold together, found by CP-SAT, in the rules' words; for any problem without a pairing.

    Examples
    --------
    >>> import numpy as np
    >>> from mentormatch.problem import GroupLimit
    >>> north = GroupLimit(2, "Quota('region', min=2): North", mentees=np.array([1, 1, 0]) > 0,
    ...                    min=2)
    >>> p = Problem.build(np.ones((3, 3)), groups=(north,), locked=((0, 2),),
    ...                   labels={"max_pairs": "PairCount(max=2)"}, max_pairs=2)
    >>> print(*rule_conflicts(p))  # doctest: +NORMALIZE_WHITESPACE
    these rules cannot hold together: PairCount(max=2), Quota('region', min=2): North and the
    lock mentor 0-mentee 2 (the pairs the rules allow and the mentors' capacities admit at most
    3 pairs)
    """
    limits = core(problem) or _limits(problem)  # none found: every limit of the problem
    names = list(dict.fromkeys(_limit(problem, limit) for limit in limits))
    if len(limits) == 1 and limits[0].endswith(" min"):
        group = problem.groups[int(limits[0].split()[1])]
        room = _room(problem, group)
        return [
            f"{group.rule} cannot hold: it needs at least {group.min} pairs, but the pairs "
            f"the rules allow and the mentors' capacities admit at most {room} in it"
        ]
    most = most_pairs(problem)
    admit = (
        f" (the pairs the rules allow and the mentors' capacities admit at most {most} "
        f"pair{_s(most)})"
    )
    if len(names) == 1:
        return [f"{names[0]} cannot hold{admit}"]
    listed = ", ".join(names[:-1]) + f" and {names[-1]}"
    return [f"these rules cannot hold together: {listed}{admit}"]


def _room(problem: Problem, group: GroupLimit) -> int:
    """The most pairs in the group the allowed pairs and capacities permit, other limits aside."""
    m, n = problem.shape
    rows, columns = np.divmod(np.arange(m * n), n)
    inside = group.contains(rows, columns).reshape(m, n)
    return most_pairs(replace(problem, allowed=problem.allowed & inside, groups=()))


def _limits(problem: Problem) -> list[str]:
    """Every limit of the problem, as :func:`~mentormatch.solvers.cpsat.core` names them."""
    limits = ["min_pairs"] if problem.min_pairs else []
    limits += ["max_pairs"] if "max_pairs" in problem.labels else []
    limits += [f"group {index}" for index in range(len(problem.groups))]
    limits += ["stability"] if problem.preferences is not None else []
    return limits + [f"lock {index}" for index in range(len(problem.locked))]


def _limit(problem: Problem, limit: str) -> str:
    """The rule behind a limit of the CP-SAT model, in the rules' words."""
    if limit in ("min_pairs", "max_pairs"):
        return problem.label(limit)
    if limit == "stability":
        assert problem.preferences is not None
        return problem.preferences.rule
    kind, index = limit.split()[:2]
    if kind == "lock":
        return _lock(problem, *problem.locked[int(index)])
    return problem.groups[int(index)].rule


def pair_count_conflicts(problem: Problem, locked: Sequence[tuple[int, int]] = ()) -> list[str]:
    """Why fewer than ``min_pairs`` pairs can be formed, when that is so.

    ``locked`` are the locked pairs already taken out of ``problem`` (their mentees
    and capacity removed, ``min_pairs`` lowered by as many); they count among the
    pairs that are possible. The statement says what limits the count (the mentees
    left without an allowed mentor, the mentors' room, the group limits, or how the
    allowed pairs overlap), then names every rule or group limit without which more
    pairs would be possible, or, when no one alone would make a difference, a
    smallest set of them that together would.

    Examples
    --------
    >>> import numpy as np
    >>> allowed = np.array([[True, False, False], [True, False, False]])
    >>> p = Problem.build(np.ones((2, 3)), allowed=allowed, min_pairs=2)
    >>> print(*pair_count_conflicts(p))  # doctest: +NORMALIZE_WHITESPACE
    min_pairs=2, but at most 1 pair is possible: only 1 mentee has any allowed mentor
    (mentee 0); none for mentee 1, mentee 2 (4 of their 4 pairs are forbidden)
    """
    most = most_pairs(problem)
    if problem.min_pairs <= most:
        return []
    taken = np.zeros(problem.shape[1], dtype=bool)
    taken[[j for _, j in locked]] = True
    count = len(locked)
    bound = problem.labels.get("min_pairs", f"min_pairs={problem.min_pairs + count}")
    total = most + count
    head = f"{bound}, but at most {total} pair{_s(total)} {_is(total)} possible"
    where = _bottleneck(problem, most, taken)
    if count:
        head += f" ({count} of them locked)"
        where = f"besides the {count} locked pair{_s(count)}, {where}"
    return [f"{head}: {where}{_limiting(problem, most, taken)}"]


def _s(count: int) -> str:
    return "" if count == 1 else "s"


def _limiting(problem: Problem, most: int, taken: NDArray[np.bool_]) -> str:
    """The rules and group limits without which more pairs would be possible.

    Each is taken away alone first; when none alone makes a difference, all are taken
    away and then put back one by one while more pairs stay possible, which leaves a
    smallest set that together limit the count (none when the cohort itself does).
    """
    locked = int(taken.sum())
    limits = [*problem.forbidden_by, *(group.rule for group in problem.groups)]
    found = [
        f"without {limit}, {more + locked} would be"
        for limit in limits
        if (more := _most_without(problem, {limit}, taken)) > most
    ]
    if found:
        extra = [f"and {len(found) - _LISTED} more"] if len(found) > _LISTED else []
        return "; " + "; ".join(found[:_LISTED] + extra)
    together = set(limits)
    if _most_without(problem, together, taken) <= most:
        return ""
    for limit in limits:
        if _most_without(problem, together - {limit}, taken) > most:
            together.discard(limit)
    names = " and ".join(limit for limit in limits if limit in together)
    more = _most_without(problem, together, taken) + locked
    return f"; no one rule alone limits it, but without {names} together, {more} would be"


def _most_without(problem: Problem, limits: set[str], taken: NDArray[np.bool_]) -> int:
    """The most pairs once the named rules (keys of ``forbidden_by``) and group limits
    (by their ``rule``) are gone; the ``taken`` (locked) mentees stay out."""
    none = np.zeros(problem.shape, dtype=bool)
    ruled = functools.reduce(np.logical_or, problem.forbidden_by.values(), none)
    kept = [mask for rule, mask in problem.forbidden_by.items() if rule not in limits]
    still = functools.reduce(np.logical_or, kept, none)
    allowed = problem.allowed | (ruled & ~still & ~taken[None, :])
    groups = tuple(group for group in problem.groups if group.rule not in limits)
    return most_pairs(replace(problem, allowed=allowed, groups=groups))


def _mentees(problem: Problem, indices: NDArray[np.intp]) -> str:
    """Mentees listed by id (``E001, E002``), or as ``mentee 0, mentee 1`` without ids."""
    if problem.mentee_ids:
        return _listing([problem.mentee_ids[j] for j in indices])
    return _listing([problem.mentee(int(j)) for j in indices])


def _is(count: int) -> str:
    return "is" if count == 1 else "are"


def _bottleneck(problem: Problem, most: int, taken: NDArray[np.bool_]) -> str:
    usable = problem.usable
    reachable = np.flatnonzero(usable.any(axis=0))
    if reachable.size == most:
        return _reach(problem, reachable, np.flatnonzero(~usable.any(axis=0) & ~taken))
    room = int(np.minimum(problem.capacity, usable.sum(axis=1)).sum())
    if room == most:
        return (
            f"the mentors can take only {room} mentees in all (their capacity, counting "
            "only allowed mentees)"
        )
    if problem.groups and most_pairs(replace(problem, groups=())) > most:
        return "the group limits leave room for no more"
    return (
        "the mentees with allowed mentors share too few of them: the allowed pairs admit "
        f"no more than {most} at once"
    )


def _reach(problem: Problem, reachable: NDArray[np.intp], stranded: NDArray[np.intp]) -> str:
    """Why only the ``reachable`` mentees can be paired: who has no allowed mentor with room
    (``stranded``), and which rules (or capacities of 0) leave them none."""
    m, n = problem.shape
    if m == 0 or n == 0:
        return f"there are {m} mentor{_s(m)} and {n} mentee{_s(n)}"
    count = reachable.size
    if count == 0:
        head = "no mentee has any allowed mentor"
    else:
        verb = "has" if count == 1 else "have"
        head = f"only {count} mentee{_s(count)} {verb} any allowed mentor "
        head += f"({_mentees(problem, reachable)})"
    if not stranded.size:  # every mentee can be paired: there are no more of them
        return f"{head}, and there are no other mentees"
    pairs = m * stranded.size
    why = [
        f"{rule} rules out {int(mask[:, stranded].sum())} of their {pairs} pairs"
        for rule, mask in problem.forbidden_by.items()
        if mask[:, stranded].any()
    ]
    none = np.zeros((m, stranded.size), dtype=bool)
    named = functools.reduce(
        np.logical_or, [r[:, stranded] for r in problem.forbidden_by.values()], none
    )
    unnamed = int((~problem.allowed[:, stranded] & ~named).sum())
    if unnamed:
        why.append(f"{unnamed} of their {pairs} pairs are forbidden")
    full = problem.allowed[:, stranded] & (problem.capacity == 0)[:, None]
    if full.any():
        mentors = int(full.any(axis=1).sum())
        verb = "has" if mentors == 1 else "have"
        why.append(f"{mentors} mentor{_s(mentors)} allowed for them {verb} no room left")
    return f"{head}; none for {_mentees(problem, stranded)} ({'; '.join(why)})"
