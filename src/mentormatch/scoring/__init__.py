"""Compatibility of every mentor with every mentee: a matrix per criterion, and their weighted mean.

Each criterion scores a block of pairs at once, as a (mentors x mentees)
matrix in [0, 1], from the profiles' feature blocks
(:mod:`mentormatch.features`). The built-in criteria:

``themes``
    Complementary fit: the share of the mentee's sought themes that the
    mentor offers. A theme named without a sub-theme stands for all its
    sub-themes. A sought theme counts 1 when the mentor offers it with a
    sub-theme in common (or either side names the whole theme), and 1/2 when
    both name only sub-themes of it and none in common.
``experience``
    The mentor's lead in years in the role, ``min(lead, 10) / 10``; a mentor
    with no more years than the mentee scores 0.
``size``
    Similar organisation size on a log scale: ``exp(-|log(a / b)| / log(10))``
    on ``log1p`` of the inhabitants, so equal sizes give 1 and a tenfold
    difference 0.37.
``level``
    1 when both lead a municipality or both a county, 0 otherwise.
``language``
    1 when the two share a language, counting Norwegian (``nb``, ``nn``,
    ``no``), Swedish (``sv``) and Danish (``da``) as mutually intelligible; 0
    otherwise.
``proximity``
    For the in-person meetings: ``exp(-km / 500)`` of the great-circle
    distance, so 180 km give 0.70, 500 km 0.37 and 1,000 km 0.14.

**Missing data.** Where an input a criterion needs is missing for a pair (a
blank years, population, level or coordinate cell, or an empty theme or
language list on either side), the pair scores a neutral 0.5 on that
criterion: it neither helps nor hurts. A criterion marks such pairs with NaN,
and :func:`score` turns every NaN into 0.5, for custom criteria too.

**Custom criteria.** Any object with a ``name`` and a call
``(mentors, mentees) -> array`` of shape (mentors, mentees) with values in
[0, 1] or NaN is a criterion (see :class:`Criterion`); pass it in
``score(cohort, criteria=[...])``. One named like a built-in replaces it; one
named like a column of ``result.pairs`` (:data:`RESERVED_NAMES`: ``mentor_id``,
``score``, ``reason``...) is refused, as it would overwrite that column.
It is called on blocks of people (:meth:`People.take`), so it must score
whichever people it is given, not assume the whole cohort.

**Blocks.** :func:`score` returns the whole matrix (pinned), filled tile by
tile; its ``breakdown`` computes a criterion's table only when read. For
large cohorts, :class:`PairScorer` scores any block of mentors x mentees, or
a list of pairs, without building anything larger: the built-ins reduce every
person to a few float32 terms once, and a block is one matrix product plus a
few elementwise steps per criterion (``_terms``, ``_criteria``, ``_scorer``).
Values agree with a float64 pair-by-pair computation to float32 rounding
(about 1e-7).

**Bounds.** :meth:`PairScorer.upper_bounds` bounds what any mentor of a group
scores with each mentee, without scoring them, so a scan of a large cohort can
skip groups of mentors that cannot come near a mentee's best
(:class:`MentorGroups`, ``_bounds``).

Stable for extension: :class:`Criterion`, :class:`People`,
:class:`PairScorer`, :class:`Breakdown`, :class:`BuiltIn`, :class:`MentorGroups`.
"""

from mentormatch.scoring._bounds import MARGIN, MentorGroups
from mentormatch.scoring._criteria import (
    BUILT_IN,
    DEFAULT_WEIGHTS,
    SCANDINAVIAN,
    BuiltIn,
    Experience,
    Language,
    Level,
    Proximity,
    Size,
    Themes,
)
from mentormatch.scoring._people import NEUTRAL, RESERVED_NAMES, Criterion, People
from mentormatch.scoring._score import Breakdown, Scores, score
from mentormatch.scoring._scorer import PairScorer

__all__ = [
    "BUILT_IN",
    "DEFAULT_WEIGHTS",
    "MARGIN",
    "NEUTRAL",
    "RESERVED_NAMES",
    "SCANDINAVIAN",
    "Breakdown",
    "BuiltIn",
    "Criterion",
    "Experience",
    "Language",
    "Level",
    "MentorGroups",
    "PairScorer",
    "People",
    "Proximity",
    "Scores",
    "Size",
    "Themes",
    "score",
]
