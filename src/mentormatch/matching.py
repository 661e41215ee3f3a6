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
from mentormatch.scoring import Criterion, PairScorer
from mentormatch.sparse import DEFAULT_CANDIDATES, CandidateFacts, solve_large
from mentormatch.validation import check_arguments

__all__ = ["DENSE_CELLS", "match"]

DENSE_CELLS = 25_000_000
"""Up to this many mentor x mentee pairs (5,000 x 5,000), ``match`` holds the whole score
table and solves densely; beyond, it takes the sparse path (see ``candidates``)."""

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
    candidates: int | None = None,
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
    candidates : int, optional
        Solve on the sparse path for large cohorts, keeping about this many candidate
        pairs per mentee in a first scan (:mod:`mentormatch.sparse`): the n x m score
        table is never held, and the answer is proven optimal over every pair by the
        flow's prices (candidates that miss the optimum only cost another round).
        ``None`` chooses: the dense path up to :data:`DENSE_CELLS` pairs, the sparse
        path with :data:`~mentormatch.sparse.DEFAULT_CANDIDATES` beyond. On the sparse
        path, ``result.scores`` lists the candidate pairs (``mentor_id``, ``mentee_id``,
        ``score``) instead of the whole table, and rules must hold on one side's
        people (pair counts, quotas on one side, the forbidding rules, locks).

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
    scorer = PairScorer.of(cohort, weights, criteria)  # people sorted by id
    cells = len(scorer.mentors) * len(scorer.mentees)
    if candidates is None and cells <= DENSE_CELLS:
        matrix = scorer.frame(scorer.matrix())
        problem = compile_rules(cohort, applied, matrix)
        assignment = solve(problem, time_limit=time_limit, seed=seed)
        outcome = Outcome(problem, assignment.pairs, scorer.reason, assignment.status)
        return _result(cohort, scorer, matrix, applied, assignment, outcome)
    view, assignment, found = solve_large(cohort, applied, scorer, candidates or DEFAULT_CANDIDATES)
    outcome = Outcome(
        view, assignment.pairs, scorer.reason, assignment.status, CandidateFacts(found)
    )
    table = pd.DataFrame(
        {
            "mentor_id": np.array(scorer.mentors.ids, dtype=object)[found.rows],
            "mentee_id": np.array(scorer.mentees.ids, dtype=object)[found.columns],
            "score": found.scores,
        }
    )
    return _result(cohort, scorer, table, applied, assignment, outcome)


def _result(
    cohort: Cohort,
    scorer: PairScorer,
    table: pd.DataFrame,
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
        pairs=_pairs_table(cohort, scorer, outcome, pair_texts(outcome, shared=True)),
        status=assignment.status,
        objective=assignment.objective,
        bound=assignment.bound,
        scores=table,
        unmatched=unmatched,
        rules=tuple(str(rule) for rule in rules),
        weights=dict(scorer.weights),
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
    cohort: Cohort, scorer: PairScorer, outcome: Outcome, reasons: Sequence[str]
) -> pd.DataFrame:
    """One row per pair; the problem's rows and columns are the score matrix's, in order."""
    rows = np.array([i for i, _ in outcome.pairs], dtype=np.intp)
    columns = np.array([j for _, j in outcome.pairs], dtype=np.intp)
    mentor_ids = [outcome.mentor_ids[i] for i in rows]
    mentee_ids = [outcome.mentee_ids[j] for j in columns]
    table = pd.DataFrame({"mentor_id": mentor_ids, "mentee_id": mentee_ids})
    table["score"] = outcome.problem.scores[rows, columns]
    for criterion in scorer.weights:  # computed for the pairs only, never the whole table
        table[criterion] = scorer.criterion_pairs(criterion, rows, columns)
    mentors = [cohort[m] for m in mentor_ids]
    mentees = [cohort[e] for e in mentee_ids]
    for column in _PEOPLE_COLUMNS:
        table[f"mentor_{column}"] = [getattr(p, column) for p in mentors]
        table[f"mentee_{column}"] = [getattr(p, column) for p in mentees]
    table["distance_km"] = _pair_km(mentors, mentees)
    table["reason"] = list(reasons)
    return table
