"""Plain-words reasons: why each pair, what it gave up, and why someone is left out.

Reasons are read off the compiled problem and the chosen pairs, never guessed:
a person is "left out by the pair limit" only when the limit is reached, "at
capacity" only when every allowed partner is full, and so on.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from mentormatch.problem import Problem

__all__ = ["Outcome", "explanations", "unmatched_reasons"]


@dataclass(frozen=True)
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
    objective : str, default "total"
        What the pairs optimise (see :mod:`mentormatch.objectives`), for the reasons' words.
    """

    problem: Problem
    pairs: Sequence[tuple[int, int]]
    pair_reason: Callable[[str, str], str]
    objective: str = "total"

    @property
    def mentor_ids(self) -> tuple[str, ...]:
        """The ids of the problem's rows."""
        return self.problem.mentor_ids

    @property
    def mentee_ids(self) -> tuple[str, ...]:
        """The ids of the problem's columns."""
        return self.problem.mentee_ids

    @cached_property
    def mentor_of(self) -> dict[int, int]:
        """Mentee index -> its mentor's index."""
        return {j: i for i, j in self.pairs}

    @cached_property
    def mentees_of(self) -> dict[int, list[int]]:
        """Mentor index -> its mentees' indices, in order."""
        taken: dict[int, list[int]] = {}
        for i, j in sorted(self.pairs):
            taken.setdefault(i, []).append(j)
        return taken

    def score(self, i: int, j: int) -> float:
        """The score of mentor ``i`` with mentee ``j``."""
        return float(self.problem.scores[i, j])


def _ruled_out(outcome: Outcome, mentor: int | None = None, mentee: int | None = None) -> str:
    """Which rules exclude every pair of one mentor (``mentor=i``) or one mentee (``mentee=j``)."""
    where = (slice(None), mentee) if mentor is None else (mentor, slice(None))
    people = "mentors" if mentor is None else "mentees"
    counts = [
        f"{rule} rules out {int(mask[where].sum())}"
        for rule, mask in outcome.problem.forbidden_by.items()
        if mask[where].any()
    ]
    if mentor is None:
        zero_capacity = int((outcome.problem.capacity == 0).sum())
        if zero_capacity:
            counts.append(f"{zero_capacity} have capacity 0")
    total = outcome.problem.shape[0 if mentor is None else 1]
    return f"no allowed {people[:-1]}: of {total} {people}, " + ", ".join(counts)


_AIMS = {
    "total": "a higher total",
    "coverage": "more pairs, then a higher total",
    "fair": "a better worst pair, then a higher total",
}


def _aim(outcome: Outcome) -> str:
    """What the pairs were chosen for, naming the rules beyond a flow that bind them."""
    binding = [g.rule for g in outcome.problem.groups if g.min] if outcome.problem.needs else []
    if "stability" in outcome.problem.needs:
        assert outcome.problem.preferences is not None
        binding.append(outcome.problem.preferences.rule)
    under = f" under {', '.join(dict.fromkeys(binding))}" if binding else ""
    return f"{_AIMS[outcome.objective]}{under}"


def _left_out(outcome: Outcome, best: str, value: float, pair: tuple[int, int]) -> str:
    """Why the best free partner ``best`` (scoring ``value``, the pair ``pair``) was not taken."""
    for group in outcome.problem.groups:
        taken = group.count(outcome.pairs)
        if taken >= group.max and group.count([pair]):
            return f"pairing with {best} would break {group.rule}, which already has {taken} pairs"
    if outcome.pairs and len(outcome.pairs) >= outcome.problem.max_pairs:
        floor = min(outcome.score(i, j) for i, j in outcome.pairs)
        if value <= floor:
            limit = outcome.problem.label("max_pairs")
            return (
                f"left out by the {len(outcome.pairs)}-pair limit ({limit}): {best} "
                f"({value:.2f}), does not beat the lowest chosen pair ({floor:.2f})"
            )
    return f"pairing would not give {_aim(outcome)}: {best} scores {value:.2f}"


def _full_group(outcome: Outcome, j: int) -> str | None:
    """The group limit that is full and counts every usable pair of mentee ``j``, if any."""
    usable = np.flatnonzero(outcome.problem.usable[:, j])
    for group in outcome.problem.groups:
        covers = bool(group.contains(usable, np.full(usable.size, j)).all())
        taken = group.count(outcome.pairs)
        if covers and taken >= group.max:
            return f"{group.rule} is full: it already has {taken} pairs"
    return None


def _mentee_reason(outcome: Outcome, j: int) -> str:
    usable = outcome.problem.usable[:, j]
    if not usable.any():
        return _ruled_out(outcome, mentee=j)
    group = _full_group(outcome, j)
    if group is not None:
        return f"left out because {group}"
    candidates = np.flatnonzero(usable)
    load = np.bincount([i for i, _ in outcome.pairs], minlength=outcome.problem.shape[0])
    free = candidates[load[candidates] < outcome.problem.capacity[candidates]]
    if free.size == 0:
        best = int(candidates[np.argmax(outcome.problem.scores[candidates, j])])
        taken = ", ".join(
            f"{outcome.mentee_ids[jj]} ({outcome.score(best, jj):.2f})"
            for jj in outcome.mentees_of.get(best, [])
        )
        return (
            f"all {candidates.size} allowed mentors are at capacity; the best, "
            f"{outcome.mentor_ids[best]} ({outcome.score(best, j):.2f}), is paired with {taken}"
        )
    best_free = int(free[np.argmax(outcome.problem.scores[free, j])])
    who = f"its best free allowed mentor, {outcome.mentor_ids[best_free]}"
    return _left_out(outcome, who, outcome.score(best_free, j), (best_free, j))


def _mentor_reason(outcome: Outcome, i: int) -> str:
    if outcome.problem.capacity[i] == 0:
        return "capacity 0 in the cohort: takes no mentee this round"
    usable = outcome.problem.usable[i, :]
    if not usable.any():
        return _ruled_out(outcome, mentor=i)
    candidates = np.flatnonzero(usable)
    mentor_of = outcome.mentor_of
    free = np.array([j for j in candidates if j not in mentor_of], dtype=np.int64)
    if free.size == 0:
        best = int(candidates[np.argmax(outcome.problem.scores[i, candidates])])
        other = mentor_of[best]
        return (
            f"all {candidates.size} allowed mentees are paired with other mentors for "
            f"{_aim(outcome)}; the best, {outcome.mentee_ids[best]} "
            f"({outcome.score(i, best):.2f}), is with {outcome.mentor_ids[other]} "
            f"({outcome.score(other, best):.2f})"
        )
    best_free = int(free[np.argmax(outcome.problem.scores[i, free])])
    who = f"its best unpaired allowed mentee, {outcome.mentee_ids[best_free]}"
    group = _full_group(outcome, best_free)
    if group is not None:
        return f"left out because {group}, which counts {who}"
    return _left_out(outcome, who, outcome.score(i, best_free), (i, best_free))


def unmatched_reasons(outcome: Outcome) -> dict[str, tuple[str, str]]:
    """For each person without a pair: ``id -> (role, reason)``, mentors first.

    Examples
    --------
    >>> from mentormatch.problem import Problem
    >>> problem = Problem.build([[0.9, 0.4], [0.3, 0.2]], max_pairs=1,
    ...                         mentor_ids=("m1", "m2"), mentee_ids=("e1", "e2"))
    >>> outcome = Outcome(problem, [(0, 0)], lambda m, e: "")
    >>> role, reason = unmatched_reasons(outcome)["e2"]
    >>> print(role, reason)  # doctest: +NORMALIZE_WHITESPACE
    mentee left out by the 1-pair limit (max_pairs=1): its best free allowed mentor, m2
    (0.20), does not beat the lowest chosen pair (0.90)
    """
    mentees_of = outcome.mentees_of
    mentor_of = outcome.mentor_of
    reasons: dict[str, tuple[str, str]] = {}
    for i, mentor in enumerate(outcome.mentor_ids):
        if i not in mentees_of:
            reasons[mentor] = ("mentor", _mentor_reason(outcome, i))
    for j, mentee in enumerate(outcome.mentee_ids):
        if j not in mentor_of:
            reasons[mentee] = ("mentee", _mentee_reason(outcome, j))
    return reasons


def _trade_off(outcome: Outcome, i: int, j: int) -> str:
    """What pair (i, j) gave up against mentee j's best allowed mentor, and what rules ruled out."""
    usable = outcome.problem.usable[:, j]
    scores = outcome.problem.scores[:, j]
    best = int(np.flatnonzero(usable)[np.argmax(scores[usable])])
    parts = []
    if best == i or scores[best] <= scores[i]:
        parts.append(f"{outcome.mentor_ids[i]} is {outcome.mentee_ids[j]}'s best allowed mentor")
    else:
        taken = ", ".join(outcome.mentee_ids[jj] for jj in outcome.mentees_of.get(best, []))
        where = f", who is paired with {taken}" if taken else ""
        parts.append(
            f"gave up {scores[best] - scores[i]:.2f} against the best allowed mentor "
            f"{outcome.mentor_ids[best]} ({scores[best]:.2f}){where}, for {_aim(outcome)}"
        )
    better = np.flatnonzero(~outcome.problem.allowed[:, j] & (scores > scores[i]))
    if better.size:
        top = int(better[np.argmax(scores[better])])
        rules = outcome.problem.ruled_out_by(top, j)
        parts.append(
            f"{outcome.mentor_ids[top]} would score {scores[top]:.2f} but is ruled out by "
            + (", ".join(rules) or "the rules")
        )
    parts += [
        f"one of the {g.min} pairs {g.rule} requires"
        for g in outcome.problem.groups
        if g.min and g.count([(i, j)]) and g.count(outcome.pairs) == g.min
    ]
    return "; ".join(parts)


def explanations(
    outcome: Outcome, reasons: Mapping[str, tuple[str, str]] | None = None
) -> dict[str, str]:
    """One explanation per person: their pair(s) and why, or why they are left out.

    ``reasons`` are :func:`unmatched_reasons` of the outcome, when already at hand.

    Examples
    --------
    >>> from mentormatch.problem import Problem
    >>> problem = Problem.build([[0.9, 0.4]], max_pairs=1, mentor_ids=("m1",),
    ...                         mentee_ids=("e1", "e2"))
    >>> outcome = Outcome(problem, [(0, 0)], lambda m, e: "fits")
    >>> print(explanations(outcome)["e1"])
    e1 is paired with m1 (score 0.90): fits. m1 is e1's best allowed mentor.
    """
    texts: dict[str, str] = {}
    for i, j in outcome.pairs:
        mentor, mentee = outcome.mentor_ids[i], outcome.mentee_ids[j]
        texts[mentee] = (
            f"{mentee} is paired with {mentor} (score {outcome.score(i, j):.2f}): "
            f"{outcome.pair_reason(mentor, mentee)}. {_trade_off(outcome, i, j)}."
        )
    for i, mentees in outcome.mentees_of.items():
        mentor = outcome.mentor_ids[i]
        listed = "; ".join(
            f"{outcome.mentee_ids[j]} (score {outcome.score(i, j):.2f}: "
            f"{outcome.pair_reason(mentor, outcome.mentee_ids[j])})"
            for j in mentees
        )
        capacity = int(outcome.problem.capacity[i])
        texts[mentor] = f"{mentor} mentors {listed}; capacity {capacity}."
    for person, (_, reason) in (unmatched_reasons(outcome) if reasons is None else reasons).items():
        texts[person] = f"{person} is not paired: {reason}."
    return texts
