"""Beyond one optimum: alternatives and shortlists to choose from, stability, robustness,
and re-matching mid-year.

Each works on a :class:`~mentormatch.result.MatchResult` from :func:`mm.match`, whose
round (cohort, rules, scores, objective) it solves again; the methods of
``MatchResult`` (``alternatives``, ``shortlist``, ``blocking_pairs``, ``robustness``)
and :func:`mm.rematch` are the way in.

Modules: ``_alternatives`` (the k best pairings, Murty's partitioning),
``_shortlist`` (best allowed partners per person), ``_stability`` (blocking pairs of
any result), ``_robustness`` (survival under perturbed weights, through joblib),
``_rematch`` (mid-year changes, fewest changes first), ``_changes`` (what differs
between two pairings).
"""

from mentormatch.choices._alternatives import alternatives
from mentormatch.choices._rematch import rematch
from mentormatch.choices._robustness import robustness
from mentormatch.choices._shortlist import shortlist
from mentormatch.choices._stability import blocking_pairs

__all__ = ["alternatives", "blocking_pairs", "rematch", "robustness", "shortlist"]
