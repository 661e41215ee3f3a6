"""The k best distinct pairings under the same rules: Murty's partitioning.

The best pairing ``S`` of a set of pairings (those containing the pairs ``F`` and
none of ``X``, with at least ``L`` pairs) splits the rest of the set into disjoint
parts: for each pair ``e_k`` of ``S`` not in ``F``, the pairings that hold
``e_1 .. e_{k-1}`` but not ``e_k``; and, since the number of pairs may vary, the
pairings that hold all of ``S`` and at least one pair more. Each part is the
round's problem with locks added, pairs ruled out and ``min_pairs`` raised, solved
exactly by :meth:`Round.solve` (the flow where the rules allow it). The best
part's pairing is the next best overall (K. G. Murty, 1968).

Measured against no-good cuts in one CP-SAT model (``benchmarks/bench_choices.py``):
partitioning keeps every solve on the fast path of the rules (a flow for the
pilot's rules), where each no-good cut forces CP-SAT; so partitioning it is.
A pair ruled out here is a search restriction, not a rule: it still blocks under
``Stable()``.
"""

from __future__ import annotations

import heapq
import itertools
from dataclasses import dataclass, replace

import numpy as np

from mentormatch.assignment import Assignment
from mentormatch.choices._changes import changes_between, id_pairs, index_pairs, setup_of
from mentormatch.errors import InfeasibleError, InputError, Violation
from mentormatch.matching import Round, result_of
from mentormatch.problem import Problem
from mentormatch.result import MatchResult

__all__ = ["alternatives"]

Pair = tuple[int, int]


@dataclass(frozen=True)
class _Part:
    """A part of the pairings: those holding ``forced``, none of ``excluded``, and at
    least ``least`` pairs."""

    forced: frozenset[Pair]
    excluded: frozenset[Pair]
    least: int

    def problem(self, base: Problem) -> Problem:
        allowed = base.allowed.copy()
        for i, j in self.excluded:
            allowed[i, j] = False
        allowed.flags.writeable = False
        locked = tuple(sorted(set(base.locked) | self.forced))
        return replace(base, allowed=allowed, locked=locked, min_pairs=self.least)

    def split(self, pairs: list[Pair]) -> list[_Part]:
        """The parts the rest of this one falls into, once ``pairs`` is taken from it."""
        free = [pair for pair in pairs if pair not in self.forced]
        parts = [
            _Part(self.forced | set(free[:k]), self.excluded | {pair}, self.least)
            for k, pair in enumerate(free)
        ]
        parts.append(_Part(self.forced | set(free), self.excluded, max(self.least, len(pairs) + 1)))
        return parts


def alternatives(result: MatchResult, k: int = 5) -> list[MatchResult]:
    """The ``k`` best distinct pairings under the result's rules and objective, best first.

    The first is the result's own pairing; each next one is the best pairing that differs
    from all before it (exact: each is optimal given the exclusion of the earlier ones,
    "optimal" in its status only when every solve behind it was proven). Each has
    ``changes``: the pairs in and out against the first. Fewer than ``k`` come back when
    the rules allow fewer pairings.

    Parameters
    ----------
    result : MatchResult
        From :func:`mm.match`.
    k : int, default 5
        How many pairings, the first included.

    Examples
    --------
    >>> import mentormatch as mm
    >>> result = mm.match(mm.example_cohort())
    >>> second = result.alternatives(2)[1]
    >>> second.objective <= result.objective, sorted(set(second.changes["change"]))
    (True, ['in', 'out'])
    """
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise InputError(Violation(f"expected a whole number >= 1, got {k!r}", argument="k"))
    setup = setup_of(result)
    first = index_pairs(setup, id_pairs(result))
    root = _Part(frozenset(setup.problem.locked), frozenset(), setup.problem.min_pairs)
    start = Assignment(
        first, result.objective, result.status, result.bound, result.solver, result.wall_time
    )
    counter = itertools.count()
    queue = [(_order(setup, start), next(counter), root, start)]
    found: list[MatchResult] = []
    proven = result.status == "optimal"
    while queue and len(found) < k:
        _, _, part, best = heapq.heappop(queue)
        chosen = best if proven else replace(best, status="feasible")
        before, after = id_pairs(result), _ids(setup, chosen.pairs)
        found.append(result_of(setup, chosen, changes_between(setup, before, after, _why)))
        if len(found) == k:
            break
        for child in part.split(best.pairs):
            solved = _solve(setup, child)
            if solved is None:
                continue
            proven &= solved.status == "optimal"
            heapq.heappush(queue, (_order(setup, solved), next(counter), child, solved))
    return found


def _solve(setup: Round, part: _Part) -> Assignment | None:
    if part.least > setup.problem.max_pairs:
        return None
    try:
        return setup.solve(part.problem(setup.problem))
    except InfeasibleError:
        return None


def _order(setup: Round, found: Assignment) -> tuple[float, ...]:
    """The heap key: the objective's stages, negated (best first)."""
    total = -found.objective
    if setup.objective == "total":
        return (total,)
    scores = setup.problem.scores
    worst = min((scores[i, j] for i, j in found.pairs), default=np.inf)
    if setup.objective == "fair":
        return (-len(found.pairs), -float(worst), total)
    return (-len(found.pairs), total)


def _ids(setup: Round, pairs: list[Pair]) -> list[tuple[str, str]]:
    return [(setup.problem.mentor_ids[i], setup.problem.mentee_ids[j]) for i, j in pairs]


def _why(change: str, pair: tuple[str, str]) -> str:
    return "not in the first pairing" if change == "in" else "in the first pairing only"
