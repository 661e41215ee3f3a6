"""What the reasons read on the sparse path: a view of the problem that computes the lines
and blocks asked for, and the facts behind the reasons read off the candidates.

The reasons of :mod:`mentormatch.explain` need, per person left out, their best
partner that is free (or why there is none), and per pair the mentee's best
allowed mentor and the best one a rule rules out. The scan has most of it: a
mentee's candidates hold every allowed pair down to its threshold, so the best
free one among them, if it clears the threshold, is the best free one of all;
a mentor's best allowed mentee is known, so when that one is free it is the
answer. Everyone else (rare: their best partners are all taken, or all in full
quotas) is surveyed exactly, on their own line of pairs, through the view.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
from numpy.typing import NDArray

from mentormatch.explain import (
    BELOW_FLOOR,
    BEST_FREE,
    GROUP_FULL,
    NO_PARTNER,
    NO_ROOM,
    TABLE,
    Outcome,
    PairFacts,
    Role,
    Survey,
    survey_table,
)
from mentormatch.problem import GroupLimit, Preferences
from mentormatch.scoring import PairScorer
from mentormatch.sparse._problem import SparseProblem
from mentormatch.sparse._scan import Candidates, in_blocks

__all__ = ["CandidateFacts", "SparseView"]

Block = Callable[[NDArray[np.intp], NDArray[np.intp]], NDArray[Any]]
SAMPLED = 512
"""Partners tried per person to know, without a whole line, that it has an allowed one."""


@dataclass(frozen=True)
class _Computed:
    """A (mentors x mentees) table that computes the lines, blocks and pairs asked for.

    ``block(rows, columns)`` gives a block; ``[rows, columns]`` with two arrays of
    equal length gives listed pairs (numpy's meaning), through ``pairs`` when given.
    """

    shape: tuple[int, int]
    block: Block
    pairs: Block | None = None
    known: tuple[NDArray[np.int64], NDArray[np.float64]] | None = None
    """Values at hand: sorted keys ``row * n + column`` and their values (the candidates)."""

    def __getitem__(self, key: tuple[Any, Any]) -> Any:
        rows, columns = key
        one = isinstance(rows, int | np.integer) and isinstance(columns, int | np.integer)
        if self.known is not None and one:
            keys, values = self.known
            wanted = int(rows) * self.shape[1] + int(columns)
            at = int(np.searchsorted(keys, wanted))
            if at < len(keys) and keys[at] == wanted:
                return values[at]
        if isinstance(rows, np.ndarray | list) and isinstance(columns, np.ndarray | list):
            rows, columns = np.asarray(rows, dtype=np.intp), np.asarray(columns, dtype=np.intp)
            if self.pairs is not None:
                return self.pairs(rows, columns)
            return np.array(
                [self.block(rows[k : k + 1], columns[k : k + 1])[0, 0] for k in range(len(rows))]
            )
        values = self.block(_positions(rows, self.shape[0]), _positions(columns, self.shape[1]))
        if isinstance(rows, int | np.integer):
            values = values[0]
            return values[0] if isinstance(columns, int | np.integer) else values
        return values[:, 0] if isinstance(columns, int | np.integer) else values


def _positions(key: Any, size: int) -> NDArray[np.intp]:
    if isinstance(key, slice):
        return np.arange(size)[key]
    return np.atleast_1d(np.asarray(key, dtype=np.intp))


@dataclass(frozen=True, eq=False)
class SparseView:
    """A large problem as the reasons read it (:class:`~mentormatch.explain.ProblemView`):
    the limits and ids at hand, the scores and masks computed where they are read."""

    problem: SparseProblem
    scorer: PairScorer
    found: Candidates

    @property
    def shape(self) -> tuple[int, int]:
        """(number of mentors, number of mentees)."""
        return self.problem.shape

    @property
    def mentor_ids(self) -> tuple[str, ...]:
        """The mentors' ids, sorted."""
        return self.scorer.mentors.ids

    @property
    def mentee_ids(self) -> tuple[str, ...]:
        """The mentees' ids, sorted."""
        return self.scorer.mentees.ids

    @property
    def capacity(self) -> NDArray[np.int64]:
        """The most mentees each mentor takes."""
        return self.problem.capacity

    @property
    def groups(self) -> tuple[GroupLimit, ...]:
        """The group limits."""
        return self.problem.groups

    @property
    def locked(self) -> tuple[tuple[int, int], ...]:
        """The locked pairs."""
        return self.problem.locked

    @property
    def max_pairs(self) -> int:
        """The most pairs."""
        return self.problem.max_pairs

    @property
    def needs(self) -> frozenset[str]:
        """Nothing beyond a network flow: the sparse path refuses minimums and stability."""
        return frozenset()

    @property
    def preferences(self) -> Preferences | None:
        """None: the sparse path refuses a rule of stability."""
        return None

    @cached_property
    def scores(self) -> _Computed:
        """The scores, computed where read."""
        keys = self.found.rows.astype(np.int64) * self.shape[1] + self.found.columns
        return _Computed(
            self.shape,
            lambda r, c: self.scorer.block(r, c).astype(np.float64),
            self.scorer.pairs,
            (keys, self.found.scores),  # sorted: the scan keeps them in key order
        )

    @cached_property
    def allowed(self) -> _Computed:
        """The pairs the rules allow, computed where read."""
        return _Computed(self.shape, self.problem.allowed)

    @cached_property
    def usable(self) -> _Computed:
        """The allowed pairs with a mentor of capacity above 0, computed where read."""
        return _Computed(self.shape, self.problem.usable)

    @cached_property
    def forbidden_by(self) -> Mapping[str, _Computed]:
        """Per rule, the pairs it rules out, computed where read."""
        return {
            rule: _Computed(self.shape, self.problem.ruled_out_by_rule(rule))
            for rule in self.problem.tests
        }

    def label(self, bound: str) -> str:
        """How messages name a pair-count bound, e.g. ``PairCount(max=15)``."""
        value = self.problem.max_pairs if bound == "max_pairs" else self.problem.min_pairs
        return self.problem.labels.get(bound, f"{bound}={value}")

    def ruled_out_by(self, i: int, j: int) -> list[str]:
        """The rules that rule out mentor ``i`` with mentee ``j``."""
        one_row, one_column = np.array([i]), np.array([j])
        return [
            rule for rule, mask in self.problem.ruled_out(one_row, one_column).items() if mask[0, 0]
        ]


@dataclass(frozen=True, eq=False)
class CandidateFacts:
    """The facts behind the reasons (:class:`~mentormatch.explain.Facts`), read off the
    candidates where they settle them, and surveyed line by line where they do not."""

    found: Candidates
    problem: SparseProblem

    def survey(self, outcome: Outcome, role: Role, people: NDArray[np.intp]) -> Survey:
        """Who is left out and why; see the module docstring for which people are settled
        by the candidates and which are surveyed on their own line of pairs."""
        settle = self._mentees if role == "mentee" else self._mentors
        known = self._known_allowed(outcome, role, people)
        case, group, best = settle(outcome, people, known)
        allowed = (self.found.mentee_allowed if role == "mentee" else self.found.mentor_allowed)[
            people
        ]
        if not self.found.exact:
            self._below_floor(outcome, role, people, known, case)
        allowed = allowed.astype(np.intp)  # -1 where not counted: only for settled cases
        open_ = case < 0
        if open_.any():
            exact = survey_table(outcome, role, people[open_])
            case[open_], group[open_], best[open_] = exact.case, exact.group, exact.best
            allowed[open_] = exact.allowed
        return Survey(role, people, case, group, best, allowed)

    def _known_allowed(
        self, outcome: Outcome, role: Role, people: NDArray[np.intp]
    ) -> NDArray[np.bool_]:
        """Per person, whether it is known to have an allowed partner: from the counts
        when every pair was scored, else from its candidates or a sample of partners."""
        found = self.found
        if found.exact:
            counts = found.mentee_allowed if role == "mentee" else found.mentor_allowed
            exact: NDArray[np.bool_] = counts[people] > 0
            return exact
        mine = np.zeros(self.problem.shape[1 if role == "mentee" else 0], dtype=bool)
        mine[found.columns if role == "mentee" else found.rows] = True
        known: NDArray[np.bool_] = mine[people]
        size = self.problem.shape[0 if role == "mentee" else 1]
        sample = np.unique(np.linspace(0, size - 1, min(size, SAMPLED)).astype(np.intp))
        rest = people[~known]
        for part in in_blocks(rest, len(sample)):
            if role == "mentee":
                found_any = self.problem.usable(sample, part).any(axis=0)
            else:
                found_any = self.problem.usable(part, sample).any(axis=1)
            mine[part[found_any]] = True
        known = mine[people]
        return known

    def _below_floor(
        self,
        outcome: Outcome,
        role: Role,
        people: NDArray[np.intp],
        known: NDArray[np.bool_],
        case: NDArray[np.intp],
    ) -> None:
        """Settle as ``BELOW_FLOOR`` the people with an allowed partner none of whose pairs
        scores more than the lowest chosen pair, when the pair limit is reached: their bound
        says so, or their candidates do (every pair left out of them scoring below a
        threshold that is itself no more than that pair)."""
        if outcome.floor is None or len(outcome.pairs) < outcome.problem.max_pairs:
            return
        floor = outcome.score(*outcome.floor)
        found = self.found
        if role == "mentee":
            bound, below = found.mentee_bound[people], found.threshold[people] <= floor
            mine, size = found.columns, self.problem.shape[1]
        else:
            bound = found.mentor_bound[people]
            below = np.full(len(people), found.threshold.max(initial=-np.inf) <= floor)
            mine, size = found.rows, self.problem.shape[0]
        best = np.full(size, -np.inf)
        np.maximum.at(best, mine, found.scores)
        settled = (bound <= floor) | (below & (best[people] <= floor))
        case[(case < 0) & known & settled] = BELOW_FLOOR

    def _mentees(
        self, outcome: Outcome, people: NDArray[np.intp], known: NDArray[np.bool_]
    ) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.intp]]:
        """Per left-out mentee: case, full group and best mentor, or case -1 when the
        candidates do not settle it."""
        found = self.found
        size = len(people)
        case = np.full(size, -1, dtype=np.intp)
        group = np.full(size, -1, dtype=np.intp)
        best = np.zeros(size, dtype=np.intp)
        allowed = found.mentee_allowed[people]
        case[allowed == 0] = NO_PARTNER
        # a full limit over whole mentee columns counts every pair of its mentees; the
        # first full limit of another kind is left to the exact survey (it may cover some)
        exotic = False
        for index, (limit, _) in enumerate(outcome.full):
            if limit.pairs is not None or limit.mentors is not None:
                exotic = True
                break
            covers = (case < 0) & known
            if limit.mentees is not None:
                covers &= limit.mentees[people]
            case[covers], group[covers] = GROUP_FULL, index
        position = np.full(outcome.problem.shape[1], -1, dtype=np.intp)
        position[people] = np.arange(size)
        at = position[found.columns]
        take = at >= 0
        rows, at, scores = found.rows[take], at[take], found.scores[take]
        open_rows = case[at] < 0
        rows, at, scores = rows[open_rows], at[open_rows], scores[open_rows]
        free = outcome.room[rows]
        available = free.copy()
        for limit, _ in outcome.full:
            available &= ~limit.contains(rows, people[at])
        # the best available candidate that clears the mentee's threshold is the best of all
        clears = available & (scores >= found.threshold[people[at]])
        ranked = np.lexsort((rows, -scores, ~clears, at))  # per mentee: clearing, best, lowest
        first = np.unique(at[ranked], return_index=True)[1]
        winners = ranked[first]
        settled = clears[winners]
        case[at[winners][settled]] = BEST_FREE
        best[at[winners][settled]] = rows[winners][settled]
        # when every allowed mentor is a candidate, no room or blocked is settled too
        count = np.bincount(at, minlength=size)
        complete = (case < 0) & (count == allowed)
        if complete.any() and not exotic:
            has_free = np.bincount(at, weights=free, minlength=size) > 0
            no_room = complete & ~has_free
            case[no_room] = NO_ROOM
            best[no_room] = found.mentee_best_mentor[people[no_room]]
            # blocked: left to the exact survey, which names the limits concerned
        return case, group, best

    def _mentors(
        self, outcome: Outcome, people: NDArray[np.intp], known: NDArray[np.bool_]
    ) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.intp]]:
        """Per left-out mentor: settled when it may have no mentee at all, or when one of
        its best few allowed mentees is unpaired and in no full limit with it (every
        better one being paired or full, and all of them listed); else case -1."""
        found = self.found
        size = len(people)
        case = np.full(size, -1, dtype=np.intp)
        group = np.full(size, -1, dtype=np.intp)
        best = np.zeros(size, dtype=np.intp)
        case[found.mentor_allowed[people] == 0] = NO_PARTNER
        top = found.mentor_top[people]
        mentees = found.mentor_top_mentee[people]
        listed = np.isfinite(top)
        free = np.zeros(top.shape, dtype=bool)
        free[listed] = outcome.mentor_of[mentees[listed]] < 0
        available = free.copy()
        rows = np.broadcast_to(people[:, None], top.shape)
        for limit, _ in outcome.full:
            available[listed] &= ~limit.contains(rows[listed], mentees[listed])
        first = np.argmax(available, axis=1)  # lists are best first, ties by position
        chosen = available[np.arange(size), first]
        # the last listed value may tie with mentees left off the list: settle only above it
        last = top[:, -1]
        whole = ~np.isfinite(last) | (top[np.arange(size), first] > last)
        settled = (case < 0) & chosen & whole
        case[settled] = BEST_FREE
        best[settled] = mentees[np.arange(size), first][settled]
        return case, group, best

    def pair_facts(self, outcome: Outcome) -> PairFacts:
        """Per chosen pair, from the scan: the mentee's best allowed mentor, how many tie
        with it (all at its best score are candidates), the best mentor a rule rules out;
        after the top scan, from the chosen mentees' own lines of pairs."""
        found = self.found
        if not found.exact:
            return TABLE.pair_facts(outcome)
        mentors = np.array([i for i, _ in outcome.pairs], dtype=np.intp)
        mentees = np.array([j for _, j in outcome.pairs], dtype=np.intp)
        mine = outcome.problem.scores[mentors, mentees] if len(mentors) else np.zeros(0)
        at_best = found.scores == found.mentee_best[found.columns]
        ties = np.bincount(found.columns[at_best], minlength=outcome.problem.shape[1])[mentees]
        beats = found.mentee_ruled_best[mentees] > mine
        return PairFacts(
            best=found.mentee_best_mentor[mentees],
            ties=ties.astype(np.intp),
            ruled_out=np.where(beats, found.mentee_ruled_mentor[mentees], -1),
        )
