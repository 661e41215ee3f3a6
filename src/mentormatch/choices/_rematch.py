"""Mid-year changes: keep every pair that can be kept, re-pair the people affected.

Lexicographic and exact, like the objectives: first the most earlier pairs kept
(a solve that scores 1 for an earlier pair and 0 for any other), then the round's
objective among pairings that keep that many. When every earlier pair can stay,
they are locked (the rules' own fast path); otherwise "at least that many of them"
is a group minimum, solved by CP-SAT.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

import numpy as np

from mentormatch.assignment import solve
from mentormatch.choices._changes import changes_between, id_pairs, setup_of
from mentormatch.cohort import Cohort
from mentormatch.errors import InputError, Violation
from mentormatch.matching import Round, result_of
from mentormatch.problem import GroupLimit, Problem
from mentormatch.profiles import Profile
from mentormatch.result import MatchResult
from mentormatch.rules import Rule, compile_rules
from mentormatch.rules._base import _Pair
from mentormatch.scoring import score

__all__ = ["rematch"]


def rematch(
    result: MatchResult,
    cohort: Cohort,
    leaving: Iterable[str] = (),
    joining: Iterable[str | Profile] = (),
) -> MatchResult:
    """Re-pair a round after people leave or join, changing as few pairs as possible.

    Parameters
    ----------
    result : MatchResult
        The earlier round, from :func:`mm.match` (or an earlier ``rematch``).
    cohort : Cohort
        The cohort now. People in ``leaving`` are taken out of it if still there.
    leaving : iterable of str
        Ids of the people who leave; each must be in the earlier round or the cohort.
    joining : iterable of str or Profile
        People who join: ids of people in ``cohort``, or profiles to add to it.

    Returns
    -------
    MatchResult
        Under the earlier round's rules, weights and objective (rules naming a person
        who left, such as a ``Lock``, are dropped). First the most earlier pairs are
        kept, then the objective decides; ``changes`` lists every pair out and in,
        with why; kept pairs say so in their reason.

    Examples
    --------
    >>> import mentormatch as mm
    >>> cohort = mm.example_cohort()
    >>> before = mm.match(cohort)
    >>> mentor = before.pairs["mentor_id"].iloc[0]
    >>> after = mm.rematch(before, cohort, leaving=[mentor])
    >>> after.changes[["change", "mentor_id"]].iloc[0].tolist() == ["out", mentor]
    True
    >>> len(set(mm.choices._changes.id_pairs(before)) - set(mm.choices._changes.id_pairs(after)))
    1
    """
    setup = setup_of(result)
    if not isinstance(cohort, Cohort):
        raise InputError(
            Violation(f"expected a mm.Cohort, got {type(cohort).__name__}", argument="cohort")
        )
    gone = _ids(leaving, "leaving")
    known = {p.id for p in (*setup.cohort.profiles, *cohort.profiles)}
    strangers = sorted(set(gone) - known)
    if strangers:
        raise InputError(
            Violation(
                f"{', '.join(strangers)}: not in the earlier round nor the cohort",
                argument="leaving",
            )
        )
    now = _cohort_now(cohort, set(gone), list(joining))
    present = {p.id for p in now.profiles}
    rules = tuple(rule for rule in setup.rules if _still_applies(rule, present))
    scores = score(now, weights=dict(setup.scores.weights), criteria=setup.scores.scorer.criteria)
    problem = compile_rules(now, rules, scores.matrix)
    fresh = Round(now, rules, scores, problem, setup.objective, setup.time_limit, setup.seed)
    before = id_pairs(result)
    earlier = [(m, e) for m, e in before if m in present and e in present]
    kept, settled = _most_kept(fresh, earlier)
    found = fresh.solve(_keeping(problem, fresh, earlier, kept))
    if not settled:
        found = replace(found, status="feasible")
    after = [(problem.mentor_ids[i], problem.mentee_ids[j]) for i, j in found.pairs]
    joined = present - {p.id for p in setup.cohort.profiles}
    partner = {person: other for pair in before for person, other in (pair, pair[::-1])}

    def why(change: str, pair: tuple[str, str]) -> str:
        left = [person for person in pair if person in gone]
        if change == "out":
            if left:
                return f"{' and '.join(left)} left"
            return (
                f"not every earlier pair can be kept under the rules: {kept} of "
                f"{len(earlier)} are, the most possible"
            )
        new = [person for person in pair if person in joined]
        if new:
            return f"{' and '.join(new)} joined"
        reasons = [
            f"{person}'s partner {partner[person]} left"
            if partner.get(person) in gone
            else f"{person} was unpaired"
            for person in pair
            if person not in partner or partner[person] in gone
        ]
        return "; ".join(reasons) or "re-paired so that the rules hold"

    changes = changes_between(fresh, before, after, why)
    rematched = result_of(fresh, found, changes)
    stayed = set(after) & set(earlier)
    reasons = [
        f"kept from the earlier round; {reason}" if pair in stayed else reason
        for pair, reason in zip(id_pairs(rematched), rematched.pairs["reason"], strict=True)
    ]
    return replace(rematched, pairs=rematched.pairs.assign(reason=reasons))


def _ids(people: Iterable[str], argument: str) -> list[str]:
    if isinstance(people, str):
        raise InputError(Violation("expected a list of ids, got one text", argument=argument))
    ids = list(people)
    wrong = [person for person in ids if not isinstance(person, str)]
    if wrong:
        raise InputError(Violation(f"expected ids (text), got {wrong[0]!r}", argument=argument))
    return ids


def _cohort_now(cohort: Cohort, gone: set[str], joining: Sequence[str | Profile]) -> Cohort:
    """The cohort without the people leaving, with the profiles joining, and no one's
    preferences naming someone who left."""
    added = [person for person in joining if isinstance(person, Profile)]
    named = _ids([person for person in joining if not isinstance(person, Profile)], "joining")
    ids = {p.id for p in cohort.profiles}
    missing = sorted(set(named) - ids)
    clashing = sorted({p.id for p in added} & ids)
    if missing or clashing:
        raise InputError(
            [Violation(f"{person}: not in the cohort", argument="joining") for person in missing]
            + [
                Violation(f"{person}: already in the cohort", argument="joining")
                for person in clashing
            ]
        )
    people = [p for p in (*cohort.profiles, *added) if p.id not in gone]
    for role in ("mentor", "mentee"):
        if not any(p.role == role for p in people):
            raise InputError(Violation(f"no {role} would be left", argument="leaving"))
    cleaned = [
        p.model_copy(update={"preferences": tuple(x for x in p.preferences if x not in gone)})
        for p in people
    ]
    try:
        return Cohort(profiles=tuple(cleaned), columns=cohort.columns)
    except ValueError as error:
        raise InputError(Violation(str(error), argument="joining")) from None


def _still_applies(rule: Rule, present: set[str]) -> bool:
    """Rules about one pair whose people are not both present are dropped."""
    return not isinstance(rule, _Pair) or {rule.mentor_id, rule.mentee_id} <= present


def _most_kept(setup: Round, earlier: list[tuple[str, str]]) -> tuple[int, bool]:
    """The most earlier pairs a pairing under the rules can keep, and whether proven."""
    problem = setup.problem
    rows = {m: i for i, m in enumerate(problem.mentor_ids)}
    columns = {e: j for j, e in enumerate(problem.mentee_ids)}
    marks = np.zeros(problem.shape)
    for m, e in earlier:
        marks[rows[m], columns[e]] = 1.0
    found = solve(replace(problem, scores=marks), time_limit=setup.time_limit, seed=setup.seed)
    return int(sum(marks[pair] for pair in found.pairs)), found.status == "optimal"


def _keeping(problem: Problem, setup: Round, earlier: list[tuple[str, str]], kept: int) -> Problem:
    """The problem with at least ``kept`` of the earlier pairs: all locked when all can be."""
    rows = {m: i for i, m in enumerate(problem.mentor_ids)}
    columns = {e: j for j, e in enumerate(problem.mentee_ids)}
    pairs = sorted((rows[m], columns[e]) for m, e in earlier)
    if kept == len(pairs):
        return replace(problem, locked=tuple(sorted({*problem.locked, *pairs})))
    keep = GroupLimit(
        len(pairs),
        f"keep {kept} of the {len(pairs)} earlier pairs",
        pairs=np.array(pairs, dtype=np.int64).reshape(-1, 2),
        min=kept,
    )
    return replace(problem, groups=(*problem.groups, keep))
