"""The sparse path for large cohorts: candidate pairs and a certificate, never an n x m table.

A national cohort (10^4 to 10^5 people a side) has too many pairs to hold their
scores at once, and an optimum uses few of them. So:

1. **Scan.** The mentees are scored in blocks against every mentor
   (:meth:`~mentormatch.scoring.PairScorer.block`) and the rules' block tests
   applied; each mentee keeps the pairs within a common *reach* of its best
   allowed score (the reach chosen on the first block to leave about
   ``candidates`` pairs per mentee), and each mentor its best pair.
2. **Solve.** The candidates go to the min-cost flow
   (:func:`~mentormatch.solvers.flow.solve_pairs`) under the same capacities,
   pair counts, one-sided quotas and locks.
3. **Certify.** The flow's prices bound what any pair may score without
   improving the optimum (LP duality). A mentee whose every excluded pair lies
   below its reach, and so below its prices, passes without rescoring; the
   others are rescored against every mentor, and a pair above its prices
   joins the candidates for another solve. The answer is "optimal" only when
   every one of the n x m pairs has passed.

Memory grows with the candidates and one block, not with n x m.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

import numpy as np

from mentormatch.assignment import Assignment
from mentormatch.cohort import Cohort
from mentormatch.rules import Rule
from mentormatch.scoring import PairScorer
from mentormatch.sparse._facts import CandidateFacts, SparseView
from mentormatch.sparse._problem import SparseProblem, compile_sparse
from mentormatch.sparse._scan import Candidates, scan
from mentormatch.sparse._solve import solve_sparse

__all__ = [
    "DEFAULT_CANDIDATES",
    "CandidateFacts",
    "Candidates",
    "SparseProblem",
    "SparseView",
    "compile_sparse",
    "scan",
    "solve_large",
    "solve_sparse",
]

DEFAULT_CANDIDATES = 8
"""Pairs kept per mentee in the first scan when ``candidates`` is not given."""


def solve_large(
    cohort: Cohort, rules: Sequence[Rule], scorer: PairScorer, candidates: int
) -> tuple[SparseView, Assignment, Candidates]:
    """Compile the rules, scan, solve and certify: the view the reasons read, the
    assignment (locked pairs included) and the candidates it was proven over.

    Raises ``mm.InputError`` for rules the sparse path cannot hold and
    ``mm.InfeasibleError`` when no pairing keeps them.
    """
    start = time.perf_counter()
    problem = compile_sparse(cohort, rules, scorer)
    solved, found, locked = solve_sparse(problem, scorer, candidates)
    pairs = sorted([*solved.solution.pairs, *locked])
    rows = np.array([i for i, _ in pairs], dtype=np.intp)
    columns = np.array([j for _, j in pairs], dtype=np.intp)
    scores = scorer.pairs(rows, columns)
    objective = float(scores.sum())
    held = set(locked)
    taken = float(scores[[pair in held for pair in pairs]].sum())  # the flow left them out
    assert solved.solution.bound is not None
    assignment = Assignment(
        pairs=pairs,
        objective=objective,
        status=solved.solution.status,
        bound=max(solved.solution.bound + taken, objective),
        solver="flow, sparse with certificate",
        wall_time=time.perf_counter() - start,
    )
    return SparseView(problem, scorer, found), assignment, found
