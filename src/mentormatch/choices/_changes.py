"""What differs between two pairings, as a table, and the round a result was solved from."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pandas as pd

from mentormatch.errors import InputError, Violation
from mentormatch.matching import Round
from mentormatch.result import MatchResult

__all__ = ["changes_between", "id_pairs", "index_pairs", "setup_of"]

IdPair = tuple[str, str]


def setup_of(result: object) -> Round:
    """The round a result was solved from; ``InputError`` for anything else."""
    setup = getattr(result, "setup", None)
    if not isinstance(result, MatchResult):
        raise InputError(
            Violation(
                f"expected a result of mm.match, got {type(result).__name__}", argument="result"
            )
        )
    if not isinstance(setup, Round):
        raise InputError(
            Violation(
                "this result comes from the sparse path for large cohorts, which keeps no "
                "round to solve again; match with candidates=None (up to "
                "mentormatch.matching.DENSE_CELLS pairs) for alternatives, shortlists, "
                "robustness and re-matching",
                argument="result",
            )
        )
    return setup


def id_pairs(result: MatchResult) -> list[IdPair]:
    """The result's pairs as (mentor id, mentee id), in its order."""
    return list(zip(result.pairs["mentor_id"], result.pairs["mentee_id"], strict=True))


def index_pairs(setup: Round, pairs: Iterable[IdPair]) -> list[tuple[int, int]]:
    """(mentor id, mentee id) pairs as (row, column) of the round's problem, sorted."""
    rows = {m: i for i, m in enumerate(setup.problem.mentor_ids)}
    columns = {e: j for j, e in enumerate(setup.problem.mentee_ids)}
    return sorted((rows[m], columns[e]) for m, e in pairs)


def changes_between(
    setup: Round,
    before: Iterable[IdPair],
    after: Iterable[IdPair],
    why: Callable[[str, IdPair], str],
) -> pd.DataFrame:
    """The pairs out (in ``before`` only) and in (in ``after`` only), with their score in
    ``setup`` (NaN for people no longer in it) and ``why(change, pair)``."""
    old, new = set(before), set(after)
    problem = setup.problem
    mentors = {m: i for i, m in enumerate(problem.mentor_ids)}
    mentees = {e: j for j, e in enumerate(problem.mentee_ids)}

    def score(m: str, e: str) -> float:
        if m in mentors and e in mentees:
            return float(problem.scores[mentors[m], mentees[e]])
        return float("nan")

    rows = [
        (change, m, e, score(m, e), why(change, (m, e)))
        for change, pairs in (("out", sorted(old - new)), ("in", sorted(new - old)))
        for m, e in pairs
    ]
    return pd.DataFrame(rows, columns=["change", "mentor_id", "mentee_id", "score", "reason"])
