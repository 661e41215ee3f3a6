"""The main job: a cohort and the programme's rules in, the best pairs and their reasons out.

``match`` runs the pipeline once: score the cohort, compile the rules into one
problem (ids in sorted order, so the row order of the file never matters),
check it for clashes, solve it exactly, and explain the result.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from mentormatch.assignment import Assignment, solve
from mentormatch.cohort import Cohort
from mentormatch.errors import InputError, Violation
from mentormatch.explain import Outcome, explanations, unmatched_reasons
from mentormatch.geo import distance_km
from mentormatch.result import MatchResult
from mentormatch.rules import Rule, compile_rules, pilot_rules
from mentormatch.scoring import Criterion, Scores, score

__all__ = ["match"]

_PEOPLE_COLUMNS = ("name", "organisation", "region")


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
        The programme's rules. ``None`` means the pilot's: ``PairCount(8, 15)``,
        ``AvoidSameOrganisation()``, ``AvoidDeclared()``. Mentor capacity always
        comes from the cohort's ``capacity`` column.
    weights : mapping of str to float, optional
        Criterion weights for :func:`mm.score`; ``None`` means the defaults.
    time_limit : float, optional
        Seconds; when reached, the best pairs found are returned with status
        ``"feasible"`` and the proven bound.
    seed : int, default 0
        The same cohort, rules and seed give the same pairs, in any row order.
    criteria : iterable of Criterion, optional
        Your own scoring criteria, as for :func:`mm.score`; each gets a column in ``pairs``.

    Returns
    -------
    MatchResult

    Raises
    ------
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
    if not isinstance(cohort, Cohort):
        raise InputError(
            Violation(
                f"expected a mm.Cohort (from mm.read_cohort), got {type(cohort).__name__}",
                argument="cohort",
            )
        )
    applied = pilot_rules() if rules is None else tuple(rules)
    scores = score(cohort, weights=weights, criteria=criteria)
    problem = compile_rules(cohort, applied, scores.matrix)  # ids sorted by score()
    assignment = solve(problem, time_limit=time_limit, seed=seed)
    outcome = Outcome(problem=problem, pairs=assignment.pairs, pair_reason=scores.reason)
    return _result(cohort, scores, applied, assignment, outcome)


def _result(
    cohort: Cohort,
    scores: Scores,
    rules: Sequence[Rule],
    assignment: Assignment,
    outcome: Outcome,
) -> MatchResult:
    reasons = unmatched_reasons(outcome)
    texts = explanations(outcome, reasons)
    unmatched = pd.DataFrame(
        [(person, role, reason) for person, (role, reason) in reasons.items()],
        columns=["id", "role", "reason"],
    )
    return MatchResult(
        pairs=_pairs_table(cohort, scores, outcome, texts),
        status=assignment.status,
        objective=assignment.objective,
        bound=assignment.bound,
        scores=scores.matrix,
        unmatched=unmatched,
        rules=tuple(str(rule) for rule in rules),
        weights=dict(scores.weights),
        solver=assignment.solver,
        wall_time=assignment.wall_time,
        explanations=texts,
        notes=cohort.notes,
    )


def _pairs_table(
    cohort: Cohort, scores: Scores, outcome: Outcome, texts: Mapping[str, str]
) -> pd.DataFrame:
    mentor_ids = [outcome.mentor_ids[i] for i, _ in outcome.pairs]
    mentee_ids = [outcome.mentee_ids[j] for _, j in outcome.pairs]
    table = pd.DataFrame({"mentor_id": mentor_ids, "mentee_id": mentee_ids})
    table["score"] = [outcome.score(i, j) for i, j in outcome.pairs]
    rows, columns = np.array(outcome.pairs, dtype=np.intp).reshape(-1, 2).T  # scores' order
    for criterion in scores.breakdown:
        table[criterion] = scores.scorer.criterion_pairs(criterion, rows, columns)
    mentors = [cohort[m] for m in mentor_ids]
    mentees = [cohort[e] for e in mentee_ids]
    for column in _PEOPLE_COLUMNS:
        table[f"mentor_{column}"] = [getattr(p, column) for p in mentors]
        table[f"mentee_{column}"] = [getattr(p, column) for p in mentees]
    table["distance_km"] = (
        np.diagonal(distance_km(mentors, mentees)) if mentors else np.array([], dtype=float)
    )
    table["reason"] = [texts[e] for e in mentee_ids]
    return table
