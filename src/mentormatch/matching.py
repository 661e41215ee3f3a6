"""The main job: a cohort and the programme's rules in, the best pairs and their reasons out.

``match`` runs the pipeline once: score the cohort, compile the rules into one
problem (ids in sorted order, so the row order of the file never matters),
check it for clashes, solve it exactly, and explain the result.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from mentormatch.assignment import Assignment, solve
from mentormatch.cohort import Cohort
from mentormatch.explain import Outcome, explanations, pair_texts, unmatched_reasons
from mentormatch.geo import distance_km
from mentormatch.profiles import Profile
from mentormatch.result import MatchResult
from mentormatch.rules import Rule, compile_rules, pilot_rules
from mentormatch.scoring import Criterion, Scores, score
from mentormatch.validation import check_arguments

__all__ = ["match"]

_PEOPLE_COLUMNS = ("name", "organisation", "region")
_KM_BLOCK = 256
"""Pairs whose distances are computed at once for the pairs table."""


def match(
    cohort: Cohort,
    rules: Sequence[Rule] | None = None,
    weights: Mapping[str, float] | None = None,
    time_limit: float | None = None,
    seed: int = 0,
    *,
    criteria: Iterable[Criterion] = (),
) -> MatchResult:
    """Pair a cohort's mentors and mentees as well as the rules allow.

    Parameters
    ----------
    cohort : Cohort
        From :func:`mm.read_cohort` or :meth:`mm.Cohort.from_frame`.
    rules : sequence of Rule, optional
        The programme's rules, as a list (a lone rule is refused: pass ``[rule]``).
        ``None`` means the pilot's: ``PairCount(8, 15)``, ``AvoidSameOrganisation()``,
        ``AvoidDeclared()``. Mentor capacity always comes from the cohort's
        ``capacity`` column.
    weights : mapping of str to float, optional
        Criterion weights for :func:`mm.score`; ``None`` means the defaults.
    time_limit : float, optional
        Seconds (>= 0; ``None``: no limit); when reached, the best pairs found are
        returned with status ``"feasible"`` and the proven bound (see :func:`mm.assign`).
    seed : int, default 0
        From 0 to 2**31 - 1. The same cohort, rules and seed give the same pairs,
        in any row order.
    criteria : iterable of Criterion, optional
        Your own scoring criteria, as for :func:`mm.score`; each gets a column in ``pairs``.

    Returns
    -------
    MatchResult

    Raises
    ------
    mm.InputError
        For bad arguments, every one named (see ``mentormatch.validation``).
    mm.InfeasibleError
        When no pairing satisfies the rules; ``.conflicts`` names the rules and
        the people concerned.

    Examples
    --------
    >>> import mentormatch as mm
    >>> result = mm.match(mm.example_cohort(), rules=[mm.PairCount(min=8, max=10),
    ...                   mm.AvoidSameOrganisation(), mm.RegionQuota(max=2)])
    >>> len(result.pairs), result.status
    (10, 'optimal')
    """
    check_arguments("match", locals())
    applied = pilot_rules() if rules is None else tuple(rules)
    scores = score(cohort, weights=weights, criteria=criteria)
    problem = compile_rules(cohort, applied, scores.matrix)  # ids sorted by score()
    assignment = solve(problem, time_limit=time_limit, seed=seed)
    outcome = Outcome(problem, assignment.pairs, scores.reason, assignment.status)
    return _result(cohort, scores, applied, assignment, outcome)


def _result(
    cohort: Cohort,
    scores: Scores,
    rules: Sequence[Rule],
    assignment: Assignment,
    outcome: Outcome,
) -> MatchResult:
    shared = unmatched_reasons(outcome, shared=True)
    unmatched = pd.DataFrame(
        [(person, role, reason) for person, (role, reason) in shared.items()],
        columns=["id", "role", "reason"],
    )
    return MatchResult(
        pairs=_pairs_table(cohort, scores, outcome, pair_texts(outcome, shared=True)),
        status=assignment.status,
        objective=assignment.objective,
        bound=assignment.bound,
        scores=scores.matrix,
        unmatched=unmatched,
        rules=tuple(str(rule) for rule in rules),
        weights=dict(scores.weights),
        solver=assignment.solver,
        wall_time=assignment.wall_time,
        explanations=explanations(outcome),
        notes=cohort.notes,
    )


def _pair_km(mentors: Sequence[Profile], mentees: Sequence[Profile]) -> NDArray[np.float64]:
    """The distance of each (mentors[k], mentees[k]), in blocks of pairs so that memory
    stays small (the whole mentors x mentees table would grow with the pairs squared)."""
    step = _KM_BLOCK
    blocks = [
        np.diagonal(distance_km(mentors[k : k + step], mentees[k : k + step]))
        for k in range(0, len(mentors), step)
    ]
    return np.concatenate(blocks) if blocks else np.zeros(0)


def _pairs_table(
    cohort: Cohort, scores: Scores, outcome: Outcome, reasons: Sequence[str]
) -> pd.DataFrame:
    """One row per pair; the problem's rows and columns are the score matrix's, in order."""
    rows = np.array([i for i, _ in outcome.pairs], dtype=np.intp)
    columns = np.array([j for _, j in outcome.pairs], dtype=np.intp)
    mentor_ids = [outcome.mentor_ids[i] for i in rows]
    mentee_ids = [outcome.mentee_ids[j] for j in columns]
    table = pd.DataFrame({"mentor_id": mentor_ids, "mentee_id": mentee_ids})
    table["score"] = outcome.problem.scores[rows, columns]
    for criterion in scores.breakdown:  # computed for the pairs only, never the whole table
        table[criterion] = scores.scorer.criterion_pairs(criterion, rows, columns)
    mentors = [cohort[m] for m in mentor_ids]
    mentees = [cohort[e] for e in mentee_ids]
    for column in _PEOPLE_COLUMNS:
        table[f"mentor_{column}"] = [getattr(p, column) for p in mentors]
        table[f"mentee_{column}"] = [getattr(p, column) for p in mentees]
    table["distance_km"] = _pair_km(mentors, mentees)
    table["reason"] = list(reasons)
    return table
