"""Plain-words reasons: why each pair, and why someone is left out, in two voices.

Every reason is a statement of fact read off the compiled problem and the chosen
pairs, never a guess: a person is "left out by the pair limit" only when the limit
is reached and their best free partner scores no more than the lowest chosen pair
that could give way; "at capacity" only when every allowed partner is full; a pair
is "set by" a ``Lock`` when a lock demanded it. Numbers are printed with as many
decimals as it takes to tell apart the values a reason sets side by side; equal
values are said to tie.

The facts are surveyed for everyone at once with numpy, in blocks of people (so
memory stays small), and then written in one of two voices:

- internal (``shared=False``), for the secretariat: every rule and person by name;
- shared (``shared=True``), written to be handed to the people concerned: a pair
  that a rule rules out is "ruled out by the programme's rules", without naming the
  rule or the other person, so no one learns of another's declared conflicts
  (``avoid``) or of the organisation rule applied to someone else.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal, Protocol

import numpy as np
from numpy.typing import NDArray

from mentormatch.problem import GroupLimit, Preferences

__all__ = [
    "TABLE",
    "Facts",
    "Lines",
    "Outcome",
    "PairFacts",
    "ProblemView",
    "Survey",
    "explanations",
    "numbers",
    "pair_texts",
    "survey_table",
    "unmatched_reasons",
]

Role = Literal["mentor", "mentee"]
BLOCK_CELLS = 1 << 18
"""At most this many (partner, person) cells are surveyed at once: 2 MB of scores, small
enough to stay in the processor's cache (measured fastest of 2**16 to 2**22 at 2,000 x 3,000)."""
_LISTED = 3
"""At most this many ids are listed where a reason names several."""

# What the survey found for one person left out, in the order they are tested.
NO_PARTNER, GROUP_FULL, NO_ROOM, BLOCKED, BEST_FREE, BELOW_FLOOR = range(6)
"""``BELOW_FLOOR``: the pair limit is reached and a bound proves that no allowed pair of
the person scores more than the lowest chosen pair (the sparse path, for people whose
best partner it did not need to find)."""


class Lines(Protocol):
    """A (mentors x mentees) table read by lines and blocks: a numpy array, or a view
    that computes what is asked for (the sparse path's, for large cohorts)."""

    def __getitem__(self, key: Any) -> Any:
        """``[i, j]``, ``[i, :]``, ``[:, j]``, ``[:, people]``, ``[people, :]``, or
        ``[rows, cols]`` for listed pairs."""


class ProblemView(Protocol):
    """What the reasons read of a compiled problem: a :class:`Problem`, or the sparse
    path's view of one too large to hold as tables."""

    @property
    def shape(self) -> tuple[int, int]:
        """(number of mentors, number of mentees)."""

    @property
    def mentor_ids(self) -> tuple[str, ...]:
        """The mentors' ids."""

    @property
    def mentee_ids(self) -> tuple[str, ...]:
        """The mentees' ids."""

    @property
    def capacity(self) -> NDArray[np.int64]:
        """The most mentees each mentor takes."""

    @property
    def groups(self) -> tuple[GroupLimit, ...]:
        """The group limits."""

    @property
    def locked(self) -> tuple[tuple[int, int], ...]:
        """The locked pairs."""

    @property
    def max_pairs(self) -> int:
        """The most pairs."""

    @property
    def needs(self) -> frozenset[str]:
        """What the problem asks beyond a network flow (see :attr:`Problem.needs`)."""

    @property
    def preferences(self) -> Preferences | None:
        """With a rule of stability: who ranked whom."""

    @property
    def scores(self) -> Lines:
        """The scores."""

    @property
    def allowed(self) -> Lines:
        """The pairs the rules allow."""

    @property
    def usable(self) -> Lines:
        """The pairs the rules allow with a mentor whose capacity is above 0."""

    @property
    def forbidden_by(self) -> Mapping[str, Lines]:
        """Per rule, the pairs it rules out."""

    def label(self, bound: str) -> str:
        """How messages name a pair-count bound."""

    def ruled_out_by(self, i: int, j: int) -> list[str]:
        """The rules that rule out mentor ``i`` with mentee ``j``."""


class Facts(Protocol):
    """Where the facts behind the reasons are found, for everyone at once."""

    def survey(self, outcome: Outcome, role: Role, people: NDArray[np.intp]) -> Survey:
        """What :class:`Survey` says of ``people`` (left out, on side ``role``)."""

    def pair_facts(self, outcome: Outcome) -> PairFacts:
        """What :class:`PairFacts` says of the chosen pairs."""


class _Table:
    """The facts read off the whole score table, in blocks of people."""

    def survey(self, outcome: Outcome, role: Role, people: NDArray[np.intp]) -> Survey:
        return survey_table(outcome, role, people)

    def pair_facts(self, outcome: Outcome) -> PairFacts:
        return _pair_facts(outcome)


def numbers(*values: float) -> list[str]:
    """The values printed with the fewest decimals (at least 2) that tell them apart.

    Examples
    --------
    >>> numbers(0.8, 0.79999), numbers(0.5, 0.5), numbers(-1e-7, 0.0)
    (['0.80000', '0.79999'], ['0.50', '0.50'], ['-0.0000001', '0.0000000'])
    """
    distinct = sorted(set(values))
    for decimals in range(2, 17):
        if len({float(f"{v:.{decimals}f}") for v in distinct}) == len(distinct):
            break
    return [f"{v:.{decimals}f}" for v in values]


@dataclass(frozen=True, eq=False)
class Outcome:
    """A solved round in index form, as the explanations need it.

    Parameters
    ----------
    problem : Problem
        The compiled problem (rows mentors, columns mentees), with the ids and
        per rule the pairs it rules out.
    pairs : sequence of (int, int)
        The chosen (mentor index, mentee index) pairs.
    pair_reason : callable
        ``(mentor_id, mentee_id) -> str``: the score breakdown in words.
    status : {"optimal", "feasible"}
        Whether the pairs are proven optimal; reasons that rest on optimality say so.
    facts : Facts, optional
        Where the facts behind the reasons are found: by default the whole score table
        (:data:`TABLE`); the sparse path for large cohorts gives its candidate pairs.
    objective : {"total", "fair", "coverage"}, default "total"
        What "best" meant (see :mod:`mentormatch.objectives`), for the reasons' words.
    """

    problem: ProblemView
    pairs: Sequence[tuple[int, int]]
    pair_reason: Callable[[str, str], str]
    status: Literal["optimal", "feasible"] = "optimal"
    facts: Facts = field(default_factory=lambda: TABLE)
    objective: str = "total"

    @property
    def best(self) -> str:
        """ "the best the rules allow", with the objective when it is not the total and the
        rules beyond a network flow that bind the pairs (minimums, stability)."""
        aim = {"coverage": " (most pairs first)", "fair": " (most pairs, then the best worst pair)"}
        binding = [g.rule for g in self.problem.groups if g.min]
        if "stability" in self.problem.needs:
            assert self.problem.preferences is not None
            binding.append(self.problem.preferences.rule)
        under = f", under {', '.join(dict.fromkeys(binding))}" if binding else ""
        return f"the best the rules allow{aim.get(self.objective, '')}{under}"

    @property
    def mentor_ids(self) -> tuple[str, ...]:
        """The ids of the problem's rows."""
        return self.problem.mentor_ids

    @property
    def mentee_ids(self) -> tuple[str, ...]:
        """The ids of the problem's columns."""
        return self.problem.mentee_ids

    @cached_property
    def mentor_of(self) -> NDArray[np.intp]:
        """Per mentee index, its mentor's index, or -1 when it has none."""
        mentor_of = np.full(self.problem.shape[1], -1, dtype=np.intp)
        for i, j in self.pairs:
            mentor_of[j] = i
        return mentor_of

    @cached_property
    def mentees_of(self) -> dict[int, list[int]]:
        """Mentor index -> its mentees' indices, in order."""
        taken: dict[int, list[int]] = {}
        for i, j in sorted(self.pairs):
            taken.setdefault(i, []).append(j)
        return taken

    @cached_property
    def room(self) -> NDArray[np.bool_]:
        """Per mentor, whether it can take one more mentee."""
        load = np.bincount([i for i, _ in self.pairs], minlength=self.problem.shape[0])
        room: NDArray[np.bool_] = load < self.problem.capacity
        return room

    @cached_property
    def full(self) -> tuple[tuple[GroupLimit, int], ...]:
        """The group limits the pairs fill, each with the number of chosen pairs it counts."""
        counts = ((group, group.count(self.pairs)) for group in self.problem.groups)
        return tuple((group, count) for group, count in counts if count >= group.max)

    @cached_property
    def locked(self) -> frozenset[tuple[int, int]]:
        """The pairs a lock demands."""
        return frozenset(self.problem.locked)

    @cached_property
    def floor(self) -> tuple[int, int] | None:
        """The lowest-scoring chosen pair that is not locked (ties: the first by index)."""
        free = sorted(p for p in self.pairs if p not in self.locked)
        return min(free, key=lambda p: self.score(*p)) if free else None

    @cached_property
    def words(self) -> dict[tuple[int, int], str]:
        """The score breakdown in words, per chosen pair."""
        return {
            (i, j): self.pair_reason(self.mentor_ids[i], self.mentee_ids[j]) for i, j in self.pairs
        }

    def score(self, i: int, j: int) -> float:
        """The score of mentor ``i`` with mentee ``j``."""
        return float(self.problem.scores[i, j])

    def person(self, role: Role, index: int) -> str:
        """The id of mentor or mentee ``index``."""
        return (self.mentor_ids if role == "mentor" else self.mentee_ids)[index]

    @cached_property
    def left_out(self) -> dict[Role, Survey]:
        """The survey of the mentors and of the mentees without a pair."""
        paired_mentors = np.zeros(self.problem.shape[0], dtype=bool)
        paired_mentors[list(self.mentees_of)] = True
        return {
            "mentor": self.facts.survey(self, "mentor", np.flatnonzero(~paired_mentors)),
            "mentee": self.facts.survey(self, "mentee", np.flatnonzero(self.mentor_of < 0)),
        }


@dataclass(frozen=True)
class Survey:
    """What was found, per person left out on one side, against their partners on the other.

    ``people`` are the indices of the people left out; per person, ``case`` is one of
    ``NO_PARTNER``, ``GROUP_FULL``, ``NO_ROOM``, ``BLOCKED``, ``BEST_FREE``; ``group``
    the index (in ``Outcome.full``) of a full group that counts all their allowed
    pairs; ``best`` their best allowed partner (case ``NO_ROOM``) or their best
    allowed partner with room whose pair no full group counts (case ``BEST_FREE``);
    ``allowed`` how many partners are allowed.
    """

    role: Role
    people: NDArray[np.intp]
    case: NDArray[np.intp]
    group: NDArray[np.intp]
    best: NDArray[np.intp]
    allowed: NDArray[np.intp]


def _blocks(people: NDArray[np.intp], partners: int) -> Iterator[NDArray[np.intp]]:
    step = max(1, BLOCK_CELLS // max(partners, 1))
    for start in range(0, len(people), step):
        yield people[start : start + step]


def _side(role: Role, people: NDArray[np.intp], matrix: Lines) -> NDArray[Any]:
    """A (partners x people) block of a (mentors x mentees) matrix."""
    block: NDArray[Any] = matrix[:, people] if role == "mentee" else matrix[people, :].T
    return block


def _joined(parts: Sequence[tuple[NDArray[np.intp], ...]], count: int) -> list[NDArray[np.intp]]:
    """Per-block results put back together: ``count`` arrays, one value per person."""
    if not parts:
        return [np.zeros(0, dtype=np.intp) for _ in range(count)]
    return [np.concatenate(column) for column in zip(*parts, strict=True)]


def _members(
    group: GroupLimit, role: Role, people: NDArray[np.intp], partners: int
) -> NDArray[np.bool_]:
    """Which (partner, person) pairs of a block the group counts."""
    if group.pairs is None:
        mine, theirs = (
            (group.mentees, group.mentors) if role == "mentee" else (group.mentors, group.mentees)
        )
        rows = np.ones(partners, dtype=bool) if theirs is None else theirs
        columns = np.ones(len(people), dtype=bool) if mine is None else mine[people]
        inside: NDArray[np.bool_] = rows[:, None] & columns[None, :]
        return inside
    person, partner = (1, 0) if role == "mentee" else (0, 1)
    where = {int(p): k for k, p in enumerate(people)}
    inside = np.zeros((partners, len(people)), dtype=bool)
    for pair in group.pairs:
        k = where.get(int(pair[person]))
        if k is not None:
            inside[pair[partner], k] = True
    return inside


def survey_table(outcome: Outcome, role: Role, people: NDArray[np.intp]) -> Survey:
    """The facts behind every left-out person's reason, found for all of them at once from
    the score table (through ``outcome.problem``'s ``usable`` and ``scores``)."""
    problem = outcome.problem
    partners = problem.shape[0 if role == "mentee" else 1]
    room = outcome.room if role == "mentee" else outcome.mentor_of < 0
    parts = []
    for block in _blocks(people, partners):
        usable = _side(role, block, problem.usable)
        allowed = usable.sum(axis=0)
        group = np.full(len(block), -1, dtype=np.intp)
        free = usable & room[:, None]
        available = free.copy()
        for index, (limit, _) in enumerate(outcome.full):
            inside = _members(limit, role, block, partners)
            covers = (allowed > 0) & ((usable & inside).sum(axis=0) == allowed) & (group < 0)
            group[covers] = index
            available &= ~inside
        case = np.full(len(block), BEST_FREE, dtype=np.intp)
        case[~available.any(axis=0)] = BLOCKED
        case[~free.any(axis=0)] = NO_ROOM
        case[group >= 0] = GROUP_FULL
        case[allowed == 0] = NO_PARTNER
        best = np.zeros(len(block), dtype=np.intp)
        for wanted, mask in ((NO_ROOM, usable), (BEST_FREE, available)):
            chosen = case == wanted
            if chosen.any():
                best[chosen] = _best(problem, role, block[chosen], mask[:, chosen])
        parts.append((case, group, best, allowed))
    return Survey(role, people, *_joined(parts, 4))


def _best(
    problem: ProblemView, role: Role, people: NDArray[np.intp], mask: NDArray[np.bool_]
) -> NDArray[np.intp]:
    """Per person, the best-scoring partner where ``mask`` (partners x people) is True."""
    scores = _side(role, people, problem.scores)  # a copy: masked in place
    np.putmask(scores, ~mask, -np.inf)
    best: NDArray[np.intp] = np.argmax(scores, axis=0)
    return best


def _ruled_out(outcome: Outcome, role: Role, index: int, shared: bool) -> str:
    """Why no partner is allowed: per rule how many it rules out (internal), or not (shared)."""
    problem = outcome.problem
    other: Role = "mentee" if role == "mentor" else "mentor"
    total = problem.shape[1 if role == "mentor" else 0]
    where = (index, slice(None)) if role == "mentor" else (slice(None), index)
    allowed = problem.allowed[where]
    if shared:
        ruled = int((~allowed).sum())
        text = f"no allowed {other}: the programme's rules rule out " + (
            f"all {total} {other}s" if ruled == total else f"{ruled} of the {total} {other}s"
        )
        if ruled < total:
            rest = total - ruled
            text += (
                f", and the other {rest} {'takes' if rest == 1 else 'take'} no mentee this round"
            )
        return text
    counts = [
        f"{rule} rules out {int(mask[where].sum())}"
        for rule, mask in problem.forbidden_by.items()
        if mask[where].any()
    ]
    if role == "mentee" and (problem.capacity == 0).any():
        counts.append(f"{int((problem.capacity == 0).sum())} have capacity 0")
    return f"no allowed {other}: of {total} {other}s, " + ", ".join(counts)


def _group(outcome: Outcome, index: int) -> str:
    group, count = outcome.full[index]
    return f"left out because {group.rule} allows at most {group.max} pairs and has {count}"


def _listing(names: Sequence[str]) -> str:
    more = f" and {len(names) - _LISTED} more" if len(names) > _LISTED else ""
    return ", ".join(names[:_LISTED]) + more


def _no_room(outcome: Outcome, role: Role, person: int, best: int, allowed: int) -> str:
    """Every allowed partner is full: at capacity (mentors) or paired (mentees)."""
    if role == "mentee":
        value = outcome.score(best, person)
        taken = outcome.mentees_of.get(best, [])
        shown = numbers(value, *(outcome.score(best, j) for j in taken))
        who = f"{outcome.mentor_ids[best]} ({shown[0]})"
        partners = ", ".join(
            f"{outcome.mentee_ids[j]} ({s})" for j, s in zip(taken, shown[1:], strict=True)
        )
        if allowed == 1:
            return f"its one allowed mentor, {who}, is at capacity, paired with {partners}"
        return (
            f"its {allowed} allowed mentors are all at capacity; the best, {who}, "
            f"is paired with {partners}"
        )
    other = int(outcome.mentor_of[best])
    mine, theirs = numbers(outcome.score(person, best), outcome.score(other, best))
    who = f"{outcome.mentee_ids[best]} ({mine})"
    locked = ", locked" if (other, best) in outcome.locked else ""
    with_whom = f"{outcome.mentor_ids[other]} ({theirs}{locked})"
    if allowed == 1:
        return f"its one allowed mentee, {who}, is paired with {with_whom}"
    return (
        f"its {allowed} allowed mentees are all paired with other mentors; the best for it, "
        f"{who}, is with {with_whom}"
    )


def _blocked(outcome: Outcome, role: Role, person: int) -> str:
    """Every allowed partner with room is in a full group with this person."""
    problem = outcome.problem
    if role == "mentee":
        partners = np.flatnonzero(problem.usable[:, person] & outcome.room)
        names = [outcome.mentor_ids[i] for i in partners]
        one, many = "mentor with room", "mentors with room"
    else:
        partners = np.flatnonzero(problem.usable[person, :] & (outcome.mentor_of < 0))
        names = [outcome.mentee_ids[j] for j in partners]
        one, many = "unpaired mentee", "unpaired mentees"
    size = problem.shape[role == "mentor"]
    inside = [
        group.rule
        for group, _ in outcome.full
        if _members(group, role, np.array([person]), size)[partners, 0].any()
    ]
    whom = (
        f"its one allowed {one}" if len(names) == 1 else f"any of its {len(names)} allowed {many}"
    )
    return f"pairing with {whom} ({_listing(names)}) would exceed a full limit: " + "; ".join(
        inside
    )


def _best_free(outcome: Outcome, role: Role, person: int, best: int) -> str:
    """The best free partner, and why pairing with it would not raise the total."""
    i, j = (best, person) if role == "mentee" else (person, best)
    value = outcome.score(i, j)
    partner = outcome.mentor_ids[i] if role == "mentee" else outcome.mentee_ids[j]
    who = "free allowed mentor" if role == "mentee" else "unpaired allowed mentee"
    problem = outcome.problem
    if len(outcome.pairs) >= problem.max_pairs:
        limit = f"left out by the {len(outcome.pairs)}-pair limit ({problem.label('max_pairs')})"
        if outcome.floor is None:
            return f"{limit}: all {len(outcome.pairs)} pairs are locked"
        low = outcome.score(*outcome.floor)
        if value <= low:
            mine, lowest = numbers(value, low)
            verb = "ties with" if value == low else "scores less than"
            which = (
                "the lowest chosen pair not locked" if problem.locked else "the lowest chosen pair"
            )
            fi, fj = outcome.floor
            return (
                f"{limit}: its best {who}, {partner} ({mine}), {verb} {which}, "
                f"{outcome.mentor_ids[fi]} with {outcome.mentee_ids[fj]} ({lowest})"
            )
    elif value <= 0:
        mine, _ = numbers(value, 0.0)
        return (
            f"pairing with its best {who}, {partner}, would not raise the total: "
            f"the pair scores {mine}"
        )
    mine = numbers(value)[0]
    if outcome.status == "optimal":
        return (
            f"its best {who}, {partner} ({mine}), fits no better pairing: the chosen pairs are "
            f"{outcome.best}"
        )
    return (
        f"its best {who}, {partner} ({mine}), is not in the best pairing found within the "
        "time limit (not proven optimal)"
    )


def unmatched_reasons(outcome: Outcome, shared: bool = False) -> dict[str, tuple[str, str]]:
    """For each person without a pair: ``id -> (role, reason)``, mentors first.

    ``shared=True`` writes the reasons to be handed to the person concerned (see the
    module's docstring).

    Examples
    --------
    >>> from mentormatch.problem import Problem
    >>> problem = Problem.build([[0.9, 0.4], [0.3, 0.2]], max_pairs=1,
    ...                         mentor_ids=("m1", "m2"), mentee_ids=("e1", "e2"))
    >>> outcome = Outcome(problem, [(0, 0)], lambda m, e: "")
    >>> role, reason = unmatched_reasons(outcome)["e2"]
    >>> print(role, reason)  # doctest: +NORMALIZE_WHITESPACE
    mentee left out by the 1-pair limit (max_pairs=1): its best free allowed mentor, m2
    (0.20), scores less than the lowest chosen pair, m1 with e1 (0.90)
    """
    reasons: dict[str, tuple[str, str]] = {}
    for role in ("mentor", "mentee"):
        survey = outcome.left_out[role]
        for k, person in enumerate(survey.people.tolist()):
            reasons[outcome.person(role, person)] = (role, _reason(outcome, survey, k, shared))
    return reasons


def _reason(outcome: Outcome, survey: Survey, k: int, shared: bool) -> str:
    role, person, case = survey.role, int(survey.people[k]), int(survey.case[k])
    if role == "mentor" and outcome.problem.capacity[person] == 0:
        return "capacity 0 in the cohort: takes no mentee this round"
    if case == NO_PARTNER:
        return _ruled_out(outcome, role, person, shared)
    if case == GROUP_FULL:
        return _group(outcome, int(survey.group[k]))
    if case == NO_ROOM:
        return _no_room(outcome, role, person, int(survey.best[k]), int(survey.allowed[k]))
    if case == BLOCKED:
        return _blocked(outcome, role, person)
    if case == BELOW_FLOOR:
        return _below_floor(outcome)
    return _best_free(outcome, role, person, int(survey.best[k]))


def _below_floor(outcome: Outcome) -> str:
    """The pair limit is reached, and no allowed pair of the person scores more than the
    lowest chosen pair that could give way (a bound says so, without naming the best)."""
    assert outcome.floor is not None
    i, j = outcome.floor
    return (
        f"left out by the {len(outcome.pairs)}-pair limit "
        f"({outcome.problem.label('max_pairs')}): none of its allowed pairs scores more than "
        f"the lowest chosen pair{' not locked' if outcome.problem.locked else ''}, "
        f"{outcome.mentor_ids[i]} with {outcome.mentee_ids[j]} ({numbers(outcome.score(i, j))[0]})"
    )


@dataclass(frozen=True)
class PairFacts:
    """Per chosen pair: the mentee's best allowed mentor, how many tie with it, and the
    best mentor a rule rules out (-1 if none scores more than the pair)."""

    best: NDArray[np.intp]
    ties: NDArray[np.intp]
    ruled_out: NDArray[np.intp]


def _pair_facts(outcome: Outcome) -> PairFacts:
    problem = outcome.problem
    mentors = np.array([i for i, _ in outcome.pairs], dtype=np.intp)
    mentees = np.array([j for _, j in outcome.pairs], dtype=np.intp)
    parts = []
    for block in _blocks(np.arange(len(mentees)), problem.shape[0]):
        scores = problem.scores[:, mentees[block]]
        mine = problem.scores[mentors[block], mentees[block]]
        usable = np.where(problem.usable[:, mentees[block]], scores, -np.inf)
        top = usable.max(axis=0)
        ruled = np.where(~problem.allowed[:, mentees[block]], scores, -np.inf)
        ruled_best = np.argmax(ruled, axis=0)
        beats = ruled[ruled_best, np.arange(len(block))] > mine
        parts.append(
            (
                np.argmax(usable, axis=0),
                (usable == top[None, :]).sum(axis=0),
                np.where(beats, ruled_best, -1),
            )
        )
    return PairFacts(*_joined(parts, 3))


def _trade_off(outcome: Outcome, k: int, facts: PairFacts, shared: bool) -> str:
    """What pair ``k`` stands against: a lock, the mentee's best allowed mentor, a better
    mentor the rules rule out."""
    i, j = outcome.pairs[k]
    problem = outcome.problem
    mentor, mentee = outcome.mentor_ids[i], outcome.mentee_ids[j]
    best = int(facts.best[k])
    parts = [f"The pair is set by Lock({mentor!r}, {mentee!r})"] if (i, j) in outcome.locked else []
    if outcome.score(best, j) <= outcome.score(i, j):
        ties = int(facts.ties[k]) - 1
        if ties:
            others = [
                outcome.mentor_ids[t]
                for t in np.flatnonzero(
                    problem.usable[:, j] & (problem.scores[:, j] == problem.scores[i, j])
                )
                if t != i
            ]
            parts.append(
                f"{mentor} is one of {mentee}'s best allowed mentors, tied with {_listing(others)}"
            )
        else:
            parts.append(f"{mentor} is {mentee}'s best allowed mentor")
    else:
        theirs, mine = numbers(outcome.score(best, j), outcome.score(i, j))
        head = (
            f"{mentee}'s best allowed mentor, {outcome.mentor_ids[best]} ({theirs} against {mine}),"
        )
        taken = outcome.mentees_of.get(best, [])
        if not outcome.room[best]:
            shown = numbers(*(outcome.score(best, t) for t in taken))
            partners = ", ".join(
                f"{outcome.mentee_ids[t]} ({s})" for t, s in zip(taken, shown, strict=True)
            )
            parts.append(f"{head} is at capacity with {partners}")
        elif outcome.status == "optimal":
            parts.append(f"{head} has room, but the chosen pairs are {outcome.best}")
        else:
            parts.append(
                f"{head} has room; the pairs are the best found within the time limit "
                "(not proven optimal)"
            )
    top = int(facts.ruled_out[k])
    if top >= 0:
        theirs = numbers(outcome.score(top, j), outcome.score(i, j))[0]
        if shared:
            parts.append(f"a mentor who would score {theirs} is ruled out by the programme's rules")
        else:
            rules = ", ".join(problem.ruled_out_by(top, j)) or "the allowed pairs"
            parts.append(
                f"{outcome.mentor_ids[top]} would score {theirs} but is ruled out by {rules}"
            )
    parts += [
        f"one of the {g.min} pairs {g.rule} requires"
        for g in problem.groups
        if g.min and g.count([(i, j)]) and g.count(outcome.pairs) == g.min
    ]
    return "; ".join(parts)


def pair_texts(outcome: Outcome, shared: bool = False) -> list[str]:
    """Per chosen pair (in ``outcome.pairs`` order), why it was chosen, from the mentee's side.

    Examples
    --------
    >>> from mentormatch.problem import Problem
    >>> problem = Problem.build([[0.9, 0.4]], max_pairs=1, mentor_ids=("m1",),
    ...                         mentee_ids=("e1", "e2"))
    >>> print(*pair_texts(Outcome(problem, [(0, 0)], lambda m, e: "fits")))
    e1 is paired with m1 (score 0.90): fits. m1 is e1's best allowed mentor.
    """
    facts = outcome.facts.pair_facts(outcome)
    texts = []
    for k, (i, j) in enumerate(outcome.pairs):
        mentor, mentee = outcome.mentor_ids[i], outcome.mentee_ids[j]
        texts.append(
            f"{mentee} is paired with {mentor} (score {outcome.score(i, j):.2f}): "
            f"{outcome.words[i, j]}. {_trade_off(outcome, k, facts, shared)}."
        )
    return texts


def explanations(
    outcome: Outcome, reasons: Mapping[str, tuple[str, str]] | None = None, shared: bool = False
) -> dict[str, str]:
    """One explanation per person: their pair(s) and why, or why they are left out.

    ``reasons`` are :func:`unmatched_reasons` of the outcome in the same voice, when
    already at hand.

    Examples
    --------
    >>> from mentormatch.problem import Problem
    >>> problem = Problem.build([[0.9, 0.4]], max_pairs=1, mentor_ids=("m1",),
    ...                         mentee_ids=("e1", "e2"))
    >>> print(explanations(Outcome(problem, [(0, 0)], lambda m, e: "fits"))["m1"])
    m1 mentors e1 (score 0.90: fits); capacity 1.
    """
    texts = {
        outcome.mentee_ids[j]: text
        for (_, j), text in zip(outcome.pairs, pair_texts(outcome, shared), strict=True)
    }
    for i, mentees in outcome.mentees_of.items():
        mentor = outcome.mentor_ids[i]
        listed = "; ".join(
            f"{outcome.mentee_ids[j]} (score {outcome.score(i, j):.2f}"
            + (", locked" if (i, j) in outcome.locked else "")
            + f": {outcome.words[i, j]})"
            for j in mentees
        )
        texts[mentor] = f"{mentor} mentors {listed}; capacity {int(outcome.problem.capacity[i])}."
    found = unmatched_reasons(outcome, shared) if reasons is None else reasons
    for person, (_, reason) in found.items():
        texts[person] = f"{person} is not paired: {reason}."
    return texts


TABLE: Facts = _Table()
"""The facts read off the whole score table (the dense path)."""
