"""Blocking pairs of any result, with what makes each one block, in words."""

from __future__ import annotations

import pandas as pd

from mentormatch.choices._changes import id_pairs, index_pairs, setup_of
from mentormatch.problem import UNRANKED, Problem
from mentormatch.result import MatchResult
from mentormatch.rules._base import Context
from mentormatch.rules._stable import preferences

__all__ = ["blocking_pairs"]

_COLUMNS = ["mentor_id", "mentee_id", "mentor_rank", "mentee_rank", "reason"]


def blocking_pairs(result: MatchResult) -> pd.DataFrame:
    """The blocking pairs of a result under the cohort's ``preferences``, with or without
    ``Stable()`` among its rules.

    A blocking pair is a mentor and a mentee who listed each other, whom the rules
    allow together, and who would both rather be together: the mentee is unpaired or
    prefers this mentor to theirs, and the mentor has room or prefers this mentee to
    one of theirs (see :class:`mm.Stable`).

    Returns
    -------
    DataFrame
        ``mentor_id``, ``mentee_id``, ``mentor_rank`` (the mentee's place in the
        mentor's list, 1 = first), ``mentee_rank`` (the mentor's place in the
        mentee's), ``reason``; empty when the result is stable.

    Examples
    --------
    >>> import mentormatch as mm
    >>> mm.match(mm.example_cohort()).blocking_pairs().empty  # no one ranked anyone
    True
    """
    setup = setup_of(result)
    problem = setup.problem
    if problem.preferences is None:
        context = Context(
            tuple(setup.cohort[i] for i in problem.mentor_ids),
            tuple(setup.cohort[j] for j in problem.mentee_ids),
        )
        problem = problem.with_preferences(preferences(context, "preferences"))
    pairs = index_pairs(setup, id_pairs(result))
    rows = [
        (
            problem.mentor_ids[i],
            problem.mentee_ids[j],
            *_ranks(problem, i, j),
            _reason(problem, pairs, i, j),
        )
        for i, j in problem.blocking_pairs(pairs)
    ]
    return pd.DataFrame(rows, columns=_COLUMNS)


def _ranks(problem: Problem, i: int, j: int) -> tuple[int, int]:
    assert problem.preferences is not None
    prefs = problem.preferences
    return int(prefs.mentor_rank[i, j]) + 1, int(prefs.mentee_rank[i, j]) + 1


def _place(rank: int) -> str:
    if rank >= UNRANKED:
        return "unranked"
    place = rank + 1
    suffix = "th" if 10 <= place % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(place % 10, "th")
    return f"ranked {place}{suffix}"


def _reason(problem: Problem, pairs: list[tuple[int, int]], i: int, j: int) -> str:
    prefs = problem.preferences
    assert prefs is not None
    mentor, mentee = problem.mentor_ids[i], problem.mentee_ids[j]
    partner = [ii for ii, jj in pairs if jj == j]
    held = (
        f"is paired with {problem.mentor_ids[partner[0]]} "
        f"({_place(int(prefs.mentee_rank[partner[0], j]))})"
        if partner
        else "is unpaired"
    )
    mentees = [jj for ii, jj in pairs if ii == i]
    if len(mentees) < problem.capacity[i]:
        room = f"has room ({len(mentees)} of {problem.capacity[i]} mentees)"
    else:
        worst = max(mentees, key=lambda jj: int(prefs.mentor_rank[i, jj]))
        room = (
            f"prefers {mentee} to {problem.mentee_ids[worst]} "
            f"({_place(int(prefs.mentor_rank[i, worst]))})"
        )
    return (
        f"{mentee} ranks {mentor} {_place(int(prefs.mentee_rank[i, j]))[7:]} and {held}; "
        f"{mentor} ranks {mentee} {_place(int(prefs.mentor_rank[i, j]))[7:]} and {room}"
    )
