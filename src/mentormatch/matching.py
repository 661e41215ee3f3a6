"""The main job: a cohort and the programme's rules in, the best pairs and their reasons out.

``match`` runs the pipeline once: score the cohort, compile the rules into one
problem (ids in sorted order, so the row order of the file never matters),
check it for clashes, solve it exactly under the objective, and explain the
result. The result keeps its :class:`Round` (what it was solved from), so that
alternatives, shortlists, robustness and re-matching can solve it again.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from mentormatch.assignment import Assignment
from mentormatch.cohort import Cohort
from mentormatch.errors import InputError, RuleWarning, Violation
from mentormatch.explain import Outcome, explanations, pair_texts, unmatched_reasons
from mentormatch.geo import distance_km
from mentormatch.objectives import Objective, optimise
from mentormatch.problem import Problem
from mentormatch.profiles import Profile
from mentormatch.result import MatchResult
from mentormatch.rules import AvoidDeclared, Rule, Stable, compile_rules, pilot_rules
from mentormatch.scoring import Criterion, PairScorer, Scores
from mentormatch.sparse import DEFAULT_CANDIDATES, CandidateFacts, solve_large
from mentormatch.validation import check_arguments

__all__ = ["DENSE_CELLS", "Round", "match", "result_of", "unheeded"]

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
    objective: Objective = "total",
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
    objective : {"total", "fair", "coverage"}, default "total"
        ``"total"``: the largest sum of scores. ``"coverage"``: first the most pairs,
        then the total. ``"fair"``: as many pairs, then the best worst pair, then the
        total. Each stage exact (see :mod:`mentormatch.objectives`).
    candidates : int, optional
        Solve on the sparse path for large cohorts, keeping about this many candidate
        pairs per mentee in a first scan (:mod:`mentormatch.sparse`): the n x m score
        table is never held, and the answer is proven optimal over every pair by the
        flow's prices (candidates that miss the optimum only cost another round).
        ``None`` chooses: the dense path up to :data:`DENSE_CELLS` pairs, the sparse
        path with :data:`~mentormatch.sparse.DEFAULT_CANDIDATES` beyond. On the sparse
        path the objective is the total; rules must hold on one side's people (pair
        counts, quotas with a maximum on one side, the forbidding rules, locks);
        ``result.scores`` lists the candidate pairs (``mentor_id``, ``mentee_id``,
        ``score``) instead of the whole table; and the result keeps no round, so
        alternatives, shortlists, robustness and re-matching need the dense path.

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
    ...                   mm.AvoidSameOrganisation(), mm.AvoidDeclared(), mm.RegionQuota(max=2)])
    >>> len(result.pairs), result.status
    (10, 'optimal')
    """
    check_arguments("match", locals())
    applied = pilot_rules() if rules is None else tuple(rules)
    for finding in unheeded(cohort, applied):
        warnings.warn(finding, RuleWarning, stacklevel=2)
    scorer = PairScorer.of(cohort, weights, criteria)  # people sorted by id
    if candidates is None and len(scorer.mentors) * len(scorer.mentees) <= DENSE_CELLS:
        scores = Scores.of(scorer)
        problem = compile_rules(cohort, applied, scores.matrix)
        setup = Round(cohort, applied, scores, problem, objective, time_limit, seed)
        return result_of(setup, setup.solve())
    kept = candidates or DEFAULT_CANDIDATES
    if objective != "total":
        raise InputError(
            Violation(
                f"the sparse path for large cohorts maximises the total, got {objective!r}; "
                "give candidates=None on a cohort of up to "
                f"{DENSE_CELLS:,} pairs for another objective",
                argument="objective",
            )
        )
    view, assignment, found = solve_large(cohort, applied, scorer, kept)
    outcome = Outcome(
        view,
        assignment.pairs,
        scorer.reason,
        assignment.status,
        facts=CandidateFacts(found, view.problem),
    )
    table = pd.DataFrame(
        {
            "mentor_id": np.array(scorer.mentors.ids, dtype=object)[found.rows],
            "mentee_id": np.array(scorer.mentees.ids, dtype=object)[found.columns],
            "score": found.scores,
        }
    )
    return _result(cohort, scorer, table, applied, assignment, outcome, candidates=kept)


@dataclass(frozen=True, eq=False)
class Round:
    """What a pairing round was solved from, kept with its result to solve it again.

    Attributes
    ----------
    cohort : Cohort
        The people.
    rules : tuple of Rule
        The rules, as objects.
    scores : Scores
        The scores (weights and criteria included).
    problem : Problem
        The rules compiled over the scores.
    objective : {"total", "fair", "coverage"}
        What "best" meant (see :mod:`mentormatch.objectives`).
    time_limit : float or None
        Seconds per solve; ``seed`` the seed.
    """

    cohort: Cohort
    rules: tuple[Rule, ...]
    scores: Scores
    problem: Problem
    objective: Objective
    time_limit: float | None
    seed: int

    def solve(self, problem: Problem | None = None) -> Assignment:
        """The best pairs of this round's problem (or of ``problem``) under its objective."""
        chosen = self.problem if problem is None else problem
        return optimise(chosen, self.objective, self.time_limit, self.seed)


def result_of(
    setup: Round, assignment: Assignment, changes: pd.DataFrame | None = None
) -> MatchResult:
    """The result of a round solved into ``assignment``: tables, reasons, the round kept.

    ``changes`` lists what differs from the pairing this one derives from (see
    :attr:`MatchResult.changes`).
    """
    scores = setup.scores
    outcome = Outcome(
        setup.problem,
        assignment.pairs,
        scores.reason,
        assignment.status,
        objective=setup.objective,
    )
    return _result(
        setup.cohort, scores.scorer, scores.matrix, setup.rules, assignment, outcome, setup, changes
    )


def _result(
    cohort: Cohort,
    scorer: PairScorer,
    table: pd.DataFrame,
    rules: Sequence[Rule],
    assignment: Assignment,
    outcome: Outcome,
    setup: Round | None = None,
    changes: pd.DataFrame | None = None,
    candidates: int | None = None,
) -> MatchResult:
    shared = unmatched_reasons(outcome, shared=True)
    unmatched = pd.DataFrame(
        [(person, role, reason) for person, (role, reason) in shared.items()],
        columns=["id", "role", "reason"],
    )
    result = MatchResult(
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
        setup=setup,
        candidates=candidates,
    )
    return result if changes is None else replace(result, changes=changes)


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


def unheeded(cohort: Cohort, rules: Sequence[Rule]) -> list[str]:
    """What the cohort declares that these rules leave unheeded (see :class:`RuleWarning`).

    Examples
    --------
    >>> import mentormatch as mm
    >>> unheeded(mm.example_cohort(), [mm.PairCount(max=10)])[0][:49]
    '2 people declared whom to avoid (the avoid column'
    >>> unheeded(mm.example_cohort(), mm.pilot_rules())
    []
    """
    found = []
    avoiding = sum(1 for person in cohort.profiles if person.avoid)
    if avoiding and not any(isinstance(rule, AvoidDeclared) for rule in rules):
        found.append(
            f"{avoiding} people declared whom to avoid (the avoid column), but AvoidDeclared() "
            "is not among the rules, so they may be paired with them; add mm.AvoidDeclared() "
            "(your rules replace the pilot's, which include it)"
        )
    ranking = any(person.preferences for person in cohort.profiles)
    if not ranking and any(isinstance(rule, Stable) for rule in rules):
        found.append(
            "Stable() has no effect: nobody in the cohort ranked anyone (the preferences column)"
        )
    return found
