"""Shortlists: for each person, the few best partners the rules allow, to choose from."""

from __future__ import annotations

from dataclasses import replace
from typing import Literal

import numpy as np
import pandas as pd

from mentormatch.assignment import solve
from mentormatch.choices._changes import id_pairs, index_pairs, setup_of
from mentormatch.errors import InfeasibleError, InputError, TimeLimitError, Violation
from mentormatch.matching import Round
from mentormatch.result import MatchResult

__all__ = ["shortlist"]

Side = Literal["mentee", "mentor"]


def shortlist(result: MatchResult, k: int = 3, side: Side = "mentee") -> pd.DataFrame:
    """For every mentee (or mentor), the ``k`` best partners the rules allow.

    A partner is allowed when some pairing keeping *every* rule of the round (pair rules,
    capacities, pair counts, quotas, locks, stability) pairs the two: each listed pair
    is checked by a solve, not only by the pair rules. Partners are ranked by score
    (ties by id). Fewer than ``k`` rows for a person means the rules allow fewer.

    Parameters
    ----------
    result : MatchResult
        From :func:`mm.match`.
    k : int, default 3
        Partners per person.
    side : {"mentee", "mentor"}, default "mentee"
        Whose shortlists.

    Returns
    -------
    DataFrame
        ``id``, ``rank`` (1 = best), ``partner_id``, ``score``, ``reason`` (the score in
        words, and whether the result pairs them), sorted by ``id`` and ``rank``.

    Examples
    --------
    >>> import mentormatch as mm
    >>> table = mm.match(mm.example_cohort()).shortlist(k=2)
    >>> list(table.columns), int(table.groupby("id").size().max())
    (['id', 'rank', 'partner_id', 'score', 'reason'], 2)
    """
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise InputError(Violation(f"expected a whole number >= 1, got {k!r}", argument="k"))
    if side not in ("mentee", "mentor"):
        raise InputError(Violation(f"expected 'mentee' or 'mentor', got {side!r}", argument="side"))
    setup = setup_of(result)
    problem = setup.problem
    chosen = set(index_pairs(setup, id_pairs(result)))
    scores = problem.scores if side == "mentor" else problem.scores.T
    usable = problem.usable if side == "mentor" else problem.usable.T
    ids = problem.mentor_ids if side == "mentor" else problem.mentee_ids
    others = problem.mentee_ids if side == "mentor" else problem.mentor_ids
    rows = []
    for person, person_id in sorted(enumerate(ids), key=lambda item: item[1]):
        candidates = np.flatnonzero(usable[person])
        order = sorted(candidates.tolist(), key=lambda c: (-scores[person, c], others[c]))
        listed = 0
        for partner in order:
            pair = (person, partner) if side == "mentor" else (partner, person)
            if pair not in chosen and not _possible(setup, pair):
                continue
            listed += 1
            mentor_id, mentee_id = problem.mentor_ids[pair[0]], problem.mentee_ids[pair[1]]
            reason = setup.scores.reason(mentor_id, mentee_id)
            if pair in chosen:
                reason += "; paired in this result"
            rows.append(
                (person_id, listed, others[partner], float(scores[person, partner]), reason)
            )
            if listed == k:
                break
    return pd.DataFrame(rows, columns=["id", "rank", "partner_id", "score", "reason"])


def _possible(setup: Round, pair: tuple[int, int]) -> bool:
    """Whether some pairing that keeps every rule holds ``pair``: at once when the pair with
    the locks alone does, else by a solve with the pair locked (scores 0: any pairing)."""
    problem = setup.problem
    if problem.keeps([*problem.locked, pair]):
        return True
    zeros = np.zeros(problem.shape)
    trial = replace(problem, scores=zeros, locked=tuple(sorted({*problem.locked, pair})))
    try:
        solve(trial, time_limit=setup.time_limit, seed=setup.seed)
    except (InfeasibleError, TimeLimitError):
        return False
    return True
