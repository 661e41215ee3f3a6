"""The main job: a cohort and the programme's rules in, the best pairs and their reasons out.

``match`` runs the pipeline once: score the cohort, compile the rules into one
problem (ids in sorted order, so the row order of the file never matters),
check it for clashes, solve it exactly under the objective, and explain the
result. The result keeps its :class:`Round` (what it was solved from), so that
alternatives, shortlists, robustness and re-matching can solve it again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from mentormatch.assignment import Assignment
from mentormatch.cohort import Cohort
from mentormatch.errors import InputError, Violation
from mentormatch.explain import Outcome, explanations, unmatched_reasons
from mentormatch.geo import distance_km
from mentormatch.objectives import Objective, check_objective, optimise
from mentormatch.problem import Problem
from mentormatch.result import MatchResult
from mentormatch.rules import Rule, compile_rules, pilot_rules
from mentormatch.scoring import Criterion, Scores, score

__all__ = ["Round", "match", "result_of"]


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


_PEOPLE_COLUMNS = ("name", "organisation", "region")


def match(
    cohort: Cohort,
    rules: Sequence[Rule] | None = None,
    weights: Mapping[str, float] | None = None,
    time_limit: float | None = None,
    seed: int = 0,
    *,
    criteria: Iterable[Criterion] = (),
    objective: Objective = "total",
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
    objective : {"total", "fair", "coverage"}, default "total"
        ``"total"``: the largest sum of scores. ``"coverage"``: first the most pairs,
        then the total. ``"fair"``: as many pairs, then the best worst pair, then the
        total. Each stage exact (see :mod:`mentormatch.objectives`).

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
    chosen = check_objective(objective)
    applied = pilot_rules() if rules is None else tuple(rules)
    scores = score(cohort, weights=weights, criteria=criteria)
    problem = compile_rules(cohort, applied, scores.matrix)  # ids sorted by score()
    setup = Round(cohort, applied, scores, problem, chosen, time_limit, seed)
    return result_of(setup, setup.solve())


def result_of(
    setup: Round, assignment: Assignment, changes: pd.DataFrame | None = None
) -> MatchResult:
    """The result of a round solved into ``assignment``: tables, reasons, the round kept.

    ``changes`` lists what differs from the pairing this one derives from (see
    :attr:`MatchResult.changes`).
    """
    cohort, scores = setup.cohort, setup.scores
    outcome = Outcome(
        problem=setup.problem,
        pairs=assignment.pairs,
        pair_reason=scores.reason,
        objective=setup.objective,
    )
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
        rules=tuple(str(rule) for rule in setup.rules),
        weights=dict(scores.weights),
        solver=assignment.solver,
        wall_time=assignment.wall_time,
        explanations=texts,
        notes=cohort.notes,
        **({} if changes is None else {"changes": changes}),
        setup=setup,
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
